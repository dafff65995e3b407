"""Writing files safely and reproducibly: atomic replace, fixed timestamps, stable zips."""
from __future__ import annotations

import io
import os
import tempfile
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable


def build_time(inputs_mtime: float | None) -> datetime:
    """SOURCE_DATE_EPOCH when set, else the newest input's mtime, else now (UTC, whole seconds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        stamp = int(epoch)
    elif inputs_mtime is not None:
        stamp = int(inputs_mtime)
    else:
        stamp = int(time.time())
    return datetime.fromtimestamp(stamp, tz=timezone.utc)


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a reader only ever sees the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def stable_zip(data: bytes, when: datetime, fixes: dict[str, Callable[[bytes], bytes]] | None = None) -> bytes:
    """The same zip with every entry's time set to `when`, `mimetype` first and stored.

    `fixes` maps entry names to functions that rewrite that entry on the way through."""
    fixes = fixes or {}
    stamp = max(when, datetime(1980, 1, 1, tzinfo=timezone.utc)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        names = src.namelist()
        for name in sorted(names, key=lambda n: n != "mimetype"):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            content = src.read(name)
            if name in fixes:
                content = fixes[name](content)
            dst.writestr(info, content, compresslevel=6)
    return out.getvalue()

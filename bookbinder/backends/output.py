"""Writing files safely and reproducibly: atomic replace, fixed timestamps, stable zips."""
from __future__ import annotations

import errno
import io
import os
import re
import socket
import stat
import tempfile
import time
import zipfile
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from ..errors import DiskFullError, OutputError, quoted


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


def write_atomic(path: Path, data: bytes, durable: bool = True, mode: int = 0o644) -> None:
    """Write `data` to `path` so that a reader only ever sees the old file or the whole new one.

    The bytes go to a `.part` file beside it first, named after bookbinder, this host and process,
    so that a later build can tell a killed build's leftovers from a running one's, and from
    anyone else's files (`remove_stale_parts`). The rename replaces `path` itself: a link standing
    there is replaced, never written through. A `durable` file (a book) is on the disk before its
    name is; a cache entry need not be (it is checked when read, and made again if a crash cost
    it), so it skips the sync. `mode`: 0o600 for the cache's private files."""
    path = Path(path)
    with output_errors(path):
        _prepare_folder(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{_TAG}{_OWNER}.", suffix=".part", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                if durable:
                    f.flush()
                    os.fsync(f.fileno())
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


_READY: set[Path] = set()  # folders this process made sure of, and cleared of stale .part files


def _prepare_folder(folder: Path) -> None:
    """Once per folder and process (a library's build writes thousands of files into a few folders)."""
    if folder in _READY and folder.is_dir():
        return
    ensure_folder(folder)
    remove_stale_parts(folder)
    _READY.add(folder)


def output_folder(folder: Path) -> None:
    """`folder` as where books go: ensure_folder's checks, and not a link. A folder someone else
    prepared may hold `output -> ~/.config`; books are written only into a real folder."""
    folder = Path(folder)
    if folder.is_symlink():
        raise OutputError(f"is a link (to {quoted(os.path.realpath(folder))}); bookbinder writes books only into a "
                          "real folder: give -o that folder itself", folder)
    ensure_folder(folder)


def ensure_folder(folder: Path) -> None:
    """`folder` exists and this process may write in it; OutputError (one line, naming it) if not."""
    folder = Path(folder)
    with output_errors(folder):
        if folder.exists() and not folder.is_dir():
            raise OutputError("is a file, not a folder: give -o a folder, or a file name ending in a format's "
                              "suffix", folder)
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError("cannot be written to (permission denied); choose another -o", folder)


_OWNER = f"{socket.gethostname()[:32].replace('.', '_')}-{os.getpid()}"
_TAG = "bookbinder-"  # every .part bookbinder writes says so; no other file is ever removed
_PART = re.compile(r"^\..+\.bookbinder-(?P<owner>[^./]+)\.[a-z0-9_]{8}\.part$")
_STALE_AFTER = 24 * 3600  # seconds; a .part of another host is left alone for a day


def remove_stale_parts(folder: Path) -> None:
    """Delete the `.part` files that bookbinder builds killed midway left in `folder` (named as
    `write_atomic` names them, regular files): this host's whose process is gone, and any host's
    older than a day. A user's own `.notes.part` is never touched."""
    for part in Path(folder).glob(".*.part"):
        match = _PART.match(part.name)
        if match is None:
            continue
        host, _, pid = match["owner"].rpartition("-")
        try:
            if not stat.S_ISREG(part.lstat().st_mode):
                continue
            stale = (host == _OWNER.rpartition("-")[0] and pid.isdigit() and not _alive(int(pid))) or \
                time.time() - part.stat().st_mtime > _STALE_AFTER
            if stale:
                part.unlink()
        except OSError:
            continue  # another build removed it first, or it is not ours to remove


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def output_errors(path: Path) -> Iterator[None]:
    """OSError while writing `path` -> one-line OutputError; a full disk -> DiskFullError, which stops."""
    try:
        yield
    except OSError as exc:
        if exc.errno in {errno.ENOSPC, errno.EDQUOT}:
            raise DiskFullError("the disk is full; nothing more can be written", path) from None
        reason = {errno.EACCES: "permission denied", errno.EPERM: "permission denied",
                  errno.EROFS: "the file system is read-only", errno.ENOTDIR: "a file stands where a folder should be",
                  errno.EEXIST: "a file stands where a folder should be", errno.EISDIR: "is a folder"}
        raise OutputError(f"cannot be written ({reason.get(exc.errno, exc.strerror or type(exc).__name__)})",
                          path) from None


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

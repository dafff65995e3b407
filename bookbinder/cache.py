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
import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import tempfile
import zlib
from pathlib import Path
from typing import Iterator, Sequence

from . import __version__
from .model import (
    Chapter, Diagnostic, Heading, Image, Inferred, LineGroup, Metadata, Note, Pairing, Paragraph, SceneBreak, Shelved, Span,
    Story,
)

FORMAT = 2  # of an entry; bumped when the layout of an entry changes
_TYPES = {cls.__name__: cls for cls in (Story, Metadata, Inferred, Chapter, Paragraph, LineGroup, Heading, SceneBreak, Image,
                                        Span, Note, Pairing, Diagnostic, Shelved)}
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
    """Normalized stories by key. A `persistent` cache is the user's, kept between builds under
    content keys; a scratch one (`scratch`) is a build's own shelf, removed when the build ends."""

    def __init__(self, folder: str | os.PathLike, persistent: bool = True) -> None:
        self.folder = Path(folder)
        self.persistent = persistent
        self.hits = self.misses = 0

    @classmethod
    @contextlib.contextmanager
    def scratch(cls, under: str | os.PathLike | None = None) -> Iterator[StoryCache]:
        """A shelf for one build (with --no-cache), in a temporary folder removed afterwards."""
        with tempfile.TemporaryDirectory(prefix="bookbinder-shelf-", dir=under) as folder:
            yield cls(folder, persistent=False)

    @staticmethod
    def scratch_key(path: Path, index: int) -> str:
        return hashlib.sha256(f"{index}\0{path}".encode("utf-8", "surrogateescape")).hexdigest()

    def key(self, path: Path, data: bytes, sidecar: bytes | None, overrides: Sequence = (), fmt: str | None = None
            ) -> str:
        h = hashlib.sha256()
        for part in (f"bookbinder {__version__} {code_fingerprint()} cache {FORMAT}".encode(), data, sidecar or b"",
                     repr([(o.origin, sorted(o.values.items(), key=str)) for o in overrides]).encode(),
                     (fmt or "").encode(), path.suffix.lower().encode(), str(path).encode()):
            h.update(len(part).to_bytes(8, "big"))
            h.update(part)
        return h.hexdigest()

    def _file(self, key: str, kind: str = "stories") -> Path:
        return self.folder / kind / key[:2] / f"{key}.json.z"

    def load(self, key: str) -> Story | None:
        """The story kept under `key`, or None (absent, or an entry that cannot be what it says)."""
        story = self._read(key, "stories", lambda data: entry_story(key, data))
        return story if isinstance(story, Story) and story.shelved is None else None

    def load_card(self, key: str) -> Story | None:
        """The card kept under `key` (the story without its chapters), or None: absent, damaged,
        or its entry is not the one it was made with (checked by size and hash)."""
        return self._read(key, "cards", lambda data: _card(key, data, self.entry(key)))

    def entry(self, key: str) -> bytes | None:
        """The stored bytes of the story under `key` (what `unshelve` takes), or None."""
        try:
            return self._file(key).read_bytes()
        except OSError:
            return None

    def _read(self, key: str, kind: str, decode):
        try:
            value = decode(self._file(key, kind).read_bytes())
        except Exception:  # noqa: BLE001 - absent, truncated, corrupt or foreign: read the story again
            value = None
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def store(self, key: str, story: Story) -> bool:
        return self.put(key, entry_bytes(key, story))

    def put(self, key: str, entry: bytes, card: bytes | None = None) -> bool:
        """Keep a story's entry (and its card, if made); the entry first, so a card never points at
        nothing. False if the entry could not be kept (a full or read-only disk)."""
        from .backends.output import write_atomic

        try:
            write_atomic(self._file(key), entry, durable=False)
        except Exception:  # noqa: BLE001 - the caller keeps the story itself instead
            return False
        try:
            if card is not None:
                write_atomic(self._file(key, "cards"), card, durable=False)
        except Exception:  # noqa: BLE001 - a card not kept only costs a read next time
            pass
        return True


def entry_bytes(key: str, story: Story) -> bytes:
    """A story as a cache entry: compact JSON under its key, compressed."""
    record = {"key": key, "format": FORMAT, "story": _encode(story)}
    return zlib.compress(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)


def entry_story(key: str, data: bytes) -> Story:
    """The story in an entry; ValueError if the entry is not one, or is another key's."""
    record = json.loads(zlib.decompress(data))
    if record.get("key") != key or record.get("format") != FORMAT:
        raise ValueError("another entry")
    story = _decode(record["story"])
    if not isinstance(story, Story):
        raise ValueError("not a story")
    return story


def shelve(key: str, story: Story) -> tuple[Story, bytes, bytes]:
    """A story -> (its card, its entry, the card's bytes). The card is what planning books needs
    (metadata, diagnostics, words, chapter count); it records the entry's size and hash."""
    entry = entry_bytes(key, story.with_(mtime=None))
    card = story.with_(chapters=(), mtime=None,
                       shelved=Shelved(key, story.words, len(story.chapters), story.opening))
    record = {"key": key, "format": FORMAT, "entry": [len(entry), hashlib.sha256(entry).hexdigest()],
              "story": _encode(card)}
    card_data = zlib.compress(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)
    return card, entry, card_data


def _card(key: str, data: bytes, entry: bytes | None) -> Story | None:
    record = json.loads(zlib.decompress(data))
    if record.get("key") != key or record.get("format") != FORMAT:
        return None
    size, digest = record.get("entry") or (None, None)
    if entry is None or len(entry) != size or hashlib.sha256(entry).hexdigest() != digest:
        return None  # the entry is gone or changed: the card is no use
    card = _decode(record["story"])
    return card if isinstance(card, Story) and card.shelved and card.shelved.key == key else None


def unshelve(card: Story, entry: bytes | None) -> Story:
    """A card and its entry -> the whole story, with the card's metadata (a build may have
    unified its names or inferred its fandom since it was shelved)."""
    if card.shelved is None:
        return card
    if entry is None:
        raise ValueError(f"the story of {card.source} is no longer in the cache")
    story = entry_story(card.shelved.key, entry)
    story = story.with_(source=card.source, meta=card.meta, diagnostics=card.diagnostics, mtime=card.mtime)
    story.__dict__["words"] = card.shelved.words  # counted once, when it was read (Story.words is cached there)
    return story


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

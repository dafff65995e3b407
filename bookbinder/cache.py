"""A content-addressed cache of normalized stories, so a rebuild reads only what changed.

A story is kept under the hash of everything that makes it: the input's bytes, its sidecar's
bytes, the overrides that apply, the format it was read as, and bookbinder's version (a new
version reads everything again). The entry is the story as compact JSON (zlib), written
atomically; reading it back builds only the model's own types, from a fixed list, so an entry
is data, never code. An entry that is truncated, corrupt, of another version or under another
key is ignored and written again: the cache is never trusted, and may be deleted at any time.
Builds running at once share it safely (each entry is one file, replaced whole).

The cache is private, as ssh keeps its keys: its folder is 0700 and its files 0600, and a folder
owned by someone else, or that others may write to, is not used at all (`private_folder`). What
comes out of it passes the same gates as fresh data: an entry is a regular file of bounded size
that inflates to a bounded size, decoded into the model's own types, whose constructors check
what they hold (an image's name), and the writers sanitize SVG and PDF parts again.
"""
from __future__ import annotations

import base64
import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import stat
import tempfile
import zlib
from pathlib import Path
from typing import Iterator, Sequence

from .version import __version__
from .model import (
    Card, Chapter, Diagnostic, Heading, Image, Inferred, LineGroup, Metadata, Note, Pairing, Paragraph, SceneBreak, Span,
    Story,
)

FORMAT = 3  # of an entry; bumped when the layout of an entry changes
_TYPES = {cls.__name__: cls for cls in (Story, Metadata, Inferred, Chapter, Paragraph, LineGroup, Heading, SceneBreak, Image,
                                        Span, Note, Pairing, Diagnostic, Card)}
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


MAX_ENTRY = 256 * 1024 * 1024     # bytes of a kept file, compressed
MAX_STORIES = 100_000              # stories one input may hold (a book bookbinder made)
MAX_INFLATED = 1024 * 1024 * 1024  # bytes it may inflate to
PRIVATE = 0o600


def private_folder(folder: str | os.PathLike) -> str | None:
    """Make `folder` a private cache (0700, made if absent); None when it is one, else why it
    cannot be used: owned by another user, or writable by others (who could plant entries)."""
    folder = Path(folder)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
        if not stat.S_ISDIR(info.st_mode):
            return "it is not a folder"
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            return "it belongs to another user"
        if info.st_mode & 0o022:
            return "others may write to it (chmod 700 it to use it)"
        if info.st_mode & 0o077:
            folder.chmod(0o700)
    except OSError as exc:
        return f"it cannot be used ({exc.strerror or exc})"
    return None


def read_kept(path: Path, limit: int = MAX_ENTRY) -> bytes:
    """A kept file's bytes: a regular file no larger than `limit` (a FIFO planted in the cache
    never hangs a build); InputError otherwise, which every caller takes as a miss."""
    from .inputs import read_input

    return read_input(path, limit, "cache entry")


def inflate(data: bytes, limit: int = MAX_INFLATED) -> bytes:
    """zlib data inflated to at most `limit` bytes; ValueError past it or when it is not whole."""
    engine = zlib.decompressobj()
    out = engine.decompress(data, limit)
    if engine.unconsumed_tail or not engine.eof:
        raise ValueError("a cache entry that inflates past its limit, or is cut short")
    return out


def keep(path: Path, data: bytes) -> None:
    """Write a cache file: atomically, private, without waiting for the disk (it is checked when read)."""
    from .backends.output import write_atomic

    write_atomic(path, data, durable=False, mode=PRIVATE)


def default_folder() -> Path:
    """$BOOKBINDER_CACHE_DIR, else the user's cache folder (platformdirs: ~/.cache/bookbinder on Linux)."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    import platformdirs

    return Path(platformdirs.user_cache_dir("bookbinder"))


def content_key(path: Path, digest: str, sidecar: bytes | None, overrides: Sequence = ()) -> str:
    """The key of a story file whose bytes hash to `digest` (sha256, hex), with its sidecar's bytes
    and the overrides that apply, under this version of bookbinder's code."""
    h = hashlib.sha256()
    for part in (f"bookbinder {__version__} {code_fingerprint()} cache {FORMAT}".encode(), digest.encode(),
                 sidecar or b"", repr([(o.origin, sorted(o.values.items(), key=str)) for o in overrides]).encode(),
                 path.suffix.lower().encode(), str(path).encode()):
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def stat_key(path: Path) -> str | None:
    """What names one version of a file on this machine without reading it: its place, inode, size
    and times (ctime changes on every write, and no one can set it back), or None if it cannot be
    asked. A build reads an input whose stat key it has seen before from the cache alone."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return hashlib.sha256(f"{os.path.realpath(path)}\0{info.st_dev}\0{info.st_ino}\0{info.st_size}\0"
                          f"{info.st_mtime_ns}\0{info.st_ctime_ns}".encode("utf-8", "surrogateescape")).hexdigest()


class StoryCache:
    """Normalized stories by key. A `persistent` cache is the user's, kept between builds under
    content keys; a scratch one (`scratch`) is a build's own shelf, removed when the build ends."""

    def __init__(self, folder: str | os.PathLike, persistent: bool = True) -> None:
        self.folder = Path(folder)
        self.persistent = persistent

    @classmethod
    @contextlib.contextmanager
    def scratch(cls, under: str | os.PathLike | None = None) -> Iterator[StoryCache]:
        """A shelf for one build (with --no-cache), in a temporary folder removed afterwards."""
        with tempfile.TemporaryDirectory(prefix="bookbinder-shelf-", dir=under) as folder:
            yield cls(folder, persistent=False)

    @staticmethod
    def scratch_key(path: Path, index: int) -> str:
        return hashlib.sha256(f"{index}\0{path}".encode("utf-8", "surrogateescape")).hexdigest()

    def seen(self, stat: str | None) -> str | None:
        """The content digest recorded for an input whose stat key is `stat`, or None."""
        if stat is None or not self.persistent:
            return None
        try:
            return read_kept(self._file(stat, "seen"), 1024).decode("ascii").strip() or None
        except Exception:  # noqa: BLE001 - not seen, or not readable: the input is read
            return None

    def remember(self, stat: str | None, digest: str) -> None:
        """Record that the input with stat key `stat` hashes to `digest` (read once, never hashed again)."""
        if stat is None or not self.persistent:
            return
        try:
            keep(self._file(stat, "seen"), digest.encode("ascii"))
        except Exception:  # noqa: BLE001 - only costs a read next time
            pass

    def _file(self, key: str, kind: str = "stories") -> Path:
        return self.folder / kind / key[:2] / f"{key}.json.z"

    def load(self, key: str) -> Story | None:
        """The story kept under `key`, or None (absent, or an entry that cannot be what it says)."""
        story = self._read(key, "stories", lambda data: entry_story(key, data))
        return story if isinstance(story, Story) else None

    def load_card(self, key: str) -> Card | None:
        """The card kept under `key` (the story without its text), or None: absent, damaged, or its
        entry is not the one it was made with (checked by size and hash)."""
        return self._read(key, "cards", lambda data: _card(key, data, self.entry(key)))

    @staticmethod
    def part_key(key: str, number: int) -> str:
        """The key of story `number` (from 1) of an input that holds several, under the input's `key`."""
        return f"{key}-{number}"

    def load_cards(self, key: str) -> tuple[Card, ...] | None:
        """The cards of the input kept under `key`: its one story's, or (an input of several) every
        story's, as many as were counted; None when any is missing or damaged."""
        card = self.load_card(key)
        if card is not None:
            return (card,)
        count = self._read(key, "counts", lambda data: int(data.decode("ascii")))
        if not isinstance(count, int) or not 1 < count <= MAX_STORIES:
            return None
        cards = tuple(self.load_card(self.part_key(key, n)) for n in range(1, count + 1))
        return cards if all(c is not None for c in cards) else None

    def put_count(self, key: str, count: int) -> bool:
        """Record that the input kept under `key` holds `count` stories (after their entries and cards)."""
        try:
            keep(self._file(key, "counts"), str(count).encode("ascii"))
        except Exception:  # noqa: BLE001 - not counted: the input is read again next time
            return False
        return True

    def entry(self, key: str) -> bytes | None:
        """The stored bytes of the story under `key` (what `unshelve` takes), or None."""
        try:
            return read_kept(self._file(key))
        except Exception:  # noqa: BLE001 - absent or not a regular file: read the story again
            return None

    def _read(self, key: str, kind: str, decode):
        try:
            return decode(read_kept(self._file(key, kind)))
        except Exception:  # noqa: BLE001 - absent, truncated, corrupt or foreign: read the story again
            return None

    def put(self, key: str, entry: bytes, card: bytes | None = None) -> bool:
        """Keep a story's entry (and its card, if made); the entry first, so a card never points at
        nothing. False if the entry could not be kept (a full or read-only disk)."""
        try:
            keep(self._file(key), entry)
        except Exception:  # noqa: BLE001 - the caller keeps the story itself instead
            return False
        try:
            if card is not None:
                keep(self._file(key, "cards"), card)
        except Exception:  # noqa: BLE001 - a card not kept only costs a read next time
            pass
        return True


def entry_bytes(key: str, story: Story) -> bytes:
    """A story as a cache entry: compact JSON under its key, compressed."""
    record = {"key": key, "format": FORMAT, "story": _encode(story)}
    return zlib.compress(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)


def entry_story(key: str, data: bytes) -> Story:
    """The story in an entry; ValueError if the entry is not one, or is another key's."""
    record = json.loads(inflate(data))
    if record.get("key") != key or record.get("format") != FORMAT:
        raise ValueError("another entry")
    story = _decode(record["story"])
    if not isinstance(story, Story):
        raise ValueError("not a story")
    return story


def shelve(key: str, story: Story) -> tuple[Card, bytes, bytes]:
    """A story -> (its card, its entry, the card's bytes). The card is what planning books needs
    (metadata, diagnostics, words, chapter count); it records the entry's size and hash."""
    entry = entry_bytes(key, story.with_(mtime=None))
    card = Card.of(key, story).with_(mtime=None)
    record = {"key": key, "format": FORMAT, "entry": [len(entry), hashlib.sha256(entry).hexdigest()],
              "story": _encode(card)}
    card_data = zlib.compress(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)
    return card, entry, card_data


def _card(key: str, data: bytes, entry: bytes | None) -> Card | None:
    record = json.loads(inflate(data))
    if record.get("key") != key or record.get("format") != FORMAT:
        return None
    size, digest = record.get("entry") or (None, None)
    if entry is None or len(entry) != size or hashlib.sha256(entry).hexdigest() != digest:
        return None  # the entry is gone or changed: the card is no use
    card = _decode(record["story"])
    return card if isinstance(card, Card) and card.key == key else None


def unshelve(card: Card | Story, entry: bytes | None) -> Story:
    """A card and its entry -> the whole story, with the card's metadata (a build may have
    unified its names or inferred its fandom since it was shelved). A story is itself."""
    if isinstance(card, Story):
        return card
    if entry is None:
        raise ValueError(f"the story of {card.source} is no longer in the cache")
    story = entry_story(card.key, entry)
    return story.with_(source=card.source, meta=card.meta, diagnostics=card.diagnostics, mtime=card.mtime)


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


def _file_digest(path: Path) -> str:
    """A book file's sha256, read in pieces; InputError if it is not a regular file (a FIFO put
    where a book was never hangs the check)."""
    from .inputs import digest_input

    return digest_input(path, limit=1 << 40)


class WrittenBooks:
    """Which book files this cache saw written, and from what: a book whose digest and file are
    unchanged is up to date and need not be made again."""

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder) / "books"

    def _record(self, target: Path) -> Path:
        return self.folder / f"{hashlib.sha256(str(Path(target).resolve()).encode()).hexdigest()}.json"

    def up_to_date(self, target: Path, digest: str) -> bool:
        try:
            record = json.loads(read_kept(self._record(target), 64 * 1024))
            return record.get("digest") == digest and record.get("sha256") == _file_digest(Path(target))
        except Exception:  # noqa: BLE001 - no record, a damaged one, or no file: make the book
            return False

    def remember(self, target: Path, digest: str, data: bytes) -> None:
        record = {"digest": digest, "sha256": hashlib.sha256(data).hexdigest(), "path": str(target)}
        try:
            keep(self._record(target), json.dumps(record).encode("utf-8"))
        except Exception:  # noqa: BLE001 - only costs a rebuild next time
            pass

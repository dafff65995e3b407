"""The story model every stage shares: frozen dataclasses, no behaviour beyond small helpers.

Readers produce a `Story`; the cleaner returns a new `Story`; the renderer and the assembler
only read it. Inline text is a tuple of `str` and `Span` (emphasis and friends), so typography
and markup never need to re-parse strings.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Union


@dataclass(frozen=True)
class Span:
    """Inline markup around text: `tag` is an XHTML inline element name (em, strong, u, s, ...)."""

    tag: str
    children: tuple[Inline, ...]


Inline = Union[str, Span]


def inline_text(inlines: tuple[Inline, ...]) -> str:
    """The plain text of inline content."""
    return "".join(i if isinstance(i, str) else inline_text(i.children) for i in inlines)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of story text: strings and inline spans (emphasis), in order."""

    inlines: tuple[Inline, ...]
    align: str | None = None  # "center" or "right" when the source set it

    @property
    def text(self) -> str:
        return inline_text(self.inlines)


@dataclass(frozen=True)
class LineGroup:
    """Verse, lyrics, a letter's address: lines that keep their breaks."""

    lines: tuple[tuple[Inline, ...], ...]

    @property
    def text(self) -> str:
        return "\n".join(inline_text(line) for line in self.lines)


@dataclass(frozen=True)
class Heading:
    """A heading inside a chapter's text (a site's own chapter heading under FanFicFare's, a section
    title within a chapter): shown as a heading, never read as story paragraphs."""

    inlines: tuple[Inline, ...]

    @property
    def text(self) -> str:
        return inline_text(self.inlines)


@dataclass(frozen=True)
class SceneBreak:
    """A thematic break between scenes; `marker` keeps what the source used, for diagnostics."""

    marker: str = ""

    @property
    def text(self) -> str:
        return ""


IMAGE_SUFFIXES = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
                  "image/svg+xml": ".svg"}
_IMAGE_NAME = re.compile(r"[0-9a-f]{16}\.(png|jpg|gif|webp|svg)")


def image_name(data: bytes, media_type: str) -> str:
    """The name an image has in a book: its content hash and its type's suffix, never a name from
    the input (which could climb out of the book's folder)."""
    return hashlib.sha1(data).hexdigest()[:16] + IMAGE_SUFFIXES[media_type]


@dataclass(frozen=True)
class Image:
    """An image bundled with the input (EPUB input); `data` is the file's bytes. The name is
    `image_name`'s, checked when made, so an image from anywhere (a cache entry) names a file
    inside the book's images/ folder and nothing else."""

    name: str
    media_type: str
    data: bytes = field(repr=False)
    alt: str = ""

    def __post_init__(self) -> None:
        if self.media_type not in IMAGE_SUFFIXES or not _IMAGE_NAME.fullmatch(self.name) \
                or not self.name.endswith(IMAGE_SUFFIXES[self.media_type]):
            raise ValueError(f"not an image name a book holds: {self.name[:40]!r} ({self.media_type[:40]})")

    @property
    def text(self) -> str:
        return ""


Block = Union[Paragraph, LineGroup, Heading, SceneBreak, Image]


@dataclass(frozen=True)
class Note:
    """An author's note, disclaimer or credit, kept outside the story text."""

    blocks: tuple[Block, ...]
    label: str = "Notes"  # what the source called it: "Author's Note", "Disclaimer", ...

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks)


@dataclass(frozen=True)
class Chapter:
    """One chapter: its heading (None for a one-shot), its blocks, and the notes around it."""

    heading: str | None          # as shown: "Chapter 3: The Storm"; None for an untitled one-shot
    blocks: tuple[Block, ...]
    summary: tuple[Block, ...] = ()
    notes: tuple[Note, ...] = ()
    end_notes: tuple[Note, ...] = ()
    title: str | None = None     # the name alone: "The Storm"
    label: str | None = None     # the numbering alone: "Chapter 3"


_SEP = re.compile(r"\s*/\s*")


@dataclass(frozen=True, order=True)
class Pairing:
    """A relationship: members in canonical (case-folded alphabetical) order.

    `kind` is "/" for romantic or "&" for platonic, as AO3 writes them."""

    members: tuple[str, ...]
    kind: str = "/"

    @classmethod
    def of(cls, members, kind: str = "/") -> Pairing:
        clean = tuple(sorted({m.strip() for m in members if m.strip()}, key=lambda m: (m.casefold(), m)))
        return cls(clean, kind)

    @classmethod
    def parse(cls, text: str) -> Pairing | None:
        """"Mark/Lexie", "Lexie Grey & Mark Sloan" -> Pairing; None when it names fewer than two."""
        kind = "&" if "&" in text and "/" not in text else "/"
        parts = re.split(r"\s*[/&]\s*", text.strip())
        pairing = cls.of(parts, kind)
        return pairing if len(pairing.members) >= 2 else None

    def __str__(self) -> str:
        joiner = "/" if self.kind == "/" else " & "
        return joiner.join(self.members)


@dataclass(frozen=True)
class Diagnostic:
    """A decision a user may disagree with; `code` is stable, `message` is for people."""

    code: str
    message: str
    text: str = ""  # the full text dropped, when something was dropped


@dataclass(frozen=True)
class Inferred:
    """What the text implies but does not state; kept apart from the stated metadata."""

    fandoms: tuple[str, ...] = ()
    characters: tuple[str, ...] = ()
    pairings: tuple[Pairing, ...] = ()
    # Names the text uses often but shows as neither a person nor a thing: people only where a
    # character tag of the story's fandom names them (`library.name_tagged`). Not in the record.
    named: tuple[str, ...] = ()


@dataclass(frozen=True)
class Metadata:
    """What is known about a story: stated by its source or its user (the fields), or guessed from
    its text (`inferred`, never mixed with what is stated). `inspect --json` shows these names."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    summary: tuple[Block, ...] = ()
    notes: tuple[Note, ...] = ()
    end_notes: tuple[Note, ...] = ()
    rating: str | None = None
    warnings: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    fandoms: tuple[str, ...] = ()
    characters: tuple[str, ...] = ()
    pairings: tuple[Pairing, ...] = ()
    tags: tuple[str, ...] = ()
    series: str | None = None
    series_index: float | None = None  # the story's place in its series: "Part 2 of Tides" -> 2
    status: str | None = None
    language: str | None = None
    published: str | None = None
    updated: str | None = None
    stated_words: int | None = None
    url: str | None = None
    identifiers: tuple[tuple[str, str], ...] = ()  # what names the work where it was published: ("ao3", "334557")
    inferred: Inferred = Inferred()

    def with_(self, **changes) -> Metadata:
        return replace(self, **changes)

    @property
    def work_ids(self) -> dict[str, str]:
        """Every name of the work: its URL, the site's id its URL holds, and the ids it states."""
        ids = {"url": self.url} if self.url else {}
        ids.update(site_ids(self.url))
        ids.update((k, v) for k, v in self.identifiers if k not in ids)
        return ids


# Sites whose work URLs hold the work's id, as calibre's and FanFicFare's identifiers name them.
_SITE_IDS = (
    ("ao3", re.compile(r"^https?://(?:www\.)?(?:archiveofourown\.org|ao3\.org)/(?:collections/[^/]+/)?works/(\d+)")),
    ("ffnet", re.compile(r"^https?://(?:www\.|m\.)?fanfiction\.net/s/(\d+)")),
    ("fictionpress", re.compile(r"^https?://(?:www\.|m\.)?fictionpress\.com/s/(\d+)")),
)


def site_ids(url: str | None) -> dict[str, str]:
    """"https://archiveofourown.org/works/334557" -> {"ao3": "334557"}; {} for any other address."""
    for name, pattern in _SITE_IDS:
        if url and (m := pattern.match(url)):
            return {name: m.group(1)}
    return {}


def series_number(value: float | None) -> int | float | None:
    """A series index as people write it: 2, not 2.0; 2.5 stays."""
    return int(value) if value is not None and float(value).is_integer() else value


@dataclass(frozen=True)
class Story:
    """One story, read and cleaned: where it came from, its metadata, its chapters, and every
    decision the normalizer made about it (`diagnostics`: what was dropped, moved or guessed)."""

    source: str
    meta: Metadata
    chapters: tuple[Chapter, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    mtime: float | None = None  # the input's modification time, for reproducible dates

    def with_(self, **changes) -> Story:
        return replace(self, **changes)

    def diagnose(self, code: str, message: str, text: str = "") -> Story:
        return replace(self, diagnostics=self.diagnostics + (Diagnostic(code, message, text),))

    # Derived values are cached on the instance (a frozen dataclass may still fill its __dict__).
    @cached_property
    def blocks(self) -> tuple[Block, ...]:
        return tuple(b for c in self.chapters for b in c.blocks)

    @cached_property
    def body_text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks)

    @cached_property
    def words(self) -> int:
        return count_words(self.body_text)

    @property
    def chapter_count(self) -> int:
        return len(self.chapters)

    @property
    def opening(self) -> str:
        """The story's first few words."""
        return " ".join(self.body_text.split()[:5])

    @property
    def scene_breaks(self) -> int:
        return sum(isinstance(b, SceneBreak) for b in self.blocks)


@dataclass(frozen=True)
class Card:
    """What a build holds of a story between its work units: its source, metadata and diagnostics,
    what planning reads of its text (words, chapters, first words), and the key of its entry in the
    build's shelf (`cache.StoryCache`), from which `cache.unshelve` brings the whole story back to
    write a book. Grouping, filters and ordering read cards and stories alike; only a Story has text."""

    source: str
    meta: Metadata
    key: str
    words: int
    chapter_count: int
    opening: str
    diagnostics: tuple[Diagnostic, ...] = ()
    mtime: float | None = None

    def with_(self, **changes) -> Card:
        return replace(self, **changes)

    def diagnose(self, code: str, message: str, text: str = "") -> Card:
        return replace(self, diagnostics=self.diagnostics + (Diagnostic(code, message, text),))

    @classmethod
    def of(cls, key: str, story: Story) -> Card:
        return cls(story.source, story.meta, key, story.words, story.chapter_count, story.opening, story.diagnostics,
                   story.mtime)


def unique_names(items) -> tuple[str, ...]:
    """Items in order, each once, case ignored ("Mark Sloan" and "mark sloan" are one)."""
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.casefold(), item)
    return tuple(seen.values())


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# A token is tried only where one starts, and its letter is looked for once: linear time, where
# `\S*[^\W_]\S*` backtracked quadratically over a long run of punctuation (40 KB of '.' took 14 s).
_WORD_TOKEN = re.compile(r"(?<!\S)(?=\S*[^\W_])\S+")


def count_words(text: str) -> int:
    """Whitespace tokens holding a letter or digit; each CJK character counts as a word, as AO3 does."""
    cjk = len(_CJK.findall(text))
    rest = _CJK.sub(" ", text) if cjk else text
    return cjk + len(_WORD_TOKEN.findall(rest))

"""The book model: what the assembler hands a backend. Stories -> Book with its contents tree."""
from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass, replace

from .clean.xmlsafe import xml_safe
from .model import Story, series_number


@dataclass(frozen=True)
class BookInfo:
    """What the user states about the book itself (the command line, `--metadata`, bookbinder.toml),
    as calibre's and pandoc's users do. Each field, when set, wins over what the stories say."""

    authors: tuple[str, ...] = ()      # the book's creators (dc:creator, the PDF's Author)
    language: str | None = None        # BCP 47
    series: str | None = None
    series_index: str | None = None    # "2", "2.5"
    publisher: str | None = None
    date: str | None = None            # 2024-05-01
    description: str | None = None
    subjects: tuple[str, ...] = ()     # added to the stories' fandoms, pairings and tags
    cover: bytes | None = None         # an image (PNG, JPEG, GIF or WebP) instead of the drawn cover
    cover_type: str = "image/png"
    css: str | None = None             # the user's stylesheet, after the book's own

    def __post_init__(self) -> None:
        for name in ("language", "series", "series_index", "publisher", "date", "description"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, xml_safe(value))
        object.__setattr__(self, "authors", tuple(xml_safe(a) for a in self.authors))
        object.__setattr__(self, "subjects", tuple(xml_safe(a) for a in self.subjects))


@dataclass(frozen=True)
class Book:
    """Stories bound together: a title, the stories in order, what the collection gathers (a
    `--by` group) and its editors. `bookbinder.compose` makes the book's plan from it."""

    title: str
    stories: tuple[Story, ...]
    collection: str | None = None      # what the book gathers: "Mark Sloan/Lexie Grey", "Grey's Anatomy"
    editors: tuple[str, ...] = ()
    info: BookInfo = BookInfo()

    def __post_init__(self) -> None:
        # Titles and editors come from the command line or a manifest: text like any story's. A
        # book always has a title (a group whose name was all unreadable characters has none).
        object.__setattr__(self, "title", " ".join(xml_safe(self.title).split()) or "Untitled")
        object.__setattr__(self, "collection", xml_safe(self.collection) if self.collection else self.collection)
        object.__setattr__(self, "editors", tuple(xml_safe(e) for e in self.editors))

    def without(self, index: int) -> Book:
        """The same book without its story at `index` (one that could not be rendered)."""
        return replace(self, stories=self.stories[:index] + self.stories[index + 1:])

    @property
    def is_anthology(self) -> bool:
        """Several stories, or a collection (a --by group) even when it holds only one."""
        return len(self.stories) > 1 or self.collection is not None

    @property
    def count_line(self) -> str:
        """"An anthology of 5 stories"; nothing for one story (a book of one is no collection)."""
        n = len(self.stories)
        return "" if n == 1 else f"An anthology of {n} stories"

    @property
    def language(self) -> str:
        if self.info.language:
            return self.info.language
        langs = [s.meta.language for s in self.stories if s.meta.language]
        return max(set(langs), key=langs.count) if langs else "en"

    @property
    def authors(self) -> tuple[str, ...]:
        seen: dict[str, str] = {}
        for story in self.stories:
            for author in story.meta.authors:
                seen.setdefault(author.casefold(), author)
        return tuple(seen.values())

    @property
    def creators(self) -> tuple[str, ...]:
        """Who the book is by: the user's --author, else the stories' authors."""
        return self.info.authors or self.authors

    @property
    def byline(self) -> str:
        """"by A and B", or "edited by C" where only editors are named; "" when nobody is."""
        if self.creators:
            return "by " + _join(self.creators)
        return "edited by " + _join(self.editors) if self.editors else ""

    @property
    def series_line(self) -> str:
        """"Part 2 of Tides": the user's series for the book, else a single story's own; "" when none."""
        series, index = self.info.series, self.info.series_index
        if not series and not self.is_anthology and self.stories and self.stories[0].meta.series:
            meta = self.stories[0].meta
            series, index = meta.series, series_number(meta.series_index)
        if not series:
            return ""
        return f"Part {index} of {series}" if index is not None else series

    @property
    def slug(self) -> str:
        return slugify(self.title)

    @property
    def identifier(self) -> str:
        """A stable urn:uuid (uuid5) from what names the book: its title, its grouping (the `--by`
        group, the series) and who it is by; a book of one story also by that work's address.
        Never from which stories it holds: a book made again with one more story keeps it, so a
        reader's library sees a new version of the same book."""
        key = [self.title, self.collection or "", self.info.series or "", *self.info.authors, *self.editors]
        if not self.is_anthology and self.stories:  # one work: who wrote it and where it lives name it too
            key += ["story", *self.creators, self.stories[0].meta.url or ""]
        name = "\n".join(" ".join(k.casefold().split()) for k in key)
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'bookbinder:' + name)}"

    @property
    def newest_input(self) -> float | None:
        times = [s.mtime for s in self.stories if s.mtime is not None]
        return max(times) if times else None


def _join(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def slugify(text: str) -> str:
    """"Mark Sloan/Lexie Grey" -> "mark-sloan-lexie-grey" (ASCII where it can, never empty)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", (ascii_text or text).lower()).strip("-")
    if not slug:
        slug = re.sub(r"[^\w]+", "-", text.lower()).strip("-")
    return slug[:80].strip("-") or "book"


def story_title(story: Story) -> str:
    """What a story is called in a book: its title, else its file name made readable, else its
    opening words (two untitled stories in one contents page must still be told apart)."""
    name = story.meta.title or readable_name(source_name(story))
    if name != "Untitled":
        return name
    words = [w.strip("\"“”‘’'") for w in story.opening.split()]  # quotation marks, not apostrophes
    opening = " ".join(w for w in words if w)
    return f"Untitled ({opening}…)" if opening else name


_HASHLIKE = re.compile(r"^(?=.*\d)(?=.*[a-z])[a-z0-9]{8,}$|^[0-9a-f]{12,}$", re.IGNORECASE)


def readable_name(file_name: str) -> str:
    """"losing_grip.txt" -> "Losing grip"; "002_fab31b507847f963.txt" -> "Untitled".

    Separators become spaces and hash-like parts (download ids, content hashes) are dropped; a
    bare number left after dropping one is an index, not a title."""
    stem = file_name.rsplit(".", 1)[0] if "." in file_name.strip(".") else file_name
    parts = [p for p in re.split(r"[\s_.\-]+", stem) if p]
    kept = [p for p in parts if not _HASHLIKE.match(p)]
    if not kept or (len(kept) < len(parts) and all(p.isdigit() for p in kept)):
        return "Untitled"
    name = " ".join(kept)
    return name[:1].upper() + name[1:]


def source_name(story: Story) -> str:
    """The story's file name, as a book may print it."""
    if story.source == "-":
        return "standard input"
    return xml_safe(story.source.rsplit("/", 1)[-1])

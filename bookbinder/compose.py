"""The compose stage: Book -> BookPlan, the whole book decided once, for every backend.

A plan holds the book's parts in reading order (cover, title page, contents; for each story its
title page and its text; credits), the contents tree (book -> story -> chapter), the landmarks,
the book's metadata (subjects included) and its resources (images, named by content hash).
What each page shows is written here and nowhere else (`part_body`). A backend only renders a
plan: the EPUB backend writes each part as a package document, the PDF backend lays the parts
out. Each passes its own `Links`, which says how a part or a resource is addressed in its
output, so links and images work in both.

A single story is a plan of two parts (its title page and its text); an anthology adds a cover,
a title page, a contents page and the credits.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Callable, Iterator, Protocol

from lxml import etree

from .book import Book, source_name, story_title
from .model import Image, Story
from .render import (
    E, EPUB_TYPE, XHTML_NS, afterword, chapter_parts, join_names, metadata_list, preface, story_header,
)


@dataclass(frozen=True)
class Resource:
    """A file the book shows: `name` is its path in the book ("images/<content hash>.png"). Its
    bytes are made when a backend first asks (the PDF never draws the EPUB's cover)."""

    name: str
    media_type: str
    load: Callable[[], bytes] = field(repr=False, compare=False)
    cover: bool = False

    @cached_property
    def data(self) -> bytes:
        return self.load()


@dataclass(frozen=True)
class Target:
    """Where a link points, in the plan's terms: a part, and an id inside it."""

    part: str
    fragment: str = ""


@dataclass(frozen=True)
class Entry:
    """One line of the contents tree."""

    title: str
    target: Target
    children: tuple["Entry", ...] = ()


@dataclass(frozen=True)
class Part:
    """One page sequence of the book. `story` is the index of the story it shows, if any."""

    id: str                      # "cover", "titlepage", "contents", "story-001-title", "story-001", "credits"
    kind: str                    # cover | titlepage | toc | story-title | story | credits
    title: str                   # the document's title
    language: str
    story: int | None = None
    landmark: str | None = None  # EPUB landmark type (cover, titlepage, toc, bodymatter)
    landmark_title: str = ""


@dataclass(frozen=True)
class BookMetadata:
    """What every backend records about the book, computed once."""

    identifier: str
    title: str
    language: str
    authors: tuple[str, ...]
    editors: tuple[str, ...]
    subjects: tuple[str, ...]    # fandoms, pairings and tags, in story order, each once
    description: str             # the story's summary, or what the anthology gathers; may be empty
    publisher: str = "bookbinder"
    date: str | None = None      # of publication, as the user states it
    series: str | None = None
    series_index: str | None = None


@dataclass(frozen=True)
class BookPlan:
    """A book decided: its parts in reading order, its contents tree, metadata and resources.
    Backends render a plan; they never look at the book's stories to decide what a page holds."""

    book: Book
    metadata: BookMetadata
    parts: tuple[Part, ...]
    toc: tuple[Entry, ...]
    resources: tuple[Resource, ...]

    @property
    def landmarks(self) -> tuple[Part, ...]:
        return tuple(p for p in self.parts if p.landmark)

    def entry(self, part_id: str) -> Entry | None:
        """The contents entry that points at a part."""
        return next((e for e in self.toc if e.target.part == part_id), None)

    def resource(self, name: str) -> Resource | None:
        return next((r for r in self.resources if r.name == name), None)


class Links(Protocol):
    """How a renderer addresses things in its output."""

    def href(self, target: Target) -> str: ...

    def resource(self, resource: Resource) -> str: ...

    def page(self, target: Target) -> int | None:
        """The printed page a target starts on, where the renderer knows it (else None)."""


# ------------------------------------------------------------------ the plan
def compose(book: Book) -> BookPlan:
    """The book's parts, contents, landmarks, metadata and resources."""
    parts: list[Part] = []
    toc: list[Entry] = []
    resources: dict[str, Resource] = {}
    lang = book.language
    if book.is_anthology or book.info.cover:
        parts.append(Part("cover", "cover", book.title, lang, landmark="cover", landmark_title="Cover"))
        cover = (partial(bytes, book.info.cover), book.info.cover_type) if book.info.cover else (partial(_cover, book),
                                                                                                   "image/png")
        name = "images/cover" + _SUFFIX.get(cover[1], ".png")
        resources[name] = Resource(name, cover[1], cover[0], cover=True)
    if book.is_anthology:
        parts += [Part("titlepage", "titlepage", book.title, lang, landmark="titlepage", landmark_title="Title page"),
                  Part("contents", "toc", "Contents", lang, landmark="toc", landmark_title="Contents")]
        toc += [Entry("Title Page", Target("titlepage")), Entry("Contents", Target("contents"))]
    for index, story in enumerate(book.stories):
        title, story_lang = story_title(story), story.meta.language or "en"
        first = index == 0
        parts += [Part(_title_id(index), "story-title", title, story_lang, index,
                       landmark="bodymatter" if first else None,
                       landmark_title=("Stories" if book.is_anthology else "Start of the story") if first else ""),
                  Part(_text_id(index), "story", title, story_lang, index)]
        toc.append(story_entry(story, index))
        for image in story_images(story):
            name = f"images/{image.name}"
            resources.setdefault(name, Resource(name, image.media_type, partial(_image_bytes, image)))  # shared: once
    if book.is_anthology:
        parts.append(Part("credits", "credits", "Credits", lang))
        toc.append(Entry("Credits", Target("credits")))
    return BookPlan(book, book_metadata(book), tuple(parts), tuple(toc), tuple(resources.values()))


_SUFFIX = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp"}


def _image_bytes(image: Image) -> bytes:
    """An image's bytes as a book holds them: SVG made inert here too, whatever the story came
    from (a reader does it, but a story may come back from the cache)."""
    if image.media_type != "image/svg+xml":
        return image.data
    from .readers.svg import sanitize_svg

    return sanitize_svg(image.data) or b'<svg xmlns="http://www.w3.org/2000/svg"/>'


def _cover(book: Book) -> bytes:
    from .backends.cover import cover_image  # Pillow draws only for a book whose cover is shown

    return cover_image(book)


def _title_id(index: int) -> str:
    return f"story-{index + 1:03d}-title"


def _text_id(index: int) -> str:
    return f"story-{index + 1:03d}"


def story_entry(story: Story, index: int) -> Entry:
    """A story's contents entry: its title page, and its chapters where it has several."""
    chapters = ()
    if len(story.chapters) > 1:
        chapters = tuple(Entry(c.heading or f"Chapter {i}", Target(_text_id(index), f"chapter-{i}"))
                         for i, c in enumerate(story.chapters, 1))
    return Entry(story_title(story), Target(_title_id(index)), chapters)


def book_metadata(book: Book) -> BookMetadata:
    info = book.info
    subjects: dict[str, None] = {}
    for story in book.stories:
        for value in [*story.meta.fandoms, *(str(p) for p in story.meta.pairings), *story.meta.tags]:
            subjects.setdefault(value)
    for value in info.subjects:
        subjects.setdefault(value)
    if info.description is not None:
        description = info.description
    elif book.is_anthology:
        description = book.count_line + (f": {book.collection}." if book.collection else ".")
    else:  # one story: its summary, if it has one
        description = "\n\n".join(b.text for b in book.stories[0].meta.summary) if book.stories else ""
    return BookMetadata(book.identifier, book.title, book.language, book.creators, book.editors,
                        tuple(subjects), description, info.publisher or "bookbinder", info.date, info.series,
                        info.series_index)


def story_images(story: Story) -> Iterator[Image]:
    """The images a story's text and notes show (bundled with an EPUB input)."""
    blocks = list(story.meta.summary) + [b for n in story.meta.notes + story.meta.end_notes for b in n.blocks]
    for c in story.chapters:
        blocks += list(c.blocks) + list(c.summary) + [b for n in c.notes + c.end_notes for b in n.blocks]
    return (b for b in blocks if isinstance(b, Image))


# ------------------------------------------------------------------ what each part shows
def part_body(plan: BookPlan, part: Part, links: Links) -> list[etree._Element]:
    """The body elements of `part`, its links and images addressed through `links`."""
    book = plan.book
    story = book.stories[part.story] if part.story is not None else None
    if part.kind == "cover":
        elements = [cover(plan)]
    elif part.kind == "titlepage":
        elements = [title_page(book)]
    elif part.kind == "toc":
        elements = [contents(book, links)]
    elif part.kind == "story-title":
        elements = story_title_page(story)
    elif part.kind == "story":
        elements = story_text(story)
    elif part.kind == "credits":
        elements = [credits(book)]
    else:
        raise ValueError(f"unknown part kind {part.kind!r}")
    for element in elements:
        _address_images(element, plan, links)
    return elements


def _address_images(element: etree._Element, plan: BookPlan, links: Links) -> None:
    for img in element.iter(f"{{{XHTML_NS}}}img"):
        resource = plan.resource(img.get("src", ""))
        if resource is not None:
            img.set("src", links.resource(resource))


def cover(plan: BookPlan) -> etree._Element:
    book = plan.book
    alt = f"Cover: {book.title}" + (f", {book.collection}" if book.collection and book.collection != book.title else "")
    image = next(r for r in plan.resources if r.cover)
    return E.section({EPUB_TYPE: "cover", "class": "cover", "aria-label": "Cover"},
                     E.img({"role": "doc-cover"}, src=image.name, alt=alt))


def title_page(book: Book) -> etree._Element:
    section = E.section({EPUB_TYPE: "titlepage", "class": "titlepage", "aria-label": "Title page"},
                        E.h1(book.title))
    if book.collection and book.collection != book.title:
        section.append(E.p(book.collection, {"class": "collection"}))
    section.append(E.p(book.count_line, {"class": "count"}))
    if book.creators:
        section.append(E.p("by " + join_names(book.creators), {"class": "byline"}))
    if book.editors:
        section.append(E.p("edited by " + join_names(book.editors), {"class": "editors"}))
    return section


def contents(book: Book, links: Links) -> etree._Element:
    """Each story with its author, pairing, rating and words; with its page number where known."""
    items = []
    for index, story in enumerate(book.stories):
        target = Target(_title_id(index))
        page = links.page(target)
        link = E.a(story_title(story), href=links.href(target))
        if page is not None:  # laid out apart from the stories: the page is known, and printed as it is
            link.set("data-page", str(page))
        entry = E.li(E.p(link, {"class": "toc-title"}))
        entry.append(E.p(story_line(story), {"class": "toc-details"}))
        items.append(entry)
    return E.section({EPUB_TYPE: "toc", "role": "doc-toc", "class": "contents", "aria-labelledby": "contents-title"},
                     E.h2("Contents", id="contents-title"), E.ol(*items, {"class": "contents"}))


def story_line(story: Story) -> str:
    """"by X · Mark Sloan/Lexie Grey · Rated R · 883 words" for the contents page."""
    meta = story.meta
    parts = []
    if meta.authors:
        parts.append("by " + join_names(meta.authors))
    pairings = [str(p) for p in meta.pairings]  # what the story states: inference shows in inspect and -v, not here
    if pairings:
        parts.append(", ".join(pairings))
    parts.append(f"Rated {meta.rating}" if meta.rating else "Not rated")
    parts.append(f"{story.words:,} words")
    return " · ".join(parts)


def story_title_page(story: Story) -> list[etree._Element]:
    """A story's own title page, in the manner of AO3's preface."""
    bare = E.section({EPUB_TYPE: "preface", "role": "doc-preface", "class": "preface",
                      "aria-label": "About this story"}, metadata_list(story))
    header = story_header(story, 1, story_title(story))
    if not story.meta.title:  # the book named it: said, so that reading the book back finds it untitled
        header.set("class", "story-title untitled")
    return [header, *(preface(story, 2) or [bare])]


def story_text(story: Story) -> list[etree._Element]:
    """A story's chapters (with their notes) and its end notes."""
    parts = []
    for i, chapter in enumerate(story.chapters, 1):
        parts += chapter_parts(chapter, i, 2)
    return parts + afterword(story.meta.end_notes, 2, "End Notes")


def credits(book: Book) -> etree._Element:
    items = []
    for story in book.stories:
        meta = story.meta
        line = E.li(E.cite(story_title(story)))
        line[-1].tail = " by " + join_names(meta.authors) if meta.authors else " (author not stated)"
        extra = [f"from {source_name(story)}"]
        if meta.url:
            extra.append(meta.url)
        if meta.published:
            extra.append(f"published {meta.published}")
        line.append(E.span(" — " + ", ".join(extra), {"class": "source"}))
        items.append(line)
    section = E.section({EPUB_TYPE: "credits", "role": "doc-credits", "class": "credits",
                         "aria-labelledby": "credits-title"},
                        E.h2("Credits", id="credits-title"),
                        E.p("Every story in this book belongs to its author. Sources, in the order they appear:"),
                        E.ul(*items))
    if book.authors:
        section.append(E.p("Authors: " + join_names(sorted(book.authors, key=str.casefold)) + "."))
    section.append(E.p("Bound with bookbinder.", {"class": "colophon"}))
    return section

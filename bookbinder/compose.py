"""The compose stage: Book -> BookPlan, the whole book decided once, for every backend.

A plan holds the book's parts in reading order (cover, title page, contents; for each story its
title page and its text, one part per chapter, a long chapter in pieces; credits), the contents
tree (book -> story -> chapter), the landmarks, the book's metadata (`bookmeta`) and its resources
(images, named by content hash). What each part shows is decided here (`part_body`; the book's
own pages are written in `pages`). A backend only renders a plan: the EPUB backend writes each
part as a package document, the PDF backend lays each story's parts out as one flow. Each passes
its own `Links`, which says how a part or a resource is addressed in its output, so links and
images work in both.

Every book has a cover. A single story is a plan of its cover, its title page (AO3's preface) and
its chapters, with a contents page of its chapters after the title page where it has several
(`story_contents`); an anthology adds a title page, a contents page of its stories and the credits.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from typing import Callable, Iterator, Protocol

from lxml import etree

from .book import Book, story_title
from .bookmeta import BookMetadata, book_metadata
from .model import Block, Chapter, Image, SceneBreak, Story
from .pages import chapter_contents, contents, credits, title_page
from .render import E, EPUB_TYPE, XHTML_NS, afterword, chapter_parts, metadata_list, preface, story_header

__all__ = ["BookMetadata", "BookPlan", "Entry", "Links", "Part", "Resource", "Target", "book_metadata", "compose",
           "part_body", "story_contents"]


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

    id: str                      # "cover", "titlepage", "contents", "story-001-title", "story-001", "story-001-02",
                                 # "story-001-02-2" (a chapter's second piece), "credits"
    kind: str                    # cover | titlepage | toc | story-title | story | credits
    title: str                   # the document's title
    language: str
    story: int | None = None     # a toc part with a story: that story's chapters (a single story's contents)
    landmark: str | None = None  # EPUB landmark type (cover, titlepage, toc, bodymatter)
    landmark_title: str = ""
    chapter: int | None = None   # a story's text: the chapter it shows (1-based)
    span: tuple[int, int] | None = None  # the chapter's blocks it holds: a long chapter is cut into pieces
    closing: bool = False        # the story's last text part: its end notes follow


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

    def story_parts(self, index: int) -> tuple[Part, ...]:
        return tuple(p for p in self.parts if p.story == index)

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
    lang = book.language
    parts = [Part("cover", "cover", book.title, lang, landmark="cover", landmark_title="Cover")]
    resources = {r.name: r for r in [_cover_resource(book)]}
    toc: list[Entry] = []
    if book.is_anthology:
        parts += [Part("titlepage", "titlepage", book.title, lang, landmark="titlepage", landmark_title="Title page"),
                  Part("contents", "toc", "Contents", lang, landmark="toc", landmark_title="Contents")]
        toc.append(Entry("Contents", Target("contents")))
    for index, story in enumerate(book.stories):
        story_parts = _story_parts(story, index, book.is_anthology)
        if story_contents(book):  # after the story's title page, as a book's contents follow its title page
            story_parts.insert(1, Part("contents", "toc", "Contents", story_parts[0].language, index,
                                       landmark="toc", landmark_title="Contents"))
        parts += story_parts
        toc.append(story_entry(story, index, story_parts))
        for image in story_images(story):
            name = f"images/{image.name}"
            resources.setdefault(name, Resource(name, image.media_type, partial(_image_bytes, image)))  # shared: once
    if book.is_anthology:
        parts.append(Part("credits", "credits", "Credits", lang, landmark="backmatter", landmark_title="Credits"))
        toc.append(Entry("Credits", Target("credits")))
    return BookPlan(book, book_metadata(book), tuple(parts), tuple(toc), tuple(resources.values()))


def story_contents(book: Book) -> bool:
    """Whether the book is one story in several chapters, which gets a contents page of its chapters.
    A one-chapter story has nothing to list (its title page leads straight into its text); an
    anthology's contents lists its stories, even a collection of one."""
    return not book.is_anthology and len(book.stories) == 1 and len(book.stories[0].chapters) > 1


def _cover_resource(book: Book) -> Resource:
    """The user's --cover, or the drawn one (drawn only when a backend shows it)."""
    load, media = (partial(bytes, book.info.cover), book.info.cover_type) if book.info.cover else (
        partial(_cover, book), "image/png")
    name = "images/cover" + _SUFFIX.get(media, ".png")
    return Resource(name, media, load, cover=True)


def _story_parts(story: Story, index: int, anthology: bool) -> list[Part]:
    """A story's title page, then its text: one part per chapter, a long chapter in pieces. The
    anthology's stories begin at the first one's title page; a single story at its text."""
    title, lang, first = story_title(story), story.meta.language or "en", index == 0
    opening = Part(_title_id(index), "story-title", title, lang, index,
                   landmark=("bodymatter" if anthology else "titlepage") if first else None,
                   landmark_title=("Stories" if anthology else "Title page") if first else "")
    text = []
    for number, chapter in enumerate(story.chapters, 1):
        for piece, span in enumerate(pieces(chapter.blocks), 1):
            text.append(Part(_text_id(index, number, piece), "story", title, lang, index, chapter=number,
                             span=span))
    if not text:  # a story with no chapters still has its end notes
        text.append(Part(_text_id(index), "story", title, lang, index))
    text[-1] = replace(text[-1], closing=True)
    if first and not anthology:
        text[0] = replace(text[0], landmark="bodymatter", landmark_title="Start of the story")
    return [opening, *text]


_SUFFIX = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp"}

# A chapter's document past this many bytes of text is cut in pieces: e-readers page a long
# document slowly, and Adobe's RMSDK (older Kobos, Nooks) refuses one over 300 KB; calibre cuts at 260.
PIECE_BYTES = 200_000


def pieces(blocks: tuple[Block, ...], limit: int = PIECE_BYTES) -> list[tuple[int, int]]:
    """The chapter's blocks as (start, end) ranges of at most about `limit` bytes of text: cut at
    the last scene break of a piece where it has one (the break opens the next), else between paragraphs."""
    sizes = [len(b.text.encode("utf-8")) + 32 for b in blocks]
    out, start, total, last_break = [], 0, 0, None
    for i, size in enumerate(sizes):
        if total + size > limit and i > start:
            cut = last_break if last_break is not None else i
            out.append((start, cut))
            start, total, last_break = cut, sum(sizes[cut:i]), None
        if isinstance(blocks[i], SceneBreak) and i > start:
            last_break = i
        total += size
    out.append((start, len(blocks)))
    return out


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


def _text_id(index: int, chapter: int = 1, piece: int = 1) -> str:
    """"story-001" (its first chapter), "story-001-02", "story-001-02-2" (the second piece of chapter 2)."""
    name = f"story-{index + 1:03d}" + (f"-{chapter:02d}" if chapter > 1 else "")
    return name + (f"-{piece}" if piece > 1 else "")


def story_entry(story: Story, index: int, parts: list[Part] | None = None) -> Entry:
    """A story's contents entry: its title page, and its chapters where it has several."""
    chapters = ()
    if len(story.chapters) > 1:
        starts = {p.chapter: p.id for p in parts or () if p.kind == "story" and p.span and p.span[0] == 0}
        chapters = tuple(Entry(c.heading or f"Chapter {i}", Target(starts.get(i, _text_id(index, i)), f"chapter-{i}"))
                         for i, c in enumerate(story.chapters, 1))
    return Entry(story_title(story), Target(_title_id(index)), chapters)


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
        elements = [_contents(plan, part, links)]
    elif part.kind == "story-title":
        elements = story_title_page(story)
    elif part.kind == "story":
        elements = text_part(story, part)
    elif part.kind == "credits":
        elements = [credits(book)]
    else:
        raise ValueError(f"unknown part kind {part.kind!r}")
    for element in elements:
        _address_images(element, plan, links)
    return elements


def _contents(plan: BookPlan, part: Part, links: Links) -> etree._Element:
    """The anthology's contents (its stories), or a single story's (its chapters, as the contents
    tree has them); each line with its link and, where the renderer knows it, its page."""
    if part.story is None:
        targets = [Target(_title_id(i)) for i in range(len(plan.book.stories))]
        return contents(plan.book, [(links.href(t), links.page(t)) for t in targets])
    chapters = plan.entry(_title_id(part.story)).children
    return chapter_contents([(c.title, links.href(c.target), links.page(c.target)) for c in chapters])


def story_body(plan: BookPlan, index: int, links: Links) -> list[etree._Element]:
    """A story's whole text as one flow (the PDF lays a story out at once), images addressed."""
    elements = story_text(plan.book.stories[index])
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
    alt += f", {book.byline}" if book.byline else ""
    image = next(r for r in plan.resources if r.cover)
    return E.section({EPUB_TYPE: "cover", "class": "cover", "aria-label": "Cover"},
                     E.img({"role": "doc-cover"}, src=image.name, alt=alt))


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


SCENE_ORNAMENT = "*\u2003*\u2003*"  # asterisks: every reading system's font has them


def _ornamented(elements: list[etree._Element]) -> list[etree._Element]:
    """Each scene break shown without CSS generated content (which calibre's conversions and some
    readers drop): an ornament in the markup after the <hr>, which keeps the break's meaning for
    assistive technology; the ornament is hidden from it, so the break is said once. The EPUB's
    text parts only: print draws its own ornament (print.css), and a normalized story document
    keeps the bare <hr> of CONTRACT.md."""
    for element in elements:
        for hr in list(element.iter(f"{{{XHTML_NS}}}hr")):
            if "scene-break" in (hr.get("class") or "").split():
                hr.addnext(E.p(SCENE_ORNAMENT, {"class": "scene-ornament", "aria-hidden": "true"}))
    return elements


def text_part(story: Story, part: Part) -> list[etree._Element]:
    """One text part: a chapter, or a piece of one (its notes before the first piece, its end
    notes after the last), and after the story's last part its end notes."""
    if part.chapter is None:
        return _ornamented(story_text(story))
    chapter = story.chapters[part.chapter - 1]
    start, end = part.span or (0, len(chapter.blocks))
    elements = chapter_parts(_piece(chapter, start, end), part.chapter, 2)
    if start > 0:  # a piece after the first: no heading of its own, and an id of its own
        section = next(e for e in elements if e.get(EPUB_TYPE) == "chapter")
        section.set("id", f"{section.get('id')}-{part.id.rsplit('-', 1)[-1]}")
        section.set("aria-label", f"{chapter.heading or f'Chapter {part.chapter}'} (continued)")
    return _ornamented(elements + (afterword(story.meta.end_notes, 2, "End Notes") if part.closing else []))


def _piece(chapter: Chapter, start: int, end: int) -> Chapter:
    whole = start == 0 and end == len(chapter.blocks)
    if whole:
        return chapter
    first, last = start == 0, end == len(chapter.blocks)
    return replace(chapter, blocks=chapter.blocks[start:end], heading=chapter.heading if first else None,
                   summary=chapter.summary if first else (), notes=chapter.notes if first else (),
                   end_notes=chapter.end_notes if last else ())

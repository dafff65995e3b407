"""Book -> the content documents of the book, in reading order, with their contents entries.

A single story is one document: its title, preface, chapters and end notes. An anthology is a
cover, a title page, a contents page (each story with its author, pairing, rating and words),
then per story a title page in the manner of AO3's preface followed by its text, and last a
credits page naming every source and author.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..book import Book, TocEntry, source_name, story_title
from ..errors import StoryError, story_failure
from ..model import Image, Story
from ..parallel import Crash, parallel_map
from ..render import (
    E, EPUB_TYPE, afterword, chapter_parts, document, join_names, metadata_list, preface, serialize, story_header,
    story_parts,
)
from .cover import cover_image


@dataclass(frozen=True)
class Resource:
    uid: str
    name: str
    media_type: str
    data: bytes
    cover: bool = False


@dataclass(frozen=True)
class BookDocument:
    uid: str
    name: str                      # path inside the package folder: "text/story-001.xhtml"
    content: bytes                 # the serialised XHTML document
    kind: str                      # cover, titlepage, toc, story-title, story, credits
    toc: tuple[TocEntry, ...] = ()
    landmark: str | None = None    # EPUB 3 landmark type (bodymatter, toc, ...)
    landmark_title: str = ""
    resources: tuple[Resource, ...] = ()


def book_documents(book: Book, stylesheets: list[str]) -> list[BookDocument]:
    if not book.is_anthology:
        story = book.stories[0]
        return [_single_story(story, stylesheets)]
    docs = [cover_document(book, stylesheets), title_page(book, stylesheets), contents_page(book, stylesheets)]
    global _JOB
    _JOB = (book, stylesheets)  # forked workers read the book from here instead of unpickling it
    try:
        for number, story_docs in enumerate(parallel_map(_render_story, range(1, len(book.stories) + 1)), 1):
            if isinstance(story_docs, Crash):
                raise StoryError(f"left out of the book: rendering it failed ({story_docs.reason})",
                                 book.stories[number - 1].source, number - 1)
            docs += story_docs
    finally:
        _JOB = None
    docs.append(credits_page(book, stylesheets))
    return docs


_JOB: tuple[Book, list[str]] | None = None


def _render_story(number: int) -> list[BookDocument]:
    book, stylesheets = _JOB
    story = book.stories[number - 1]
    with story_failure(story.source, number - 1):
        return story_documents(story, number, stylesheets, first=number == 1)


def _single_story(story: Story, stylesheets: list[str]) -> BookDocument:
    name = "text/story-001.xhtml"
    with story_failure(story.source, 0):
        tree = document(story_title(story), story.meta.language or "en", story_parts(story), stylesheets,
                        body_class="story")
    return BookDocument("story-001", name, serialize(tree), "story", toc=(story_toc(story, name),),
                        landmark="bodymatter", landmark_title="Start of the story", resources=image_resources(story))


def image_resources(story: Story) -> tuple[Resource, ...]:
    """The images a story's text and notes show (bundled with an EPUB input), each once."""
    blocks = list(story.meta.summary) + [b for n in story.meta.notes + story.meta.end_notes for b in n.blocks]
    for c in story.chapters:
        blocks += list(c.blocks) + list(c.summary) + [b for n in c.notes + c.end_notes for b in n.blocks]
    found = {b.name: b for b in blocks if isinstance(b, Image)}
    return tuple(Resource(f"img-{name.split('.')[0]}", f"images/{name}", img.media_type, img.data)
                 for name, img in sorted(found.items()))


def story_toc(story: Story, href: str, chapters_href: str | None = None) -> TocEntry:
    """Story -> its contents entry, with chapters only where it has several."""
    chapters = ()
    if len(story.chapters) > 1:
        base = chapters_href or href
        chapters = tuple(TocEntry(c.heading or f"Chapter {i}", f"{base}#chapter-{i}")
                         for i, c in enumerate(story.chapters, 1))
    return TocEntry(story_title(story), href, chapters)


# ------------------------------------------------------------------ anthology pages
def cover_document(book: Book, stylesheets: list[str]) -> BookDocument:
    image = Resource("cover-image", "images/cover.png", "image/png", cover_image(book), cover=True)
    alt = f"Cover: {book.title}" + (f", {book.collection}" if book.collection and book.collection != book.title else "")
    body = [E.section({EPUB_TYPE: "cover", "class": "cover", "aria-label": "Cover"},
                      E.img({"role": "doc-cover"}, src="../images/cover.png", alt=alt))]
    tree = document(book.title, book.language, body, stylesheets, body_class="cover")
    return BookDocument("cover", "text/cover.xhtml", serialize(tree), "cover", landmark="cover", landmark_title="Cover",
                        resources=(image,))


def title_page(book: Book, stylesheets: list[str]) -> BookDocument:
    section = E.section({EPUB_TYPE: "titlepage", "class": "titlepage", "aria-label": "Title page"},
                        E.h1(book.title))
    if book.collection and book.collection != book.title:
        section.append(E.p(book.collection, {"class": "collection"}))
    section.append(E.p(book.count_line, {"class": "count"}))
    if book.authors:
        section.append(E.p("by " + join_names(book.authors), {"class": "byline"}))
    if book.editors:
        section.append(E.p("edited by " + join_names(book.editors), {"class": "editors"}))
    tree = document(book.title, book.language, [section], stylesheets, body_class="titlepage")
    return BookDocument("titlepage", "text/titlepage.xhtml", serialize(tree), "titlepage",
                        toc=(TocEntry("Title Page", "text/titlepage.xhtml"),),
                        landmark="titlepage", landmark_title="Title page")


def contents_page(book: Book, stylesheets: list[str]) -> BookDocument:
    items = []
    for number, story in enumerate(book.stories, 1):
        link = E.a(story_title(story), href=f"story-{number:03d}-title.xhtml")
        details = story_line(story)
        entry = E.li(E.p(link, {"class": "toc-title"}))
        if details:
            entry.append(E.p(details, {"class": "toc-details"}))
        items.append(entry)
    nav = E.section({EPUB_TYPE: "toc", "role": "doc-toc", "class": "contents", "aria-labelledby": "contents-title"},
                    E.h2("Contents", id="contents-title"), E.ol(*items, {"class": "contents"}))
    tree = document("Contents", book.language, [nav], stylesheets, body_class="contents")
    return BookDocument("contents", "text/contents.xhtml", serialize(tree), "toc",
                        toc=(TocEntry("Contents", "text/contents.xhtml"),), landmark="toc",
                        landmark_title="Contents")


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


def story_documents(story: Story, number: int, stylesheets: list[str], first: bool) -> list[BookDocument]:
    """A story's own title page (AO3-style preface) and its text (chapters and end notes)."""
    lang = story.meta.language or "en"
    title_name = f"text/story-{number:03d}-title.xhtml"
    text_name = f"text/story-{number:03d}.xhtml"
    front = [story_header(story, 1, story_title(story)), *(preface(story, 2) or [_bare_preface(story)])]
    title_tree = document(story_title(story), lang, front, stylesheets, body_class="story-titlepage")
    parts = []
    for i, chapter in enumerate(story.chapters, 1):
        parts += chapter_parts(chapter, i, 2)
    parts += afterword(story.meta.end_notes, 2, "End Notes")
    text_tree = document(story_title(story), lang, parts, stylesheets, body_class="story")
    toc = story_toc(story, title_name, chapters_href=text_name)
    return [BookDocument(f"story-{number:03d}-title", title_name, serialize(title_tree), "story-title", toc=(toc,),
                         landmark="bodymatter" if first else None, landmark_title="Stories" if first else ""),
            BookDocument(f"story-{number:03d}", text_name, serialize(text_tree), "story",
                         resources=image_resources(story))]


def _bare_preface(story: Story) -> etree._Element:
    return E.section({EPUB_TYPE: "preface", "role": "doc-preface", "class": "preface",
                      "aria-label": "About this story"}, metadata_list(story))


def credits_page(book: Book, stylesheets: list[str]) -> BookDocument:
    items = []
    for story in book.stories:
        meta = story.meta
        line = E.li(E.cite(story_title(story)))
        line[-1].tail = " by " + join_names(meta.authors) if meta.authors else " (author not stated)"
        source = source_name(story)
        extra = [f"from {source}"]
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
    tree = document("Credits", book.language, [section], stylesheets, body_class="credits")
    return BookDocument("credits", "text/credits.xhtml", serialize(tree), "credits",
                        toc=(TocEntry("Credits", "text/credits.xhtml"),))


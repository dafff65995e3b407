"""The book's own pages: Book -> the XHTML of its title page, contents page (its stories, or a single
story's chapters) and credits.

What these pages say is written here and nowhere else; `compose.part_body` places them in a plan,
and every backend renders them as they are. They name people, never the tool, and sources by
their title and address, never by a file name.
"""
from __future__ import annotations

from typing import Iterable

from lxml import etree

from .book import Book, story_title
from .model import Story, series_number
from .render import E, EPUB_TYPE, join_names


def title_page(book: Book) -> etree._Element:
    section = E.section({EPUB_TYPE: "titlepage", "class": "titlepage", "aria-label": "Title page"},
                        E.h1(book.title))
    if book.collection and book.collection != book.title:
        section.append(E.p(book.collection, {"class": "collection"}))
    if book.series_line:
        section.append(E.p(book.series_line, {"class": "series"}))
    if book.count_line:
        section.append(E.p(book.count_line, {"class": "count"}))
    if book.creators:
        section.append(E.p("by " + join_names(book.creators), {"class": "byline"}))
    if book.editors:
        section.append(E.p("edited by " + join_names(book.editors), {"class": "editors"}))
    return section


def contents(book: Book, entries: Iterable[tuple[str, int | None]]) -> etree._Element:
    """Each story with its author, pairing, rating and words; `entries` gives each story's link and,
    where the renderer knows it, the page it starts on."""
    items = []
    for story, (href, page) in zip(book.stories, entries):
        entry = E.li(_line(story_title(story), href, page))
        entry.append(E.p(story_line(story), {"class": "toc-details"}))
        items.append(entry)
    return _contents_page(items)


def chapter_contents(entries: Iterable[tuple[str, str, int | None]]) -> etree._Element:
    """A single story's contents: each chapter by its heading, from (heading, link, page) where the
    renderer knows the page (else print finds it itself, `target-counter`)."""
    return _contents_page([E.li(_line(title, href, page)) for title, href, page in entries])


def _line(title: str, href: str, page: int | None) -> etree._Element:
    link = E.a(title, href=href)
    if page is not None:  # laid out apart from the stories: the page is known, and printed as it is
        link.set("data-page", str(page))
    return E.p(link, {"class": "toc-title"})


def _contents_page(items: list[etree._Element]) -> etree._Element:
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


def credits(book: Book) -> etree._Element:
    """Every story by its title, author, series, address and date; the stories whose sources name
    no author are said once, at the end."""
    items = [_credit(story) for story in book.stories]
    section = E.section({EPUB_TYPE: "credits", "role": "doc-credits", "class": "credits",
                         "aria-labelledby": "credits-title"},
                        E.h2("Credits", id="credits-title"),
                        E.p("Every story in this book belongs to its author. Sources, in the order they appear:"),
                        E.ul(*items))
    unsigned = [story_title(s) for s in book.stories if not s.meta.authors]
    if unsigned:  # said once, not after every line
        section.append(E.p("Author not stated: " + join_names(unsigned) + "."))
    if book.authors:
        section.append(E.p("Authors: " + join_names(sorted(book.authors, key=str.casefold)) + "."))
    section.append(E.p("Bound with bookbinder.", {"class": "colophon"}))
    return section


def _credit(story: Story) -> etree._Element:
    meta = story.meta
    line = E.li(E.cite(story_title(story)))
    if meta.authors:
        line[-1].tail = " by " + join_names(meta.authors)
    extra = []
    if meta.series:
        index = series_number(meta.series_index)
        extra.append(f"part {index} of {meta.series}" if index is not None else f"in the series {meta.series}")
    if meta.url:
        extra.append(meta.url)
    if meta.published:
        extra.append(f"published {meta.published}")
    if extra:
        line.append(E.span(" — " + ", ".join(extra), {"class": "source"}))
    return line

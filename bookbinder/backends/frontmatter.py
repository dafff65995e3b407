"""Book -> the content documents of the book, in reading order, with their contents entries.

A single story is one document. An anthology (later issue) adds a cover, a title page, a
contents page, a title page per story and a credits page.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..book import Book, TocEntry, story_title
from ..model import Story
from ..render import document, story_parts


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
    tree: etree._ElementTree
    kind: str                      # cover, titlepage, toc, story, credits
    toc: tuple[TocEntry, ...] = ()
    landmark: str | None = None    # EPUB 3 landmark type (bodymatter, toc, ...)
    landmark_title: str = ""
    resources: tuple[Resource, ...] = ()


def book_documents(book: Book, stylesheets: list[str]) -> list[BookDocument]:
    docs = [story_document(story, i, stylesheets, first=i == 1) for i, story in enumerate(book.stories, 1)]
    return docs


def story_document(story: Story, number: int, stylesheets: list[str], first: bool = False) -> BookDocument:
    name = f"text/story-{number:03d}.xhtml"
    tree = document(story_title(story), story.meta.language or "en", story_parts(story), stylesheets,
                    body_class="story")
    return BookDocument(uid=f"story-{number:03d}", name=name, tree=tree, kind="story",
                        toc=(story_toc(story, name),), landmark="bodymatter" if first else None,
                        landmark_title="Start of the story" if first else "")


def story_toc(story: Story, href: str) -> TocEntry:
    """Story -> its contents entry, with chapters only where it has several."""
    chapters = ()
    if len(story.chapters) > 1:
        chapters = tuple(TocEntry(c.heading or f"Chapter {i}", f"{href}#chapter-{i}")
                         for i, c in enumerate(story.chapters, 1))
    return TocEntry(story_title(story), href, chapters)

"""Read a plain-text story: text -> Story.

The run order: YAML front matter, Project Gutenberg boilerplate, units (paragraph
candidates), back matter, front matter, the book's own front (title page, contents), then
chapters, scene breaks and paragraphs.
"""
from __future__ import annotations

from ..errors import InputError
from ..model import Diagnostic, Story
from ..sidecar import apply_overrides, take_front_matter
from .aozora import strip_aozora
from .ao3text import is_ao3_text, read_ao3_text
from .fanficfare import is_fanficfare_text, read_fanficfare_text
from .fields import FieldSet
from .gutenberg import drop_book_front, strip_gutenberg
from .header import Matter
from .pdftext import rejoin_pages
from .segment import Unit, segment
from .structure import build_chapters


def read_text(text: str, source: str) -> Story:
    overrides, text, diagnostics = take_front_matter(text)
    book_fields = FieldSet()
    lines = text.split("\n")
    if is_fanficfare_text(lines):  # the layouts that say what they are come first
        story = read_fanficfare_text(lines, source, diagnostics)
    else:
        lines = strip_aozora(strip_gutenberg(lines, book_fields, diagnostics), book_fields, diagnostics)
        starts: list[int] = []  # where each PDF page opens: AO3's PDF opens every chapter on a page
        lines = rejoin_pages(lines, diagnostics, starts)
        story = read_ao3_text(lines, source, diagnostics, starts) if is_ao3_text(lines) else None
        story = story or read_units(segment(lines), source, diagnostics, book_fields)
    return apply_overrides(story, overrides, "YAML front matter") if overrides else story


def read_units(units: list[Unit], source: str, diagnostics: list[Diagnostic], book: FieldSet | None = None) -> Story:
    """Units -> Story: back matter, front matter, the book's own front, then chapters.

    Shared by every reader whose source does not mark its structure (plain text, generic HTML)."""
    matter = Matter(units)
    matter.take_back()
    matter.take_front()
    fields = _merge(book, matter.fields) if book else matter.fields
    body = drop_book_front(matter.units, fields, diagnostics)
    chapters = build_chapters(body, diagnostics)
    if not any(c.blocks for c in chapters):
        raise InputError("holds no story text (only headers, notes or markers)", source)
    return Story(source, fields.metadata(), chapters, tuple(matter.diagnostics + diagnostics))


def _merge(book: FieldSet, story: FieldSet) -> FieldSet:
    """Fields the container states (a Gutenberg header, an HTML head) fill what the text did not."""
    if book.title and story.title and story.title.casefold() == book.title.casefold():
        story.title = book.title  # "THE LITTLE LAMP" on the title page; the header's "Title:" is cased
    for name in ("title", "language", "published", "updated"):
        if getattr(story, name) is None:
            setattr(story, name, getattr(book, name))
    story.authors = story.authors or book.authors
    story.notes = book.notes + story.notes  # the book's front matter (a translator's note) comes first
    story.end_notes = story.end_notes + book.end_notes  # and its colophon last
    return story

"""Read a plain-text story: text -> Story.

The run order: YAML front matter, Project Gutenberg boilerplate, units (paragraph
candidates), back matter, front matter, the book's own front (title page, contents), then
chapters, scene breaks and paragraphs.
"""
from __future__ import annotations

from ..errors import InputError
from ..model import Diagnostic, Story
from ..sidecar import apply_overrides, take_front_matter
from ..accounting import missing_words
from .fields import FieldSet
from .gutenberg import drop_book_front, strip_gutenberg
from .header import Matter
from .pdftext import rejoin_pages
from .segment import Unit, marked_headings, segment
from .webtext import strip_download_site, underlined_headings
from .sites import keep_unplaced, of_kind
from .structure import build_chapters


def read_text(text: str, source: str) -> Story:
    overrides, text, diagnostics = take_front_matter(text)
    book_fields = FieldSet()
    lines = strip_gutenberg(text.split("\n"), book_fields, diagnostics)
    lines = strip_download_site(lines, book_fields, diagnostics)
    starts: list[int] = []  # where each PDF page opens: AO3's PDF opens every chapter on a page
    lines = rejoin_pages(lines, diagnostics, starts)
    story = _by_layout(lines, source, diagnostics, starts)
    if story is None:
        lines, headings = underlined_headings(lines)
        story = read_units(marked_headings(segment(lines), headings), source, diagnostics, book_fields)
    return apply_overrides(story, overrides, "YAML front matter") if overrides else story


def _by_layout(lines: list[str], source: str, diagnostics: list[Diagnostic], starts: list[int]) -> Story | None:
    """The text read by the first site layout that claims it and finds a story; one that leaves
    words unplaced keeps its reading and the words (`sites.keep_unplaced`)."""
    for layout in of_kind("text"):
        if not layout.matches(lines):
            continue
        story = layout.read(lines, source, list(diagnostics), starts)
        if story is None:
            continue
        story = story.with_(diagnostics=story.diagnostics + (Diagnostic("layout-recognized", f"read as {layout.name}"),))
        missing = missing_words("\n".join(lines), story)
        if missing:
            story = keep_unplaced(story, segment(lines), missing, layout.name)
            if story is None:
                diagnostics.append(Diagnostic("layout-incomplete", f"looked like {layout.name}, but reading it so "
                                              "would miss most of its text; read as it is instead",
                                              " ".join(sorted(missing))))
                continue
        return story
    return None


def read_units(units: list[Unit], source: str, diagnostics: list[Diagnostic], book: FieldSet | None = None,
               titled: bool = False) -> Story:
    """Units -> Story: back matter, front matter, the book's own front, then chapters. `titled`: the
    title is stated outside the text (front matter, a package), so a first heading is the text's.

    Shared by every reader whose source does not mark its structure (plain text, generic HTML)."""
    matter = Matter(units)
    matter.take_back()
    matter.take_front(titled)
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

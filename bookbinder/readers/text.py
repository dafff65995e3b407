"""Read a plain-text story: text -> Story.

The run order: YAML front matter, Project Gutenberg boilerplate, units (paragraph
candidates), back matter, front matter, the book's own front (title page, contents), then
chapters, scene breaks and paragraphs.
"""
from __future__ import annotations

from ..errors import InputError
from ..model import Diagnostic, Story
from ..sidecar import apply_overrides, split_front_matter
from .fields import FieldSet
from .gutenberg import drop_book_front, strip_gutenberg
from .header import Matter
from .segment import segment
from .structure import build_chapters


def read_text(text: str, source: str) -> Story:
    overrides, rest = split_front_matter(text)
    diagnostics: list[Diagnostic] = []
    if overrides:
        diagnostics.append(Diagnostic("front-matter-read", "YAML front matter read as metadata",
                                      text[:len(text) - len(rest)]))
        text = rest
    book_fields = FieldSet()
    lines = strip_gutenberg(text.split("\n"), book_fields, diagnostics)
    matter = Matter(segment(lines))
    matter.take_back()
    matter.take_front()
    fields = _merge(book_fields, matter.fields)
    body = drop_book_front(matter.units, fields, diagnostics)
    chapters = build_chapters(body, diagnostics)
    if not any(c.blocks for c in chapters):
        raise InputError("holds no story text (only headers, notes or markers)", source)
    story = Story(source, fields.metadata(), chapters, tuple(matter.diagnostics + diagnostics))
    return apply_overrides(story, overrides, "YAML front matter") if overrides else story


def _merge(book: FieldSet, story: FieldSet) -> FieldSet:
    """Gutenberg's header fields fill what the text itself did not state."""
    for name in ("title", "language", "published"):
        if getattr(story, name) is None:
            setattr(story, name, getattr(book, name))
    story.authors = story.authors or book.authors
    return story

"""What a site layout reader gathers while it walks a page or a text: fields, chapters, reports.

Every layout in `readers.sites` reads its site's house habits into a `WorkReader` (or a subclass
that knows the site's labels), which then makes the Story the same way for all of them: chapters
from headings, notes and end notes kept apart from the text, the text read by the shared stages.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..model import Block, Chapter, Diagnostic, Note, Story
from .fields import FieldSet
from .html import ImageLoader, units_of
from .patterns import chapter_heading
from .segment import Unit
from .structure import body_blocks


@dataclass
class ChapterParts:
    """One chapter as a layout reader gathers it: heading, summary, notes, text units, end notes."""
    heading: str | None = None
    summary: tuple[Block, ...] = ()
    notes: list[Note] = field(default_factory=list)
    end_notes: list[Note] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    elements: list = field(default_factory=list)


class WorkReader:
    """What a layout reader gathers while it walks a page: fields, chapters, reports."""

    def __init__(self, source: str, images: ImageLoader | None) -> None:
        self.source, self.images = source, images
        self.fields = FieldSet()
        self.diagnostics: list[Diagnostic] = []
        self.chapters: list[ChapterParts] = []
        self.afterword = False

    def drop(self, what: str, text: str) -> None:
        self.diagnostics.append(Diagnostic("cruft-dropped", f"{what} dropped", text))

    def blocks(self, element: etree._Element) -> tuple[Block, ...]:
        """All of an element's text as blocks: a summary or a note whose second paragraph opens
        "Warnings:" is that summary's, not a note of its own (which was dropped here once)."""
        units = units_of([element], self.diagnostics, self.images)
        return body_blocks([units], self.diagnostics, edge_notes=False)[0][1]

    def content(self, element: etree._Element) -> None:
        if not self.chapters:
            self.chapters.append(ChapterParts())
        self.chapters[-1].elements.append(element)
        self.chapters[-1].units += units_of([element], self.diagnostics, self.images, headings=True)

    def heading(self, text: str) -> None:
        if self.chapters and not self.chapters[-1].units and self.chapters[-1].heading is None:
            self.chapters[-1].heading = text  # notes came first (a saved chapter page)
        else:
            self.chapters.append(ChapterParts(heading=text))

    # -- the result
    def story(self) -> Story | None:
        parts = [c for c in self.chapters if c.units or c.heading]
        if not any(c.units for c in parts):
            return None
        bodies = body_blocks([c.units for c in parts], self.diagnostics)
        chapters = []
        for c, (notes, blocks, end_notes) in zip(parts, bodies):
            h = chapter_heading(c.heading) if c.heading else None
            label, title = (h[0], h[1]) if h else (None, c.heading)
            if len(parts) == 1 and c.heading and h and not title:
                label = None  # a one-shot's "Chapter 1" is no heading
            chapters.append(Chapter(c.heading if (label or title) else None, blocks, summary=c.summary,
                                    notes=tuple(c.notes) + notes, end_notes=end_notes + tuple(c.end_notes),
                                    title=title, label=label))
        return Story(self.source, self.fields.metadata(), tuple(chapters), tuple(self.diagnostics))




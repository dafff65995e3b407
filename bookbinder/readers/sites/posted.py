"""A story text posted inside a site's page: one element of the page -> a chapter of the Story.

fanfiction.net's #storytext, a Royal Road chapter, a Dreamwidth entry, a forum post: the site
states the title, the author and its tags around the text, and the author's own habits live in
it (a "Title:" / "Summary:" header block, a disclaimer, A/N paragraphs, "Chapter One" lines that
repeat the page's chapter title, a review plea, "The End"). `PostReader` reads the text by the
shared stages (`header.Matter`, as a plain text is read), then lets what the site states win:
the text's own header only fills what the page left unsaid, and nothing it held is lost
(a second summary becomes a note; a repeated title or heading is reported as dropped).
"""
from __future__ import annotations

import datetime
import re

from lxml import etree

from ...model import Diagnostic, Note
from ..fields import FieldSet
from ..header import Matter, is_note_start, note_label, strip_label
from ..inline import paragraph
from ..html import units_of
from ..patterns import chapter_heading, is_marker
from ..segment import Unit
from ..work import ChapterParts, WorkReader

_SCALARS = ("title", "rating", "series", "status", "language", "published", "updated", "stated_words", "url")
_LISTS = ("warnings", "categories", "characters", "pairings", "tags")
_PUNCT = re.compile(r"[\W_]+")
_END_NOTE_UNITS = 16  # paragraphs from the end of a post where a lone note label may stand


def epoch_date(value: str | None) -> str | None:
    """Seconds since 1970 ("1553758816", a site's data-xutime or unixtime) -> "2019-03-28" (UTC)."""
    if not value or not value.strip().isdigit():
        return None
    when = datetime.datetime.fromtimestamp(int(value.strip()), datetime.timezone.utc)
    return when.date().isoformat() if 1990 <= when.year <= 2100 else None


def same_words(a: str | None, b: str | None) -> bool:
    """"Prologue ." and "prologue" are the same words; None is never the same as anything."""
    return a is not None and b is not None and _PUNCT.sub(" ", a).strip().casefold() == \
        _PUNCT.sub(" ", b).strip().casefold()


class _PostMatter(Matter):
    """The shared front-matter reading, less its first rule: on a site's page the title is the
    page's, so the text's first short line is never taken for one (it is a heading, or the story)."""

    def take_front(self) -> None:
        i = 0
        while i < len(self.units) - 1:
            step = self._front_unit(i)
            if not step:
                break
            i += step
        self.units = self.units[i:]


class PostReader(WorkReader):
    """A WorkReader for pages whose story text sits in one element per chapter."""

    def post(self, element: etree._Element, heading: str | None = None) -> None:
        """One chapter: the element's text, its own header and trailer read into the fields."""
        units = units_of([element], self.diagnostics, self.images, headings=True)
        units = self._own_front(units, heading)
        matter = _PostMatter(units)
        matter.take_back()
        matter.take_front()
        self.diagnostics += matter.diagnostics
        rest = self._own_front(self._labelled_end(matter.units), heading)
        self._fill(matter.fields)
        self.chapters.append(ChapterParts(heading=heading, units=rest, elements=[element]))

    def _own_front(self, units: list[Unit], heading: str | None) -> list[Unit]:
        """Leading lines that repeat what the page states (the story's title, "Chapter One", the
        chapter's title) and edge markers: dropped, reported. The page's heading is the chapter's."""
        names = [self.fields.title, heading, chapter_heading(heading)[1] if heading and chapter_heading(heading) else None]
        while len(units) > 1:
            text = units[0].text
            if is_marker(text) or not _PUNCT.sub("", text):
                what = "a scene-break marker before the story"
            elif any(same_words(text, name) for name in names) or (units[0].single and chapter_heading(text)):
                what = "the text's own title or chapter heading (the page states it)"
            elif any(same_words(re.sub(r"^\s*(?:written\s+)?by\b:?", "", text, flags=re.I), a) for a in self.fields.authors):
                what = "the text's own byline (the page states the author)"
            else:
                break
            self.drop(what, text)
            units = units[1:]
        return units

    def _labelled_end(self, units: list[Unit]) -> list[Unit]:
        """A label alone ("A/N:", "Author's Notes:") near the end of a post opens the author's note,
        which runs to the end of the post (the shared stages look only at the last few paragraphs)."""
        start = max(1, len(units) - _END_NOTE_UNITS)
        for k in range(start, len(units) - 1):
            if is_note_start(units[k].text) and not strip_label(units[k].text):
                after = sum(len(u.text.split()) for u in units[k + 1:])
                if after * 4 > sum(len(u.text.split()) for u in units):
                    return units  # a quarter of the post or more: story, not a note
                blocks = tuple(paragraph(u.text) for u in units[k + 1:])
                self.fields.end_notes.append(Note(blocks, note_label(units[k].text)))
                self.diagnostics.append(Diagnostic("note-moved", f"{units[k].text!r} and what follows it, to the "
                                                   "end of the post, moved to the end notes",
                                                   "\n".join(u.text for u in units[k:])))
                return units[:k]
        return units

    def _fill(self, found: FieldSet) -> None:
        """What the text's own header states, where the page said nothing (the page wins)."""
        fields = self.fields
        for name in _SCALARS:
            if getattr(fields, name) is None:
                setattr(fields, name, getattr(found, name))
        for name in _LISTS:
            getattr(fields, name).extend(getattr(found, name))
        fields.authors = fields.authors or found.authors
        fields.fandoms = fields.fandoms or found.fandoms
        if found.summary and fields.summary:  # the page's summary is the story's; the text's is kept as a note
            fields.notes.append(Note(tuple(found.summary), "Summary"))
        else:
            fields.summary = fields.summary or found.summary
        fields.notes += found.notes
        fields.end_notes += found.end_notes

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
from collections import Counter
from dataclasses import replace

from lxml import etree

from ...accounting import words
from ...model import Diagnostic, Note
from ..fields import FieldSet, field_of
from ..header import Matter, is_note_start, note_label, strip_label
from ..inline import paragraph
from ..html import block_text, spaced_text, units_of
from ..patterns import chapter_heading, is_marker
from ..segment import Unit
from ..work import ChapterParts, WorkReader

_SCALARS = ("title", "rating", "series", "status", "language", "published", "updated", "stated_words", "url")
_LISTS = ("warnings", "categories", "characters", "pairings", "tags")
_PUNCT = re.compile(r"[\W_]+")
_KEY_VALUE = re.compile(r"^\s*(?P<key>[A-Za-z][\w ()'’/&.-]{0,40}?)\s*:\s*\S")
_END_NOTE_UNITS = 16  # paragraphs from the end of a post where a lone note label may stand
_HEAD_UNITS = 12  # paragraphs from the top of a post where its own chapter heading may stand


def epoch_date(value: str | None) -> str | None:
    """Seconds since 1970 ("1553758816", a site's data-xutime or unixtime) -> "2019-03-28" (UTC)."""
    if not value or not value.strip().isdigit():
        return None
    when = datetime.datetime.fromtimestamp(int(value.strip()), datetime.timezone.utc)
    return when.date().isoformat() if 1990 <= when.year <= 2100 else None


def page_text(element: etree._Element) -> str:
    """An element's text for a report: its words spaced at every element edge, then the words the
    page runs together ("Sign Up</span><a>FanFiction"), which a reader sees as one word."""
    spaced = spaced_text(element)
    joined = Counter(words(block_text(element))) - Counter(words(spaced))
    runs = [t for t in block_text(element).split() if any(w in joined for w in words(t))]
    return f"{spaced} (run together on the page: {' '.join(runs)})" if runs else spaced


def precedes(a: etree._Element, b: etree._Element) -> bool:
    """Whether `a` comes before `b` in their document (by identity: lxml makes a new proxy, with a
    new id(), each time it hands out an element no one holds)."""
    for el in a.getroottree().iter():
        if el is a or el is b:
            return el is a
    return False


def same_words(a: str | None, b: str | None) -> bool:
    """"Prologue ." and "prologue" are the same words; None is never the same as anything."""
    return a is not None and b is not None and _PUNCT.sub(" ", a).strip().casefold() == \
        _PUNCT.sub(" ", b).strip().casefold()


def _as_text(units: list[Unit]) -> tuple[list[Unit], dict[int, Unit]]:
    """A page's units as the shared stages read a text's: every block a paragraph of its own (a
    blank line before it: a "Notes:" paragraph must not carry on into the story below it), and a
    block of "Key: value" lines parted by <br> one line per field. Also: the page's unit for each."""
    out, original = [], {}
    for u in units:
        if not u.single and u.image is None and (m := _KEY_VALUE.match(u.lines[0])) and field_of(m["key"]):
            rich = u.rich or tuple((line,) for line in u.lines)
            out += [Unit((line,), u.gap + 1 if i == 0 else 0, rich=(inl,), align=u.align)
                    for i, (line, inl) in enumerate(zip(u.lines, rich))]
        else:
            shifted = replace(u, gap=u.gap + 1)
            original[id(shifted)] = u
            out.append(shifted)
    return out, original


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

    subject: str | None = None  # what the page calls the post being read
    part: ChapterParts | None = None  # the chapter being read
    later = False  # whether it follows another (its notes are its own, not the story's)

    def post(self, element: etree._Element, heading: str | None = None, subject: str | None = None) -> None:
        """One chapter: the element's text, its own header and trailer read into the fields.
        `subject`: what the page calls the post (a journal entry's subject), the story's title
        unless the text's own header names one."""
        self.subject = subject
        # The first post's notes are the story's; a later post's are its chapter's.
        self.part = ChapterParts(heading=heading, elements=[element])
        self.later = bool(self.chapters)
        units = units_of([element], self.diagnostics, self.images, headings=True)
        units, original = _as_text(self._own_front(self._before_heading(units, heading), heading))
        matter = _PostMatter(units)
        matter.take_back()
        matter.take_front()
        self.diagnostics += matter.diagnostics
        rest = [original.get(id(u)) or replace(u, gap=max(0, u.gap - 1)) for u in matter.units]
        self.part.units = self._own_front(self._labelled_end(rest), heading)
        self._fill(matter.fields)
        self.fields.title = self.fields.title or subject
        self.chapters.append(self.part)

    def _note(self, note: Note, end: bool = False) -> None:
        notes = (self.part.end_notes if end else self.part.notes) if self.later else \
            (self.fields.end_notes if end else self.fields.notes)
        notes.append(note)

    def _names(self, heading: str | None) -> list[str | None]:
        """What the page calls the story and this chapter: a line of the text saying one repeats it."""
        h = chapter_heading(heading) if heading else None
        return [self.fields.title, self.subject, heading, h[1] if h else None]

    def _repeats(self, unit: Unit, heading: str | None) -> bool:
        return any(same_words(unit.text, name) for name in self._names(heading)) or \
            (unit.single and chapter_heading(unit.text) is not None)

    def _before_heading(self, units: list[Unit], heading: str | None) -> list[Unit]:
        """Where the text repeats the page's title or chapter heading near its top, what comes
        before that line is the author's (a disclaimer, a summary, a note): read as front matter,
        and what the shared stages do not place is kept as an author's note. The story starts there."""
        k = next((i for i, u in enumerate(units[:_HEAD_UNITS]) if i and self._repeats(u, heading)), None)
        total = sum(len(u.text.split()) for u in units)
        if k is None or sum(len(u.text.split()) for u in units[:k]) * 4 > total:
            return units
        front, _ = _as_text(units[:k + 1])  # the heading last: the shared stages never take the last unit
        matter = _PostMatter(front)
        matter.take_front()
        self.diagnostics += matter.diagnostics
        self._fill(matter.fields)
        left = [u for u in matter.units[:-1] if _PUNCT.sub("", u.text) and not is_marker(u.text)]
        if left:
            self._note(Note(tuple(paragraph(u.text) for u in left), "Author's Note"))
            self.diagnostics.append(Diagnostic("note-moved", "text before the chapter's own heading moved to the "
                                               "notes", "\n".join(u.text for u in left)))
        for u in matter.units[:-1]:
            if u not in left:
                self.drop("a marker before the chapter's own heading", u.text)
        return units[k:]

    def _own_front(self, units: list[Unit], heading: str | None) -> list[Unit]:
        """Leading lines that repeat what the page states (the story's title, "Chapter One", the
        chapter's title) and edge markers: dropped, reported. The page's heading is the chapter's."""
        while len(units) > 1:
            text = units[0].text
            if is_marker(text) or not _PUNCT.sub("", text):
                what = "a scene-break marker before the story"
            elif self._repeats(units[0], heading):
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
                self._note(Note(blocks, note_label(units[k].text)), end=True)
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
        if found.summary and self.later:
            self.part.summary = tuple(found.summary)
        elif found.summary and fields.summary:  # the page's summary is the story's; the text's is kept as a note
            self._note(Note(tuple(found.summary), "Summary"))
        else:
            fields.summary = fields.summary or found.summary
        for note in found.notes:
            self._note(note)
        for note in found.end_notes:
            self._note(note, end=True)

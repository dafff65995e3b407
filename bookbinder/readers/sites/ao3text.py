"""Text pulled out of AO3's PDF download (pdftotext, plain or -layout): the same story as the HTML.

The PDF is AO3's HTML download printed (otwarchive app/views/downloads/), so its text runs:
"Preface", the title, "Posted originally on the Archive of Our Own at URL.", the tag list as
"Label:" lines with their values below (or beside) them, "Stats:", the title again, "by" and the
creators, "Summary" and "Notes" with their text, related works ("Translation into … available"),
"See the end of the work for more notes"; then each chapter ("Chapter 3: Title", or for a one-shot
the title once more) with "Chapter Summary", "Chapter Notes", "See the end of the chapter for notes"
and "Chapter End Notes"; then "Afterword", "End Notes", "Works inspired by this one:" and "Please
drop by the Archive and comment …". Labels name what follows them; the text has no other marks, so a
chapter's summary or notes run to the next label, or, where none follows, one paragraph.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ...model import Diagnostic, Note, Story
from ..work import ChapterParts
from .ao3 import RELATED_WORKS, TAG_LABELS, Ao3Work
from .ao3columns import is_columns, tag_columns
from ..inline import paragraph
from ..patterns import is_marker
from ..segment import Unit, segment

_POSTED = re.compile(r"^posted originally on the archive of our own\b", re.IGNORECASE)
_LABEL = re.compile(r"^(?P<label>[A-Z][A-Za-z ]{2,20}):\s*(?P<value>.*)$")
_CHAPTER = re.compile(r"^Chapter (?P<n>\d+)(?::\s*(?P<title>.+))?$")
_SEE_END = re.compile(r"^\(?see the end of the (?P<what>work|chapter) for (?:more )?notes\.?\)?$", re.IGNORECASE)
_PLEASE = re.compile(r"^please drop by the archive and comment\b", re.IGNORECASE)
_SECTIONS = {"summary", "notes", "chapter summary", "chapter notes", "chapter end notes", "end notes",
             "works inspired by this one",  # Chromium's print of the download has no colon
             "works inspired by this one:"}
# the labels the afterword may hold
_AFTERWORD_SECTIONS = {"end notes", "works inspired by this one:", "works inspired by this one"}
_UNENDED = re.compile(r"[^.!?…,;:\"”’')\]]$")  # a line that does not end a sentence or clause


def is_ao3_text(lines: list[str]) -> bool:
    head = [line.strip() for line in lines[:80] if line.strip()][:12]
    return any(_POSTED.match(line) for line in head)


def read_ao3_text(lines: list[str], source: str, diagnostics: list[Diagnostic],
                  starts: list[int] | tuple[int, ...] = ()) -> Story | None:
    """AO3 PDF text -> Story; `starts` are the lines that open a page (rejoin_pages), if known."""
    r = Ao3Work(source, None)
    r.diagnostics += diagnostics
    start = _preface(lines, r)
    if start is None:
        return None
    rest = lines[start:]
    opens = [i - start for i in starts if start <= i < len(lines)]
    headings = {rest[i].strip() for i in opens if _page_heading(rest, i)} - {r.fields.title}
    units = segment(_labels_alone(rest, r.fields.title, headings))
    # Blank lines in a PDF's text are the layout's spacing; AO3's scene breaks are rules or marker lines.
    body = _Body(r, [replace(u, gap=1) for u in units])
    body.headings, body.openers = headings, {rest[i].strip() for i in opens if rest[i].strip()}
    body.walk()
    return r.story()


def _page_heading(lines: list[str], i: int) -> bool:
    """AO3's PDF (Chromium's print of the download) opens each chapter on a page of its own under
    its title alone ("Prologue", "Part 2", "Female Reader/Male Werewolf"): a short line that ends
    without punctuation, is no label or message, and is followed by a label or a longer line."""
    t = lines[i].strip()
    if (not t or len(t) > 80 or _UNENDED.search(t) is None or t[0].islower() or _LABEL.match(t) or is_marker(t)
            or t.casefold() in _SECTIONS | {"afterword", "preface"} or _SEE_END.match(t) or _PLEASE.match(t)):
        return False
    after = next((line.strip() for line in lines[i + 1:i + 4] if line.strip()), "")
    # a label, or prose that runs on (a verse line atop a page is followed by another of its kind)
    return after.casefold() in _SECTIONS or len(after) > 1.5 * len(t) and not after[:1].islower()


def _labels_alone(lines: list[str], title: str | None, headings: set[str] = frozenset()) -> list[str]:
    """Each label, heading and message on a paragraph of its own: the text gives them no blank lines."""
    out: list[str] = []
    for line in lines:
        t = line.strip()
        low = t.casefold()
        alone = (low in _SECTIONS or low == "afterword" or t == title or _CHAPTER.match(t) or _SEE_END.match(t)
                 or is_marker(t) or t.startswith("Chapter by ") or t in headings)
        opens = alone or _PLEASE.match(t) or RELATED_WORKS.match(t.lstrip("•· "))
        out += [""] if opens else []
        out.append(line)
        out += [""] if alone else []
    return out


def _preface(lines: list[str], r: Ao3Work) -> int | None:
    """The title, the posted-at line, the tag list and the byline; the index of the line after them."""
    text = [line.strip() for line in lines]
    posted = next(i for i, t in enumerate(text) if _POSTED.match(t))
    top = [t for t in text[:posted] if t]
    if top and top[0].casefold() == "preface":
        r.drop("AO3 section heading", top.pop(0))
    r.fields.title = " ".join(top) or None
    i = posted
    said = []
    while i < len(text) and text[i] and len(said) < 4:
        said.append(text[i])
        i += 1
        if said[-1].endswith("."):
            break
    if m := re.search(r"at (https?://\S+?)\.?$", "".join(said[-2:]) if len(said) > 1 else said[0]):
        r.fields.url = m.group(1)
    r.drop("AO3 message", " ".join(said))
    i = _columns(text, i, r) if is_columns(text, i) else _rows(text, i, r)
    if i is None:
        return None
    while i < len(text) and (not text[i] or text[i] == r.fields.title):
        if text[i]:
            r.drop("AO3 title, repeated over the byline", text[i])
        i += 1
    if i < len(text) and text[i].startswith("by "):
        by = text[i]
        r.fields.authors += _names(by[3:])
        r.diagnostics.append(Diagnostic("header-field", "AO3 byline read as the authors", by))
        i += 1
    return i


def _rows(text: list[str], i: int, r: Ao3Work) -> int | None:
    """The tag list as rows ("Label:" with its value beside or below it); the line after it, or
    None when what follows the posted-at line is no tag list."""
    label, value = None, []
    while i < len(text):
        t = text[i]
        m = _LABEL.match(t)
        if m and m["label"].casefold() in TAG_LABELS:
            _tag(r, label, value)
            label, value = m["label"], [m["value"]] if m["value"] else []
        elif label and t and t != r.fields.title:
            value.append(t)
        elif label and (value or t == r.fields.title):
            break  # the blank line or the title after the last entry
        elif not label and t:
            return None
        i += 1
    _tag(r, label, value)
    return i


def _columns(text: list[str], i: int, r: Ao3Work) -> int:
    """The tag list as plain pdftotext prints it, labels first, then values (`ao3columns`)."""
    start = i
    pairs, left, i = tag_columns(text, i, r.fields.title)
    for label, value in pairs:
        _tag(r, label, value)
    if left:
        r.diagnostics.append(Diagnostic("header-field", "AO3 tag list: values that fit no label left unread",
                                        "\n".join(left)))
    if not pairs:
        r.diagnostics.append(Diagnostic("header-field", "AO3 tag list read, but its values could not be matched "
                                        "to its labels", "\n".join(t for t in text[start:i] if t)))
    return i


def _names(byline: str) -> list[str]:
    """"a, b and c" -> the creators an AO3 byline names."""
    return [a.strip() for a in re.split(r",\s*|\s+and\s+", byline) if a.strip()]


def _tag(r: Ao3Work, label: str | None, value: list[str]) -> None:
    if label is None:
        return
    joined = " ".join(value)
    r.tag(label, [v.strip() for v in joined.split(",")], joined, f"{label}: {joined}")


class _Body:
    """Walks the units after the byline, routing each by the last label seen."""

    def __init__(self, r: Ao3Work, units: list[Unit]) -> None:
        self.r, self.units = r, units
        self.where = "start"   # the label the text now under it follows
        self.once = False      # that label holds one paragraph only (no closing label follows it)
        self.next_chapter = 1
        self.headings: set[str] = set()  # chapter titles alone atop a page (`_page_heading`)
        self.openers: set[str] = set()   # the first line of every page

    def walk(self) -> None:
        before = ""
        for k, u in enumerate(self.units):
            t = u.text.strip()
            low = t.casefold()
            opens_text = self._opens_text(u, before)
            before = t
            if (see := _SEE_END.match(t)) or _PLEASE.match(t):
                self.r.drop("AO3 message", t)
                if see and see["what"].casefold() == "work":
                    self.where = "start"  # the preface goes on: related works, then the text
                elif self.where not in {"afterword", "end notes", "inspired"}:
                    self.where = "text"
            elif low in _SECTIONS and (not self.r.afterword or low in _AFTERWORD_SECTIONS):
                self.r.drop("AO3 label", t)
                self.where = "inspired" if low.startswith("works inspired") else low
                self.once = low in {"chapter summary", "chapter notes"} and not self._label_ahead(k)
            elif (m := _CHAPTER.match(t)) and int(m["n"]) == self.next_chapter and not self.r.afterword:
                self.next_chapter += 1
                self.r.chapters.append(ChapterParts(heading=t))
                self.where = "text"
            elif t in self.headings and not self.r.afterword:
                self.next_chapter += 1
                self.r.chapters.append(ChapterParts(heading=t))
                self.where = "text"
            elif t.startswith("Chapter by ") and self.r.chapters and not self.r.chapters[-1].units:
                self.r.fields.authors += [a for a in _names(t[len("Chapter by "):]) if a not in self.r.fields.authors]
                self.r.diagnostics.append(Diagnostic("header-field", "AO3 chapter byline read", t))
            elif low == "afterword":
                self.r.afterword = True
                self.r.drop("AO3 section heading", t)
                self.where = "afterword"
            elif not self.r.chapters and RELATED_WORKS.match(t.lstrip("•· ")):
                self._note(self.r.fields.notes, u, "Related Works")
            elif not self.r.chapters and self.where in {"start", "summary", "notes"} and t == self.r.fields.title:
                self.r.drop("AO3 title heading", t)  # a one-shot's text opens under its title
                self.r.chapters.append(ChapterParts())
                self.where = "text"
            else:
                if opens_text:  # a one-shot's text opens the page after the preface, under no heading
                    self.r.chapters.append(ChapterParts())
                    self.where = "text"
                self._route(u)

    def _opens_text(self, u: Unit, before: str) -> bool:
        """The first paragraph on a new page, after a preface that ended there, starts the story."""
        return (not self.r.chapters and self.where in {"start", "summary", "notes"} and u.lines[0] in self.openers
                and (_SEE_END.match(before) is not None or _UNENDED.search(before) is None))

    def _label_ahead(self, k: int) -> bool:
        """A "See the end of the chapter" line or "Chapter Notes" label closes this summary or note."""
        for u in self.units[k + 1:k + 40]:
            t = u.text.strip()
            if _SEE_END.match(t) or t.casefold() == "chapter notes":
                return True
            if _CHAPTER.match(t) or t.casefold() in {"afterword", "chapter end notes"}:
                return False
        return False

    def _route(self, u: Unit) -> None:
        r, where = self.r, self.where
        current = r.chapters[-1] if r.chapters else None
        if where == "summary" and not current:
            r.fields.summary.append(paragraph(u.text))
        elif where in {"notes", "start"} and not current:
            self._note(r.fields.notes, u, "Notes")
        elif where == "chapter summary" and current:
            current.summary += (paragraph(u.text),)
        elif where == "chapter notes" and current:
            self._note(current.notes, u, "Notes")
        elif where == "chapter end notes" and current:
            self._note(current.end_notes, u, "End Notes")
        elif where in {"end notes", "afterword"}:
            self._note(r.fields.end_notes, u, "End Notes")
        elif where == "inspired":
            r.drop("AO3 list of works inspired by this one", u.text)
        else:
            if current is None:
                current = ChapterParts()
                r.chapters.append(current)
            current.units.append(u)
        if self.once:
            self.where, self.once = "text", False

    def _note(self, notes: list[Note], u: Unit, label: str) -> None:
        """Paragraphs of one note gather into it; the report names where they went."""
        if notes and notes[-1].label == label:
            notes[-1] = Note(notes[-1].blocks + (paragraph(u.text),), label)
        else:
            notes.append(Note((paragraph(u.text),), label))
        self.r.diagnostics.append(Diagnostic("note-moved", f"AO3 {label.casefold()} moved out of the story text", u.text))

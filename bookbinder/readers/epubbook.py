"""An EPUB's planned pieces -> Story: chapters where the book's navigation puts them.

Input: the `Piece`s of `epubplan` over the segments of `epubsplit`, and the package's fields.
Output: a Story whose chapters are the pieces the nav names as chapters (headed by the document's
own heading, or by the nav's title where the document has none), whose notes and end notes are
the author's front and back matter, with the book's furniture (cover, title page, contents,
copyright, the publisher's pages) dropped and said, a title page's "Label: value" lines read first.
Where the plan cannot be trusted with the chapters (`usable`: one chapter, or a nav that names
too little of the text), the text is handed back to be read as one page, which is never worse.
"""
from __future__ import annotations

import re

from lxml import etree

from ..model import Diagnostic, Note, Story
from .epubplan import FURNITURE, Book, Piece
from .fields import FieldSet, field_of
from .html import ImageLoader, block_text, units_of
from .patterns import chapter_heading
from .segment import Unit
from .structure import body_blocks
from .work import ChapterParts, WorkReader

_LEAD_WORDS = 500     # an opening the nav does not name, shorter than this, is an epigraph, not a chapter
_METADATA_KINDS = {"titlepage"}  # a copyright page's "Release Date:" is the file's, not the story's
_KEY_VALUE = re.compile(r"^(?P<key>[^:]{1,30}?)\s*:\s*(?P<value>\S.{0,300})$")
_BY = re.compile(r"^by\s*:?\s+(?P<name>\S.{0,80})$", re.IGNORECASE)
_GENERIC = re.compile(r"^(main|section|split|part|text|index|page|chapter|html|file)?[\s_-]*\d*$", re.IGNORECASE)
_SAID_KINDS = {"titlepage": "title page", "copyright-page": "copyright page", "toc": "contents page",
               "ads": "advertising page", "producer": "producer's credit", "empty": "page of headings alone",
               "licence": "licence", "cover": "cover page", "colophon": "colophon"}
_LABELS = {"titlepage": "Title Page", "copyright-page": "Copyright", "about": "About", "afterword": "Afterword",
           "notes": "Notes", "acknowledgments": "Acknowledgments", "foreword": "Foreword", "dedication": "Dedication",
           "epigraph": "Epigraph", "appendix": "Appendix", "glossary": "Glossary", "bibliography": "Bibliography"}


def usable(book: Book, pieces: list[Piece]) -> str:
    """How far the plan can be trusted: "chapters" (two or more chapters holding at least half of
    the text kept), "matter" (its front and back matter, but not its chapters: one chapter, or a
    nav naming too little of the text), or "" (nothing: it holds less than half of the text)."""
    def words(p: Piece) -> int:
        return sum(s.words for s in book.segments[p.start:p.end])
    kept = [p for p in pieces if p.kind not in FURNITURE]
    body = [p for p in kept if _role(p, words(p)) in {"chapter", "part"}]
    total, in_body = sum(map(words, kept)), sum(map(words, body))
    if in_body < total / 2:
        return ""
    return "chapters" if sum(_role(p, words(p)) == "chapter" for p in body) >= 2 else "matter"


def _role(piece: Piece, words: int) -> str:
    if piece.role == "lead":
        return "front" if words < _LEAD_WORDS else "chapter"
    return piece.role


def read_pieces(book: Book, pieces: list[Piece], fields: FieldSet, source: str, diagnostics: list[Diagnostic],
                images: ImageLoader | None, trust: str) -> tuple[Story | None, list[etree._Element]]:
    """The pieces -> (Story, []) when `trust` is "chapters"; else (None, the bodies to read as one
    page): the body's pieces where the front and back matter are trusted ("matter"), every piece
    but the furniture where nothing is."""
    reader = WorkReader(source, images)
    reader.fields, reader.diagnostics = fields, diagnostics
    text: list[etree._Element] = []
    for piece in pieces:
        bodies = [s.body for s in book.segments[piece.start:piece.end]]
        words = sum(s.words for s in book.segments[piece.start:piece.end])
        role = _role(piece, words)
        if trust != "chapters" and piece.kind not in FURNITURE and (not trust or role in {"chapter", "part"}):
            text += bodies
        elif role == "chapter":
            reader.chapters.append(_chapter(piece, bodies, reader))
        elif role == "part":
            _said(reader, "part-divider", f"{_name(piece)}: a divider between chapters (the book keeps no parts)",
                  bodies)
        elif piece.kind in FURNITURE or role == "front" and not words and not piece.kind:
            _furniture(piece, bodies, role, reader)
        else:
            _matter(piece, bodies, role, reader)
    return (reader.story() if trust == "chapters" else None), text


def _name(piece: Piece) -> str:
    return repr(piece.title) if _named(piece.title) else "a page"


def _named(title: str) -> str | None:
    """The nav's title, unless it is only a file's name ("Main0", "Section 3")."""
    return title if title and not _GENERIC.match(title) else None


def _said(reader: WorkReader, code: str, message: str, bodies: list[etree._Element]) -> None:
    text = " ".join(" ".join(block_text(b).split()) for b in bodies).strip()
    if text:
        reader.diagnostics.append(Diagnostic(code, message, text))


def _furniture(piece: Piece, bodies: list[etree._Element], role: str, reader: WorkReader) -> None:
    """The book's own cover, title page, contents, copyright or the publisher's pages: dropped and
    said; a title page or copyright page is read for what it states first."""
    if piece.kind in _METADATA_KINDS:
        _read_labels(bodies, reader)
    kind = _SAID_KINDS.get(piece.kind or "empty", piece.kind.replace("-", " "))
    _said(reader, "front-matter-dropped" if role == "front" else "back-matter-dropped",
          f"{_name(piece)} dropped: the book's own {kind}", bodies)


def _read_labels(bodies: list[etree._Element], reader: WorkReader) -> None:
    """'Label: value' lines (third-party downloaders' title pages) fill what the package left empty."""
    found = FieldSet()
    for unit in units_of(bodies, [], None, headings=True):
        for line in unit.lines:
            m, by = _KEY_VALUE.match(line.strip()), _BY.match(line.strip())
            if by:
                found.add("authors", by["name"])
            elif m and (name := field_of(m["key"])) and name not in {"notes", "summary"}:
                found.add(name, m["value"])
    fields = reader.fields
    for name, value in vars(found).items():
        if value and not getattr(fields, name):
            setattr(fields, name, value)
            said = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            reader.diagnostics.append(Diagnostic("header-field", f"the book's title page states its {name}", said))


def _matter(piece: Piece, bodies: list[etree._Element], role: str, reader: WorkReader) -> None:
    """Front matter (an epigraph, a foreword) as a note, back matter (an afterword) as an end note."""
    units = units_of(bodies, reader.diagnostics, reader.images, headings=True)
    heading = units[0].text if units and units[0].heading and len(units) > 1 else None
    units = units[1:] if heading else units  # its heading names the note
    if not units:
        return
    blocks = body_blocks([units], reader.diagnostics, edge_notes=False)[0][1]
    label = heading or _named(piece.title) or _LABELS.get(piece.kind) or (
        "Front Matter" if role == "front" else "End Matter")
    (reader.fields.notes if role == "front" else reader.fields.end_notes).append(Note(blocks, label))
    where = "notes" if role == "front" else "end notes"
    _said(reader, "front-matter-moved" if role == "front" else "back-matter-moved",
          f"{_name(piece)} ({piece.kind or 'the book’s own matter'}) moved out of the text into the {where}", bodies)


def _chapter(piece: Piece, bodies: list[etree._Element], reader: WorkReader) -> ChapterParts:
    """A chapter: its notes (EPUB 3 footnote/annotation asides) apart, its heading found."""
    end_notes = []
    for body in bodies:
        for aside in [el for el in body.iter() if "epub-note" in (el.get("class") or "").split()]:
            if any("epub-note" in (a.get("class") or "").split() for a in aside.iterancestors()):
                continue  # inside a note already taken
            note = _take(aside, reader)
            if note is not None:
                end_notes.append(note)
    units = units_of(bodies, reader.diagnostics, reader.images, headings=True)
    heading, units = chapter_heading_of(units, piece.title)
    return ChapterParts(heading=heading, units=units, end_notes=end_notes)


def _take(aside: etree._Element, reader: WorkReader) -> Note | None:
    units = units_of([aside], reader.diagnostics, reader.images)
    parent = aside.getparent()
    if parent is not None:  # out of the text, its tail kept
        prev = aside.getprevious()
        if aside.tail:
            if prev is not None:
                prev.tail = (prev.tail or "") + aside.tail
            else:
                parent.text = (parent.text or "") + aside.tail
        parent.remove(aside)
    if not units:
        return None
    blocks = body_blocks([units], reader.diagnostics, edge_notes=False)[0][1]
    reader.diagnostics.append(Diagnostic("note-moved", "a footnote or annotation moved out of the text into the "
                                                       "chapter's end notes", " ".join(u.text for u in units)))
    return Note(blocks, "Notes")


def _fold(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def chapter_heading_of(units: list[Unit], title: str) -> tuple[str | None, list[Unit]]:
    """(the chapter's heading, its units without it): the document's first heading, or the nav's
    title where the document's heading is only its start ("190" for "190 A Four-Leaved Clover"), or
    a first line that is the nav's title (calibre's <p> headings); else the nav's title, unless it
    is only a file's name ("Main0", "Section 3")."""
    named = _named(title)
    if units and units[0].heading:
        heading, rest = units[0].text, units[1:]
        if named and _fold(named).startswith(_fold(heading)) and len(_fold(named)) > len(_fold(heading)):
            return named, rest
        h = chapter_heading(heading)
        if h and not h[1] and rest and rest[0].heading and rest[1:]:
            return f"{heading}: {rest[0].text}", rest[1:]  # "Chapter 3" over its title
        return heading, rest
    if named and units and units[0].single and _fold(units[0].text) == _fold(named):
        return units[0].text, units[1:]
    return named, units

"""Read an RTF document: RTF bytes -> paragraphs of styled runs -> HTML -> the HTML reader -> Story.

A small reader of its own, since the libraries on PyPI give plain text (striprtf) and the story
needs its emphasis: one pass of a tokenizer over the file, a stack of group states. It keeps
paragraphs (`\\par`, table cells), line breaks (`\\line`), bold, italic, underline and strike,
centred and right alignment, headings (`\\outlinelevelN`, as Word and pandoc write them), indented
paragraphs as blockquotes (pandoc's and Word's quotes), page breaks as rules; characters from
`\\uN` (with its fallback skipped) and `\\'hh` in the document's code page (`\\ansicpg`, else
cp1252). Destinations that are not text (font and colour tables, pictures, objects, headers,
footers, field instructions, `{\\*...}`) are skipped, `\\binN` data jumped over; footnotes become
the end notes, and `{\\info}`'s title and author fill the metadata.

Linear time whatever the input: one regex scan; groups nested deeper than `MAX_DEPTH` keep the
state of the deepest (nothing is cut); the text is at most what the file holds.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace

from lxml import etree
from lxml.html import builder as E

from ..clean.xmlsafe import xml_safe
from ..errors import InputError
from ..model import Diagnostic, Note, Story
from .ao3flat import unflatten
from .fields import FieldSet
from .html import parse_page
from .inline import paragraph
from .page import read_page

MAX_DEPTH = 1024
_TOKEN = re.compile(r"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z'])|([{}])|[\r\n]+|([^\\{}\r\n]+)")
_SKIP = {"fonttbl", "colortbl", "stylesheet", "pict", "object", "header", "headerl", "headerr", "headerf", "footer",
         "footerl", "footerr", "footerf", "listtable", "listoverridetable", "revtbl", "rsidtbl", "generator",
         "xmlnstbl", "themedata", "colorschememapping", "latentstyles", "datastore", "fldinst", "filetbl",
         "mmathPr", "pgdsctbl", "operator", "bkmkstart", "bkmkend", "shp", "nonshppict", "private"}
_CAPTURE = {"info": None, "title": "title", "author": "author", "footnote": "footnote"}
_CHARS = {"emdash": "\u2014", "endash": "\u2013", "lquote": "\u2018", "rquote": "\u2019", "ldblquote": "\u201c",
          "rdblquote": "\u201d", "bullet": "\u2022", "tab": "\t", "emspace": "\u2003", "enspace": "\u2002"}
_ESCAPES = {"~": "\u00a0", "_": "\u2011", "-": "", "{": "{", "}": "}", "\\": "\\", "*": ""}
_MARKS = ("strong", "em", "u", "s")
_KNOWN_STARRED = re.compile(r"\\\*\s*\\footnote\b")  # pandoc writes {\*\footnote ...}
_TOGGLES = {"b": "strong", "i": "em", "ul": "u", "strike": "s", "striked": "s"}


@dataclass(frozen=True)
class _State:
    marks: frozenset = frozenset()
    skip: bool = False
    capture: str | None = None  # "title", "author", "footnote": where this group's text goes
    uc: int = 1                 # characters of ANSI fallback after \uN


@dataclass
class _Paragraph:
    runs: list
    align: str | None = None
    level: int | None = None  # a heading's outline level
    indent: int = 0
    rule: bool = False        # a page break


def read_rtf(data: bytes, source: str) -> Story:
    """RTF bytes -> Story."""
    if not data.lstrip().startswith(b"{\\rtf"):
        raise InputError("is not an RTF document (no {\\rtf header)", source)
    doc = _Reader(data.decode("latin-1")).read()
    html = E.HTML(E.BODY(*(_html(p) for p in doc.paragraphs if p.runs or p.level is None)))
    page = parse_page(etree.tostring(html, encoding="unicode", method="html"), source)
    fields, diagnostics = FieldSet(), []
    fields.title = " ".join(doc.captured.get("title", "").split()) or None
    author = " ".join(doc.captured.get("author", "").split())
    fields.authors = [author] if author else []
    notes = [n for n in (" ".join(n.split()) for n in doc.footnotes) if n]
    if notes:
        fields.end_notes.append(Note(tuple(paragraph(n) for n in notes), "Notes"))
        diagnostics.append(Diagnostic("note-moved", f"{len(notes)} footnotes moved to the end notes", "\n".join(notes)))
    unflatten(page.body, diagnostics)
    return read_page(page, source, diagnostics, container=fields)


def _html(p: _Paragraph):
    if p.rule:
        return E.HR()
    pieces = []
    for text, marks in p.runs:
        piece = E.SPAN(*_lines(text))
        for mark in (m for m in _MARKS if m in marks):
            piece = E.E(mark, piece)
        pieces.append(piece)
    if p.level is not None:
        return E.E(f"h{min(p.level + 1, 6)}", *pieces)
    element = E.P(*pieces, **({"align": p.align} if p.align else {}))
    return E.BLOCKQUOTE(element) if p.indent > 0 else element


def _lines(text: str) -> list:
    out: list = []
    for i, line in enumerate(xml_safe(text).split("\n")):  # controls an RTF may hold: no XML can
        out += ([E.BR()] if i else []) + [line]
    return out


class _Reader:
    """One pass over the RTF: paragraphs of (text, marks) runs, captured info fields, footnotes."""

    def __init__(self, text: str) -> None:
        self.text, self.codec = text, "cp1252"
        self.paragraphs: list[_Paragraph] = []
        self.current = _Paragraph([])
        self.captured: dict[str, str] = {}
        self.footnotes: list[str] = []
        self.stack: list[_State] = []
        self.state = _State()
        self.deeper = 0      # groups opened past MAX_DEPTH, not stacked
        self.fallback = 0    # ANSI characters still to skip after a \uN
        self.pending = bytearray()  # \'hh bytes waiting to be decoded together (a multibyte code page)

    def read(self) -> _Reader:
        pos, end = 0, len(self.text)
        while pos < end:
            m = _TOKEN.match(self.text, pos)
            if m is None:  # a lone backslash at the very end
                break
            pos = m.end()
            word, arg, hexa, symbol, brace, plain = m.groups()
            if hexa is not None:
                self._byte(int(hexa, 16))
                continue
            self._flush()
            if word is not None:
                pos = self._control(word, arg, pos)
            elif symbol is not None:
                self._symbol(symbol, m.group(0))
            elif brace is not None:
                self._brace(brace, pos)
            elif plain is not None:  # raw 8-bit text is in the document's code page too
                self._plain(plain if plain.isascii() else plain.encode("latin-1").decode(self.codec, "replace"))
        self._flush()
        self._end_paragraph()
        return self

    # -- groups
    def _brace(self, brace: str, pos: int) -> None:
        if brace == "{":
            if len(self.stack) >= MAX_DEPTH:
                self.deeper += 1
                return
            self.stack.append(self.state)
            if self.text.startswith("\\*", pos) and not _KNOWN_STARRED.match(self.text, pos):
                self.state = replace(self.state, skip=True)  # an optional destination this reader does not know
        elif self.deeper:
            self.deeper -= 1
        elif self.stack:
            closing, self.state = self.state, self.stack.pop()
            if closing.capture == "footnote" and self.state.capture != "footnote":
                self.footnotes.append(self.captured.pop("footnote", ""))

    # -- control words
    def _control(self, word: str, arg: str | None, pos: int) -> int:
        n = int(arg) if arg is not None else None
        if word == "bin" and n:
            return pos + max(n, 0)  # binary data: jumped over, never read as text
        if word in _SKIP:
            self.state = replace(self.state, skip=True)
        elif word in _CAPTURE:
            self.state = replace(self.state, capture=_CAPTURE[word], skip=word == "info" or self.state.skip)
            if word in {"title", "author"}:
                self.state = replace(self.state, skip=False)
        elif self.state.skip:
            return pos
        elif word in {"par", "sect", "row", "cell"}:
            self._end_paragraph()
        elif word == "page":
            self._end_paragraph()
            self.paragraphs.append(_Paragraph([], rule=True))  # a page break: a rule, as a DOCX's
        elif word == "line":
            self._plain("\n")
        elif word in _CHARS:
            self._plain(_CHARS[word])
        elif word == "u" and n is not None:
            self._plain(chr(n + 65536 if n < 0 else n) if 0 <= (n + 65536 if n < 0 else n) < 0x110000 else "")
            self.fallback = self.state.uc
        elif word == "uc" and n is not None:
            self.state = replace(self.state, uc=max(0, min(n, 8)))
        else:
            self._format(word, n)
        return pos

    def _format(self, word: str, n: int | None) -> None:
        if word in _TOGGLES:
            on = n != 0 and word != "ulnone"
            marks = self.state.marks | {_TOGGLES[word]} if on else self.state.marks - {_TOGGLES[word]}
            self.state = replace(self.state, marks=frozenset(marks))
        elif word in {"ulnone", "plain"}:
            drop = {"u"} if word == "ulnone" else set(_MARKS)
            self.state = replace(self.state, marks=frozenset(self.state.marks - drop))
        elif word == "pard":
            self.current.align, self.current.level, self.current.indent = None, None, 0
        elif word in {"qc", "qr"}:
            self.current.align = "center" if word == "qc" else "right"
        elif word == "outlinelevel" and n is not None and 0 <= n < 9:
            self.current.level = n
        elif word == "li" and n is not None:
            self.current.indent = n
        elif word == "ansicpg" and n:
            self.codec = f"cp{n}" if _known(f"cp{n}") else self.codec

    def _symbol(self, symbol: str, raw: str) -> None:
        if symbol in {"\n", "\r"}:
            self._end_paragraph()  # "\<newline>" is \par
        elif not self.state.skip:
            self._plain(_ESCAPES.get(symbol, ""))

    # -- text
    def _byte(self, value: int) -> None:
        if self.state.skip:
            return
        if self.fallback:
            self.fallback -= 1
            return
        self.pending.append(value)

    def _flush(self) -> None:
        if self.pending:
            text = bytes(self.pending).decode(self.codec, errors="replace")
            self.pending.clear()
            self._plain(text)

    def _plain(self, text: str) -> None:
        if self.state.skip:
            return
        if self.fallback:
            skipped, self.fallback = min(self.fallback, len(text)), max(0, self.fallback - len(text))
            text = text[skipped:]
        if self.state.capture:
            self.captured[self.state.capture] = self.captured.get(self.state.capture, "") + text
        elif text:
            runs = self.current.runs
            if runs and runs[-1][1] == self.state.marks:
                runs[-1] = (runs[-1][0] + text, runs[-1][1])
            else:
                runs.append((text, self.state.marks))

    def _end_paragraph(self) -> None:
        if self.state.capture:
            self._plain("\n")
            return
        if self.current.runs:
            self.paragraphs.append(self.current)
        else:
            self.paragraphs.append(_Paragraph([]))  # an empty paragraph: a blank line, as &nbsp; in HTML
        self.current = _Paragraph([], self.current.align, None, self.current.indent)


def _known(codec: str) -> bool:
    try:
        codecs.lookup(codec)
    except LookupError:
        return False
    return True

"""Read a FictionBook 2 book: FB2 (or .fb2.zip) bytes -> HTML -> the HTML reader -> Story.

`<description><title-info>` states the book: `book-title`, `author`s (first, middle and last
name, or a nickname), `genre`s and `keywords` (tags), `annotation` (the summary), `lang`, `date`
and `sequence` (the series). The main `<body>` becomes HTML: each `<section>`'s `<title>` a
heading (a chapter, as in any HTML; nested sections one level down), `<p>` paragraphs,
`<empty-line/>` a blank line, `<subtitle>` a centred line (often a "* * *" scene break),
`<epigraph>` and `<cite>` blockquotes (their `<text-author>` right-aligned), a `<poem>`'s
stanzas verse (a line each), `<emphasis>`, `<strong>`, `<strikethrough>` their HTML kin. A
`<body name="notes">` (footnotes) becomes the end notes; images are left out.

The XML is parsed with the other readers' hardened parser (no DTD, entities or network, depth
limited). Real FB2 files use entities they never declare (FBReader's own help book has
`&FBReaderVersion;`): such a file is parsed again with libxml2's recovery, which drops them, and
that is reported. A zipped FB2 is read with the EPUB reader's archive limits.
"""
from __future__ import annotations

from lxml import etree
from lxml.html import builder as E

from ..errors import InputError
from ..model import Diagnostic, Note, Story
from .ao3flat import unflatten
from .fields import FieldSet, parse_date, parse_language
from .html import parse_page
from .inline import paragraph
from .page import read_page
from .stated import prefer_stated
from .zipped import Zipped, xml_safe

_UNDECLARED = {"ERR_UNDECLARED_ENTITY", "WAR_UNDECLARED_ENTITY"}  # the one error recovery may mend
_INLINE = {"emphasis": "em", "strong": "strong", "strikethrough": "s", "sub": "sub", "sup": "sup", "code": "code"}
_NOTES = {"notes", "comments", "footnotes"}


def read_fb2(data: bytes, source: str) -> Story:
    """FB2 or zipped FB2 bytes -> Story."""
    diagnostics: list[Diagnostic] = []
    root = _parse(_unzipped(data, source), source, diagnostics)
    if _name(root) != "FictionBook":
        raise InputError("is not a FictionBook (FB2) document", source)
    fields = _description(_child(_child(root, "description"), "title-info"))
    bodies = [b for b in root if _name(b) == "body"]
    main = next((b for b in bodies if (b.get("name") or "").casefold() not in _NOTES), None)
    if main is None:
        raise InputError("is a FictionBook with no body text", source)
    for notes in (b for b in bodies if b is not main):
        fields.end_notes += _notes(notes, diagnostics)
    html = E.HTML(E.BODY(*_Walk().blocks(main, 1)))
    page = parse_page(etree.tostring(html, encoding="unicode", method="html"), source)
    unflatten(page.body, diagnostics)
    return prefer_stated(read_page(page, source, diagnostics, container=fields), fields, "FB2 description")


def _unzipped(data: bytes, source: str) -> bytes:
    if not data.startswith(b"PK\x03\x04"):
        return data
    archive = Zipped(data, source, "zipped FB2")
    books = [n for n in archive.names if n.lower().endswith(".fb2")]
    if len(books) != 1:
        raise InputError(f"is a zip holding {len(books)} .fb2 books; bookbinder reads one at a time", source)
    return archive.read(books[0])


def _parse(data: bytes, source: str, diagnostics: list[Diagnostic]) -> etree._Element:
    try:
        return xml_safe(data, source, "FB2")
    except InputError as exc:
        if "not defined" not in exc.detail:  # only an undeclared entity is repaired, never a cut or a nesting
            raise
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        said = " ".join(str(exc.msg).split())  # libxml2's message may hold a line break
        raise InputError(f"is a broken FB2: not well-formed XML ({said})", source) from None
    broken = next((e for e in parser.error_log if e.type_name not in _UNDECLARED), None)
    if root is None or broken is not None:  # recovery drops text at any other error: never silently
        said = " ".join(broken.message.split()) if broken is not None else "nothing left"
        raise InputError(f"is a broken FB2: not well-formed XML ({said})", source)
    diagnostics.append(Diagnostic("fb2-repaired", "the FB2 is not well-formed XML (an undeclared entity?); "
                                  "read with the parser's recovery, which drops what it cannot read"))
    return root


def _name(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _child(el, name: str):
    return None if el is None else next((c for c in el if _name(c) == name), None)


def _text(el) -> str:
    return " ".join(" ".join(el.itertext()).split()) if el is not None else ""


def _description(info) -> FieldSet:
    """title-info -> FieldSet."""
    fields = FieldSet()
    if info is None:
        return fields
    fields.title = _text(_child(info, "book-title")) or None
    for author in (c for c in info if _name(c) == "author"):
        parts = [_text(_child(author, n)) for n in ("first-name", "middle-name", "last-name")]
        name = " ".join(p for p in parts if p) or _text(_child(author, "nickname"))
        if name:
            fields.authors.append(name)
    fields.tags = [_text(c) for c in info if _name(c) == "genre" and _text(c)]
    fields.tags += [k.strip() for k in _text(_child(info, "keywords")).split(",") if k.strip()]
    annotation = _child(info, "annotation")
    fields.summary = [paragraph(_text(p)) for p in (annotation if annotation is not None else ()) if _text(p)]
    fields.language = parse_language(_text(_child(info, "lang"))) or None
    date = _child(info, "date")
    fields.published = parse_date(date.get("value") or _text(date)) if date is not None else None
    sequence = _child(info, "sequence")
    if sequence is not None:
        fields.series = (sequence.get("name") or "").strip() or None
    return fields


def _notes(body, diagnostics: list[Diagnostic]) -> list[Note]:
    """A notes body: one paragraph per note, its number (the section's title) first."""
    texts = []
    for section in (s for s in body.iter() if _name(s) == "section"):
        title = _text(_child(section, "title"))
        said = " ".join(_text(c) for c in section if _name(c) not in {"title", "section"})
        if said:
            texts.append(f"{title}. {said}" if title else said)
    if not texts:
        return []
    diagnostics.append(Diagnostic("note-moved", f"{len(texts)} FB2 notes moved to the end notes", "\n".join(texts)))
    return [Note(tuple(paragraph(t) for t in texts), "Notes")]


class _Walk:
    """An FB2 body's elements -> HTML elements."""

    def blocks(self, parent, level: int) -> list:
        out = []
        for el in parent:
            name = _name(el)
            if name == "title":
                out.append(E.E(f"h{min(level, 6)}", *self._lines(el)))
            elif name == "section":
                out += self.blocks(el, level + 1)
            elif name == "p":
                out.append(E.P(*self.inline(el)))
            elif name == "empty-line":
                out.append(E.P("\u00a0"))
            elif name in {"subtitle", "text-author"}:
                out.append(E.P(*self.inline(el), align="center" if name == "subtitle" else "right"))
            elif name in {"epigraph", "cite", "annotation"}:
                out.append(E.BLOCKQUOTE(*self.blocks(el, level)))
            elif name == "poem":
                out.append(E.DIV(*self._poem(el, level)))
            elif name == "table":
                out += [E.P(*self.inline(cell)) for row in el for cell in row if isinstance(cell.tag, str)]
        return out

    def _lines(self, title) -> list:
        """A title's paragraphs, one line each."""
        out: list = []
        for p in (c for c in title if _name(c) == "p"):
            out += ([E.BR()] if out else []) + self.inline(p)
        return out or [_text(title)]

    def _poem(self, poem, level: int) -> list:
        out = []
        for part in poem:
            name = _name(part)
            if name == "stanza":
                verses = [v for v in part if _name(v) == "v"]
                lines: list = []
                for v in verses:
                    lines += ([E.BR()] if lines else []) + self.inline(v)
                out.append(E.P(*lines))
            elif name in {"title", "epigraph", "text-author"}:
                out += self.blocks([part], level) if name != "title" else [E.P(*self._lines(part))]
        return out

    def inline(self, el) -> list:
        out: list = [el.text or ""]
        for child in el:
            name = _name(child)
            if name in _INLINE:
                out.append(E.E(_INLINE[name], *self.inline(child)))
            elif name in {"a", "style"}:
                out += self.inline(child) if child.get("type") != "note" else [E.SUP(*self.inline(child))]
            out.append(child.tail or "")
        return out

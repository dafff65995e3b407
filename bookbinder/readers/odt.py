"""Read an OpenDocument text: ODT bytes -> content.xml -> HTML -> the HTML reader -> Story.

content.xml is walked with lxml (hardened as for EPUB, no DTDs or entities) into plain HTML:
`text:h` headings keep their outline level (chapters, as in any HTML), `text:p` paragraphs
(the "Title" style a heading, "Quotations" a blockquote; a paragraph whose style breaks the
page before it is preceded by a rule, as a DOCX page break is), lists, table cells as
paragraphs, sections; spans whose style (automatic, or named in styles.xml, with its parents)
sets italic, bold, underline or line-through keep that emphasis; `text:s`, tabs and line breaks
keep their spacing. Footnotes and endnotes become the story's end notes; images are left out.
meta.xml gives the title, creator and language where the text does not.

odfpy would give the same tree with more code between: lxml, already a dependency, reads the
one XML part that matters with the parser limits the other readers use.
"""
from __future__ import annotations

from lxml import etree
from lxml.html import builder as E

from ..errors import InputError
from ..model import Diagnostic, Note, Story
from .ao3flat import unflatten
from .fields import FieldSet, parse_language
from .html import parse_page, text_of
from .inline import paragraph
from .page import read_page
from .stated import prefer_stated
from .zipped import Zipped

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}
_T, _S, _FO = (f"{{{_NS[k]}}}" for k in ("text", "style", "fo"))
_QUOTES = {"quotations", "quote", "block text"}


def read_odt(data: bytes, source: str) -> Story:
    """ODT bytes -> Story."""
    archive = Zipped(data, source, "ODT")
    if "content.xml" not in archive.names:
        raise InputError("is not an OpenDocument text (no content.xml)", source)
    content = archive.xml("content.xml")
    text = content.find("office:body/office:text", _NS)
    if text is None:
        raise InputError("is an OpenDocument file with no text (a spreadsheet or a drawing?)", source)
    styles = _Styles([content] + ([archive.xml("styles.xml")] if "styles.xml" in archive.names else []))
    walk = _Walk(styles)
    body = E.BODY(*walk.blocks(text))
    page = parse_page(etree.tostring(E.HTML(body), encoding="unicode", method="html"), source)
    diagnostics: list[Diagnostic] = []
    fields = _meta(archive)
    if walk.notes:
        fields.end_notes.append(Note(tuple(paragraph(n) for n in walk.notes), "Notes"))
        diagnostics.append(Diagnostic("note-moved", f"{len(walk.notes)} footnotes and endnotes moved to the "
                                      "end notes", "\n".join(walk.notes)))
    unflatten(page.body, diagnostics)
    shown = fields.title is not None and any(text_of(h) == fields.title for h in page.body.iter("h1", "h2", "h3"))
    story = read_page(page, source, diagnostics, container=fields)
    # the properties' title is the story's own when the page shows it as a heading (Word leaves it
    # empty, or names the draft); then their creator is its author too
    return prefer_stated(story, fields, "document properties") if shown else story


def _meta(archive: Zipped) -> FieldSet:
    fields = FieldSet()
    if "meta.xml" not in archive.names:
        return fields
    meta = archive.xml("meta.xml").find("office:meta", _NS)
    if meta is None:
        return fields
    said = {key: " ".join((meta.findtext(key, namespaces=_NS) or "").split())
            for key in ("dc:title", "meta:initial-creator", "dc:creator", "dc:language")}
    fields.title = said["dc:title"] or None
    creator = said["meta:initial-creator"] or said["dc:creator"]
    fields.authors = [creator] if creator else []
    fields.language = parse_language(said["dc:language"]) or None
    return fields


class _Styles:
    """What each style name means for the story: emphasis, a heading or quote, a page break."""

    def __init__(self, roots: list[etree._Element]) -> None:
        self.by_name: dict[str, etree._Element] = {}
        for root in roots:
            for style in root.iter(f"{_S}style"):
                self.by_name.setdefault(style.get(f"{_S}name", ""), style)

    def chain(self, name: str | None) -> list[etree._Element]:
        """The style and its parents, nearest first (a loop of parents ends it)."""
        found, seen = [], set()
        while name and name in self.by_name and name not in seen and len(found) < 32:
            seen.add(name)
            found.append(self.by_name[name])
            name = self.by_name[name].get(f"{_S}parent-style-name")
        return found

    def marks(self, name: str | None) -> list[str]:
        """The inline elements a text style stands for: em, strong, u, s."""
        props: dict[str, str] = {}
        for style in reversed(self.chain(name)):
            for p in style.iter(f"{_S}text-properties"):
                props.update({k: v for k, v in p.attrib.items()})
        marks = []
        if props.get(f"{_FO}font-style") in {"italic", "oblique"}:
            marks.append("em")
        if props.get(f"{_FO}font-weight") in {"bold", "600", "700", "800", "900"}:
            marks.append("strong")
        if props.get(f"{_S}text-underline-style", "none") != "none":
            marks.append("u")
        if props.get(f"{_S}text-line-through-style", "none") != "none":
            marks.append("s")
        return marks

    def names(self, name: str | None) -> set[str]:
        """The style's names and its parents' ("Title", "Quotations"), also when it is not defined."""
        named = {s.get(f"{_S}display-name") or s.get(f"{_S}name", "") for s in self.chain(name)} | {name or ""}
        return {n.replace("_20_", " ").casefold() for n in named if n}

    def breaks_page(self, name: str | None) -> bool:
        return any(p.get(f"{_FO}break-before") == "page" for s in self.chain(name)[:1]
                   for p in s.iter(f"{_S}paragraph-properties"))


class _Walk:
    """content.xml's text elements -> HTML elements; footnotes gathered apart."""

    def __init__(self, styles: _Styles) -> None:
        self.styles, self.notes = styles, []

    def blocks(self, parent: etree._Element) -> list:
        out = []
        for el in parent:
            tag = etree.QName(el).localname if isinstance(el.tag, str) else ""
            if tag == "h":
                level = el.get(f"{_T}outline-level", "1")
                level = min(max(int(level), 1), 6) if level.isdigit() else 1
                out += self._page_break(el) + [E.E(f"h{level}", *self.inline(el))]
            elif tag == "p":
                out += self._page_break(el) + [self._paragraph(el)]
            elif tag in {"list", "list-item", "list-header"}:
                out.append(E.UL(*[E.LI(*self.blocks(i)) for i in el]) if tag == "list" else E.DIV(*self.blocks(el)))
            elif tag in {"section", "table", "table-row", "table-cell", "table-header-rows", "table-rows", "index-body"}:
                out += self.blocks(el)
        return out

    def _page_break(self, el: etree._Element) -> list:
        return [E.HR()] if self.styles.breaks_page(el.get(f"{_T}style-name")) else []

    def _paragraph(self, el: etree._Element):
        names = self.styles.names(el.get(f"{_T}style-name"))
        if "horizontal line" in names:  # pandoc's and LibreOffice's rule: a scene break
            return E.HR()
        if "title" in names:
            return E.H1(*self.inline(el))
        if names & _QUOTES:
            return E.BLOCKQUOTE(E.P(*self.inline(el)))
        return E.P(*self.inline(el))

    def inline(self, el: etree._Element) -> list:
        """An element's text and inline children, as HTML pieces (strings and elements)."""
        out: list = [el.text or ""]
        for child in el:
            tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if tag == "s":
                count = child.get(f"{_T}c", "1")
                out.append(" " * min(int(count) if count.isdigit() else 1, 16))
            elif tag == "tab":
                out.append("\t")
            elif tag == "line-break":
                out.append(E.BR())
            elif tag == "note":
                out.append(self._note(child))
            elif tag == "span":
                out.append(self._marked(child))
            elif tag in {"a", "ruby", "ruby-base", "meta", "bookmark-ref", "reference-ref", "sequence"}:
                out += self.inline(child)
            out.append(child.tail or "")
        return out

    def _marked(self, span: etree._Element):
        pieces = self.inline(span)
        for mark in self.styles.marks(span.get(f"{_T}style-name")):
            pieces = [E.E(mark, *pieces)]
        return E.SPAN(*pieces)

    def _note(self, note: etree._Element):
        """A footnote: its number stays in the text, its body goes to the notes."""
        mark = " ".join("".join(note.find("text:note-citation", _NS).itertext()).split()) \
            if note.find("text:note-citation", _NS) is not None else str(len(self.notes) + 1)
        body = note.find("text:note-body", _NS)
        said = " ".join(" ".join(body.itertext()).split()) if body is not None else ""
        if said:
            self.notes.append(f"{mark}. {said}")
        return E.SUP(f"[{mark}]")

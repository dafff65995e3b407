"""A MOBI 7 book's HTML and OPF (as KindleUnpack writes them) -> a Page -> the HTML reader -> Story.

MOBI 7 markup is old HTML with `<mbp:pagebreak/>` between sections, and calibre (which makes
AO3's MOBI downloads and most others) flattens a book into it: AO3's `<dl>` tag list becomes
"Rating:" paragraphs each followed by a blockquote, its headings centred paragraphs after a page
break, its byline a centred "by ..." line, and a table of contents is added at the end. Two steps
put that back before the page is read as any other: the table of contents calibre added goes
(reported), and an AO3 download gets its structure again (tag list, title, byline, chapter
headings, afterword), so the AO3 layout reads it exactly as the download itself.
"""
from __future__ import annotations

import re

from lxml import etree

from ..errors import InputError
from ..model import Diagnostic, Story
from .ao3 import TAG_LABELS
from .epub import package_fields
from .fields import FieldSet
from .html import decode_html, parse_page, spaced_text, text_of
from .page import read_page

_PAGEBREAK = re.compile(rb"<mbp:pagebreak\s*/?>(?:\s*</mbp:pagebreak>)?", re.IGNORECASE)
_BREAK_CLASS = "mobi-pagebreak"
_CONTENTS = {"table of contents", "contents"}
_AFTERWORD_LABELS = {"end notes", "works inspired by this one", "works inspired by this one:"}
_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def read_mobi7(html: bytes, opf: bytes | None, source: str) -> Story:
    """The HTML of a MOBI 7 book, its OPF's metadata filling what the text does not say."""
    html = _PAGEBREAK.sub(f'<div class="{_BREAK_CLASS}"></div>'.encode(), html)
    text, decoded = decode_html(html, source)
    page = parse_page(text, source)
    diagnostics = list(decoded)
    _drop_contents(page.body, diagnostics)
    if _is_ao3(page.body):
        _as_ao3_download(page.body)
    return read_page(page, source, diagnostics, container=_fields(opf, source))


def _fields(opf: bytes | None, source: str) -> FieldSet:
    if not opf:
        return FieldSet()
    try:
        return package_fields(etree.fromstring(opf, _XML))
    except etree.XMLSyntaxError as exc:
        raise InputError(f"is a broken Kindle book: its metadata is not well-formed XML ({exc.msg})", source) from None


def _sections(body: etree._Element) -> list[list[etree._Element]]:
    """The body's children, cut at the page breaks."""
    sections: list[list[etree._Element]] = [[]]
    for child in body:
        if child.get("class") == _BREAK_CLASS:
            sections.append([])
        else:
            sections[-1].append(child)
    return sections


def _drop_contents(body: etree._Element, diagnostics: list[Diagnostic]) -> None:
    """A section that is a "Table of Contents" heading and short lines (calibre's) is no story text."""
    for section in _sections(body):
        texts = [text_of(el) for el in section if isinstance(el.tag, str)]
        texts = [t for t in texts if t]
        if len(texts) > 1 and texts[0].casefold() in _CONTENTS and all(len(t) <= 120 for t in texts[1:]):
            diagnostics.append(Diagnostic("cruft-dropped", "the Kindle book's own table of contents dropped",
                                          "\n".join(spaced_text(el) for el in section if isinstance(el.tag, str))))
            for el in section:
                body.remove(el)


def _is_ao3(body: etree._Element) -> bool:
    return any("posted originally on the archive of our own" in text_of(p).casefold() for p in body.iter("p"))


def _as_ao3_download(body: etree._Element) -> None:
    """calibre's flattened AO3 download -> the download's own markup, as `ao3.read_download` knows it."""
    message = next(p for p in body.iter("p") if "posted originally on the archive of our own" in text_of(p).casefold())
    message.set("class", "message")
    bold = message.find(".//b")
    title = text_of(bold) if bold is not None else None
    _tag_list(body, message)
    titled = bylined = False
    for el in list(body):
        t = text_of(el) if isinstance(el.tag, str) else ""
        centred = el.tag == "p" and el.get("align") == "center"
        if centred and t == title and not titled:
            el.tag, titled = "h1", True
        elif centred and t.startswith("by ") and titled and not bylined:
            el.tag, bylined = "div", True
            el.set("class", "byline")
        elif centred and _opens_section(el) and t and t.casefold() not in _CONTENTS:
            el.tag = "h2"  # a chapter heading: AO3 opens every chapter on a page
        elif el.tag == "p" and t.casefold() in _AFTERWORD_LABELS and _opens_section(el):
            heading = etree.Element("h2")
            heading.text = "Afterword"
            el.addprevious(heading)
    for el in body.iter("h1", "h2"):
        el.attrib.pop("align", None)


def _tag_list(body: etree._Element, after: etree._Element) -> None:
    """"Rating:" and its blockquote, "Fandom:" and its blockquote... -> one <dl> of <dt> and <dd>."""
    dl = None
    el = after.getnext()
    while el is not None:
        nxt = el.getnext()
        label = text_of(el).rstrip(":").strip().casefold() if el.tag == "p" else ""
        if label in TAG_LABELS and nxt is not None and nxt.tag == "blockquote":
            if dl is None:
                dl = etree.Element("dl", {"class": "tags"})
                el.addprevious(dl)
            etree.SubElement(dl, "dt").text = text_of(el)
            dd = etree.SubElement(dl, "dd")
            dd.text, after_quote = nxt.text, nxt.getnext()
            dd.extend(list(nxt))
            body.remove(el)
            body.remove(nxt)
            el = after_quote
        elif dl is not None or (isinstance(el.tag, str) and text_of(el)):
            return
        else:
            el = nxt


def _opens_section(el: etree._Element) -> bool:
    """Whether only anchors and empty paragraphs stand between `el` and the page break before it."""
    before = el.getprevious()
    while before is not None:
        if before.get("class") == _BREAK_CLASS:
            return True
        if not isinstance(before.tag, str) or before.tag not in {"a", "span", "p", "br"} or text_of(before):
            return False
        before = before.getprevious()
    return False

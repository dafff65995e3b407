"""A MOBI 7 book's HTML and OPF (as KindleUnpack writes them) -> a Page -> the HTML reader -> Story.

MOBI 7 markup is old HTML with `<mbp:pagebreak/>` between sections, and calibre (which makes
AO3's MOBI downloads and most others) flattens a book into it: AO3's `<dl>` tag list becomes
"Rating:" paragraphs each followed by a blockquote, its headings centred paragraphs after a page
break, its byline a centred "by ..." line, and a table of contents is added at the end. Two steps
put that back before the page is read as any other: the table of contents calibre added goes
(reported), and an AO3 download gets its structure again (`ao3flat`), so the AO3 layout reads
it exactly as the download itself.
"""
from __future__ import annotations

import re

from lxml import etree

from ..errors import InputError
from ..model import Diagnostic, Story
from .ao3flat import PAGE_BREAK, unflatten
from .epub import package_fields
from .fields import FieldSet
from .html import decode_html, parse_page, spaced_text, text_of
from .page import read_page

_PAGEBREAK = re.compile(rb"<mbp:pagebreak\s*/?>(?:\s*</mbp:pagebreak>)?", re.IGNORECASE)
_CONTENTS = {"table of contents", "contents"}
_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def read_mobi7(html: bytes, opf: bytes | None, source: str) -> Story:
    """The HTML of a MOBI 7 book, its OPF's metadata filling what the text does not say."""
    html = _PAGEBREAK.sub(f'<div class="{PAGE_BREAK}"></div>'.encode(), html)
    text, decoded = decode_html(html, source)
    page = parse_page(text, source)
    diagnostics = list(decoded)
    _drop_contents(page.body, diagnostics)
    unflatten(page.body, diagnostics)
    return read_page(page, source, diagnostics, container=_fields(opf, source))


def _fields(opf: bytes | None, source: str) -> FieldSet:
    if not opf:
        return FieldSet()
    try:
        return package_fields(etree.fromstring(opf, _XML))
    except etree.XMLSyntaxError as exc:
        said = " ".join(str(exc.msg).split())  # libxml2's message may hold a line break
        raise InputError(f"is a broken Kindle book: its metadata is not well-formed XML ({said})", source) from None


def _sections(body: etree._Element) -> list[list[etree._Element]]:
    """The body's children, cut at the page breaks."""
    sections: list[list[etree._Element]] = [[]]
    for child in body:
        if child.get("class") == PAGE_BREAK:
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

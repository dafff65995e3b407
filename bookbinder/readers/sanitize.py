"""Sanitizing HTML: a parsed tree -> the same tree holding only what a story's text may hold.

What is never text (scripts, styles, frames, forms, navigation) is dropped with its content and
reported; what is left goes through nh3 against an allowlist (emphasis, strike, underline,
alignment, headings, images by their source); unknown elements become a <div> or a <span> so
their words stay. `text_of` and `spaced_text` give an element's text for reading and reporting.
"""
from __future__ import annotations

import re

import nh3
from lxml import etree, html as lxml_html

from ..clean.xmlsafe import xml_safe
from ..model import Diagnostic
from .htmltree import parse_html

# Never text: dropped with their content before sanitizing (nh3 would keep the text of some).
_DROP = ("script", "style", "template", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet",
         "form", "button", "select", "textarea", "input", "svg", "math", "canvas", "audio", "video", "nav")
_BLOCKS = {"p", "div", "blockquote", "section", "article", "header", "footer", "main", "aside", "li", "ul", "ol",
           "dl", "dt", "dd", "table", "tr", "td", "th", "tbody", "thead", "tfoot", "caption", "center", "pre",
           "figure", "figcaption", "address", "details", "summary", "body", "html", "h1", "h2", "h3", "h4",
           "h5", "h6", "hr", "img"}
_ALLOWED_TAGS = (_BLOCKS - {"html", "body"}) | {
    "br", "span", "a", "em", "i", "strong", "b", "u", "ins", "s", "strike", "del", "sub", "sup", "small", "big",
    "cite", "q", "code", "tt", "abbr", "font", "mark", "bdi", "bdo", "var", "kbd", "samp", "dfn"}
_ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "lang", "dir", "align", "style", "name", "role", "title", "itemprop"},
    "a": {"href"}, "img": {"src", "alt"},
    "span": {"data-xutime"}}  # fanfiction.net's dates, as epoch seconds (the text may say only "8h ago")
_STYLES = {"text-align", "font-style", "font-weight", "text-decoration", "text-decoration-line"}
_WS = re.compile(r"[ \t\n\r\f\v]+")


def sanitize(element: etree._Element, diagnostics: list[Diagnostic], source: str = "") -> etree._Element:
    """The element with scripts, frames, forms and navigation gone and the rest run through nh3."""
    for bad in list(element.iter(*_DROP)):
        said = spaced_text(bad) if bad.tag not in {"script", "style"} else ""
        diagnostics.append(Diagnostic("unsafe-dropped", f"<{bad.tag}> element dropped", said))
        bad.drop_tree()
    _rename_unknown(element)
    _break_long_text(element)
    markup = etree.tostring(element, encoding="unicode", method="html")
    clean = nh3.clean(markup, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, url_schemes={"http", "https"},
                      filter_style_properties=_STYLES, link_rel=None, strip_comments=True)
    if not clean.strip():
        return lxml_html.Element("body")
    body = parse_html(clean, source, diagnostics).find("body")
    return body if body is not None else lxml_html.Element("body")


def _rename_unknown(element: etree._Element) -> None:
    """Elements nh3 does not know become a <div> (around blocks) or a <span>: what is dropped is
    decided above, and reported. nh3 keeps the text of most unknown elements, but not all: the
    words inside a stray <g> (an SVG group pasted without its <svg>) vanished."""
    for el in element.iter():
        if isinstance(el.tag, str) and el.tag not in _ALLOWED_TAGS and el.tag not in {"html", "body", "head"}:
            holds_blocks = any(isinstance(d.tag, str) and d.tag in _BLOCKS for d in el.iterdescendants())
            el.tag = "div" if holds_blocks else "span"
            el.attrib.clear()


_TEXT_RUN = 4096  # characters


def _break_long_text(element: etree._Element) -> None:
    """Cut text runs longer than `_TEXT_RUN` with empty <span> elements. nh3 takes time quadratic in
    the length of one text node full of `&`; the walk joins the pieces again without a space."""
    elements = [el for el in element.iter() if isinstance(el.tag, str)]  # comments hold no story text
    long_texts = [el for el in elements if el.text and len(el.text) > _TEXT_RUN]
    long_tails = [el for el in elements if el.tail and len(el.tail) > _TEXT_RUN and el is not element]
    for el in long_texts:
        first, *rest = _pieces(el.text)
        el.text = first
        for i, piece in enumerate(rest):
            el.insert(i, _marker(piece))
    for el in long_tails:
        first, *rest = _pieces(el.tail)
        el.tail = first
        parent, at = el.getparent(), el.getparent().index(el)
        for i, piece in enumerate(rest, 1):
            parent.insert(at + i, _marker(piece))


def _pieces(text: str) -> list[str]:
    text = xml_safe(text)  # lxml will not set text holding controls (xmlsafe drops them from the story anyway)
    return [text[i:i + _TEXT_RUN] for i in range(0, len(text), _TEXT_RUN)] or [""]


def _marker(tail: str) -> etree._Element:
    el = etree.Element("span")  # empty: nothing of it reaches the story (libxml2 would nest a <wbr>)
    el.tail = tail
    return el


def text_of(element: etree._Element) -> str:
    return _WS.sub(" ", "".join(element.itertext()).replace("\u00a0", " ")).strip()


def spaced_text(element: etree._Element) -> str:
    """The element's text with a space at every element edge: for reports, where "Fandoms" and
    "Browse" in neighbouring links must stay two words."""
    return _WS.sub(" ", " ".join(element.itertext()).replace("\u00a0", " ")).strip()

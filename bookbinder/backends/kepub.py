"""The KEPUB backend: BookPlan -> a Kobo EPUB (`book.kepub.epub`), the EPUB with Kobo's markup.

The EPUB backend renders the plan; each of its content documents then gets what kepubify
(pgaskin/kepubify, `kepub/transform.go`) and calibre's Kobo driver add, so a Kobo reader counts
pages, keeps highlights and looks words up as it does in Kobo's own books:

- every run of text is cut after each sentence-ish segment (kepubify's rule: after `.`, `!` or
  `?`, an optional closing quote or ellipsis, and the spaces that follow) and each piece wrapped
  in `<span class="koboSpan" id="kobo.P.S">`; P counts paragraphs (it moves on at the first text
  after a `p`, `ol`, `ul`, `table` or heading opens, and at each image), S the segments in it;
- a run of spaces is wrapped only directly inside a `p`; an image is wrapped in a span of its
  own paragraph; nothing inside `script`, `style`, `pre`, `audio`, `video`, `svg` or `math`;
- the body's content is wrapped in `div#book-columns > div#book-inner` (Kobo paginates them), and
  the head gets kepubify's `kobostylehacks` style; no kobo.js is added.

Every XHTML document gets them, the navigation document too (it is a page of the spine), as
kepubify does. kepubify's blank first page (for a book whose first page is not its cover or
title page, which a Kobo shows without margins) is not added.
"""
from __future__ import annotations

import io
import zipfile

from lxml import etree

from ..compose import BookPlan
from ..render import XHTML_NS
from .output import build_time, stable_zip

KOBO_STYLE = "div#book-inner { margin-top: 0; margin-bottom: 0; }"  # kepubify's kobostylehacks
_SKIP = {"script", "style", "pre", "audio", "video", "svg", "math"}
_PARAGRAPHS = {"p", "ol", "ul", "table", "h1", "h2", "h3", "h4", "h5", "h6"}
_STOPS, _CLOSERS, _SPACES = ".!?", "'\"”’“…", "\t\n\f\r "  # kepubify's three kinds (its spaces are ASCII's)


def write_kepub(epub: bytes, plan: BookPlan) -> bytes:
    """The EPUB bytes the EPUB backend made of `plan`, with Kobo's spans and divs in its documents."""
    with_spans = {name: kobo_document for name in _documents(epub)}
    return stable_zip(epub, build_time(plan.book.newest_input), with_spans)


def _documents(epub: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(epub)) as z:
        return [n for n in z.namelist() if n.endswith(".xhtml")]  # the parts and the navigation document


def kobo_document(data: bytes) -> bytes:
    """One XHTML content document with Kobo's markup (see the module's docstring)."""
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    head, body = root.find(f"{{{XHTML_NS}}}head"), root.find(f"{{{XHTML_NS}}}body")
    if body is None or body.find(f".//{{{XHTML_NS}}}span[@class='koboSpan']") is not None:
        return data
    style = etree.SubElement(head, f"{{{XHTML_NS}}}style", {"type": "text/css", "class": "kobostylehacks"})
    style.text = KOBO_STYLE
    _Spans().element(body)
    _wrap(body)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")


def split_segments(text: str) -> list[str]:
    """Text cut as kepubify's splitSentences cuts it: a segment runs to a stop (`.`, `!`, `?`,
    repeated), at most one closing mark after it, and the spaces after those; it ends where the
    next character that is no space comes. Nothing is lost: the pieces join to `text`."""
    pieces, start, state = [], 0, "text"
    for i, char in enumerate(text):
        kind = "stop" if char in _STOPS else "closer" if char in _CLOSERS else "space" if char in _SPACES else "other"
        if state == "spaces" and kind != "space":
            pieces.append(text[start:i])
            start = i
        state = _NEXT[state].get(kind, "text")
    if start < len(text) or not pieces:
        pieces.append(text[start:])
    return pieces


# After a stop: more stops, one closing mark, then spaces; anything else goes back to the text.
_NEXT = {"text": {"stop": "stop"}, "stop": {"stop": "stop", "closer": "closer", "space": "spaces"},
         "closer": {"stop": "stop", "space": "spaces"}, "spaces": {"stop": "stop", "space": "spaces"}}


class _Spans:
    """kepubify's walk: depth first, in document order, counting paragraphs and segments."""

    def __init__(self) -> None:
        self.para, self.seg, self.next_para = 0, 0, False

    def element(self, el: etree._Element) -> None:
        name = etree.QName(el).localname if isinstance(el.tag, str) else ""
        if name == "img":
            self._image(el)
            return
        if name in _SKIP or not name:
            return
        if name in _PARAGRAPHS:
            self.next_para = True
        children = list(el)  # before any span is added
        if el.text:
            text, el.text = el.text, None
            self._text(el, text, None)
        for child in children:
            self.element(child)
            holder = child if child.getparent() is el else child.getparent()  # an image now sits in its span
            if holder.tail:
                text, holder.tail = holder.tail, None
                self._text(el, text, holder)

    def _text(self, parent: etree._Element, text: str, after: etree._Element | None) -> None:
        """`text` (which stood in `parent` after `after`, or first) as spans and bare spaces."""
        local = etree.QName(parent).localname
        for piece in split_segments(text):
            if not piece.strip() and local != "p":
                node = piece
            else:
                node = self._span(piece)
            after = _put(parent, after, node)

    def _span(self, text: str | None = None) -> etree._Element:
        if self.next_para:
            self.para, self.seg, self.next_para = self.para + 1, 0, False
        self.seg += 1
        span = etree.Element(f"{{{XHTML_NS}}}span", {"class": "koboSpan", "id": f"kobo.{self.para}.{self.seg}"})
        span.text = text
        return span

    def _image(self, img: etree._Element) -> None:
        self.para, self.seg, self.next_para = self.para + 1, 0, False
        span = self._span()
        img.addprevious(span)
        tail, img.tail = img.tail, None
        span.append(img)
        span.tail = tail


def _put(parent: etree._Element, after: etree._Element | None, node: etree._Element | str):
    """Place `node` (an element, or bare text) in `parent` after `after` (None: first); where the
    next piece goes after it."""
    if isinstance(node, str):
        if after is None:
            parent.text = (parent.text or "") + node
        else:
            after.tail = (after.tail or "") + node
        return after
    if after is None:
        parent.insert(0, node)
    else:
        after.addnext(node)
    return node


def _wrap(body: etree._Element) -> None:
    """body > div#book-columns > div#book-inner > what the body held."""
    inner = etree.Element(f"{{{XHTML_NS}}}div", {"id": "book-inner"})
    inner.text, body.text = body.text, None
    for child in list(body):
        inner.append(child)
    columns = etree.SubElement(body, f"{{{XHTML_NS}}}div", {"id": "book-columns"})
    columns.append(inner)

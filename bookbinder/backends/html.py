"""The HTML backend: BookPlan -> one self-contained HTML5 file, for a browser and for archiving.

The book the EPUB holds, in one page: the same parts in the same order, each from
`compose.part_body` (so it never drifts from the EPUB or the PDF), the contents tree and the
landmarks as the EPUB's navigation document has them, the book's metadata in `<meta>` elements.
Nothing is outside the file: images are `data:` URIs, the EPUB's own stylesheets (and the
user's `--css`, already stripped of `url()` and `@import`) sit in one `<style>`, every link is a
fragment of the page. The tree is built with lxml in the XHTML namespace, as the other backends
build theirs, and only at the edge turned into an HTML tree and serialised by lxml's HTML
writer (void elements, raw style text); story text is never pasted into markup.
"""
from __future__ import annotations

import base64
from importlib import resources

import lxml.html
from lxml import etree

from ..compose import BookPlan, Entry, Part, Resource, Target, part_body
from ..render import EPUB_TYPE, XML_LANG, E, direction
from ..version import __version__
from .epub import STYLESHEETS, stylesheet

HTML_STYLESHEET = "html.css"  # the browser's layer: a readable measure, a rule between parts
_PART_CLASS = {"cover": "cover", "titlepage": "titlepage", "toc": "contents", "story-title": "story-titlepage",
               "story": "story", "credits": "credits"}


def anchor(part_id: str, fragment: str = "") -> str:
    """An id inside a part, made unique in the page (several parts share it), as the PDF does."""
    return f"{part_id}--{fragment}" if fragment else part_id


class HtmlLinks:
    """Addresses inside the one page: a part is the element with its id, an id inside a part is
    prefixed with the part's, and a resource is its own bytes as a `data:` URI."""

    def href(self, target: Target) -> str:
        return "#" + anchor(target.part, target.fragment)

    def resource(self, resource: Resource) -> str:
        return f"data:{resource.media_type};base64,{base64.b64encode(resource.data).decode('ascii')}"

    def page(self, target: Target) -> None:
        return None  # a page scrolls: no page numbers


def write_html(plan: BookPlan) -> bytes:
    """The plan as the bytes of one HTML5 file, UTF-8."""
    links = HtmlLinks()
    parts = [_part(plan, part, links) for part in plan.parts]
    parts.insert(1 if plan.parts[0].kind == "cover" else 0, navigation(plan, links))  # where the EPUB's spine has it
    html = E.html(_head(plan), E.body(*parts))
    language = plan.metadata.language
    html.set("lang", language)
    if direction(language) == "rtl":
        html.set("dir", "rtl")
    return lxml.html.tostring(_plain(html), doctype="<!DOCTYPE html>", encoding="utf-8", method="html")


def _head(plan: BookPlan) -> etree._Element:
    meta = plan.metadata
    head = E.head(E.meta(charset="utf-8"), E.title(meta.title or "Untitled"),
                  E.meta(name="viewport", content="width=device-width, initial-scale=1"))
    for name, value in (("author", ", ".join(meta.authors or meta.editors)), ("description", meta.description),
                        ("keywords", ", ".join(meta.subjects)), ("generator", f"bookbinder {__version__}")):
        if value:
            head.append(E.meta(name=name, content=value))
    head.append(E.style(_styles(plan)))
    return head


def _styles(plan: BookPlan) -> str:
    """The EPUB's stylesheets, the browser's layer, then the user's: one sheet in the page. "</"
    is written as CSS's escaped "<\\/" (the same characters to CSS), so no sheet can end the
    `<style>` element early."""
    sheets = [stylesheet(name).decode("utf-8") for name in STYLESHEETS]
    sheets.append(resources.files("bookbinder.styles").joinpath(HTML_STYLESHEET).read_text("utf-8"))
    if plan.book.info.css is not None:
        sheets.append(plan.book.info.css)
    return "\n".join(sheets).replace("</", "<\\/")


def _part(plan: BookPlan, part: Part, links: HtmlLinks) -> etree._Element:
    """One part of the plan as a `<div>` carrying its id, its class (as the EPUB's body has it) and
    its language; the ids inside it prefixed with its own."""
    wrapper = E.div({"id": part.id, "class": f"part {_PART_CLASS[part.kind]}"}, *part_body(plan, part, links))
    if part.language != plan.metadata.language:
        wrapper.set("lang", part.language)
        wrapper.set("dir", direction(part.language))
    for el in wrapper.iterdescendants():
        for name in ("id", "aria-labelledby"):
            if el.get(name):
                el.set(name, anchor(part.id, el.get(name)))
    return wrapper


def navigation(plan: BookPlan, links: HtmlLinks) -> etree._Element:
    """The EPUB's navigation document in the page: the contents tree, and the landmarks (hidden,
    as reading systems hide them)."""
    toc = E.nav({EPUB_TYPE: "toc", "role": "doc-toc", "class": "book-toc", "aria-labelledby": "book-toc-title"},
                E.h2("Contents", id="book-toc-title"), _entries(plan.toc, links))
    marks = E.ol(*(E.li(E.a(p.landmark_title, {EPUB_TYPE: p.landmark}, href=links.href(Target(p.id))))
                   for p in plan.landmarks))
    landmarks = E.nav({EPUB_TYPE: "landmarks", "aria-label": "Landmarks", "hidden": "hidden"}, marks)
    return E.div({"id": "navigation", "class": "part navigation"}, toc, landmarks)


def _entries(entries: tuple[Entry, ...], links: HtmlLinks) -> etree._Element:
    items = []
    for entry in entries:
        item = E.li(E.a(entry.title, href=links.href(entry.target)))
        if entry.children:
            item.append(_entries(entry.children, links))
        items.append(item)
    return E.ol(*items)


def _plain(element: etree._Element) -> lxml.html.HtmlElement:
    """The XHTML tree as an HTML tree: tags without the namespace, epub:type kept as `data-epub-type`
    (an attribute HTML allows; the DPUB-ARIA roles beside it say the same to a browser), xml:lang
    dropped (`lang` says it)."""
    parser = lxml.html.HTMLParser()
    out = parser.makeelement(etree.QName(element).localname)
    for name, value in element.attrib.items():
        if name == EPUB_TYPE:
            out.set("data-epub-type", value)
        elif name != XML_LANG and not name.startswith("{"):
            out.set(name, value)
    out.text = element.text
    for child in element:
        if isinstance(child.tag, str):
            converted = _plain(child)
            converted.tail = child.tail
            out.append(converted)
        elif child.tail:  # a comment's or instruction's text after it stays
            if len(out):
                out[-1].tail = (out[-1].tail or "") + child.tail
            else:
                out.text = (out.text or "") + child.tail
    return out

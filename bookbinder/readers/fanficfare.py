"""FanFicFare's HTML and EPUB layouts: a title page of "Label: value" entries, then one section per chapter.

HTML: `<h1>Title by Author</h1>`, a table of `<b>Label:</b>` rows, a table of contents, then
`<h2>` chapter titles each followed by a `<div>` of text. EPUB: a `fff_titlepage` document with
`<b>Label:</b> value<br/>` lines, then `fff_chapter` documents opening with their title.
FanFicFare's "Category" is the story's fandom; its packaging fields (Packaged, Publisher,
Chapters, URLs) are reported and dropped. FanFicFare's TXT output is plain text for the text reader.
"""
from __future__ import annotations

import copy

from lxml import etree

from ..model import Diagnostic, Story
from .ao3 import WorkReader
from .fields import field_of
from .html import ImageLoader, Page, has_class, spaced_text, text_of

_PACKAGING = {"packaged", "publisher", "chapters", "story url", "author url", "site", "storyid", "extratags"}


def is_fanficfare(page: Page) -> bool:
    body = page.body
    if any(has_class(a, "authorlink") for a in body.iter("a")) or "fff_" in page.body_class:
        return True
    return any(has_class(d, "fff_titlepage") or has_class(d, "fff_chapter") for d in body.iter("div"))


def read_fanficfare(page: Page, source: str, images: ImageLoader | None = None) -> Story | None:
    r = WorkReader(source, images)
    body = page.body
    head = next((h for h in body.iter("h1", "h3") if any(has_class(a, "authorlink") for a in h.iter("a"))), None)
    if head is not None:
        links = [a for a in head.iter("a")]
        r.fields.title = text_of(links[0]) if links and not has_class(links[0], "authorlink") else None
        r.fields.authors += [text_of(a) for a in links if has_class(a, "authorlink")]
        r.drop("FanFicFare title line", spaced_text(head))
    region = next((d for d in body.iter("div") if has_class(d, "fff_titlepage")), None)
    region = region if region is not None else next(body.iter("table"), None)
    if region is not None:
        _title_page(region, r)
    docs = [d for d in body.iter("div") if has_class(d, "fff_chapter")]
    if docs:
        for doc in docs:
            title = next((h for h in doc.iter("h3") if has_class(h, "fff_chapter_title")), None)
            r.heading(text_of(title) if title is not None else "")
            for child in doc:
                if child is not title and (text_of(child) or child.find(".//img") is not None):
                    r.content(child)
    else:
        for h2 in list(body.iter("h2")):
            anchor = h2.getparent() if h2.getparent().tag == "a" else h2
            nxt = anchor.getnext()
            if text_of(h2).casefold() == "table of contents":
                nxt = _following(anchor)  # the list of links, even where broken markup closed an element around it
                r.drop("table of contents", spaced_text(h2) + (" " + spaced_text(nxt) if nxt is not None else ""))
                continue
            r.heading(text_of(h2))
            while nxt is not None and nxt.tag != "div":
                nxt = nxt.getnext()
            if nxt is not None:
                r.content(nxt)
    return r.story()


def _following(el: etree._Element) -> etree._Element | None:
    """The element after `el` in document order, outside it."""
    while el is not None and el.getnext() is None:
        el = el.getparent()
    return el.getnext() if el is not None else None


def _title_page(body: etree._Element, r: WorkReader) -> None:
    for b in list(body.iter("b", "strong")):
        label = text_of(b).rstrip(":").strip()
        if not text_of(b).endswith(":"):
            continue
        value = _value_of(b)
        key = label.casefold()
        if key in _PACKAGING:
            r.drop(f"FanFicFare packaging field {label!r}", f"{label}: {text_of(value)}")
            continue
        name = "fandoms" if key == "category" else field_of(label)
        if name is None:
            r.fields.tags.append(f"{label}: {text_of(value)}")
            continue
        r.diagnostics.append(Diagnostic("header-field", f"FanFicFare field {label!r} read as metadata",
                                        f"{label}: {text_of(value)}"))
        if name == "summary":
            r.fields.summary = list(r.blocks(value))
        elif name == "people" and key in {"characters", "character"}:
            r.fields.characters += [c.strip() for c in text_of(value).split(",") if c.strip()]
        else:
            r.fields.add(name, text_of(value))


def _value_of(label: etree._Element) -> etree._Element:
    """The value after a label: the next table cell, or what follows up to the next <br>."""
    cell = label.getparent()
    if cell is not None and cell.tag in {"td", "th"} and cell.getnext() is not None:
        return cell.getnext()
    value = etree.Element("div")
    value.text = label.tail or ""
    nxt = label.getnext()
    while nxt is not None and nxt.tag not in {"br", "b", "strong"}:
        moved, nxt = nxt, nxt.getnext()
        value.append(copy.deepcopy(moved))
    return value

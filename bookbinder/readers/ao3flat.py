"""An AO3 download flattened by a converter -> the download's own markup (an lxml body, in place).

calibre (AO3's MOBI), pandoc and word processors (a download saved as DOCX, ODT or RTF) keep
AO3's text but lose its markup: the `<dl>` tag list becomes "Rating:" paragraphs each followed
by its value (a blockquote or a paragraph), the title a bold line or a centred paragraph, the
byline a "by ..." line, chapter headings centred paragraphs after a page break (MOBI) and the
`<title>` ("Title - Author - Fandom") a heading of its own. This puts back what `ao3.read_download`
looks for (the message, the tag list, `<h1>`, the byline, `<h2>` headings, the afterword), so a
flattened download reads as the download itself. A page break is a
`<div class="page-break">` the caller wrote where the format had one.
"""
from __future__ import annotations

from lxml import etree

from ..model import Diagnostic
from .sites.ao3 import RELATED_WORKS, TAG_LABELS
from .html import text_of

PAGE_BREAK = "page-break"
_POSTED = "posted originally on the archive of our own"
_CONTENTS = {"table of contents", "contents"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_AFTERWORD_LABELS = {"end notes", "works inspired by this one", "works inspired by this one:"}


def unflatten(body: etree._Element, diagnostics: list[Diagnostic]) -> None:
    """Give a flattened AO3 download its markup again; any other page is left as it is."""
    message = next((el for el in body if el.tag == "p" and _POSTED in text_of(el).casefold()), None)
    if message is None:
        return
    message.set("class", "message")
    bold = next(message.iter("b", "strong"), None)
    title = text_of(bold) if bold is not None else None
    for el in list(body):
        if el is message:
            break
        if el.tag != "h2" and isinstance(el.tag, str) and text_of(el):
            # the document's title, from the download's <title>: "Title - Author - Fandom"
            el.tag = "p"
            el.set("class", "message")
    _tag_list(body, message)
    _headings(body, title)
    _related_works(body)
    diagnostics.append(Diagnostic("layout-recognized", "an AO3 download flattened by a converter: its tag list, "
                                  "title, byline and headings found again"))


def _headings(body: etree._Element, title: str | None) -> None:
    titled = bylined = False
    for el in list(body):
        t = text_of(el) if isinstance(el.tag, str) else ""
        centred = el.tag == "p" and el.get("align") == "center"
        heading = el.tag in _HEADINGS
        if (centred or heading) and t == title and not titled:
            el.tag, titled = "h1", True
        elif heading:
            el.tag = "h2"  # the download's headings are all <h2> (a converter nests them deeper, or higher)
        elif el.tag in {"p", "div"} and t.startswith("by ") and titled and not bylined:
            el.tag, bylined = "div", True
            el.set("class", "byline")
        elif centred and t and t.casefold() not in _CONTENTS and opens_page(el):
            el.tag = "h2"  # a chapter heading: AO3 opens every chapter on a page
        elif el.tag == "p" and t.casefold() in _AFTERWORD_LABELS and opens_page(el):
            heading = etree.Element("h2")
            heading.text = "Afterword"
            el.addprevious(heading)
    for el in body.iter("h1", "h2"):
        el.attrib.pop("align", None)


def _related_works(body: etree._Element) -> None:
    """The preface's bulleted "Translation into ... available" lines, as paragraphs -> AO3's list."""
    for el in list(body):
        if el.tag == "h2" and el.text and el.text.strip().casefold() not in {"preface"}:
            return  # the first chapter: related works are the preface's
        if el.tag in {"p", "blockquote"} and RELATED_WORKS.match(text_of(el).lstrip("•·*- ")):
            item = etree.Element("li")
            item.text = text_of(el).lstrip("•·*- ")
            el.tag = "ul"
            el.text = None
            el.attrib.clear()
            for child in list(el):
                el.remove(child)
            el.append(item)


def _tag_list(body: etree._Element, after: etree._Element) -> None:
    """"Rating:" and its value, "Fandom:" and its value... -> one <dl> of <dt> and <dd>."""
    dl = None
    el = after.getnext()
    while el is not None:
        nxt = el.getnext()
        label = text_of(el).rstrip(":").strip().casefold() if el.tag == "p" else ""
        if label in TAG_LABELS and text_of(el).endswith(":") and nxt is not None and nxt.tag in {"blockquote", "p"}:
            if dl is None:
                dl = etree.Element("dl", {"class": "tags"})
                el.addprevious(dl)
            etree.SubElement(dl, "dt").text = text_of(el)
            dd = etree.SubElement(dl, "dd")
            dd.text, following = nxt.text, nxt.getnext()
            dd.extend(list(nxt))
            body.remove(el)
            body.remove(nxt)
            el = following
        elif dl is not None or (isinstance(el.tag, str) and text_of(el) and el.tag != "h2"):
            return
        else:
            el = nxt


def opens_page(el: etree._Element) -> bool:
    """Whether only anchors and empty paragraphs stand between `el` and a page break before it."""
    before = el.getprevious()
    while before is not None:
        if before.get("class") == PAGE_BREAK:
            return True
        if not isinstance(before.tag, str) or before.tag not in {"a", "span", "p", "br"} or text_of(before):
            return False
        before = before.getprevious()
    return False

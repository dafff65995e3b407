"""A saved Royal Road chapter page -> Story: the fiction's title and author, one chapter.

The page's own markup is the reference, as the scrapers that read it agree (FanFicFare's
adapter_royalroadcom, WebToEpub's RoyalRoadParser, leech): `div.fic-header` holds the fiction's
title (`h2.font-white`, linked to /fiction/<id>), the chapter's title (`h1.font-white`) and the
author's /profile/ link; the text is `div.chapter-inner.chapter-content`; the author's notes
before and after it are `div.author-note-portlet` ("A note from <author>" over
`div.author-note`). Royal Road hides an anti-theft line in the text ("This content has been
misappropriated from Royal Road; report any instances…"), a paragraph with a random class that
its stylesheet hides: read pages show nothing of it, so it is dropped and reported. Navigation
buttons, advertisements, the fiction's stats, comments and footers are reported as dropped.
"""
from __future__ import annotations

import re

from lxml import etree

from ...model import Diagnostic, Note, Story
from ..html import ImageLoader, Page, has_class, text_of
from .posted import PostReader, page_text, precedes

_THEFT = re.compile(r"royal\s*road|amazon|misappropriat|stolen|unauthori[sz]ed|pirat|without (?:the author's )?"
                    r"(?:consent|permission)|preferred platform|support (?:the )?(?:original )?(?:creators?|authors?)|"
                    r"report (?:any|this|it)|lifted|taken from", re.IGNORECASE)
_RANDOM_CLASS = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_-]{10,}$")


def _content(body: etree._Element) -> etree._Element | None:
    return next((d for d in body.iter("div") if has_class(d, "chapter-content")), None)


def _header(body: etree._Element) -> etree._Element | None:
    return next((d for d in body.iter("div") if has_class(d, "fic-header")), None)


def is_chapter_page(page: Page) -> bool:
    """The chapter's text, the fiction header, and its chapter title in h1.font-white."""
    header = _header(page.body)
    return _content(page.body) is not None and header is not None and \
        any(has_class(h, "font-white") for h in header.iter("h1"))


def read_chapter_page(page: Page, source: str, images: ImageLoader | None = None) -> Story | None:
    body = page.body
    r = PostReader(source, images)
    header, content = _header(body), _content(body)
    chapter = _fiction(header, r)
    r.fields.url = _fiction_url(page, header)
    _drop_hidden_notices(content, r)
    notes = [d for d in body.iter("div") if has_class(d, "author-note-portlet")]
    before = [n for n in notes if precedes(n, content)]
    r.post(content, heading=chapter)
    for note in notes:
        _author_note(note, r, end=note not in before)
    _report_chrome(body, [header, content, *notes], r)
    return r.story()


def _fiction(header: etree._Element, r: PostReader) -> str | None:
    """The fiction's title and author into the fields; the chapter's title, returned."""
    title = next((h for h in header.iter("h2") if has_class(h, "font-white")), None)
    r.fields.title = text_of(title) if title is not None else None
    author = next((a for a in header.iter("a") if "/profile/" in (a.get("href") or "")), None)
    if author is not None and text_of(author):
        r.fields.authors.append(text_of(author))
    chapter = next((h for h in header.iter("h1") if has_class(h, "font-white")), None)
    r.diagnostics.append(Diagnostic("header-field", "Royal Road fiction header read as the title, author and "
                                    "chapter title", page_text(header)))
    return text_of(chapter) if chapter is not None and text_of(chapter) else None


def _fiction_url(page: Page, header: etree._Element) -> str | None:
    """The fiction's address: og:url where the page states one, cut to /fiction/<id>."""
    m = re.match(r"^(https://www\.royalroad\.com/fiction/\d+)", page.metas.get("og:url", ""))
    if m:
        return m.group(1)
    link = next((a.get("href") for a in header.iter("a") if re.match(r"^/fiction/\d+", a.get("href") or "")), None)
    return f"https://www.royalroad.com{re.match(r'^/fiction/[0-9]+', link).group(0)}" if link else None


def _drop_hidden_notices(content: etree._Element, r: PostReader) -> None:
    """The anti-theft line Royal Road hides in the text (a random class its stylesheet hides)."""
    for el in list(content.iter("p", "span", "div")):
        text = text_of(el)
        classes = (el.get("class") or "").split()
        if text and len(text.split()) <= 40 and _THEFT.search(text) and \
                (any(_RANDOM_CLASS.match(c) for c in classes) or re.search(r"royal\s*road", text, re.I)):
            r.drop("Royal Road's hidden anti-theft notice", text)
            el.drop_tree()


def _author_note(portlet: etree._Element, r: PostReader, end: bool) -> None:
    """"A note from <author>" over the note: a chapter note, or an end note after the text."""
    caption = next((el for el in portlet.iter() if has_class(el, "caption-subject") or has_class(el, "portlet-title")), None)
    label = text_of(caption) if caption is not None and text_of(caption) else "Author's Note"
    inner = next((d for d in portlet.iter("div") if has_class(d, "author-note")), portlet)
    blocks = r.blocks(inner)
    if not blocks:
        return
    chapter = r.chapters[-1]
    (chapter.end_notes if end else chapter.notes).append(Note(blocks, label))
    r.diagnostics.append(Diagnostic("note-moved", f"Royal Road {label!r} moved out of the chapter's text",
                                    page_text(portlet)))


def _report_chrome(body: etree._Element, kept: list, r: PostReader) -> None:
    """Everything but the header, the text and the notes (read, so taken out of the page's tree,
    which is this reader's own copy): navigation, ads, stats, comments, footers."""
    for el in kept:
        if el is not None and el.getparent() is not None:
            el.drop_tree()
    text = page_text(body)
    if text:
        r.drop("Royal Road navigation, advertisements, comments and footer", text)

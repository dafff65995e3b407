"""A saved XenForo 2 story thread (SpaceBattles, Sufficient Velocity, Questionable Questing) -> Story:
the threadmarks' reader mode, or a thread page whose story posts are threadmarked.

The forum's own markup is the reference, as FanFicFare's base_xenforo2forum_adapter and leech's
xenforo2 read it: the thread's title `h1.p-title-value` (prefix labels `span.label` are tags),
its starter and tags in `div.p-description` (`a.username`, `a.tagItem`), then one
`article.message--post` per post: a threadmarked post carries `span.threadmarkLabel` (its
chapter title) in `div.message-cell--threadmark-header`, its author in `h4.message-name`, its
date in `div.message-attribution-main`, its text in `article.message-body div.bbWrapper`.
Each threadmarked post is a chapter. Posts without a threadmark are replies, signatures,
"Last edited", reactions, quote "Click to expand…" links, navigation and footers are chrome:
reported as dropped.
"""
from __future__ import annotations

import re

from lxml import etree

from ...model import Diagnostic, Story
from ..fields import parse_date, parse_status
from ..html import ImageLoader, Page, has_class, text_of
from .posted import PostReader, page_text

_CHROME = ("message-signature", "message-lastEdit", "message-footer", "bbCodeBlock-expandLink",
           "bbCodeBlock-shrinkLink", "reactionsBar")


_STATUS = re.compile(r"^\W*(complete[d]?|finished|ongoing|in progress|wip|hiatus|on hiatus|abandoned|"
                     r"discontinued)\W*$", re.IGNORECASE)


def _find(root: etree._Element, tag: str, name: str) -> etree._Element | None:
    return next((el for el in root.iter(tag) if has_class(el, name)), None)


def _text(post: etree._Element) -> etree._Element | None:
    """The post's own text: the bbWrapper in its article.message-body (a signature has one too)."""
    body = _find(post, "article", "message-body")
    return _find(body, "div", "bbWrapper") if body is not None else None


def _posts(body: etree._Element) -> list[etree._Element]:
    """The posts with a text, outermost only (a broken page may nest one in another: read once, within it)."""
    posts = [a for a in body.iter("article") if has_class(a, "message") and _text(a) is not None]
    return [p for p in posts if not any(has_class(a, "message") for a in p.iterancestors("article"))]


def _threadmarked(post: etree._Element) -> bool:
    return _find(post, "span", "threadmarkLabel") is not None


def is_thread_page(page: Page) -> bool:
    """The thread's h1.p-title-value, and posts (article.message with div.bbWrapper) of which one
    at least carries a span.threadmarkLabel."""
    return _find(page.body, "h1", "p-title-value") is not None and any(_threadmarked(p) for p in _posts(page.body))


def read_thread_page(page: Page, source: str, images: ImageLoader | None = None) -> Story | None:
    body = page.body
    r = PostReader(source, images)
    title = _find(body, "h1", "p-title-value")
    _thread(title, _find(body, "div", "p-description"), r)
    r.fields.url = _thread_url(page.metas.get("og:url", ""))
    posts = _posts(body)
    marked = [p for p in posts if _threadmarked(p)]
    dates = [_post(p, r) for p in marked]
    dates = [d for d in dates if d]
    if dates:
        r.fields.published, r.fields.updated = min(dates), (max(dates) if max(dates) != min(dates) else None)
    for post in posts:
        if post not in marked:
            r.drop("a forum reply without a threadmark", page_text(post))
        if post.getparent() is not None:
            post.drop_tree()
    title.drop_tree()
    rest = page_text(body)
    if rest:
        r.drop("forum navigation, threadmark controls and footer", rest)
    return r.story()


def _thread(title: etree._Element, about: etree._Element | None, r: PostReader) -> None:
    """The thread's title (less its prefix labels, which are tags), its starter and its tags."""
    for label in [s for s in title.iter("span") if has_class(s, "label")]:
        if _STATUS.match(text_of(label)):  # a "Complete" or "Hiatus" prefix says the story's status
            r.fields.status = parse_status(text_of(label))
        else:
            r.fields.tags.append(text_of(label))
        label.drop_tree()
    r.fields.title = text_of(title) or None
    if about is not None:
        starter = next((a for a in about.iter("a") if has_class(a, "username")), None)
        if starter is not None and text_of(starter):
            r.fields.authors.append(text_of(starter))
        r.fields.tags += [text_of(a) for a in about.iter("a") if has_class(a, "tagItem") and text_of(a)]
        r.diagnostics.append(Diagnostic("header-field", "forum thread description read as the author and tags",
                                        page_text(about)))
        about.drop_tree()


def _thread_url(url: str) -> str | None:
    """og:url cut to the thread ("…/threads/a-story.12345/reader/page-2" -> "…/threads/a-story.12345/")."""
    m = re.match(r"^(https://[\w.-]+/(?:index\.php\?)?threads/[^/]*?\.?\d+/)", url)
    return m.group(1) if m else None


def _post(post: etree._Element, r: PostReader) -> str | None:
    """One threadmarked post as a chapter; its date, as the page shows it."""
    label, text = _find(post, "span", "threadmarkLabel"), _text(post)
    for name in _CHROME:
        for el in [e for e in post.iter() if isinstance(e.tag, str) and has_class(e, name)]:
            if el.getparent() is not None:
                r.drop(f"forum post furniture ({name})", page_text(el))
                el.drop_tree()
    when = _find(post, "div", "message-attribution-main")
    author = _find(post, "h4", "message-name")
    if author is not None and text_of(author) and not r.fields.authors:
        r.fields.authors.append(text_of(author))
    r.post(text, heading=text_of(label) or None)
    date = parse_date(text_of(when)) if when is not None else None
    if text.getparent() is not None:  # (a broken page may have put it in the furniture dropped above)
        text.drop_tree()
    r.diagnostics.append(Diagnostic("header-field", "threadmarked post's label, poster and date read; the rest of "
                                    "its frame (user card, post number, threadmark controls) dropped", page_text(post)))
    return date

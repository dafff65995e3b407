"""A saved Dreamwidth or LiveJournal entry page -> Story: one journal post holding a story.

The journals' own templates are the reference. Dreamwidth (and the LiveJournal-code sites that
share its S2 layer, core2): `div.entry-wrapper` > `div.entry`, the subject `h3.entry-title`,
the date `span.datetime`, the poster `span.entry-poster` holding a `span.ljuser`, the text
`div.entry-content`, the mood/music `div.metadata`, the tags `div.tag` ("Tags:" then one link
per tag), then "Previous Entry / … / Next Entry" (`ul.entry-management-links`), the comment
links and the comments. LiveJournal's own entry page: `h1.b-singlepost-title`, the poster's
`span.ljuser` in `div.b-singlepost-author`, the text `article.b-singlepost-body`, the tags
`div.b-singlepost-tags` ("Tags: …"); its 2017 entry page, `.aentry-post__title` and
`.aentry-post__text`. LJ fan fiction habits read too: "fandom: x" and "pairing: a/b" tags
(read as those fields), a "Fic: Title (…)" subject, and a header block in the post, whose
"Title:" names the story better than the post's subject.
"""
from __future__ import annotations

import re

from lxml import etree

from ...model import Diagnostic, Story
from ..fields import field_of, parse_date
from ..html import ImageLoader, Page, has_class, text_of
from .posted import PostReader, page_text, precedes

_CONTENT = (("div", "entry-content"), ("article", "b-singlepost-body"), ("div", "b-singlepost-body"),
            ("div", "aentry-post__text"), ("article", "aentry-post__text"))
_TITLE = (("h3", "entry-title"), ("h1", "b-singlepost-title"), ("h2", "entry-title"), ("h1", "aentry-post__title"))
_TAGS = (("div", "tag"), ("div", "b-singlepost-tags"), ("div", "ljtags"), ("div", "aentry-tags"))
_DATE = (("span", "datetime"), ("p", "b-singlepost-author-date"), ("time", "b-singlepost-author-date"))
_FIC = re.compile(r"^\s*(?:fic|fanfic|fanfiction|story)\s*[:\-–—]\s*", re.IGNORECASE)
_RATING = re.compile(r"^(?:g|pg|pg-?13|r|nc-?17|k\+?|t|m|ma|fr\d+)$", re.IGNORECASE)
_KEYED_TAG = re.compile(r"^\s*([\w ()'’/-]{1,30}?)\s*:\s*(.+)$")


def _first(root: etree._Element, pairs) -> etree._Element | None:
    for tag, name in pairs:
        found = next((el for el in root.iter(tag) if has_class(el, name)), None)
        if found is not None:
            return found
    return None


def _ljusers(root: etree._Element) -> list[etree._Element]:
    return [s for s in root.iter("span") if has_class(s, "ljuser")]


def is_entry_page(page: Page) -> bool:
    """A LiveJournal-code journal's entry: its text element, its subject, and a span.ljuser."""
    body = page.body
    return _first(body, _CONTENT) is not None and _first(body, _TITLE) is not None and bool(_ljusers(body))


def read_entry_page(page: Page, source: str, images: ImageLoader | None = None) -> Story | None:
    body = page.body
    r = PostReader(source, images)
    content, subject = _first(body, _CONTENT), _first(body, _TITLE)
    poster = _poster(body, content)
    if poster:
        r.fields.authors.append(poster)
    tags, when = _first(body, _TAGS), _first(body, _DATE)
    if tags is not None:
        _tags(tags, r)
    when = when if when is not None else _dated(body)
    r.fields.published = parse_date(text_of(when)) if when is not None else None
    link = next((a.get("href") for a in subject.iter("a") if (a.get("href") or "").startswith("https://")), None)
    r.fields.url = link
    title = _FIC.sub("", text_of(subject)) or None
    r.post(content, subject=title)
    r.diagnostics.append(Diagnostic("header-field", "journal entry's subject, poster, date and tags read",
                                    " | ".join(page_text(el) for el in (subject, when, tags) if el is not None)))
    for el in (content, subject, when, tags):
        if el is not None and el.getparent() is not None:
            el.drop_tree()
    rest = page_text(body)
    if rest:
        r.drop("journal navigation (Previous Entry, Next Entry), mood and music, comment links, comments, "
               "profile and footer", rest)
    return r.story()


def _poster(body: etree._Element, content: etree._Element) -> str | None:
    """The poster: the ljuser in the entry's poster slot, else the first ljuser before the text."""
    slot = next((el for el in body.iter() if isinstance(el.tag, str) and
                 (has_class(el, "entry-poster") or has_class(el, "b-singlepost-author"))), None)
    users = _ljusers(slot) if slot is not None else []
    if not users:
        users = [u for u in _ljusers(body) if precedes(u, content)]
    name = text_of(users[0]) if users else ""
    return name or None


def _dated(body: etree._Element) -> etree._Element | None:
    """LiveJournal's <time class="b-singlepost-author-date"> (the sanitizer keeps no <time>, nor its
    class): the element in the author's block whose text is a date."""
    author = next((d for d in body.iter("div") if has_class(d, "b-singlepost-author")), None)
    return next((el for el in author.iter() if isinstance(el.tag, str) and el is not author and not len(el)
                 and parse_date(text_of(el))), None) if author is not None else None


def _tags(tags: etree._Element, r: PostReader) -> None:
    """One link per tag; "fandom: grey's anatomy" and "pairing: mark/lexie" are those fields."""
    for a in tags.iter("a"):
        tag = text_of(a)
        m = _KEYED_TAG.match(tag)
        name = field_of(m.group(1)) if m else None
        value = m.group(2).upper() if name == "rating" and _RATING.match(m.group(2)) else m.group(2) if m else ""
        if name in {"fandoms", "people", "rating", "warnings", "status", "series"} and r.fields.add(name, value):
            continue  # (the journals keep tags in lower case: a rating code is written as ratings are)
        if tag:
            r.fields.tags.append(tag)

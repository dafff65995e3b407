"""A web page's title, authors, date and language: `Declared` (+ the sanitized body) -> FieldSet.

The page's statements are weighed, never taken blindly: a <title> or og:title carries the site's
name (" - Wikipedia", " | DW | 10.06.2013"), a meta author is often the publisher ("Ediciones El
País", "Deutsche Welle (www.dw.com)", "@NatGeoUK"), and a JSON-LD headline can be a description
(Wikipedia's). A title is the first statement that agrees with another; an author is a person's
name that is not the site's.
"""
from __future__ import annotations

import re

from lxml import etree

from .declared import Declared
from .fields import FieldSet, parse_date, parse_language
from .html import text_of

# " - ", " | ", " – ", " — ", " » ", " / ", " · ", " :: " between a title and its site name.
_SEPARATOR = re.compile(r"\s+(?:[|\-–—»·/•]|::)\s+|\s*\|\s*")
_NOT_A_NAME = re.compile(r"^@|https?:|www\.|\.(?:com|org|net|de|fr|es|co\.uk)\b|^\W*$", re.IGNORECASE)
_BYLINE_PREFIX = re.compile(r"^(?:view all posts by|posted by|published by|written by|by|von|par|por|di|door)\s+",
                            re.IGNORECASE)
_MAX_NAME_WORDS = 5
# A byline line: "By Jake Goulding", "Von Clemens Höges", "par Didier Roy, 21 juin 2018".
_BYLINE_LINE = re.compile(r"^(?:by|von|par|por|door|di)\s+(?P<name>[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){1,3})"
                          r"\s*(?:[,|·–—-].{0,60})?$", re.IGNORECASE)
_TITLE_ELEMENTS = ("h1", "h2", "h3", "b", "strong")


def page_fields(declared: Declared, body: etree._Element, byline: str | None = None) -> FieldSet:
    """What a page states of itself, as fields: its title, authors, date and language. The author
    is the first that names a person and not the site: the page's statements, then `byline` (the
    extractor's), then a line that reads as one ("par Didier Roy, 21 juin 2018", "Von Clemens Höges")."""
    fields = FieldSet()
    fields.title = page_title(declared, body)
    sites = declared.site_names
    for value in (*declared.authors, byline, _byline_line(body)):
        name = _name(value) if value else None
        if name and not _is_site(name, sites):
            fields.authors = [name]
            break
    fields.published = parse_date(declared.published[:10]) if declared.published else None
    fields.language = parse_language(declared.language or "")
    return fields


def page_title(declared: Declared, body: etree._Element) -> str | None:
    """JSON-LD's headline or name, or og:title, where it agrees with the <title> or a heading; else
    og:title; else the heading that the <title> wraps in its site name; else the <title> itself."""
    sites = declared.site_names
    stated = [t for t in (*declared.ld_titles, declared.og_title) if t]
    heads = _heading_texts(body)
    for title in stated:
        if (declared.title and agree(title, declared.title)) or any(_fold(title) in _fold(h) for h in heads):
            return strip_site(title, sites)
    if declared.og_title:
        return strip_site(declared.og_title, sites)
    if declared.title:
        inner = [h for h in heads if len(_fold(h)) >= 3 and _wraps(declared.title, h)]
        return max(inner, key=len) if inner else strip_site(declared.title, sites)
    return stated[0] if stated else None


def strip_site(title: str, sites: tuple[str, ...]) -> str:
    """The title less the parts at its end or start that name the site or are a date
    ("Ein Albtraum - DER SPIEGEL 52/2018" keeps all: no site name is stated for it)."""
    parts = [p for p in _SEPARATOR.split(title) if p.strip()]
    while len(parts) > 1 and (_is_site(parts[-1], sites) or parse_date(parts[-1])):
        parts.pop()
    while len(parts) > 1 and _is_site(parts[0], sites):
        parts.pop(0)
    if len(parts) == len(_SEPARATOR.split(title)):
        return title
    start, end = title.find(parts[0]), title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip() if 0 <= start < end else title


def _byline_line(body: etree._Element) -> str | None:
    """The first short line of the page that is a byline, its name capitalised as names are."""
    for el in body.iter("p", "div", "span", "address", "li", "a", "b", "strong", "em", "i"):
        if len(el) > 3 or len("".join(el.itertext())) > 100:
            continue
        found = _BYLINE_LINE.match(text_of(el))
        name = found.group("name") if found else ""
        if name and not name.isupper() and all(w[:1].isupper() for w in name.split()):
            return found.group("name")
    return None


def _heading_texts(body: etree._Element) -> list[str]:
    texts = []
    for el in body.iter(*_TITLE_ELEMENTS):
        text = text_of(el)
        if 0 < len(text) <= 300:
            texts.append(text)
        if len(texts) >= 200:
            break
    return texts


def _name(value: str) -> str | None:
    """A person's name from a statement or a byline ("By Jake Goulding"), or None. A byline found
    in an author box runs on into the blurb ("Daniel Lemire A computer science professor"), or
    into a web address ("Henning Lobin www lobin de"): the name is the capitalised words before."""
    name = _BYLINE_PREFIX.sub("", value.strip()).strip(" ,;:")
    if len(name.split()) > 3:
        lead = []
        for word in name.split():
            if not word[:1].isupper() or word in {"A", "An", "The"} or lead and word.lower().startswith("www"):
                break
            lead.append(word)
        name = " ".join(lead) if len(lead) >= 2 else name
    name = re.split(r"\s(?:www|https?)\b", name)[0]
    if not name or _NOT_A_NAME.search(name) or len(name.split()) > _MAX_NAME_WORDS or any(c.isdigit() for c in name):
        return None
    return name


def _is_site(value: str, sites: tuple[str, ...]) -> bool:
    """Whether `value` names one of the sites: the same name, or a long word in common
    ("Ediciones El País" and "EL PAÍS", "SPIEGEL ONLINE, Hamburg" and "SPIEGEL ONLINE")."""
    mine = {w for w in _fold(value).split() if len(w) >= 4}
    for site in sites:
        theirs = _fold(site)
        if theirs.startswith(_fold(value) + " s "):
            continue  # "Daniel Lemire's blog": the author's own site
        if _fold(value).replace(" ", "") in theirs.replace(" ", "") or mine & {w for w in theirs.split() if len(w) >= 4}:
            return True
    return False


def agree(a: str, b: str) -> bool:
    fa, fb = _fold(a), _fold(b)
    return bool(fa and fb) and (fa in fb or fb in fa)


def _wraps(title: str, heading: str) -> bool:
    """Whether the <title> is `heading` with something added before or after (a site's name)."""
    ft, fh = _fold(title), _fold(heading)
    return ft.startswith(fh) or ft.endswith(fh)


def _fold(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))

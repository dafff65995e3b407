"""What a web page states about itself: an unsanitized HTML root -> `Declared`.

Read before sanitizing (JSON-LD lives in <script> elements, which sanitizing drops), from:
- the HTML head: <title>, <meta name=author>, <html lang>;
- the Open Graph protocol (ogp.me): og:title, og:site_name, og:type, article:author,
  article:published_time;
- schema.org JSON-LD (<script type="application/ld+json">): the CreativeWork that has a headline
  (Article, NewsArticle, BlogPosting, ...): headline or name, author (a Person, never an
  Organization), datePublished, inLanguage, description, publisher.

JSON-LD is untrusted input: each script is size-limited, parsed with `json` and walked to a
bounded depth and node count, whatever its shape. Nothing here decides; `webpage` weighs it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from lxml import etree

_MAX_SCRIPT = 200_000   # characters of one JSON-LD script; a real one is a few kilobytes
_MAX_SCRIPTS = 16
_MAX_NODES = 5_000      # objects and lists walked in all scripts of a page
_MAX_DEPTH = 8
_WS = re.compile(r"\s+")
# Types whose headline or name is the page's title (schema.org CreativeWork and its article kinds).
_WORKS = {"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
          "opinionnewsarticle", "scholarlyarticle", "techarticle", "socialmediaposting", "creativework",
          "shortstory", "book", "chapter", "liveblogposting", "discussionforumposting", "report"}
_ARTICLE_OG = {"article", "blog", "book"}


@dataclass(frozen=True)
class Declared:
    """A page's own statements, cleaned but unweighed; empty values are None or ()."""

    title: str | None = None            # <title>, as written
    og_title: str | None = None
    ld_titles: tuple[str, ...] = ()     # JSON-LD headline, then name (Wikipedia's headline is a description)
    site_names: tuple[str, ...] = ()    # og:site_name, JSON-LD publisher: never an author or a title
    authors: tuple[str, ...] = ()       # JSON-LD Person names first, then meta author, article:author
    published: str | None = None        # as written: article:published_time, JSON-LD datePublished
    language: str | None = None         # JSON-LD inLanguage, else <html lang>
    description: str | None = None
    article: bool = False               # og:type article or a JSON-LD article: one text, not a story site

    @property
    def titles(self) -> tuple[str, ...]:
        return tuple(t for t in (*self.ld_titles, self.og_title, self.title) if t)


def read_declared(root: etree._Element) -> Declared:
    """The statements of the page whose (unsanitized) root element is `root`."""
    head = root.find("head")
    metas = _metas(root)
    work, publishers = _ld_work(root)
    authors = _ld_authors(work) + [metas.get(k) for k in ("author", "article:author", "dc.creator") if metas.get(k)]
    return Declared(
        title=_clean(head.findtext("title")) if head is not None else None,
        og_title=_clean(metas.get("og:title")),
        ld_titles=tuple(dict.fromkeys(t for t in (_clean(_text(work.get(k))) for k in ("headline", "name")) if t)),
        site_names=tuple(dict.fromkeys(n for n in [_clean(metas.get("og:site_name")), *publishers] if n)),
        authors=tuple(dict.fromkeys(a for a in map(_clean, authors) if a)),
        published=_clean(_text(work.get("datePublished")) if work else None) or _clean(metas.get("article:published_time")),
        language=_clean(_text(work.get("inLanguage")) if work else None) or _clean(root.get("lang")),
        description=_clean(_text(work.get("description")) if work else None) or _clean(metas.get("og:description")),
        article=(metas.get("og:type") or "").strip().lower() in _ARTICLE_OG or bool(work),
    )


def _metas(root: etree._Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").strip().lower()
        if key and meta.get("content"):
            found.setdefault(key, meta.get("content"))
    return found


def _ld_work(root: etree._Element) -> tuple[dict, list[str]]:
    """The first JSON-LD object that is a creative work with a headline (else an article with a
    name), and the names of every publisher the scripts state."""
    budget = [_MAX_NODES]
    objects: list[dict] = []
    scripts = [s for s in root.iter("script") if (s.get("type") or "").strip().lower() == "application/ld+json"]
    for script in scripts[:_MAX_SCRIPTS]:
        text = (script.text or "")[:_MAX_SCRIPT + 1]
        if len(text) > _MAX_SCRIPT:
            continue
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            continue
        _walk(data, objects, budget, 0)
    works = [o for o in objects if _types(o) & _WORKS or "headline" in o]
    work = next((o for o in works if _text(o.get("headline"))), None)
    work = work or next((o for o in works if _types(o) & _WORKS and _text(o.get("name"))), None)
    publishers = [_text(o["publisher"].get("name")) for o in objects if isinstance(o.get("publisher"), dict)]
    return work or {}, [p for p in publishers if p]


def _walk(value, objects: list[dict], budget: list[int], depth: int) -> None:
    """Every object in `value` (a dict's values, a list's items, "@graph"), depth first, bounded."""
    if depth > _MAX_DEPTH or budget[0] <= 0:
        return
    if isinstance(value, dict):
        budget[0] -= 1
        objects.append(value)
        for item in value.values():
            if isinstance(item, (dict, list)):
                _walk(item, objects, budget, depth + 1)
    elif isinstance(value, list):
        budget[0] -= 1
        for item in value[:500]:
            _walk(item, objects, budget, depth + 1)


def _types(obj: dict) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.strip().lower() for k in kinds if isinstance(k, str)}


def _ld_authors(work: dict) -> list[str]:
    """The names of a work's authors that are people (or untyped): an Organization is a publisher."""
    value = work.get("author") if work else None
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items[:20]:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict) and not _types(item) - {"person"}:
            names.append(_text(item.get("name")))
    return [n for n in names if n]


def _text(value) -> str | None:
    """A JSON-LD value as text: a string, or the "name" or "@value" of an object ({"name": "en"})."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    return value if isinstance(value, str) else None


def _clean(value: str | None) -> str | None:
    """White space collapsed, and UTF-8 that was decoded as Latin-1 ("LâÃ©valuation") repaired."""
    if not value:
        return None
    value = _WS.sub(" ", value).strip()[:500]
    return _unmangled(value) or None


def _unmangled(value: str) -> str:
    if not re.search("[\u00c2-\u00f4][\u0080-\u00bf]", value):
        return value
    for codec in ("latin-1", "cp1252"):
        try:
            return value.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return value

"""A saved fanfiction.net (or fictionpress.com, the same markup) story or chapter page -> Story.

The page's own markup is the reference, as FanFicFare's adapter_fanfictionnet reads it:
`#pre_story_links` (the breadcrumb: category > fandom, or "A + B Crossover"), `#profile_top`
(the title in `b.xcontrast_txt`, the author's `/u/` link, the summary `div.xcontrast_txt`, and
the info line `span.xgray`: "Rated: Fiction T - English - Romance/Drama - [Mark S., Lexie G.] Ted -
Chapters: 12 - Words: 45,678 - Reviews: … - Updated: … - Published: … - Status: Complete - id: 123",
each part optional, dates as `span[data-xutime]` epoch seconds), then `#storytext` (or
`div.storytext`). The chapter's title is the selected option of `select#chap_select`; the
sanitizer drops every <select>, so it is read from the page's <title> ("Story Chapter 3: The
Storm, a fandom fanfic | FanFiction"), which the site writes from the same option. Menus,
the chapter select, the review form, share buttons and the footer are reported as dropped.
"""
from __future__ import annotations

import copy
import re

from lxml import etree

from ...model import Diagnostic, Pairing, Story
from ..fields import parse_date, parse_language, parse_words
from ..html import ImageLoader, Page, has_class, text_of
from .posted import PostReader, epoch_date, page_text

_GENRES = {"adventure", "angst", "crime", "drama", "family", "fantasy", "friendship", "general", "horror", "humor",
           "hurt/comfort", "mystery", "parody", "poetry", "romance", "sci-fi", "spiritual", "supernatural",
           "suspense", "tragedy", "western"}
_PAGE_TITLE = re.compile(r"^.*? Chapter (?P<n>\d+)(?:: (?P<title>.+))?, an? [^,]+? \| (?P<site>FanFiction|FictionPress)\s*$")
_SITES = {"FanFiction": "www.fanfiction.net", "FictionPress": "www.fictionpress.com"}


def _by_id(root: etree._Element, name: str) -> etree._Element | None:
    return next((el for el in root.iter() if isinstance(el.tag, str) and el.get("id") == name), None)


def _storytext(body: etree._Element) -> etree._Element | None:
    found = _by_id(body, "storytext")
    return found if found is not None else next((d for d in body.iter("div") if has_class(d, "storytext")), None)


def is_story_page(page: Page) -> bool:
    """#profile_top with its info line (span.xgray), and the story text: the site's three markers."""
    top = _by_id(page.body, "profile_top")
    return top is not None and _storytext(page.body) is not None and any(has_class(s, "xgray") for s in top.iter("span"))


def read_story_page(page: Page, source: str, images: ImageLoader | None = None) -> Story | None:
    body = page.body
    r = PostReader(source, images)
    top, text = _by_id(body, "profile_top"), _storytext(body)
    story_id = _profile(top, r)
    m = _PAGE_TITLE.match(page.title or "")
    site = _SITES.get(m["site"]) if m else ("www.fictionpress.com" if "FictionPress" in (page.title or "") else
                                            "www.fanfiction.net")
    crumbs = _by_id(body, "pre_story_links")
    if crumbs is not None:
        _fandoms(crumbs, r, fiction=site == "www.fictionpress.com")
    r.fields.url = f"https://{site}/s/{story_id}/1/" if story_id else None
    r.post(text, heading=_heading(m))
    _report_chrome(body, (top, text, crumbs), r)
    return r.story()


def _heading(title: re.Match | None) -> str | None:
    """"Chapter 3: The Storm" from the page's <title>; None on a one-shot's page (its title names no chapter)."""
    if title is None:
        return None
    return f"Chapter {title['n']}: {title['title']}" if title["title"] else f"Chapter {title['n']}"


def _profile(top: etree._Element, r: PostReader) -> str | None:
    """The profile into the fields; the story's id, which its info line states."""
    title = next((b for b in top.iter("b") if has_class(b, "xcontrast_txt")), None)
    r.fields.title = text_of(title) if title is not None else None
    author = next((a for a in top.iter("a") if (a.get("href") or "").startswith("/u/")), None)
    if author is not None and text_of(author):
        r.fields.authors.append(text_of(author))
    summary = next((d for d in top.iter("div") if has_class(d, "xcontrast_txt") and text_of(d)), None)
    if summary is not None:
        r.fields.summary = list(r.blocks(summary))
    info = next((s for s in top.iter("span") if has_class(s, "xgray")), None)
    r.diagnostics.append(Diagnostic("header-field", "fanfiction.net story profile read as metadata", page_text(top)))
    return _info_line(info, r) if info is not None else None


def _info_line(info: etree._Element, r: PostReader) -> str | None:
    """"Rated: Fiction T - English - Adventure - Naruto U., OC - Chapters: 151 - … - id: 7347955";
    the id returned."""
    story_id = None
    # The date as the page shows it ("9/2/2011"); its epoch seconds where it shows none ("8h ago", "Mar 28").
    dates = [parse_date(text_of(s)) or epoch_date(s.get("data-xutime")) for s in info.iter("span") if s.get("data-xutime")]
    parts = [p.strip() for p in re.split(r"\s+-\s+", text_of(info)) if p.strip()]
    people: list[str] = []
    for i, part in enumerate(parts):
        key, colon, value = part.partition(":")
        key = key.strip().casefold() if colon else ""
        if key == "rated":
            r.fields.rating = re.sub(r"^Fiction\s+", "", value.strip()) or None
        elif i == 1 and not key and parse_language(part):
            r.fields.language = parse_language(part)
        elif not key and all(g.strip().casefold() in _GENRES for g in _genres(part)):
            r.fields.tags += _genres(part)
        elif key in {"updated", "published"}:
            setattr(r.fields, key, parse_date(value))
        elif key == "words":
            r.fields.stated_words = parse_words(value)
        elif key == "status":
            r.fields.status = "complete" if "complete" in value.casefold() else None
        elif key == "id" and value.strip().isdigit():
            story_id = value.strip()
        elif not key:  # the site's counters ("Reviews: 57") are said in the profile's report, no more
            people.append(part)
    _people(" - ".join(people), r)
    if len(dates) == 2:  # "Updated: …" comes first, "Published: …" last
        r.fields.updated, r.fields.published = dates
    elif len(dates) == 1:
        r.fields.published = dates[0]
    return story_id


def _genres(part: str) -> list[str]:
    return [g.replace("Hurt-Comfort", "Hurt/Comfort") for g in part.replace("Hurt/Comfort", "Hurt-Comfort").split("/")]


def _people(text: str, r: PostReader) -> None:
    """"[Mark S., Lexie G.] Ted, Alex K.": a bracketed group is a pairing; every name is a character."""
    for group in re.findall(r"\[([^\]]+)\]", text):
        pairing = Pairing.parse("/".join(n.strip() for n in group.split(",")))
        if pairing:
            r.fields.pairings.append(pairing)
    names = re.sub(r"[\[\]]", ",", text).split(",")
    r.fields.characters += [n.strip() for n in names if n.strip()]


def _fandoms(crumbs: etree._Element, r: PostReader, fiction: bool) -> None:
    """The breadcrumb's last link ("Anime/Manga > Naruto"), or both sides of "A + B Crossover".
    fictionpress.com's stories are original fiction: its breadcrumb ("Fiction > Humor") is a genre."""
    links = [text_of(a) for a in crumbs.iter("a") if text_of(a)]
    if fiction:
        r.fields.tags += links[1:] or links
    elif len(links) == 1 and links[0].endswith(" Crossover"):
        r.fields.fandoms += [f.strip() for f in links[0][:-len(" Crossover")].split(" + ") if f.strip()]
    elif links:
        r.fields.fandoms.append(links[-1])
    r.diagnostics.append(Diagnostic("header-field", f"fanfiction.net breadcrumb read as the {'genre' if fiction else 'fandom'}",
                                    page_text(crumbs)))


def _report_chrome(body: etree._Element, kept: tuple, r: PostReader) -> None:
    """Everything but the profile, the breadcrumb and the story text: menus, navigation, the review form, footers."""
    rest = copy.deepcopy(body)
    ids = {el.get("id") for el in kept if el is not None and el.get("id")}
    for el in list(rest.iter()):
        if isinstance(el.tag, str) and (el.get("id") in ids or (el.tag == "div" and has_class(el, "storytext"))):
            el.drop_tree()
    text = page_text(rest)
    if text:
        r.drop("fanfiction.net menus, chapter navigation, review form and footer", text)

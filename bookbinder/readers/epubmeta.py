"""An EPUB package's metadata -> FieldSet: what the OPF states, read before any page is looked at.

Input: the parsed OPF package document. Output: a FieldSet of the title, the authors, language,
dates, summary, subjects, series and the URL the work was published at. The OPF is what the
book's maker declared, so it is trusted over page titles and over the text's own guesses.
"""
from __future__ import annotations

import re

from lxml import etree

from ..model import Block
from .fields import FieldSet, parse_date, parse_language
from .inline import paragraph

_NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
_OPF_ATTR = "{http://www.idpf.org/2007/opf}"
# MARC relators (EPUB 3.3 Packages §D.3, OPF 2.0.1 §2.2.6) naming the people who wrote the text.
_WRITERS = {"aut", "author", ""}
# AO3 and FanFicFare put the work's status among the subjects; it is no tag.
_STATUS_SUBJECT = re.compile(r"(last update|in-progress|completed?\b|fanworks$)", re.IGNORECASE)
# OPF 2.0.1 §2.2.7: dc:date's opf:event. The date the EPUB file was made says nothing about the work.
_FILE_EVENTS = {"conversion", "modification", "ops-publication", "creation"}


def package_fields(opf: etree._Element) -> FieldSet:
    """The OPF's <metadata> -> FieldSet; fields it does not state stay empty."""
    fs = FieldSet()
    meta = opf.find("opf:metadata", _NS)
    if meta is None:
        meta = opf.find(".//opf:metadata", _NS)
    if meta is None:
        return fs
    refines = _refines(meta)
    fs.title = _title(meta, refines)
    fs.authors = [_clean(e.text) for e in meta.iterfind("dc:creator", _NS)
                  if _clean(e.text) and _role(e, refines) in _WRITERS]
    fs.language = parse_language(next(iter(_texts(meta, "language")), "")) or None
    fs.published = _published(meta)
    fs.tags = [s for s in _texts(meta, "subject") if not _STATUS_SUBJECT.match(s)]
    described = next((e.text for e in meta.iterfind("dc:description", _NS) if (e.text or "").strip()), None)
    fs.summary = list(description_blocks(described)) if described and not _names_only(described, fs.title) else []
    fs.series, fs.series_index = _series(meta, refines)
    fs.url = next((t for t in _texts(meta, "identifier") + _texts(meta, "source") if re.match(r"https?://", t)), None)
    fs.identifiers = _identifiers(meta)
    return fs


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _texts(meta: etree._Element, tag: str) -> list[str]:
    return [t for e in meta.iterfind(f"dc:{tag}", _NS) if (t := _clean(e.text))]


def _refines(meta: etree._Element) -> dict[tuple[str, str], str]:
    """EPUB 3.3 Packages §5.5.6: <meta refines="#id" property="role">aut</meta> -> {(id, role): aut}."""
    out = {}
    for m in meta.iterfind("opf:meta", _NS):
        ref, prop = (m.get("refines") or "").lstrip("#"), m.get("property")
        if ref and prop:
            out.setdefault((ref, prop), _clean(m.text))
    return out


def _role(creator: etree._Element, refines: dict) -> str:
    """The creator's role: EPUB 2's opf:role attribute, or an EPUB 3 refinement; "" when none is said."""
    role = creator.get(f"{_OPF_ATTR}role") or refines.get((creator.get("id") or "", "role"), "")
    return role.strip().lower()


def _title(meta: etree._Element, refines: dict) -> str | None:
    """The main title (EPUB 3 title-type "main" where titles are refined), else the first."""
    titles = [(e, t) for e in meta.iterfind("dc:title", _NS) if (t := _clean(e.text))]
    main = [t for e, t in titles if refines.get((e.get("id") or "", "title-type")) == "main"]
    return (main or [t for _, t in titles] or [None])[0]


def _published(meta: etree._Element) -> str | None:
    """The work's date: a dc:date whose event is the work's publication, or says none; never the
    date the file was made, never a year alone (parse_date would invent the day)."""
    for e in meta.iterfind("dc:date", _NS):
        event = (e.get(f"{_OPF_ATTR}event") or "").lower()
        text = _clean(e.text)
        if event in _FILE_EVENTS or not re.match(r"\d{4}-\d\d", text):
            continue
        if when := parse_date(text[:10]):
            return when
    return None


def _series(meta: etree._Element, refines: dict) -> tuple[str | None, float | None]:
    """calibre's <meta name="calibre:series"> (and calibre:series_index), or an EPUB 3.3 collection
    (§5.5.6 belongs-to-collection) whose collection-type is "series" or unstated, with its
    group-position: (name, index)."""
    metas = list(meta.iterfind("opf:meta", _NS))
    for m in metas:
        if m.get("name") == "calibre:series" and _clean(m.get("content")):
            index = next((x.get("content") for x in metas if x.get("name") == "calibre:series_index"), None)
            return _clean(m.get("content")), _number(index)
        if m.get("property") == "belongs-to-collection" and _clean(m.text) and not m.get("refines"):
            ref = m.get("id") or ""
            if refines.get((ref, "collection-type"), "series") == "series":
                return _clean(m.text), _number(refines.get((ref, "group-position")))
    return None, None


def _number(text: str | None) -> float | None:
    try:
        value = float((text or "").strip())
    except ValueError:
        return None
    return value if 0 <= value < 1e6 else None


# dc:identifier schemes that name a work where it was published (calibre writes "ao3:334557" or
# opf:scheme="AO3"); a book's own uuid or calibre id names the file, not the work.
_WORK_SCHEMES = {"ao3", "ffnet", "fictionpress", "isbn", "doi"}


def _identifiers(meta: etree._Element) -> list[tuple[str, str]]:
    found = []
    for e in meta.iterfind("dc:identifier", _NS):
        text, scheme = _clean(e.text), (e.get(f"{_OPF_ATTR}scheme") or "").strip().casefold()
        if not scheme and re.match(r"^[a-z0-9]+:(?!//)", text, re.I):
            scheme, text = (p.strip() for p in text.split(":", 1))
            scheme = scheme.casefold()
        if scheme in _WORK_SCHEMES and text:
            found.append((scheme, text))
    return found


def _names_only(described: str, title: str | None) -> bool:
    """A description that restates the title ("calibre Quick Start Guide" for "Quick Start Guide")
    says nothing of the story: no summary."""
    words, named = re.findall(r"\w+", described.casefold()), re.findall(r"\w+", (title or "").casefold())
    return bool(named) and " ".join(named) in " ".join(words) and len(words) <= len(named) + 2


def description_blocks(text: str) -> tuple[Block, ...]:
    """dc:description -> paragraphs. calibre and AO3 write it as HTML (escaped in the OPF): it is
    parsed and sanitized like any page, never pasted; plain text is split at its line breaks."""
    from .html import parse_page, units_of
    from .structure import unit_block

    if re.search(r"<[a-zA-Z/!]", text):
        units = units_of([parse_page(text, "").body], [])
        return tuple(unit_block(u) for u in units if u.image is None and u.text.strip())
    return tuple(paragraph(line) for line in re.split(r"\s*\n\s*", text.strip()) if line.strip())

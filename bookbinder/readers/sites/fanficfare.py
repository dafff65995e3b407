"""FanFicFare's HTML and EPUB layouts: a title page of "Label: value" entries, then one section per chapter.

HTML: `<h1>Title by Author</h1>`, a table of `<b>Label:</b>` rows, a table of contents, then
`<h2>` chapter titles each followed by a `<div>` of text. EPUB: a `fff_titlepage` document with
`<b>Label:</b> value<br/>` lines, then `fff_chapter` documents opening with their title.
FanFicFare's "Category" is the story's fandom; its packaging fields (Packaged, Publisher,
Chapters, URLs) are reported and dropped. Its TXT output (writer_txt) has a reader of its own below,
which gives the same story model.
"""
from __future__ import annotations

import copy
import re
from dataclasses import replace

from lxml import etree

from ...errors import InputError
from ...model import Diagnostic, Note, Pairing, Story
from ..work import ChapterParts, WorkReader
from ..fields import field_of, parse_words, split_list
from ..html import ImageLoader, Page, has_class, parse_page, spaced_text, text_of
from ..inline import paragraph
from ..segment import segment

_PACKAGING = {"packaged", "publisher", "chapters", "story url", "author url", "site", "storyid", "extratags",
              "story id", "author id", "created", "date created", "site abbreviation"}


_WORK_URL = {"story url"}  # where the work was published: its identifier, not packaging


def _url(value: str) -> str | None:
    m = re.match(r"\s*(https?://\S+)", value)
    return m.group(1) if m else None


def _work_url(r: WorkReader, label: str, url: str) -> None:
    r.fields.url = url
    r.diagnostics.append(Diagnostic("header-field", f"FanFicFare field {label!r} read as the work's address",
                                    f"{label}: {url}"))


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
        if key in _WORK_URL and _url(text_of(value)):
            _work_url(r, label, _url(text_of(value)))
            continue
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


# ---------------------------------------------------------------- TXT
# FanFicFare's writer_txt: "\n{title}\nby {author}\n", a title page of "Label: value" lines (values
# wrapped at 78 columns, the summary over several paragraphs), "TABLE OF CONTENTS" and one entry per
# chapter, then each chapter as its title indented by a tab (expanded to 8 spaces when wrapped)
# followed by html2text's rendering of the chapter (### headings, _italics_, * * * for <hr>), and
# "End file." at the very end.
_TXT_LABEL = re.compile(r"^(?P<key>[A-Z][A-Za-z ]{0,30}):(?:\s+(?P<value>.*))?$")
_CHAPTER_LINE = re.compile(r"^(?:\t| {8})(?P<title>\S.*)$")
_HTML_TAG = re.compile(r"</?(?:p|br|div|span|i|b|em|strong|u|s)\b[^>]*>", re.IGNORECASE)
_MD_HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+?)\s*#*\s*$")


def is_fanficfare_text(lines: list[str]) -> bool:
    """FanFicFare's TXT: its packaging labels ("Packaged:", "Story URL:") on the title page, then a
    TABLE OF CONTENTS or, where the user turned that page off, the first tab-indented chapter title."""
    head = lines[:400]
    end = next((i for i, line in enumerate(head) if line.startswith("TABLE OF CONTENTS") or _CHAPTER_LINE.match(line)),
               None)
    if end is None:
        return False
    labels = {m["key"].casefold() for line in head[:end] if (m := _TXT_LABEL.match(line.strip()))}
    return len(labels & {"packaged", "publisher", "story url", "author url"}) >= 2


def read_fanficfare_text(lines: list[str], source: str, diagnostics: list[Diagnostic], starts=()) -> Story:
    r = WorkReader(source, None)
    r.diagnostics += diagnostics
    lines = [line.rstrip("\r") for line in lines]
    toc = next((i for i, line in enumerate(lines[:400]) if line.strip() == "TABLE OF CONTENTS"), None)
    first = toc if toc is not None else next(i for i, line in enumerate(lines) if _CHAPTER_LINE.match(line))
    i = _txt_byline(lines, r)
    _txt_title_page(lines[i:first], r)
    if toc is not None:
        entries, first = _txt_contents(lines, toc)
        r.drop("table of contents", "\n".join(line for line in lines[toc:first] if line.strip()))
        starts = _txt_chapter_starts(lines, first, entries)
    else:
        starts = _txt_chapter_starts(lines, first, None)
    if not starts:
        raise InputError("is FanFicFare text, but its chapters do not match its table of contents", source)
    if any(line.strip() for line in lines[first:starts[0][0]]):
        starts.insert(0, (first, first))  # text before the first chapter the contents name: kept, untitled
    end = len(lines)
    while end > starts[-1][1] and not lines[end - 1].strip():
        end -= 1
    if end > starts[-1][1] and lines[end - 1].strip() == "End file.":
        end -= 1
        r.diagnostics.append(Diagnostic("trailer-dropped", "FanFicFare's 'End file.' dropped", "End file."))
    for n, (title_at, text_at) in enumerate(starts):
        stop = starts[n + 1][0] if n + 1 < len(starts) else end
        heading = " ".join(line.strip() for line in lines[title_at:text_at] if line.strip())
        units = [replace(u, lines=(h["text"],), heading=True) if u.single and (h := _MD_HEADING.match(u.text)) else u
                 for u in segment(lines[text_at:stop])]
        r.chapters.append(ChapterParts(heading=heading or None, units=units))
    story = r.story()  # the chapters as every layout reader makes them
    if story is None:
        raise InputError("is FanFicFare text, but holds no story text", source)
    return story


def _txt_byline(lines: list[str], r: WorkReader) -> int:
    """The title line and the "by" lines under it; the index after them."""
    i = next(k for k, line in enumerate(lines) if line.strip())
    r.fields.title = lines[i].strip()
    i += 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    if lines[i].startswith("by "):
        by = []
        while i < len(lines) and lines[i].strip():
            by.append(lines[i].strip())
            i += 1
        text = " ".join(by)
        r.fields.authors += [a.strip() for a in text[3:].split(", ") if a.strip()]
        r.diagnostics.append(Diagnostic("header-field", "FanFicFare byline read as the authors", text))
    r.diagnostics.append(Diagnostic("header-field", "FanFicFare title line read as the title", r.fields.title))
    return i


def _txt_title_page(lines: list[str], r: WorkReader) -> None:
    entries: list[tuple[str, list[str]]] = []
    stray: list[str] = []
    for line in lines:
        m = _TXT_LABEL.match(line)
        # Every title-page entry is "Label: value"; the summary, last, may hold such lines of its own.
        if m and not (entries and entries[-1][0].casefold() == "summary"):
            entries.append((m["key"], [m["value"] or ""]))
        elif entries:
            entries[-1][1].append(line)
        elif line.strip():
            stray.append(line.strip())
    if stray:  # text before the first entry: not FanFicFare's, so kept as a note and reported
        r.fields.notes.append(Note((paragraph(" ".join(stray)),), "Title Page"))
        r.diagnostics.append(Diagnostic("note-moved", "text on FanFicFare's title page kept as a note", "\n".join(stray)))
    for key, value_lines in entries:
        value = " ".join(v.strip() for v in value_lines if v.strip())
        said = f"{key}: " + "\n".join(value_lines).strip()
        k = key.casefold()
        if k in _WORK_URL and _url(value):
            _work_url(r, key, _url(value))
            continue
        if k in _PACKAGING:
            r.drop(f"FanFicFare packaging field {key!r}", said)
            continue
        r.diagnostics.append(Diagnostic("header-field", f"FanFicFare field {key!r} read as metadata", said))
        if k == "summary":
            text = "\n".join(value_lines).strip()
            if _HTML_TAG.search(text):  # the site's description, written out as its HTML
                page = parse_page(text, r.source)  # parsed as the fragment it is, never pasted into markup
                r.fields.summary = list(r.blocks(page.body))
            else:
                r.fields.summary = [paragraph(" ".join(p.split())) for p in re.split(r"\n\s*\n", text) if p.strip()]
        elif k in {"category", "fandoms"}:
            r.fields.fandoms += split_list(value)
        elif k == "characters":  # as the HTML title page gives them: "Chloe B." keeps its full stop
            r.fields.characters += [c.strip() for c in value.split(",") if c.strip()]
        elif k in {"relationships", "ships"}:
            for item in split_list(value):
                pairing = Pairing.parse(item)
                if pairing:
                    r.fields.pairings.append(pairing)
                else:
                    r.fields.characters.append(item)
        elif k in {"genre", "freeform tags"}:
            r.fields.tags += split_list(value)
        elif k == "words":
            r.fields.stated_words = parse_words(value)
        elif (name := field_of(key)) is not None:
            r.fields.add(name, value, key)
        elif k in {"extra tags", "freeform", "tags"}:
            r.fields.tags += split_list(value)
        else:
            r.fields.tags.append(f"{key}: {value}")


def _txt_contents(lines: list[str], toc: int) -> tuple[list[str], int]:
    """The contents entries (each may wrap) and the index of the first chapter's title line."""
    entries: list[str] = []
    i = toc + 1
    current: list[str] = []
    while i < len(lines) and not _CHAPTER_LINE.match(lines[i]):
        if lines[i].strip():
            current.append(lines[i].strip())
        elif current:
            entries.append(" ".join(current))
            current = []
        i += 1
    if current:
        entries.append(" ".join(current))
    return entries, i


def _txt_chapter_starts(lines: list[str], first: int, entries: list[str] | None) -> list[tuple[int, int]]:
    """(title line, first text line) of each chapter: an indented line after a blank one that opens
    the next contents entry (any such line, where there is no contents page)."""
    starts: list[tuple[int, int]] = []
    want = iter(entries or ())
    entry = next(want, None)
    i = first
    while i < len(lines) and (entry is not None or entries is None):
        m = _CHAPTER_LINE.match(lines[i])
        if m and (not lines[i - 1].strip() if i else True) and (entries is None or entry.startswith(m["title"].strip()[:40])):
            j = i + 1
            while j < len(lines) and lines[j].strip():
                j += 1
            starts.append((i, j))
            entry = next(want, None)
            i = j
            continue
        i += 1
    return starts

"""Book furniture of plain-text books: Project Gutenberg's header and licence, a contents list.

lines -> (lines of the book, header fields, diagnostics), and units -> units without the
repeated title page or a plain-text table of contents (the book makes its own).
"""
from __future__ import annotations

import re

from lxml import etree

from ..model import Diagnostic, Note
from .fields import FieldSet, field_of
from .html import block_text
from .patterns import chapter_heading, is_marker
from .inline import paragraph
from .segment import Unit, segment

_START = re.compile(r"^\s*\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b.*$", re.IGNORECASE)
# The 1990s licence ends its header: "*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*".
_SMALL_PRINT_END = re.compile(r"^\s*\*\s*END\s*\*?\s*THE SMALL PRINT!.*\*\s*END\s*\*\s*$", re.IGNORECASE)
_END = re.compile(r"^\s*\**\s*(?:\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b.*|"
                  r"End of (?:the )?Project Gutenberg'?s? .*|End of this Project Gutenberg .*)$", re.IGNORECASE)
# Early etexts name themselves on their first lines: "The Project Gutenberg Etext of Rashomon by
# AKUTAGAWA Ryunosuke", "This is the February 1992 Project Gutenberg release of:" then "Paradise Lost
# by John Milton".
_ETEXT_OF = re.compile(r"^\s*(?:the )?project gutenberg(?:'s)? e-?(?:text|book) of\s+(?P<what>\S.*?)\s*$",
                       re.IGNORECASE)
_RELEASE_OF = re.compile(r"^\s*this is the\b.{0,40}\bproject gutenberg\b.{0,30}\bof:?\s*$", re.IGNORECASE)
_FIELD = re.compile(r"^(?P<key>Title|Author|Release [Dd]ate|Language|Translator|Editor|Illustrator|Credits|"
                    r"Posting [Dd]ate|Original publication|Most recently updated)\s*:\s*(?P<value>.*)$")
_PRODUCED = re.compile(r"^(?:produced by|e-?text prepared by|transcribed by|this e-?book was produced by)\b",
                       re.IGNORECASE)
_PROSE = re.compile(r"[a-z,;][.!?][\"”’']?\s+[\"“]?[A-Z]")
_CONTENTS = re.compile(r"^\s*(?:table of )?contents\.?\s*$", re.IGNORECASE)


def strip_gutenberg(lines: list[str], fields: FieldSet, diagnostics: list[Diagnostic]) -> list[str]:
    """The book's own lines, without Project Gutenberg's header, licence and credits, in every era's form."""
    # One scan of the whole text, in C: most stories never name Project Gutenberg at all.
    text = "\n".join(lines)
    start = next((i for i in _lines_at(text, "project gutenberg", "small print")
                  if _START.match(lines[i]) or _SMALL_PRINT_END.match(lines[i])), None)
    if start is None:
        start = _early_etext(lines, fields)
        if start is None:
            return lines
    else:
        _read_header(lines[:start], fields)
    end = next((i for i in _lines_at(text, "end of") if i > start and _END.match(lines[i])), len(lines))
    diagnostics.append(Diagnostic(
        "cruft-dropped", f"Project Gutenberg header ({start} lines) and licence ({len(lines) - end} lines) dropped",
        "\n".join(lines[:start + 1] + lines[end:])))
    body = lines[start + 1:end]
    return _title_page(_credits(body, diagnostics), fields, diagnostics)


def _lines_at(text: str, *needles: str) -> list[int]:
    """The numbers of the lines holding any of `needles` (case ignored), in order."""
    folded = text.casefold()  # same length as text for the ASCII needles' matches that matter here
    places = sorted(at for needle in needles for at in _finds(folded, needle))
    found, line, last = [], 0, 0
    for at in places:  # counted incrementally: linear in the text, however many matches
        line += folded.count("\n", last, at)
        last = at
        if not found or found[-1] != line:
            found.append(line)
    return found


def _finds(text: str, needle: str):
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + len(needle))


def _early_etext(lines: list[str], fields: FieldSet) -> int | None:
    """The last header line of an etext with no licence block: its name line, or up to the title's repeat."""
    top = [(i, line.strip()) for i, line in enumerate(lines[:40]) if line.strip()][:4]
    for n, (i, text) in enumerate(top):
        m = _ETEXT_OF.match(text)
        named = m["what"] if m else (top[n + 1][1] if _RELEASE_OF.match(text) and n + 1 < len(top) else None)
        if named:
            _title_by(named, fields)
            repeat = _repeat_of(lines, i + 1, fields.title)
            return repeat - 1 if repeat is not None else i
    return None


def _title_by(named: str, fields: FieldSet) -> None:
    """"Rashomon by AKUTAGAWA Ryunosuke" -> the title and the author, where the header did not give them."""
    title, _, author = named.rpartition(" by ") if " by " in named else (named, "", "")
    fields.title = fields.title or title.strip(" ,.*") or None
    if author.strip() and not fields.authors:
        fields.authors.append(author.strip(" ,.*"))


def _repeat_of(lines: list[str], after: int, title: str | None) -> int | None:
    """The line, after `after`, that gives the title alone again: the book's own title page."""
    if not title:
        return None
    want = title.casefold()
    return next((i for i in range(after, min(len(lines), after + 400)) if lines[i].strip().casefold() == want), None)


def _indented_start(body: list[str]) -> int | None:
    """Japanese etexts open each paragraph with a full-width space; what comes before the first such
    paragraph (an English title page, a digitizer's note, the title and author in Japanese) is front."""
    cjk = sum(1 for line in body for c in line if "\u3040" <= c <= "\u9fff")
    if cjk < sum(len(line) for line in body) // 3:
        return None
    start = next((i for i, line in enumerate(body)  # the full-width space may arrive as a plain one
                  if line[:1].isspace() and "\u3040" <= line.lstrip()[:1] <= "\u9fff" and len(line.strip()) > 10), None)
    if start is None or start > max(len(body) // 4, 60) or not any(line.strip() for line in body[:start]):
        return None
    return start


def _credits(body: list[str], diagnostics: list[Diagnostic]) -> list[str]:
    """The producers' credit that opens the text ("Produced by … Proofreading Team"), reported and dropped."""
    i = next((k for k, line in enumerate(body) if line.strip()), 0)
    if i >= len(body) or not _PRODUCED.match(body[i].strip()):
        return body
    j = i + 1
    while j < len(body) and body[j].strip() and len(body[j].strip()) > 40 and not body[j].strip().isupper():
        j += 1  # the credit carries on over wrapped lines
    diagnostics.append(Diagnostic("front-matter-dropped", "the producers' credit dropped", "\n".join(body[i:j])))
    return body[:i] + body[j:]


def _title_page(body: list[str], fields: FieldSet, diagnostics: list[Diagnostic]) -> list[str]:
    """A book that gives its title, then front matter (a title page, a translator's note), then its
    title again over the text: the front matter becomes a note, the text starts at the repeat."""
    title = (fields.title or "").casefold()
    first = next((i for i, line in enumerate(body[:60]) if line.strip().casefold() == title), None) if title else None
    repeat = _repeat_of(body, first + 1, fields.title) if first is not None else None
    if repeat is None or repeat > len(body) // 4:
        repeat, first = _indented_start(body), -1
    if repeat is None:
        return body
    matter = [line for line in body[first + 1:repeat] if line.strip()]
    if matter:
        fields.notes.append(Note(tuple(paragraph(" ".join(u.lines)) for u in segment(body[first + 1:repeat])),
                                 "Front Matter"))
        diagnostics.append(Diagnostic("front-matter-moved", f"the book's front matter ({len(matter)} lines) moved "
                                      "out of the text into the notes", "\n".join(matter)))
    return (body[:first] if first > 0 else []) + body[repeat:]  # what came before the title page is read as usual


def _read_header(lines: list[str], fields: FieldSet) -> None:
    key, value = None, ""
    named = next((m["what"] for line in lines[:40] if (m := _ETEXT_OF.match(line.strip()))), None)
    for line in lines + [""]:
        m = _FIELD.match(line.strip())
        if key and (m or not line.strip() or not line.startswith((" ", "\t"))):
            _set(fields, key, value)
            key = None
        if m:
            key, value = m["key"], m["value"]
        elif key and line.strip():
            value += " " + line.strip()
    if named:
        _title_by(named, fields)


def _set(fields: FieldSet, key: str, value: str) -> None:
    value = re.sub(r"\[[^\]]*\]", "", value).strip()  # "[eBook #1342]"
    k = key.casefold()
    if k.startswith(("release", "posting", "original")):
        # "March 3, 2021 [eBook #64821]  Most recently updated: October 18, 2024" (today's header)
        first, _, updated = value.partition("Most recently updated:")
        fields.add("published", first.strip())
        if updated.strip():
            fields.add("updated", updated.strip())
    elif k == "most recently updated":
        fields.add("updated", value)
    elif k == "author":
        fields.authors.extend(a.strip() for a in re.split(r"\s+and\s+|;", value) if a.strip())
    elif k in {"title", "language"}:
        fields.add(field_of(k) or k, value)


def drop_book_front(units: list[Unit], fields: FieldSet, diagnostics: list[Diagnostic]) -> list[Unit]:
    """The repeated title, byline and producer credit at a book's top, and its contents list."""
    names = {n.casefold() for n in [fields.title or "", *fields.authors] if n}
    i = 0
    contents = next((k for k, u in enumerate(units[:16]) if _CONTENTS.match(u.text.strip())), None)
    if contents and all(_title_line(u) for u in units[:contents]):
        _front_matter(units[:contents], fields, diagnostics)  # a title page, then the contents list
        i = contents
    while i < len(units) - 1 and i < 12:
        t = units[i].text.strip()
        plain = re.sub(r"^by\s+", "", t, flags=re.IGNORECASE).casefold().strip(" .")
        if (names and plain in names) or _PRODUCED.match(t):
            diagnostics.append(Diagnostic("front-matter-dropped", f"title page line {t[:60]!r} dropped", t))
            i += 1
        elif _CONTENTS.match(t):
            i = _skip_contents(units, i, diagnostics)
        else:
            break
    return units[i + _title_page_lines(units[i:], fields, diagnostics):]


_NAME = re.compile(r"^(?:[A-Z][a-z]+\.?|[A-Z]\.)(?:\s+(?:[A-Z][a-z]+\.?|[A-Z]\.|[A-Z][a-z]*[A-Z][a-z]+)){1,3}$")


def _title_page_lines(units: list[Unit], fields: FieldSet, diagnostics: list[Diagnostic]) -> int:
    """A printed book's title page before its first chapter heading ("Lewis Carroll", "THE MILLENNIUM
    FULCRUM EDITION 2.9"): short lines, none a sentence. A name is the author; the rest is front
    matter. Returns how many units it took."""
    head = next((k for k, u in enumerate(units[:8]) if u.single and chapter_heading(u.text)), None)
    if not head or not all(_title_line(u) for u in units[:head]):
        return 0
    _front_matter(units[:head], fields, diagnostics)
    return head


def _title_line(u: Unit) -> bool:
    """A line of a title page: short, not a sentence (or a rule between its parts)."""
    return len(u.lines) <= 4 and all(is_marker(line) or len(line.split()) <= 12 and not re.search(r"[a-z][.!?]$", line)
                                     for line in u.lines)


def _front_matter(units: list[Unit], fields: FieldSet, diagnostics: list[Diagnostic]) -> None:
    matter = []
    for u in units:
        name = re.sub(r"\s*著$", "", u.text.strip())  # Japanese "マルチン・ルター 著": by Martin Luther
        if not fields.authors and (_NAME.match(name) or name != u.text.strip() and name):
            fields.authors.append(name)
            diagnostics.append(Diagnostic("header-field", f"title page name {u.text!r} read as the author", u.text))
        elif not is_marker(u.text) or any(c.isalnum() for c in u.text):  # a rule of stars carries no words
            matter.append(u.text)
    if matter:
        fields.notes.append(Note(tuple(paragraph(t) for t in matter), "Title Page"))
        diagnostics.append(Diagnostic("front-matter-moved", "the title page moved out of the text into the notes",
                                      "\n".join(matter)))


def _prose(u: Unit) -> bool:
    """Sentences, where a contents list has titles, names and page numbers."""
    return not u.verse and (len(u.text) > 100 and bool(_PROSE.search(u.text))
                            or len(u.text.split()) >= 8 and bool(re.search(r"[.!…][\"”’']?$", u.text)))


def _prose_follows(units: list[Unit], j: int) -> bool:
    return any(_prose(u) for u in units[j + 1:j + 4])


def _skip_contents(units: list[Unit], i: int, diagnostics: list[Diagnostic]) -> int:
    seen: set[str] = set()
    j = i + 1
    while j < len(units) - 1:
        u = units[j]
        head = chapter_heading(u.lines[0])
        if head and (head[0].casefold() in seen or u.single and _prose_follows(units, j)):
            break  # the first chapter itself: its heading, perhaps its title, then its text
        if _prose(u):
            break  # sentences: the text has begun
        seen |= {h[0].casefold() for line in u.lines if (h := chapter_heading(line))}
        j += 1
    dropped = [line for u in units[i:j] for line in u.lines]
    diagnostics.append(Diagnostic("contents-dropped", f"plain-text contents list ({len(dropped) - 1} lines) dropped; "
                                                      "the book makes its own", "\n".join(dropped)))
    return j


# ---------------------------------------------------------------- HTML
# Project Gutenberg's HTML books wrap the same furniture in elements: today's in
# <section id="pg-header"> with "<strong>Title</strong>: …" lines and a "*** START OF …" separator,
# older ones in a <pre> header; the "*** END OF …" line opens the licence at the end.
def strip_gutenberg_page(body: etree._Element, fields: FieldSet, diagnostics: list[Diagnostic]) -> None:
    start = _marker(body, _START)
    if start is None:
        return
    header = _cut(start, before=True)
    _read_header(_lines(header), fields)
    end = _marker(body, _END)
    footer = _cut(end, before=False) if end is not None else None
    said = block_text(header) + (" " + block_text(footer) if footer is not None else "")
    diagnostics.append(Diagnostic("cruft-dropped", "Project Gutenberg's header and licence dropped", said.strip()))


def _marker(body: etree._Element, pattern: re.Pattern) -> etree._Element | None:
    """The outermost element whose whole text is the marker line."""
    for el in body.iter():
        if isinstance(el.tag, str) and el is not body:
            text = " ".join(el.itertext()).strip()
            if len(text) < 300 and pattern.match(text):
                return el
    return None


def _lines(el: etree._Element) -> list[str]:
    return [line.strip() for line in "\n".join(_block_lines(el)).split("\n") if line.strip()]


def _block_lines(el: etree._Element) -> list[str]:
    """An element's text, a line per block element or <br>, as the header's "Key: value" lines need."""
    out = [""]
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if not isinstance(node.tag, str):
            continue
        block = node.tag in {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr", "section"}
        if event == "start":
            if block:
                out.append("")
            out[-1] += node.text or ""
        else:
            if block:
                out.append("")
            if node is not el and node.tail:
                out[-1] += node.tail
    return out


def _cut(el: etree._Element, before: bool) -> etree._Element:
    """Move `el` and everything before it (or after it) in document order into a new element, which
    is returned; the text of the page stays as it was around the cut."""
    taken: list = []
    node = el
    while (parent := node.getparent()) is not None:
        if before:
            level = list(node.itersiblings(preceding=True))[::-1]
            head = parent.text
            parent.text = None
            box = etree.Element("div")
            box.text = head
            for sib in level:
                box.append(sib)  # moves it, with its tail
            taken.insert(0, box)
        else:
            box = etree.Element("div")
            for sib in list(node.itersiblings()):
                box.append(sib)
            taken.append(box)
        if parent.tag == "body":
            break
        node = parent
    holder = etree.Element("div")
    tail = el.tail
    el.tail = None
    parent = el.getparent()
    index = parent.index(el)
    parent.remove(el)
    if before:
        if tail:  # the marker's tail is the book's text: it stays where the marker was
            if index > 0:
                parent[index - 1].tail = (parent[index - 1].tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        for box in taken:
            holder.append(box)
        holder.append(el)
    else:
        holder.append(el)
        el.tail = tail
        for box in taken:
            holder.append(box)
    return holder

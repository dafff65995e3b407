"""Project Gutenberg's header and licence inside an EPUB's documents -> the documents without them.

Input: the bodies of the spine's documents, in reading order. Output: the same bodies, the header
(everything before "*** START OF THIS PROJECT GUTENBERG EBOOK … ***") and the licence (from
"End of the Project Gutenberg EBook of …", "*** END OF …" or "*** START: FULL LICENSE ***" on)
taken out, the header's "Title:"/"Author:" lines read into a FieldSet, and one diagnostic. PG's
epubmaker (2005-2020) put them in the spine as ordinary paragraphs, or as lines of one <div>
broken by <br/>, so a marker may be an element of its own or one line inside one. The markers
are those readers/gutenberg.py knows for text and for today's HTML.
"""
from __future__ import annotations

import re

from lxml import etree

from ..model import Diagnostic, count_words
from .fields import FieldSet
from .gutenberg import _END, _START, _cut, _lines, _marker, _read_header
from .html import block_text

_LICENCE = re.compile(r"^\s*\*+\s*START:?\s*(?:OF\s+)?(?:THE\s+)?FULL\s+LICEN[CS]E\b.*$", re.IGNORECASE)


def strip_gutenberg_documents(bodies: list[etree._Element], fields: FieldSet,
                              diagnostics: list[Diagnostic]) -> None:
    """Take PG's header and licence out of `bodies` (in place), reading the header into `fields`.

    Only a START line in the book's first quarter counts: a copyright page at the end that repeats
    the header (the IDPF Moby-Dick) must not make the whole book a header."""
    if not any("project gutenberg" in block_text(b).casefold() for b in bodies):
        return
    words = [count_words(block_text(b)) for b in bodies]
    start = _find(bodies, [_START], 0)
    if start is None or sum(words[:start[0]]) > sum(words) / 4:
        return
    header = [_empty(b) for b in bodies[:start[0]]] + [_cut(start[1], before=True)]
    _read_header([line for el in header for line in _lines(el)], fields)
    end = _find(bodies, [_END, _LICENCE], start[0])
    licence = []
    if end is not None:
        licence = [_cut(end[1], before=False)] + [_empty(b) for b in bodies[end[0] + 1:]]
    said = " ".join(" ".join(block_text(el).split()) for el in header + licence)
    diagnostics.append(Diagnostic("cruft-dropped", "Project Gutenberg's header and licence dropped", said.strip()))


def _find(bodies: list[etree._Element], patterns: list[re.Pattern], first: int
          ) -> tuple[int, etree._Element] | None:
    """The first document (from `first`) holding a marker line, and the marker as an element."""
    for i in range(first, len(bodies)):
        for pattern in patterns:
            el = _marker(bodies[i], pattern) or _line(bodies[i], pattern)
            if el is not None:
                return i, el
    return None


def _line(body: etree._Element, pattern: re.Pattern) -> etree._Element | None:
    """A marker that is one line of a longer text (a <div> of <br/>-broken lines): that line put in
    a <span> of its own, which is returned, so the tree can be cut there."""
    for node in body.iter():
        if not isinstance(node.tag, str):
            continue
        for where in ("text", "tail"):
            value = getattr(node, where)
            if not value or where == "tail" and node is body:
                continue
            m = next((m for m in re.finditer(r"[^\n]+", value) if pattern.match(m.group(0))), None)
            if m:
                return _wrap(node, where, value, m.start(), m.end())
    return None


def _wrap(node: etree._Element, where: str, value: str, start: int, end: int) -> etree._Element:
    span = etree.Element("span")
    span.text, span.tail = value[start:end], value[end:]
    if where == "text":
        node.text = value[:start]
        node.insert(0, span)
    else:
        node.tail = value[:start]
        node.addnext(span)
    return span


def _empty(body: etree._Element) -> etree._Element:
    """Empty a document wholly given to PG's furniture; what it held, for the report."""
    holder = etree.Element("div")
    holder.text, body.text = body.text, None
    holder.extend(list(body))
    return holder

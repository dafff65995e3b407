"""An EPUB's content documents -> segments: each document cut where the book says a piece starts.

Input: the spine's documents, parsed (`prepare` runs on each raw tree before sanitizing), and the
places the navigation names. Output: `Segment`s in reading order, each a <div> holding a copy of
what lies between one named place and the next (the elements around a cut are repeated, so a
cut inside a <section> or a <blockquote> keeps both halves' structure), and where each place is.

`prepare` keeps what sanitizing would lose: page numbers leave the text (EPUB 3.3 Structural
Semantics `pagebreak`, DPUB-ARIA `doc-pagebreak`, the targets of a page-list or NCX pageList),
and the epub:type of each element survives as a class `epub-<type>` for the classifier.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from ..model import count_words
from .epubnav import Target, epub_types

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# EPUB 3.3 Structural Semantics: notes that are not running text (kept apart, as notes).
_NOTE_TYPES = {"footnote", "endnote", "rearnote", "annotation", "note"}
_NOTE_ROLES = {"doc-footnote", "doc-endnote"}
_PAGE_LABEL = re.compile(r"^\W*(?:p(?:age|g)?\.?\s*)?[\divxlcdm]{1,6}\W*$", re.IGNORECASE)


@dataclass
class Segment:
    """A stretch of one document between two named places."""

    doc: int               # its document's index in the reading order
    body: etree._Element   # a <div> holding (copies of) its content
    words: int = 0         # words outside headings: a segment of headings alone is a divider


def prepare(page_ids: set[str], dropped: list[str]):
    """The hook for one document: page numbers out (their text into `dropped`), epub:type kept."""

    def run(root: etree._Element) -> None:
        for el in list(root.iter()):
            if not isinstance(el.tag, str):
                continue
            types = epub_types(el)
            if types:
                classes = " ".join("epub-" + re.sub(r"[^a-z0-9-]", "-", t) for t in types)
                el.set("class", f"{el.get('class') or ''} {classes}".strip())
            if set(types) & _NOTE_TYPES or el.get("role") in _NOTE_ROLES:
                el.set("class", el.get("class") + " epub-note" if el.get("class") else "epub-note")
            if _is_page_number(el, types, page_ids):
                dropped.append(_as_read(el))
                _remove(el)
    return run


def _is_page_number(el: etree._Element, types: list[str], page_ids: set[str]) -> bool:
    if "pagebreak" in types or el.get("role") == "doc-pagebreak":
        return True
    # A page-list target is a page number only when it holds one: an id on a paragraph is a place, not text.
    text = "".join(el.itertext()).strip()
    return (el.get("id") or el.get("name") or "") in page_ids and (not text or bool(_PAGE_LABEL.match(text)))


def _as_read(el: etree._Element) -> str:
    """The page number as a reader of the page saw it: glued to the word after it, where no space
    parts them ("newly- 209fallen"), the glued form is said too."""
    number = " ".join("".join(el.itertext()).split())
    glued = re.match(r"\w+", el.tail or "")
    return f"{number} ({number}{glued.group(0)})" if number and glued else number


def _remove(el: etree._Element) -> None:
    """Take the element out and keep its tail where it stood."""
    parent = el.getparent()
    if parent is None:
        return
    tail, prev = el.tail or "", el.getprevious()
    before = (prev.tail if prev is not None else parent.text) or ""
    if re.search(r"\w-\s+$", before) and re.match(r"\w", tail):
        before = before.rstrip()  # "newly- <span>209</span>fallen": a word hyphenated over the page
    if prev is not None:
        prev.tail = before + tail
    else:
        parent.text = before + tail
    parent.remove(el)


def split_documents(bodies: list[etree._Element], paths: list[str], places: set[Target]
                    ) -> tuple[list[Segment], dict[Target, int]]:
    """The documents cut at every place of `places` found in them; where each place (and each
    document's start) begins. Places whose id no longer exists (cut away with a Project
    Gutenberg licence, or never there) are not in the map."""
    segments: list[Segment] = []
    at: dict[Target, int] = {}
    by_path: dict[str, set[str]] = {}
    for place in places:
        if place.fragment:
            by_path.setdefault(place.path, set()).add(place.fragment)
    for doc, (body, path) in enumerate(zip(bodies, paths)):
        wanted = set(by_path.get(path, ()))
        marks: dict[etree._Element, list[str]] = {}
        for el in body.iter():
            key = el.get("id") or (el.get("name") if el.tag == "a" else None) if isinstance(el.tag, str) else None
            if key in wanted and el is not body:
                marks.setdefault(el, []).append(key)
                wanted.discard(key)
        at[Target(path, "")] = len(segments)
        for keys, part in _Splitter(marks).split(body):
            for key in keys:
                at[Target(path, key)] = len(segments)
            segments.append(Segment(doc, part, text_words(part)))
    return segments, at


class _Splitter:
    """Copies a tree into pieces, a new piece at each marked element, repeating its ancestors."""

    def __init__(self, marks: dict[etree._Element, list[str]]) -> None:
        self.marks = marks
        self.holding = {a for m in marks for a in m.iterancestors()}
        self.path: list[etree._Element] = []
        self.pieces: list[tuple[list[str], etree._Element]] = []

    def split(self, body: etree._Element) -> list[tuple[list[str], etree._Element]]:
        self._start([])
        self.open[-1].text = body.text
        for child in list(body):
            self._place(child)
        return self.pieces

    def _start(self, keys: list[str]) -> None:
        root = etree.Element("div")
        self.pieces.append((keys, root))
        self.open = [root]
        for el in self.path:
            self.open.append(etree.SubElement(self.open[-1], el.tag, dict(el.attrib)))

    def _place(self, el: etree._Element) -> None:
        if el in self.marks:
            self._start(self.marks[el])
        if el not in self.holding:
            tail, el.tail = el.tail, None
            self.open[-1].append(el)  # moved whole: nothing inside it starts a piece
            self._text(tail)
            return
        copy = etree.SubElement(self.open[-1], el.tag, dict(el.attrib))
        copy.text = el.text
        self.path.append(el)
        self.open.append(copy)
        for child in list(el):
            self._place(child)
        self.path.pop()
        self.open.pop()
        self._text(el.tail)

    def _text(self, text: str | None) -> None:
        if not text:
            return
        holder = self.open[-1]
        if len(holder):
            holder[-1].tail = (holder[-1].tail or "") + text
        else:
            holder.text = (holder.text or "") + text


def text_words(el: etree._Element) -> int:
    """Words of the element's text outside headings (a divider page holds headings alone)."""
    parts: list[str] = []
    depth = 0
    for event, node in etree.iterwalk(el, events=("start", "end")):
        heading = isinstance(node.tag, str) and node.tag in HEADINGS
        if event == "start":
            depth += heading
            if not depth and isinstance(node.tag, str) and node.text:
                parts.append(node.text)
        else:
            depth -= heading
            if not depth and node.tail and node is not el:
                parts.append(node.tail)
    return count_words(" ".join(parts))

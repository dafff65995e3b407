"""Which stretches of an EPUB are front matter, chapters, part dividers or back matter -> `Piece`s.

Input: the segments of the spine's documents (`epubsplit`), the book's `Navigation`, and what
each document declares of itself. Output: `Piece`s in reading order, each a run of segments with
a role and a kind. What the file declares decides first (EPUB 3 landmarks, the EPUB 2 guide,
epub:type, the nav's levels), then house habits (Feedbooks' and calibre's page names, a title
page's look), then guesses; a stretch nothing declares is read as the text it sits in.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .epubnav import Landmark, Navigation, NavPoint, Target
from .epubsplit import Segment

# EPUB 3.3 Structural Semantics and OPF 2.0.1 guide types: furniture of the publication, which the
# book bookbinder makes replaces (its own cover, title page, contents) or which is the publisher's.
FURNITURE = {"cover", "titlepage", "title-page", "halftitlepage", "toc", "toc-brief", "landmarks", "loa", "loi",
             "lot", "lov", "page-list", "copyright-page", "colophon", "imprint", "imprimatur", "seriespage",
             "other-credits", "index", "ads", "licence", "producer"}
# What an author writes around the story, kept as notes (before) or end notes (after).
AUTHORS = {"foreword", "preface", "introduction", "preamble", "dedication", "epigraph", "abstract",
           "acknowledgments", "acknowledgements", "afterword", "appendix", "glossary", "notes", "endnotes",
           "rearnotes", "footnotes", "bibliography", "author-note", "about"}
_BODY_START = {"bodymatter", "text", "start"}
_BEGIN_READING = re.compile(r"^(begin reading|start( of content| reading| here)?|text|beginning)$", re.I)
# House habits: what EPUB 2 makers call these pages in their NCX and guide titles.
_NAMED = [
    ("toc", r"(table of )?contents|toc|inhalt(sverzeichnis)?|table des mati[eè]res|sommaire|[íi]ndice|contenido"),
    ("cover", r"cover( image| page)?|couverture|umschlag"),
    ("titlepage", r"title( page)?|titlepage|half[- ]title|titel(seite)?|page de titre"),
    ("copyright-page", r"copyright( page)?|imprint|impressum|colophon|kolophon|legal|rights"),
    ("ads", r"recommendations|similar books|loved this book.*|also (available )?by.*|other (books|titles|works).*"
            r"|more (books )?(from|by) .*|about the publisher|feedbooks|catalog(ue)?|advertisements?"),
    ("licence", r"(the )?(full )?(project gutenberg )?licen[cs]e|terms of use"),
    ("afterword", r"afterword|postscript|author'?s'? (after)?notes?|a note from the author|end ?notes|notes"),
    ("acknowledgments", r"acknowledge?ments?|thanks"),
    ("about", r"about|about (the |this )?(authors?|book|e-?book|edition)"),
    ("dedication", r"dedication"),
    ("epigraph", r"epigraph"),
    ("foreword", r"foreword|preface|introduction|prologue de l'éditeur"),
]
_NAMED_RE = [(kind, re.compile(rf"^\W*(?:{pattern})\W*$", re.I)) for kind, pattern in _NAMED]
_GENERIC_TITLE = re.compile(r"^(main|section|split|part|text|index|chapter|page)?[\s_-]*\d*$", re.I)


@dataclass
class Piece:
    """A run of segments with one role: "front", "chapter", "part" or "back"."""

    role: str
    start: int                 # first segment
    end: int                   # one past the last
    title: str = ""            # the nav's (or landmark's) name for it
    kind: str = ""             # what it is, from FURNITURE, AUTHORS or "" (story text)
    guessed: bool = False      # the kind comes from a name or a look, not from what the file declares
    point: NavPoint | None = field(default=None, repr=False)


def named_kind(title: str) -> str:
    """What a page's name says it is ("Table of Contents" -> "toc"); "" for a story's own titles."""
    return next((kind for kind, pattern in _NAMED_RE if pattern.match(title.strip())), "")


def chapter_points(nav: Navigation, at: dict[Target, int], segments: list[Segment]) -> dict[int, tuple[str, NavPoint]]:
    """Where each chapter and part divider starts, by the nav: segment -> ("chapter" | "part", point).

    EPUB 3.3 Navigation gives no level a meaning, so the level is read from the text: an entry
    whose own stretch holds headings alone is a divider (a part, a book, a section title) and its
    entries are the chapters; an entry with text is a chapter, and its entries that point inside
    the same document are sections of it. Hidden branches are never chapters."""
    order = sorted({at[p.target] for p, _ in nav.flat() if p.target in at and not p.hidden})
    sums = [0]
    for s in segments:
        sums.append(sums[-1] + s.words)
    first_below = _first_below(nav.toc, at)
    found: dict[int, tuple[str, NavPoint]] = {}

    def own_words(start: int, point: NavPoint) -> int:
        stop = first_below.get(id(point))
        if stop is None:  # no entries of its own: it runs to the next entry
            k = bisect_right(order, start)
            stop = order[k] if k < len(order) else len(segments)
        return sums[max(stop, start)] - sums[start]

    def choose(point: NavPoint, parent_doc: int | None) -> None:
        if point.hidden:
            return
        pos = at.get(point.target) if point.target else None
        if pos is None or parent_doc is not None and segments[pos].doc == parent_doc:
            for child in point.children:  # a label, or a section of its chapter: its entries may start chapters
                choose(child, parent_doc)
            return
        if own_words(pos, point) == 0:
            if found.get(pos, ("part",))[0] != "chapter":
                found[pos] = ("part", point)
            for child in point.children:
                choose(child, None)
            return
        found[pos] = ("chapter", point)
        for child in point.children:
            choose(child, segments[pos].doc)

    for point in nav.toc:
        choose(point, None)
    return found


def _first_below(points: tuple[NavPoint, ...], at: dict[Target, int]) -> dict[int, int]:
    """id(point) -> the first place any visible entry under it starts (points without any: absent)."""
    out: dict[int, int] = {}

    def walk(point: NavPoint) -> int | None:
        found = [x for child in point.children if (x := walk(child)) is not None]
        if found:
            out[id(point)] = min(found)
        if point.hidden:
            return None
        own = at.get(point.target) if point.target else None
        return min(found + ([own] if own is not None else [])) if found or own is not None else None
    for point in points:
        walk(point)
    return out


def body_start(landmarks: tuple[Landmark, ...], at: dict[Target, int]) -> int | None:
    """Where the file says the body begins: EPUB 3 landmarks "bodymatter", the EPUB 2 guide's first
    "text" (OPF 2.0.1 §2.6: the first "real" page of content), a landmark named "Begin Reading"."""
    for kinds in (("bodymatter",), ("text", "start")):
        found = [at[m.target] for m in landmarks if m.kind in kinds and m.target in at]
        if found:
            return min(found)
    found = [at[m.target] for m in landmarks if _BEGIN_READING.match(m.title.strip()) and m.target in at]
    return min(found) if found else None


def back_start(landmarks: tuple[Landmark, ...], at: dict[Target, int]) -> int | None:
    """EPUB 3 landmarks "backmatter": where the back matter begins."""
    found = [at[m.target] for m in landmarks if m.kind == "backmatter" and m.target in at]
    return min(found) if found else None


# ---------------------------------------------------------------- what each stretch is
_KIND_ALIASES = {"similar": "ads", "feedbooks": "ads", "contents": "toc", "title": "titlepage", "title-page": "titlepage",
                 "copyright": "copyright-page", "acknowledgements": "acknowledgments", "footnotes": "notes",
                 "endnotes": "notes", "rearnotes": "notes"}
_FILE_HABITS = re.compile(r"(?P<kind>titlepage|title|cover|toc|contents|copyright|colophon|imprint|about|similar|"
                          r"feedbooks)"
                          r"(?:[_-]?page)?\d*\.x?html?$|^(?:[\w-]*[_-])?(?P<kind2>titlepage|cover)[\w-]*\.x?html?$",
                          re.I)


def declared_kind(*values: str) -> str:
    """The first of the values (types, NCX classes, guide types) that names front or back matter."""
    for value in values:
        for word in value.lower().split():
            word = _KIND_ALIASES.get(word, word)
            if word in FURNITURE or word in AUTHORS:
                return word
    return ""


def segment_types(segment: Segment, body_class: str = "") -> str:
    """The epub:type values (kept as epub-* classes) of the element chain that opens a segment."""
    found = [c[5:] for c in body_class.split() if c.startswith("epub-")]
    el = segment.body
    for _ in range(6):
        children = [c for c in el if isinstance(c.tag, str)]
        if not children or (el.text or "").strip():
            break
        el = children[0]
        found += [c[5:] for c in (el.get("class") or "").split() if c.startswith("epub-")]
    return " ".join(found)


def file_kind(path: str) -> str:
    """calibre's titlepage.xhtml, Feedbooks' title.xml and about.xml: what a file's name says."""
    m = _FILE_HABITS.search(path.rsplit("/", 1)[-1])
    return declared_kind(m.group("kind") or m.group("kind2") or "") if m else ""


@dataclass(frozen=True)
class DocInfo:
    path: str
    body_class: str = ""


@dataclass
class Book:
    """What the planner is told: the segments, where places are, the nav, and the book's name."""

    segments: list[Segment]
    at: dict[Target, int]
    nav: Navigation
    docs: list[DocInfo]
    names: tuple[str, ...] = ()  # the book's title and authors, as the package states them


def plan(book: Book) -> list[Piece]:
    """The book's stretches in reading order, each with its role (see `Piece`)."""
    points = chapter_points(book.nav, book.at, book.segments)
    marks = {book.at[m.target]: m for m in reversed(book.nav.landmarks) if m.target in book.at}
    starts = {book.at[Target(d.path, "")]: i for i, d in enumerate(book.docs) if Target(d.path, "") in book.at}
    begin, back = body_start(book.nav.landmarks, book.at), back_start(book.nav.landmarks, book.at)
    bounds = sorted({0, *points, *marks, *starts, *(x for x in (begin, back) if x is not None)})
    pieces = []
    for start, end in zip(bounds, bounds[1:] + [len(book.segments)]):
        role, point = points.get(start, ("", None))
        mark = marks.get(start)
        title = point.title if point else mark.title if mark else ""
        kind, guessed = _kind(book, start, point, mark, starts.get(start))
        pieces.append(Piece(role, start, end, title, kind, guessed, point))
    begin = _guess_start(book, pieces) if begin is None else _snap(book, points, begin)
    for p in pieces:
        if p.start < begin and not p.kind:
            p.kind, p.guessed = content_kind(book, p), True
    return _roles(pieces, begin, back if back is not None else len(book.segments) + 1)


def _kind(book: Book, start: int, point: NavPoint | None, mark: Landmark | None, doc: int | None
          ) -> tuple[str, bool]:
    """(what a stretch is, whether that is guessed): what the landmarks, its epub:type or the nav
    declare, else what its name or its file's name says (a house habit)."""
    segment = book.segments[start]
    info = book.docs[segment.doc]
    declared = (declared_kind(mark.kind if mark else "")
                or declared_kind(segment_types(segment, info.body_class if doc is not None else ""))
                or declared_kind(point.kind if point else ""))
    if declared:
        return declared, False
    return (named_kind(point.title if point else "") or named_kind(mark.title if mark else "")
            or (file_kind(info.path) if doc is not None else "")), True


def _snap(book: Book, points: dict, begin: int) -> int:
    """A body start inside a chapter, past nothing but its heading, starts the chapter."""
    before = max((p for p in points if p <= begin), default=None)
    if before is None or not all(s.words == 0 for s in book.segments[before:begin]):
        return begin
    return before


def _guess_start(book: Book, pieces: list[Piece]) -> int:
    """No landmark: the body begins at the first chapter of the nav that is no furniture, by its
    name or by its look (a title page, a contents list, a copyright notice); without chapters, at
    the first stretch with text that is no furniture."""
    for wanted in ("chapter", ""):
        for i, p in enumerate(pieces):
            if (p.role == wanted or not wanted) and p.kind not in FURNITURE and _words(book, p) \
                    and not content_kind(book, p):
                while i and pieces[i - 1].role == "part" and not pieces[i - 1].kind:
                    i -= 1  # the divider that opens the first part opens the body
                return pieces[i].start
    return 0


def _words(book: Book, piece: Piece) -> int:
    return sum(s.words for s in book.segments[piece.start:piece.end])


def _roles(pieces: list[Piece], begin: int, back: int) -> list[Piece]:
    """front before the body start, back from the back-matter start or where the tail is back
    matter by kind; dividers and chapters as the nav chose; other stretches continue the one before."""
    first_chapter = next((p.start for p in pieces if p.role == "chapter" and p.start >= begin), None)
    out: list[Piece] = []
    for p in pieces:
        if p.start < begin:
            p.role = "front"
        elif p.start >= back or p.kind in FURNITURE and not p.guessed:
            p.role = "back"  # declared furniture anywhere after the body start: the publisher's
        elif not p.role and first_chapter is not None and p.start < first_chapter:
            p.role = "lead"  # the body's opening that no nav entry names (an epigraph page)
        elif not p.role:
            if out and out[-1].end == p.start and out[-1].role in {"chapter", "back", "lead"} \
                    and not p.kind:
                out[-1].end = p.end  # a file the nav does not name continues the one before it
                continue
            p.role = "chapter"
        out.append(p)
    chapters = [p for p in out if p.role == "chapter"]
    for p in reversed(chapters[1:]):  # the tail: what the author or the publisher put after the story
        if p.kind not in AUTHORS | FURNITURE:
            break
        p.role = "back"
    for p in out:  # a chapter named like furniture ("Legal") in the middle of the story stays one
        if p.role == "chapter" and p.kind in FURNITURE:
            p.kind = ""
    return out


def _prose(bodies: list) -> bool:
    """Whether any block holds a sentence of a dozen words: a title page is lines, not prose."""
    return any(len(text.split()) >= 12 and re.search(r"[.!?…][\"”’']?$", text)
               for b in bodies for el in b.iter("p", "div", "blockquote")
               if (text := " ".join("".join(el.itertext()).split())))


_COPYRIGHT = re.compile(r"\b(copyright|all rights reserved|licen[cs]ed under)\b|©", re.I)
_PRODUCED = re.compile(r"^\W*(produced by|e-?text prepared by|transcribed by)\b", re.I)


def content_kind(book: Book, piece: Piece) -> str:
    """What a stretch before the story looks like: a contents list (mostly links), a title page (a
    few lines naming the book), a copyright notice, a producer's credit; "" for anything else."""
    bodies = [s.body for s in book.segments[piece.start:piece.end]]
    text = " ".join(" ".join("".join(b.itertext()).split()) for b in bodies)
    words = len(text.split())
    linked = sum(len(" ".join(a.itertext()).split()) for b in bodies for a in b.iter("a"))
    links = sum(1 for b in bodies for a in b.iter("a") if a.get("href"))
    folded = text.casefold()
    if links >= 3 and linked >= 0.6 * words:
        return "toc"
    if words <= 80 and any(n.casefold() in folded for n in book.names if len(n) > 3) and not _prose(bodies):
        return "titlepage"
    if words <= 300 and _COPYRIGHT.search(text):
        return "copyright-page"
    if words <= 120 and _PRODUCED.match(text):
        return "producer"
    return ""

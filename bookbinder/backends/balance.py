"""Full, level pages: a story laid out by WeasyPrint -> which paragraphs to set one line longer so
that no page but a chapter's last ends short.

WeasyPrint keeps widows and orphans (print.css: 2 lines each) and keeps a scene break with the
text around it by moving lines to the next page, which leaves the page before short by a line or
two. A typesetter fills such a page by hand with `\\looseness=1` on a paragraph of it: set one
line longer, its spaces a little wider, the page's text reaches the foot and the next page starts
where it did. Here: the short pages are read from the laid-out document (a page short by whole
lines of the text's grid, whose next page goes on with the same chapter), and on each the
paragraphs that end there and can be set one line longer at least cost (`linebreak.loosen_costs`,
no line looser than `knuthplass.loosened` allows) get one line more, as many as the page lacks.
The story is then set and laid out again, once; the layout with fewer short pages is kept.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable



def _tag(element) -> str:
    """An element's name, whether WeasyPrint's parser put it in the XHTML namespace or not."""
    return element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""


@dataclass(frozen=True)
class ShortPage:
    """A page whose text ends `lines` lines above the foot, and the paragraphs that end on it."""

    index: int
    lines: int
    paragraphs: tuple[int, ...]  # numbers in `linebreak.body_paragraphs` order


def short_pages(document) -> list[ShortPage]:
    """The pages of a laid-out story that end short of the foot though their chapter goes on."""
    pages = [_page(page) for page in document.pages]
    numbers = _paragraph_numbers(document)
    out = []
    for index, (page, after) in enumerate(zip(pages, pages[1:])):
        lines, bottom, pitch, ending, _ = page
        if not lines or not after[0] or after[4] or pitch <= 0:
            continue  # a blank page, or a chapter opens on the next: a chapter's last page may be short
        gap = int((bottom - lines[-1]) / pitch + 0.1)
        ends = tuple(numbers[id(el)] for el in ending if id(el) in numbers)
        if gap >= 1:
            out.append(ShortPage(index, gap, ends))
    return out


def looser_paragraphs(short: list[ShortPage], costs: dict[int, float]) -> frozenset[int]:
    """On each short page, the cheapest paragraphs to set one line longer, as many as it lacks."""
    chosen: set[int] = set()
    for page in short:
        able = sorted((costs[n], n) for n in page.paragraphs if n in costs)
        chosen.update(n for _, n in able[:page.lines])
    return frozenset(chosen)


def _page(page) -> tuple[list[float], float, float, list, bool]:
    """(bottoms of its text lines, the foot of its text area, its line pitch, the paragraph
    elements that end on it, whether a chapter opens on it)."""
    box = page._page_box
    bottoms, heights, paragraphs, opens = [], [], [], False
    for child in box.children:
        if type(child).__name__ == "MarginBox":
            continue
        opens = _walk(child, bottoms, heights, paragraphs) or opens
    pitch = max(set(heights), key=heights.count) if heights else 0.0
    return sorted(bottoms), box.content_box_y() + box.height, pitch, paragraphs, opens


def _walk(box, bottoms: list, heights: list, paragraphs: list) -> bool:
    """Collect line bottoms and heights, and the paragraphs whose last line is in `box`; whether
    a chapter's opening (its running-head marker, furniture.py) is in it."""
    element = getattr(box, "element", None)
    opens = element is not None and _tag(element) == "div" and element.get("class") == "heads"
    if type(box).__name__ == "LineBox":
        bottoms.append(box.position_y + box.height)
        heights.append(round(box.height, 2))
        return opens
    for child in getattr(box, "children", ()):
        opens = _walk(child, bottoms, heights, paragraphs) or opens
    if element is not None and _tag(element) == "p" and _has_lines(box):
        # One that ends here, or goes on to the next page (kept from leaving a widow there: a line
        # more and it fills this page, the next one unchanged)
        paragraphs.append(element)
    return opens


def _has_lines(box) -> bool:
    return any(type(child).__name__ == "LineBox" for child in box.children)


def _paragraph_numbers(document) -> dict[int, int]:
    """id(element) -> its number in `linebreak.body_paragraphs` order, in WeasyPrint's own tree."""
    roots = [box.element for box in document.pages[0]._page_box.children
             if getattr(box, "element", None) is not None and _tag(box.element) == "html"] \
        if document.pages else []
    if not roots:
        return {}
    root = roots[0]
    numbers: dict[int, int] = {}
    for section in (el for el in root.iter() if _tag(el) == "section"):
        if "chapter" in (section.get("class") or "").split():
            for p in section:
                if _tag(p) == "p" and p.get("class") in (None, "set-lines"):
                    numbers[id(p)] = len(numbers)
    return numbers


def balanced(document, relay: Callable[[frozenset], object], costs: Callable[[set], dict]):
    """`document`, or, if it has short pages, the story laid out again by `relay` with the
    paragraphs `looser_paragraphs` picks set a line longer (`costs`: `linebreak.loosen_costs` of
    the paragraphs given), when that leaves fewer pages short."""
    short = short_pages(document)
    looser = looser_paragraphs(short, costs({n for page in short for n in page.paragraphs})) if short else None
    if not looser:
        return document
    again = relay(looser)
    return again if len(short_pages(again)) < len(short) else document

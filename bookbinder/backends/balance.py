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
Where they cannot fill it (a page of short lines of dialogue, each with one way to break), a scene
break on the page takes the lines still lacking, one or two more lines of the grid around its
ornament, as typesetters let a section break absorb a line (vertical justification on the grid:
every line of the page stays on the lines of the facing page). The story is then set and laid
out again, once; the layout with fewer short pages is kept.
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
    breaks: tuple[int, ...] = ()  # scene breaks with text above them on the page (`scene_breaks` order)


@dataclass(frozen=True)
class Fill:
    """What fills the short pages: paragraphs set a line longer, scene breaks given lines more."""

    looser: frozenset[int] = frozenset()
    stretched: tuple[tuple[int, int], ...] = ()  # (scene break number, lines more)

    def __bool__(self) -> bool:
        return bool(self.looser or self.stretched)


MOST_STRETCH = 2  # lines a scene break may take more (print.css: hr.scene-break.stretch-1, -2)


@dataclass(frozen=True)
class _Page:
    """What `short_pages` reads of one laid-out page."""

    bottoms: list[float]  # of its text lines, top to bottom
    foot: float           # of its text area
    pitch: float          # its line pitch
    paragraphs: list      # the paragraph elements that end on it (or go on to the next)
    opens: bool           # a chapter opens on it
    breaks: list          # (top, element) of its scene breaks


def short_pages(document) -> list[ShortPage]:
    """The pages of a laid-out story that end short of the foot though their chapter goes on."""
    pages = [_page(page) for page in document.pages]
    root = _root(document)
    numbers = {id(p): n for n, p in enumerate(_body_paragraphs(root))} if root is not None else {}
    breaks = {id(el): n for n, el in enumerate(scene_breaks(root))} if root is not None else {}
    out = []
    for index, (page, after) in enumerate(zip(pages, pages[1:])):
        if not page.bottoms or not after.bottoms or after.opens or page.pitch <= 0:
            continue  # a blank page, or a chapter opens on the next: a chapter's last page may be short
        gap = int((page.foot - page.bottoms[-1]) / page.pitch + 0.1)
        ends = tuple(numbers[id(el)] for el in page.paragraphs if id(el) in numbers)
        below_text = tuple(breaks[id(el)] for top, el in page.breaks if id(el) in breaks and page.bottoms[0] < top)
        if gap >= 1:
            out.append(ShortPage(index, gap, ends, below_text))
    return out


def fill(short: list[ShortPage], costs: dict[int, float]) -> Fill:
    """On each short page, the cheapest paragraphs to set one line longer, as many as it lacks;
    what they leave lacking, its scene breaks take (each at most `MOST_STRETCH` lines)."""
    chosen: set[int] = set()
    stretched: list[tuple[int, int]] = []
    for page in short:
        lacking = page.lines
        for number in reversed(page.breaks):  # the lowest first: the fewest lines move
            if lacking <= 0:
                break
            stretched.append((number, min(lacking, MOST_STRETCH)))
            lacking -= MOST_STRETCH
        able = sorted((costs[n], n) for n in page.paragraphs if n in costs)[:max(0, lacking)]
        chosen.update(n for _, n in able)
    return Fill(frozenset(chosen), tuple(sorted(stretched)))


def _page(page) -> _Page:
    box = page._page_box
    bottoms, heights, paragraphs, rules, opens = [], [], [], [], False
    for child in box.children:
        if type(child).__name__ == "MarginBox":
            continue
        opens = _walk(child, bottoms, heights, paragraphs, rules) or opens
    pitch = max(set(heights), key=heights.count) if heights else 0.0
    return _Page(sorted(bottoms), box.content_box_y() + box.height, pitch, paragraphs, opens, rules)


def _walk(box, bottoms: list, heights: list, paragraphs: list, rules: list) -> bool:
    """Collect line bottoms and heights, the paragraphs whose last line is in `box` and its scene
    breaks; whether a chapter's opening (its running-head marker, furniture.py) is in it."""
    element = getattr(box, "element", None)
    opens = element is not None and _tag(element) == "div" and element.get("class") == "heads"
    if element is not None and _is_scene_break(element) and getattr(box, "element_tag", "hr") == "hr":
        rules.append((box.position_y, element))
    if type(box).__name__ == "LineBox":
        bottoms.append(box.position_y + box.height)
        heights.append(round(box.height, 2))
        return opens
    for child in getattr(box, "children", ()):
        opens = _walk(child, bottoms, heights, paragraphs, rules) or opens
    if element is not None and _tag(element) == "p" and _has_lines(box):
        # One that ends here, or goes on to the next page (kept from leaving a widow there: a line
        # more and it fills this page, the next one unchanged)
        paragraphs.append(element)
    return opens


def _has_lines(box) -> bool:
    return any(type(child).__name__ == "LineBox" for child in box.children)


def _root(document):
    """The html element of WeasyPrint's own tree of a laid-out document, or None."""
    boxes = document.pages[0]._page_box.children if document.pages else ()
    return next((box.element for box in boxes if getattr(box, "element", None) is not None
                 and _tag(box.element) == "html"), None)


def _chapter_children(root):
    """The elements of a story's chapters, in order (an lxml tree or WeasyPrint's)."""
    for section in root.iter():
        if _tag(section) == "section" and "chapter" in (section.get("class") or "").split():
            yield from section


def _body_paragraphs(root) -> list:
    """`linebreak.body_paragraphs` in WeasyPrint's tree: a chapter's own paragraphs, of no class
    or set there (`set-lines`)."""
    return [p for p in _chapter_children(root) if _tag(p) == "p" and p.get("class") in (None, "set-lines")]


def _is_scene_break(element) -> bool:
    return _tag(element) == "hr" and "scene-break" in (element.get("class") or "").split()


def scene_breaks(root) -> list:
    """The scene breaks of a story's chapters, in order (an lxml tree or WeasyPrint's)."""
    return [el for el in _chapter_children(root) if _is_scene_break(el)]


def stretch_breaks(tree, stretched: tuple[tuple[int, int], ...]) -> None:
    """Mark the scene breaks `fill` gave lines more (print.css sets them `stretch-N` lines taller)."""
    breaks = scene_breaks(tree.getroot() if hasattr(tree, "getroot") else tree)
    for number, lines in stretched:
        if number < len(breaks):
            element = breaks[number]
            element.set("class", f"{element.get('class')} stretch-{lines}")


def balanced(document, relay: Callable[[Fill], object], costs: Callable[[set], dict]):
    """`document`, or, if it has short pages, the story laid out again by `relay` with what `fill`
    picks (`costs`: `linebreak.loosen_costs` of the paragraphs given), when that leaves fewer pages
    short."""
    short = short_pages(document)
    chosen = fill(short, costs({n for page in short for n in page.paragraphs})) if short else None
    if not chosen:
        return document
    again = relay(chosen)
    return again if len(short_pages(again)) < len(short) else document

"""Page sizes of the print book: a --page-size (a name, or "WxH" in mm or in) -> the page's
`Geometry`: its size, margins and body type, and the CSS that sets them (numbers only).

Trade sizes (6x9 in, 5.5x8.5 in, A5 and up) keep print.css's margins and its 10.5 pt type. The
small pages fanbinders print (A6, A7, quarter-letter, a custom size) would lose half their width
to those margins: below 5.5 in wide the margins shrink with the page's width and the type with
it, down to 8 pt, so the measure stays near the 60 to 70 characters a book line holds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import BookbinderError

_UNITS = {"mm": 72 / 25.4, "in": 72.0}
PAGE_SIZES = {"a7": "74mm 105mm", "a6": "105mm 148mm", "quarter-letter": "4.25in 5.5in", "a5": "148mm 210mm",
              "5.5x8.5in": "5.5in 8.5in", "6x9in": "6in 9in", "a4": "210mm 297mm", "letter": "8.5in 11in"}
DEFAULT_PAGE_SIZE = "6x9in"
_CUSTOM = re.compile(r"(\d+(?:\.\d+)?)\s*x\s*(\d+(?:\.\d+)?)\s*(mm|in)")
_SMALLEST, _LARGEST = 50 * _UNITS["mm"], 17 * 72.0  # points: a sane page, A8 to tabloid
_TRADE_WIDTH = 5.5 * 72         # pages this wide or wider keep print.css's margins and type
_MARGINS = (0.75, 0.875, 0.625, 0.85)  # print.css's @page margins, inches: top, inner, outer, bottom
_BODY_PT = 10.5                 # print.css: html { font-size }


@dataclass(frozen=True)
class Geometry:
    """A page's size (points), its margins (points: top, inner, outer, bottom) and its body type."""

    size: tuple[float, float]
    margins: tuple[float, float, float, float]
    body_pt: float

    @property
    def small(self) -> bool:
        """Smaller than a trade page: its margins and type are not print.css's."""
        return self.size[0] < _TRADE_WIDTH


def page_points(page_size: str) -> tuple[float, float]:
    """(width, height) in points of a PAGE_SIZES name or "WxH" with a unit ("105x148mm",
    "4.25x5.5in"); BookbinderError naming the choices otherwise."""
    key = page_size.strip().casefold()
    spec = PAGE_SIZES.get(key)
    if spec is not None:
        width, height = (float(v[:-2]) * _UNITS[v[-2:]] for v in spec.split())
        return width, height
    match = _CUSTOM.fullmatch(key)
    if match is None:
        raise BookbinderError(f"unknown page size {page_size!r}: choose one of {', '.join(PAGE_SIZES)}, "
                              f"or give WxH in mm or in (105x148mm, 4.25x5.5in)")
    width, height = (float(match[n]) * _UNITS[match[3]] for n in (1, 2))
    if not (_SMALLEST <= width <= _LARGEST and _SMALLEST <= height <= _LARGEST):
        raise BookbinderError(f"page size {page_size!r}: between 50 mm and 17 in a side")
    return width, height


def geometry(page_size: str) -> Geometry:
    """The page, its margins and type: print.css's on a trade page, scaled down on a smaller one."""
    size = page_points(page_size)
    scale = min(1.0, size[0] / _TRADE_WIDTH)
    margins = tuple(m * 72 * scale for m in _MARGINS)
    body = _BODY_PT if scale == 1 else max(8.0, round(_BODY_PT * (1 + scale) / 2 * 2) / 2)
    return Geometry(size, margins, body)


def page_css(page_size: str) -> str:
    """The @page size: a name's own (print.css's units), a custom size's in points."""
    spec = PAGE_SIZES.get(page_size.strip().casefold())
    if spec is None:
        width, height = page_points(page_size)
        spec = f"{width:.2f}pt {height:.2f}pt"
    return f"@page {{ size: {spec}; }}\n"


def small_page_css(page_size: str) -> str:
    """On a small page, its margins and type, to follow print.css (numbers computed here)."""
    page = geometry(page_size)
    if not page.small:
        return ""
    top, inner, outer, bottom = page.margins
    return (f"\n@page {{ margin: {top:.2f}pt {outer:.2f}pt {bottom:.2f}pt {inner:.2f}pt; }}\n"
            f"@page :left {{ margin-left: {outer:.2f}pt; margin-right: {inner:.2f}pt; }}\n"
            f"@page :right {{ margin-left: {inner:.2f}pt; margin-right: {outer:.2f}pt; }}\n"
            f"html {{ font-size: {page.body_pt:.1f}pt; }}\n")


def gutter_css(gutter: float | None) -> str:
    """The inside margin, in inches (a number this module computed, never story text)."""
    if gutter is None:
        return ""
    inches = float(gutter)
    return f"\n@page :left {{ margin-right: {inches:.3f}in; }}\n@page :right {{ margin-left: {inches:.3f}in; }}\n"


def inset_css(inset: float | None) -> str:
    """Running heads and folios `inset` inches from the trim (a number this module computed)."""
    if inset is None:
        return ""
    top = f"vertical-align: top; padding-top: {float(inset):.3f}in;"
    foot = f"vertical-align: bottom; padding-bottom: {float(inset):.3f}in;"
    return "".join(f"\n@page :{side} {{ @top-{side} {{ {top} }} @bottom-{side} {{ {foot} }} }}"
                   for side in ("left", "right")) + "\n"

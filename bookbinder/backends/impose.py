"""Imposition for hand binding: a reading PDF -> sheets to print, fold and sew (or glue), and a guide.

A signature is `sheets` sheets laid one on another and folded together: once (folio, 4 pages a
sheet), twice (quarto, 8), three times (octavo, 16) or four times (sextodecimo, 32); perfect
binding folds every sheet once on its own and glues the stack. Where each page goes on a sheet,
and which way up, is found by folding: `fold_plan` folds a stack of sheets as a binder does (each
fold takes half the packet under the other half, the last fold along the spine, so the spine is
on the left of page 1) and reads the leaves off the folded packet. The plans it gives are the
printers' textbook ones (the tests hold them to the quarto and octavo formes of the manuals).

The laid-out pages are reused as form XObjects (pikepdf): nothing is laid out again. Flyleaves
(blank leaves) go before the first page and after the last; the signatures take the sheets a list
gives them (its last number repeated), the last as few as its pages need; each leaf is moved
toward the spine by its depth in the signature x the paper thickness (creep); pages too large for
the paper are refused, or scaled down to fit when asked. The marks are `impose_marks`'s; the
guide to printing, folding and sewing, a file of its own, is `impose_guide`'s.
"""
from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf

from ..errors import UsageError
from .impose_marks import side_marks
from .print_options import PAPERS, SCHEMES, ImposeOptions

MM = 72 / 25.4
MAX_SHEETS = 32     # sheets folded together: more than a bone folder can crease
MAX_FLYLEAVES = 16


@dataclass(frozen=True)
class Slot:
    """One page's place on a sheet side: its column and row (as the side is printed, seen from
    above), the page (1-based within the signature), its turn (0 or 180) and its depth (leaves
    between it and the outside of the signature)."""

    col: int
    row: int
    page: int
    rotation: int
    depth: int


def fold_plan(scheme: str, sheets: int) -> list[tuple[list[Slot], list[Slot]]]:
    """For each sheet (outermost first): its front and back, each a list of Slots."""
    cols, rows, folds = SCHEMES[scheme].cols, SCHEMES[scheme].rows, SCHEMES[scheme].folds
    width, height = cols, rows
    # A packet is a stack of layers (top first); a layer maps (x, y) to [sheet, column, row, face up, turn].
    layers = [{(x, y): [s, x, y, "A", 0] for x in range(cols) for y in range(rows)} for s in range(sheets)]
    for fold in folds:
        kept, under = [], []
        for layer in layers:
            if fold == "v":
                kept.append({(x - width // 2, y): c for (x, y), c in layer.items() if x >= width // 2})
            else:
                kept.append({(x, y - height // 2): c for (x, y), c in layer.items() if y >= height // 2})
        for layer in reversed(layers):  # the half folded under lands upside down in the stack
            if fold == "v":
                under.append({(width // 2 - 1 - x, y): [s, cx, cy, _other(face), turn]
                              for (x, y), (s, cx, cy, face, turn) in layer.items() if x < width // 2})
            else:
                under.append({(x, height // 2 - 1 - y): [s, cx, cy, _other(face), (turn + 180) % 360]
                              for (x, y), (s, cx, cy, face, turn) in layer.items() if y < height // 2})
        layers = kept + under
        width, height = (width // 2, height) if fold == "v" else (width, height // 2)
    leaves = len(layers)
    slots: dict[tuple[int, str], list[Slot]] = {(s, f): [] for s in range(sheets) for f in "AB"}

    def column(face: str, cx: int) -> int:
        # Side B is printed with the sheet turned over its vertical axis: cell cx shows at cols-1-cx.
        return cx if face == "A" else cols - 1 - cx

    for k, layer in enumerate(layers):  # leaf k: its top face is page 2k+1, its underside 2k+2
        s, cx, cy, face, turn = layer[(0, 0)]
        depth = min(k, leaves - 1 - k)
        slots[(s, face)].append(Slot(column(face, cx), cy, 2 * k + 1, turn, depth))
        slots[(s, _other(face))].append(Slot(column(_other(face), cx), cy, 2 * k + 2, turn, depth))
    ordered = {key: sorted(found, key=lambda slot: (slot.row, slot.col)) for key, found in slots.items()}
    return [(ordered[(s, "A")], ordered[(s, "B")]) for s in range(sheets)]


def _other(face: str) -> str:
    return "B" if face == "A" else "A"


def pages_per_sheet(scheme: str) -> int:
    return SCHEMES[scheme].per_sheet


def signature_sizes(pages: int, scheme: str, sheets: int | Sequence[int]) -> list[int]:
    """Sheets in each signature: `sheets`, or a list's numbers in turn with its last repeated while
    pages are left; the last signature as few sheets as its pages need."""
    listed = [sheets] if isinstance(sheets, int) else list(sheets)
    per_sheet = SCHEMES[scheme].per_sheet
    sizes: list[int] = []
    left = pages
    while left > 0:
        size = listed[min(len(sizes), len(listed) - 1)]
        sizes.append(min(size, math.ceil(left / per_sheet)))
        left -= size * per_sheet
    return sizes


def paper_size(name: str) -> tuple[float, float]:
    """(width, height) in points of a paper name or "WxH" in millimetres; UsageError otherwise."""
    key = name.strip().casefold()
    if key in PAPERS:
        return PAPERS[key]
    parts = key.replace("mm", "").split("x")
    try:
        width, height = (float(p) * MM for p in parts)
    except ValueError:
        raise UsageError(f"--paper {name!r}: choose {', '.join(PAPERS)}, or give WxH in millimetres "
                         "(210x297)") from None
    if not (50 * MM <= width <= 2000 * MM and 50 * MM <= height <= 2000 * MM):
        raise UsageError(f"--paper {name!r}: between 50 and 2000 mm a side")
    return width, height


@dataclass(frozen=True)
class Layout:
    """Where the pages sit on a sheet side: the paper as printed (turned to landscape or not), the
    block of pages' corner (from the paper's left and top edges), the cell a page fills and the
    scale that makes a page its cell (1: at its print size)."""

    paper: tuple[float, float]
    corner: tuple[float, float]
    cell: tuple[float, float]
    scale: float = 1.0
    landscape: bool = False


def sheet_geometry(scheme: str, page: tuple[float, float], paper: tuple[float, float],
                   scale_to_fit: bool = False) -> Layout:
    """The pages' place on the paper, upright or turned to landscape, at their print size where
    they fit. Where they do not: with `scale_to_fit` shrunk alike to the largest size that fits
    (the paper turned whichever way keeps them larger), else a UsageError naming the sizes."""
    cols, rows = SCHEMES[scheme].cols, SCHEMES[scheme].rows
    block = (cols * page[0], rows * page[1])
    sides = [paper, (paper[1], paper[0])]
    for landscape, side in enumerate(sides):
        if block[0] <= side[0] + 0.01 and block[1] <= side[1] + 0.01:
            return _centred(side, block, page, 1.0, bool(landscape))
    fits = [min(side[0] / block[0], side[1] / block[1]) for side in sides]
    landscape = fits[1] > fits[0]
    if scale_to_fit:
        return _centred(sides[landscape], block, page, fits[landscape], landscape)
    raise UsageError(f"{scheme}: {cols}x{rows} pages of {page[0] / 72:.2f}x{page[1] / 72:.2f} in need a sheet of "
                     f"{block[0] / 72:.2f}x{block[1] / 72:.2f} in, larger than the paper "
                     f"({paper[0] / 72:.2f}x{paper[1] / 72:.2f} in); choose a larger --paper or a smaller --page-size, "
                     f"or --scale-to-fit to print them at {percent(fits[landscape])}")


def _centred(side: tuple[float, float], block: tuple[float, float], page: tuple[float, float], scale: float,
             landscape: bool) -> Layout:
    corner = ((side[0] - block[0] * scale) / 2, (side[1] - block[1] * scale) / 2)
    return Layout(side, corner, (page[0] * scale, page[1] * scale), scale, landscape)


def percent(scale: float) -> str:
    """A scale as a user reads it: 70.7%, never rounded up to a size that does not fit."""
    return f"{math.floor(scale * 1000) / 10:g}%"


def check_imposition(page_size: str, options: ImposeOptions) -> None:
    """UsageError, before any work, for an imposition that cannot be done: an unknown fold or
    paper, options that contradict each other, or pages (at `page_size`, a PAGE_SIZES name) that
    do not fit the paper at print size and are not to be scaled."""
    from .print_options import page_points

    _check_options(options)
    sheet_geometry(options.scheme, page_points(page_size), paper_size(options.paper), options.scale_to_fit)


def _check_options(options: ImposeOptions) -> tuple[int, ...]:
    """The sheets of each signature as listed (the last repeats); UsageError for options that cannot be."""
    scheme = SCHEMES.get(options.scheme)
    if scheme is None:
        raise UsageError(f"--impose {options.scheme!r}: choose {', '.join(SCHEMES)}")
    if options.duplex not in {"long", "short"}:
        raise UsageError("--duplex: long or short")
    flag = "--signatures" if options.signatures else "--sheets-per-signature"
    if options.signatures and options.sheets_per_signature is not None:
        raise UsageError("--signatures and --sheets-per-signature: give one (a list of one number is the same)")
    if not scheme.sewn and (options.signatures or options.sheets_per_signature not in (None, 1)):
        raise UsageError(f"{flag}: --impose {options.scheme} folds every sheet on its own and glues the stack; "
                         "signatures of several sheets are sewn (--impose folio, quarto, ...)")
    listed = tuple(options.signatures) or (options.sheets_per_signature or scheme.sheets,)
    if not all(1 <= n <= MAX_SHEETS for n in listed):
        raise UsageError(f"{flag}: from 1 to {MAX_SHEETS} sheets a signature")
    if not 0 <= options.flyleaves <= MAX_FLYLEAVES:
        raise UsageError(f"--flyleaves: from 0 to {MAX_FLYLEAVES} blank leaves")
    if not 0 <= options.paper_thickness <= 1:
        raise UsageError("--paper-thickness: in millimetres, from 0 to 1 (office paper is about 0.1)")
    return listed


@dataclass(frozen=True)
class SheetPlan:
    """What the sheets hold: the book's pages with `flyleaves` blank leaves before and after them,
    in signatures of so many sheets (from the list `listed`), placed on each side as `layout` says."""

    scheme: str
    pages: int
    flyleaves: int
    signatures: tuple[int, ...]
    listed: tuple[int, ...]
    layout: Layout
    turn_backs: bool  # the backs turned 180 for a printer that turns the sheet the other way

    @property
    def per_sheet(self) -> int:
        return SCHEMES[self.scheme].per_sheet

    @property
    def blanks(self) -> int:
        """Blank pages added after the back flyleaves to fill the last signature."""
        return sum(self.signatures) * self.per_sheet - self.pages - 4 * self.flyleaves

    def page_at(self, position: int) -> int | None:
        """The book's page (0-based) at a position (0-based) of the text block; None for a blank."""
        index = position - 2 * self.flyleaves
        return index if 0 <= index < self.pages else None


@dataclass(frozen=True)
class Imposition:
    pdf: bytes
    guide: bytes | None  # the guide to printing, folding and sewing; None with guide=False
    plan: SheetPlan

    @property
    def sheets(self) -> int:
        """Sheets of paper to print."""
        return sum(self.plan.signatures)

    @property
    def signatures(self) -> list[int]:
        return list(self.plan.signatures)

    @property
    def blanks(self) -> int:
        return self.plan.blanks


def impose(reading_pdf: bytes, options: ImposeOptions, title: str = "") -> Imposition:
    """The reading PDF's pages on sheets, signature by signature, with their marks; and the guide."""
    listed = _check_options(options)
    with pikepdf.open(io.BytesIO(reading_pdf)) as source:
        box = source.pages[0].mediabox
        page = (float(box[2]) - float(box[0]), float(box[3]) - float(box[1]))
        layout = sheet_geometry(options.scheme, page, paper_size(options.paper), options.scale_to_fit)
        plan = sheet_plan(len(source.pages), options, listed, layout)
        pdf = _sheets(source, plan, options)
    if not options.guide:
        return Imposition(pdf, None, plan)
    from .impose_guide import guide_pdf

    return Imposition(pdf, guide_pdf(plan, options, title), plan)


def sheet_plan(pages: int, options: ImposeOptions, listed: tuple[int, ...], layout: Layout) -> SheetPlan:
    """The signatures of a book of `pages` pages and its flyleaves. A --signatures list that names
    signatures the book does not reach is a UsageError (made for another book or page size)."""
    positions = pages + 4 * options.flyleaves
    sizes = signature_sizes(positions, options.scheme, listed)
    if options.signatures and len(sizes) < len(listed):
        said = f"{positions} pages with its flyleaves" if options.flyleaves else f"{positions} pages"
        raise UsageError(f"--signatures {','.join(map(str, listed))}: this book's {said} fill only "
                         f"{len(sizes)} of its {len(listed)} signatures ({', '.join(map(str, sizes))} sheets); "
                         f"drop the last {len(listed) - len(sizes)} from the list")
    # The plan's backs are turned over the sheet's vertical axis: the long edge of an upright
    # sheet, the short edge of a landscape one. A printer that turns the other way needs them turned.
    width, height = layout.paper
    turn_backs = (options.duplex == "long") != (height >= width)
    return SheetPlan(options.scheme, pages, options.flyleaves, tuple(sizes), listed, layout, turn_backs)


def _sheets(source: pikepdf.Pdf, plan: SheetPlan, options: ImposeOptions) -> bytes:
    """The sheets' sides, front then back, signature by signature, printed at their size (a
    viewer's "fit to page" would shrink them and the folds with them)."""
    out = pikepdf.new()
    forms: dict[int, pikepdf.Object] = {}

    def form(index: int) -> pikepdf.Object:  # each page copied once, however it is drawn
        if index not in forms:
            forms[index] = out.copy_foreign(source.pages[index].as_form_xobject())
        return forms[index]

    thickness, first = options.paper_thickness * MM, 0
    for number, size in enumerate(plan.signatures):
        for front, back in fold_plan(plan.scheme, size):
            for turned, slots in ((False, front), (plan.turn_backs, back)):
                drawn = {slot: index for slot in slots if (index := plan.page_at(first + slot.page - 1)) is not None}
                content = [_placement(slot, f"/P{index + 1}", plan.layout, thickness, turned)
                           for slot, index in drawn.items()]
                marks = side_marks(options, plan, size, number, slots, turned)
                _add_sheet(out, plan.layout.paper, content + marks, {f"/P{i + 1}": form(i) for i in drawn.values()})
        first += size * plan.per_sheet
    out.Root.ViewerPreferences = pikepdf.Dictionary(PrintScaling=pikepdf.Name("/None"))
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, compress_streams=True)
    return buffer.getvalue()


def _placement(slot: Slot, name: str, layout: Layout, thickness: float, turn: bool) -> str:
    """The operators that draw page `name` in its cell: at the layout's scale, turned 180 where the
    fold needs it, moved toward the spine by its creep (to the left on a recto, to the right on a
    verso, as it reads; the paper's thickness is not scaled)."""
    (w, h), k = layout.cell, layout.scale
    x = layout.corner[0] + slot.col * w
    y = layout.paper[1] - layout.corner[1] - (slot.row + 1) * h  # rows count from the top; PDF's y from the bottom
    shift = slot.depth * thickness * (-1 if slot.page % 2 else 1)
    if slot.rotation == 180:
        a, d, e, f = -k, -k, x + w - shift, y + h
    else:
        a, d, e, f = k, k, x + shift, y
    if turn:  # the whole side turned 180 about the sheet's centre
        a, d, e, f = -a, -d, layout.paper[0] - e, layout.paper[1] - f
    return f"q {a:.8g} 0 0 {d:.8g} {e:.4f} {f:.4f} cm {name} Do Q"


def _add_sheet(out: pikepdf.Pdf, size: tuple[float, float], operators: list[str], forms: dict) -> None:
    page = out.add_blank_page(page_size=size)
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(dict(forms)))
    page.Contents = out.make_stream("\n".join(operators).encode("ascii"))

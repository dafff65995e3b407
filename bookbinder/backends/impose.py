"""Imposition for hand binding: a reading PDF -> sheets to print, fold into signatures and sew.

A signature is `sheets` sheets laid one on another and folded together: once (folio, 4 pages a
sheet), twice (quarto, 8), three times (octavo, 16) or four times (sextodecimo, 32). Where each
page goes on a sheet, and which way up, is found by folding: `fold_plan` folds a stack of sheets
as a binder does (each fold takes half the packet under the other half, the last fold along the
spine, so the spine is on the left of page 1) and reads the leaves off the folded packet. The
plans it gives are the printers' textbook ones (the tests hold them to the quarto and octavo
formes of the manuals).

The laid-out pages are reused as form XObjects (pikepdf): nothing is laid out again. Each leaf
is moved toward the spine by its depth in the signature x the paper thickness (creep), the last
signature is made of as few sheets as the remaining pages need, and marks (fold ticks, sewing
stations, stepped collation marks) and a first sheet that explains the printing are optional.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass

import pikepdf

from ..errors import UsageError
from .print_options import DEFAULT_SHEETS, PAPERS, SCHEMES, ImposeOptions

# (columns, rows, folds): "v" takes the left half under the right, "h" the top half under the bottom.
MM = 72 / 25.4


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
    cols, rows, folds = SCHEMES[scheme]
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
    cols, rows, _ = SCHEMES[scheme]
    return 2 * cols * rows


def signature_sizes(pages: int, scheme: str, sheets: int) -> list[int]:
    """Sheets in each signature: all `sheets`, but the last as few as its pages need."""
    per_sheet = pages_per_sheet(scheme)
    full, rest = divmod(pages, per_sheet * sheets)
    sizes = [sheets] * full
    if rest:
        sizes.append(math.ceil(rest / per_sheet))
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


def sheet_geometry(scheme: str, page: tuple[float, float], paper: tuple[float, float]) -> tuple[float, float, bool]:
    """(x, y) of the block of pages on the paper, and whether the paper is turned to landscape.
    UsageError when the pages at their print size do not fit the paper either way."""
    cols, rows, _ = SCHEMES[scheme]
    block = (cols * page[0], rows * page[1])
    for landscape in (False, True):
        width, height = (paper[1], paper[0]) if landscape else paper
        if block[0] <= width + 0.01 and block[1] <= height + 0.01:
            return (width - block[0]) / 2, (height - block[1]) / 2, landscape
    raise UsageError(f"{scheme}: {cols}x{rows} pages of {page[0] / 72:.2f}x{page[1] / 72:.2f} in need a sheet of "
                     f"{block[0] / 72:.2f}x{block[1] / 72:.2f} in, larger than the paper "
                     f"({paper[0] / 72:.2f}x{paper[1] / 72:.2f} in); choose a larger --paper or a smaller --page-size")


def check_imposition(page_size: str, options: ImposeOptions) -> None:
    """UsageError, before any work, for an imposition that cannot be done: an unknown fold or
    paper, or pages (at `page_size`, a PAGE_SIZES name) that do not fit the paper at print size."""
    from .print_options import page_points

    _check_options(options)
    sheet_geometry(options.scheme, page_points(page_size), paper_size(options.paper))


def _check_options(options: ImposeOptions) -> int:
    """The sheets in a signature; UsageError for a fold, duplex, count or thickness that cannot be."""
    if options.scheme not in SCHEMES:
        raise UsageError(f"--impose {options.scheme!r}: choose {', '.join(SCHEMES)}")
    if options.duplex not in {"long", "short"}:
        raise UsageError("--duplex: long or short")
    sheets = options.sheets_per_signature or DEFAULT_SHEETS[options.scheme]
    if not 1 <= sheets <= 32:
        raise UsageError("--sheets-per-signature: from 1 to 32")
    if not 0 <= options.paper_thickness <= 1:
        raise UsageError("--paper-thickness: in millimetres, from 0 to 1 (office paper is about 0.1)")
    return sheets


@dataclass(frozen=True)
class Imposition:
    pdf: bytes
    sheets: int          # sheets of paper to print (the guide not counted)
    signatures: list[int]
    blanks: int          # blank pages added to fill the last signature


def impose(reading_pdf: bytes, options: ImposeOptions, title: str = "") -> Imposition:
    """The reading PDF's pages on sheets, signature by signature, with marks and the guide sheet."""
    sheets = _check_options(options)
    source = pikepdf.open(io.BytesIO(reading_pdf))
    first = source.pages[0].mediabox
    page = (float(first[2]) - float(first[0]), float(first[3]) - float(first[1]))
    paper = paper_size(options.paper)
    x0, y0, landscape = sheet_geometry(options.scheme, page, paper)
    width, height = (paper[1], paper[0]) if landscape else paper
    cols, rows, _ = SCHEMES[options.scheme]
    # The plan's back sides are turned over the sheet's vertical axis: the long edge of an upright
    # sheet, the short edge of a landscape one. A printer that turns the other way needs them turned.
    turned_over_long_edge = height >= width
    turn_backs = (options.duplex == "long") != turned_over_long_edge
    out = pikepdf.new()
    total = len(source.pages)
    sizes = signature_sizes(total, options.scheme, sheets)
    per_sheet = pages_per_sheet(options.scheme)
    forms: dict[int, pikepdf.Object] = {}

    def form(index: int):
        if index not in forms:
            forms[index] = out.copy_foreign(source.pages[index].as_form_xobject())
        return forms[index]

    thickness = options.paper_thickness * MM
    first_page, blanks = 0, 0
    for number, size in enumerate(sizes):
        pages_here = size * per_sheet
        plan = fold_plan(options.scheme, size)
        blanks += max(0, first_page + pages_here - total)
        for sheet_index, (front, back) in enumerate(plan):
            for side, slots in (("A", front), ("B", back)):
                content, resources = [], {}
                for slot in slots:
                    index = first_page + slot.page - 1
                    if index >= total:
                        continue  # a blank page of the last signature
                    name = f"/P{index + 1}"
                    resources[name] = form(index)
                    content.append(_placement(slot, name, page, x0, y0, height, rows, thickness,
                                              turn=turn_backs and side == "B", paper=(width, height)))
                marks = _marks(options, size, number, len(sizes), x0, y0, page, cols, rows,
                               (width, height), turn_backs and side == "B", slots)
                _add_sheet(out, (width, height), content + marks, resources)
        first_page += pages_here
    guide = _guide(paper, options, title, total, sizes, blanks, per_sheet, turn_backs, landscape) \
        if options.guide else None
    _finish(out, guide, (width, height))
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, compress_streams=True)
    for pdf in (source, guide):
        if pdf is not None:
            pdf.close()
    return Imposition(buffer.getvalue(), sum(sizes), sizes, blanks)


def _placement(slot: Slot, name: str, page: tuple[float, float], x0: float, y0: float, sheet_height: float,
               rows: int, thickness: float, turn: bool, paper: tuple[float, float]) -> str:
    """The operators that draw page `name` in its slot: turned 180 where the fold needs it, moved
    toward the spine by its creep (to the left on a recto, to the right on a verso, as it reads)."""
    w, h = page
    x = x0 + slot.col * w
    y = sheet_height - y0 - (slot.row + 1) * h  # rows count from the top; PDF's y from the bottom
    shift = slot.depth * thickness * (-1 if slot.page % 2 else 1)
    if slot.rotation == 180:
        a, b, c, d, e, f = -1, 0, 0, -1, x + w - shift, y + h
    else:
        a, b, c, d, e, f = 1, 0, 0, 1, x + shift, y
    if turn:  # the whole side turned 180 about the sheet's centre
        a, b, c, d, e, f = -a, -b, -c, -d, paper[0] - e, paper[1] - f
    return f"q {a} {b} {c} {d} {e:.4f} {f:.4f} cm {name} Do Q"


def _marks(options: ImposeOptions, sheets: int, number: int, signatures: int,
           x0: float, y0: float, page: tuple[float, float], cols: int, rows: int, paper: tuple[float, float],
           turn: bool, slots: list[Slot] = ()) -> list[str]:
    """Fold ticks at both ends of every fold line; sewing stations along the spine fold where the
    signature's middle pages face each other (its inside), and a collation block, stepped by
    signature, on the spine between its first and last pages (its outside). The fold plan says
    which sheet and side hold each pair side by side, for every scheme and sheet count."""
    w, h = page
    top, bottom = paper[1] - y0, paper[1] - y0 - rows * h
    ops: list[str] = []
    if options.fold_marks:
        ops.append("q 0.4 G 0.5 w")
        for col in range(1, cols):
            x = x0 + col * w
            ops += [f"{x:.2f} {top + 4:.2f} m {x:.2f} {top + 16:.2f} l S",
                    f"{x:.2f} {bottom - 4:.2f} m {x:.2f} {bottom - 16:.2f} l S"]
        for row in range(1, rows):
            y = top - row * h
            ops += [f"{x0 - 4:.2f} {y:.2f} m {x0 - 16:.2f} {y:.2f} l S",
                    f"{x0 + cols * w + 4:.2f} {y:.2f} m {x0 + cols * w + 16:.2f} {y:.2f} l S"]
        ops.append("Q")
    last = sheets * pages_per_sheet(options.scheme)
    inside = _spine(slots, last // 2, last // 2 + 1, x0, top, page)  # on one side of one sheet
    if options.sewing_stations and inside:
        spine, low, _, _ = inside
        n = options.sewing_stations
        for i in range(n):  # evenly spaced, 2 cm in from head and tail
            y = low + 20 * MM + i * (h - 40 * MM) / max(1, n - 1)
            ops.append(f"q 0 g {spine:.2f} {y:.2f} m {spine - 3:.2f} {y:.2f} l {spine + 3:.2f} {y:.2f} l "
                       f"q 0 G 0.6 w {spine - 4:.2f} {y:.2f} m {spine + 4:.2f} {y:.2f} l S Q Q")
    outside = _spine(slots, 1, last, x0, top, page)
    if options.collation_marks and outside:
        spine, low, high, upright = outside
        step = (h - 30 * MM) / max(1, signatures)
        block = min(step, 12 * MM)
        down = 15 * MM + (number + 1) * step  # from the page's head, which is at the bottom of a turned page
        y = high - down if upright else low + down - block
        ops.append(f"q 0 g {spine - 2:.2f} {y:.2f} 4 {block:.2f} re f Q")
    if turn and ops:
        ops = [f"q -1 0 0 -1 {paper[0]:.4f} {paper[1]:.4f} cm"] + ops + ["Q"]
    return ops


def _spine(slots, a: int, b: int, x0: float, top: float, page: tuple[float, float]
           ) -> tuple[float, float, float, bool] | None:
    """The fold between pages a and b where this side holds them side by side: (x, its low and high
    end, whether the pages stand upright), or None."""
    found = {slot.page: slot for slot in slots if slot.page in (a, b)}
    if len(found) < 2 or found[a].row != found[b].row or abs(found[a].col - found[b].col) != 1:
        return None
    w, h = page
    high = top - found[a].row * h
    return x0 + max(found[a].col, found[b].col) * w, high - h, high, found[a].rotation == 0


def _add_sheet(out: pikepdf.Pdf, size: tuple[float, float], operators: list[str], forms: dict) -> None:
    page = out.add_blank_page(page_size=size)
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary({k: v for k, v in forms.items()}))
    page.Contents = out.make_stream("\n".join(operators).encode("ascii"))


def _finish(out: pikepdf.Pdf, guide: pikepdf.Pdf | None, size: tuple[float, float]) -> None:
    """The guide first, on a sheet of its own with a blank back (printed duplex, the sheets keep
    their own fronts and backs); and the pages printed at their size (a viewer's "fit to page"
    would shrink them and the folds with them)."""
    if guide is not None:
        out.pages.insert(0, guide.pages[0])
        out.add_blank_page(page_size=size)
        out.pages.insert(1, out.pages[-1])
        del out.pages[-1]
    out.Root.ViewerPreferences = pikepdf.Dictionary(PrintScaling=pikepdf.Name("/None"))


def _guide(paper: tuple[float, float], options: ImposeOptions, title: str, pages: int, sizes: list[int],
           blanks: int, per_sheet: int, turn_backs: bool, landscape: bool) -> pikepdf.Pdf:
    """A first sheet, printed on its own, that says how to print, fold and sew the rest."""
    from reportlab.pdfgen import canvas

    from .cover import reportlab_face

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=paper, invariant=1)
    face = reportlab_face()
    lines = [f"{title or 'This book'}: printing guide", "",
             f"{pages} pages, imposed {options.scheme}: {per_sheet} pages a sheet, "
             f"{len(sizes)} signature{'s' if len(sizes) != 1 else ''}, {sum(sizes)} sheets of {options.paper} "
             f"({'landscape' if landscape else 'upright'}).",
             f"Blank pages added to fill the last signature: {blanks}.", "",
             "Print the sheets after this one double-sided, in order, "
             f"turning on the {options.duplex} edge" + (" (the backs are turned to match)." if turn_backs else "."),
             "Print at actual size (100%, no 'fit to page'): the pages are placed at their print size.", "",
             "Keep the sheets of each signature together, outermost first, fold them as one"
             + (" along the middle" if options.scheme == "folio" else f" {len(SCHEMES[options.scheme][2])} times, "
                "the last fold along the spine") + ", and sew through the marked stations.",
             f"Creep: each leaf is moved {options.paper_thickness:g} mm toward the spine for each leaf outside it.",
             "", "Signatures:"]
    start = 1
    for number, size in enumerate(sizes, 1):
        end = start + size * per_sheet - 1
        lines.append(f"  {number}: pages {start}-{min(end, pages)}, {size} sheet{'s' if size != 1 else ''}"
                     + (f" ({end - pages} blank)" if end > pages else ""))
        start = end + 1
    from reportlab.pdfbase.pdfmetrics import stringWidth

    y, room = paper[1] - 72, paper[0] - 108
    for number, line in enumerate(lines):
        size = 14 if number == 0 else 10
        words, current = line.split(" "), ""
        for word in words:  # wrapped to the paper's width
            trial = f"{current} {word}" if current else word
            if current and stringWidth(trial, face, size) > room:
                c.setFont(face, size)
                c.drawString(54, y, current)
                y, current = y - 15, "  " + word if line.startswith("  ") else word
            else:
                current = trial
        c.setFont(face, size)
        c.drawString(54, y, current)
        y -= 22 if number == 0 else 15
        if y < 54:
            c.showPage()
            y = paper[1] - 72
    c.showPage()
    c.save()
    return pikepdf.open(io.BytesIO(buffer.getvalue()))

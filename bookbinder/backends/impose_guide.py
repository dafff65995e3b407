"""The printing guide of an imposition (impose.py): a SheetPlan -> a PDF (<name>.guide.pdf) that
says how to print the imposed sheets, fold them, and sew or glue them, and what each signature holds.

It is a file of its own, not a first sheet of the imposed one: printed duplex, a sheet in front
of the others would shift every front onto a back the moment a printer or a user skips it.
"""
from __future__ import annotations

import io

from .impose import SheetPlan, paper_size, percent
from .print_options import SCHEMES, ImposeOptions


def guide_pdf(plan: SheetPlan, options: ImposeOptions, title: str) -> bytes:
    """The guide, on pages of the user's paper (upright)."""
    return _draw(guide_lines(plan, options, title), paper_size(options.paper))


def guide_lines(plan: SheetPlan, options: ImposeOptions, title: str) -> list[str]:
    """What the guide says, a paragraph a line (indented lines are the signatures' list)."""
    sizes, sewn = plan.signatures, SCHEMES[plan.scheme].sewn
    unit = "signature" if sewn else "folded sheet"
    flyleaves = f", with {_count(plan.flyleaves, 'blank flyleaf', 'blank flyleaves')} before and after them" \
        if plan.flyleaves else ""
    sheets = f"{_count(sum(sizes), 'sheet')} of {options.paper} ({'landscape' if plan.layout.landscape else 'upright'})"
    sheets = f"{_count(len(sizes), unit)}, {sheets}" if sewn else f"{sheets}, each folded on its own"
    shape = f"{plan.pages} pages{flyleaves}, imposed {plan.scheme}: {plan.per_sheet} pages a sheet, {sheets}."
    blanks = f"Blank pages added to fill the last {unit}: {plan.blanks}."
    lines = [f"{title or 'This book'}: printing guide", "", shape, blanks]
    if options.signatures:
        repeated = ", the last number repeated for the pages left" if len(sizes) > len(plan.listed) else ""
        lines.append(f"Sheets a signature as listed ({', '.join(map(str, plan.listed))}){repeated}; the last "
                     "signature has as few sheets as its pages need.")
    turned = " (the backs are turned to match)." if plan.turn_backs else "."
    scaled = "the pages are placed at their print size." if plan.layout.scale == 1 else \
        f"the pages are already scaled to {percent(plan.layout.scale)} of their size to fit the paper (--scale-to-fit)."
    printing = ("Print the imposed sheets (the .imposed.pdf beside this guide) double-sided, in order, turning on "
                f"the {options.duplex} edge{turned}")
    lines += ["", printing, f"Print at actual size (100%, no 'fit to page'): {scaled}", "",
              *_folding(plan, options), "", f"{unit.capitalize()}s:"]
    return lines + _contents(plan)


def _folding(plan: SheetPlan, options: ImposeOptions) -> list[str]:
    """How to fold, and sew or glue."""
    scheme = SCHEMES[plan.scheme]
    if not scheme.sewn:
        return [("Fold every sheet once along the middle, on its own; stack the folded sheets in order (the "
                 "collation marks step down the spine: a sheet out of place breaks the line), then glue the spine.")]
    n = len(scheme.folds)
    folds = "along the middle" if n == 1 else f"{'twice' if n == 2 else f'{n} times'}, the last fold along the spine"
    return [(f"Keep the sheets of each signature together, outermost first, fold them together {folds}, and sew "
             "through the marked stations."),
            f"Creep: each leaf is moved {options.paper_thickness:g} mm toward the spine for each leaf outside it."]


def _contents(plan: SheetPlan) -> list[str]:
    """A line for each signature: what it holds and its sheets."""
    lines, start = [], 0
    for number, size in enumerate(plan.signatures, 1):
        end = start + size * plan.per_sheet
        sheets = f", {_count(size, 'sheet')}" if SCHEMES[plan.scheme].sewn else ""
        lines.append(f"  {number}: {_holds(plan, start, end)}{sheets}")
        start = end
    return lines


def _holds(plan: SheetPlan, start: int, end: int) -> str:
    """The pages at positions start..end-1 of the text block: flyleaves, the book's pages, blanks."""
    front, pages = 2 * plan.flyleaves, plan.pages

    def within(low: int, high: int) -> int:
        return max(0, min(end, high) - max(start, low))

    book = [i + 1 for p in range(start, end) if (i := plan.page_at(p)) is not None]
    parts = [f"{within(0, front)} flyleaf pages" if within(0, front) else "",
             f"pages {book[0]}-{book[-1]}" if book else "",
             f"{within(front + pages, 2 * front + pages)} flyleaf pages" if within(front + pages, 2 * front + pages)
             else "",
             f"{within(2 * front + pages, end)} blank" if within(2 * front + pages, end) else ""]
    return ", ".join(p for p in parts if p)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _draw(lines: list[str], paper: tuple[float, float]) -> bytes:
    """The lines on pages of `paper`, wrapped to its width, the first as a heading."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    from .cover import reportlab_face

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=paper, invariant=1)
    face = reportlab_face()
    y, room = paper[1] - 72, paper[0] - 108
    for number, line in enumerate(lines):
        size = 14 if number == 0 else 10
        c.setFont(face, size)
        current = ""
        for word in line.split(" "):  # wrapped to the paper's width
            trial = f"{current} {word}" if current else word
            if current and stringWidth(trial, face, size) > room:
                c.drawString(54, y, current)
                y, current = y - 15, "  " + word if line.startswith("  ") else word
            else:
                current = trial
        c.drawString(54, y, current)
        y -= 22 if number == 0 else 15
        if y < 54 and number < len(lines) - 1:
            c.showPage()
            y = paper[1] - 72
    c.showPage()
    c.save()
    return buffer.getvalue()

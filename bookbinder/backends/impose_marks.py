"""The marks on an imposed sheet side (impose.py): a side's slots and plan -> PDF drawing operators.

Fold ticks at both ends of every fold line; sewing stations along the spine fold where the
signature's middle pages face each other (its inside), for sewn signatures only; and a collation
block, stepped by signature, on the spine between its first and last pages (its outside), so a
misplaced signature or sheet shows at a glance. The fold plan says which sheet and side hold each
pair side by side, for every scheme and sheet count.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .print_options import SCHEMES, ImposeOptions

if TYPE_CHECKING:
    from .impose import SheetPlan, Slot

MM = 72 / 25.4


def side_marks(options: ImposeOptions, plan: SheetPlan, sheets: int, number: int, slots: list[Slot],
               turned: bool) -> list[str]:
    """The marks of one side of a sheet of signature `number` (of `sheets` sheets), turned 180 with
    the side's pages when `turned`."""
    layout = plan.layout
    top = layout.paper[1] - layout.corner[1]
    ops = _fold_ticks(plan, top) if options.fold_marks else []
    last = sheets * plan.per_sheet
    inside = _spine(slots, last // 2, last // 2 + 1, layout.corner[0], top, layout.cell)  # on one side of one sheet
    if options.sewing_stations and SCHEMES[plan.scheme].sewn and inside:
        ops += _stations(inside, options.sewing_stations, layout.cell[1])
    outside = _spine(slots, 1, last, layout.corner[0], top, layout.cell)
    if options.collation_marks and outside:
        ops += _collation(outside, number, len(plan.signatures), layout.cell[1])
    if turned and ops:
        ops = [f"q -1 0 0 -1 {layout.paper[0]:.4f} {layout.paper[1]:.4f} cm"] + ops + ["Q"]
    return ops


def _fold_ticks(plan: SheetPlan, top: float) -> list[str]:
    scheme, (x0, _), (w, h) = SCHEMES[plan.scheme], plan.layout.corner, plan.layout.cell
    bottom = top - scheme.rows * h
    ops = ["q 0.4 G 0.5 w"]
    for col in range(1, scheme.cols):
        x = x0 + col * w
        ops += [f"{x:.2f} {top + 4:.2f} m {x:.2f} {top + 16:.2f} l S",
                f"{x:.2f} {bottom - 4:.2f} m {x:.2f} {bottom - 16:.2f} l S"]
    for row in range(1, scheme.rows):
        y = top - row * h
        ops += [f"{x0 - 4:.2f} {y:.2f} m {x0 - 16:.2f} {y:.2f} l S",
                f"{x0 + scheme.cols * w + 4:.2f} {y:.2f} m {x0 + scheme.cols * w + 16:.2f} {y:.2f} l S"]
    return ops + ["Q"]


def _stations(inside: tuple[float, float, float, bool], n: int, h: float) -> list[str]:
    """`n` sewing stations on the spine, evenly spaced, 2 cm in from head and tail."""
    spine, low, _, _ = inside
    ops = []
    for i in range(n):
        y = low + 20 * MM + i * (h - 40 * MM) / max(1, n - 1)
        ops.append(f"q 0 g {spine:.2f} {y:.2f} m {spine - 3:.2f} {y:.2f} l {spine + 3:.2f} {y:.2f} l "
                   f"q 0 G 0.6 w {spine - 4:.2f} {y:.2f} m {spine + 4:.2f} {y:.2f} l S Q Q")
    return ops


def _collation(outside: tuple[float, float, float, bool], number: int, signatures: int, h: float) -> list[str]:
    """A block on the spine, lower for each signature than for the one before."""
    spine, low, high, upright = outside
    step = (h - 30 * MM) / max(1, signatures)
    block = min(step, 12 * MM)
    down = 15 * MM + (number + 1) * step  # from the page's head, which is at the bottom of a turned page
    y = high - down if upright else low + down - block
    return [f"q 0 g {spine - 2:.2f} {y:.2f} 4 {block:.2f} re f Q"]


def _spine(slots: list[Slot], a: int, b: int, x0: float, top: float, cell: tuple[float, float]
           ) -> tuple[float, float, float, bool] | None:
    """The fold between pages a and b where this side holds them side by side: (x, its low and high
    end, whether the pages stand upright), or None."""
    found = {slot.page: slot for slot in slots if slot.page in (a, b)}
    if len(found) < 2 or found[a].row != found[b].row or abs(found[a].col - found[b].col) != 1:
        return None
    w, h = cell
    high = top - found[a].row * h
    return x0 + max(found[a].col, found[b].col) * w, high - h, high, found[a].rotation == 0

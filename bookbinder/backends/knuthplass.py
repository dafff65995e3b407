"""The optimum-fit line breaker: a paragraph's feasible breaks (`Breaks`) -> the breaks of least
total demerits, after D. E. Knuth and M. F. Plass, "Breaking Paragraphs into Lines", Software:
Practice and Experience 11 (1981), 1119-1184 (the algorithm of TeX's \\parshape-free paragraphs).

A line from break a to break b has a natural width (its text, a hyphen if b is one), an
adjustment ratio r = (line width - natural width) / stretch, a badness 100 r^3 and demerits
(line penalty + badness)^2 + penalty(b)^2, plus extra demerits when two lines in a row end in a
hyphen, when the paragraph's last full line does, and, where the caller knows one, when a page's
last line does. The breaks chosen minimise the sum over the paragraph's lines. The search is the
paper's dynamic program: a break's best predecessors lie within one line's width before it (the
"active nodes"), found by bisection, and lines looser than `tolerance` are not tried.

Where it departs from TeX, because the lines are set by CSS justification:
- every space stretches and shrinks alike (CSS gives each the same extra; `linebreak` shrinks a
  line's spaces with a negative `word-spacing`), `Rules.stretch` of a space at r = 1 and
  `Rules.shrink` at r = -1, where a line is as tight as it may be (TeX's fonts: 1/2 and 1/3);
- and the line's type a little wider or narrower (`Rules.expand`, `Rules.contract`: a share of its
  natural width, as pdfTeX's font expansion and InDesign's glyph scaling set it), so a line short
  of the measure need not widen its spaces alone;
- a state counts the hyphenated lines in a row, and a third is ruled out, not just costly;
- a line whose spaces would more than double (`Rules.loose`) costs `Rules.loose_demerits` more:
  with no shrink, how many lines gape matters more than how evenly the rest are spaced;
- a last line of one short word (a runt) costs `Rules.runt_demerits` more;
- the last two lines must not fit on one line: WeasyPrint would set them so.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, replace

INF = float("inf")
_EPSILON = 1e-6  # px: far below any width that counts


@dataclass(frozen=True)
class Rules:
    """What a line costs; TeX's names, and its values where they serve (see each)."""

    stretch: float = 0.5         # how far a space stretches at r = 1, in spaces (TeX's fonts: 1/2)
    shrink: float = 1 / 3        # how far it shrinks at r = -1, the least a line may be (TeX's fonts: 1/3)
    expand: float = 0.0          # how far a line's type widens at r = 1, a share of its width (font expansion)
    contract: float = 0.0        # and narrows at r = -1
    tolerance: float = 4.0       # lines looser than this are tried only when nothing else fits
    line_penalty: float = 10     # \linepenalty: fewer lines
    hyphen_penalty: float = 100  # \hyphenpenalty is 50; 100 hyphenates 3-4.5% of lines (the limit: 5%)
    dash_penalty: float = 50     # a line ending after an en or em dash
    other_penalty: float = 1000  # ... anywhere else a line may end but a space (after a slash, say)
    double_hyphen: float = 10000  # \doublehyphendemerits
    final_hyphen: float = 5000   # \finalhyphendemerits
    page_end_hyphen: float = 50000
    loose: float = 2.0           # r past which a line is loose: its spaces more than twice their width
    loose_demerits: float = 1e8
    runt: float = 0.15           # a last line of one word narrower than this share of the line is a runt
    runt_demerits: float = 1e6   # halves the runts of the texts tried, at no cost to their spacing
    line_bonus: float = 0.0      # added to every line's demerits: below 0, more lines (TeX's \looseness, see `loosened`)
    left: int = 2                # letters kept before a hyphen (\lefthyphenmin)
    right: int = 3               # and after it (\righthyphenmin)


@dataclass(frozen=True)
class Breaks:
    """Where a line may end, in order: the paragraph's start first, its end last. Widths in px."""

    at: tuple[int, ...]          # the character the next line starts with
    end: tuple[float, ...]       # x where a line ending here ends, its hyphen included
    start: tuple[float, ...]     # x where the next line starts
    spaces: tuple[int, ...]      # stretchable spaces before a line ending here ends
    spaces_after: tuple[int, ...]  # stretchable spaces before the next line starts
    penalty: tuple[float, ...]
    flagged: tuple[bool, ...]    # the line ends in a hyphen
    soft: tuple[bool, ...]       # a hyphenation point: a soft hyphen goes there
    space: float                 # a word space's width


def choose(b: Breaks, widths: tuple[float, float], rules: Rules, tolerance: float, margin: float = 0.0,
           page_ends: frozenset = frozenset()) -> tuple[int, ...] | None:
    """The breaks (indices into `b`, the paragraph's end last) of least total demerits whose lines
    fit `widths` (the first line's, the others') less `margin`, their spaces shrunk at most by
    `Rules.shrink`, and are no looser than `tolerance`; None if there are none. `page_ends`: the
    numbers of lines (from 0) that end a page.

    cost[j][h]: the least demerits of the paragraph up to break j with h lines in a row ending in
    a hyphen there (0 where j is no hyphen, 1 or 2 where it is)."""
    n, end, start = len(b.at), b.end, b.start
    stretch, shrink = rules.stretch * b.space, rules.shrink * b.space
    expand, contract = rules.expand, rules.contract
    cost, back, lines = [[INF] * 3 for _ in range(n)], [[None] * 3 for _ in range(n)], [[0] * 3 for _ in range(n)]
    cost[0][0] = 0.0
    first, rest = widths[0] - margin, widths[1] - margin
    # each space wider than its shrink, the type than its contraction: rising
    tight = [s * (1 - contract) - shrink * k for s, k in zip(start, b.spaces_after)]
    for j in range(1, n):
        last = j == n - 1
        # the first break a line to j may start from; the bound a hair low, since the two sides are
        # summed in different orders: a line shrunk exactly to its limit was lost to rounding
        for i in range(bisect_left(tight, end[j] * (1 - contract) - shrink * b.spaces[j] - rest - _EPSILON, 0, j), j):
            room, spaces = (first if i == 0 else rest) - (end[j] - start[i]), b.spaces[j] - b.spaces_after[i]
            natural = end[j] - start[i]
            if room < -(spaces * shrink + natural * contract) or (last and room < 0):
                continue  # too long even shrunk; a last line is set at its natural width
            give = spaces * stretch + natural * expand if room >= 0 else spaces * shrink + natural * contract
            ratio = 0.0 if last else _ratio(room, give)
            if ratio > tolerance:
                break  # shorter lines, from later breaks, are looser still
            demerits = (rules.line_penalty + 100 * abs(ratio) ** 3) ** 2 + b.penalty[j] ** 2
            demerits += (rules.loose_demerits if ratio > rules.loose else 0) + rules.line_bonus
            demerits += rules.runt_demerits if last and i and _runt(b, i, j, rest, rules) else 0
            for h in (1, 2) if b.flagged[i] else (0,):
                hj = h + 1 if b.flagged[j] else 0
                if hj == 3 or (last and _fits(b, back[i][h], j, widths)):
                    continue  # a third hyphen in a row; or two last lines WeasyPrint could set as one
                total = cost[i][h] + demerits + _extra(b, rules, h, j, last, lines[i][h] in page_ends)
                if total < cost[j][hj]:
                    cost[j][hj], back[j][hj], lines[j][hj] = total, (i, h), lines[i][h] + 1
    return _path(back, cost[n - 1])


def best(b: Breaks, widths: tuple[float, float], rules: Rules, margin: float = 0.0,
         page_ends: frozenset = frozenset()) -> tuple[int, ...] | None:
    """`choose` within the tolerance, then, if nothing fits so, with lines of any looseness."""
    return (choose(b, widths, rules, rules.tolerance, margin, page_ends)
            or choose(b, widths, rules, INF, margin, page_ends))


def loosened(b: Breaks, widths: tuple[float, float], rules: Rules, lines: int, margin: float = 0.0,
             page_ends: frozenset = frozenset(), limit: float = 1.5) -> tuple[tuple[int, ...], float] | None:
    """The paragraph set in `lines` lines (one more than its best, say), as TeX's \\looseness sets
    it: the least-demerit breaks with that many lines, none looser than `limit` nor shrunk past
    the rules; with their demerits, or None. Found by a bonus on every line, raised until the
    optimum has the lines asked for (a paragraph has few line counts to choose from)."""
    for bonus in (-2e4, -1e5, -5e5, -2e6, -1e7):
        path = choose(b, widths, replace(rules, line_bonus=bonus), rules.tolerance, margin, page_ends)
        if path is not None and len(path) == lines:
            worst = max(ratios(b, path, widths, rules, margin), default=0.0)
            return (path, demerits(b, path, widths, rules, margin)) if worst <= limit else None
        if path is not None and len(path) > lines:
            return None
    return None


def ratios(b: Breaks, path: tuple[int, ...], widths: tuple[float, float], rules: Rules, margin: float = 0.0
           ) -> list[float]:
    """Each line's adjustment ratio but the last's (stretch above 0, shrink below)."""
    out = []
    for a, z in zip((0, *path), path[:-1]):
        room = (widths[0] if a == 0 else widths[1]) - margin - (b.end[z] - b.start[a])
        spaces, natural = b.spaces[z] - b.spaces_after[a], b.end[z] - b.start[a]
        give = spaces * rules.stretch * b.space + natural * rules.expand if room >= 0 else \
            spaces * rules.shrink * b.space + natural * rules.contract
        out.append(_ratio(room, give))
    return out


def demerits(b: Breaks, path: tuple[int, ...], widths: tuple[float, float], rules: Rules, margin: float = 0.0) -> float:
    """The badness part of a path's demerits (lines and penalties), to compare settings of one paragraph."""
    return sum((rules.line_penalty + 100 * abs(r) ** 3) ** 2 for r in ratios(b, path, widths, rules, margin)) \
        + sum(b.penalty[j] ** 2 for j in path)


def joinable(b: Breaks, path: tuple[int, ...], widths: tuple[float, float]) -> bool:
    """Whether two lines in a row would fit one line (WeasyPrint, breaking greedily, would set them
    as one); `choose` rules it out for the last two, and it is rarer than rare elsewhere."""
    starts = (0, *path)
    return any(b.end[c] - b.start[a] <= (widths[0] if a == 0 else widths[1]) for a, c in zip(starts, starts[2:]))


def widest(b: Breaks) -> float:
    """The widest piece of text no break divides."""
    return max((b.end[j] - b.start[j - 1] for j in range(1, len(b.at))), default=0.0)


def _ratio(room: float, give: float) -> float:
    """How far the spaces stretch (or, room < 0, shrink) to fill `room`, 1 (or -1) being all their
    `give`; a line with no space to stretch is allowed only when nothing better fits (it is set ragged)."""
    if give > 0:
        return room / give
    return 0.0 if room < 0.5 else 1e3


def _runt(b: Breaks, i: int, j: int, width: float, rules: Rules) -> bool:
    """Whether the last line, from i to j, is one short word (or the end of one)."""
    return b.spaces[j] == b.spaces_after[i] and b.end[j] - b.start[i] < rules.runt * width


def _extra(b: Breaks, rules: Rules, h: int, j: int, last: bool, page_end: bool) -> float:
    """Demerits for hyphens: two lines in a row, the last full line, a page's last line."""
    if not b.flagged[j]:
        return rules.final_hyphen if last and h else 0.0
    return (rules.double_hyphen if h else 0.0) + (rules.page_end_hyphen if page_end else 0.0)


def _fits(b: Breaks, before: tuple[int, int] | None, j: int, widths: tuple[float, float]) -> bool:
    """Whether a line from the break of state `before` (break, hyphens) to break j would fit."""
    if before is None:
        return False
    a = before[0]
    return b.end[j] - b.start[a] <= (widths[0] if a == 0 else widths[1])


def _path(back: list, final: list[float]) -> tuple[int, ...] | None:
    h = min(range(3), key=final.__getitem__)
    if final[h] == INF:
        return None
    path, j = [], len(back) - 1
    while j:
        path.append(j)
        j, h = back[j][h]
    return tuple(reversed(path))

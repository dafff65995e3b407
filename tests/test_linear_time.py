"""Reading does work linear in the input: degenerate inputs at 1x, 4x and 16x, counted in calls.

Each shape once took quadratic time somewhere (benchmarks/linearity.py's KNOWN). No clock is
read: cProfile counts every call, Python's and builtins' (each `isinstance`, each `str.isspace`,
each regex search), which is the same on a quiet machine and a busy one. What the input adds is
the count less that of the story around it with no shape at all; linear growth gives 4x per step,
quadratic 16x. A regex that backtracks does its extra work inside one call, which no count sees:
`python benchmarks/linearity.py --known` times the same shapes for that.
"""
from __future__ import annotations

import cProfile
import sys
from collections import Counter
from pathlib import Path

import pytest

from bookbinder.errors import BookbinderError
from bookbinder.pipeline import load_story

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from linearity import KNOWN, KNOWN_SHAPES, wrap  # noqa: E402

BASE = 4096  # characters: counts need no size that drowns a clock's noise


def _calls(path: Path, text: str) -> Counter:
    """Calls made by load_story on `text`, by function."""
    path.write_text(text, encoding="utf-8")
    profile = cProfile.Profile()
    profile.enable()
    try:
        load_story(path)
    except BookbinderError:
        pass
    finally:
        profile.disable()
    return Counter({str(entry.code): entry.callcount for entry in profile.getstats()})


def _growth(small: Counter, large: Counter, none: Counter, floor: int = 0) -> list[tuple[float, int, str]]:
    """(large's calls / small's, large's, function) for each function the shape makes call often,
    less the calls of the story without it; fastest growing last."""
    added = sum(large.values()) - sum(none.values())
    out = []
    for name, count in large.items():
        grew, was = count - none[name], small[name] - none[name]
        if grew > max(200, added // 100, floor):  # at least 1% of the work, and a call a character
            out.append((grew / max(was, 1), count, name))
    return sorted(out)


@pytest.mark.parametrize("fmt, shape", KNOWN, ids=[f"{f}-{s}" for f, s in KNOWN])
def test_work_grows_linearly(tmp_path: Path, fmt: str, shape: str) -> None:
    make, path = KNOWN_SHAPES[shape], tmp_path / f"case.{fmt}"
    for text in (wrap(fmt, ""), wrap(fmt, make(BASE))):
        _calls(path, text)  # first calls import modules and fill caches: not the input's work
    none = _calls(path, wrap(fmt, ""))
    counts = {1: _calls(path, wrap(fmt, make(BASE)))}
    for k in (4, 16):
        counts[k] = _calls(path, wrap(fmt, make(BASE * k)))
        small, large = counts[k // 4], counts[k]
        added = [sum(c.values()) - sum(none.values()) for c in (small, large)]
        # 4x the input: at most 6x the calls (linear 4x, n log n a little more, quadratic 16x) ...
        # counted from one call per character of the smaller input at least: work below that is no
        # input's (a shape may even take a shorter path than the story without it: HTML of nothing
        # but '&' is no prose page, so the web page extractor never runs on it)
        floor = BASE * k // 4
        assert added[1] <= 6 * max(added[0], floor), (k, added, _growth(small, large, none)[-5:])
        # ... and no function doing 1% of the work grows 8x (a threshold, such as the lines a
        # hard-wrapped text needs, can lift one a little past 6x at these sizes; quadratic is 16x)
        worst = _growth(small, large, none, floor)[-5:]
        assert not worst or worst[-1][0] <= 8, (k, worst)

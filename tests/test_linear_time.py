"""Reading takes time linear in the input: degenerate inputs at 1x, 4x and 16x (ratios, not times).

Each shape once took quadratic time somewhere (a backtracking regex, a search over a growing
string, a parser's text buffer); benchmarks/linearity.py hunts for new ones.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from bookbinder.errors import BookbinderError
from bookbinder.pipeline import load_story

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from linearity import wrap  # noqa: E402

SHAPES = {
    "dots": lambda n: "." * n,
    "quotes and underscores": lambda n: '"_' * (n // 2),
    "short lines": lambda n: "ab.\n" * (n // 4),
    "star lines": lambda n: "*\n" * (n // 2),
    "unclosed strong": lambda n: "**a " * (n // 4),
    "wrapped prose": lambda n: "The quick brown fox jumps over the lazy dog again and again and\n" * (n // 66),
    "brackets": lambda n: "[" * n,
    "ampersands": lambda n: "&" * n,
    "unclosed bold": lambda n: "<b>x " * (n // 5),
}
CASES = [("txt", "dots"), ("txt", "quotes and underscores"), ("txt", "short lines"), ("txt", "star lines"),
         ("txt", "wrapped prose"), ("txt", "unclosed strong"), ("md", "brackets"), ("html", "ampersands"), ("html", "unclosed bold")]


def _seconds(path: Path, text: str) -> float:
    path.write_text(text, encoding="utf-8")
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        try:
            load_story(path)
        except BookbinderError:
            pass
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("fmt, shape", CASES, ids=[f"{f}-{s}" for f, s in CASES])
def test_time_grows_linearly(tmp_path: Path, fmt: str, shape: str) -> None:
    make, path = SHAPES[shape], tmp_path / f"case.{fmt}"
    base = 16_384
    t1, t4, t16 = (_seconds(path, wrap(fmt, make(base * k))) for k in (1, 4, 16))
    # Linear growth gives 4x per step (less, with fixed costs); quadratic gives 16x.
    assert t16 / max(t4, 0.01) < 8, (t1, t4, t16)
    assert t16 / max(t1, 0.01) < 40, (t1, t4, t16)

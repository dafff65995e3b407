"""Hunt for superlinear time: every reader on degenerate inputs at two sizes, 4x apart.

    python benchmarks/linearity.py [--small 16384] [--chars ASCII+] [--pairs] [--formats txt,md,html]
    python benchmarks/linearity.py --known

For each input shape (one character repeated, a two-character pattern repeated, many short
lines) it times `load_story` at `small` and 4 x `small` bytes and prints the cases whose time
grew more than 6x (linear is 4x; 16x is quadratic). Each run is stopped after `--limit` seconds.
Confirm a flagged case at 1 MB with --small 262144.

`--known` times the shapes in KNOWN, each of which once took quadratic time somewhere (a
backtracking regex, a search over a growing string, a parser's text buffer), at 16 KB, 64 KB and
256 KB, and fails when the time grows faster than linear. tests/test_linear_time.py counts the
calls on the same shapes, without a clock, in every test run; a regex that backtracks does its
work inside one call, so only a clock sees it: run this after touching a pattern.
"""
from __future__ import annotations

import argparse
import itertools
import signal
import string
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bookbinder.errors import BookbinderError  # noqa: E402
from bookbinder.pipeline import load_story  # noqa: E402

SPECIAL = "\u00a0\u2014\u2026\u2019\u201c\u3000\u4e00\t\n\r\f \ufeff\u200b"
CHARS = string.printable.replace("\x0b", "") + SPECIAL


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout


STORY_START = "She opened the door and looked out at the rain for a long while.\n\n"
STORY_END = "\n\nThen she closed it again, and went back to her book by the fire."


def wrap(fmt: str, text: str) -> str:
    """The shape inside a story, so that every stage runs on it (an input of nothing but the shape
    holds no story text and stops early)."""
    if fmt == "html":
        return f"<html><body><p>{STORY_START}</p><p>{text}</p><p>{STORY_END}</p></body></html>"
    return STORY_START + text + STORY_END


def timed(fmt: str, text: str, folder: Path, limit: float) -> float:
    path = folder / f"case.{fmt}"
    path.write_text(wrap(fmt, text), encoding="utf-8", errors="surrogatepass")
    signal.setitimer(signal.ITIMER_REAL, limit)
    start = time.perf_counter()
    try:
        load_story(path)
    except BookbinderError:
        pass
    except Timeout:
        return float("inf")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return time.perf_counter() - start


# Degenerate inputs that once took quadratic time, by format (tests/test_linear_time.py).
KNOWN_SHAPES = {
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
KNOWN = [("txt", "dots"), ("txt", "quotes and underscores"), ("txt", "short lines"), ("txt", "star lines"),
         ("txt", "wrapped prose"), ("txt", "unclosed strong"), ("md", "brackets"), ("html", "ampersands"),
         ("html", "unclosed bold")]


def known(folder: Path, limit: float) -> int:
    """The KNOWN shapes at 1x, 4x and 16x 16 KB, best of two runs each: how many grew too fast."""
    flagged = 0
    for fmt, shape in KNOWN:
        make = KNOWN_SHAPES[shape]
        t1, t4, t16 = (min(timed(fmt, make(16_384 * k), folder, limit) for _ in range(2)) for k in (1, 4, 16))
        # Linear growth gives 4x per step (less, with fixed costs); quadratic gives 16x.
        bad = t16 / max(t4, 0.01) >= 8 or t16 / max(t1, 0.01) >= 40
        flagged += bad
        print(f"{'SUPERLINEAR' if bad else 'linear     '} {fmt:4} {shape:30} {t1:.3f}s {t4:.3f}s {t16:.3f}s", flush=True)
    return flagged


def shapes(pairs: bool):
    for c in CHARS:
        yield repr(c), lambda n, c=c: c * n
    if pairs:
        for a, b in itertools.product(CHARS, repeat=2):
            if a != b:
                yield repr(a + b), lambda n, a=a, b=b: (a + b) * (n // 2)
    yield "short lines", lambda n: "ab.\n" * (n // 4)
    yield "short lines, blank between", lambda n: "word\n\n" * (n // 6)
    yield "wrapped prose", lambda n: ("The quick brown fox jumps over the lazy dog again and again and\n"
                                      * (n // 66))
    yield "words", lambda n: "word " * (n // 5)
    yield "unclosed markup", lambda n: "<b>x " * (n // 5)
    yield "unclosed strong", lambda n: "**a " * (n // 4)
    yield "quote underscore", lambda n: '"_' * (n // 2)
    yield "star lines", lambda n: "*\n" * (n // 2)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=16384)
    parser.add_argument("--pairs", action="store_true")
    parser.add_argument("--formats", default="txt,md,html")
    parser.add_argument("--limit", type=float, default=20.0)
    parser.add_argument("--known", action="store_true", help="time the shapes that once were quadratic, 1x 4x 16x")
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, _alarm)
    flagged = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.known:
            flagged = known(folder, args.limit)
            print(f"{flagged} superlinear cases")
            return 1 if flagged else 0
        for name, make in shapes(args.pairs):
            for fmt in args.formats.split(","):
                small = timed(fmt, make(args.small), folder, args.limit)
                large = timed(fmt, make(4 * args.small), folder, args.limit)
                ratio = large / max(small, 1e-3)
                if ratio > 6 and large > 0.05:
                    flagged += 1
                    print(f"SUPERLINEAR {fmt:4} {name:30} {small:.3f}s -> {large:.3f}s ({ratio:.1f}x)", flush=True)
                elif large > 2.0:
                    print(f"slow        {fmt:4} {name:30} {small:.3f}s -> {large:.3f}s ({ratio:.1f}x)", flush=True)
    print(f"{flagged} superlinear cases")
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())

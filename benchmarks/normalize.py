"""Benchmark: normalize plain-text and HTML stories and report words per second.

    python benchmarks/normalize.py [N] [--against DIR]

N (default 200) text stories are generated from the seeds (benchmarks/corpus.py); the HTML set
is the development corpus's HTML inputs (AO3 downloads, FanFicFare pages), each read N // 10 times.
Each measurement runs `load_story` over the whole set in a fresh process; the best of three, interleaved. With --against DIR (a
checkout of another bookbinder commit, e.g. `git worktree add /tmp/old <commit>`), the same sets
are read by that checkout in the same run, and the ratio is printed.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from corpus import generate  # noqa: E402

_TIMER = """
import json, sys, time
from pathlib import Path
from bookbinder.pipeline import load_story
paths = [Path(p) for p in json.loads(sys.argv[1])]
start = time.perf_counter()
words = sum(load_story(p).words for p in paths)
print(json.dumps([words, time.perf_counter() - start]))
"""


def measure(checkout: Path, paths: list[Path]) -> tuple[int, float]:
    env = dict(os.environ, PYTHONPATH=str(checkout), BOOKBINDER_CACHE_DIR=tempfile.mkdtemp())
    done = subprocess.run([sys.executable, "-c", _TIMER, json.dumps([str(p) for p in paths])],
                          check=True, capture_output=True, text=True, env=env, cwd=checkout)
    words, seconds = json.loads(done.stdout.strip().splitlines()[-1])
    return words, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", nargs="?", type=int, default=200)
    parser.add_argument("--against", type=Path, help="another bookbinder checkout to measure in the same run")
    args = parser.parse_args()
    html = sorted((ROOT / "tests" / "corpus" / "made").glob("*.html"))
    with tempfile.TemporaryDirectory() as tmp:
        sets = {"text": generate(args.n, Path(tmp) / "corpus"), "html": html * max(1, args.n // 10)}
        for name, paths in sets.items():
            # Interleaved, best of three: the first pass over fresh files pays for the disk and the CPU's warm-up.
            runs = [(measure(ROOT, paths), measure(args.against, paths) if args.against else None) for _ in range(3)]
            words, seconds = min((r[0] for r in runs), key=lambda m: m[1])
            line = f"{name:>4}: {len(paths)} files, {words:,} words: {seconds:6.2f} s, {words / seconds:10,.0f} words/s"
            if args.against:
                old_words, old_seconds = min((r[1] for r in runs), key=lambda m: m[1])
                line += (f"  | against {args.against}: {old_seconds:6.2f} s, {old_words / old_seconds:10,.0f} words/s"
                         f"  | words/s now/then {(words / seconds) / (old_words / old_seconds):.2f}x,"
                         f" time then/now {old_seconds / seconds:.2f}x")
            print(line)


if __name__ == "__main__":
    main()

"""Benchmark: normalize a generated corpus and report words per second.

    python benchmarks/normalize.py [N]      # default 200 stories

Runs `bookbinder normalize` over the corpus in one process (the CLI a user runs), and in the
same run the library call alone, and prints words, seconds and words per second for each.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(n, Path(tmp) / "corpus")
        from bookbinder.pipeline import load_story

        start = time.perf_counter()
        words = sum(load_story(p).words for p in paths)
        library = time.perf_counter() - start

        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bookbinder", "normalize", *map(str, paths), "-o", str(Path(tmp) / "out")],
                       check=True, capture_output=True)
        cli = time.perf_counter() - start
    print(f"corpus: {n} stories, {words:,} body words")
    print(f"library load_story: {library:6.2f} s  {words / library:10,.0f} words/s")
    print(f"bookbinder normalize (CLI, writes XHTML): {cli:6.2f} s  {words / cli:10,.0f} words/s")


if __name__ == "__main__":
    main()

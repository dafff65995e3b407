"""Make the books a plan names with pandoc, one pandoc per book, as many at once as there are cores.

    python benchmarks/pandoc_books.py PLAN.json OUT_DIR

What a user without bookbinder runs: a shell loop (`xargs -P`) of `pandoc story... -o book.epub`.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def books(plan: dict) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for story in plan["stories"]:
        groups.setdefault(story["pairing"], []).append(story["pandoc"])
    return groups


def main() -> None:
    plan, out = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)

    def make(item: tuple[int, tuple[str, list[str]]]) -> int:
        n, (pairing, files) = item
        return subprocess.run(["pandoc", "-f", "markdown", "--toc", "-o", str(out / f"book-{n:04d}.epub"),
                               "--metadata", f"title={pairing}", *files], check=False).returncode

    with ThreadPoolExecutor(len(os.sched_getaffinity(0))) as pool:
        failed = sum(1 for code in pool.map(make, enumerate(books(plan).items())) if code)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

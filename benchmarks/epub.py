"""Benchmark: build one EPUB of a generated corpus with bookbinder and with pandoc, in one run.

    python benchmarks/epub.py [N ...]        # default: 200 1000

For each size, both tools get the same stories (pandoc gets UTF-8 copies: it reads nothing
else; the conversion is not timed). Prints each tool's time and peak memory (whole process
tree) and the ratios.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate, utf8_copies  # noqa: E402
from measure import measure  # noqa: E402


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [200, 1000]
    if not shutil.which("pandoc"):
        sys.exit("pandoc is not installed (apt-get install pandoc)")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            paths = generate(n, tmp / "corpus")
            utf8 = tmp / "utf8"
            utf8_copies(paths, utf8)
            words = sum(len(p.read_text(encoding="utf-8").split()) for p in utf8.iterdir())
            ours = measure([sys.executable, "-m", "bookbinder", "build", str(tmp / "corpus"), "-o", str(tmp / "bb"),
                            "--title", "Benchmark"])
            theirs = measure(["pandoc", "-f", "markdown", "-o", str(tmp / "pandoc.epub"), "--metadata",
                              "title=Benchmark", *sorted(map(str, utf8.iterdir()))])
            print(f"{n} stories, {words:,} words")
            print(f"  bookbinder: {ours.seconds:7.2f} s  peak {ours.peak_mb:7.0f} MB  (exit {ours.returncode})")
            print(f"  pandoc:     {theirs.seconds:7.2f} s  peak {theirs.peak_mb:7.0f} MB  (exit {theirs.returncode})")
            print(f"  ratio: bookbinder is {theirs.seconds / ours.seconds:.1f}x faster; "
                  f"memory {ours.peak_mb / theirs.peak_mb:.2f}x pandoc's")


if __name__ == "__main__":
    main()

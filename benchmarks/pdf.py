"""Benchmark: a print PDF of a generated corpus with bookbinder and with pandoc -> WeasyPrint.

    python benchmarks/pdf.py [N]        # default 200 stories

Both get the same stories (pandoc gets UTF-8 copies; the conversion is not timed). pandoc writes
one standalone HTML file of all stories, which WeasyPrint (the same version bookbinder uses)
renders with the same page, margins and type as bookbinder's default (6x9in, 10.5pt, 1.4
leading, indented paragraphs, justified and hyphenated: the stylesheet a pandoc user would add),
so both set about the same pages; the two steps are timed together. Prints each one's time, peak memory of the whole
process tree, page count, file size, and the ratios; then imposes bookbinder's PDF (folio on
tabloid) and compares that time with its layout's.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from bookbinder.backends.impose import impose
from bookbinder.backends.print_options import ImposeOptions

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate, utf8_copies  # noqa: E402
from measure import measure  # noqa: E402


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    if not shutil.which("pandoc"):
        sys.exit("pandoc is not installed (apt-get install pandoc)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        paths = generate(n, tmp / "corpus")
        utf8 = tmp / "utf8"
        utf8_copies(paths, utf8)
        ours = measure([sys.executable, "-m", "bookbinder", "build", str(tmp / "corpus"), "--format", "pdf",
                        "-o", str(tmp / "bb"), "--title", "Benchmark", "--no-cache"])
        # The same page as bookbinder's default (6x9in, the same margins), so both set the same pages.
        # A user stylesheet (-s) loses to pandoc's own CSS unless it says !important.
        (tmp / "page.css").write_text(
            "@page { size: 6in 9in; margin: 0.75in 0.75in 0.85in 0.75in; @bottom-center { content: counter(page); } }\n"
            "html { font-size: 10.5pt !important; line-height: 1.4 !important; }\n"
            "body { margin: 0 !important; padding: 0 !important; max-width: none !important; "
            "font-size: 10.5pt !important; hyphens: auto; text-align: justify; }\n"
            "p { margin: 0 !important; text-indent: 1em; }\n")
        script = (f"pandoc -s -f markdown -t html5 --metadata title=Benchmark -o {tmp / 'book.html'} "
                  f"{utf8}/*.txt && {sys.executable} -m weasyprint -s {tmp / 'page.css'} {tmp / 'book.html'} "
                  f"{tmp / 'pandoc.pdf'}")
        theirs = measure(["bash", "-c", script])
        mine, other = tmp / "bb" / "benchmark.pdf", tmp / "pandoc.pdf"
        print(f"{n} stories")
        print(f"  bookbinder:          {ours.seconds:7.2f} s  peak {ours.peak_mb:6.0f} MB  "
              f"{pages(mine)} pages  {mine.stat().st_size / 1e6:6.2f} MB (exit {ours.returncode})")
        print(f"  pandoc -> WeasyPrint: {theirs.seconds:7.2f} s  peak {theirs.peak_mb:6.0f} MB  "
              f"{pages(other)} pages  {other.stat().st_size / 1e6:6.2f} MB (exit {theirs.returncode})")
        print(f"  ratio: bookbinder is {theirs.seconds / ours.seconds:.2f}x faster; "
              f"memory {ours.peak_mb / theirs.peak_mb:.2f}x; file size {mine.stat().st_size / other.stat().st_size:.2f}x")
        start = time.perf_counter()
        imposed = impose(mine.read_bytes(), ImposeOptions("folio", "tabloid"))
        took = time.perf_counter() - start
        print(f"  imposing it (folio on tabloid, {imposed.sheets} sheets): {took:.2f} s, "
              f"{took / ours.seconds:.1%} of the time its layout took")


if __name__ == "__main__":
    main()

"""Benchmark: an archive's library built `--by pairing`, beside pandoc making the same books, in one run.

    pip install psutil 'bookbinder[dask]'
    python benchmarks/scale.py 200 1000 10000          # EPUB libraries; PDF at 200; Dask at 1000
    python benchmarks/scale.py 1000 --pdf 0 --dask 0   # just one size
    python benchmarks/scale.py 10000 --pdf 0 --dask 0 --pandoc-up-to 1000   # 10,000 without pandoc's hour

For each size, a library from `library.py` (fandoms, 10 pairings each, 500 to 200,000 words,
text, AO3 HTML, Markdown and cp1252), then, each measured as a whole process tree (time, peak memory):
- cold: `bookbinder build LIB --by pairing` with an empty cache, and pandoc making the same books
  (one pandoc per pairing, as many at once as there are cores, from plain Markdown copies that
  cost pandoc no reading of site habits; making the copies is not timed);
- warm: the same build again with nothing changed, and with one story added; then the same library
  built with no cache, whose books must be byte-identical to the warm build's;
- PDF (`--pdf N`): one anthology of N stories as a PDF, cold, then with one story added;
- Dask (`--dask N`): the same cold build (no cache) on a LocalCluster of 2 worker processes,
  beside the local pool.
Figures are ratios measured in this run, on this machine.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from library import cast, generate, paragraphs, write_story  # noqa: E402
from measure import Measurement, measure  # noqa: E402

BB = [sys.executable, "-m", "bookbinder", "build", "-q"]


def line(name: str, m: Measurement, base: Measurement | None = None, what: str = "") -> str:
    ratio = f"  {m.seconds / base.seconds:6.3f}x {what}" if base else ""
    failed = f"  (exit {m.returncode})" if m.returncode else ""
    return f"  {name:<34} {m.seconds:8.2f} s  peak {m.peak_mb:6.0f} MB{ratio}{failed}"


def add_story(lib: Path, n: int) -> None:
    write_story(n, lib, cast(n), paragraphs())


def epub_library(n: int, tmp: Path, with_pandoc: bool = True) -> None:
    lib = tmp / "lib"
    plan = generate(n, lib)
    words = sum(len(Path(s["pandoc"]).read_text(encoding="utf-8").split()) for s in plan["stories"])
    pairings = len({s["pairing"] for s in plan["stories"]})
    cache, out = tmp / "cache", tmp / "out"
    cold = measure([*BB, str(lib), "--by", "pairing", "-o", str(out), "--cache-dir", str(cache)])
    books = len(list(out.glob("*.epub")))
    pandoc = (measure([sys.executable, str(HERE / "pandoc_books.py"), str(tmp / "lib.plan.json"), str(tmp / "pandoc")])
              if with_pandoc else None)
    same = measure([*BB, str(lib), "--by", "pairing", "-o", str(out), "--cache-dir", str(cache)])
    add_story(lib, n)
    added = measure([*BB, str(lib), "--by", "pairing", "-o", str(out), "--cache-dir", str(cache)])
    uncached = measure([*BB, str(lib), "--by", "pairing", "-o", str(tmp / "uncached"), "--no-cache"])
    identical = sorted(p.name for p in out.glob("*.epub")) == sorted(p.name for p in (tmp / "uncached").glob("*.epub")) \
        and all((tmp / "uncached" / p.name).read_bytes() == p.read_bytes() for p in out.glob("*.epub"))
    made_by_pandoc = f", pandoc {len(list((tmp / 'pandoc').glob('*.epub')))}" if pandoc else ""
    print(f"{n:,} stories, {words:,} words, {pairings} pairings: bookbinder {books} books{made_by_pandoc}")
    if pandoc:
        print(line("pandoc, the same books", pandoc))
    print(line("bookbinder cold (empty cache)", cold, pandoc, "pandoc's time"))
    print(line("bookbinder warm, nothing changed", same, cold, "the cold build"))
    print(line("bookbinder warm, one story added", added, cold, "the cold build"))
    print(line("bookbinder, no cache", uncached, cold, "the cold build"))
    print(f"  warm books {'byte-identical to' if identical else 'DIFFERENT from'} the uncached build's")


def pdf_anthology(n: int, tmp: Path) -> None:
    lib = tmp / "pdflib"
    generate(n, lib)
    cache, out = tmp / "pdfcache", tmp / "anthology.pdf"
    cold = measure([*BB, str(lib), "-f", "pdf", "-o", str(out), "--cache-dir", str(cache), "--title", "Library"])
    add_story(lib, n)
    added = measure([*BB, str(lib), "-f", "pdf", "-o", str(out), "--cache-dir", str(cache), "--title", "Library"])
    print(f"{n:,}-story PDF anthology ({out.stat().st_size / 2**20:.1f} MB)")
    print(line("cold", cold))
    print(line("warm, one story added", added, cold, "the cold build"))


def dask_library(n: int, tmp: Path) -> None:
    from distributed import LocalCluster

    lib = tmp / "dasklib"
    generate(n, lib)
    pool = measure([*BB, str(lib), "--by", "pairing", "-o", str(tmp / "pool"), "--no-cache"])
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        dask = measure([*BB, str(lib), "--by", "pairing", "-o", str(tmp / "dask"), "--no-cache", "--scheduler",
                        cluster.scheduler_address])
    same = all((tmp / "dask" / p.name).read_bytes() == p.read_bytes() for p in (tmp / "pool").glob("*.epub"))
    print(f"{n:,} stories --by pairing, no cache: Dask LocalCluster (2 worker processes) vs the local pool "
          f"({'byte-identical' if same else 'DIFFERENT'} books)")
    print(line("local pool (2 workers)", pool))
    print(line("dask, 2 workers", dask, pool, "the pool's time"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[], help="library sizes for the EPUB runs")
    parser.add_argument("--pdf", type=int, default=200, help="stories in the PDF anthology (0: none)")
    parser.add_argument("--dask", type=int, default=1000, help="stories for the Dask comparison (0: none)")
    parser.add_argument("--pandoc-up-to", type=int, default=None, metavar="N",
                        help="run pandoc beside bookbinder only for libraries of at most N stories")
    args = parser.parse_args()
    if not shutil.which("pandoc"):
        sys.exit("pandoc is not installed (apt-get install pandoc)")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            epub_library(n, Path(tmp), with_pandoc=args.pandoc_up_to is None or n <= args.pandoc_up_to)
    if args.pdf:
        with tempfile.TemporaryDirectory() as tmp:
            pdf_anthology(args.pdf, Path(tmp))
    if args.dask:
        with tempfile.TemporaryDirectory() as tmp:
            dask_library(args.dask, Path(tmp))


if __name__ == "__main__":
    main()

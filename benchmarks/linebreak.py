"""Benchmark: paragraph-at-once line breaking (backends/linebreak.py) on real stories.

    python benchmarks/linebreak.py STORY... [--repeat N]

For each story, laid out alone as the PDF backend lays out a story (one process, 6x9in): the CPU
time of `set_lines` (per 100,000 words of the paragraphs it set) and of WeasyPrint's layout with
and without it, the best of N runs each (CPU time: the machine may be busy); and how many chosen
lines WeasyPrint did not set as chosen (by pdftotext -layout's lines; it should be 0).
Run the typography itself with ../shared/tools/typometrics.py on a built book.
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bookbinder.api import load_one
from bookbinder.backends import pdf
from bookbinder.backends.linebreak import Measure, set_lines
from bookbinder.backends.pagesize import geometry
from bookbinder.book import Book
from bookbinder.compose import compose
from bookbinder.render import document, serialize


def story_tree(path: Path):
    """A story's print document, as the PDF backend makes it for one story's part."""
    story = load_one(path)
    plan = compose(Book(story.meta.title or path.stem, [story]))
    group = next(g for g in pdf._body_groups(plan) if g[0].story is not None)
    body = [pdf.print_story(plan, group, pdf.PrintLinks(), alone=True)]
    return plan, story.words, document(plan.metadata.title, plan.metadata.language, body, body_class="print")


def render(plan, tree, fonts, sheets) -> bytes:
    from weasyprint import HTML

    html = serialize(tree).decode("utf-8")
    return HTML(string=html, url_fetcher=pdf.build_fetcher(plan)).render(stylesheets=sheets, font_config=fonts).write_pdf()


def cpu(fn):
    start = time.process_time()
    result = fn()
    return time.process_time() - start, result


def first(pair):
    return pair[0]


def unmatched(data: bytes, chosen) -> int:
    """Chosen lines that are not lines of the PDF (white space aside)."""
    squeeze = lambda s: re.sub(r"[\s\u00a0\u00ad]+", "", s)  # noqa: E731
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        text = subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, text=True).stdout
    lines = {squeeze(line) for line in text.splitlines()}
    return sum(squeeze(line[:-1] + "-" if line.endswith("\u00ad") else line) not in lines
               for paragraph in chosen for line in paragraph)


def main(argv: list[str]) -> None:
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    paths = [Path(a) for a in argv if a.endswith((".txt", ".html", ".md", ".epub"))]
    fonts, sheets = pdf._styles("6x9in", pdf._NO_FOLIOS)
    (width, _), (inner, outer) = pdf._page_geometry("6x9in")
    measure = Measure((width - inner - outer) * 4 / 3 - 2 * pdf._BODY_MARGIN_PX, geometry("6x9in").body_pt * 4 / 3)
    for path in paths:
        plan, words, tree = story_tree(path)
        setting = min((cpu(lambda: set_lines(tree, measure, fonts.font_map)) for _ in range(repeat)), key=first)
        lines = setting[1]
        greedy = min(cpu(lambda: render(plan, tree, fonts, sheets))[0] for _ in range(repeat))
        layout, data = min((cpu(lambda: render(plan, lines.tree, fonts, sheets)) for _ in range(repeat)), key=first)
        set_words = sum(len(" ".join(p).split()) for p in lines.chosen)
        print(f"{path.name}: {words:,} words, {len(lines.chosen)} paragraphs set, {len(lines.left)} left")
        print(f"  set_lines {setting[0]:.2f} s CPU, {setting[0] / max(set_words, 1) * 1e5:.2f} s per 100,000 words")
        print(f"  WeasyPrint layout {greedy:.2f} s greedy, {layout:.2f} s with the lines set; whole: "
              f"{(setting[0] + layout) / greedy:.2f}x")
        print(f"  chosen lines not set as chosen: {unmatched(data, lines.chosen)} of "
              f"{sum(map(len, lines.chosen)):,}")


if __name__ == "__main__":
    main(sys.argv[1:])

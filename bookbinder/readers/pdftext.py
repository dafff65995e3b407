"""Text extracted from a PDF (pdftotext and friends): pages joined back into one flow.

Pages are separated by form feeds. A running head or foot (a line that opens or closes most
pages, digits aside) and bare page numbers are dropped and reported; a paragraph cut by a page
break is joined again, and a word hyphenated across it is mended.
"""
from __future__ import annotations

import re
from collections import Counter

from ..model import Diagnostic

_FOLIO = re.compile(r"^\s*(?:[-–—]\s*)?(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*[-–—])?\s*$", re.IGNORECASE)
_ENDS_SENTENCE = re.compile(r"[.!?…:\"”’')\]]$")


def rejoin_pages(lines: list[str], diagnostics: list[Diagnostic], starts: list[int] | None = None) -> list[str]:
    """The pages' lines as one flow; `starts`, if given, is filled with the index of each page's
    first line in it (a layout reader may need to know what opens a page: AO3's chapters do)."""
    if not any("\f" in line for line in lines):
        lines = _counted_pages(lines)
        if not any("\f" in line for line in lines):
            return lines
    pages: list[list[str]] = [[]]
    for line in lines:
        parts = line.split("\f")
        pages[-1].append(parts[0])
        for part in parts[1:]:
            pages.append([part])
    pages = [_strip_blank(p) for p in pages]
    pages = [p for p in pages if p]
    running = _running_lines(pages)
    dropped: list[str] = []
    for page in pages:
        for edge in (0, -1):
            while page and (_shape(page[edge]) in running or _FOLIO.match(page[edge])):
                dropped.append(page.pop(edge).strip())
                page[:] = _strip_blank(page)
    if dropped:
        diagnostics.append(Diagnostic("cruft-dropped", f"{len(dropped)} running heads, feet and page numbers of "
                                      "a PDF's pages dropped", "\n".join(dropped)))
    out: list[str] = []
    for page in (p for p in pages if p):
        if starts is not None:
            starts.append(len(out))
        if not out:
            out.extend(page)
            continue
        last, first = out[-1].rstrip(), page[0].lstrip()
        if re.search(r"[^\W\d_]-$", last) and first[:1].islower():
            out[-1] = last[:-1] + first  # a word hyphenated across the page break
            diagnostics.append(Diagnostic("hyphen-joined", "a word hyphenated across a page break joined",
                                          f"{last.split()[-1]} {first.split()[0]}"))
            out.extend(page[1:])
        elif _ENDS_SENTENCE.search(last) and not first[:1].islower():
            out.append("")  # the page ended a paragraph
            if starts is not None:
                starts[-1] += 1
            out.extend(page)
        else:
            out.extend(page)  # the paragraph carries on over the page break
    return out


_COUNT = re.compile(r"(?:^|\s)(?P<n>\d{1,4})\s*/\s*(?P<of>\d{1,4})\s*$")


def _counted_pages(lines: list[str]) -> list[str]:
    """Text whose form feeds were lost, but whose running foot counts its pages ("https://… 3/19",
    as a browser prints a web page): a form feed put back before each page's running lines, so
    the pages are read as any PDF's. Unchanged unless at least three lines count 1, 2, 3… of one total."""
    counted = [(i, int(m["n"]), int(m["of"])) for i, line in enumerate(lines)
               if len(line) < 200 and (m := _COUNT.search(line))]
    totals = Counter(of for _, _, of in counted)
    if not totals:
        return lines
    total, _ = totals.most_common(1)[0]
    feet = [(i, n) for i, n, of in counted if of == total]
    if len(feet) < 3 or [n for _, n in feet] != list(range(feet[0][1], feet[0][1] + len(feet))):
        return lines
    heads = {_shape(lines[i - 1]) for i, _ in feet if i > 0}
    starts = [i - 1 if i > 0 and len(heads) == 1 else i for i, _ in feet]  # a head line above each count
    out = list(lines)
    for at in starts[1:]:
        out[at] = "\f" + out[at]
    return out


def _strip_blank(page: list[str]) -> list[str]:
    start, end = 0, len(page)
    while start < end and not page[start].strip():
        start += 1
    while end > start and not page[end - 1].strip():
        end -= 1
    return page[start:end]


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line.strip().casefold()))


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines (digits aside) among the first two or last two of at least half the pages, and at
    least three: running heads and feet (a browser prints two, the date and title, the address)."""
    if len(pages) < 3:
        return set()
    seen = Counter()
    for page in pages:
        seen.update({_shape(line) for line in page[:2] + page[-2:]})
    return {shape for shape, n in seen.items() if shape and n >= max(3, len(pages) // 2)}

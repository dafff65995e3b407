"""Cut plain text into units: list[str] of lines -> list[Unit].

A unit is one paragraph candidate (or a verse group, or a lone marker line) with the number
of blank lines before it. Two layouts are told apart by line lengths:

- long lines (one paragraph per line, as pasted from LiveJournal or fanfiction.net): every
  line is a unit, whether or not blank lines separate them;
- hard-wrapped lines (~70 columns, Project Gutenberg style): lines are joined into paragraphs,
  a new paragraph starting at a blank line, an indented line, or after a short line that ends
  a sentence; blocks of short lines stay lines (verse).
"""
from __future__ import annotations

import re
from dataclasses import replace, dataclass
from functools import cached_property
from statistics import quantiles

from ..model import Image, Inline
from .patterns import chapter_heading


@dataclass(frozen=True)
class Unit:
    lines: tuple[str, ...]  # the source lines, stripped; several only for verse
    gap: int                # blank lines before this unit
    verse: bool = False
    # Set by the HTML reader: the lines' inline markup, a heading element, an image, alignment.
    rich: tuple[tuple[Inline, ...], ...] | None = None
    heading: bool = False
    image: Image | None = None
    align: str | None = None
    section: bool = False  # a heading that titles a section of one text (a web article's), not a chapter

    @cached_property  # asked for by every structure rule, several times per unit
    def text(self) -> str:
        return " ".join(self.lines)

    @property
    def single(self) -> bool:
        return len(self.lines) == 1


_SENTENCE_END = re.compile(r"[.!?…:\"”’')\]。！？」』]$")
_KEYED = re.compile(r"^\[[A-Z0-9]{1,3}:\s")  # a keyed note or erratum ("[A: Insitent]") opens a paragraph
_FIELD_START = re.compile(r"^[A-Z][\w /()'’&-]{0,30}:(\s|$)")


def segment(lines: list[str]) -> list[Unit]:
    """Units of `lines` (already free of line-end characters)."""
    blocks = _blocks(lines)
    width = wrap_width(blocks)
    units: list[Unit] = []
    for gap, block in blocks:
        parts = _split_wrapped(block, width) if width else [(False, [line]) for line in block]
        for i, (verse, part) in enumerate(parts):
            units.append(Unit(tuple(p.strip() for p in part), gap if i == 0 else 0, verse))
    return units


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines, each with the count of blank lines before it."""
    out: list[tuple[int, list[str]]] = []
    gap, current = 0, []
    for line in lines:
        if line.strip():
            current.append(line.rstrip())
            continue
        if current:
            out.append((gap, current))
            gap, current = 0, []
        gap += 1
    if current:
        out.append((gap, current))
    return out


def wrap_width(blocks: list[tuple[int, list[str]]]) -> int | None:
    """The column the text is hard-wrapped at, or None when lines are paragraphs."""
    inner = [len(line.strip()) for _, block in blocks for line in block[:-1]]  # lines a wrap could have broken
    every = [len(line.strip()) for _, block in blocks for line in block]
    if len(inner) < 4 or len(every) < 6:
        return None
    width = quantiles(every, n=20)[-1] if len(every) > 1 else every[0]
    if width > 100:
        return None
    full = sum(1 for n in inner if n >= 0.6 * width)
    return int(width) if full >= 0.5 * len(inner) else None


def _split_wrapped(block: list[str], width: int) -> list[tuple[bool, list[str]]]:
    """A block of wrapped lines -> paragraphs (joined) and verse groups (kept as lines)."""
    short = [len(line.strip()) < 0.75 * width for line in block]
    if len(block) >= 2 and all(short):
        if sum(bool(_FIELD_START.match(line.strip())) for line in block) * 2 >= len(block):
            return [(False, [line]) for line in block]  # a "Key: value" header, not verse
        return [(True, block)]
    indents = [len(line) - len(line.lstrip()) for line in block]
    fill = min(width, max(len(line.strip()) for line in block))  # this block's own measure, never the text's longest
    paragraphs: list[list[str]] = [[]]
    for i, line in enumerate(block):
        prev = block[i - 1].strip() if i else ""
        # An indented first line, or a short line that ends a sentence or precedes a
        # "Key: value" header line, closes a paragraph.
        prev_short = len(prev) < 0.6 * width
        # A chapter heading line ("CHAPTER IV", "BOOK II.") stands alone, whatever its punctuation.
        heading = (prev_short and chapter_heading(prev)) or (len(line.strip()) < 0.6 * width and chapter_heading(line))
        # Greedy wrapping broke the line early: the next word would have fitted, so the paragraph ended.
        # (A paragraph does not open in lower case: "…suddenly, thump! / thump! down she came".)
        fitted = bool(line.split()) and len(prev) + 1 + len(line.split()[0]) <= fill and not line.lstrip()[:1].islower()
        if i and (indents[i] > indents[i - 1] or heading or _KEYED.match(line.strip())
                  or (prev_short or fitted) and _SENTENCE_END.search(prev)
                  or prev_short and _FIELD_START.match(line.strip())):
            paragraphs.append([])
        paragraphs[-1].append(line)
    return [(False, [_unwrap(p)]) for p in paragraphs if p]


def _unwrap(lines: list[str]) -> str:
    """Join wrapped lines; a line-end hyphen inside a word joins without a space."""
    parts = [lines[0].strip()]
    for line in lines[1:]:
        line = line.strip()
        joined = _WORD_HYPHEN.search(parts[-1]) and line[:1].islower()  # the line before, never the whole paragraph
        parts.append(line if joined else " " + line)
    return "".join(parts)


_WORD_HYPHEN = re.compile(r"[A-Za-z]-$")


def marked_headings(units: list[Unit], texts: set[str]) -> list[Unit]:
    """The units, with those that are exactly one of `texts` (headings the file's own markup or
    habit marks: Aozora's 見出し, an underlined line) marked as headings."""
    if not texts:
        return units
    return [replace(u, heading=True) if u.single and u.text.strip() in texts else u for u in units]

"""Plain-text emphasis conventions to inline markup: str -> tuple[Inline].

`_word_`, `*word*` and `/word/` mark italics in plain-text fan fiction; `**word**` and
`__word__` mark bold. A marker only counts at a word edge, so `citron_presse`, `Mark/Lexie`,
`and/or`, `5 * 3` and URLs stay as they are.
"""
from __future__ import annotations

import re
from bisect import bisect_left

from ..model import Inline, Span

# One alternation per marker; the inner text neither starts nor ends with a space. Strong
# emphasis (`**x**`, `__x__`) is paired by `_strong_spans` rather than a lazy regex, which would
# scan to the line's end from every opener that has no closer: quadratic on a line of "**a ".
_WORDISH = re.compile(r"[\w*_]")
_EM = re.compile(
    r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])"
    r"|(?<![\w_])_(?=[^\s_])([^_\n]+?)(?<=[^\s_])_(?![\w_])"
    r"|(?<![\w/:<])/(?=[^\s/])([^/\n<>]{1,120}?)(?<=[^\s/])/(?![\w/])"
)
_URL = re.compile(r"\b(?:https?://|www\.)\S+")


def emphasize(text: str) -> tuple[Inline, ...]:
    """Split `text` into strings and <em>/<strong> spans."""
    if not any(c in text for c in "*_/"):
        return (text,) if text else ()
    if _URL.search(text):  # slashes and underscores in addresses are not emphasis
        return _protect_urls(text)
    return _parse(text)


def _parse(text: str) -> tuple[Inline, ...]:
    out: list[Inline] = []
    pos = 0
    for start, end in _strong_spans(text):
        out += _em_only(text[pos:start])
        out.append(Span("strong", tuple(_em_only(text[start + 2:end - 2]))))
        pos = end
    out += _em_only(text[pos:])
    return tuple(out)


def _strong_spans(text: str) -> list[tuple[int, int]]:
    r"""(start, end) of each `**x**` / `__x__`, leftmost first, each closed by the nearest closer on
    its line, as the regex `(?<![\w*_])(\*\*|__)(?=\S)(.+?)(?<=\S)\1(?![\w*_])` would pair them;
    O(n log n), whatever the text."""
    marks = [i for m in re.finditer(r"\*{2,}|_{2,}", text) for i in range(m.start(), m.end() - 1)]
    if len(marks) < 2:
        return []
    closers: dict[str, list[int]] = {"**": [], "__": []}
    for j in marks:
        if not text[j - 1].isspace() and not _WORDISH.match(text, j + 2):
            closers[text[j:j + 2]].append(j)
    newlines = [m.start() for m in re.finditer("\n", text)]
    spans, pos = [], 0
    for i in marks:
        if i < pos or (i and _WORDISH.match(text, i - 1)) or i + 2 >= len(text) or text[i + 2].isspace():
            continue
        found = closers[text[i:i + 2]]
        k = bisect_left(found, i + 3)
        line_end = newlines[n] if (n := bisect_left(newlines, i + 2)) < len(newlines) else len(text)
        if k < len(found) and found[k] < line_end:
            spans.append((i, found[k] + 2))
            pos = found[k] + 2
    return spans


def _em_only(text: str) -> list[Inline]:
    out: list[Inline] = []
    pos = 0
    for m in _EM.finditer(text):
        inner = next(g for g in m.groups() if g is not None)
        if m.start() > pos:
            out.append(text[pos:m.start()])
        out.append(Span("em", (inner,)))
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:])
    return out


def _protect_urls(text: str) -> tuple[Inline, ...]:
    out: list[Inline] = []
    pos = 0
    for m in _URL.finditer(text):
        out += _parse(text[pos:m.start()])
        out.append(m.group(0))
        pos = m.end()
    out += _parse(text[pos:])
    return tuple(out)

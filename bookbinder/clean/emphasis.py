"""Plain-text emphasis conventions to inline markup: str -> tuple[Inline].

`_word_`, `*word*` and `/word/` mark italics in plain-text fan fiction; `**word**` and
`__word__` mark bold. A marker only counts at a word edge, so `citron_presse`, `Mark/Lexie`,
`and/or`, `5 * 3` and URLs stay as they are.
"""
from __future__ import annotations

import re

from ..model import Inline, Span

# One alternation per marker; the inner text neither starts nor ends with a space.
_STRONG = re.compile(r"(?<![\w*_])(\*\*|__)(?=\S)(.+?)(?<=\S)\1(?![\w*_])")
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
    for m in _STRONG.finditer(text):
        out += _em_only(text[pos:m.start()])
        out.append(Span("strong", tuple(_em_only(m.group(2)))))
        pos = m.end()
    out += _em_only(text[pos:])
    return tuple(out)


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

"""Book furniture of plain-text books: Project Gutenberg's header and licence, a contents list.

lines -> (lines of the book, header fields, diagnostics), and units -> units without the
repeated title page or a plain-text table of contents (the book makes its own).
"""
from __future__ import annotations

import re

from ..model import Diagnostic
from .fields import FieldSet, field_of
from .patterns import chapter_heading
from .segment import Unit

_START = re.compile(r"^\s*\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b.*$", re.IGNORECASE)
_END = re.compile(r"^\s*(?:\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b.*|"
                  r"End of (?:the )?Project Gutenberg'?s? .*|End of this Project Gutenberg .*)$", re.IGNORECASE)
_FIELD = re.compile(r"^(?P<key>Title|Author|Release [Dd]ate|Language|Translator|Editor|Illustrator|Credits|"
                    r"Posting [Dd]ate|Original publication)\s*:\s*(?P<value>.*)$")
_PRODUCED = re.compile(r"^(?:produced by|e-?text prepared by|transcribed by|this e-?book was produced by)\b",
                       re.IGNORECASE)
_CONTENTS = re.compile(r"^\s*(?:table of )?contents\.?\s*$", re.IGNORECASE)


def strip_gutenberg(lines: list[str], fields: FieldSet, diagnostics: list[Diagnostic]) -> list[str]:
    start = next((i for i, line in enumerate(lines) if _START.match(line)), None)
    if start is None:
        return lines
    _read_header(lines[:start], fields)
    end = next((i for i in range(start + 1, len(lines)) if _END.match(lines[i])), len(lines))
    diagnostics.append(Diagnostic(
        "cruft-dropped", f"Project Gutenberg header ({start} lines) and licence ({len(lines) - end} lines) dropped",
        "\n".join(lines[:start + 1] + lines[end:])))
    return lines[start + 1:end]


def _read_header(lines: list[str], fields: FieldSet) -> None:
    key, value = None, ""
    for line in lines + [""]:
        m = _FIELD.match(line.strip())
        if key and (m or not line.strip() or not line.startswith((" ", "\t"))):
            _set(fields, key, value)
            key = None
        if m:
            key, value = m["key"], m["value"]
        elif key and line.strip():
            value += " " + line.strip()


def _set(fields: FieldSet, key: str, value: str) -> None:
    value = re.sub(r"\[[^\]]*\]", "", value).strip()  # "[eBook #1342]"
    k = key.casefold()
    if k.startswith(("release", "posting", "original")):
        fields.add("published", value)
    elif k == "author":
        fields.authors.extend(a.strip() for a in re.split(r"\s+and\s+|;", value) if a.strip())
    elif k in {"title", "language"}:
        fields.add(field_of(k) or k, value)


def drop_book_front(units: list[Unit], fields: FieldSet, diagnostics: list[Diagnostic]) -> list[Unit]:
    """The repeated title, byline and producer credit at a book's top, and its contents list."""
    names = {n.casefold() for n in [fields.title or "", *fields.authors] if n}
    i = 0
    while i < len(units) - 1 and i < 12:
        t = units[i].text.strip()
        plain = re.sub(r"^by\s+", "", t, flags=re.IGNORECASE).casefold().strip(" .")
        if (names and plain in names) or _PRODUCED.match(t):
            diagnostics.append(Diagnostic("front-matter-dropped", f"title page line {t[:60]!r} dropped", t))
            i += 1
        elif _CONTENTS.match(t):
            i = _skip_contents(units, i, diagnostics)
        else:
            break
    return units[i:]


def _skip_contents(units: list[Unit], i: int, diagnostics: list[Diagnostic]) -> int:
    seen: set[str] = set()
    j = i + 1
    while j < len(units) - 1:
        u = units[j]
        head = chapter_heading(u.lines[0])
        if head and head[0].casefold() in seen:
            break
        if not u.verse and len(u.text) > 100:
            break
        seen |= {h[0].casefold() for line in u.lines if (h := chapter_heading(line))}
        j += 1
    dropped = [line for u in units[i:j] for line in u.lines]
    diagnostics.append(Diagnostic("contents-dropped", f"plain-text contents list ({len(dropped) - 1} lines) dropped; "
                                                      "the book makes its own", "\n".join(dropped)))
    return j

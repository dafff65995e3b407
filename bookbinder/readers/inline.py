"""Plain text of one paragraph -> a Paragraph (spaces tidied, emphasis conventions parsed)."""
from __future__ import annotations

from ..clean.emphasis import emphasize
from ..clean.typography import tidy_spaces
from ..model import LineGroup, Paragraph


def paragraph(text: str) -> Paragraph:
    return Paragraph(emphasize(tidy_spaces(text)))


def line_group(lines: list[str] | tuple[str, ...]) -> LineGroup:
    return LineGroup(tuple(emphasize(tidy_spaces(line)) for line in lines))

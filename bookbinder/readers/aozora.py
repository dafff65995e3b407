"""Aozora Bunko's plain-text books (Shift_JIS, CRLF): title and author lines, a legend, a colophon.

An Aozora text opens with its title and its author (a translator's line ends in 訳), then, between
two rules of hyphens, the legend of its marks (【テキスト中に現れる記号について】: 《》 ruby, ｜, ［＃］
notes); the text follows, one paragraph a line; the colophon (底本：, 入力：, 校正：, and the
青空文庫作成ファイル notice) closes it. The legend is furniture and is dropped and reported; the
colophon moves to the end notes; the ruby and the inputter's notes stay in the text as written.
"""
from __future__ import annotations

import re

from ..model import Diagnostic, Note
from .fields import FieldSet
from .inline import paragraph

_RULE = re.compile(r"^\s*-{20,}\s*$")
_LEGEND = "【テキスト中に現れる記号について】"
_COLOPHON = re.compile(r"^\s*底本[：:]")


def strip_aozora(lines: list[str], fields: FieldSet, diagnostics: list[Diagnostic]) -> list[str]:
    rules = [i for i, line in enumerate(lines[:60]) if _RULE.match(line)]
    if len(rules) < 2 or not any(_LEGEND in line for line in lines[rules[0]:rules[1]]):
        return lines
    top = [line.strip() for line in lines[:rules[0]] if line.strip()]
    if top:
        fields.title = top[0]
        people = top[1:]
        author = next((p for p in reversed(people) if not p.endswith("訳")), None)
        if author and author != top[0]:
            fields.authors.append(author)
        diagnostics.append(Diagnostic("header-field", "Aozora Bunko's title and author lines read", "\n".join(top)))
    diagnostics.append(Diagnostic("cruft-dropped", "Aozora Bunko's legend of marks dropped",
                                  "\n".join(lines[rules[0]:rules[1] + 1])))
    body = lines[rules[1] + 1:]
    end = next((i for i in range(len(body) - 1, -1, -1) if _COLOPHON.match(body[i])), None)
    if end is not None:
        colophon = [line.strip() for line in body[end:] if line.strip()]
        fields.end_notes.append(Note(tuple(paragraph(line) for line in colophon), "Colophon"))
        diagnostics.append(Diagnostic("note-moved", "Aozora Bunko's colophon (底本) moved to the end notes",
                                      "\n".join(colophon)))
        body = body[:end]
    return body

"""Aozora Bunko's plain-text books: lines -> Story, by Aozora's own notation.

An Aozora text opens with its title and its author (a translator's line ends in 訳), then, between
two rules of hyphens, the legend of its marks (【テキスト中に現れる記号について】: 《》 ruby, ｜, ［＃］
notes); the text follows, one paragraph a line; the colophon (底本：, 入力：, 校正：, and the
青空文庫作成ファイル notice) closes it. The legend is furniture and is dropped and reported; the
colophon moves to the end notes; the ruby stays in the text as written.

The inputter's notes ［＃…］ follow Aozora's annotation manual (注記一覧, aozora.gr.jp/annotation/):
- `［＃「一」は中見出し］` (大/中/小見出し) marks the text before it as a heading: a chapter starts there;
- `※［＃「…」、第3水準1-92-39］` (and `U+XXXX`) names a character outside JIS X 0208 by its JIS X 0213
  plane, row and cell: the ※ placeholder becomes that character (EUC-JIS-2004 holds every one);
- every other note (emphasis dots, indentation, "ここから…", corrections against the source text,
  subscripts) is typesetting or the editor's, not the author's text: it leaves the story, counted
  and reported.
"""
from __future__ import annotations

import re

from ...model import Diagnostic, Note, Story
from ..fields import FieldSet
from ..inline import paragraph
from ..segment import marked_headings, segment

_RULE = re.compile(r"^\s*-{20,}\s*$")
_LEGEND = "【テキスト中に現れる記号について】"
_COLOPHON = re.compile(r"^\s*底本[：:]")
_NOTE = re.compile(r"［＃[^］\n]*］")
_HEADING = re.compile(r"［＃「(?P<text>[^」\n]+)」は[大中小]見出し］")
_GAIJI = re.compile(r"※?［＃[^］\n]*?、\s*(?:第[1-4]水準)?(?P<plane>[12])-(?P<row>\d{1,2})-(?P<cell>\d{1,2})[^］\n]*］"
                    r"|※［＃[^］\n]*?U\+(?P<hex>[0-9A-Fa-f]{4,6})[^］\n]*］")


def is_aozora(lines: list[str]) -> bool:
    rules = [i for i, line in enumerate(lines[:60]) if _RULE.match(line)]
    return len(rules) >= 2 and any(_LEGEND in line for line in lines[rules[0]:rules[1]])


def read_aozora(lines: list[str], source: str, diagnostics: list[Diagnostic], starts=()) -> Story | None:
    from ..text import read_units

    fields = FieldSet()
    body = _strip(lines, fields, diagnostics)
    body, headings = _annotations(body, diagnostics)
    return read_units(marked_headings(segment(body), headings), source, diagnostics, fields)


def _strip(lines: list[str], fields: FieldSet, diagnostics: list[Diagnostic]) -> list[str]:
    rules = [i for i, line in enumerate(lines[:60]) if _RULE.match(line)]
    top = [line.strip() for line in lines[:rules[0]] if line.strip()]
    if top:
        fields.title = top[0]
        author = next((p for p in reversed(top[1:]) if not p.endswith("訳")), None)
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


def _annotations(lines: list[str], diagnostics: list[Diagnostic]) -> tuple[list[str], set[str]]:
    """Lines with the inputter's notes read: characters named by code put in, headings found, the
    rest taken out (a line that held only notes goes too). (lines, the headings' texts)."""
    headings: set[str] = set()
    dropped: list[str] = []
    out = []
    for line in lines:
        if "［＃" not in line:
            out.append(line)
            continue
        line = _GAIJI.sub(_character, line)
        headings.update(m["text"] for m in _HEADING.finditer(line))
        dropped += _NOTE.findall(line)
        rest = _NOTE.sub("", line)
        if rest.strip() or not line.strip():
            out.append(rest)
    if dropped:
        diagnostics.append(Diagnostic("cruft-dropped", f"{len(dropped)} Aozora inputter's notes ［＃…］ taken out "
                                      "(emphasis, indentation, corrections: typesetting, not the text)",
                                      "\n".join(dropped)))
    return out, headings


def _character(m: re.Match) -> str:
    """The character a gaiji note names (JIS X 0213 plane-row-cell, or U+XXXX); the note as it is
    when the code names nothing."""
    if m["hex"]:
        return chr(int(m["hex"], 16))
    plane, row, cell = int(m["plane"]), int(m["row"]), int(m["cell"])
    try:
        code = bytes([0xA0 + row, 0xA0 + cell])
        return (b"\x8f" + code if plane == 2 else code).decode("euc_jis_2004")
    except (UnicodeDecodeError, ValueError):
        return m.group(0)

"""Plain-text habits of download sites and of plain text itself: lines -> lines (and headings).

Web-novel download sites (书包网 and its many kin) cut a book into "pages" and write the page
marker into the text file, often in the middle of a paragraph (`_分节阅读_2`, `分节阅读 2`), and close
the file with the site's credits, sometimes inside an HTML comment (书籍名称：呐喊 作者：鲁迅, the
uploader, the site's address, "delete within 24 hours"). The markers go and the paragraph they
cut is joined again; the credits give the title and author and go; both are reported.

Underlined headings: a short line with a rule of hyphens or equals signs right under it is a
heading in Markdown's setext form and in Chinese and Japanese plain-text books alike. Read as one
only where the text does it at least twice (a habit, not an accident: one short line before a
scene-break rule is text).
"""
from __future__ import annotations

import re

from ..model import Diagnostic
from .fields import FieldSet

_PAGE_MARK = re.compile(r"^\s*_?分节阅读_?\s*\d+\s*$")
_SENTENCE_END = re.compile(r"[。！？!?.…」』”’\"）)：:；;—]\s*$")
_CREDIT_FIELD = re.compile(r"(?P<key>书籍名称|書籍名稱|书名|書名|作者)\s*[：:]\s*(?P<value>\S[^：:]*?)(?=\s{2,}|\s*作者|\s*$)")
_CREDIT = re.compile(r"https?://|www\.|TXT电子书|電子書|本书籍由|本书由|上传|上傳|仅供试阅|下载后24小时|全本小说|小说网|書包網|书包网")
_UNDERLINE = re.compile(r"^\s*(?:-{3,}|={3,}|[─━＝－]{3,})\s*$")


def strip_download_site(lines: list[str], fields: FieldSet, diagnostics: list[Diagnostic]) -> list[str]:
    """The book's lines without a download site's page markers and closing credits."""
    if not any("分节阅读" in line for line in lines) and not _credit_comment(lines):
        return lines
    lines = _without_page_marks(lines, diagnostics)
    return _without_credits(lines, fields, diagnostics)


def _without_page_marks(lines: list[str], diagnostics: list[Diagnostic]) -> list[str]:
    """The lines without page markers. A marker sits between blank lines; with them it goes, so
    the gap it leaves is no scene break, and a paragraph it cut (no sentence end before it, no
    indent after it) is joined again."""
    out: list[str] = []
    marks: list[str] = []
    joins: list[str] = []  # where a cut paragraph was joined: the two pieces of the word it cut
    after_mark = False
    for line in lines:
        if _PAGE_MARK.match(line):
            marks.append(line.strip())
            while out and not out[-1].strip():
                out.pop()
            after_mark = True
            continue
        if after_mark:
            if not line.strip():
                continue
            after_mark = False
            last = out[-1] if out else ""
            if last.strip() and not _SENTENCE_END.search(last) and not line[:1].isspace():
                out[-1] = last.rstrip() + line.strip()
                joins.append(f"{_last_word(last)} + {_first_word(line)}")
                continue
            out.append("")  # the paragraph gap the marker's blank lines stood for
        out.append(line)
    if marks:
        diagnostics.append(Diagnostic("cruft-dropped", f"{len(marks)} page markers of a download site dropped "
                                      "(分节阅读); paragraphs they cut joined again", "\n".join(marks + joins)))
    return out


def _last_word(text: str) -> str:
    return text.split()[-1] if text.split() else ""


def _first_word(text: str) -> str:
    return text.split()[0] if text.split() else ""


def _credit_comment(lines: list[str]) -> tuple[int, int] | None:
    """The last lines' HTML comment (<!-- ... -->) holding a site's credits, as (start, end)."""
    tail = len(lines) - 60
    start = next((i for i in range(len(lines) - 1, max(tail, -1), -1) if lines[i].strip().startswith("<!--")), None)
    if start is None:
        return None
    end = next((i for i in range(start, len(lines)) if "-->" in lines[i]), None)
    if end is None or not any(_CREDIT.search(line) for line in lines[start:end + 1]):
        return None
    return start, end


def _without_credits(lines: list[str], fields: FieldSet, diagnostics: list[Diagnostic]) -> list[str]:
    span = _credit_comment(lines)
    start, end = span if span else (len(lines), len(lines) - 1)
    credits = [line.strip() for line in lines[start:end + 1] if line.strip()]
    # Credit lines without the comment, in the last lines: the site's address and notices.
    while start > 0 and (not lines[start - 1].strip() or _CREDIT.search(lines[start - 1])) and len(lines) - start < 60:
        start -= 1
        if lines[start].strip():
            credits.insert(0, lines[start].strip())
    for line in credits:
        for m in _CREDIT_FIELD.finditer(line):
            if m["key"] == "作者":
                fields.authors = fields.authors or [m["value"].strip()]
            else:
                fields.title = fields.title or m["value"].strip()
    if credits:
        diagnostics.append(Diagnostic("cruft-dropped", "a download site's credits dropped (its title and author read)",
                                      "\n".join(credits)))
    body = lines[:start] + lines[end + 1:]
    return _without_title_line(body, fields, diagnostics)


def _without_title_line(lines: list[str], fields: FieldSet, diagnostics: list[Diagnostic]) -> list[str]:
    """The book's own first line when it names the title the credits give ("鲁迅：呐喊", even cut
    short to "迅：呐喊"): a title line, not text."""
    first = next((i for i, line in enumerate(lines[:10]) if line.strip()), None)
    if first is None or not fields.title:
        return lines
    line = lines[first].strip()
    if len(line) <= len(fields.title) + 12 and line.endswith(fields.title):
        diagnostics.append(Diagnostic("header-field", "the first line names the book: read as its title", line))
        return lines[:first] + lines[first + 1:]
    return lines


def underlined_headings(lines: list[str]) -> tuple[list[str], set[str]]:
    """Lines with each underlined heading's rule taken out, and the headings' texts; unchanged
    unless the text underlines at least two short lines."""
    found = [i for i in range(len(lines) - 1) if _UNDERLINE.match(lines[i + 1]) and _heading_line(lines[i])
             and (i == 0 or not lines[i - 1].strip() or _UNDERLINE.match(lines[i - 1]))]
    if len(found) < 2:
        return lines, set()
    rules = {i + 1 for i in found}
    out = []
    for i, line in enumerate(lines):
        if i in rules:
            out.append("")  # the rule ends the heading's unit
        elif i + 1 in rules:
            out += ["", line]
        else:
            out.append(line)
    return out, {lines[i].strip() for i in found}


def _heading_line(line: str) -> bool:
    text = line.strip()
    return 0 < len(text) <= 40 and not _SENTENCE_END.search(text.rstrip("⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽()0123456789")) \
        and not _UNDERLINE.match(line)

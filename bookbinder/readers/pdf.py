"""Read a PDF with a text layer: PDF bytes -> page text with form feeds -> the text reader -> Story.

A PDF is read as `pdftotext` would give it (lines, a form feed between pages), so the existing
reading of PDF text does the rest: `pdftext.rejoin_pages` drops running heads and page numbers and
joins paragraphs across pages, `ao3text` reads AO3's PDF download as the same story as its HTML.
A PDF and its `pdftotext` output give the same story. Where the PDF says more than plain text
can, the word positions are used: a line that sits further below the one before it than the
page's usual line pitch, or that is indented past the page's left edge, opens a paragraph, and
a blank line is written before it (AO3's PDFs set paragraphs apart by space, with no indent);
a gap of four blank lines or more between lines of prose is a scene break, written "* * *".

The library is pypdfium2 (PDFium, Chromium's PDF engine, with wheels for Linux x86_64 and
aarch64), chosen by measurement on the corpus's real PDFs (tests/corpus/fetched): the same
words as pdftotext on all six (100% on AO3's four, 98.5% on a scanned page's OCR layer) and
the fastest by far, with every character's box read too: AO3's 31,900-word series PDF in
0.55 s, against 4.4 s for pdfminer.six and 12.8 s for pdfplumber (which is built on it).

A PDF is untrusted: it is parsed by PDFium in memory (no file, nothing fetched, no script run),
with at most `MAX_PAGES` pages and `MAX_CHARS` characters of text. A password, a broken file
or a PDF with no text layer (scanned pages) is one `InputError` naming the file.
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

from ..errors import InputError
from ..model import Diagnostic, Story
from .decode import clean_text
from .text import read_text

MAX_PAGES = 20_000  # a 4,000,000-word novel at 200 words a page
MAX_CHARS = 64 * 1024 * 1024  # characters of text, all pages together
_PARAGRAPH_GAP = 1.45  # a line this many line pitches below the one before opens a paragraph
# Four blank lines or more between two lines of prose: a scene break (AO3's PDF prints a run of
# <br> as space: 8 pitches for a scene break where a paragraph is 2), written as a marker line.
_SCENE_GAP, _SCENE_MARK = 4.5, "* * *"
_SOFT_HYPHENS = ("\u00ad", "\u2010")  # the hyphens a typesetter adds (a writer's own is "-")
_ENDS = re.compile(r"[.!?…\"”’')\]]$")  # a line that ends a sentence
_FILE_NAME = re.compile(r"\.(?:docx?|odt|rtf|tex|txt|html?|pdf|indd|pages)$|^(?:untitled|microsoft word\b)", re.I)


@dataclass(frozen=True)
class _Line:
    text: str
    left: float      # x of its first character
    baseline: float  # y of its first character's box bottom (PDF space: up is larger)
    last: float      # and of its last: PDFium joins a word hyphenated at a line's end into one line
    right: float     # x of its last character's right edge


def read_pdf(data: bytes, source: str) -> Story:
    """PDF bytes -> Story, through the text reader; InputError for a PDF that holds no text."""
    import pypdfium2 as pdfium

    doc = _open(data, source)
    try:
        pages, chars = [], 0
        for number in range(len(doc)):
            lines = _page_lines(doc, number)
            chars += sum(len(line.text) + 1 for line in lines)
            if chars > MAX_CHARS:
                raise InputError(f"is a PDF with more than {MAX_CHARS >> 20} M characters of text", source)
            pages.append(_paragraphs(lines))
        info = {k: v for k, v in doc.get_metadata_dict(skip_empty=True).items() if isinstance(v, str)}
    except pdfium.PdfiumError as exc:
        raise InputError(f"is a broken PDF ({exc})", source) from None
    finally:
        doc.close()
    if not any(line.strip() for page in pages for line in page):
        raise InputError("is a PDF with no text layer (scanned pages?); bookbinder reads a PDF's text, "
                         "not its pictures: run OCR on it first (e.g. ocrmypdf)", source)
    story = read_text(clean_text("\f".join("\n".join(page) for page in pages)), source)
    return _fill_title(story, info)


def _open(data: bytes, source: str):
    import pypdfium2 as pdfium

    if not data.lstrip()[:1024].count(b"%PDF"):
        raise InputError("is not a PDF (no %PDF header)", source)
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError("is a password-protected (encrypted) PDF; bookbinder cannot read it", source) from None
        raise InputError(f"is not a readable PDF ({exc})", source) from None
    if len(doc) > MAX_PAGES:
        doc.close()
        raise InputError(f"is a PDF of more than {MAX_PAGES} pages", source)
    return doc


def _page_lines(doc, number: int) -> list[_Line]:
    """One page's lines in PDFium's reading order, each with where its first character sits."""
    page = doc[number]
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range() if count else ""
        positions = len(text) == count  # one index per character (no astral pairs to shift them)
        lines, at = [], 0
        for raw in re.split(r"\r\n|\r|\n", text):
            lead, body = len(raw) - len(raw.lstrip()), raw.rstrip()
            left = baseline = last = right = 0.0
            if positions and body.strip():
                left, baseline, _, _ = textpage.get_charbox(at + lead, loose=True)
                _, last, right, _ = textpage.get_charbox(at + len(body) - 1, loose=True)
            # U+FFFE is PDFium's mark for a hyphen it removed where it joined a word's halves
            lines.append(_Line(body.replace("\x00", "").replace("\ufffe", ""), left, baseline, last, right))
            at += len(raw) + 2
        return lines
    finally:
        textpage.close()
        page.close()


def _paragraphs(lines: list[_Line]) -> list[str]:
    """The page's lines, with a blank line where the positions show a paragraph starts."""
    lines = [line for line in lines if line.text.strip()]
    steps = [a.last - b.baseline for a, b in zip(lines, lines[1:]) if a.last > b.baseline]
    if len(steps) < 3 or not any(line.baseline for line in lines):
        return [line.text for line in lines]
    pitch = statistics.median(steps)
    # the left edge most lines share (a running head or a folio may stand further out)
    margin = Counter(round(line.left) for line in lines).most_common(1)[0][0]
    middle = (margin + max(line.right for line in lines if abs(line.left - margin) < pitch / 4)) / 2
    out: list[str] = []
    for before, line in zip([None, *lines], lines):
        if out and out[-1].endswith(_SOFT_HYPHENS) and line.text.lstrip()[:1].islower():
            out[-1] = out[-1][:-1] + line.text.lstrip()  # a word the typesetter hyphenated at the line's end
            continue
        if before is not None and out and out[-1]:
            gap = before.last - line.baseline
            # a first-line indent is an em or three; a line further in is a column (AO3's tag values)
            indented = pitch / 2 < line.left - margin < 4 * pitch and before.left - margin < pitch / 4
            centred = _centred(before, margin, middle, pitch) or _centred(line, margin, middle, pitch)
            if gap > pitch * _SCENE_GAP and _prose_break(before, line, margin, pitch):
                out += ["", _SCENE_MARK, ""]  # a run of blank lines in prose: what pdftotext cannot show
            elif gap > pitch * _PARAGRAPH_GAP or indented or centred:
                out.append("")
        out.append(line.text)
    return out


def _centred(line: _Line, margin: float, middle: float, pitch: float) -> bool:
    """A line set in the middle of the text column (a heading, an ornament) stands alone."""
    return line.left - margin > 2 * pitch and abs((line.left + line.right) / 2 - middle) < pitch


def _prose_break(before: _Line, line: _Line, margin: float, pitch: float) -> bool:
    """A gap between a paragraph's end and a paragraph's start, both at the margin: a scene break
    (a figure, a caption or a heading leaves gaps too, but not between two such lines)."""
    return (max(before.left, line.left) - margin < pitch / 2 and _ENDS.search(before.text.rstrip()) is not None
            and not line.text.lstrip()[:1].islower())


def _fill_title(story: Story, info: dict[str, str]) -> Story:
    """The PDF's own Title and Author, where the text stated none (and they are not a file name)."""
    title, author = (info.get("Title") or "").strip(), (info.get("Author") or "").strip()
    changes, said = {}, []
    if story.meta.title is None and title and not _FILE_NAME.search(title):
        changes["title"], said = title, said + [f"Title: {title}"]
    if not story.meta.authors and author and changes:  # an author alone is often the PDF tool's user
        changes["authors"], said = (author,), said + [f"Author: {author}"]
    if not changes:
        return story
    found = Diagnostic("header-field", "the PDF's document information read as metadata", "\n".join(said))
    return story.with_(meta=story.meta.with_(**changes), diagnostics=story.diagnostics + (found,))

"""What a reader sees in a PDF, for the tests: each page's text, its lines and words with their
boxes, and its pixels, from PDFium (pypdfium2, a bookbinder dependency; no poppler needed).

- `text(pdf)`: the pages' text, lines ended by "\\n" and each page by "\\f", as pdftotext writes
  it; a word hyphenated at a line's end is joined, as both PDFium and pdftotext join it.
- `pages(pdf)`: each page's size and lines, each line a list of words with their boxes, in
  points from the page's top left (pdftotext -bbox-layout's frame). A word's box is pdftotext's:
  from the first character's origin to the last one's origin plus its advance, between the
  font's ascent and descent; its `outer` box is PDFium's "loose" one, which also takes in ink
  that overhangs the advance (an italic, an "f") and letter-spacing, so it holds the other. A
  word hyphenated at a line's end ends its line with "-", as drawn.
- `render(pdf, page, dpi)`: the page as a Pillow RGB image (pdftoppm -r DPI).

`pdf` is a path or the PDF's bytes.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# PDFium's stand-in for a hyphen it took out where it joined a word's halves: U+FFFE in its text,
# U+0002 as the character's own code
_JOINED = "\ufffe"
_JOINED_CHAR = "\x02"


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float  # top
    x1: float
    y1: float  # bottom
    outer: tuple[float, float, float, float]  # (x0, y0, x1, y1) with ink past the advance, and spacing


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    lines: tuple[Line, ...]

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in line.words]


def _document(pdf: Path | str | bytes):
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))


def text(pdf: Path | str | bytes) -> str:
    doc = _document(pdf)
    try:
        out = []
        for number in range(len(doc)):
            textpage = doc[number].get_textpage()
            raw = textpage.get_text_range() if textpage.count_chars() else ""
            out.append(raw.replace("\r\n", "\n").replace(_JOINED, "") + "\n\f")
        return "".join(out)
    finally:
        doc.close()


def pages(pdf: Path | str | bytes) -> list[Page]:
    doc = _document(pdf)
    try:
        return [_page(doc[number]) for number in range(len(doc))]
    finally:
        doc.close()


def _page(page) -> Page:
    import pypdfium2.raw as raw

    width, height = page.get_size()
    textpage = page.get_textpage()
    lines: list[Line] = []
    words: list[Word] = []
    word: list[tuple[str, tuple[float, float, float, float], tuple[float, float, float, float]]] = []

    def end_word() -> None:
        if word:
            (x0, y0, x1, y1), outer = (_union(boxes, height) for boxes in zip(*(b for _, *b in word)))
            words.append(Word("".join(c for c, *_ in word), x0, y0, x1, y1, outer))
            word.clear()

    def end_line() -> None:
        end_word()
        if words:
            lines.append(Line(tuple(words)))
            words.clear()

    for i in range(textpage.count_chars()):
        char = chr(raw.FPDFText_GetUnicode(textpage.raw, i))
        if char in "\r\n":
            if char == "\n":
                end_line()
        elif char.isspace() or raw.FPDFText_IsGenerated(textpage.raw, i) == 1:
            end_word()
        else:
            word.append(("-" if char == _JOINED_CHAR else char, *_boxes(textpage, i)))
            if char == _JOINED_CHAR:
                end_line()
    end_line()
    return Page(width, height, tuple(lines))


def _union(boxes, height: float) -> tuple[float, float, float, float]:
    """(x0, top, x1, bottom) from the page's top left around PDF-space (left, bottom, right, top) boxes."""
    return (min(b[0] for b in boxes), height - max(b[3] for b in boxes), max(b[2] for b in boxes),
            height - min(b[1] for b in boxes))


def _boxes(textpage, i: int) -> tuple[tuple[float, float, float, float], tuple[float, float, float, float]]:
    """Character i's (left, bottom, right, top) boxes in PDF space: pdftotext's, from its origin
    across its advance (the font's width for it at its size, in the text's matrix; never past the
    loose box), the font's descent to its ascent; and PDFium's loose box, which also takes in ink
    past the advance and letter-spacing."""
    import ctypes

    import pypdfium2.raw as raw

    left, bottom, right, top = textpage.get_charbox(i, loose=True)
    code = raw.FPDFText_GetUnicode(textpage.raw, i)
    x, y = ctypes.c_double(), ctypes.c_double()
    matrix, width = raw.FS_MATRIX(), ctypes.c_float()
    text_object = raw.FPDFText_GetTextObject(textpage.raw, i)
    font = raw.FPDFTextObj_GetFont(text_object) if text_object else None
    if (font and code != ord(_JOINED_CHAR) and raw.FPDFText_GetCharOrigin(textpage.raw, i, x, y)
            and raw.FPDFText_GetMatrix(textpage.raw, i, matrix)
            and raw.FPDFFont_GetGlyphWidth(font, code, ctypes.c_float(raw.FPDFText_GetFontSize(textpage.raw, i)), width)):
        return (x.value, bottom, min(right, x.value + width.value * matrix.a), top), (left, bottom, right, top)
    return (left, bottom, right, top), (left, bottom, right, top)


def render(pdf: Path | str | bytes, page: int = 0, dpi: float = 72):
    doc = _document(pdf)
    try:
        return doc[page].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        doc.close()

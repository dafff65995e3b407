"""The words a reader sees in a DOCX, ODT, RTF, FB2, PDF or MOBI, found without bookbinder's code.

The golden tests' "nothing lost" check and the fuzzer's oracle (tests/fuzzing.py) compare what
bookbinder kept against these: the text nodes of a DOCX's or ODT's XML parts, an FB2's XML text,
an RTF with its control words and non-text groups stripped by a crude scan, a PDF's text as
pdftotext writes it (tests/pdf_view.py: PDFium's text, words hyphenated at a line's end joined;
the reader's own work, lines into paragraphs and pages, is not used), and the text records of an
uncompressed MOBI 7 (the made cases' kind). Where no oracle can read the bytes (a mutated archive,
a compressed MOBI) it says nothing ("").
"""
from __future__ import annotations

import html
import io
import re
import struct
import zipfile

import pdf_view

SUFFIXES = {".docx", ".odt", ".rtf", ".fb2", ".pdf", ".mobi"}
_TAG = re.compile(r"<[^>]*>")
_RTF_SKIP = re.compile(r"\\(?:(?:fonttbl|colortbl|stylesheet|info|pict)\b|\*(?!\\footnote))")  # {\*...}: ignorable


def visible(data: bytes, suffix: str) -> str:
    try:
        return _READERS[suffix](data)
    except Exception:  # noqa: BLE001 - an input the oracle cannot read: it has no say
        return ""


def _xml_text(data: bytes, block: str) -> str:
    """Text nodes of an XML document, a space at every `block` element's edge (a paragraph)."""
    text = data.decode("utf-8", errors="replace")
    text = re.sub(rf"</?(?:{block})\b[^>]*>", " ", text)
    return html.unescape(_TAG.sub("", text))


def _docx(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = [n for n in z.namelist() if re.match(r"word/(document|footnotes|endnotes)\.xml$", n)]
        return " ".join(_xml_text(z.read(n), r"w:p|w:br|w:tab") for n in parts)


def _odt(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = z.read("content.xml").split(b"<office:body>", 1)[-1]
        return _xml_text(body, r"text:p|text:h|text:line-break|text:tab|text:s")


def _fb2(data: bytes) -> str:
    # what a reader sees: the book, and its title-info's names and annotation, not the file's bookkeeping
    data = re.sub(rb"<(binary|document-info|publish-info|lang|src-lang|date|id|version)\b.*?</\1>", b" ", data,
                  flags=re.S)
    return _xml_text(data, r"p|v|title|subtitle|empty-line|book-title|first-name|last-name|genre")


def _rtf(data: bytes) -> str:
    """Groups that are not text dropped by brace matching, then control words and braces."""
    text = data.decode("latin-1")
    out, depth, skipping = [], 0, None
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text) and text[i + 1] in "{}\\":
            if skipping is None:
                out.append(text[i:i + 2])
            i += 2
            continue
        if c == "{":
            depth += 1
            if skipping is None and _RTF_SKIP.match(text, i + 1):
                skipping = depth
        elif c == "}":
            if skipping == depth:
                skipping = None
            depth -= 1
        elif skipping is None:
            out.append(c)
        i += 1
    plain = "".join(out)
    # \uN and its one fallback character (RTF's default \uc1), then the code page's \'hh
    plain = re.sub(r"\\u(-?\d+) ?(?:\\'[0-9a-fA-F]{2}|[^\\{}])?", lambda m: chr(int(m.group(1)) % 65536), plain)
    plain = re.sub(r"\\'[0-9a-fA-F]{2}", lambda m: bytes([int(m.group(0)[2:], 16)]).decode("cp1252", "replace"), plain)
    return re.sub(r"\\[a-zA-Z]+-?\d* ?|\\.", " ", plain)


def _pdf(data: bytes) -> str:
    return re.sub(r"(\w)[-\u2010]\n(\w)", r"\1\2", pdf_view.text(data))


def _mobi(data: bytes) -> str:
    count = struct.unpack_from(">H", data, 76)[0]
    offsets = [struct.unpack_from(">L", data, 78 + 8 * i)[0] for i in range(count)] + [len(data)]
    record0 = data[offsets[0]:offsets[1]]
    compression, _, records = struct.unpack_from(">HxxLH", record0, 0)
    if compression != 1:
        return ""
    markup = b"".join(data[offsets[i]:offsets[i + 1]] for i in range(1, records + 1))
    return html.unescape(_TAG.sub(" ", markup.decode("utf-8", errors="replace")))


_READERS = {".docx": _docx, ".odt": _odt, ".rtf": _rtf, ".fb2": _fb2, ".pdf": _pdf, ".mobi": _mobi}

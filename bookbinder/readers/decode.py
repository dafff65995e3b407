"""Turn a file's bytes into clean Unicode text: encoding, line ends, characters XML forbids.

bytes -> (text, diagnostics). UTF-8 (with or without BOM) and UTF-16 with a BOM are taken as
they are; anything else is detected with charset-normalizer, and that guess is reported.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from ..errors import InputError
from ..model import Diagnostic

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# XML 1.0 forbids C0 controls but tab/LF/CR, and C1 controls are never text in a story.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
# Spaces that are typography in the source but ordinary word spaces in a story.
_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_CP1252_C1 = re.compile("[\x80-\x9f]")


def decode(data: bytes, path: object) -> tuple[str, tuple[Diagnostic, ...]]:
    """The text of `data`; raises InputError for empty or binary input."""
    if not data.strip():
        raise InputError("the file is empty", path)
    text, diags = _to_str(data, path)
    return clean_text(text), diags


def _to_str(data: bytes, path: object) -> tuple[str, tuple[Diagnostic, ...]]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), ()
    if b"\x00" in data[:4096]:
        raise InputError("this is a binary file, not a story (it holds NUL bytes)", path)
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        pass
    encoding = _guess(data[:200_000])
    if encoding is None:
        raise InputError("this is a binary file or an unknown text encoding", path)
    # charset-normalizer reports latin-1 for text whose 0x80-0x9f bytes only cp1252 makes sense of.
    if encoding in {"latin_1", "iso8859_1"} and _CP1252_C1.search(data.decode("latin-1")):
        encoding = "cp1252"
    text = data.decode(encoding, errors="replace")
    if _looks_binary(text):
        raise InputError("this is a binary file, not a story", path)
    return text, (Diagnostic("encoding-guessed", f"not UTF-8; read as {codecs.lookup(encoding).name}"),)


# Short texts fit several code pages equally well. Among near-ties, prefer what story files are
# most often saved in: Windows-1252 for Western text, then the common CJK legacy encodings.
_PREFERRED = ("cp1252", "cp932", "shift_jis", "euc_jp", "gb18030", "gbk", "gb2312", "big5", "cp949", "euc_kr",
              "cp1251", "koi8_r", "cp1250", "iso8859_2", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257")
_TIE = 0.12


def _guess(data: bytes) -> str | None:
    matches = list(from_bytes(data))
    if not matches:
        return None
    best = min(m.chaos for m in matches)
    near = [m.encoding for m in matches if m.chaos <= best + _TIE]
    ranked = sorted(near, key=lambda e: _PREFERRED.index(e) if e in _PREFERRED else len(_PREFERRED))
    return ranked[0]


def _looks_binary(text: str) -> bool:
    sample = text[:20_000]
    bad = sum(1 for c in sample if unicodedata.category(c) in {"Cc", "Co", "Cn"} and c not in "\t\r\n\f")
    return bad > max(8, len(sample) // 100)


def clean_text(text: str) -> str:
    """Line ends to LF, forbidden controls out, odd spaces to plain spaces, NFC."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A form feed (a page break from a PDF's text or a printer file) stays: pdftext.rejoin_pages reads it.
    text = _FORBIDDEN.sub("", text)
    text = text.replace("\u00ad", "")  # soft hyphens hide word boundaries from search and counting
    text = text.lstrip("\ufeff")
    text = _SPACES.sub(" ", text)
    return unicodedata.normalize("NFC", text)

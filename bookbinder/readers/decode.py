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
    utf16 = _utf16_without_bom(data)
    if utf16:
        said = Diagnostic("encoding-guessed", f"no byte-order mark; read as {utf16} (every other byte is NUL)")
        return data.decode(utf16, errors="replace"), (said,)
    if b"\x00" in data[:4096]:
        raise InputError("this is a binary file, not a story (it holds NUL bytes)", path)
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        pass
    mixed = _mixed_utf8(data)
    if mixed:
        return mixed
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


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when the NULs fall on every other byte, as UTF-16 text in a
    Latin script has them (Windows Notepad's "Unicode" without its BOM)."""
    sample = data[:4096]
    if len(sample) < 16 or b"\x00" not in sample or len(data) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    for nuls, others, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        # Latin text has a NUL in nearly every other byte; CJK text only at its spaces and line ends.
        if nuls.count(0) >= 3 and others.count(0) <= 0.01 * nuls.count(0):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            head = text[:2048]
            # Text has spaces or line ends (CJK text at least line ends); a binary file read as UTF-16 has few.
            if sum(c.isspace() for c in head) >= max(1, len(head) // 100) and not _looks_binary(text):
                return codec
    return None


def _mixed_utf8(data: bytes) -> tuple[str, tuple[Diagnostic, ...]] | None:
    """A file that is UTF-8 but for some lines (a paragraph pasted from a cp1252 file, one stray
    0x92 apostrophe): each line read in the encoding it is in, and reported. None when too few
    lines are UTF-8 for that reading to be likely (a legacy file, read whole by `_guess`)."""
    lines = data.split(b"\n")
    utf8, other = [], []
    for i, line in enumerate(lines):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8.append(i)
        except UnicodeDecodeError:
            other.append(i)
    if not utf8 or len(utf8) < 0.1 * (len(utf8) + len(other)):
        return None
    legacy = _guess(b"\n".join(lines[i] for i in other)[:200_000]) or "cp1252"
    if legacy in {"utf_8", "utf-8", "ascii"}:
        legacy = "cp1252"
    bad = set(other)
    text = "\n".join(line.decode(legacy, errors="replace") if i in bad else line.decode("utf-8")
                     for i, line in enumerate(lines))
    said = Diagnostic("encoding-mixed", f"UTF-8, but {len(other)} of its lines are not: those were read as "
                                        f"{codecs.lookup(legacy).name}")
    return text, (said,)


# Short texts fit several code pages equally well. Among near-ties, prefer what story files are
# most often saved in: Windows-1252 for Western text, then the common CJK legacy encodings.
_PREFERRED = ("cp1252", "cp932", "shift_jis", "euc_jp", "gb18030", "gbk", "gb2312", "big5", "cp949", "euc_kr",
              "cp1251", "koi8_r", "cp1250", "iso8859_2", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257")
_TIE = 0.12
_DOUBLE_BYTE = {"cp932", "shift_jis", "shift_jis_2004", "shift_jisx0213", "euc_jp", "euc_jis_2004", "euc_jisx0213",
                "gb18030", "gbk", "gb2312", "hz", "big5", "big5hkscs", "cp949", "euc_kr", "johab", "cp950",
                "iso2022_jp", "iso2022_kr"}
_HIGH_RUN = re.compile(rb"[\x80-\xff]{2,}")
_HIGH = re.compile(rb"[\x80-\xff]")


def _isolated_high_bytes(data: bytes) -> bool:
    high = len(_HIGH.findall(data))
    return high > 0 and sum(len(m) for m in _HIGH_RUN.findall(data)) <= 0.2 * high


def _guess(data: bytes) -> str | None:
    matches = list(from_bytes(data))
    if _isolated_high_bytes(data):
        # Each non-ASCII byte stands alone between ASCII ones ("Caf\xe9", "It\x92s"): a double-byte
        # code page (Shift_JIS, GBK...) cannot have written that, whatever scores best.
        matches = [m for m in matches if m.encoding not in _DOUBLE_BYTE]
        if not matches:
            return "cp1252"  # what story files in a single-byte code page are most often saved in
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

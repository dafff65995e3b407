"""Read a Kindle book: MOBI (Mobipocket 7) or AZW3 (KF8) bytes -> the HTML or EPUB inside -> Story.

The unpacking is KindleUnpack's, as the PyPI `mobi` package ships it (the tool calibre's users
and the MobileRead forum have kept for fifteen years). A KF8 book (AZW3, or the KF8 half of a
calibre or AO3 MOBI) unpacks to an EPUB, read by `read_epub`; a MOBI 7 book to one HTML file and
its OPF, read by `mobi7.read_mobi7` through the HTML reader; a Print Replica book to its PDF.

The file is untrusted, and KindleUnpack was written for files one trusts, so before it runs:
- the Palm database's record table is checked: records inside the file, in order, at most
  `MAX_RECORD` bytes each, text records at most `MAX_TEXT_RECORD` (the format's are 4 KB of text),
  the text at most `MAX_TEXT` bytes; a book whose header says it is encrypted (DRM) is one line;
- its decompressors are replaced by bounded, linear-time ones: KindleUnpack's PalmDoc decoder
  concatenates bytes (quadratic in a record's size) and its Huffman/CDIC decoder expands a
  dictionary entry into itself without bound (a few KB can claim gigabytes).
It writes what it unpacks into a temporary folder of our own, always removed, and its prints are
caught (the library never prints: what it said becomes a diagnostic). Any failure is one
`InputError` naming the file.
"""
from __future__ import annotations

import contextlib
import io
import struct
import tempfile
from pathlib import Path

from ..errors import InputError
from ..model import Diagnostic, Story
from .epub import read_epub

MAX_RECORD = 16 * 1024 * 1024    # an image or font record (KF8's HD images are a few MB)
MAX_TEXT_RECORD = 64 * 1024      # a text record: 4 KB of text, compressed, with its trailing entries
MAX_TEXT = 64 * 1024 * 1024      # the book's text, all records together (as an EPUB entry's limit, x4)
_KINDS = {b"BOOKMOBI": "MOBI", b"TEXtREAd": "PalmDOC"}


def read_mobi(data: bytes, source: str) -> Story:
    """MOBI/AZW3 bytes -> Story (the EPUB or HTML inside, read as such)."""
    _check(data, source)
    from mobi.mobi_uncompress import unpackException

    with tempfile.TemporaryDirectory(prefix="bookbinder-mobi-") as folder:
        book = Path(folder) / "book.mobi"
        book.write_bytes(data)
        said = io.StringIO()
        try:
            with contextlib.redirect_stdout(said):
                _unpack(book, folder)
        except unpackException as exc:
            if "encrypted" in str(exc).lower():
                raise _drm(source) from None
            raise InputError(f"is a broken Kindle book ({exc})", source) from None
        except InputError:
            raise
        except (Exception, RecursionError) as exc:  # noqa: BLE001 - KindleUnpack fails in any way on a broken file
            raise InputError(f"is a broken Kindle book ({type(exc).__name__}: {str(exc)[:100]})", source) from None
        notes = [Diagnostic("mobi-unpacked", "what KindleUnpack said while unpacking", said.getvalue().strip())] \
            if said.getvalue().strip() else []
        return _read_unpacked(Path(folder), source, notes)


def _unpack(book: Path, folder: str) -> None:
    from mobi.kindleunpack import unpackBook

    from . import mobibounds

    mobibounds.install()
    unpackBook(str(book), folder, epubver="A")


def _read_unpacked(folder: Path, source: str, notes: list[Diagnostic]) -> Story:
    """The book KindleUnpack wrote: KF8's EPUB first (the better half of a combined file), then
    MOBI 7's HTML, then a Print Replica's PDF."""
    from .mobi7 import read_mobi7
    from .pdf import read_pdf

    epubs = sorted((folder / "mobi8").glob("*.epub"))
    html, pdfs = folder / "mobi7" / "book.html", sorted(folder.glob("*.pdf"))
    if epubs:
        story = _without_contents(read_epub(_bounded(epubs[0], source), source))
    elif html.is_file():
        opf = folder / "mobi7" / "content.opf"
        story = read_mobi7(_bounded(html, source), _bounded(opf, source) if opf.is_file() else None, source)
    elif pdfs:
        story = read_pdf(_bounded(pdfs[0], source), source)
    else:
        raise InputError("is a Kindle book with no text that bookbinder reads (a dictionary or an index?)", source)
    return story.with_(diagnostics=tuple(notes) + story.diagnostics) if notes else story


def _without_contents(story: Story) -> Story:
    """calibre ends a KF8 book with its own table of contents, a page of chapter names: not a chapter."""
    last = story.chapters[-1] if len(story.chapters) > 1 else None
    if last is None or (last.heading or "").casefold() not in {"table of contents", "contents"} \
            or any(len(b.text) > 120 for b in last.blocks):
        return story
    said = Diagnostic("cruft-dropped", "the Kindle book's own table of contents dropped",
                      "\n".join([last.heading or ""] + [b.text for b in last.blocks]))
    return story.with_(chapters=story.chapters[:-1], diagnostics=story.diagnostics + (said,))


def _bounded(path: Path, source: str) -> bytes:
    if path.stat().st_size > 4 * MAX_TEXT:
        raise InputError(f"is not a safe Kindle book: it unpacks to more than {4 * MAX_TEXT >> 20} MB", source)
    return path.read_bytes()


# ------------------------------------------------------------------ the checks before unpacking
def _check(data: bytes, source: str) -> None:
    """The Palm database and its MOBI header(s) are sound and within the limits; InputError if not."""
    if len(data) < 78 or data[60:68] not in _KINDS:
        raise InputError("is not a MOBI or AZW3 Kindle book (no BOOKMOBI record database)", source)
    count = struct.unpack_from(">H", data, 76)[0]
    if count < 2 or 78 + 8 * count > len(data):
        raise InputError("is a broken Kindle book: its record table does not fit the file", source)
    offsets = [struct.unpack_from(">L", data, 78 + 8 * i)[0] for i in range(count)] + [len(data)]
    if any(b < a for a, b in zip(offsets, offsets[1:])) or offsets[0] < 78 + 8 * count:
        raise InputError("is a broken Kindle book: its records overlap or lie outside the file", source)
    sizes = [b - a for a, b in zip(offsets, offsets[1:])]
    big = next((i for i, size in enumerate(sizes) if size > MAX_RECORD), None)
    if big is not None:
        raise InputError(f"is not a safe Kindle book: record {big} is {sizes[big] >> 20} MB "
                         f"(at most {MAX_RECORD >> 20} MB)", source)
    for start in _headers(data, offsets, sizes):
        _check_header(data[offsets[start]:offsets[start + 1]], sizes[start + 1:], source)


def _headers(data: bytes, offsets: list[int], sizes: list[int]) -> list[int]:
    """Record 0, and the record after a combined file's KF8 boundary (an 8-byte "BOUNDARY")."""
    found = [0]
    for i, size in enumerate(sizes[:-1]):
        if size == 8 and data[offsets[i]:offsets[i] + 8] == b"BOUNDARY":
            found.append(i + 1)
            break
    return found


def _check_header(header: bytes, following: list[int], source: str) -> None:
    """One PalmDOC/MOBI header: its encryption, compression, text length and text record sizes."""
    if len(header) < 16:
        raise InputError("is a broken Kindle book: its header record is too short", source)
    compression, text_length, records, _, encryption = struct.unpack_from(">HxxLHHH", header, 0)
    if encryption:
        raise _drm(source)
    if compression not in {1, 2, 0x4448}:
        raise InputError(f"is a broken Kindle book: unknown compression {compression:#x}", source)
    if text_length > MAX_TEXT:
        raise InputError(f"is not a safe Kindle book: {text_length >> 20} MB of text "
                         f"(at most {MAX_TEXT >> 20} MB)", source)
    if records > len(following):
        raise InputError("is a broken Kindle book: it names more text records than it holds", source)
    big = next((size for size in following[:records] if size > MAX_TEXT_RECORD), None)
    if big is not None:
        raise InputError(f"is not a safe Kindle book: a text record of {big >> 10} KB "
                         f"(the format's are about 4 KB)", source)


def _drm(source: str) -> InputError:
    return InputError("is a DRM-protected (encrypted) Kindle book; bookbinder reads only books without DRM", source)

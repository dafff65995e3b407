"""The read stage: a file -> Story. One reader per input format, in the table FORMATS."""
from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import InputError
from ..inputs import read_input, unreadable  # noqa: F401 - unreadable: part of this package's face
from ..model import Story
from .decode import decode
from .docx import read_docx
from .epub import read_epub_stories
from .fb2 import read_fb2
from .mobi import read_mobi
from .odt import read_odt
from .page import read_html, read_markdown
from .pdf import read_pdf
from .rtf import read_rtf
from .text import read_text

Reader = Callable[[bytes, str], "Story | tuple[Story, ...]"]  # a book of several stories gives them all


def _text_reader(data: bytes, source: str) -> Story:
    text, diagnostics = decode(data, source)
    story = read_text(text, source)
    return story.with_(diagnostics=diagnostics + story.diagnostics)


@dataclass(frozen=True)
class Format:
    """One input format: its name, the file suffixes that mean it, and its reader. A folder scan
    takes the files whose suffix is here; `format_of` falls back on content for the rest."""

    name: str
    suffixes: tuple[str, ...]
    read: Reader


# The one table of what bookbinder reads. A new input format is one line here (and its reader);
# HTML site layouts (AO3, FanFicFare) are `page.LAYOUTS`.
FORMATS: tuple[Format, ...] = (
    Format("text", (".txt", ".text"), _text_reader),
    Format("markdown", (".md", ".markdown"), read_markdown),
    Format("html", (".html", ".htm", ".xhtml"), read_html),
    Format("epub", (".epub",), read_epub_stories),
    Format("pdf", (".pdf",), read_pdf),
    Format("mobi", (".mobi", ".azw3", ".azw", ".prc"), read_mobi),
    Format("docx", (".docx",), read_docx),
    Format("odt", (".odt",), read_odt),
    Format("rtf", (".rtf",), read_rtf),
    Format("fb2", (".fb2", ".fb2.zip"), read_fb2),
)
READERS: dict[str, Reader] = {f.name: f.read for f in FORMATS}
_SUFFIXES = {suffix: f.name for f in FORMATS for suffix in f.suffixes}
STORY_SUFFIXES = frozenset(_SUFFIXES)  # what a folder scan reads (a file with no suffix, given by name, is sniffed)


_SPELLED_OUT = {"html", "mobi", "fb2"}  # formats whose other suffixes are other names, not spellings


def _described() -> str:
    names = [f"{f.suffixes[0]}" + (f" ({', '.join(f.suffixes[1:])})" if f.name in _SPELLED_OUT else "") for f in FORMATS]
    return ", ".join(names[:-1]) + " and " + names[-1]


READ = _described()  # ".txt, .md, .html (.htm, .xhtml) and .epub", for messages


# Files people keep stories in that bookbinder does not read, and what to do instead.
_NOT_READ = {".doc": "save it as .docx, .html or .txt", ".pages": "export it as .docx or .epub",
             ".lit": "convert it to EPUB", ".djvu": "convert it to PDF with a text layer"}
_MAGIC = ((b"\xd0\xcf\x11\xe0", ".doc"), (b"\x89PNG", "image"),
          (b"\xff\xd8\xff", "image"), (b"GIF8", "image"))


def story_suffix(path: Path) -> str:
    """The suffix that names the file's format: ".fb2.zip" for a zipped FB2, else the last one."""
    double = "".join(path.suffixes[-2:]).lower()
    return double if double in _SUFFIXES else path.suffix.lower()


def format_of(path: Path, data: bytes) -> str:
    """The input format, from the file name and, where that says nothing, its first bytes.

    InputError, listing what is read, for a file of a kind bookbinder does not read."""
    suffix = story_suffix(path)
    fmt = _SUFFIXES.get(suffix)
    if fmt:
        return fmt
    sniffed = _sniffed(data)
    kind = suffix if suffix in _NOT_READ else next((k for magic, k in _MAGIC if data.startswith(magic)), None)
    if data.startswith(b"PK\x03\x04") and sniffed is None:
        kind = kind or "a zip archive"
    if kind or (suffix in {".jpg", ".jpeg", ".png", ".gif", ".webp", ".zip"} and sniffed is None):
        kind = kind or suffix
        advice = _NOT_READ.get(kind, "")
        raise InputError(f"is {_article(kind)} file, which bookbinder does not read; it reads {READ}"
                         + (f" ({advice})" if advice else ""), path)
    return sniffed or "text"


def _sniffed(data: bytes) -> str | None:
    """The format the content shows (a zip by the names of its entries), or None: text, or unknown."""
    if data.startswith(b"PK\x03\x04"):
        return _zipped(data)
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if data[60:68] in (b"BOOKMOBI", b"TEXtREAd"):
        return "mobi"
    if b"<FictionBook" in data[:1024]:
        return "fb2"
    if data[:2048].lstrip().lower().startswith((b"<!doctype html", b"<html", b"<?xml")):
        return "html"
    return None


def _zipped(data: bytes) -> str | None:
    """epub, docx, odt or fb2 by what the archive holds (its directory only: nothing is inflated)."""
    if b"application/epub+zip" in data[:100]:
        return "epub"
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError, struct.error):
        return None
    if "META-INF/container.xml" in names:
        return "epub"
    if "word/document.xml" in names:
        return "docx"
    if "content.xml" in names and b"opendocument.text" in data[:200]:
        return "odt"
    return "fb2" if any(n.lower().endswith(".fb2") for n in names) else None


def read_path(path: Path) -> Story:
    """Read one story file; InputError names the file when it cannot be read (not a regular file,
    larger than `inputs.MAX_INPUT`, unreadable) or holds several stories."""
    return read_data(read_input(path), str(path))


def read_all(data: bytes, source: str, fmt: str | None = None) -> tuple[Story, ...]:
    """Every story in bytes (a file's, or standard input's as "-"): one for most files, each story
    of a book bookbinder made. `fmt` if given (a FORMATS name), else the format `format_of` finds
    from the name and the content."""
    fmt = fmt or format_of(Path(source), data)
    reader = READERS.get(fmt)
    if reader is None:
        raise InputError(f"is not a format bookbinder reads ({fmt}); it reads {READ}", source)
    read = reader(data, source)
    return read if isinstance(read, tuple) else (read,)


def read_data(data: bytes, source: str, fmt: str | None = None) -> Story:
    """The one story in bytes, as `read_all` reads it; InputError when the file holds several
    (a book bookbinder made): `read_all` gives them."""
    stories = read_all(data, source, fmt)
    if len(stories) != 1:
        raise InputError(f"holds {len(stories)} stories (a book bookbinder made), not one", source)
    return stories[0]


def _article(kind: str) -> str:
    if kind.startswith("."):
        return f"a {kind}"
    return kind if kind.startswith("a ") else f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"

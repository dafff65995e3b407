"""The read stage: a file -> Story. One reader per input format, in the table FORMATS."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import InputError
from ..inputs import read_input, unreadable  # noqa: F401 - unreadable: part of this package's face
from ..model import Story
from .decode import decode
from .docx import read_docx
from .epub import read_epub
from .mobi import read_mobi
from .odt import read_odt
from .page import read_html, read_markdown
from .pdf import read_pdf
from .text import read_text

Reader = Callable[[bytes, str], Story]


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
    Format("epub", (".epub",), read_epub),
    Format("pdf", (".pdf",), read_pdf),
    Format("mobi", (".mobi", ".azw3", ".azw", ".prc"), read_mobi),
    Format("docx", (".docx",), read_docx),
    Format("odt", (".odt",), read_odt),
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
_NOT_READ = {".doc": "save it as .docx, .html or .txt",
             ".rtf": "save it as .txt or .html",
             ".fb2": "convert it to EPUB"}
_MAGIC = ((b"\xd0\xcf\x11\xe0", ".doc"), (b"{\\rtf", ".rtf"), (b"\x89PNG", "image"),
          (b"\xff\xd8\xff", "image"), (b"GIF8", "image"))


def format_of(path: Path, data: bytes) -> str:
    """The input format, from the file name and, where that says nothing, its first bytes.

    InputError, listing what is read, for a file of a kind bookbinder does not read."""
    suffix = path.suffix.lower()
    fmt = _SUFFIXES.get(suffix)
    if fmt:
        return fmt
    kind = suffix if suffix in _NOT_READ else next((k for magic, k in _MAGIC if data.startswith(magic)), None)
    if data.startswith(b"PK\x03\x04") and b"application/epub+zip" not in data[:100]:
        kind = kind or "a zip archive"
    if kind or suffix in {".jpg", ".jpeg", ".png", ".gif", ".webp", ".zip"}:
        kind = kind or suffix
        advice = _NOT_READ.get(kind, "")
        raise InputError(f"is {_article(kind)} file, which bookbinder does not read; it reads {READ}"
                         + (f" ({advice})" if advice else ""), path)
    head = data[:2048].lstrip().lower()
    if data.startswith(b"PK\x03\x04"):
        return "epub"
    if data.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")):
        return "html"
    return "text"


def read_path(path: Path) -> Story:
    """Read one story file; InputError names the file when it cannot be read (not a regular file,
    larger than `inputs.MAX_INPUT`, unreadable)."""
    return read_data(read_input(path), str(path))


def read_data(data: bytes, source: str, fmt: str | None = None) -> Story:
    """Read a story from bytes (a file's, or standard input's as "-"): `fmt` if given (a FORMATS
    name), else the format `format_of` finds from the name and the content."""
    fmt = fmt or format_of(Path(source), data)
    reader = READERS.get(fmt)
    if reader is None:
        raise InputError(f"is not a format bookbinder reads ({fmt}); it reads {READ}", source)
    return reader(data, source)


def _article(kind: str) -> str:
    if kind.startswith("."):
        return f"a {kind}"
    return kind if kind.startswith("a ") else f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"

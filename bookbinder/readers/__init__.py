"""The read stage: a file -> Story. One reader per input format, in READERS keyed by format."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..errors import InputError
from ..model import Story
from .decode import decode
from .epub import read_epub
from .page import read_html, read_markdown
from .text import read_text

Reader = Callable[[bytes, str], Story]


def _text_reader(data: bytes, source: str) -> Story:
    text, diagnostics = decode(data, source)
    story = read_text(text, source)
    return story.with_(diagnostics=diagnostics + story.diagnostics)


READERS: dict[str, Reader] = {
    "text": _text_reader,
    "markdown": read_markdown,
    "html": read_html,
    "epub": read_epub,
}
_SUFFIXES = {".txt": "text", ".text": "text", "": "text", ".md": "markdown", ".markdown": "markdown",
             ".html": "html", ".htm": "html", ".xhtml": "html", ".epub": "epub"}


def format_of(path: Path, data: bytes) -> str:
    """The input format, from the file name and, where that says nothing, its first bytes."""
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt:
        return fmt
    head = data[:2048].lstrip().lower()
    if data.startswith(b"PK\x03\x04"):
        return "epub"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")):
        return "html"
    return "text"


def read_path(path: Path) -> Story:
    """Read one story file; InputError names the file when it cannot be read."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError("is a folder, not a story file", path) from None
    except FileNotFoundError:
        raise InputError("no such file", path) from None
    except PermissionError:
        raise InputError("permission denied", path) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", path) from None
    fmt = format_of(path, data)
    reader = READERS.get(fmt)
    if reader is None:
        raise InputError(f"{fmt} input is not supported yet", path)
    story = reader(data, str(path))
    return story

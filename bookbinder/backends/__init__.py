"""The write stage: Book -> a file, through a backend in BACKENDS keyed by format."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..book import Book
from ..errors import BookbinderError
from .epub import epub_bytes
from .output import write_atomic
from .print_options import PrintOptions


def _pdf(book: Book, options: PrintOptions) -> bytes:
    from .pdf import pdf_bytes  # WeasyPrint loads only when a PDF is asked for

    return pdf_bytes(book, options)


BACKENDS: dict[str, Callable[[Book, PrintOptions], bytes]] = {
    "epub": lambda book, options: epub_bytes(book),
    "pdf": _pdf,
}


def render_book(book: Book, fmt: str, options: PrintOptions = PrintOptions()) -> bytes:
    """`book` as the bytes of a `fmt` file."""
    if fmt not in BACKENDS:
        raise BookbinderError(f"unknown format {fmt!r}; choose one of {', '.join(BACKENDS)}")
    return BACKENDS[fmt](book, options)


def write_book(book: Book, fmt: str, out_dir: str | Path = "output", slug: str | None = None,
               options: PrintOptions = PrintOptions(), path: Path | None = None) -> Path:
    """Render `book` as `fmt` into `path`, or `out_dir/<slug>.<fmt>`, atomically; the path written."""
    data = render_book(book, fmt, options)
    path = Path(path) if path else Path(out_dir) / f"{slug or book.slug}.{fmt}"
    write_atomic(path, data)
    return path

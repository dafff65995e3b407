"""The write stage: Book -> a file, through a backend in BACKENDS keyed by format."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..book import Book
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


def write_book(book: Book, fmt: str, out_dir: str | Path = "output", slug: str | None = None,
               options: PrintOptions = PrintOptions()) -> Path:
    """Render `book` as `fmt` into `out_dir/<slug>.<fmt>`, atomically; the path written."""
    data = BACKENDS[fmt](book, options)
    path = Path(out_dir) / f"{slug or book.slug}.{fmt}"
    write_atomic(path, data)
    return path

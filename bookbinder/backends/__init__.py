"""The write stage: Book -> a file, through a backend in BACKENDS keyed by format."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..book import Book
from .epub import epub_bytes
from .output import write_atomic

BACKENDS: dict[str, Callable[[Book], bytes]] = {
    "epub": epub_bytes,
}


def write_book(book: Book, fmt: str, out_dir: str | Path = "output", slug: str | None = None) -> Path:
    """Render `book` as `fmt` into `out_dir/<slug>.<fmt>`, atomically; the path written."""
    data = BACKENDS[fmt](book)
    path = Path(out_dir) / f"{slug or book.slug}.{fmt}"
    write_atomic(path, data)
    return path

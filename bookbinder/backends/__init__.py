"""The write stage: BookPlan -> a file, through a backend in BACKENDS keyed by format.

A backend is a name (the format, which is also the file suffix), a function that renders a plan
to bytes, and the type of the options it takes, if any. A new backend is one `Backend` line here
and its module; it never sees another backend's options.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..book import Book
from ..compose import BookPlan, compose
from ..errors import BookbinderError
from .epub import write_epub
from .output import write_atomic
from .print_options import PrintOptions
from ..progress import Progress, report


@dataclass(frozen=True)
class Backend:
    name: str
    write: Callable[..., bytes]          # (plan, progress) -> bytes, or (plan, options, progress) -> bytes
    options: type | None = None          # the options type `write` takes

    def render(self, plan: BookPlan, options: Any = None, progress: Progress | None = None, executor=None) -> bytes:
        if self.options is None:
            return self.write(plan, progress)
        options = options if isinstance(options, self.options) else self.options()
        return self.write(plan, options, progress, executor) if executor else self.write(plan, options, progress)


def _pdf(plan: BookPlan, options: PrintOptions, progress: Progress | None = None, executor=None) -> bytes:
    from .pdf import write_pdf  # WeasyPrint loads only when a PDF is asked for

    return write_pdf(plan, options, progress, executor)


BACKENDS: dict[str, Backend] = {b.name: b for b in (
    Backend("epub", write_epub),
    Backend("pdf", _pdf, PrintOptions),
)}


def backend(fmt: str) -> Backend:
    try:
        return BACKENDS[fmt]
    except KeyError:
        raise BookbinderError(f"unknown format {fmt!r}; choose one of {', '.join(BACKENDS)}") from None


def render_book(book: Book, fmt: str, options: Any = None, progress: Progress | None = None, executor=None) -> bytes:
    """`book` as the bytes of a `fmt` file; `options` are used if they are of the type that backend
    takes; `executor` (`executors.Executor`) runs the backend's work units (a PDF's story parts)."""
    chosen = backend(fmt)
    return chosen.render(compose(book), options, progress, executor)


def write_book(book: Book, fmt: str, out_dir: str | Path = "output", slug: str | None = None,
               options: Any = None, path: Path | None = None, progress: Progress | None = None) -> Path:
    """Render `book` as `fmt` into `path`, or `out_dir/<slug>.<fmt>`, atomically; the path written."""
    data = render_book(book, fmt, options, progress)
    path = Path(path) if path else Path(out_dir) / f"{slug or book.slug}.{fmt}"
    report(progress, "writing", 0, 1, "files")
    write_atomic(path, data)
    report(progress, "writing", 1, 1, "files", f"{len(data):,} bytes")
    return path

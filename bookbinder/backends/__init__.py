"""The write stage: BookPlan -> files, through a backend in BACKENDS keyed by format.

The contract, in the spirit of pandoc's writers: a backend is its format's name, the suffix of
the file it makes, the type of its options, and `write(plan, options, ctx) -> Output`. `ctx`
carries the progress listener and the executor the backend may run work units on; the Output is
the files it made (the book first, then its companions: a PDF's imposed sheets, their guide and
its cover spread), what a user should know, and what could not be made. A backend writes nothing
to disk and never sees another backend's options. A new format is one module and one `Backend`
line below.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Callable

from ..book import Book
from ..compose import BookPlan, compose
from ..errors import BookbinderError, UsageError
from ..progress import Progress, report
from . import kindle  # the standard library only: ebook-convert is a program, run when a book is made
from .output import write_atomic
from .print_options import PrintOptions


@dataclass(frozen=True)
class Context:
    """What a backend may use while it writes: who listens to its progress, where units run."""

    progress: Progress | None = None
    executor: Any = None  # executors.Executor; None: the backend's work runs here


@dataclass(frozen=True)
class File:
    """One file a backend made: `suffix` names it beside the book ("pdf", "imposed.pdf")."""

    suffix: str
    data: bytes = field(repr=False)
    said: str = ""  # what a user should know of it ("3 signatures on 6 sheets of letter")


@dataclass(frozen=True)
class Failure:
    """A file a backend was asked for and could not make; the book itself stands."""

    suffix: str
    detail: str


@dataclass(frozen=True)
class Output:
    files: tuple[File, ...]
    failures: tuple[Failure, ...] = ()

    @property
    def book(self) -> bytes:
        return self.files[0].data


@dataclass(frozen=True)
class NoOptions:
    """The options of a backend that takes none."""


@dataclass(frozen=True)
class Backend:
    name: str                              # the format: --format NAME
    suffix: str                            # the book's file: NAME.SUFFIX
    write: Callable[[BookPlan, Any, Context], Output]
    options: type = NoOptions              # the options `write` takes (a frozen dataclass)
    help: str = ""
    missing: Callable[[], str | None] = lambda: None  # what this machine lacks for it, in one line; None: nothing

    def options_from(self, given: dict) -> Any:
        """This backend's options among a build's (keyed by format); its defaults if none were given."""
        chosen = given.get(self.name)
        return chosen if isinstance(chosen, self.options) else self.options()


def _epub(plan: BookPlan, options: NoOptions, ctx: Context) -> Output:
    from .epub import write_epub

    return Output((File("epub", write_epub(plan, ctx.progress, ctx.executor)),))


def _kepub(plan: BookPlan, options: NoOptions, ctx: Context) -> Output:
    from .epub import write_epub
    from .kepub import write_kepub

    return Output((File("kepub.epub", write_kepub(write_epub(plan, ctx.progress, ctx.executor), plan)),))


def _html(plan: BookPlan, options: NoOptions, ctx: Context) -> Output:
    from .html import write_html

    return Output((File("html", write_html(plan)),))


def _pdf(plan: BookPlan, options: PrintOptions, ctx: Context) -> Output:
    from .pdfbook import write_pdf_book  # WeasyPrint loads only when a PDF is asked for

    return write_pdf_book(plan, options, ctx)


BACKENDS: dict[str, Backend] = {b.name: b for b in (
    Backend("epub", "epub", _epub, help="EPUB 3 with an EPUB 2 NCX, for e-readers"),
    Backend("pdf", "pdf", _pdf, PrintOptions, help="a print PDF (WeasyPrint), with its imposition and cover"),
    Backend("kepub", "kepub.epub", _kepub, help="Kobo's EPUB (koboSpans, as kepubify makes it), for Kobo readers"),
    Backend("html", "html", _html, help="one self-contained HTML file (images and styles inside), for a browser"),
    Backend("azw3", "azw3", kindle.writer("azw3"), help="Kindle (KF8), made from the EPUB by calibre's ebook-convert",
            missing=partial(kindle.missing, "azw3")),
    Backend("mobi", "mobi", kindle.writer("mobi"), help="older Kindles' MOBI, made from the EPUB by calibre's "
            "ebook-convert", missing=partial(kindle.missing, "mobi")),
)}


def backend(fmt: str) -> Backend:
    try:
        return BACKENDS[fmt]
    except KeyError:
        raise BookbinderError(f"unknown format {fmt!r}; choose one of {', '.join(BACKENDS)}") from None


def backend_for_name(name: str) -> Backend | None:
    """The backend whose suffix ends `name` (the longest: "book.kepub.epub" is KEPUB's), or None."""
    lowered = name.casefold()
    found = [b for b in BACKENDS.values() if lowered.endswith("." + b.suffix)]
    return max(found, key=lambda b: len(b.suffix)) if found else None


def render_book(book: Book, fmt: str, options: dict | Any = None, ctx: Context = Context()) -> Output:
    """`book` in format `fmt`: its files. `options` is a dict keyed by format (or one backend's options)."""
    chosen = backend(fmt)
    given = options if isinstance(options, dict) else {fmt: options}
    return chosen.write(compose(book), chosen.options_from(given), ctx)


def write_book(book: Book, fmt: str, out_dir: str | Path = "output", slug: str | None = None,
               options: Any = None, path: Path | None = None, progress: Progress | None = None) -> Path:
    """Render `book` as `fmt` into `path`, or `out_dir/<slug>.<suffix>`, atomically (its companions
    beside it); the book's path. A companion that could not be made is a BookbinderError."""
    chosen = backend(fmt)
    output = render_book(book, fmt, options, Context(progress))
    path = Path(path) if path else Path(out_dir) / f"{slug or book.slug}.{chosen.suffix}"
    report(progress, "writing", 0, 1, "files")
    for made in output.files:
        write_atomic(companion(path, chosen.suffix, made.suffix), made.data)
    report(progress, "writing", 1, 1, "files", f"{len(output.book):,} bytes")
    if output.failures:
        raise BookbinderError(output.failures[0].detail, companion(path, chosen.suffix, output.failures[0].suffix))
    return path


def companion(book_path: Path, book_suffix: str, suffix: str) -> Path:
    """Where a file the backend made goes: the book's own path, or beside it ("book.imposed.pdf")."""
    if suffix == book_suffix:
        return book_path
    stem = book_path.name[:-len(book_suffix) - 1] if book_path.name.casefold().endswith("." + book_suffix) \
        else book_path.stem
    return book_path.with_name(f"{stem}.{suffix}")


def check_output_name(value: str) -> None:
    """A file name given to -o: it must end in a suffix a backend makes; UsageError (exit 2) if not."""
    if backend_for_name(Path(value).name) is None:
        suffixes = ", ".join(f".{b.suffix}" for b in BACKENDS.values())
        raise UsageError(f"-o {value}: bookbinder writes no {Path(value).suffix} files; give a folder, or a file "
                         f"name ending in {suffixes}")

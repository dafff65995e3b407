"""Bookbinder's exceptions: each prints as one line naming the file and the problem, no traceback."""
from __future__ import annotations

import json
import unicodedata
from contextlib import contextmanager
from typing import Iterator

import click


def _unsafe(c: str) -> bool:
    """A character a terminal acts on, or that reorders or hides what follows: C0 and C1 controls,
    DEL, bidirectional overrides and isolates, line and paragraph separators, other format marks."""
    return c < " " or "\x7f" <= c <= "\x9f" or unicodedata.category(c) in {"Cf", "Zl", "Zp"}


def quoted(path: object) -> str:
    """A file name as one line can show it: names with control characters, C1 controls or
    bidirectional marks are quoted and escaped (a name can never retitle or drive a terminal)."""
    text = str(path)
    return repr(text) if any(map(_unsafe, text)) else text


def terminal(text: object) -> str:
    """Story text (a title, a name) as a terminal may show it: what `quoted` escapes, escaped in
    place (\\x1b, \\u202e), the rest as it is."""
    text = str(text)
    if not any(map(_unsafe, text)):
        return text
    return "".join(repr(c)[1:-1] if _unsafe(c) else c for c in text)


def json_safe(text: str) -> str:
    """JSON text with every character `quoted` escapes written as a \\u escape: the same value for
    a program, nothing a terminal acts on for a person."""
    return "".join(json.dumps(c)[1:-1] if ord(c) > 0x7e and _unsafe(c) else c for c in text)


class BookbinderError(click.ClickException):
    """Base of every error bookbinder raises on purpose. Exit status 1."""

    exit_code = 1

    def __init__(self, message: str, path: object = None) -> None:
        self.detail = message
        self.path = str(path) if path is not None else None
        super().__init__(f"{quoted(self.path)}: {message}" if self.path else message)

    def __reduce__(self):  # errors cross process boundaries (workers return them): keep the path apart
        return type(self), (self.detail, self.path)

    def show(self, file=None) -> None:  # one line, no "Error:" decoration a script must strip
        click.echo(f"bookbinder: {terminal(self.format_message())}", err=True, file=file)


def portable(error: BookbinderError) -> BookbinderError:
    """The error without the chain of exceptions under it and its traceback, to cross to another
    process: an lxml error in the chain cannot be pickled once tblib (which dask.distributed
    installs) pickles chains, and the parent reports the error's own line only."""
    error.__cause__ = error.__context__ = None
    error.__traceback__ = None
    return error


class UsageError(BookbinderError):
    """The command asks for something that cannot be done as asked (exit status 2)."""

    exit_code = 2


class InputError(BookbinderError):
    """An input file is missing, unreadable, empty, binary or malformed."""


class BuildError(BookbinderError):
    """A book could not be assembled or written."""


class OutputError(BuildError):
    """An output file or folder cannot be written (a file where a folder should be, no permission)."""


class DiskFullError(OutputError):
    """The disk is full: the command stops, since no other book can be written either."""


class StoryError(BuildError):
    """One story of a book could not be rendered: the book is written without it, and this names it."""

    def __init__(self, message: str, path: object = None, index: int = -1) -> None:
        super().__init__(message, path)
        self.index = index  # the story's place in its book

    def __reduce__(self):
        return type(self), (self.detail, self.path, self.index)


@contextmanager
def story_failure(source: str, index: int) -> Iterator[None]:
    """Any unexpected failure while one story is rendered becomes that story's StoryError."""
    try:
        yield
    except BookbinderError:
        raise
    except Exception as exc:  # noqa: BLE001 - named, and the rest of the book is still written
        raise StoryError(f"left out of the book: rendering it failed ({type(exc).__name__}: {exc}; please report "
                         "this)", source, index) from exc

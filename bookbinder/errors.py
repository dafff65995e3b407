"""Bookbinder's exceptions: each prints as one line naming the file and the problem, no traceback."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import click


def quoted(path: object) -> str:
    """A file name as one line can show it: names with control characters are quoted and escaped."""
    text = str(path)
    return repr(text) if any(c < " " or c == "\x7f" for c in text) else text


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
        click.echo(f"bookbinder: {self.format_message()}", err=True, file=file)


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

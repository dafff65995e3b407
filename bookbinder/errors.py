"""Bookbinder's exceptions: each prints as one line naming the file and the problem, no traceback."""
from __future__ import annotations

import click


class BookbinderError(click.ClickException):
    """Base of every error bookbinder raises on purpose. Exit status 1."""

    exit_code = 1

    def __init__(self, message: str, path: object = None) -> None:
        self.path = str(path) if path is not None else None
        super().__init__(f"{self.path}: {message}" if self.path else message)

    def show(self, file=None) -> None:  # one line, no "Error:" decoration a script must strip
        click.echo(f"bookbinder: {self.format_message()}", err=True, file=file)


class InputError(BookbinderError):
    """An input file is missing, unreadable, empty, binary or malformed."""


class BuildError(BookbinderError):
    """A book could not be assembled or written."""

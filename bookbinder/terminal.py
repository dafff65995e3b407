"""Progress on a terminal or in a log: what `build` reports (`progress.Progress`) drawn for a person;
and Ctrl-C, heeded wherever it lands."""
from __future__ import annotations

import atexit
import os
import sys
import time
from typing import Callable, NoReturn

import click


_ONE = {"stories": "story", "parts": "part", "pages": "page", "books": "book", "files": "file"}


def counted(n: int, unit: str) -> str:
    """"1 part", "3 parts": a unit the library reports in the plural, counted."""
    return f"1 {_ONE.get(unit, unit)}" if n == 1 else f"{n} {unit}"


class Reporter:
    """Progress of a whole build on standard error, phase by phase (reading; for each book laying
    out, merging, writing). On a terminal, a bar for any phase that runs longer than half a second;
    in a log, a line every 10 s while a phase runs and a line when a phase that took 2 s or more
    ends, with pages per second where pages are counted. Quick phases say nothing."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet, self.tty = quiet, sys.stderr.isatty()
        self.phase: str | None = None
        self.bar = None
        self.start = self.said = 0.0
        self.state: tuple[int, int, str, str] = (0, 0, "", "")

    def __enter__(self):
        return None if self.quiet else self

    def __call__(self, phase: str, done: int, total: int, unit: str, detail: str) -> None:
        now = time.monotonic()
        if phase != self.phase:
            self._end(now)
            self.phase, self.start, self.said = phase, now, now
        self.state = (done, total, unit, detail)
        if self.tty:
            if self.bar is None and now - self.start >= 0.5 and done < total:
                self.bar = click.progressbar(length=total, label=phase, file=sys.stderr, show_pos=True,
                                             item_show_func=lambda _: self._rate(time.monotonic()))
                self.bar.__enter__()
            if self.bar is not None:
                self.bar.update(done - self.bar.pos)
        elif now - self.said >= 10 and done < total:
            click.echo(f"bookbinder: {phase}: {done}/{total} {unit}{self._rate(now, ', ')}", err=True)
            self.said = now
        if done >= total:
            self._end(now)

    def _rate(self, now: float, lead: str = "") -> str:
        done, total, unit, detail = self.state
        if not detail:
            return ""
        count = detail.split()[0].replace(",", "")
        if detail.endswith("pages") and count.isdigit() and now > self.start:
            return f"{lead}{detail} ({int(count) / (now - self.start):.0f} pages/s)"
        return f"{lead}{detail}"

    def _end(self, now: float) -> None:
        if self.phase is None:
            return
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
        elif not self.tty and now - self.start >= 2:
            done, total, unit, _ = self.state
            click.echo(f"bookbinder: {self.phase}: {counted(done, unit)} in {now - self.start:.1f} s{self._rate(now, ', ')}",
                       err=True)
        self.phase = None

    def __exit__(self, *exc) -> None:
        if not self.quiet:
            self._end(time.monotonic())


class Interrupt:
    """Ctrl-C, remembered. Python raises KeyboardInterrupt wherever the signal lands, and a few places
    swallow it: one landing in the import of a C extension (CPython's import machinery) or in os.fork's
    at-fork hooks is lost, and the build ran on to exit 0. So the handler also notes it, the note is
    looked at each time the build reports progress, and once more when the command returns."""
    seen = False

    @classmethod
    def handler(cls, _signum: int, _frame: object) -> None:
        cls.seen = True
        raise KeyboardInterrupt

    @classmethod
    def heeded(cls, progress: Callable[..., None] | None) -> Callable[..., None]:
        def report(*args) -> None:
            if cls.seen:
                raise KeyboardInterrupt
            if progress is not None:
                progress(*args)
        return report


def end_interrupted() -> NoReturn:
    """Exit status 130 (128 + SIGINT), every time. sys.exit(130) was not always kept: CPython may have
    marked the interrupt unhandled on its way (CI once saw the process end by SIGINT, status -2, after
    the one line). So the exit functions (temporary files, worker processes, logging) run here, the
    streams are flushed, and the process ends with 130 directly."""
    atexit._run_exitfuncs()  # noqa: SLF001 - what the interpreter's own exit runs
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(130)

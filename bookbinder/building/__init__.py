"""The build: what the user names -> books on disk, in the order `build` lists. Nothing here prints.

    collect   the inputs named -> Inputs            (build/collect.py)
    read      Inputs -> Reading: a card per story   (build/reading.py; each story a work unit)
    plan      the cards -> Plan: the books          (build/planning.py)
    write     the books -> Written: their files     (build/writing.py; each book a work unit)
    finish    all of it -> BuildResult

Each step returns a frozen value; the executor (where units run) and the shelf (where stories
wait between reading and writing) are opened first and closed last. `BuildOptions` says how.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterator

from ..backends.output import output_folder
from ..cache import StoryCache, private_folder
from ..backends import backend
from ..errors import BookbinderError, BuildError, InputError, UsageError
from ..executors import executor_for
from ..model import Card, Diagnostic, Story
from ..progress import Progress
from .collect import Inputs, collect
from .options import STDOUT, BuildOptions
from .planning import Plan, decisions, plan, plan_books
from .reading import Reading, load_stories, read_stories
from .writing import Written, write_books


@dataclass(frozen=True)
class BuildResult:
    """What a build did: the files written (those already up to date among them), the book's bytes
    when it went to standard output, the errors (one per input or book that failed, the rest still
    built), every story's diagnostics, stories the filters left out, files skipped, notices."""

    written: tuple[Path, ...] = ()
    errors: tuple[BookbinderError, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    skipped: int = 0
    data: bytes | None = None
    skipped_files: tuple[Path, ...] = ()
    notices: tuple[str, ...] = ()
    up_to_date: tuple[Path, ...] = ()
    decisions: tuple[tuple[str, Diagnostic], ...] = ()  # (source, diagnostic) made across the library


def build(inputs: list[str | Path], options: BuildOptions | None = None, progress: Progress | None = None,
          on_story: Callable[[Story | Card], None] | None = None, **kwargs) -> BuildResult:
    """One input file: a book of that story; several files or a folder: one anthology (or one per group)."""
    options = options or BuildOptions(**{k: (Path(v) if k in {"out_dir", "out_file"} else v) for k, v in kwargs.items()})
    with _engine(options) as executor:  # first: a scheduler out of reach leaves nothing behind
        check_before_work(options)
        options, lacking = available_formats(options)
        options, said = private_cache(options)
        found, options = collect(list(inputs), options)
        with _shelf(options.cache) as shelf:
            reading = read_stories(found, executor, shelf, _manifest_layers(found), options.stdin,
                                   options.follow_links, progress)
            for story in reading.stories if on_story else ():
                on_story(story)
            planned = plan(reading.stories, options, found.single)
            written = write_books(planned.books, options, executor, shelf, progress) if planned.books else Written()
    return finish(found, reading, planned, written, said, lacking)


def available_formats(options: BuildOptions) -> tuple[BuildOptions, tuple[BookbinderError, ...]]:
    """The options without the formats this machine cannot make (a Kindle book without calibre's
    ebook-convert), and one line for each saying what to install. If it can make none of those
    asked, that line is a UsageError (exit status 2) before any work, as a PDF without Pango is:
    nothing could be made. If it can make others, they are made and the line is the build's
    error (exit status 1), said once, not once per book."""
    lacking = {fmt: why for fmt in options.formats if (why := backend(fmt).missing())}
    if not lacking:
        return options, ()
    if len(lacking) == len(options.formats):
        raise UsageError(next(iter(lacking.values())))
    kept = tuple(f for f in options.formats if f not in lacking)
    return replace(options, formats=kept), tuple(BuildError(why) for why in lacking.values())


def check_before_work(options: BuildOptions) -> None:
    """What can be checked before a story is read: a bad -o, paper that cannot hold the pages."""
    if options.out_file != STDOUT:
        output_folder(options.out_file.parent if options.out_file else options.out_dir)
    pdf = options.options_for("pdf") if "pdf" in options.formats else None
    if pdf is not None and options.out_file == STDOUT and (pdf.impose or (pdf.pod and pdf.pod.cover_pdf)):
        what = ("--impose's sheets and guide are files" if pdf.impose else
                "--pod's cover spread is a file (--no-cover-pdf leaves it out)")
        raise UsageError(f"-o - writes the book alone, and {what} of their own: give -o FOLDER or -o book.pdf")
    if pdf is not None:
        _needs_pango()
    if pdf is not None and pdf.impose is not None:
        from ..backends.impose import check_imposition

        check_imposition(pdf.page_size, pdf.impose)


def _needs_pango() -> None:
    """A PDF is laid out by WeasyPrint, which needs the Pango library: without it, one line saying
    what to install (not a traceback, not "please report this")."""
    try:
        import weasyprint  # noqa: F401 - loads Pango through cffi
    except OSError as exc:
        raise UsageError(f"a PDF needs the Pango library, which this machine lacks ({str(exc).splitlines()[0][:80]}); "
                         "install it: apt-get install libpango-1.0-0 libpangoft2-1.0-0, or brew install pango") from None


def private_cache(options: BuildOptions) -> tuple[BuildOptions, tuple[str, ...]]:
    """The options with the user's cache where it is private (laid-out PDF parts are kept beside the
    stories), or without it and a notice saying why (another user's, or writable by others)."""
    if options.cache is None:
        return options, ()
    problem = private_folder(options.cache)
    if problem:
        return replace(options, cache=None), (f"{options.cache}: the cache is not used: {problem}; building without it",)
    pdf = replace(options.options_for("pdf"), parts_cache=str(options.cache))
    return options.with_format_options("pdf", pdf), ()


def finish(found: Inputs, reading: Reading, planned: Plan, written: Written, said: tuple[str, ...],
           lacking: tuple[BookbinderError, ...] = ()) -> BuildResult:
    errors = lacking + found.errors + reading.errors + planned.errors + written.errors
    if not reading.stories and not errors:
        errors = (InputError("no story files found", ", ".join(found.given) or "."),)
    return BuildResult(written.files, errors, tuple(d for b in planned.books for s in b.stories for d in s.diagnostics),
                       planned.skipped, written.data, found.skipped, said + found.notices + written.notices,
                       written.up_to_date, decisions(reading.stories, planned.books))


def _manifest_layers(found: Inputs):
    if found.manifest is None:
        return None
    return lambda path: [o] if (o := found.manifest.override_for(path)) else []


@contextlib.contextmanager
def _engine(options: BuildOptions) -> Iterator:
    executor = executor_for(options.scheduler, options.jobs, options.tls)
    with contextlib.closing(executor):
        yield executor


@contextlib.contextmanager
def _shelf(cache: Path | None) -> Iterator[StoryCache]:
    """Where the build keeps its stories' text while it plans: the cache, or a scratch folder."""
    if cache is not None:
        yield StoryCache(cache)
        return
    with StoryCache.scratch() as shelf:
        yield shelf


__all__ = ["BuildOptions", "BuildResult", "Inputs", "Plan", "Reading", "Written", "build", "collect",
           "load_stories", "plan_books"]

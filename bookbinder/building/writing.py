"""The build's write step: Plan -> Written (every book in every format, as files on disk).

Each book in each format is a work unit on the build's executor (`book_unit`): it brings its
stories back from the shelf (a local worker reads the shelf, a remote one is sent the entries),
hands the plan to the format's backend and returns what the backend made. This process writes
each file atomically beside the book (the companions a backend makes, such as a PDF's imposed
sheets, go beside it), keeps the record of what made it (a book whose inputs and format options
are unchanged is not made again), and names every failure. EPUBs are written many at once, one
per unit; a PDF is written here, its stories laid out as units of their own.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..backends import Backend, Context, File, Output, backend, companion
from ..backends.output import write_atomic
from ..book import Book
from ..cache import StoryCache, WrittenBooks, book_digest, unshelve
from ..errors import BookbinderError, BuildError, DiskFullError, StoryError, portable, quoted
from ..executors import Executor
from ..model import Card
from ..parallel import Crash
from ..progress import Progress, report, within
from .options import STDOUT, BuildOptions


@dataclass(frozen=True)
class BookJob:
    """One work unit of writing: a book (of cards, or of whole stories), its format and that
    format's options, and where its stories' text is: the shelf's folder, or the entries themselves."""

    book: Book
    fmt: str
    options: Any = None
    shelf: Path | None = None
    entries: dict[str, bytes] | None = None


@dataclass(frozen=True)
class Rendered:
    """What a backend made of a book (None if nothing), and the stories left out of it, each an error."""

    output: Output | None
    errors: tuple[BookbinderError, ...] = ()


@dataclass(frozen=True)
class Task:
    """One file to make: a book in a format, where it goes, and the digest of what makes it."""

    book: Book
    fmt: str
    target: Path          # the book's file, or STDOUT
    label: str            # what progress calls it
    digest: str | None = None


@dataclass(frozen=True)
class Written:
    """The write step's result: the files written, those already up to date, the book itself when
    it went to standard output, what a user should know, and what failed."""

    files: tuple[Path, ...] = ()
    up_to_date: tuple[Path, ...] = ()
    data: bytes | None = None
    notices: tuple[str, ...] = ()
    errors: tuple[BookbinderError, ...] = ()


def book_unit(job: BookJob, progress: Progress | None = None, executor: Executor | None = None) -> Rendered:
    """Render one book; a story that cannot be brought back or rendered is named and left out."""
    book, errors = _unshelved(job)
    chosen = backend(job.fmt)
    while book.stories:
        try:
            from ..compose import compose

            return Rendered(chosen.write(compose(book), job.options or chosen.options(), Context(progress, executor)),
                            tuple(portable(e) for e in errors))
        except StoryError as exc:
            errors.append(exc)
            book = book.without(exc.index)
        except DiskFullError:
            raise  # no other book fits either: the command stops, in one line
        except BookbinderError as exc:
            return Rendered(None, tuple(portable(e) for e in [*errors, exc]))
        except Exception as exc:  # noqa: BLE001 - one book failing must not stop the others
            return Rendered(None, tuple(portable(e) for e in errors) + (BuildError(
                f"could not be written: {type(exc).__name__}: {exc} (please report this)"),))
    return Rendered(None, tuple(portable(e) for e in errors))


def _unshelved(job: BookJob) -> tuple[Book, list[BookbinderError]]:
    shelf = StoryCache(job.shelf) if job.shelf else None
    stories, errors = [], []
    for story in job.book.stories:
        key = story.key if isinstance(story, Card) else None  # None: a whole story, kept in memory
        entry = job.entries.get(key) if job.entries is not None else shelf.entry(key) if shelf and key else None
        try:
            stories.append(unshelve(story, entry))
        except Exception:  # noqa: BLE001 - a damaged entry costs its story, said in one line
            errors.append(StoryError("left out of the book: its normalized copy in the cache was damaged during "
                                     "the build; build again", story.source, len(stories)))
    return replace(job.book, stories=tuple(stories)), errors


def write_books(books: tuple[Book, ...], options: BuildOptions, executor: Executor, shelf: StoryCache | None,
                progress: Progress | None = None) -> Written:
    """Every book in every format, on `executor`; with `-o -`, the one book's bytes in `data`."""
    tasks, notices = tasks_for(books, options)
    fresh = [t for t in tasks if not _up_to_date(t, options)]
    together = [t for t in fresh if t.fmt != "pdf" and t.target != STDOUT]  # many books: one unit each
    together = together if len(together) > 1 else []
    made, grouped = {id(t) for t in fresh}, {id(t) for t in together}  # by identity: a Task holds a whole book
    written: dict[int, Written] = {id(t): Written(files=(t.target,), up_to_date=(t.target,))
                                   for t in tasks if id(t) not in made}
    jobs = (_job(t, options, shelf, executor.local) for t in together)
    for done, (n, rendered) in enumerate(executor.run(book_unit, jobs), 1):
        if isinstance(rendered, Crash):
            rendered = Rendered(None, (BuildError(f"could not be written ({rendered.reason})", together[n].target),))
        written[id(together[n])] = _finish(together[n], rendered, options)
        report(progress, "writing books", done, len(together), "books")
    for task in (t for t in fresh if id(t) not in grouped):
        progress_of = within(progress, task.label)
        rendered = book_unit(_job(task, options, shelf, True), progress_of, executor)
        written[id(task)] = _finish(task, rendered, options, progress_of)
    ordered = [written[id(t)] for t in tasks]
    return Written(tuple(p for w in ordered for p in w.files), tuple(p for w in ordered for p in w.up_to_date),
                   next((w.data for w in ordered if w.data is not None), None),
                   tuple(notices) + tuple(n for w in ordered for n in w.notices),
                   tuple(e for w in ordered for e in w.errors))


def tasks_for(books: tuple[Book, ...], options: BuildOptions) -> tuple[list[Task], list[str]]:
    """A task for each book in each format, each book under its own name (and a notice when two
    books share a title, so one of them is renamed)."""
    tasks, notices, used = [], [], set()
    for book in books:
        slug = _unique_slug(book.slug, used)
        if slug != book.slug:
            hint = " (put {group} in --title to tell them apart)" if options.by and options.title else ""
            notices.append(f"two books are called {book.title!r}: this one is written as {slug}{hint}")
        for fmt in options.formats:
            chosen = backend(fmt)
            target = Path(options.out_file) if options.out_file else Path(options.out_dir) / f"{slug}.{chosen.suffix}"
            label = target.name if target != STDOUT else f"{slug}.{chosen.suffix}"
            tasks.append(Task(book, fmt, target, label, _digest(book, chosen, options)))
    return tasks, notices


def _digest(book: Book, chosen: Backend, options: BuildOptions) -> str | None:
    """What makes a book's file (with the user's cache): its stories, the book's settings, the format
    and that format's options only (a new --page-size remakes the PDFs, never the EPUBs)."""
    if options.cache is None:
        return None
    return book_digest(book, chosen.name, chosen.options_from(options.options))


def _job(task: Task, options: BuildOptions, shelf: StoryCache | None, local: bool) -> BookJob:
    """A local worker reads the book's entries from the shelf; a remote one is sent them."""
    fmt_options = options.options_for(task.fmt)
    if local or shelf is None:
        return BookJob(task.book, task.fmt, fmt_options, shelf.folder if shelf else None)
    entries = {s.key: shelf.entry(s.key) for s in task.book.stories if isinstance(s, Card)}
    return BookJob(task.book, task.fmt, fmt_options, entries=entries)


def _up_to_date(task: Task, options: BuildOptions) -> bool:
    """With a cache, a book whose inputs and options made the file that is there is kept as it is.
    A book with companions (an imposition and its guide, a cover spread) is made each time."""
    if task.digest is None or task.target == STDOUT or _has_companions(task, options):
        return False
    return WrittenBooks(options.cache).up_to_date(task.target, task.digest)


def _has_companions(task: Task, options: BuildOptions) -> bool:
    chosen = options.options_for(task.fmt)
    return getattr(chosen, "impose", None) is not None or getattr(chosen, "pod", None) is not None


def _finish(task: Task, rendered: Rendered, options: BuildOptions, progress: Progress | None = None) -> Written:
    """Write what a unit made: the book, then beside it its companions; name every failure."""
    errors = tuple(_named(e, task) for e in rendered.errors)
    if rendered.output is None:
        return Written(errors=errors)
    if task.target == STDOUT:
        return Written(data=rendered.output.book, errors=errors)
    suffix = backend(task.fmt).suffix
    files, notices = [], []
    report(progress, "writing", 0, 1, "files")
    for made in rendered.output.files:
        path = companion(task.target, suffix, made.suffix)
        write_atomic(path, made.data)
        files.append(path)
        notices += [f"{quoted(path)}: {made.said}"] if made.said and path != task.target else []
    report(progress, "writing", 1, 1, "files", f"{len(rendered.output.book):,} bytes")
    if task.digest is not None:
        WrittenBooks(options.cache).remember(task.target, task.digest, rendered.output.book)
    failed = tuple(BuildError(f.detail, companion(task.target, suffix, f.suffix)) for f in rendered.output.failures)
    return Written(tuple(files), notices=tuple(notices), errors=errors + failed)


def _named(error: BookbinderError, task: Task) -> BookbinderError:
    """A book's failure names the book's file when it names nothing else."""
    if type(error) is BuildError and error.path is None:
        return BuildError(error.detail, task.target)
    return error


def _unique_slug(slug: str, used: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in used:
        candidate, n = f"{slug}-{n}", n + 1
    used.add(candidate)
    return candidate


__all__ = ["BookJob", "File", "Rendered", "Task", "Written", "book_unit", "tasks_for", "write_books"]

"""Books -> files: every book in every format, each written as a work unit on the build's executor.

A book arrives as cards (`model.Shelved`: its stories' metadata); the unit that writes it brings
its stories' chapters back from the build's shelf (a local worker reads the shelf; a remote one is
sent the entries) and renders the book to bytes. This process writes each file atomically, keeps
the record of what made it (a book whose inputs and options are unchanged is not made again), and
writes a PDF's companions beside it. EPUBs are written many at once, one per unit; a PDF is
written here, its stories laid out as units of their own.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .backends import BACKENDS, render_book
from .backends.output import write_atomic
from .backends.print_options import PrintOptions
from .book import Book
from .cache import StoryCache, WrittenBooks, book_digest, unshelve
from .errors import BookbinderError, BuildError, DiskFullError, StoryError, UsageError, portable, quoted
from .executors import Executor, Pool
from .parallel import Crash
from .progress import Progress, report, within

if TYPE_CHECKING:
    from .api import BuildOptions, BuildResult

STDOUT = Path("-")


@dataclass(frozen=True)
class BookJob:
    """One work unit of writing: a book (of cards, or of whole stories), the format and print
    options, and where its stories' chapters are: the shelf's folder, or the entries themselves."""

    book: Book
    fmt: str
    print: PrintOptions = PrintOptions()
    shelf: Path | None = None
    entries: dict[str, bytes] | None = None


@dataclass(frozen=True)
class Rendered:
    """A book's bytes (None if it could not be made), and the stories left out of it, each an error."""

    data: bytes | None
    errors: tuple[BookbinderError, ...] = ()
    book: Book | None = None  # the book as made (without the stories left out)


@dataclass
class _Task:
    book: Book
    fmt: str
    target: Path          # the file, or STDOUT
    label: str            # what progress calls it
    digest: str | None = None
    written: list[Path] = field(default_factory=list)


def book_unit(job: BookJob, progress: Progress | None = None, executor: Executor | None = None) -> Rendered:
    """Render one book; a story that cannot be brought back or rendered is named and left out."""
    rendered = _render(job, progress, executor)
    return replace(rendered, errors=tuple(portable(e) for e in rendered.errors))


def _render(job: BookJob, progress: Progress | None, executor: Executor | None) -> Rendered:
    book, errors = _unshelved(job)
    while book.stories:
        try:
            return Rendered(render_book(book, job.fmt, job.print, progress, executor), tuple(errors), book)
        except StoryError as exc:
            errors.append(exc)
            book = book.without(exc.index)
        except DiskFullError:
            raise  # no other book fits either: the command stops, in one line
        except BookbinderError as exc:
            return Rendered(None, tuple(errors) + (exc,))
        except Exception as exc:  # noqa: BLE001 - one book failing must not stop the others
            return Rendered(None, tuple(errors) + (BuildError(f"could not be written: {type(exc).__name__}: {exc} "
                                                               "(please report this)"),))
    return Rendered(None, tuple(errors))


def _unshelved(job: BookJob) -> tuple[Book, list[BookbinderError]]:
    shelf = StoryCache(job.shelf) if job.shelf else None
    stories, errors = [], []
    for story in job.book.stories:
        key = story.shelved.key if story.shelved else None  # None: a whole story, kept in memory
        entry = job.entries.get(key) if job.entries is not None else shelf.entry(key) if shelf and key else None
        try:
            stories.append(unshelve(story, entry))
        except Exception:  # noqa: BLE001 - a damaged entry costs its story, said in one line
            errors.append(StoryError("left out of the book: its normalized copy in the cache was damaged during "
                                     "the build; build again", story.source, len(stories)))
    return replace(job.book, stories=tuple(stories)), errors


def write_books(books: list[Book], options: BuildOptions, result: BuildResult | None = None,
                progress: Progress | None = None, executor: Executor | None = None,
                shelf: StoryCache | None = None) -> tuple[list[Path], list[BookbinderError]]:
    """Write every book in every format; with `-o -`, the one book's bytes go to `result.data`."""
    executor = executor or Pool()
    tasks, errors = _tasks(books, options, result)
    fresh = [t for t in tasks if not _up_to_date(t, options, result)]
    together = [t for t in fresh if t.fmt != "pdf" and t.target != STDOUT]  # many books: one unit each
    together = together if len(together) > 1 else []
    alone = [t for t in fresh if t.fmt == "pdf" or t.target == STDOUT] if together else fresh
    jobs = (_job(t, options, shelf, executor.local) for t in together)
    for done, (n, rendered) in enumerate(executor.run(book_unit, jobs), 1):
        if isinstance(rendered, Crash):
            rendered = Rendered(None, (BuildError(f"could not be written ({rendered.reason})", together[n].target),))
        errors += _finish(together[n], rendered, options, result)
        report(progress, "writing books", done, len(together), "books")
    for task in alone:
        rendered = book_unit(_job(task, options, shelf, True), within(progress, task.label), executor)
        errors += _finish(task, rendered, options, result, within(progress, task.label))
    return [p for t in tasks for p in t.written], errors


def _tasks(books: list[Book], options: BuildOptions, result: BuildResult | None
           ) -> tuple[list[_Task], list[BookbinderError]]:
    tasks, errors, used = [], [], set()
    for book in books:
        slug = _unique_slug(book.slug, used)
        if slug != book.slug and result is not None:
            hint = " (put {group} in --title to tell them apart)" if options.by and options.title else ""
            result.notices.append(f"two books are called {book.title!r}: this one is written as {slug}{hint}")
        for fmt in options.formats:
            if fmt not in BACKENDS:
                errors.append(BookbinderError(f"unknown format {fmt!r}; choose one of {', '.join(BACKENDS)}"))
                continue
            target = Path(options.out_file) if options.out_file else Path(options.out_dir) / f"{slug}.{fmt}"
            label = target.name if target != STDOUT else f"{slug}.{fmt}"
            tasks.append(_Task(book, fmt, target, label))
    return tasks, errors


def _job(task: _Task, options: BuildOptions, shelf: StoryCache | None, local: bool) -> BookJob:
    """A local worker reads the book's entries from the shelf; a remote one is sent them."""
    if local or shelf is None:
        return BookJob(task.book, task.fmt, options.print, shelf.folder if shelf else None)
    entries = {s.shelved.key: shelf.entry(s.shelved.key) for s in task.book.stories if s.shelved}
    return BookJob(task.book, task.fmt, options.print, entries=entries)


def _up_to_date(task: _Task, options: BuildOptions, result: BuildResult | None) -> bool:
    """With a cache, a book whose inputs and options made the file that is there is kept as it is.
    A book with an imposition or a cover spread beside it is made each time."""
    companions = options.print.impose is not None or options.print.pod is not None
    if options.cache is None or companions or task.target == STDOUT:
        return False
    task.digest = book_digest(task.book, task.fmt, options.print)
    if not WrittenBooks(options.cache).up_to_date(task.target, task.digest):
        return False
    task.written.append(task.target)
    if result is not None:
        result.up_to_date.append(task.target)
    return True


def _finish(task: _Task, rendered: Rendered, options: BuildOptions, result: BuildResult | None,
            progress: Progress | None = None) -> list[BookbinderError]:
    """Write what a unit rendered, and beside a PDF its imposition and cover spread."""
    errors = [_named(e, task) for e in rendered.errors]
    if rendered.data is None:
        return errors
    if task.target == STDOUT:
        if result is not None:
            result.data = rendered.data
        return errors
    report(progress, "writing", 0, 1, "files")
    write_atomic(task.target, rendered.data)
    report(progress, "writing", 1, 1, "files", f"{len(rendered.data):,} bytes")
    task.written.append(task.target)
    if task.digest is not None:
        WrittenBooks(options.cache).remember(task.target, task.digest, rendered.data)
    try:
        task.written += _companions(task, rendered.book or task.book, options, result, progress)
    except DiskFullError:
        raise
    except BookbinderError as exc:
        errors.append(exc)
    return errors


def _named(error: BookbinderError, task: _Task) -> BookbinderError:
    """A book's failure names the book's file when it names nothing else."""
    if type(error) is BuildError and error.path is None:
        return BuildError(error.detail, task.target)
    return error


def _companions(task: _Task, book: Book, options: BuildOptions, result: BuildResult | None,
                progress: Progress | None) -> list[Path]:
    if task.fmt != "pdf":
        return []
    made = []
    if options.print.impose is not None:
        made.append(_write_imposed(task.target, book, options.print.impose, result, progress))
    if options.print.pod is not None and options.print.pod.cover_pdf:
        made.append(_write_cover_spread(task.target, book, options.print, result))
    return made


def plural(n: int, word: str) -> str:
    """"1 story", "2 stories", "3 files"."""
    if n == 1:
        return f"1 {word}"
    return f"{n} {word[:-1]}ies" if word.endswith("y") and word[-2] not in "aeiou" else f"{n} {word}s"


def _write_imposed(path: Path, book: Book, impose_options, result: BuildResult | None,
                   progress: Progress | None) -> Path:
    """<name>.imposed.pdf beside the reading PDF: its pages on sheets to print, fold and sew."""
    from .backends.impose import impose

    report(progress, "imposing", 0, 1, "books")
    imposed = impose(path.read_bytes(), impose_options, book.title)
    target = path.with_name(path.stem + ".imposed.pdf")
    write_atomic(target, imposed.pdf)
    report(progress, "imposing", 1, 1, "books", f"{imposed.sheets} sheets")
    if result is not None:
        result.notices.append(f"{quoted(target)}: {plural(len(imposed.signatures), 'signature')} on "
                              f"{plural(imposed.sheets, 'sheet')} of {impose_options.paper}, "
                              f"{plural(imposed.blanks, 'blank page')} added to fill the last")
    return target


def _write_cover_spread(path: Path, book: Book, print_options: PrintOptions, result: BuildResult | None) -> Path:
    """<name>.cover.pdf beside the interior: back, spine and front, sized by its final page count."""
    import pikepdf

    from .backends.cover import cover_image
    from .backends.pod import cover_spread, service
    from .compose import book_metadata

    with pikepdf.open(path) as interior:
        pages = len(interior.pages)
        box = interior.pages[0].mediabox
        trim = (float(box[2]) - float(box[0]), float(box[3]) - float(box[1]))
    meta = book_metadata(book)
    front = book.info.cover or cover_image(book)
    pod, target = print_options.pod, path.with_name(path.stem + ".cover.pdf")
    rules = service(pod)
    try:
        spread = cover_spread(book.title, ", ".join(meta.authors or meta.editors), meta.description, pages, trim,
                              front, pod.paper_color, pod.guides, rules, front_bleeds=book.info.cover is not None)
    except UsageError as exc:  # a service whose spine only its own template gives: the interior stands
        raise BuildError(f"no cover spread: {exc.detail}", target) from None
    write_atomic(target, spread.pdf)
    if result is not None and book.info.cover is not None:
        result.notices += _low_resolution(book.info.cover, trim, target)
    if result is not None:
        result.notices.append(f"{quoted(target)}: cover spread {spread.width / 72:.3f} x {spread.height / 72:.3f} in "
                              f"with bleed, spine {spread.spine / 72:.3f} in for {pages} pages "
                              f"({_paper(pod)}, {rules.title})")
    return target


PRINT_PPI = 300  # what KDP, Lulu and IngramSpark ask of a cover's images at their printed size


def _low_resolution(image: bytes, trim: tuple[float, float], target: Path) -> list[str]:
    """A line when the user's front image has fewer than PRINT_PPI pixels an inch over the front
    (trim in points, plus the 0.125 in bleed it fills)."""
    from .images import inspect_image

    picture = inspect_image(image, decode=False)
    inches = ((trim[0] / 72) + 0.125, (trim[1] / 72) + 0.25)
    ppi = min(picture.width / inches[0], picture.height / inches[1])
    if ppi >= PRINT_PPI:
        return []
    return [f"{quoted(target)}: the --cover image is {ppi:.0f} pixels an inch at its printed size "
            f"({picture.width} x {picture.height} over {inches[0]:.2f} x {inches[1]:.2f} in); print services ask "
            f"for {PRINT_PPI}, so it may print soft"]


def _paper(pod) -> str:
    return f"{pod.spine_per_page} in a page" if pod.spine_per_page is not None else f"{pod.paper_color} paper"


def _unique_slug(slug: str, used: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in used:
        candidate, n = f"{slug}-{n}", n + 1
    used.add(candidate)
    return candidate

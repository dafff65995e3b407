"""The library the CLI is built on: inputs -> stories -> books -> files. Nothing here prints.

    import bookbinder
    stories, errors = bookbinder.load_stories(["seeds/"])
    for book in bookbinder.books_by(bookbinder.unify(stories), "pairing", title="{group}: collected"):
        bookbinder.write_book(book, "epub", "output")
"""
from __future__ import annotations

import contextlib
import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from lxml import etree

from .assemble import Filters, anthology, books_by, order, unify
from .backends import BACKENDS
from .backends.output import output_folder, write_atomic
from .backends.print_options import PrintOptions
from .book import Book, BookInfo, story_title
from .errors import BookbinderError, InputError, UsageError, portable, quoted
from .model import Diagnostic, Story
from .cache import StoryCache, entry_bytes, private_folder, shelve, unshelve
from .executors import TLS, Executor, Pool, executor_for
from .parallel import MEMORY_MB, Crash
from .pipeline import Override, load_story
from .progress import Progress, report
from .readers.fields import parse_date, parse_language
from .images import inspect_image
from .inputs import Manifest, Stdin, collect_inputs, digest_input, read_input, read_list, read_manifest
from .render import render_story, serialize
from .writing import STDOUT, plural, write_books
from .sidecar import MAX_METADATA, read_sidecar, sidecar_path




@dataclass
class BuildResult:
    """What a build did: the files written, the errors (one per input or book that failed, the rest
    still built), every story's diagnostics, stories the filters left out, files skipped, notices."""

    written: list[Path] = field(default_factory=list)
    errors: list[BookbinderError] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    skipped: int = 0  # stories the filters left out
    data: bytes | None = None  # the book itself, when it goes to standard output (-o -)
    skipped_files: list[Path] = field(default_factory=list)  # files in the folders given that are not stories
    notices: list[str] = field(default_factory=list)  # what a user should know that is no failure
    up_to_date: list[Path] = field(default_factory=list)  # books already written from the same inputs (cache)


# ------------------------------------------------------------------ loading
@dataclass(frozen=True)
class ReadJob:
    """One work unit of reading: a story file, the metadata layers stated for it, and where its
    entry goes. `data` carries the input itself to a worker that cannot read the path (standard
    input; a cluster's machine), and then the sidecar is among `layers`."""

    path: Path
    layers: tuple[Override, ...] = ()
    key: str | None = None         # kept in the cache (or the build's shelf) under this key
    cards: bool = False            # hand back the story's card, its chapters left in the entry
    data: bytes | None = None
    fmt: str | None = None
    error: BookbinderError | None = None  # found while making the job (a sidecar that does not parse)
    follow_links: bool = False     # the user allows a sidecar that links out of the story's folder


@dataclass(frozen=True)
class Read:
    """What reading one story gives back: the story (or its card), and the entry to keep."""

    story: Story
    entry: bytes | None = None
    card: bytes | None = None


def read_unit(job: ReadJob) -> Read | BookbinderError:
    """One story or the error that says why not; a bug in one story never stops the others."""
    result = job.error or _read_one(job)
    if not isinstance(result, Story):
        return portable(result)
    if job.key is None:
        return Read(result)
    if job.cards:
        card, entry, card_data = shelve(job.key, result)
        return Read(card, entry, card_data)
    return Read(result, entry_bytes(job.key, result.with_(mtime=None)))


def _read_one(job: ReadJob) -> Story | BookbinderError:
    path = job.path
    try:
        story = load_story(path, job.layers, data=job.data, fmt=job.fmt, follow_links=job.follow_links)
        story.words  # counted here, in the worker, and sent back with the story
        return story
    except BookbinderError as exc:
        return exc
    except MemoryError:
        return InputError(f"not read: it needs more memory than one input may use ({MEMORY_MB} MB)", path)
    except etree.LxmlError as exc:  # libxml2 out of memory says so, or gives up with "unknown error" at line 0
        if re.search(r"memory allocation failed|^unknown error \(.*line 0\)$", str(exc), re.IGNORECASE):
            return InputError(f"not read: it needs more memory than one input may use ({MEMORY_MB} MB)", path)
        return InputError(f"could not be read: {type(exc).__name__}: {exc} (please report this)", path)
    except RecursionError:
        return InputError("not read: it is nested too deeply", path)
    except Exception as exc:  # noqa: BLE001 - reported in one line, the batch goes on
        return InputError(f"could not be read: {type(exc).__name__}: {exc} (please report this)", path)


def load_stories(inputs: Iterable[str | Path], progress: Progress | None = None, workers: int | None = None,
                 follow_links: bool = False, skipped: list[Path] | None = None, notices: list[str] | None = None,
                 overrides: Callable[[Path], Sequence[Override]] | None = None, stdin: Stdin | None = None,
                 cache: Path | None = None, executor: Executor | None = None, shelf: StoryCache | None = None,
                 exclude: Sequence[Path] = ()) -> tuple[list[Story], list[BookbinderError]]:
    """Every story the inputs name, in order, read in parallel on all cores; failures are errors.

    Each input is read in a worker process with its own memory limit (`parallel.MEMORY_MB`), so
    an input that would exhaust memory, or crash a library, fails alone, in one line. `overrides`
    gives the layers of metadata stated for a path beyond its sidecar (a manifest entry), lowest first.
    With `cache` (a folder), stories whose inputs are unchanged are read back from it (`cache.StoryCache`),
    and the others are kept there once read. With `shelf` (what `build` does), the stories come back as
    cards (`model.Shelved`): their metadata in memory, their chapters kept in the shelf until a book
    needs them, so a library of any size is planned in little memory. Folders in `exclude` (where
    books are written) are not searched."""
    errors: list[BookbinderError] = []
    paths = collect_inputs(inputs, on_error=errors.append, follow_links=follow_links, skipped=skipped,
                           notices=notices, exclude=exclude)
    executor = executor or Pool(workers)
    store = shelf or (StoryCache(cache) if cache is not None else None)
    results: dict[int, Story | BookbinderError] = {}
    jobs: list[tuple[int, ReadJob]] = []
    for i, path in enumerate(paths):
        job = _read_job(path, i, store, overrides, stdin, cards=shelf is not None, local=executor.local,
                        follow_links=follow_links)
        kept = _kept(store, job) if job.key and not job.error else None
        if kept is not None:
            results[i] = kept.with_(mtime=path.stat().st_mtime)
        else:
            jobs.append((i, job))
    found = len(results)
    detail = f"{found} from the cache" if cache is not None or (shelf and shelf.persistent) else ""
    for done, (n, result) in enumerate(executor.run(read_unit, (job for _, job in jobs), isolate=True), found + 1):
        i = jobs[n][0]
        results[i] = _stored(store, jobs[n][1], result, paths[i])
        report(progress, "reading", done, len(paths), "stories", detail)
    if found and not jobs:
        report(progress, "reading", found, len(paths), "stories", detail)
    ordered = [results[i] for i in range(len(paths))]
    errors += [r for r in ordered if isinstance(r, BookbinderError)]
    return [r for r in ordered if isinstance(r, Story)], errors


def _kept(store: StoryCache | None, job: ReadJob) -> Story | None:
    """The story (or card) a cache holds for the job, or None."""
    if store is None or not store.persistent:
        return None
    return store.load_card(job.key) if job.cards else store.load(job.key)


def _stored(store: StoryCache | None, job: ReadJob, result, path: Path) -> Story | BookbinderError:
    """A unit's result as a story (its entry kept), or the error for that input."""
    if isinstance(result, Crash):
        return InputError(f"not read: {result.reason}", path)
    if not isinstance(result, Read):
        return result
    story = result.story
    if store is not None and job.key and result.entry is not None and not store.put(job.key, result.entry, result.card):
        story = unshelve(story, result.entry)  # the shelf cannot keep it (a full disk): kept here, whole
    return story.with_(mtime=None if str(path) == "-" else path.stat().st_mtime)


def _read_job(path: Path, index: int, store: StoryCache | None, overrides, stdin: Stdin | None, cards: bool,
              local: bool, follow_links: bool = False) -> ReadJob:
    """The work unit that reads `path`: a local worker reads the file; a remote one is sent its bytes.
    For the cache's content key, a local input is hashed in pieces, never held whole here."""
    try:
        layers = tuple(overrides(path)) if overrides else ()
    except BookbinderError as exc:
        return ReadJob(path, error=exc)
    if str(path) == "-":
        if stdin is None:
            return ReadJob(path, error=InputError("standard input is named, but was not read", "-"))
        key = store.scratch_key(path, index) if store is not None and not store.persistent else None
        return ReadJob(path, layers, key, cards and key is not None, stdin.data, stdin.format)
    try:
        data = None if local else read_input(path)
        key = _cache_key(store, path, data, layers, index, follow_links)
    except BookbinderError as exc:
        return ReadJob(path, error=exc)
    job = ReadJob(path, layers, key, cards and key is not None, follow_links=follow_links)
    return job if local else _with_bytes(job, data)


def _with_bytes(job: ReadJob, data: bytes) -> ReadJob:
    """The job with the input's bytes and its sidecar's keys, for a worker on another machine."""
    try:
        sidecar = sidecar_path(job.path, job.follow_links)
        layers = ((Override(sidecar.name, read_sidecar(sidecar), sidecar),) if sidecar else ()) + job.layers
        return replace(job, layers=layers, data=data)
    except BookbinderError as exc:
        return replace(job, error=exc)


def _cache_key(store: StoryCache | None, path: Path, data: bytes | None, layers: Sequence[Override], index: int,
               follow_links: bool) -> str | None:
    """The key a story file is kept under, or None (no store). A build's scratch shelf needs no
    content key, only a unique one. InputError when the input or its sidecar cannot be read."""
    if store is None:
        return None
    if not store.persistent:
        return store.scratch_key(path, index)
    digest = hashlib.sha256(data).hexdigest() if data is not None else digest_input(path)
    sidecar = sidecar_path(path, follow_links)
    return store.key(path, digest, read_input(sidecar, MAX_METADATA, "metadata file") if sidecar else None, layers)


def normalize_to(path: Path, out_dir: Path, stem: str | None = None, stdin: Stdin | None = None,
                 follow_links: bool = False) -> tuple[Story, Path]:
    """One story file -> DIR/<stem>.xhtml (the input's stem unless given; "stdin" for "-"); the story
    and the path written."""
    story = load_one(path, stdin, follow_links)
    target = Path(out_dir) / f"{stem or ('stdin' if str(path) == '-' else path.stem)}.xhtml"
    write_atomic(target, serialize(render_story(story)))
    return story, target


def load_one(path: Path, stdin: Stdin | None = None, follow_links: bool = False) -> Story:
    """One story, from its file or, for "-", from `stdin`; BookbinderError when it cannot be read.
    Its sidecar is read if it is beside it, or anywhere with `follow_links`."""
    if str(path) == "-":
        if stdin is None:
            raise InputError("standard input is named, but was not read", "-")
        return load_story(path, data=stdin.data, fmt=stdin.format)
    return load_story(path, follow_links=follow_links)


# ------------------------------------------------------------------ what the user says of the book
MAX_COVER = 20 * 1024 * 1024  # bytes
MAX_CSS = 1024 * 1024
# pandoc's --metadata keys (and calibre's) -> BookInfo fields; title and editor go to the build options.
METADATA_KEYS = {"author": "authors", "creator": "authors", "language": "language", "lang": "language",
                 "series": "series", "series-index": "series_index", "series_index": "series_index",
                 "publisher": "publisher", "date": "date", "description": "description", "abstract": "description",
                 "subject": "subjects", "subjects": "subjects", "keywords": "subjects", "tags": "subjects",
                 "title": "title", "editor": "editors"}


def parse_metadata(pairs: Iterable[str]) -> dict[str, list[str]]:
    """["author=A", "series=Tides"] -> {"authors": ["A"], "series": ["Tides"]}; UsageError for a bad pair."""
    out: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            key, sep, value = pair.partition(":")
        name = METADATA_KEYS.get(key.strip().casefold())
        if not sep or name is None:
            raise UsageError(f"--metadata {pair!r}: write KEY=VALUE with KEY one of {', '.join(sorted(METADATA_KEYS))}")
        out.setdefault(name, []).append(value.strip())
    return out


def book_info(authors: Iterable[str] = (), language: str | None = None, series: str | None = None,
              series_index: str | None = None, publisher: str | None = None, date: str | None = None,
              description: str | None = None, subjects: Iterable[str] = (), cover: Path | None = None,
              css: Path | None = None, notices: list[str] | None = None) -> BookInfo:
    """BookInfo from what a user typed, each value checked; UsageError names the flag or file and the fix.
    What was changed on the way (outside references in the stylesheet) is added to `notices`."""
    lang = None
    if language:
        lang = parse_language(language)
        if lang is None:
            raise UsageError(f"--language {language!r}: not a language; give a code such as en, de or pt-BR")
    when = None
    if date:
        when = parse_date(date)
        if when is None:
            raise UsageError(f"--date {date!r}: not a date; write it as 2024-05-01")
    if series_index is not None and not re.fullmatch(r"\d{1,6}(\.\d{1,3})?", series_index.strip()):
        raise UsageError(f"--series-index {series_index!r}: a number, such as 2 or 2.5")
    image, image_type = None, "image/png"
    if cover is not None:
        image = _read_limited(cover, MAX_COVER, "--cover")
        try:
            image_type = inspect_image(image).media_type  # decoded whole: a bomb or a broken file is one line
        except ValueError as exc:
            raise UsageError(f"--cover {quoted(cover)}: {exc}") from None
    style = None
    if css is not None:
        try:
            style, dropped = self_contained_css(_read_limited(css, MAX_CSS, "--css").decode("utf-8"))
        except UnicodeDecodeError:
            raise UsageError(f"--css {quoted(css)}: not UTF-8 text") from None
        if dropped and notices is not None:
            notices.append(f"--css {quoted(css)}: {plural(dropped, 'url() or @import')} left out (a book holds "
                           "no outside files)")
    return BookInfo(authors=tuple(a.strip() for a in authors if a.strip()), language=lang, series=series or None,
                    series_index=series_index.strip() if series_index else None, publisher=publisher or None,
                    date=when, description=description, subjects=tuple(s for s in subjects if s.strip()),
                    cover=image, cover_type=image_type, css=style)


def self_contained_css(text: str) -> tuple[str, int]:
    """A user's stylesheet without what would reach outside the book: `url()` references become
    `none` and `@import` rules go (an EPUB may hold no remote resource, and the PDF fetcher would
    refuse them anyway). (stylesheet, how many were left out)."""
    import tinycss2

    dropped = 0

    def tokens(nodes):
        nonlocal dropped
        for node in nodes:
            if node.type == "url" or (node.type == "function" and node.lower_name == "url"):
                dropped += 1
                yield tinycss2.ast.IdentToken(node.source_line, node.source_column, "none")
                continue
            if hasattr(node, "content") and node.content is not None and node.type in {"() block", "[] block",
                                                                                     "{} block", "function"}:
                node.content = list(tokens(node.content))
            if node.type == "function":
                node.arguments = list(tokens(node.arguments))
            yield node

    rules = []
    for rule in tinycss2.parse_stylesheet(text):
        if rule.type == "at-rule" and rule.lower_at_keyword == "import":
            dropped += 1
            continue
        if rule.type in {"qualified-rule", "at-rule"}:
            rule.prelude = list(tokens(rule.prelude))
            if rule.content is not None:
                rule.content = list(tokens(rule.content))
        rules.append(rule)
    return tinycss2.serialize(rules), dropped


def _read_limited(path: Path, limit: int, flag: str) -> bytes:
    """A file the user names with a flag: a regular file within `limit`, else UsageError naming the flag."""
    try:
        return read_input(path, limit, "file")
    except BookbinderError as exc:
        raise UsageError(f"{flag} {exc.format_message()}") from None


# ------------------------------------------------------------------ building
DEFAULT_OUTPUT = Path("output")


@dataclass(frozen=True)
class BuildOptions:
    """How to build: formats, where to write, the title and editors, grouping (`by`), order, filters,
    print options, and a manifest whose stories and settings join the inputs."""

    formats: tuple[str, ...] = ("epub",)
    out_dir: Path = DEFAULT_OUTPUT
    title: str | None = None
    editors: tuple[str, ...] = ()
    by: str | None = None
    sort: str = "given"
    filters: Filters = Filters()
    infer: bool = True
    print: PrintOptions = PrintOptions()
    follow_links: bool = False  # read files in a folder that link outside it
    out_file: Path | None = None  # write exactly this file (one book, one format); "-" is standard output
    manifest: Path | None = None  # its stories are added to the inputs; title, editors, sort fill what is not set
    lists: tuple[Path, ...] = ()  # files listing stories, one a line (inside each list's folder)
    info: BookInfo = BookInfo()   # what the user states about each book built (--author, --series, --cover...)
    aliases: tuple[tuple[str, str], ...] = ()  # ("Mer", "Meredith Grey"): one name for a person, fandom or pairing
    stdin: Stdin | None = None    # the story the input "-" names
    cache: Path | None = None     # a folder of normalized stories (cache.StoryCache); None reads every story
    scheduler: str | None = None  # where work units run: None or "pool" (local workers), "serial", a Dask address
    jobs: int | None = None       # local workers (default: one per core)
    tls: TLS = TLS()              # the certificates for a Dask scheduler at a tls:// address


def with_manifest(inputs: list[str | Path], options: BuildOptions, errors: list[BookbinderError] | None = None
                  ) -> tuple[list[str | Path], BuildOptions, Manifest | None]:
    """The inputs and options once the lists and the manifest are read. Precedence: what the
    options (the command line) set wins over the manifest; a manifest's story table wins over the
    story's sidecar. An entry that names a file outside its list's or manifest's folder is an error
    in `errors` (raised when none is given), and the rest are read."""
    found: list[BookbinderError] = []
    for listing in options.lists:
        listed, refused = read_list(listing, options.follow_links)
        inputs, found = [*inputs, *listed], found + refused
    m = read_manifest(options.manifest, options.follow_links) if options.manifest is not None else None
    if m is not None:
        found += m.errors
        inputs = [*inputs, *m.stories]
        options = replace(options, title=options.title or m.title, editors=options.editors or m.editors,
                          sort=m.sort if options.sort == "given" else options.sort)
    if found and errors is None:
        raise found[0]
    (errors if errors is not None else []).extend(found)
    return inputs, options, m


def output_target(value: str | Path, formats: tuple[str, ...] = ()) -> tuple[Path | None, Path | None, tuple[str, ...]]:
    """`-o VALUE` as pandoc and ebook-convert read it -> (out_file, out_dir, formats).

    A name ending in a format's suffix (`book.epub`, `book.pdf`) is that file, and gives the format
    when none is asked for; `-` is standard output; anything else is a folder."""
    path = Path(value)
    suffix = path.suffix.lower().lstrip(".")
    if str(value) != "-" and suffix not in BACKENDS:
        return None, path, formats or ("epub",)
    wanted = formats or ((suffix,) if suffix in BACKENDS else ("epub",))
    if len(wanted) > 1:
        raise UsageError(f"-o {value} names one file, but {len(wanted)} formats were asked for; give -o a folder")
    if suffix in BACKENDS and wanted != (suffix,):
        raise UsageError(f"-o {value} ends in .{suffix}, but --format {wanted[0]} was asked for")
    return path, None, wanted


def plan_books(stories: list[Story], options: BuildOptions, single: bool) -> tuple[list[Book], int]:
    """The books to write (and how many stories the filters left out), each with the user's BookInfo."""
    books, skipped = _plan_books(stories, options, single)
    return [replace(b, info=options.info) for b in books], skipped


def _plan_books(stories: list[Story], options: BuildOptions, single: bool) -> tuple[list[Book], int]:
    """The books to write (and how many stories the filters left out)."""
    stories = unify(stories, dict(options.aliases))
    keep = options.filters.predicate()
    chosen = [s for s in stories if keep(s)]
    skipped = len(stories) - len(chosen)
    if not chosen:
        return [], skipped
    if options.by:
        return books_by(chosen, options.by, infer=options.infer, sort=options.sort, title=options.title,
                        editors=options.editors, unified=True), skipped
    chosen = order(chosen, options.sort)
    if single and len(chosen) == 1:
        return [Book(title=options.title or story_title(chosen[0]), stories=tuple(chosen),
                     editors=options.editors)], skipped
    return [anthology(chosen, title=options.title, editors=options.editors)], skipped


def build(inputs: list[str | Path], options: BuildOptions | None = None, progress: Progress | None = None,
          on_story: Callable[[Story], None] | None = None, **kwargs) -> BuildResult:
    """One input file: a book of that story; several files or a folder: one anthology (or one per group)."""
    options = options or BuildOptions(**{k: (Path(v) if k == "out_dir" else v) for k, v in kwargs.items()})
    executor = executor_for(options.scheduler, options.jobs, options.tls)  # first: one out of reach leaves nothing
    with contextlib.closing(executor):
        return _build(inputs, options, progress, on_story, executor)


def _build(inputs: list[str | Path], options: BuildOptions, progress: Progress | None,
           on_story: Callable[[Story], None] | None, executor: Executor) -> BuildResult:
    if options.out_file != STDOUT:  # before any work: a bad -o costs the user nothing
        output_folder(options.out_file.parent if options.out_file else options.out_dir)
    if options.print.impose is not None and "pdf" in options.formats:  # the paper must hold the pages
        from .backends.impose import check_imposition

        check_imposition(options.print.page_size, options.print.impose)
    result = BuildResult()
    inputs, options, manifest = with_manifest(list(inputs), options, result.errors)
    options = _private_cache(options, result.notices)
    with _shelf(options.cache) as shelf:
        books = _read_and_plan(inputs, options, manifest, result, executor, shelf, progress, on_story)
        if books:
            result.written, errors = write_books(books, options, result, progress, executor, shelf)
            result.errors += errors
    return result


def _private_cache(options: BuildOptions, notices: list[str]) -> BuildOptions:
    """The options with the cache, where it is the user's own and private (laid-out PDF parts are
    kept beside the stories); without it, and a notice saying why, where it is not."""
    if options.cache is None:
        return options
    problem = private_folder(options.cache)
    if problem:
        notices.append(f"{quoted(options.cache)}: the cache is not used: {problem}; building without it")
        return replace(options, cache=None)
    return replace(options, print=replace(options.print, parts_cache=str(options.cache)))


def written_folders(options: BuildOptions) -> tuple[Path, ...]:
    """Where this build writes books: never searched for stories, so a rebuild never binds its own
    books into the next (the default output/ too, wherever -o points)."""
    folders = [DEFAULT_OUTPUT, options.out_dir]
    if options.out_file and options.out_file != STDOUT:
        folders.append(options.out_file)
    return tuple(folders)


@contextlib.contextmanager
def _shelf(cache: Path | None) -> Iterator[StoryCache]:
    """Where the build keeps its stories' chapters while it plans: the cache, or a scratch folder."""
    if cache is not None:
        yield StoryCache(cache)
        return
    with StoryCache.scratch() as shelf:
        yield shelf


def _read_and_plan(inputs: list, options: BuildOptions, manifest: Manifest | None, result: BuildResult,
                   executor: Executor, shelf: StoryCache, progress: Progress | None,
                   on_story: Callable[[Story], None] | None) -> list[Book]:
    """Read every story (as cards) and plan the books; what fails is in `result.errors`."""
    layers = (lambda path: [o] if (o := manifest.override_for(path)) else []) if manifest else None
    stories, errors = load_stories(inputs, progress, follow_links=options.follow_links,
                                   skipped=result.skipped_files, notices=result.notices, overrides=layers,
                                   stdin=options.stdin, executor=executor, shelf=shelf,
                                   exclude=written_folders(options))
    result.errors += errors
    for story in stories:
        if on_story:
            on_story(story)
    if not stories:
        if not result.errors:
            result.errors.append(InputError("no story files found", ", ".join(map(str, inputs)) or "."))
        return []
    single = len(inputs) == 1 and (Path(inputs[0]).is_file() or str(inputs[0]) == "-")
    books, result.skipped = plan_books(stories, options, single)
    if not books:
        result.errors.append(BookbinderError(f"the filters left none of the {plural(len(stories), 'story')}"))
    if options.out_file and len(books) > 1:
        raise UsageError(f"-o {options.out_file} names one file, but this build makes {len(books)} books "
                         f"(--by {options.by}); give -o a folder")
    for story in (s for b in books for s in b.stories):
        result.diagnostics += story.diagnostics
    return books

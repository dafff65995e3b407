"""The build's read step: Inputs -> Reading (a card for each story read, an error for each that was not).

Each story is a work unit on the build's executor (`read_unit`): a worker reads its input once,
hashes those bytes for the cache key, reads the story and hands back its card (what planning
needs) and its entry (the whole story, kept in the shelf until a book needs it). An input whose
stat key the cache has seen, and whose card the cache holds, is not read at all. A story that
cannot be read, or that crashes a worker, is that input's error alone.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

from lxml import etree

from ..cache import StoryCache, content_key, shelve, stat_key, unshelve
from ..errors import BookbinderError, InputError, portable
from ..executors import Executor
from ..inputs import Stdin, read_input
from ..model import Card, Story
from ..parallel import MEMORY_MB, Crash
from ..pipeline import Override, load_file
from ..progress import Progress, report
from ..sidecar import MAX_METADATA, read_sidecar, sidecar_path
from .collect import Inputs


@dataclass(frozen=True)
class ReadJob:
    """One work unit of reading: a story file, the metadata layers stated for it, and how its
    entry is named: a scratch `key`, or (None) the content key the worker makes from the bytes it
    reads. `data` carries the input to a worker that cannot read the path (standard input; a
    cluster's machine), and then the sidecar is among `layers`."""

    path: Path
    layers: tuple[Override, ...] = ()
    key: str | None = None
    keep: bool = True              # shelve the story: hand back its card and entry
    data: bytes | None = None
    fmt: str | None = None
    error: BookbinderError | None = None  # found while making the job (a sidecar that does not parse)
    follow_links: bool = False     # the user allows a sidecar that links out of the story's folder


@dataclass(frozen=True)
class Read:
    """What reading one story gives back: the story or its card, the entry to keep, the card's
    bytes, the key they go under, and the input's content digest (for the cache's stat index).
    An input of several stories (a book bookbinder made) gives a Read for each, `of` its own key."""

    story: Story | Card
    entry: bytes | None = None
    card: bytes | None = None
    key: str | None = None
    digest: str | None = None
    of: str | None = None


@dataclass(frozen=True)
class Reading:
    """The read step's result: the stories (cards, or whole stories) in input order, and the errors."""

    stories: tuple[Story | Card, ...]
    errors: tuple[BookbinderError, ...] = ()


def read_unit(job: ReadJob) -> tuple[Read, ...] | BookbinderError:
    """The input's stories (each its card and entry), or the error that says why not; a bug in one
    input never stops the others."""
    if job.error is not None:
        return portable(job.error)
    try:
        data = job.data if job.data is not None else read_input(job.path)
        digest = hashlib.sha256(data).hexdigest()
        key = job.key or _content_key(job, digest)
    except BookbinderError as exc:
        return portable(exc)
    result = _read_one(job, data)
    if not isinstance(result, tuple):
        return portable(result)
    if not job.keep:
        return tuple(Read(story, digest=digest) for story in result)
    several = len(result) > 1
    reads = []
    for n, story in enumerate(result, 1):
        own = StoryCache.part_key(key, n) if several else key
        card, entry, card_data = shelve(own, story)
        reads.append(Read(card, entry, card_data, own, digest, key if several else None))
    return tuple(reads)


def _content_key(job: ReadJob, digest: str) -> str:
    sidecar = sidecar_path(job.path, job.follow_links) if job.data is None else None
    return content_key(job.path, digest, read_input(sidecar, MAX_METADATA, "metadata file") if sidecar else None,
                       job.layers)


def _read_one(job: ReadJob, data: bytes) -> tuple[Story, ...] | BookbinderError:
    path = job.path
    try:
        stories = load_file(path, job.layers, data=data, fmt=job.fmt, follow_links=job.follow_links,
                            on_disk=job.data is None and str(path) != "-")
        for story in stories:
            story.words  # counted here, in the worker, and sent back with the story
        return stories
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


def read_stories(inputs: Inputs, executor: Executor, shelf: StoryCache | None, overrides: Callable | None = None,
                 stdin: Stdin | None = None, follow_links: bool = False, progress: Progress | None = None
                 ) -> Reading:
    """Every story of `inputs`, in order: from the cache where it holds the input's card, else read
    as a unit on `executor`. With a `shelf`, stories come back as cards, their text kept there."""
    results: dict[int, tuple[Story | Card, ...] | BookbinderError] = {}
    jobs: list[tuple[int, ReadJob]] = []
    for i, path in enumerate(inputs.paths):
        job = _job(path, i, shelf, overrides, stdin, follow_links)
        kept = _kept(shelf, path, job)
        if kept is not None:
            results[i] = tuple(card.with_(mtime=path.stat().st_mtime) for card in kept)
        else:  # a worker on another machine cannot read the path: it is sent the bytes
            jobs.append((i, job if executor.local or job.data is not None or job.error else _with_bytes(job)))
    found, total = len(results), len(inputs.paths)
    detail = f"{found} from the cache" if shelf is not None and shelf.persistent else ""
    for done, (n, result) in enumerate(executor.run(read_unit, (job for _, job in jobs), isolate=True), found + 1):
        i = jobs[n][0]
        results[i] = _stored(shelf, jobs[n][1], result, inputs.paths[i])
        report(progress, "reading", done, total, "stories", detail)
    if found and not jobs:
        report(progress, "reading", found, total, "stories", detail)
    ordered = [results[i] for i in range(total)]
    return Reading(tuple(s for r in ordered if not isinstance(r, BookbinderError) for s in r),
                   tuple(r for r in ordered if isinstance(r, BookbinderError)))


def _job(path: Path, index: int, shelf: StoryCache | None, overrides, stdin: Stdin | None,
         follow_links: bool) -> ReadJob:
    """The unit that reads `path` (a worker reads the file; standard input's bytes travel with it)."""
    try:
        layers = tuple(overrides(path)) if overrides else ()
    except BookbinderError as exc:
        return ReadJob(path, error=exc)
    scratch = shelf.scratch_key(path, index) if shelf is not None and not shelf.persistent else None
    if str(path) == "-":
        if stdin is None:
            return ReadJob(path, error=InputError("standard input is named, but was not read", "-"))
        return ReadJob(path, layers, scratch, shelf is not None, stdin.data, stdin.format)
    return ReadJob(path, layers, scratch, shelf is not None, follow_links=follow_links)


def _with_bytes(job: ReadJob) -> ReadJob:
    """The job with the input's bytes and its sidecar's keys, for a worker on another machine."""
    try:
        sidecar = sidecar_path(job.path, job.follow_links)
        layers = ((Override(sidecar.name, read_sidecar(sidecar), sidecar),) if sidecar else ()) + job.layers
        data = read_input(job.path)
        key = job.key or content_key(job.path, hashlib.sha256(data).hexdigest(),
                                     read_input(sidecar, MAX_METADATA, "metadata file") if sidecar else None,
                                     job.layers)
        return replace(job, layers=layers, data=data, key=key)
    except BookbinderError as exc:
        return replace(job, error=exc)


def _kept(shelf: StoryCache | None, path: Path, job: ReadJob) -> tuple[Card, ...] | None:
    """The cards the user's cache holds for an input it has seen unchanged (one a story), or None."""
    if shelf is None or not shelf.persistent or job.error is not None or job.data is not None:
        return None
    digest = shelf.seen(stat_key(path))
    if digest is None:
        return None
    try:
        return shelf.load_cards(_content_key(job, digest))
    except BookbinderError:
        return None  # the sidecar cannot be read now: the worker says why


def _stored(shelf: StoryCache | None, job: ReadJob, result,
            path: Path) -> tuple[Story | Card, ...] | BookbinderError:
    """A unit's result as cards (their entries kept), or the error for that input. The input is
    remembered as read only when every story of it is kept (and, for several, how many)."""
    if isinstance(result, Crash):
        return InputError(f"not read: {result.reason}", path)
    if not isinstance(result, tuple):
        return result
    stories, kept = [], True
    for read in result:
        story = read.story
        if shelf is not None and read.key and read.entry is not None:
            if not shelf.put(read.key, read.entry, read.card):
                story, kept = unshelve(story, read.entry), False  # the shelf cannot keep it (a full disk): kept whole
        stories.append(story.with_(mtime=None if str(path) == "-" else path.stat().st_mtime))
    if shelf is not None and kept and result and result[0].entry is not None:
        if result[0].of:
            kept = shelf.put_count(result[0].of, len(result))
        if kept and str(path) != "-":  # read once, never hashed again while it stays the same file
            shelf.remember(stat_key(path), result[0].digest)
    return tuple(stories)


def load_stories(inputs: Sequence[str | Path], executor: Executor | None = None, cache: Path | None = None,
                 progress: Progress | None = None, follow_links: bool = False) -> tuple[list[Story], list]:
    """Every story the inputs name (files, folders), whole, in order, read in parallel; failures are
    errors. With `cache` (a folder), unchanged inputs come from it. For scripts (README)."""
    from ..executors import Pool
    from .collect import collect
    from .options import BuildOptions

    found, _ = collect(list(inputs), BuildOptions(follow_links=follow_links))
    store = StoryCache(cache) if cache is not None else None
    reading = read_stories(found, executor or Pool(), store, follow_links=follow_links, progress=progress)
    stories = [s if isinstance(s, Story) else unshelve(s, store.entry(s.key)) for s in reading.stories]
    return stories, [*found.errors, *reading.errors]

"""Where a build's work units run: one interface, three engines.

A build has three kinds of work unit, the same for every engine: read a story (a path -> its
card and its shelf entry), lay out a story's PDF part (-> the part's PDF bytes), and write a book
(a book of cards -> the book's bytes). An `Executor` runs a function over units and yields
`(index, result)` as each finishes, or a `parallel.Crash` for a unit whose worker died or whose
function failed unexpectedly; a `BookbinderError` a unit raises is raised again here, as `map()`
would. Every unit's result comes back as data, so the cache and the output files stay with the
process that runs the build, whichever engine ran the units.

- `Serial`: in this process, one unit after another (for debugging: a failure is a traceback).
- `Pool`: forked local workers with a memory limit each (`parallel`), the default; `--jobs N`.
- `Dask`: a `dask.distributed` cluster (`--scheduler tcp://HOST:8786`, `BOOKBINDER_SCHEDULER`);
  its units carry the bytes they need (`local` is False), so workers need no shared folder.
"""
from __future__ import annotations

import os
from typing import Callable, Iterable, Iterator, Protocol, TypeVar

from .errors import BookbinderError, UsageError
from .parallel import Crash, as_unit, cores, in_worker, parallel_completed

T = TypeVar("T")
R = TypeVar("R")

SCHEDULER_ENV = "BOOKBINDER_SCHEDULER"


class Executor(Protocol):
    name: str
    local: bool  # whether units may read this machine's files (the inputs, the cache) by path

    def run(self, fn: Callable[[T], R], items: Iterable[T], isolate: bool = False
            ) -> Iterator[tuple[int, R | Crash]]: ...

    def close(self) -> None: ...


class Serial:
    name, local = "serial", True

    def close(self) -> None:
        pass

    def run(self, fn, items, isolate=False):
        for index, item in enumerate(items):
            yield index, as_unit(fn)(item)


class Pool:
    name, local = "pool", True

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = jobs or cores()

    def close(self) -> None:
        pass  # workers live only while a run() is being read

    def run(self, fn, items, isolate=False):
        if in_worker():  # a unit inside a unit: no workers of workers
            yield from Serial().run(fn, items)
            return
        yield from parallel_completed(as_unit(fn), items, self.jobs, isolate=isolate)


class Dask:
    """Units on a dask.distributed cluster, at most `window` in flight (so a generator of units
    that carry bytes is read only as fast as the cluster takes them), answered as they finish."""

    name, local = "dask", False

    def __init__(self, client, window: int | None = None, owned: bool = False) -> None:
        self.client, self.owned = client, owned
        threads = sum(client.nthreads().values()) or 1
        self.window = window or 4 * threads

    def close(self) -> None:
        """Leave the cluster (when the build opened the connection)."""
        if self.owned:
            self.client.close()

    @classmethod
    def connect(cls, address: str) -> Dask:
        try:
            from distributed import Client
        except ImportError:
            raise UsageError("--scheduler needs dask.distributed: pip install 'bookbinder[dask]'") from None
        from distributed.comm.addressing import parse_address
        from distributed.comm.registry import backends

        try:
            scheme, _ = parse_address(address)
        except ValueError as exc:
            raise UsageError(f"--scheduler {address}: not a scheduler's address ({exc})") from None
        if scheme not in backends:  # checked first: a Client made for it lingers, and times out as it goes
            raise UsageError(f"--scheduler {address}: not a scheduler's address (give tcp://HOST:8786, or one of "
                             f"{', '.join(sorted(backends))}://)")
        try:
            return cls(Client(address, timeout="10s", set_as_default=False), owned=True)
        except (OSError, TimeoutError, ValueError) as exc:
            raise UsageError(f"--scheduler {address}: cannot connect ({exc})") from None

    def run(self, fn, items, isolate=False):
        if in_worker():
            yield from Serial().run(fn, items)
            return
        from distributed import as_completed

        unit, source, index_of = as_unit(fn), iter(enumerate(items)), {}

        def submit():
            for index, item in source:  # one at a time: the next unit is made only when it can run
                future = self.client.submit(unit, item, pure=False)
                index_of[future.key] = index
                return future
            return None

        started = [f for f in (submit() for _ in range(self.window)) if f is not None]
        if not started:
            return
        running = as_completed(started, loop=self.client.loop)
        for future in running:  # as each finishes, the next goes in: a long unit holds up no other
            yield self._answer(index_of.pop(future.key), future)
            following = submit()
            if following is not None:
                running.add(following)

    @staticmethod
    def _answer(index: int, future) -> tuple[int, object]:
        try:
            return index, future.result()
        except BookbinderError:
            raise
        except Exception as exc:  # noqa: BLE001 - a unit that failed or whose worker died: that unit's alone
            return index, Crash(f"{type(exc).__name__}: {exc}")


def executor_for(scheduler: str | None = None, jobs: int | None = None) -> Executor:
    """The engine a build runs on: `scheduler` ("serial", a Dask address, or $BOOKBINDER_SCHEDULER),
    else the local pool with `jobs` workers."""
    scheduler = scheduler or os.environ.get(SCHEDULER_ENV) or None
    if scheduler == "serial":
        return Serial()
    if scheduler and scheduler != "pool":
        return Dask.connect(scheduler)
    return Pool(jobs)

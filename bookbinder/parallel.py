"""Work spread over the machine's cores, where one item's failure is that item's alone.

`parallel_map(fn, items)` yields `fn(item)` for each item, in order, or a `Crash` for an item
whose worker died under it: killed by the kernel, aborted by a C or Rust library that could not
allocate, or past its memory limit. The others go on, and a fresh worker takes the next item.

Workers are forked (they start at once and share what the parent loaded, `fn` included, so it
need not be picklable), are handed one item at a time (so no core idles at the end of a batch of
uneven stories), and:
- have their data segment limited to `memory_mb` above what they inherited (RLIMIT_DATA): a
  hostile input that would need gigabytes fails alone instead of sinking the machine;
- die with their parent (PR_SET_PDEATHSIG): a `kill -9` of bookbinder leaves no orphans;
- ignore Ctrl-C, which the terminal sends to them too: the parent stops them and says so once.
Below `PARALLEL_FROM` items, work stays in this process unless `isolate` asks for a worker.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import resource
import signal
import threading
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Callable, Iterable, Iterator, TypeVar, Union

from .errors import BookbinderError, portable

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 8  # items; below this, starting worker processes costs more than it saves
MEMORY_MB = 3072   # per worker, above what it inherits; README "Limits" documents it


@dataclass(frozen=True)
class Crash:
    """An item whose worker died, or whose `fn` raised: `reason` says how, in words."""

    reason: str


@dataclass(frozen=True)
class _Raised:
    error: BookbinderError


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


_inside = threading.local()


def in_worker() -> bool:
    """True inside a work unit: work there runs serially (a unit never starts workers of its own;
    a daemon process may not, and a cluster's worker should not)."""
    return getattr(_inside, "flag", False)


def as_unit(fn: Callable[[T], R]) -> Callable[[T], R]:
    """`fn`, marked as running inside a worker while it runs (see `in_worker`)."""
    return _Unit(fn)


class _Unit:
    def __init__(self, fn: Callable) -> None:
        self.fn = fn

    def __call__(self, item):
        before = in_worker()
        _inside.flag = True
        try:
            return self.fn(item)
        except BookbinderError as exc:  # raised again where the build runs, perhaps in another process
            raise portable(exc) from None
        finally:
            _inside.flag = before


def parallel_map(fn: Callable[[T], R], items: Iterable[T], workers: int | None = None, isolate: bool = False,
                 memory_mb: int | None = None) -> Iterator[Union[R, Crash]]:
    """fn over items, results (or Crashes) in order; `isolate` runs even one item in a worker."""
    items = list(items)
    waiting: dict[int, object] = {}
    results = parallel_completed(fn, items, workers, isolate, memory_mb)
    for wanted in range(len(items)):
        while wanted not in waiting:
            index, result = next(results)
            waiting[index] = result
        yield waiting.pop(wanted)


def parallel_completed(fn: Callable[[T], R], items: Iterable[T], workers: int | None = None, isolate: bool = False,
                       memory_mb: int | None = None) -> Iterator[tuple[int, Union[R, Crash]]]:
    """fn over items, `(index, result or Crash)` as each finishes. Inside a worker, or below
    `PARALLEL_FROM` items (unless `isolate`), in this process."""
    items = list(items)
    memory_mb = memory_mb or MEMORY_MB
    workers = min(workers or cores(), len(items))
    if not items:
        return
    if in_worker() or (not isolate and (len(items) < PARALLEL_FROM or workers < 2)):
        yield from enumerate(map(fn, items))
        return
    yield from _Pool(fn, items, max(1, workers), memory_mb).completed()


class _Pool:
    def __init__(self, fn: Callable, items: list, workers: int, memory_mb: int) -> None:
        self.fn, self.items, self.memory_mb = fn, items, memory_mb
        self.pending = deque(range(len(items)))
        self.done: dict[int, object] = {}
        self.busy: dict[Connection, tuple[multiprocessing.Process, int | None]] = {}
        self.context = multiprocessing.get_context("fork")
        self.size = workers

    def completed(self) -> Iterator[tuple[int, object]]:
        given = 0
        try:
            for _ in range(self.size):
                self._start_worker()
            while given < len(self.items):
                while not self.done:
                    self._step()
                index, result = self.done.popitem()
                if isinstance(result, _Raised):
                    raise result.error
                yield index, result
                given += 1
        finally:
            self._stop()

    def _start_worker(self) -> None:
        if not self.pending:
            return
        ours, theirs = self.context.Pipe()
        process = self.context.Process(target=_worker, args=(self.fn, theirs, self.memory_mb, os.getpid()),
                                       daemon=True)
        with _interrupt_held():
            process.start()
        theirs.close()
        self.busy[ours] = (process, None)
        self._hand_out(ours)

    def _hand_out(self, conn: Connection) -> None:
        process, _ = self.busy[conn]
        if not self.pending:
            self.busy[conn] = (process, None)
            conn.send(None)  # no more work: the worker exits
            return
        index = self.pending.popleft()
        self.busy[conn] = (process, index)
        conn.send((index, self.items[index]))

    def _step(self) -> None:
        live = {conn: process for conn, (process, index) in self.busy.items() if index is not None}
        ready = wait(list(live) + [p.sentinel for p in live.values()])
        for conn, process in live.items():
            if conn in ready:
                try:
                    index, ok, value = conn.recv()
                except (EOFError, OSError):  # died while answering: the sentinel says how
                    self._lost(conn)
                    continue
                self.done[index] = value if ok else _Raised(value) if ok is None else Crash(value)
                self._hand_out(conn)
            elif process.sentinel in ready:
                self._lost(conn)

    def _lost(self, conn: Connection) -> None:
        process, index = self.busy.pop(conn)
        process.join(timeout=5)
        if index is not None:
            self.done[index] = Crash(_death(process.exitcode, self.memory_mb))
        conn.close()
        self._start_worker()

    def _stop(self) -> None:
        for conn, (process, _) in self.busy.items():
            if process.is_alive():
                process.kill()
            process.join(timeout=5)
            conn.close()
        self.busy.clear()


def _death(exitcode: int | None, memory_mb: int) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        if -exitcode in {signal.SIGKILL, signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS}:
            return f"its worker was stopped ({name}), most likely by running out of memory (the limit is " \
                   f"{memory_mb} MB for one input)"
        return f"its worker was stopped ({name})"
    return f"its worker exited with status {exitcode}"


@contextmanager
def _interrupt_held() -> Iterator[None]:
    """Hold Ctrl-C while forking. An interrupt that lands while os.fork runs its at-fork hooks is
    raised inside one of them (logging's lock release), printed as ignored, and lost: the build went
    on and exited 0. Held, it is handed to the usual handler once the fork is done. (A signal mask
    would not do: any other thread may take the signal, and the main thread still raises it in the
    hook.) Only the main thread may set handlers; elsewhere the fork goes on unguarded."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    before = signal.signal(signal.SIGINT, lambda signum, _frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)
        if caught and callable(before):
            before(signal.SIGINT, None)
        elif caught and before == signal.SIG_DFL:
            os.kill(os.getpid(), signal.SIGINT)


def _worker(fn: Callable, conn: Connection, memory_mb: int, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent's to handle
    _die_with_parent(parent)
    _limit_memory(memory_mb)
    _quiet()
    _inside.flag = True  # a daemon process may not start workers: what it runs runs serially
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, item = task
        try:
            answer = (index, True, fn(item))
        except BookbinderError as exc:  # an error bookbinder means: raised again in the parent, as map() would
            answer = (index, None, portable(exc))
        except MemoryError:
            answer = (index, False, f"it needs more than the memory limit for one input ({memory_mb} MB)")
        except Exception as exc:  # noqa: BLE001 - the parent reports it as this item's failure
            answer = (index, False, f"{type(exc).__name__}: {exc}")
        try:
            conn.send(answer)
        except Exception as exc:  # noqa: BLE001 - a result that cannot be pickled is this item's failure
            conn.send((index, False, f"its result could not be handed back ({type(exc).__name__}: {exc})"))


def _quiet() -> None:
    """Workers never print (the parent reports each failure in one line); what a dying library
    writes to stderr (Rust's allocation-failure backtrace, a fault dump) would only bury that line.
    BOOKBINDER_DEBUG=1 keeps it."""
    if os.environ.get("BOOKBINDER_DEBUG"):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker when its parent dies (a no-op elsewhere)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _limit_memory(memory_mb: int) -> None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            inherited = next((int(line.split()[1]) * 1024 for line in status if line.startswith("VmData:")), 0)
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        limit = inherited + (memory_mb << 20)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    except (OSError, ValueError, AttributeError):
        pass  # no /proc or no RLIMIT_DATA: the worker runs unlimited, as before

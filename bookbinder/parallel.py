"""Work spread over the machine's cores: map a function over items, in order, in processes.

Workers are forked where the platform allows, so they start at once and share what the
parent already loaded; below `PARALLEL_FROM` items the work stays in this process.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 8  # items; below this, starting worker processes costs more than it saves


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def parallel_map(fn: Callable[[T], R], items: Iterable[T], workers: int | None = None,
                 heavy: bool = False) -> Iterator[R]:
    """fn over items, results in order; `fn` must be a module-level function (it is pickled).

    `heavy` tasks (a second or so each) are handed out one at a time, so no core idles at the end."""
    items = list(items)
    workers = workers or cores()
    if len(items) < PARALLEL_FROM or workers < 2:
        yield from map(fn, items)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        chunk = 1 if heavy else max(1, len(items) // (workers * 8))
        yield from pool.map(fn, items, chunksize=chunk)

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
from dataclasses import dataclass
from pathlib import Path
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
    def connect(cls, address: str, tls: TLS | None = None) -> Dask:
        """A client of the scheduler at `address`, checked before any work: it answers as a Dask
        scheduler within ANSWER_WITHIN seconds and has a worker within WORKERS_WITHIN; anything
        else is one UsageError line (a build never falls back to local work unasked)."""
        try:
            from distributed import Client
        except ImportError:
            raise UsageError("--scheduler needs dask.distributed: pip install 'bookbinder[dask]'") from None
        security = (tls or TLS()).security(address)
        _probe(address, security)
        try:
            client = Client(address, timeout=f"{ANSWER_WITHIN}s", set_as_default=False, security=security)
        except Exception as exc:  # noqa: BLE001 - whatever a broken endpoint does is one line
            raise UsageError(f"--scheduler {address}: cannot connect ({_reason(exc)})") from None
        try:
            client.wait_for_workers(1, timeout=WORKERS_WITHIN)
        except Exception:  # noqa: BLE001 - distributed raises TimeoutError, or its own
            client.close()
            raise UsageError(f"--scheduler {address}: no worker joined the scheduler within {WORKERS_WITHIN} s "
                             "(start one: dask worker ADDRESS)") from None
        return cls(client, owned=True)

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


def executor_for(scheduler: str | None = None, jobs: int | None = None, tls: TLS | None = None) -> Executor:
    """The engine a build runs on: `scheduler` ("serial", a Dask address, or $BOOKBINDER_SCHEDULER),
    else the local pool with `jobs` workers. Only the user names a scheduler: a folder's
    bookbinder.toml cannot (config.USER), since a Dask cluster runs code in this process."""
    scheduler = scheduler or os.environ.get(SCHEDULER_ENV) or None
    if scheduler == "serial":
        return Serial()
    if scheduler and scheduler != "pool":
        return Dask.connect(scheduler, tls)
    return Pool(jobs)


ANSWER_WITHIN = 10   # seconds for a scheduler to accept the connection and answer who it is
WORKERS_WITHIN = 30  # seconds for it to have a worker


@dataclass(frozen=True)
class TLS:
    """The certificates for a Dask scheduler at a tls:// address. None given: Dask's own
    configuration (distributed.comm.tls in ~/.config/dask/) says, as for any Dask client."""

    ca_file: Path | None = None
    cert: Path | None = None
    key: Path | None = None

    def security(self, address: str):
        from distributed.security import Security

        if not any((self.ca_file, self.cert, self.key)):
            return Security() if address.startswith("tls://") else None  # Dask's own configuration
        if not address.startswith("tls://"):
            raise UsageError(f"--scheduler {address}: the TLS certificates are for a tls:// address")
        if not (self.ca_file and self.cert):
            raise UsageError("--tls-ca-file and --tls-cert are both needed for a tls:// scheduler")
        return Security(tls_ca_file=str(self.ca_file), tls_client_cert=str(self.cert),
                        tls_client_key=str(self.key) if self.key else None, require_encryption=True)


def _probe(address: str, security) -> None:
    """Ask the endpoint who it is, within ANSWER_WITHIN seconds: a Dask scheduler says so. A
    listener that never answers, one that sends garbage, or no listener at all is one line."""
    import asyncio

    from distributed.comm import connect
    from distributed.comm.addressing import parse_address
    from distributed.comm.registry import backends

    try:
        scheme, _ = parse_address(address)
    except ValueError as exc:
        raise UsageError(f"--scheduler {address}: not a scheduler's address ({exc})") from None
    if scheme not in backends:
        raise UsageError(f"--scheduler {address}: not a scheduler's address (give tls://HOST:8786 or tcp://HOST:8786)")

    async def identity():
        args = security.get_connection_args("client") if security else {}
        comm = await asyncio.wait_for(connect(address, timeout=ANSWER_WITHIN, **args), ANSWER_WITHIN + 1)
        try:
            await asyncio.wait_for(comm.write({"op": "identity"}), ANSWER_WITHIN)
            return await asyncio.wait_for(comm.read(), ANSWER_WITHIN)
        finally:
            comm.abort()

    try:
        answer = asyncio.run(identity())
    except (TimeoutError, asyncio.TimeoutError):
        raise UsageError(f"--scheduler {address}: no answer within {ANSWER_WITHIN} s") from None
    except Exception as exc:  # noqa: BLE001 - garbage, a refused connection, a TLS failure: one line
        raise UsageError(f"--scheduler {address}: cannot connect ({_reason(exc)})") from None
    if not isinstance(answer, dict) or answer.get("type") != "Scheduler":
        raise UsageError(f"--scheduler {address}: what answers there is not a Dask scheduler")


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:160]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__

"""One executor interface, three engines (issue 13): the same work units on each give the same books,
and a build plans its books from cards, the stories' chapters left on the shelf until a book is written."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import bookbinder.building as build_step
from bookbinder import api
from bookbinder.building import writing
from bookbinder.model import Card
from bookbinder.api import BuildOptions, build
from bookbinder.errors import InputError
from bookbinder.executors import Dask, Pool, Serial
from bookbinder.parallel import Crash

from conftest import SEEDS, small_library


def _library(folder: Path) -> Path:
    return small_library(folder)


def _books(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _build_all(lib: Path, out: Path, scheduler: str | None, cache: Path | None = None) -> dict[str, bytes]:
    """--by pairing EPUBs (a unit per book), one anthology as EPUB and PDF (a unit per story part)."""
    for options in (BuildOptions(out_dir=out / "pairs", by="pairing", scheduler=scheduler, cache=cache),
                    BuildOptions(out_dir=out / "one", formats=("epub", "pdf"), scheduler=scheduler, cache=cache)):
        result = build([lib], options)
        assert not result.errors, result.errors
    return {**_books(out / "pairs"), **{f"one/{k}": v for k, v in _books(out / "one").items()}}


def test_a_dask_cluster_makes_the_same_books_as_the_local_pool(tmp_path: Path, monkeypatch) -> None:
    distributed = pytest.importorskip("distributed")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    lib = _library(tmp_path)
    local = _build_all(lib, tmp_path / "pool", None)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        remote = _build_all(lib, tmp_path / "dask", cluster.scheduler_address)
        cached = _build_all(lib, tmp_path / "dask-cached", cluster.scheduler_address, tmp_path / "cache")
    assert len(local) >= 4 and remote == local and cached == local


def test_units_cross_to_worker_processes_as_bytes(tmp_path: Path, monkeypatch) -> None:
    """Worker processes share no memory with the build: every unit (a story to read, a PDF part to
    lay out, a book to write) and every result must travel pickled, and give the same books."""
    distributed = pytest.importorskip("distributed")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    options = dict(formats=("epub", "pdf"))
    local = build([SEEDS], BuildOptions(out_dir=tmp_path / "pool", **options))
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = build([SEEDS], BuildOptions(out_dir=tmp_path / "dask", scheduler=cluster.scheduler_address,
                                             **options))
    assert not local.errors and not remote.errors, (local.errors, remote.errors)
    assert _books(tmp_path / "dask") == _books(tmp_path / "pool")


def test_serial_and_pool_engines_make_the_same_books(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    lib = _library(tmp_path)
    results = []
    for engine in ("serial", "pool"):
        result = build([lib], BuildOptions(out_dir=tmp_path / engine, by="pairing", scheduler=engine))
        assert not result.errors, result.errors
        results.append(_books(tmp_path / engine))
    assert results[0] == results[1] and len(results[0]) >= 3


def _fail_on_two(n: int) -> int:
    if n == 2:
        raise RuntimeError("a bug in one unit")
    return n * 10


def _refuse_three(n: int) -> int:
    if n == 3:
        raise InputError("refused", "three.txt")
    return n


@pytest.mark.parametrize("engine", ["pool", "dask"])
def test_a_failing_unit_is_that_units_alone(engine: str) -> None:
    if engine == "pool":
        results = dict(Pool(2).run(_fail_on_two, range(10), isolate=True))
        assert [results[i] for i in (0, 1, 3, 9)] == [0, 10, 30, 90]
        assert isinstance(results[2], Crash) and "a bug in one unit" in results[2].reason
        with pytest.raises(InputError, match="refused"):  # an error bookbinder means is raised, as map() would
            dict(Pool(2).run(_refuse_three, range(10), isolate=True))
        return
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster, \
            distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        results = dict(Dask(client, window=3).run(_fail_on_two, range(10)))
        assert [results[i] for i in (0, 1, 3, 9)] == [0, 10, 30, 90]
        assert isinstance(results[2], Crash) and "a bug in one unit" in results[2].reason
        with pytest.raises(InputError, match="refused"):
            dict(Dask(client).run(_refuse_three, range(10)))


def test_units_inside_a_unit_run_in_that_worker() -> None:
    """A book written in a worker renders its stories there (a daemon process may not fork)."""
    assert dict(Pool(2).run(_nested, range(8), isolate=True)) == {i: i * 8 for i in range(8)}
    assert dict(Serial().run(_nested, range(3))) == {i: i * 8 for i in range(3)}


def _nested(n: int) -> int:
    return sum(r for _, r in Pool(2).run(_ident, [n] * 8, isolate=True))


def _ident(n: int) -> int:
    return n


def test_books_are_planned_from_cards_and_written_whole(tmp_path: Path, monkeypatch) -> None:
    """Memory flat in the number of stories: the build holds metadata; each book's unit brings its
    stories' chapters back from the shelf, and the book is the same as one made from whole stories."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    lib = _library(tmp_path)
    planned: list = []
    real = writing.write_books

    def spy(books, *args, **kwargs):
        planned.extend(books)
        return real(books, *args, **kwargs)

    monkeypatch.setattr(build_step, "write_books", spy)
    result = build([lib], BuildOptions(out_dir=tmp_path / "out", by="pairing"))
    assert not result.errors and planned
    stories = [s for b in planned for s in b.stories]
    assert all(isinstance(s, Card) and not hasattr(s, "chapters") and s.words > 0 for s in stories)
    stories_whole, _ = api.load_stories([lib])
    books = api.plan_books(stories_whole, BuildOptions(by="pairing"), single=False)[0]
    from bookbinder.backends import render_book
    for book in books:
        assert render_book(book, "epub").book == (tmp_path / "out" / f"{book.slug}.epub").read_bytes()


@pytest.mark.parametrize("damage", ["entry truncated", "entry gone", "card truncated"])
def test_a_damaged_cache_never_costs_a_story(tmp_path: Path, monkeypatch, damage: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    lib = _library(tmp_path)
    cache = tmp_path / "cache"
    first = build([lib], BuildOptions(out_dir=tmp_path / "a", by="pairing", cache=cache))
    assert not first.errors
    kind = "cards" if damage.startswith("card") else "stories"
    for entry in (cache / kind).rglob("*.json.z"):
        if damage == "entry gone":
            entry.unlink()
        else:
            entry.write_bytes(entry.read_bytes()[:-7])
    again = build([lib], BuildOptions(out_dir=tmp_path / "b", by="pairing", cache=cache))
    assert not again.errors and _books(tmp_path / "b") == _books(tmp_path / "a")


def test_a_shelf_that_cannot_be_written_costs_no_story(tmp_path: Path, monkeypatch) -> None:
    """A full or read-only disk under the cache: the build keeps those stories whole, in memory,
    and makes the same books."""
    from bookbinder.cache import StoryCache

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    lib = _library(tmp_path)
    fine = build([lib], BuildOptions(out_dir=tmp_path / "fine", by="pairing", cache=tmp_path / "cache"))
    monkeypatch.setattr(StoryCache, "put", lambda self, key, entry, card=None: False)
    full = build([lib], BuildOptions(out_dir=tmp_path / "full", by="pairing", cache=tmp_path / "other"))
    assert not fine.errors and not full.errors, full.errors
    assert _books(tmp_path / "full") == _books(tmp_path / "fine")


def test_the_command_line_chooses_the_engine(tmp_path: Path) -> None:
    """-j and --scheduler, or BOOKBINDER_SCHEDULER, on the command line; a scheduler that cannot be
    reached is one line and exit status 2, before any story is read."""
    import os
    import subprocess
    import sys

    from conftest import ROOT

    def build_with(out: str, *flags: str, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "bookbinder", "build", str(SEEDS), "--by", "pairing", "-q",
                               "--no-cache", "-o", str(tmp_path / out), *flags], capture_output=True, text=True,
                              cwd=ROOT, timeout=120, env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000", **(env or {})})

    for out, flags, env in (("pool", ("-j", "2"), None), ("serial", (), {"BOOKBINDER_SCHEDULER": "serial"})):
        assert build_with(out, *flags, env=env).returncode == 0
    assert _books(tmp_path / "serial") == _books(tmp_path / "pool") and len(_books(tmp_path / "pool")) == 2
    refused = build_with("nowhere", "--scheduler", "nonsense://nowhere")
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert "--scheduler nonsense://nowhere" in refused.stderr and not (tmp_path / "nowhere").exists()


def test_an_interrupt_during_a_fork_is_held_and_delivered_after_it() -> None:
    """os.fork runs at-fork hooks (logging's lock release); an interrupt raised inside one is printed
    as ignored and lost, and the build ran on to exit 0. Held over the fork, it arrives after."""
    import signal

    from bookbinder.parallel import _interrupt_held

    reached = []
    with pytest.raises(KeyboardInterrupt):
        with _interrupt_held():
            os.kill(os.getpid(), signal.SIGINT)
            reached.append("inside")  # not interrupted here
    assert reached == ["inside"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_workers_leave_ctrl_c_to_the_parent() -> None:
    """The terminal sends Ctrl-C to every worker too; they ignore it, and the parent stops them."""
    import signal

    from bookbinder.parallel import parallel_map

    def interrupted(n: int) -> int:
        os.kill(os.getpid(), signal.SIGINT)
        return n * 2

    assert list(parallel_map(interrupted, list(range(10)), workers=2)) == [n * 2 for n in range(10)]

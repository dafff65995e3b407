"""The story cache (issue 13): a rebuild reads only what changed, and the cache is never trusted."""
from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

from bookbinder.api import BuildOptions, build, load_stories
from bookbinder.cache import StoryCache

from conftest import SEEDS, small_library


def _library(folder: Path) -> Path:
    return small_library(folder)


def test_cached_stories_are_the_stories(tmp_path: Path) -> None:
    lib = _library(tmp_path)
    fresh, _ = load_stories([lib])
    cold, _ = load_stories([lib], cache=tmp_path / "cache")
    warm, _ = load_stories([lib], cache=tmp_path / "cache")
    assert fresh == cold == warm  # every field, every diagnostic
    assert len(list((tmp_path / "cache" / "stories").rglob("*.json.z"))) == len(fresh)


def test_cached_and_uncached_builds_are_byte_identical(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    lib = _library(tmp_path)
    books = {}
    for name, cache in (("none", None), ("cold", tmp_path / "cache"), ("warm", tmp_path / "cache")):
        result = build([lib], BuildOptions(out_dir=tmp_path / name, formats=("epub",), cache=cache))
        assert not result.errors, result.errors
        books[name] = result.written[0].read_bytes()
    assert books["none"] == books["cold"] == books["warm"]


def test_a_changed_input_or_sidecar_is_read_again(tmp_path: Path) -> None:
    lib = _library(tmp_path)
    cache = tmp_path / "cache"
    load_stories([lib], cache=cache)
    (lib / "side.meta.toml").write_text('title = "A New Title"\n', encoding="utf-8")
    text = (lib / "004_9a223c5f57314a43.txt").read_text(encoding="utf-8")
    (lib / "004_9a223c5f57314a43.txt").write_text(text.replace("Losing Grip", "Losing Hold"), encoding="utf-8")
    stories, _ = load_stories([lib], cache=cache)
    titles = {Path(s.source).name: s.meta.title for s in stories}
    assert titles["side.txt"] == "A New Title" and titles["004_9a223c5f57314a43.txt"] == "Losing Hold"
    assert stories == load_stories([lib])[0]


@pytest.mark.parametrize("damage", ["truncated", "garbage", "foreign", "code"])
def test_a_damaged_or_foreign_entry_is_ignored_and_rebuilt(tmp_path: Path, damage: str) -> None:
    lib = _library(tmp_path)
    cache = tmp_path / "cache"
    fresh, _ = load_stories([lib], cache=cache)
    entries = sorted((cache / "stories").rglob("*.json.z"))
    import json
    import zlib
    for i, entry in enumerate(entries):
        data = entry.read_bytes()
        if damage == "truncated":
            entry.write_bytes(data[: len(data) // 2])
        elif damage == "garbage":
            entry.write_bytes(os.urandom(64))
        elif damage == "foreign":  # another entry's contents under this name
            entry.write_bytes(entries[(i + 1) % len(entries)].read_bytes() if len(entries) > 1 else b"")
        else:  # an entry that names a type outside the model: data is never code
            record = json.loads(zlib.decompress(data))
            record["story"]["_"] = "os.system"
            entry.write_bytes(zlib.compress(json.dumps(record).encode()))
    again, errors = load_stories([lib], cache=cache)
    assert not errors and again == fresh
    store = StoryCache(cache)
    assert all(store.load(e.name[:-len(".json.z")]) is not None for e in entries)  # written again, whole


def test_a_killed_build_and_two_builds_at_once_leave_a_usable_cache(tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    from conftest import ROOT
    lib = _library(tmp_path)
    cache = tmp_path / "cache"
    env = {**os.environ, "BOOKBINDER_CACHE_DIR": str(cache)}
    killed = subprocess.Popen([sys.executable, "-m", "bookbinder", "build", str(lib), "-o", str(tmp_path / "k")],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    killed.kill()
    killed.wait()
    both = [subprocess.Popen([sys.executable, "-m", "bookbinder", "build", str(lib), "-o", str(tmp_path / f"o{i}")],
                             env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for i in range(2)]
    for p in both:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    first, second = (next((tmp_path / f"o{i}").glob("*.epub")) for i in range(2))
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        assert {n: a.read(n) for n in a.namelist()} == {n: b.read(n) for n in b.namelist()}
    stories, errors = load_stories([lib], cache=cache)
    assert not errors and stories == load_stories([lib])[0]


def test_the_command_line_uses_the_cache_and_no_cache_keeps_nothing(tmp_path: Path) -> None:
    from conftest import run

    cache = tmp_path / "cache"
    result = run("build", str(SEEDS), "-o", str(tmp_path / "a"), "--cache-dir", str(cache))
    assert result.returncode == 0, result.stderr
    assert len(list((cache / "stories").rglob("*.json.z"))) == 5
    assert len(list((cache / "cards").rglob("*.json.z"))) == 5
    other = tmp_path / "other"
    result = run("build", str(SEEDS), "-o", str(tmp_path / "b"), "--cache-dir", str(other), "--no-cache")
    assert result.returncode == 0 and not other.exists()


def test_a_book_whose_inputs_are_unchanged_is_not_made_again(tmp_path: Path) -> None:
    lib = _library(tmp_path)
    cache, out = tmp_path / "cache", tmp_path / "out"
    first = build([lib], BuildOptions(out_dir=out, by="pairing", cache=cache))
    assert not first.errors and not first.up_to_date and len(first.written) >= 2
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in first.written}
    again = build([lib], BuildOptions(out_dir=out, by="pairing", cache=cache))
    assert sorted(again.up_to_date) == sorted(first.written)
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in again.written} == before  # not even touched
    # One story changes: only its book is made again. A book file changed by hand is made again too.
    (lib / "ao3.html").write_text((lib / "ao3.html").read_text(encoding="utf-8").replace("the sea", "the ocean"),
                                  encoding="utf-8")
    tampered = next(p for p in first.written if "kit" in p.name)  # the sidecar story's book: no AO3 story in it
    tampered.write_bytes(b"not a book")
    third = build([lib], BuildOptions(out_dir=out, by="pairing", cache=cache))
    remade = set(third.written) - set(third.up_to_date)
    assert tampered in remade and third.up_to_date and not set(third.up_to_date) & remade
    assert tampered.read_bytes().startswith(b"PK")
    fresh = build([lib], BuildOptions(out_dir=tmp_path / "fresh", by="pairing"))
    assert {p.name: p.read_bytes() for p in fresh.written} == {p.name: p.read_bytes() for p in third.written}


def test_a_pdf_lays_out_only_the_story_added_and_is_the_same_book(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    lib = tmp_path / "lib"
    lib.mkdir()
    for p in sorted(SEEDS.glob("*.txt"))[:4]:
        shutil.copy(p, lib / p.name)
    cache = tmp_path / "cache"
    options = BuildOptions(formats=("pdf",), out_dir=tmp_path / "cached", cache=cache)
    assert not build([lib], options).errors
    assert len(list((cache / "parts").glob("*.pdf"))) == 4
    shutil.copy(sorted(SEEDS.glob("*.txt"))[4], lib / "zz-added.txt")
    warm = build([lib], options)  # four parts from the cache, one laid out
    assert not warm.errors
    assert len(list((cache / "parts").glob("*.pdf"))) == 5
    fresh = build([lib], BuildOptions(formats=("pdf",), out_dir=tmp_path / "fresh"))
    assert warm.written[0].read_bytes() == fresh.written[0].read_bytes()

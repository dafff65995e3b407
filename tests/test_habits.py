"""The flags calibre's, pandoc's and FanFicFare's users reach for first (issue 12), run as a user
runs them: the real command, its files, its output and its exit status."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from conftest import SEEDS, epubcheck_many, png
from test_cli import run

SEED = SEEDS / "004_9a223c5f57314a43.txt"
NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "x": "http://www.w3.org/1999/xhtml"}


def _opf(book: Path) -> etree._Element:
    with zipfile.ZipFile(book) as z:
        return etree.fromstring(z.read("EPUB/content.opf"))


@pytest.fixture(scope="module")
def dressed(tmp_path_factory) -> dict[str, Path]:
    """One story and the seeds' anthology built with every book flag; their epubcheck reports."""
    folder = tmp_path_factory.mktemp("dressed")
    (folder / "cover.png").write_bytes(png())
    (folder / "mine.css").write_text("@import url(http://203.0.113.7/a.css);\np { color: #222; }\n"
                                     "h1 { background: url(http://203.0.113.7/x.png) no-repeat; }\n", encoding="utf-8")
    flags = ["--author", "Ann Thology", "--series", "Tides", "--series-index", "2", "--publisher", "Zine Press",
             "--date", "May 1 2024", "--language", "en-GB", "-M", "subject=Hospital AU", "-M", "description=Five."]
    books = {}
    for name, inputs, extra in (("one", [str(SEED)], ["--cover", str(folder / "cover.png"), "--css",
                                                      str(folder / "mine.css")]),
                                ("many", [str(SEEDS)], [])):
        result = run("build", *inputs, "-o", str(folder / f"{name}.epub"), *flags, *extra)
        assert result.returncode == 0, result.stderr
        books[name] = folder / f"{name}.epub"
        books[name + "-stderr"] = result.stderr
    pdf = run("build", str(SEED), "-o", str(folder / "one.pdf"), *flags)
    assert pdf.returncode == 0, pdf.stderr
    books["pdf"] = folder / "one.pdf"
    books["checks"] = epubcheck_many([books["one"], books["many"]])
    return books


@pytest.mark.parametrize("name", ["one", "many"])
def test_book_flags_reach_the_package(dressed, name: str) -> None:
    opf = _opf(dressed[name])
    text = lambda path: [e.text for e in opf.iterfind(path, NS)]  # noqa: E731
    assert text(".//dc:creator") == ["Ann Thology"]  # a real creator, not a contributor
    assert text(".//dc:publisher") == ["Zine Press"] and text(".//dc:date") == ["2024-05-01"]
    assert text(".//dc:language") == ["en-gb"] or text(".//dc:language") == ["en-GB"]
    assert "Hospital AU" in text(".//dc:subject") and text(".//dc:description") == ["Five."]
    series = opf.find(".//opf:meta[@property='belongs-to-collection']", NS)
    assert series is not None and series.text == "Tides"
    refines = {m.get("property"): m.text for m in opf.iterfind(f".//opf:meta[@refines='#{series.get('id')}']", NS)}
    assert refines == {"collection-type": "series", "group-position": "2"}
    report = dressed["checks"][str(dressed[name])]
    assert (report["fatal"], report["errors"], report["warnings"]) == (0, 0, 0), report


def test_author_is_the_pdf_author(dressed) -> None:
    info = PdfReader(dressed["pdf"]).metadata
    assert info.author == "Ann Thology" and info.title == "Losing Grip"


def test_cover_image_is_the_users_even_for_one_story(dressed) -> None:
    with zipfile.ZipFile(dressed["one"]) as z:
        names = z.namelist()
        assert z.read("EPUB/images/cover.png") == png()
        cover = etree.fromstring(z.read("EPUB/text/cover.xhtml"))
    assert cover.find(".//x:img", NS).get("src") == "../images/cover.png"
    item = _opf(dressed["one"]).find(".//opf:item[@properties='cover-image']", NS)
    assert item is not None and item.get("href") == "images/cover.png"
    assert "EPUB/text/story-001.xhtml" in names


def test_css_comes_after_the_books_own_and_reaches_nothing_outside(dressed) -> None:
    with zipfile.ZipFile(dressed["one"]) as z:
        css = z.read("EPUB/styles/user.css").decode()
        page = etree.fromstring(z.read("EPUB/text/story-001.xhtml"))
    links = [link.get("href") for link in page.iterfind(".//x:link", NS)]
    assert links == ["../styles/base.css", "../styles/epub.css", "../styles/user.css"]
    assert "color: #222" in css and "203.0.113.7" not in css and "@import" not in css
    assert "--css" in dressed["one-stderr"] and "2 url() or @imports left out" in dressed["one-stderr"]


@pytest.mark.parametrize("flags, said", [
    (["--cover", "README.md"], "--cover README.md: not a PNG, JPEG, GIF or WebP image"),
    (["--cover", "nowhere.png"], "--cover nowhere.png: cannot be read"),
    (["--date", "soon"], "--date 'soon': not a date; write it as 2024-05-01"),
    (["--language", "klingonese"], "--language 'klingonese': not a language"),
    (["--series-index", "two"], "--series-index 'two': a number"),
    (["-M", "colour=red"], "--metadata 'colour=red': write KEY=VALUE with KEY one of"),
])
def test_bad_book_flags_are_one_line_and_exit_2(tmp_path: Path, flags: list[str], said: str) -> None:
    result = run("build", str(SEED), "-o", str(tmp_path), *flags)
    assert result.returncode == 2
    line, = result.stderr.strip().splitlines()
    assert line.startswith(f"bookbinder: {said}"), line
    assert not list(tmp_path.iterdir())  # nothing read, nothing written


def test_metadata_title_and_editor_as_pandoc_takes_them(tmp_path: Path) -> None:
    result = run("build", str(SEEDS), "-o", str(tmp_path), "-M", "title=Winter Reading", "-M", "editor=archivist")
    assert result.returncode == 0, result.stderr
    opf = _opf(tmp_path / "winter-reading.epub")
    assert opf.findtext(".//dc:title", namespaces=NS) == "Winter Reading"
    assert [e.text for e in opf.iterfind(".//dc:contributor", NS)] == ["archivist"]

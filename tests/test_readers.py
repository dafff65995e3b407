"""Inputs beyond plain text: one work in three AO3 layouts, FanFicFare output, and hostile files."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from bookbinder.api import build
from bookbinder.cli import cli
from bookbinder.errors import InputError
from bookbinder.pipeline import load_story
from bookbinder.readers import epub as epub_reader
from bookbinder.render import render_story, serialize

from conftest import CASES, CONTAINER, image_epub, make_epub, opf, png, words

DOWNLOAD, EPUB, WORK_PAGE = (CASES / "ao3-download" / "input.html", CASES / "ao3-epub" / "input.epub",
                              CASES / "ao3-work-page" / "input.html")


def _shape(path: Path) -> dict:
    story = load_story(path)
    return {
        "title": story.meta.title, "authors": story.meta.authors, "pairings": [str(p) for p in story.meta.pairings],
        "chapters": [(c.label, c.title, [type(b).__name__ for b in c.blocks]) for c in story.chapters],
        "body": words(story.body_text),
        "notes": [words(n.text) for n in story.meta.notes + story.meta.end_notes],
        "chapter notes": [[words(n.text) for n in c.notes + c.end_notes] for c in story.chapters],
        "summaries": [words(" ".join(b.text for b in c.summary)) for c in story.chapters],
    }


def test_ao3_download_epub_and_saved_page_are_one_story() -> None:
    download = _shape(DOWNLOAD)
    assert _shape(EPUB) == download
    assert _shape(WORK_PAGE) == download
    assert [c[:2] for c in download["chapters"]] == [("Chapter 1", "The Drive"), ("Chapter 2", "The Sea")]
    assert [c[2].count("SceneBreak") for c in download["chapters"]] == [1, 1]
    assert download["chapter notes"][0] == [words("Disclaimer: I own nothing."), words("Next chapter: the beach.")]


def test_saved_page_loses_site_furniture_but_not_the_story(tmp_path: Path) -> None:
    story = load_story(WORK_PAGE)
    text = " ".join(etree.parse(str(_written(story, tmp_path))).getroot().itertext())
    for cruft in ("Kudos", "left kudos", "I love this so much", "Terms of Service", "Chapter Text",
                  "Posted originally", "See the end of the work", "tracking"):
        assert cruft not in text
    assert "Lexie laughed until she cried" in text.replace("\u2019", "'")
    dropped = " ".join(d.text for d in story.diagnostics if d.code == "cruft-dropped")
    assert "I love this so much!" in dropped and "Terms of Service" in dropped


def test_fanficfare_html_and_epub_agree() -> None:
    html, book = _shape(CASES / "fanficfare-html" / "input.html"), _shape(CASES / "fanficfare-epub" / "input.epub")
    for shape in (html, book):  # FanFicFare's test site stamps each chapter with the time it was made
        shape["body"] = [w for w in shape["body"] if not w.isdigit()]
    assert html == book
    story = load_story(CASES / "fanficfare-epub" / "input.epub")
    assert story.meta.fandoms == ("Grey's Anatomy",) and story.meta.rating == "Teen And Up Audiences"
    assert "Packaged" not in " ".join(story.meta.tags)


def _written(story, tmp_path: Path) -> Path:
    out = tmp_path / "story.xhtml"
    out.write_bytes(serialize(render_story(story)))
    return out


def test_hostile_html_never_reaches_the_book(tmp_path: Path) -> None:
    source = CASES / "html-ffnet-habits" / "input.html"
    result = build([source], out_dir=tmp_path)
    assert not result.errors
    with zipfile.ZipFile(result.written[0]) as z:
        docs = " ".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
        names = z.namelist()
    for bad in ("<script", "javascript:", "onclick", "onload", "onerror", "onmouseover", "file:", "etc/passwd",
                "<iframe", "example.com", "<form", "document.cookie"):
        assert bad not in docs, bad
    assert not [n for n in names if n.startswith("EPUB/images/") or "/images/" in n and "cover" not in n]
    assert "Everybody knew." in docs and "<u>folded</u>" in docs and "<em>surgical notes</em>" in docs


def test_images_bundled_in_an_input_epub_survive(tmp_path: Path) -> None:
    source = tmp_path / "gulls.epub"
    source.write_bytes(image_epub())
    result = build([source], out_dir=tmp_path / "out")
    assert not result.errors
    with zipfile.ZipFile(result.written[0]) as z:
        images = [n for n in z.namelist() if n.endswith(".png") and "cover" not in n]
        assert len(images) == 1 and z.read(images[0]) == png()
        text = " ".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
    assert 'alt="A gull on a post"' in text and "<em>March</em>" in text
    from conftest import epubcheck_many
    report = epubcheck_many(result.written)
    assert all(r["errors"] == 0 and r["warnings"] == 0 for r in report.values()), report


@pytest.mark.parametrize("entries, problem", [
    ({"mimetype": "application/epub+zip", "../../evil.txt": "x", "META-INF/container.xml": CONTAINER},
     "points outside the book"),
    ({"mimetype": "application/epub+zip", "/etc/cron.d/evil": "x"}, "points outside the book"),
    ({"mimetype": "application/epub+zip", "META-INF/container.xml": "<container><rootfiles"}, "not well-formed XML"),
    ({"mimetype": "application/epub+zip", "META-INF/container.xml": CONTAINER}, "missing from the archive"),
    ({"mimetype": "application/epub+zip", "META-INF/container.xml": CONTAINER,
      "OEBPS/content.opf": opf('<item id="c" href="c.xhtml" media-type="application/xhtml+xml"/>',
                                '<itemref idref="c"/>')}, "missing from the archive"),
    ({"mimetype": "application/epub+zip", "META-INF/container.xml":
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><container>&e;</container>'},
     "names no package document"),
])
def test_hostile_epubs_get_one_line_errors(tmp_path: Path, entries: dict, problem: str) -> None:
    bad = tmp_path / "bad.epub"
    bad.write_bytes(make_epub(entries))
    good = EPUB
    result = CliRunner().invoke(cli, ["build", str(bad), str(good), "--by", "author", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if "bad.epub" in line]
    assert len(errors) == 1 and problem in errors[0], result.stderr
    assert "Traceback" not in result.stderr and "root:" not in result.stderr
    assert list((tmp_path / "out").glob("*.epub")), "the good book still builds"
    assert not (tmp_path / "evil.txt").exists() and not Path("/etc/cron.d/evil").exists()


def test_zip_bomb_is_refused_without_inflating_it(tmp_path: Path, monkeypatch) -> None:
    """A 1 GB entry that compresses to about 1 MB: refused by its declared size, before any inflating."""
    bomb = tmp_path / "bomb.epub"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("META-INF/container.xml", CONTAINER)
        with z.open("OEBPS/zeros.xhtml", "w", force_zip64=True) as entry:
            block = b"\0" * (1 << 20)
            for _ in range(1024):
                entry.write(block)
    assert bomb.stat().st_size < 4 << 20
    result = CliRunner().invoke(cli, ["inspect", "--json", str(bomb)])
    assert result.exit_code == 1 and "expand to more than" in result.stderr


def test_entry_limit_counts_the_bytes_inflated(tmp_path: Path, monkeypatch) -> None:
    """An entry over the limit is refused by its declared size; and, should a header understate it,
    while it inflates (the limit is checked on the bytes actually inflated)."""
    monkeypatch.setattr(epub_reader, "MAX_ENTRY", 1 << 20)
    source = tmp_path / "big.epub"
    big = '<html><body><p>' + "word " * 400_000 + '</p></body></html>'
    data = make_epub({"mimetype": "application/epub+zip", "META-INF/container.xml": CONTAINER,
                      "OEBPS/content.opf": opf('<item id="c" href="c.xhtml" media-type="application/xhtml+xml"/>',
                                               '<itemref idref="c"/>'), "OEBPS/c.xhtml": big})
    source.write_bytes(data)
    result = CliRunner().invoke(cli, ["inspect", "--json", str(source)])
    assert result.exit_code == 1 and "would expand to more than 1 MB" in result.stderr
    monkeypatch.setattr(epub_reader, "MAX_ENTRY", 64 << 20)
    archive = epub_reader._Archive(data, str(source))  # passes the declared-size check...
    monkeypatch.setattr(epub_reader, "MAX_ENTRY", 1 << 20)  # ...as an understated header would
    with pytest.raises(InputError, match="expands past the size limit"):
        archive.read("OEBPS/c.xhtml")


def test_markdown_headings_rules_and_emphasis() -> None:
    story = load_story(CASES / "markdown-chapters" / "input.md")
    assert story.meta.title == "Small Hours" and len(story.chapters) == 2 and story.scene_breaks == 1
    assert [str(p) for p in story.meta.pairings] == ["Lexie Grey/Mark Sloan"]


def test_pdf_text_pages_are_rejoined() -> None:
    story = load_story(CASES / "pdf-text" / "input.txt")
    assert "some thing" not in story.body_text and "something that will not come" in story.body_text
    assert "The Long Road" not in story.body_text


def test_downloads_join_text_stories_in_per_pairing_books(tmp_path: Path) -> None:
    """An AO3 EPUB regroups with the plain-text seeds: it lands in the Lexie Grey/Mark Sloan book."""
    from conftest import SEEDS

    result = build(sorted(SEEDS.glob("*.txt")) + [EPUB], out_dir=tmp_path, by="pairing")
    assert not result.errors
    book = next(p for p in result.written if p.name == "lexie-grey-mark-sloan.epub")
    with zipfile.ZipFile(book) as z:
        text = " ".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
    assert "Salt &amp; Iron" in text and "Lexie laughed until she cried" in text.replace("\u2019", "'")

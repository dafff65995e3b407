"""The book a reader's library keeps (issue 27): what the story states reaches the package as calibre
and EPUB 3 read it; the PDF's Info and XMP say the same; an e-reader's shape (a document per
chapter, the nav no page, EPUB 2's cover and guide, a scene break without generated content); a
stable identity; covers and credits that name people and sources, never the tool or a file name.

The calibre checks run where calibre is installed (`ebook-meta`, `calibredb`), and are skipped
elsewhere.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from bookbinder.api import BuildOptions, build
from bookbinder.compose import pieces
from bookbinder.model import Paragraph, SceneBreak

from conftest import CASES, SEEDS

NS = {"x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf",
      "dc": "http://purl.org/dc/elements/1.1/", "epub": "http://www.idpf.org/2007/ops"}
AO3 = CASES / "ao3-download" / "input.html"  # "Salt & Iron": part 2 of Tides, /works/424242, 2 chapters
CALIBRE = shutil.which("ebook-meta") and shutil.which("calibredb")


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("library")
    made = {}
    for fmt in ("epub", "pdf"):
        result = build([AO3], BuildOptions(formats=(fmt,), out_dir=out / fmt))
        assert not result.errors, result.errors
        made[fmt] = result.written[0]
    long = out / "long.md"  # one chapter of about 600 KB: cut into pieces
    scenes = ["\n\n".join(f"Paragraph {s}.{i} " + "of the long night " * 30 for i in range(120)) for s in range(6)]
    long.write_text("---\ntitle: The Long Night\nauthor: A. Writer\n---\n\n# One\n\n" + "\n\n* * *\n\n".join(scenes)
                    + "\n\n# Two\n\nThe morning came.\n", encoding="utf-8")
    made["long"] = build([long], BuildOptions(out_dir=out / "long")).written[0]
    return made


def _opf(book: Path) -> etree._Element:
    with zipfile.ZipFile(book) as z:
        return etree.fromstring(z.read("EPUB/content.opf"))


def _documents(book: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(book) as z:
        return {n: z.read(n) for n in z.namelist() if n.endswith(".xhtml")}


def test_everything_the_story_states_reaches_the_package(books) -> None:
    opf = _opf(books["epub"])
    meta = opf.find("opf:metadata", NS)
    text = etree.tostring(meta, encoding="unicode")
    assert meta.findtext("dc:date", namespaces=NS) == "2012-06-01T00:00:00Z"  # published
    assert '<meta property="dcterms:modified">2012-06-15T00:00:00Z</meta>' in text  # updated
    ids = [e.text for e in meta.iterfind("dc:identifier", NS)]
    assert "ao3:424242" in ids and "url:https://archiveofourown.org/works/424242" in ids
    assert meta.findtext("dc:source", namespaces=NS) == "https://archiveofourown.org/works/424242"
    assert '<meta name="calibre:series" content="Tides"/>' in text
    assert '<meta name="calibre:series_index" content="2"/>' in text
    assert re.search(r'<meta property="group-position" refines="#series">2</meta>', text)
    subjects = [e.text for e in meta.iterfind("dc:subject", NS)]
    # AO3's own order: rating, category, warnings, fandoms, relationships, characters, tags; then status
    assert subjects[:5] == ["Teen And Up Audiences", "F/M", "No Archive Warnings Apply", "Grey's Anatomy",
                            "Lexie Grey/Mark Sloan"]
    assert "Mark Sloan" in subjects and subjects[-1] == "Complete"
    assert meta.findtext("dc:description", namespaces=NS).startswith("Lexie has never seen the sea.")
    assert meta.find("dc:publisher", NS) is None  # nobody published it: the tool is the generator
    assert '<meta name="generator" content="bookbinder' in text


def test_an_e_readers_shape(books) -> None:
    opf = _opf(books["epub"])
    spine = [i.get("idref") for i in opf.iterfind(".//opf:itemref", NS)]
    assert "nav" not in spine and spine == ["cover", "story-001-title", "contents", "story-001", "story-001-02"]
    assert opf.find(".//opf:meta[@name='cover']", NS).get("content") == "cover-image"
    assert [r.get("type") for r in opf.iterfind(".//opf:guide/opf:reference", NS)] == ["cover", "title-page", "toc", "text"]
    docs = _documents(books["epub"])
    nav = etree.fromstring(docs["EPUB/nav.xhtml"])
    assert nav.find(".//x:nav[@epub:type='landmarks']", NS).get("hidden") is not None
    assert nav.find(".//x:link[@rel='stylesheet']", NS) is not None
    for name in ("EPUB/text/story-001.xhtml", "EPUB/text/story-001-02.xhtml"):  # one document per chapter
        assert len(etree.fromstring(docs[name]).findall(".//x:section[@epub:type='chapter']", NS)) == 1


def test_a_long_chapter_is_cut_into_documents_at_scene_breaks(books, epubcheck) -> None:
    docs = {n: d for n, d in _documents(books["long"]).items() if "/story-001" in n and "title" not in n}
    assert len(docs) >= 4 and all(len(d) < 260_000 for d in docs.values())
    for name, data in docs.items():
        root = etree.fromstring(data)
        assert root.find(".//x:section[@epub:type='chapter']", NS) is not None, name
    pieces_of_one = [n for n in docs if re.search(r"story-001(-\d)?\.xhtml$", n)]
    for name in pieces_of_one[1:]:  # a piece after the first opens at the scene break it was cut at
        first = etree.fromstring(docs[name]).find(".//x:section[@epub:type='chapter']", NS)[0]
        assert etree.QName(first).localname == "hr", name
    report = epubcheck([books["long"]])[str(books["long"])]
    assert (report["fatal"], report["errors"], report["warnings"]) == (0, 0, 0), report


def test_a_chapter_in_pieces_reads_back_as_one(books, tmp_path: Path) -> None:
    from bookbinder.pipeline import load_story

    source = next(books["long"].parent.parent.glob("long.md"))
    back, first = load_story(books["long"]), load_story(source)
    assert [c.heading for c in back.chapters] == [c.heading for c in first.chapters] == ["One", "Two"]
    def unmarked(blocks):  # a break's marker in the source ("* * *") is drawn by the book's own ornament
        return [SceneBreak() if isinstance(b, SceneBreak) else b for b in blocks]
    assert unmarked(back.chapters[0].blocks) == unmarked(first.chapters[0].blocks)  # every piece, the breaks


def test_pieces_cut_at_the_last_scene_break_else_between_paragraphs() -> None:
    para = Paragraph(("x" * 968,))  # 1000 bytes with the estimate's markup
    assert pieces((para,) * 5, limit=2500) == [(0, 2), (2, 4), (4, 5)]
    blocks = (para, para, SceneBreak(), para, para, para)
    assert pieces(blocks, limit=3500) == [(0, 2), (2, 6)]
    assert pieces((), limit=10) == [(0, 0)]


def test_a_scene_break_shows_without_generated_content(books, tmp_path: Path) -> None:
    story = next(d for n, d in _documents(books["long"]).items() if n.endswith("story-001.xhtml"))
    root = etree.fromstring(story)
    hr = root.find(".//x:hr[@class='scene-break']", NS)
    ornament = hr.getnext()
    assert ornament.get("class") == "scene-ornament" and ornament.get("aria-hidden") == "true" and ornament.text.strip()
    subprocess.run([sys.executable, "-m", "bookbinder", "normalize", str(SEEDS / "004_9a223c5f57314a43.txt"), "-o", str(tmp_path)],
                   check=True)
    assert b"scene-ornament" not in next(tmp_path.glob("*.xhtml")).read_bytes()  # the story document: a bare <hr>


def test_the_pdf_says_the_same_in_info_and_xmp(books) -> None:
    with pikepdf.open(books["pdf"]) as pdf:
        info = {k: str(v) for k, v in pdf.docinfo.items()}
        xmp = etree.fromstring(pdf.Root.Metadata.read_bytes())
    rdf = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "dc": NS["dc"],
           "pdf": "http://ns.adobe.com/pdf/1.3/"}
    assert "/Subject" not in info  # calibre made the summary a tag
    assert xmp.findtext(".//dc:description//rdf:li", namespaces=rdf).startswith("Lexie has never seen the sea.")
    assert info["/Title"] == xmp.findtext(".//dc:title//rdf:li", namespaces=rdf) == "Salt & Iron"
    assert info["/Author"] == xmp.findtext(".//dc:creator//rdf:li", namespaces=rdf) == "quietmorning"
    assert info["/Keywords"] == xmp.findtext(".//pdf:Keywords", namespaces=rdf)
    assert "Grey's Anatomy" in info["/Keywords"]


def test_a_book_made_again_with_one_more_story_keeps_its_identifier(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    ids = []
    for n in (4, 5):
        folder = tmp_path / f"in{n}"
        folder.mkdir()
        for seed in seeds[:n]:
            shutil.copy(seed, folder / seed.name)
        book = build([folder], BuildOptions(out_dir=tmp_path / f"out{n}", title="Winter Reading")).written[0]
        ids.append(_opf(book).findtext(".//dc:identifier[@id='id']", namespaces=NS))
    assert ids[0] == ids[1] and ids[0].startswith("urn:uuid:")
    other = build([tmp_path / "in4"], BuildOptions(out_dir=tmp_path / "other", title="Summer Reading")).written[0]
    assert _opf(other).findtext(".//dc:identifier[@id='id']", namespaces=NS) != ids[0]


def test_a_single_story_has_a_front_of_its_own(books, tmp_path: Path) -> None:
    docs = _documents(books["epub"])
    everything = b" ".join(docs.values()).decode()
    assert "collection of one" not in everything and "bookbinder" not in docs["EPUB/text/cover.xhtml"].decode()
    assert "Cover: Salt &amp; Iron, by quietmorning" in docs["EPUB/text/cover.xhtml"].decode()
    result = build([SEEDS], BuildOptions(out_dir=tmp_path, title="Seeds"))
    credits = _documents(result.written[0])["EPUB/text/credits.xhtml"].decode()
    assert ".txt" not in credits and credits.count("not stated") == 1


# ------------------------------------------------------------------ what calibre sees
def _ebook_meta(book: Path) -> dict[str, str]:
    out = subprocess.run(["ebook-meta", str(book)], capture_output=True, text=True, timeout=300).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines()) if v}


@pytest.mark.skipif(not CALIBRE, reason="calibre is not installed")
@pytest.mark.parametrize("fmt", ["epub", "pdf"])
def test_calibre_reads_the_book(books, fmt: str) -> None:
    seen = _ebook_meta(books[fmt])
    assert seen["Title"] == "Salt & Iron" and seen["Author(s)"] == "quietmorning"
    assert seen["Series"] == "Tides #2"
    assert seen["Published"].startswith("2012-06-01")
    tags = [t.strip() for t in seen["Tags"].split(",")]
    assert {"Grey's Anatomy", "Mark Sloan", "Teen And Up Audiences"} <= set(tags)
    assert "ao3:424242" in seen["Identifiers"]
    assert seen["Comments"].startswith("Lexie has never seen the sea.")


@pytest.mark.skipif(not CALIBRE, reason="calibre is not installed")
def test_a_calibre_library_keeps_it(books, tmp_path: Path) -> None:
    library = tmp_path / "calibre"
    for fmt in ("epub", "pdf"):
        subprocess.run(["calibredb", "add", "--library-path", str(library), "--duplicates", str(books[fmt])],
                       check=True, capture_output=True, timeout=300)
    listed = subprocess.run(["calibredb", "list", "--library-path", str(library), "--fields", "all",
                             "--for-machine"], check=True, capture_output=True, text=True, timeout=300).stdout
    for record in json.loads(listed):
        assert record["series"] == "Tides" and record["series_index"] == 2
        assert record["pubdate"].startswith("2012-06-01")
        assert record["identifiers"].get("ao3") == "424242"
        assert "Mark Sloan" in record["tags"]

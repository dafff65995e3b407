"""Every format a fan-fiction reader has (issue 25): PDF, MOBI, AZW3, DOCX, ODT, RTF and FB2.

Each format is read from a real file where one exists (AO3's own downloads and other real files,
fetched by tests/corpus/fetch.py, never committed) and from a made one: the AO3 HTML download
of the same work turned into DOCX, ODT, RTF and FB2 by pandoc here, at test time. The made files
are golden cases whose expected output is the HTML download's own reading: the same title,
authors and chapter headings, and at least 95% of its story words (90% for PDF; in practice all
of them). No real AO3 DOCX, ODT, RTF or FB2 exists in the registries, so these are made files,
and a rule tuned on them alone would prove nothing about real ones.
"""
from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from bookbinder.accounting import words
from bookbinder.errors import InputError
from bookbinder.readers import format_of, read_data, read_path

import pdf_view

CORPUS = Path(__file__).parent / "corpus"
WORKS = ("oneshot", "series", "wip")


@pytest.fixture(scope="module")
def fetched() -> Path:
    """The corpus's real files; skipped (failed in CI) when the registries cannot be reached."""
    sys.path.insert(0, str(CORPUS))
    from fetch import FETCHED, fetch

    try:
        fetch()
    except (OSError, SystemExit) as exc:
        if os.environ.get("BOOKBINDER_CI"):
            pytest.fail(f"the corpus could not be fetched in CI: {exc}")
        pytest.skip(f"the corpus's real files could not be fetched (no registry reachable?): {exc}")
    return FETCHED


def _pandoc() -> str | None:
    """The pandoc that the test extra installs (pypandoc-binary ships one), else one on PATH."""
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return shutil.which("pandoc")


@pytest.fixture(scope="module")
def made(fetched: Path, tmp_path_factory) -> Path:
    """MADE FILES: each AO3 HTML download converted by pandoc to DOCX, ODT, RTF and FB2 (and FB2.zip)."""
    pandoc = _pandoc()
    if pandoc is None:
        if os.environ.get("BOOKBINDER_CI"):
            pytest.fail("pandoc, which makes the DOCX, ODT, RTF and FB2 cases, is missing in CI")
        pytest.skip("pandoc is not installed (pip install -e '.[test]'): it makes the DOCX, ODT, RTF and FB2 cases")
    folder = tmp_path_factory.mktemp("made")
    for work in WORKS:
        html = fetched / f"ao3-download-{work}.html"
        for fmt in ("docx", "odt", "rtf"):
            subprocess.run([pandoc, "-f", "html", "-t", fmt, "-s", str(html), "-o", str(folder / f"{work}.{fmt}")],
                           check=True, timeout=120)
        # pandoc's FB2 writer drops headings nested in <div>s (all of AO3's): read the divs as plain blocks
        subprocess.run([pandoc, "-f", "html-native_divs", "-t", "fb2", "-s", str(html), "-o",
                        str(folder / f"{work}.fb2")], check=True, timeout=120)
        with zipfile.ZipFile(folder / f"{work}.fb2.zip", "w", zipfile.ZIP_DEFLATED) as z:
            z.write(folder / f"{work}.fb2", f"{work}.fb2")
    return folder


def _html(fetched: Path, work: str):
    return read_path(fetched / f"ao3-download-{work}.html")


def _kept(story, reference) -> float:
    """The share of the reference's story words (body text, with counts) that the story keeps."""
    want, got = Counter(words(reference.body_text)), Counter(words(story.body_text))
    return sum((want & got).values()) / sum(want.values())


def _same_story(story, reference, floor: float) -> None:
    assert story.meta.title == reference.meta.title
    assert story.meta.authors == reference.meta.authors
    assert len(story.chapters) == len(reference.chapters)
    assert _kept(story, reference) >= floor, _kept(story, reference)


# ------------------------------------------------------------------ real files
@pytest.mark.parametrize("work", WORKS)
@pytest.mark.parametrize("suffix", [".mobi", ".azw3"])
def test_ao3_kindle_downloads_read_as_the_html_download(fetched: Path, work: str, suffix: str) -> None:
    story, reference = read_path(fetched / f"ao3-download-{work}{suffix}"), _html(fetched, work)
    _same_story(story, reference, 0.95)
    assert [c.heading for c in story.chapters] == [c.heading for c in reference.chapters] or suffix == ".mobi"
    assert story.meta.rating == reference.meta.rating and story.meta.fandoms == reference.meta.fandoms


@pytest.mark.parametrize("work", WORKS)
def test_ao3_pdf_download_reads_as_the_html_download(fetched: Path, work: str) -> None:
    story, reference = read_path(fetched / f"ao3-download-{work}.pdf"), _html(fetched, work)
    _same_story(story, reference, 0.90)
    assert story.meta.rating == reference.meta.rating


@pytest.mark.parametrize("work", [*WORKS, "tagwall"])
def test_a_pdf_and_its_text_give_the_same_story(fetched: Path, work: str, tmp_path: Path) -> None:
    """The PDF, and its text saved as pdftotext saves it (lines, a form feed after each page, no
    positions: tests/pdf_view.py), read as a text file. Text from pdftotext itself is in the
    corpus (tests/corpus/made/*.pdf.txt, *.layout.txt) and tests/test_text_conventions.py."""
    pdf = fetched / f"ao3-download-{work}.pdf"
    text = tmp_path / f"{work}.txt"
    text.write_text(pdf_view.text(pdf), encoding="utf-8")
    story, from_text = read_path(pdf), read_path(text)
    assert story.meta.title == from_text.meta.title and story.meta.authors == from_text.meta.authors
    assert [c.heading for c in story.chapters] == [c.heading for c in from_text.chapters]
    assert _kept(story, from_text) >= 0.99 and _kept(from_text, story) >= 0.99


def test_other_real_files_read(fetched: Path) -> None:
    """A PDF made by pdfTeX, a scanned book's OCR layer, FB2s from a Russian site and FBReader, an ODT."""
    crazy = read_path(fetched / "pypdf-crazyones.pdf")
    assert crazy.meta.title == "The Crazy Ones" and "misfits" in crazy.body_text
    assert "Vicksburg" in " ".join(c.heading or "" for c in read_path(fetched / "pypdf-vicksburg-ocr.pdf").chapters) \
        or "however, did not last long" in read_path(fetched / "pypdf-vicksburg-ocr.pdf").body_text
    ru = read_path(fetched / "fb2-mrachnost-ru.fb2")
    assert (ru.meta.title, ru.meta.authors, ru.meta.series, ru.meta.language) == (
        "Мрачность +5. Связь Миров", ("Элиан Тарс",), "Мрачность", "ru")
    assert ru.meta.summary and len(ru.chapters) >= 32
    help_book = read_path(fetched / "fbreader-minihelp-en.fb2")  # an undeclared entity: read with recovery, said
    assert help_book.meta.title == "About FBReader" and "fb2-repaired" in {d.code for d in help_book.diagnostics}
    poem = read_path(fetched / "odfpy-serious-poem.odt")
    assert poem.body_text.split("\n")[0].split() == "The boy stood on the burning deck,".split()


# ------------------------------------------------------------------ made files
@pytest.mark.parametrize("work", WORKS)
@pytest.mark.parametrize("suffix", [".docx", ".odt", ".rtf", ".fb2", ".fb2.zip"])
def test_made_files_read_as_the_html_download(fetched: Path, made: Path, work: str, suffix: str) -> None:
    story, reference = read_path(made / f"{work}{suffix}"), _html(fetched, work)
    _same_story(story, reference, 0.95)
    assert [c.heading for c in story.chapters] == [c.heading for c in reference.chapters]
    assert (story.meta.rating, story.meta.fandoms, story.meta.summary) == (
        reference.meta.rating, reference.meta.fandoms, reference.meta.summary)


def test_formats_are_found_from_their_content(made: Path, fetched: Path) -> None:
    """Standard input has no name: the first bytes tell the format."""
    for path, fmt in [(made / "wip.docx", "docx"), (made / "wip.odt", "odt"), (made / "wip.rtf", "rtf"),
                      (made / "wip.fb2", "fb2"), (made / "wip.fb2.zip", "fb2"),
                      (fetched / "ao3-download-wip.mobi", "mobi"), (fetched / "ao3-download-wip.azw3", "mobi"),
                      (fetched / "ao3-download-wip.pdf", "pdf"), (fetched / "ao3-download-wip.epub", "epub")]:
        assert format_of(Path("-"), path.read_bytes()) == fmt, path


def test_docx_emphasis_notes_and_page_breaks(tmp_path: Path) -> None:
    docx = _docx('<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Chapter 1</w:t></w:r></w:p>'
                 '<w:p><w:r><w:t xml:space="preserve">She was </w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>very</w:t>'
                 '</w:r><w:r><w:t xml:space="preserve"> late.</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>'
                 '<w:p><w:r><w:br w:type="page"/></w:r></w:p><w:p><w:r><w:t>Later, the rain.</w:t></w:r></w:p>',
                 '<w:footnote w:id="1"><w:p><w:r><w:t>A note on lateness.</w:t></w:r></w:p></w:footnote>')
    story = read_data(docx, "story.docx")
    chapter = story.chapters[0]
    assert chapter.heading == "Chapter 1" and "She was very late." in chapter.blocks[0].text
    assert any(getattr(i, "tag", None) == "em" for i in chapter.blocks[0].inlines)
    assert "A note on lateness." in " ".join(b.text for n in story.meta.end_notes for b in n.blocks)
    assert len(chapter.blocks) == 3 and chapter.blocks[1].__class__.__name__ == "SceneBreak"  # the page break


def test_rtf_keeps_emphasis_unicode_and_footnotes() -> None:
    rtf = (rb"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Times;}}{\info{\title The Gull}{\author hedgerow}}"
           rb"{\pard\outlinelevel0\b Chapter 1\par}{\pard She said {\i caf\'e9} and \u8220?no\u8221?.{\footnote "
           rb"A footnote.}\par}{\*\generator Word;}{\pard The end.\par}}")
    story = read_data(rtf, "gull.rtf")
    assert (story.meta.title, story.meta.authors) == ("The Gull", ("hedgerow",))
    assert story.chapters[0].heading == "Chapter 1"
    first = story.chapters[0].blocks[0]
    assert first.text == "She said café and “no”." and any(getattr(i, "tag", None) == "em" for i in first.inlines)
    assert "A footnote." in " ".join(b.text for n in story.meta.end_notes for b in n.blocks)
    assert "Word" not in story.body_text


# ------------------------------------------------------------------ refused in one line
def _refused(data: bytes, name: str, *said: str) -> None:
    with pytest.raises(InputError) as caught:
        read_data(data, name)
    message = caught.value.format_message()
    assert "\n" not in message and name in message, message
    assert all(s in message for s in said), message


def test_drm_and_encrypted_inputs_are_one_line(fetched: Path) -> None:
    mobi = bytearray((fetched / "ao3-download-wip.mobi").read_bytes())
    record0 = struct.unpack_from(">L", mobi, 78)[0]
    struct.pack_into(">H", mobi, record0 + 12, 2)  # the MOBI header's encryption type: Mobipocket DRM
    _refused(bytes(mobi), "locked.mobi", "DRM")
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(fetched / "pypdf-crazyones.pdf"))
    writer.encrypt("secret", "owner")
    out = io.BytesIO()
    writer.write(out)
    _refused(out.getvalue(), "locked.pdf", "password")


def test_a_scanned_pdf_without_text_is_one_line() -> None:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (200, 300), "white").save(out, "PDF")
    _refused(out.getvalue(), "scan.pdf", "no text layer")


@pytest.mark.parametrize("name,entry", [("bomb.docx", "word/document.xml"), ("bomb.odt", "content.xml"),
                                        ("bomb.fb2.zip", "book.fb2")])
def test_zip_bombs_are_refused_in_one_line(name: str, entry: str) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(entry, b"<a>" + b" " * (17 * 1024 * 1024) + b"</a>")
    assert len(out.getvalue()) < 100_000  # a small file that would inflate past every limit
    _refused(out.getvalue(), name, "not a safe")


def test_entities_in_a_docx_are_refused() -> None:
    laughs = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
              '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>'
              '<w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>')
    _refused(_docx(laughs.split("<w:body>")[1].split("</w:body>")[0], document=laughs), "laughs.docx", "DTD")


def test_an_oversized_mobi_record_is_refused_in_one_line() -> None:
    record0 = struct.pack(">HHLHHH", 2, 0, 100_000, 1, 4096, 0) + b"\0" * 2
    text = b"a" * 100_000  # one "4 KB" text record of 100 KB: a decompression time bomb for KindleUnpack
    header = b"story".ljust(32, b"\0") + b"\0" * 28 + b"BOOKMOBI" + b"\0" * 8 + struct.pack(">H", 2)
    table = struct.pack(">LL", 78 + 16 + 2, 0) + struct.pack(">LL", 78 + 16 + 2 + len(record0), 1)
    _refused(header + table + b"\0\0" + record0 + text, "big.mobi", "text record")


# ------------------------------------------------------------------ helpers
def _docx(body: str, footnotes: str = "", document: str | None = None) -> bytes:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                   'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
                   'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                   'wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   f'package/2006/relationships"><Relationship Id="rId1" Type="{r}/officeDocument" '
                   'Target="word/document.xml"/></Relationships>')
        z.writestr("word/_rels/document.xml.rels", f'<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="{r}/footnotes" '
                   'Target="footnotes.xml"/></Relationships>')
        z.writestr("word/document.xml", document or f'<?xml version="1.0"?><w:document {w}><w:body>{body}</w:body>'
                   '</w:document>')
        z.writestr("word/footnotes.xml", f'<?xml version="1.0"?><w:footnotes {w}>{footnotes}</w:footnotes>')
    return out.getvalue()

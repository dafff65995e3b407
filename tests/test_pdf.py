"""The print PDF, checked on the real file (pypdf), not by trusting the CSS."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from bookbinder.api import BuildOptions, build
from bookbinder.backends.fetcher import ResourceFetcher
from bookbinder.backends.pdf import build_fetcher
from bookbinder.backends.print_options import PrintOptions

from conftest import SEEDS

CHAPTERED = Path(__file__).resolve().parent / "corpus" / "made" / "ao3-chaptered.html"  # an AO3 download, 3 chapters


@pytest.fixture(scope="module")
def seeds_pdf_path(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf")
    result = build([SEEDS], BuildOptions(formats=("pdf",), out_dir=out, title="The Seeds"))
    assert not result.errors, result.errors
    return result.written[0]


@pytest.fixture(scope="module")
def seeds_pdf(seeds_pdf_path: Path) -> PdfReader:
    return PdfReader(seeds_pdf_path)


def _text(reader: PdfReader, index: int) -> str:
    return reader.pages[index].extract_text() or ""


def _folio(reader: PdfReader, index: int) -> str | None:
    lines = [line.strip() for line in _text(reader, index).splitlines() if line.strip()]
    return lines[-1] if lines and lines[-1].isdigit() else None


def _contents(reader: PdfReader) -> dict[str, int]:
    page = next(i for i in range(len(reader.pages)) if _text(reader, i).lstrip().startswith("Contents"))
    entries = re.findall(r"^(.+?)[ .]*\.\s*(\d+)$", _text(reader, page), re.MULTILINE)
    return {title.strip(" ."): int(number) for title, number in entries}


def _page_of_folio(reader: PdfReader) -> dict[int, int]:
    """Folio -> page index, for every body page: each printed folio once and all of them one page
    count from the page index, so a page that prints none (a story's title page, a blank verso) is
    counted all the same and its folio known."""
    found: dict[int, int] = {}
    for i in range(len(reader.pages)):
        folio = _folio(reader, i)
        if folio:
            assert int(folio) not in found, f"folio {folio} printed twice"
            found[int(folio)] = i
    offsets = {page - folio for folio, page in found.items()}
    assert len(offsets) == 1, f"folios out of step with the pages: {sorted(found.items())}"
    offset = offsets.pop()
    return {page - offset: page for page in range(offset + 1, len(reader.pages))}


def test_contents_numbers_are_the_printed_folios(seeds_pdf: PdfReader) -> None:
    contents = _contents(seeds_pdf)
    assert len(contents) == 5, contents
    pages = _page_of_folio(seeds_pdf)
    for title, number in contents.items():
        assert number in pages, (title, number)
        assert _text(seeds_pdf, pages[number]).lstrip().startswith(title.split()[0]), (title, number)


def test_every_story_opens_on_a_recto(seeds_pdf: PdfReader) -> None:
    pages = _page_of_folio(seeds_pdf)
    for number in _contents(seeds_pdf).values():
        assert number % 2 == 1 and pages[number] % 2 == 0  # odd folio, and a right-hand page of the PDF


def test_outline_has_every_story_on_its_page(seeds_pdf: PdfReader) -> None:
    contents = _contents(seeds_pdf)
    top = [item for item in seeds_pdf.outline if not isinstance(item, list)]
    pages = _page_of_folio(seeds_pdf)
    stories = {item.title: seeds_pdf.get_destination_page_number(item) for item in top
               if item.title not in {"Contents", "Credits"}}
    assert stories == {title: pages[number] for title, number in contents.items()}
    chapters = [c for item in seeds_pdf.outline if isinstance(item, list) for c in item]
    assert not chapters  # the seeds are one-shots: no chapter level
    assert [item.title for item in top][0] == "Contents" and [item.title for item in top][-1] == "Credits"


def test_blank_versos_carry_no_folio(seeds_pdf: PdfReader) -> None:
    blanks = [i for i in range(len(seeds_pdf.pages)) if not _text(seeds_pdf, i).strip()]
    assert blanks, "the seeds' stories end on rectos at least once, so blank versos exist"
    assert all(i % 2 == 1 for i in blanks)  # 0-based odd index = a left-hand page

def test_chapters_in_the_outline(tmp_path: Path) -> None:
    from conftest import CASES

    result = build([CASES / "ffnet-multichapter" / "input.txt", SEEDS / "004_9a223c5f57314a43.txt"],
                   BuildOptions(formats=("pdf",), out_dir=tmp_path))
    reader = PdfReader(result.written[0])
    outline = reader.outline
    story = outline.index(next(i for i in outline if not isinstance(i, list) and i.title == "Input"))
    chapters = outline[story + 1]
    assert [c.title for c in chapters] == ["Chapter 1: The Letter", "Chapter Two: Diagon Alley"]
    first = reader.get_destination_page_number(chapters[0])
    assert "Harry woke to the sound of rain" in _text(reader, first)


def test_running_heads(seeds_pdf: PdfReader) -> None:
    """Book title on versos, story title on rectos, none on a story's title page or where its text
    opens (a drop folio there; none on the title page)."""
    def margin_lines(index: int) -> list[str]:  # pypdf gives the margin boxes (head, folio) last
        return [line.strip() for line in _text(seeds_pdf, index).splitlines() if line.strip()][-2:]

    pages = _page_of_folio(seeds_pdf)
    opening = pages[_contents(seeds_pdf)["Losing Grip"]]
    assert margin_lines(opening)[0] not in {"The Seeds", "Losing Grip"}
    text_pages = [i for i in range(opening + 1, len(seeds_pdf.pages)) if "There were nights" in _text(seeds_pdf, i)
                  or "Gary Clark" in _text(seeds_pdf, i)]
    assert len(text_pages) > 1
    first, *rest = text_pages
    assert margin_lines(first)[0] not in {"The Seeds", "Losing Grip"}  # the chapter's opening: a folio, no head
    assert _folio(seeds_pdf, first) is not None
    for index in rest:
        folio = int(_folio(seeds_pdf, index))
        head = "The Seeds" if folio % 2 == 0 else "Losing Grip"
        assert margin_lines(index) == [head, str(folio)], (folio, margin_lines(index))


def test_every_font_is_embedded(seeds_pdf: PdfReader) -> None:
    fonts = {}
    for page in seeds_pdf.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            fonts[str(font["/BaseFont"])] = descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    assert any("Bookbinder-Serif" in name for name in fonts)  # Source Serif Pro, not a system fallback


def test_document_metadata(seeds_pdf: PdfReader) -> None:
    info = seeds_pdf.metadata
    assert info.title == "The Seeds" and "Grey's Anatomy" in info.get("/Keywords", "")
    assert seeds_pdf.trailer["/Root"].get("/Lang") == "en"


@pytest.mark.parametrize("size, points", [("a5", (419.5, 595.3)), ("letter", (612, 792)), ("6x9in", (432, 648))])
def test_page_sizes(tmp_path: Path, size: str, points: tuple) -> None:
    result = build([SEEDS / "004_9a223c5f57314a43.txt"],
                   BuildOptions(formats=("pdf",), out_dir=tmp_path, options={"pdf": PrintOptions(page_size=size)}))
    box = PdfReader(result.written[0]).pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == pytest.approx(points, abs=0.6)


def test_tagged_pdf(tmp_path: Path) -> None:
    result = build([SEEDS / "004_9a223c5f57314a43.txt"],
                   BuildOptions(formats=("pdf",), out_dir=tmp_path, options={"pdf": PrintOptions(tagged=True)}))
    root = PdfReader(result.written[0]).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://example.com/x.png", "https://example.com/a.css",
                                 "ftp://example.com/f", "data:text/css,p{}", "bookbinder:fonts/../../etc/passwd",
                                 "bookbinder:/etc/passwd", "bookbinder:fonts/SourceSerifPro-Regular.ttf?x"])
def test_fetcher_refuses_what_the_build_did_not_make(url: str) -> None:
    with pytest.raises(ValueError, match="refuses"):
        build_fetcher().fetch(url)


def test_fetcher_serves_the_book_face() -> None:
    fetcher = build_fetcher()
    response = fetcher.fetch("bookbinder:fonts/SourceSerifPro-Regular.ttf")
    assert response.read()[:4] in {b"\x00\x01\x00\x00", b"true", b"OTTO"}  # a TrueType/OpenType file
    assert ResourceFetcher({"a.css": b"p {}"}).fetch("bookbinder:a.css").read() == b"p {}"


@pytest.mark.parametrize("stories", [[SEEDS / "004_9a223c5f57314a43.txt", SEEDS / "000_eade02fc94876b84.txt"],
                                     [CHAPTERED]], ids=["anthology", "single-story-of-chapters"])
def test_same_inputs_same_pdf(tmp_path: Path, monkeypatch, stories: list[Path]) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = build(stories, BuildOptions(formats=("pdf",), out_dir=tmp_path / "a")).written[0].read_bytes()
    second = build(stories, BuildOptions(formats=("pdf",), out_dir=tmp_path / "b")).written[0].read_bytes()
    assert first == second


def test_page_labels_are_the_printed_folios(seeds_pdf: PdfReader) -> None:
    """A viewer's page box says what the page says: roman numerals on the front matter, then folios."""
    labels = seeds_pdf.page_labels
    printed = {i: _folio(seeds_pdf, i) for i in range(len(seeds_pdf.pages))}
    assert all(labels[i] == folio for i, folio in printed.items() if folio), [(labels[i], f) for i, f in printed.items()]
    first_body = _page_of_folio(seeds_pdf)[1]  # a story's title page: counted, not printed
    assert labels[:first_body] == ["i", "ii", "iii", "iv"][:first_body]


def test_contents_entries_link_to_their_stories(seeds_pdf: PdfReader) -> None:
    """In the parallel path the contents was laid out apart from the stories, without links."""
    page = next(i for i in range(len(seeds_pdf.pages)) if _text(seeds_pdf, i).lstrip().startswith("Contents"))
    targets = set()
    for annot in seeds_pdf.pages[page].get("/Annots") or []:
        dest = annot.get_object().get("/Dest")
        assert dest is not None, annot.get_object()  # a link inside the book, not a URI
        targets.add(seeds_pdf.get_page_number(dest[0].get_object()))
    folio_page = _page_of_folio(seeds_pdf)
    assert targets == {folio_page[n] for n in _contents(seeds_pdf).values()}


# ------------------------------------------------------------------ a single story's contents
@pytest.fixture(scope="module", params=["parallel", "tagged"])
def single_pdf(request, tmp_path_factory) -> PdfReader:
    """One story of three chapters as a book of its own, both ways the PDF is laid out."""
    options = BuildOptions(formats=("pdf",), out_dir=tmp_path_factory.mktemp("single"),
                           options={"pdf": PrintOptions(tagged=request.param == "tagged")})
    result = build([CHAPTERED], options)
    assert not result.errors, result.errors
    return PdfReader(result.written[0])


def test_a_single_storys_contents_numbers_are_the_printed_folios(single_pdf: PdfReader) -> None:
    """Each chapter at the folio its page prints; the contents page itself, after the title page,
    prints none; every chapter's heading is on the page its number names."""
    contents = _contents(single_pdf)
    assert list(contents) == ["Chapter 1: Down the Rabbit-Hole", "Chapter 2: The Pool of Tears",
                              "Chapter 3: A Caucus-Race and a Long Tale"], contents
    pages = _page_of_folio(single_pdf)
    for title, number in contents.items():
        assert title in " ".join(_text(single_pdf, pages[number]).split()), (title, number)
    page = next(i for i in range(len(single_pdf.pages)) if _text(single_pdf, i).lstrip().startswith("Contents"))
    assert _folio(single_pdf, page) is None and page % 2 == 0 and page < pages[min(contents.values())]


def test_a_single_storys_contents_link_to_its_chapters(single_pdf: PdfReader) -> None:
    """The parallel path lays the story out alone: its links named places the merge did not keep."""
    page = next(i for i in range(len(single_pdf.pages)) if _text(single_pdf, i).lstrip().startswith("Contents"))
    targets = set()
    for annot in single_pdf.pages[page].get("/Annots") or []:
        dest = annot.get_object().get("/Dest")
        if not isinstance(dest, list):  # a named destination: the document's name tree must hold it
            dest = single_pdf.named_destinations[str(dest)]
            targets.add(single_pdf.get_destination_page_number(dest))
        else:
            targets.add(single_pdf.get_page_number(dest[0].get_object()))
    folio_page = _page_of_folio(single_pdf)
    assert targets == {folio_page[n] for n in _contents(single_pdf).values()}


def test_the_book_face_is_embedded_once(seeds_pdf_path: Path) -> None:
    """Each story's part brought its own subset of the face (200 stories, 200 copies); the merge keeps
    one font file per face, holding every glyph any page draws."""
    import io

    import pikepdf
    from fontTools.ttLib import TTFont

    with pikepdf.open(seeds_pdf_path) as pdf:
        files: dict[str, set] = {}
        used: dict[str, set[int]] = {}
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font" and obj.get("/Subtype") == "/Type0":
                cid_font = obj.DescendantFonts[0]
                face = str(cid_font.FontDescriptor.FontName).split("+", 1)[-1]
                files.setdefault(face, set()).add(cid_font.FontDescriptor.FontFile2.objgen)
                widths, i = list(cid_font.get("/W", [])), 0
                while i < len(widths):  # [first [w w w]] or [first last w]
                    first = int(widths[i])
                    if isinstance(widths[i + 1], pikepdf.Array):
                        used.setdefault(face, set()).update(range(first, first + len(widths[i + 1])))
                        i += 2
                    else:
                        used.setdefault(face, set()).update(range(first, int(widths[i + 1]) + 1))
                        i += 3
        assert files and all(len(streams) == 1 for streams in files.values()), files
        for face, (objgen,) in files.items():
            font = TTFont(io.BytesIO(pdf.get_object(objgen).read_bytes()))
            order, glyf = font.getGlyphOrder(), font["glyf"]
            empty = [cid for cid in used.get(face, ()) if cid and order[cid] != "space"
                     and not (glyf[order[cid]].numberOfContours or glyf[order[cid]].isComposite())]
            assert len(empty) <= 2, (face, empty)  # spaces of other widths have no outline either

"""Imposition as fanbinders ask for it (issue 26): signature lists, flyleaves, perfect binding, the
guide as a file of its own, scale to fit. Checked on the imposed PDF: its sides, the pages drawn on
each, left to right and top to bottom, and the box each is drawn in."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pytest

from bookbinder.backends.impose import impose, signature_sizes
from bookbinder.backends.print_options import PAPERS, ImposeOptions
from bookbinder.errors import UsageError

from conftest import SEEDS, run

A5 = (419.53, 595.28)
A6 = (297.64, 419.53)
_PLACE = re.compile(rb"q (\S+) 0 0 (\S+) (\S+) (\S+) cm /P(\d+) Do Q")
_STATION = re.compile(rb"q 0 g (\S+) (\S+) m ")
_BLOCK = re.compile(rb"q 0 g (\S+) (\S+) 4 (\S+) re f Q")


def _book(pages: int, size: tuple[float, float] = A5) -> bytes:
    """A reading PDF of `pages` pages of `size`, each with a mark of its own."""
    pdf = pikepdf.new()
    for n in range(pages):
        page = pdf.add_blank_page(page_size=size)
        page.Contents = pdf.make_stream(f"0 0 {n + 1} 10 re f".encode())
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def _sides(pdf: bytes, page: tuple[float, float]) -> list[list[tuple[int, tuple[float, float, float, float]]]]:
    """Each sheet side: the book's pages drawn on it (1-based), each with its box on the sheet
    (x0, y0, x1, y1), top row first, left to right."""
    sides = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for side in doc.pages:
            drawn = []
            for m in _PLACE.finditer(side.Contents.read_bytes()):
                a, d, e, f = (float(v) for v in m.groups()[:4])
                xs, ys = (e, e + a * page[0]), (f, f + d * page[1])
                drawn.append((int(m[5]), (min(xs), min(ys), max(xs), max(ys))))
            sides.append(sorted(drawn, key=lambda item: (-round(item[1][3]), round(item[1][0]))))
    return sides


def _order(pdf: bytes, page: tuple[float, float] = A5) -> list[list[int]]:
    return [[n for n, _ in side] for side in _sides(pdf, page)]


# ------------------------------------------------------------------ signatures as a list
def test_a_list_gives_each_signature_its_sheets_and_its_last_number_repeats() -> None:
    assert signature_sizes(68, "folio", (4, 4, 5, 4)) == [4, 4, 5, 4]
    assert signature_sizes(60, "folio", (4, 4, 5, 4)) == [4, 4, 5, 2]     # the last as few as its pages need
    assert signature_sizes(100, "folio", (4, 4, 5, 4)) == [4, 4, 5, 4, 4, 4]  # 32 pages left: the 4 repeats
    assert signature_sizes(54, "folio", 3) == signature_sizes(54, "folio", (3,))


def test_listed_signatures_hold_their_pages_in_fold_order() -> None:
    """--signatures 2,1 on a 14-page book: 8 pages nested on 2 sheets, then 4 on one, then the 1
    repeats for the last 2 pages (2 blank). Page by page, as a binder folds them."""
    result = impose(_book(14), ImposeOptions("folio", "a4", duplex="short", paper_thickness=0, guide=False,
                                             signatures=(2, 1)))
    assert result.signatures == [2, 1, 1] and result.sheets == 4 and result.blanks == 2
    assert _order(result.pdf) == [[8, 1], [2, 7], [6, 3], [4, 5],   # signature 1, outer sheet then inner
                                  [12, 9], [10, 11],                # signature 2
                                  [13], [14]]                       # signature 3: pages 15 and 16 blank


def test_a_list_longer_than_the_book_needs_is_one_line() -> None:
    with pytest.raises(UsageError) as error:
        impose(_book(20), ImposeOptions("folio", "a4", signatures=(4, 4, 5, 4)))
    assert error.value.detail == ("--signatures 4,4,5,4: this book's 20 pages fill only 2 of its 4 signatures "
                                  "(4, 1 sheets); drop the last 2 from the list")


@pytest.mark.parametrize("flags, said", [
    (["--signatures", "4,x"], "'4,x': the sheets of each signature, whole numbers between commas (4,4,5,4)"),
    (["--signatures", "4,40"], "--signatures: from 1 to 32 sheets a signature"),
    (["--signatures", "4,0,4"], "--signatures: from 1 to 32 sheets a signature"),
    (["--signatures", "4,4", "--sheets-per-signature", "4"],
     "--signatures and --sheets-per-signature: give one"),
    (["--impose", "perfect", "--signatures", "2"], "--signatures: --impose perfect folds every sheet on its own"),
    (["--flyleaves", "17"], "Invalid value for '--flyleaves'"),
])
def test_impose_options_that_cannot_be_are_refused_before_any_work(tmp_path: Path, flags, said: str) -> None:
    impose_flags = [] if "--impose" in flags else ["--impose", "folio"]
    result = run("build", str(SEEDS / "004_9a223c5f57314a43.txt"), "-f", "pdf", "--page-size", "a5", "--paper", "a4",
                 *impose_flags, *flags, "-o", str(tmp_path / "out"))
    assert result.returncode == 2 and said in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_imposition_flags_without_impose_are_said_not_dropped(tmp_path: Path) -> None:
    result = run("build", str(SEEDS / "004_9a223c5f57314a43.txt"), "-f", "pdf", "--signatures", "4,4", "--paper", "a4",
                 "-o", str(tmp_path / "out"))
    assert result.returncode == 2, result.stderr
    assert "--paper, --signatures are for imposition: add --impose (folio, quarto" in result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_print_flags_for_a_build_with_no_pdf_are_said(tmp_path: Path) -> None:
    result = run("build", str(SEEDS / "004_9a223c5f57314a43.txt"), "-f", "epub", "--impose", "folio",
                 "-o", str(tmp_path / "out"))
    assert result.returncode == 2 and "--impose is for the PDF: add -f pdf" in result.stderr, result.stderr


@pytest.mark.parametrize("flags, said", [
    (["--page-size", "a5", "--impose", "folio", "--paper", "a4"], "--impose's sheets and guide are files"),
    (["--pod", "kdp"], "--pod's cover spread is a file (--no-cover-pdf leaves it out)"),
])
def test_companion_files_cannot_go_to_standard_output(tmp_path: Path, flags: list, said: str) -> None:
    """-o - writes the book alone: the imposed sheets and their guide were dropped with exit 0."""
    result = run("build", str(SEEDS / "004_9a223c5f57314a43.txt"), "-f", "pdf", *flags, "-o", "-", cwd=tmp_path)
    assert result.returncode == 2 and "-o - writes the book alone" in result.stderr and said in result.stderr, \
        result.stderr
    assert not result.stdout and not list(tmp_path.iterdir())


def test_a_list_too_long_for_the_laid_out_book_costs_the_imposition_not_the_book(tmp_path: Path) -> None:
    """Only the laid-out book knows its pages: the reading PDF is written, the imposition is one
    line naming the list, and the exit status says something was not made."""
    result = run("build", str(SEEDS / "004_9a223c5f57314a43.txt"), "-f", "pdf", "--page-size", "a5",
                 "--impose", "folio", "--paper", "a4", "--signatures", "4,4,4,4,4,4,4,4", "-o", str(tmp_path))
    assert result.returncode == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["losing-grip.pdf"]
    line, = [said for said in result.stderr.splitlines() if "--signatures" in said]
    assert "losing-grip.imposed.pdf: no imposition: --signatures 4,4,4,4,4,4,4,4: this book's" in line
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------------ flyleaves
def test_flyleaves_are_blank_leaves_before_the_first_page_and_after_the_last() -> None:
    """One flyleaf on a 10-page book in one 4-sheet folio: positions 1-2 and 13-14 are the
    flyleaves, 15-16 fill the signature. The outer sheet is all blank; page 1 is a recto on the
    second sheet, and the book's pages keep their sides (odd on the right of a front)."""
    result = impose(_book(10), ImposeOptions("folio", "a4", duplex="short", paper_thickness=0, guide=False,
                                             flyleaves=1))
    assert result.signatures == [4] and result.blanks == 2
    assert _order(result.pdf) == [[], [], [1], [2], [10, 3], [4, 9], [8, 5], [6, 7]]
    with_guide = impose(_book(10), ImposeOptions("folio", "a4", flyleaves=1))
    assert _guide_text(with_guide.guide).count("2 flyleaf pages") == 2  # "1: 2 flyleaf pages, pages 1-10, ..."


# ------------------------------------------------------------------ perfect binding
def test_perfect_binding_folds_every_sheet_on_its_own() -> None:
    """4 consecutive pages a sheet (4|1 on the front, 2|3 on the back), stacked, not nested; no
    sewing stations, no creep however thick the paper; a collation block a sheet, stepping down."""
    result = impose(_book(10), ImposeOptions("perfect", "a4", duplex="short", paper_thickness=0.3, guide=False))
    assert result.signatures == [1, 1, 1] and result.blanks == 2
    assert _order(result.pdf) == [[4, 1], [2, 3], [8, 5], [6, 7], [9], [10]]
    x0 = (PAPERS["a4"][1] - 2 * A5[0]) / 2  # a4 turned to landscape, two a5 pages centred
    for side in _sides(result.pdf, A5):
        for _, (left, *_) in side:  # each page exactly in its half: no creep on a single fold
            assert min(abs(left - x0), abs(left - x0 - A5[0])) < 0.01
    with pikepdf.open(io.BytesIO(result.pdf)) as doc:
        streams = [page.Contents.read_bytes() for page in doc.pages]
    assert not any(_STATION.search(s) for s in streams)
    heights = [float(m[2]) for s in streams for m in _BLOCK.finditer(s)]
    assert len(heights) == 3 and heights == sorted(heights, reverse=True)
    guide = _guide_text(impose(_book(10), ImposeOptions("perfect", "a4")).guide)
    assert "3 sheets of a4 (landscape), each folded on its own" in guide
    assert "glue the spine" in guide and "sew" not in guide


# ------------------------------------------------------------------ scale to fit
def test_pages_too_large_are_refused_unless_scaled_to_fit() -> None:
    """6x9 in pages in folio need 12x9 in; on letter turned to landscape (11x8.5 in) they fit at
    11/12: every page drawn at that scale, the block centred, every box on the paper."""
    page = (432.0, 648.0)
    with pytest.raises(UsageError, match="or --scale-to-fit to print them at 91.6%"):
        impose(_book(8, page), ImposeOptions("folio", "letter"))
    result = impose(_book(8, page), ImposeOptions("folio", "letter", duplex="short", guide=False, paper_thickness=0,
                                                  scale_to_fit=True))
    scale = min(792 / 864, 612 / 648)
    assert result.plan.layout.scale == pytest.approx(scale) and result.plan.layout.landscape
    sides = _sides(result.pdf, page)
    assert [[n for n, _ in side] for side in sides] == [[8, 1], [2, 7], [6, 3], [4, 5]]
    for side in sides:
        (_, left), (_, right) = side
        assert left[2] - left[0] == pytest.approx(432 * scale) and left[3] - left[1] == pytest.approx(648 * scale)
        assert left[2] == pytest.approx(right[0])  # the two pages meet on the fold
        assert (left[0] + right[2]) / 2 == pytest.approx(396) and (left[1] + left[3]) / 2 == pytest.approx(306)
        assert left[0] >= 0 and right[2] <= 792 + 0.01 and left[1] >= -0.01 and left[3] <= 612 + 0.01
    guide = _guide_text(impose(_book(8, page), ImposeOptions("folio", "letter", scale_to_fit=True)).guide)
    assert "scaled to 91.6% of their size to fit the paper (--scale-to-fit)" in guide


def test_pages_that_fit_stay_at_their_size_with_scale_to_fit() -> None:
    result = impose(_book(8), ImposeOptions("folio", "a4", guide=False, scale_to_fit=True))
    assert result.plan.layout.scale == 1
    with pikepdf.open(io.BytesIO(result.pdf)) as doc:
        assert b"q 1 0 0 1 " in doc.pages[0].Contents.read_bytes()


def test_scale_to_fit_from_the_command_line_says_by_how_much(tmp_path: Path) -> None:
    result = run("build", str(SEEDS / "004_9a223c5f57314a43.txt"), "-f", "pdf", "--impose", "folio",
                 "--scale-to-fit", "--flyleaves", "1", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    said, = [line for line in result.stderr.splitlines() if "losing-grip.imposed.pdf:" in line]
    assert "pages scaled to 91.6% to fit (--scale-to-fit)" in said and "1 flyleaf before and after" in said
    guide = _guide_text((tmp_path / "losing-grip.guide.pdf").read_bytes())
    assert "91.6%" in guide and "with 1 blank flyleaf before and after them" in guide


# ------------------------------------------------------------------ the fanbinder's pocket book
def test_a6_quarto_on_a4_fills_the_sheet_at_print_size() -> None:
    """Four A6 pages a side of upright A4, edge to edge: the top row turned (heads to the fold)."""
    result = impose(_book(16, A6), ImposeOptions("quarto", "a4", duplex="long", paper_thickness=0, guide=False))
    assert result.signatures == [1, 1] and not result.plan.layout.landscape and result.plan.layout.scale == 1
    sides = _sides(result.pdf, A6)
    assert [[n for n, _ in side] for side in sides] == [[5, 4, 8, 1], [3, 6, 2, 7],
                                                        [13, 12, 16, 9], [11, 14, 10, 15]]
    w, h = A6
    y = (PAPERS["a4"][1] - 2 * h) / 2  # the pages fill the width; the 1 mm over in height is shared
    cells = [(0, y + h, w, y + 2 * h), (w, y + h, 2 * w, y + 2 * h), (0, y, w, y + h), (w, y, 2 * w, y + h)]
    for side in sides:
        assert [v for _, box in side for v in box] == pytest.approx([v for box in cells for v in box], abs=0.01)
    with pikepdf.open(io.BytesIO(result.pdf)) as doc:
        top_row = [m for m in _PLACE.finditer(doc.pages[0].Contents.read_bytes()) if m[5] in (b"5", b"4")]
        assert all(float(m[1]) == -1 for m in top_row)
    guide = _guide_text(impose(_book(16, A6), ImposeOptions("quarto", "a4")).guide)
    assert "16 pages, imposed quarto: 8 pages a sheet, 2 signatures, 2 sheets of a4 (upright)." in guide
    assert "fold them together twice, the last fold along the spine, and sew through the marked stations" in guide


def _guide_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)

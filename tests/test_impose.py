"""Imposition for hand binding (issue 14), checked against the printers' textbooks and on the real file."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pytest

from bookbinder.backends.impose import fold_plan, impose, signature_sizes
from bookbinder.backends.print_options import ImposeOptions

import pdf_view
from conftest import SEEDS, run


def _grid(slots, cols: int, rows: int) -> list[list[str]]:
    cells = {(s.col, s.row): f"{s.page}{'v' if s.rotation == 180 else ''}" for s in slots}
    return [[cells[(x, y)] for x in range(cols)] for y in range(rows)]


def test_folio_signatures_nest_as_a_saddle_stitch() -> None:
    (a0, b0), (a1, b1) = fold_plan("folio", 2)
    assert [_grid(side, 2, 1) for side in (a0, b0, a1, b1)] == [[["8", "1"]], [["2", "7"]], [["6", "3"]], [["4", "5"]]]


def test_quarto_and_octavo_are_the_textbook_formes() -> None:
    """The outer and inner formes of the printing manuals (v: the page stands upside down)."""
    (outer, inner), = fold_plan("quarto", 1)
    assert _grid(outer, 2, 2) == [["5v", "4v"], ["8", "1"]]
    assert _grid(inner, 2, 2) == [["3v", "6v"], ["2", "7"]]
    (outer, inner), = fold_plan("octavo", 1)
    assert _grid(outer, 4, 2) == [["5v", "12v", "9v", "8v"], ["4", "13", "16", "1"]]
    assert _grid(inner, 4, 2) == [["7v", "10v", "11v", "6v"], ["2", "15", "14", "3"]]


@pytest.mark.parametrize("scheme, sheets", [("folio", 1), ("folio", 4), ("quarto", 2), ("octavo", 1),
                                            ("sextodecimo", 1)])
def test_every_page_once_and_conjugates_share_a_sheet(scheme: str, sheets: int) -> None:
    plan = fold_plan(scheme, sheets)
    pages = [slot.page for front, back in plan for slot in front + back]
    assert sorted(pages) == list(range(1, len(pages) + 1))
    n = len(pages)
    for front, back in plan:  # a leaf's two pages are back to back: one on each side of the same sheet
        sides = {slot.page: "A" for slot in front} | {slot.page: "B" for slot in back}
        for page in range(1, n + 1, 2):
            if page in sides:
                assert sides[page + 1] != sides[page]
        # and a page and its conjugate (p, n+1-p) are printed side by side on the same sheet side
        for slot in front + back:
            assert (n + 1 - slot.page) in sides


def test_the_last_signature_is_as_small_as_its_pages_allow() -> None:
    assert signature_sizes(54, "folio", 3) == [3, 3, 3, 3, 2]   # 6 pages left: 2 sheets, 2 blank
    assert signature_sizes(48, "folio", 3) == [3, 3, 3, 3]
    assert signature_sizes(9, "octavo", 1) == [1]
    assert signature_sizes(5, "folio", 4) == [2]


# ------------------------------------------------------------------ on the real file
_PLACE = re.compile(rb"q (\S+) (\S+) (\S+) (\S+) (\S+) (\S+) cm /P(\d+) Do Q")


def _placements(pdf: bytes) -> list[list[tuple[int, tuple[float, ...]]]]:
    """Each sheet side: (page of the book, its matrix), as drawn."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return [[(int(m[7]), tuple(float(v) for v in m.groups()[:6])) for m in _PLACE.finditer(page.Contents.read_bytes())]
                for page in doc.pages]


@pytest.fixture(scope="module")
def reading_pdf(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("reading")
    result = run("build", str(SEEDS), "-f", "pdf", "--page-size", "a5", "-o", str(out / "seeds.pdf"))
    assert result.returncode == 0, result.stderr
    return (out / "seeds.pdf").read_bytes()


@pytest.mark.parametrize("sheets", [1, 2, 4])
def test_sheets_hold_the_pages_in_fold_order_with_creep(reading_pdf: bytes, sheets: int) -> None:
    thickness_mm = 0.2
    options = ImposeOptions("folio", "a4", sheets, "short", thickness_mm, guide=False)
    result = impose(reading_pdf, options)
    with pikepdf.open(io.BytesIO(reading_pdf)) as doc:
        total = len(doc.pages)
        w = float(doc.pages[0].mediabox[2])
    assert result.signatures == signature_sizes(total, "folio", sheets)
    sides = _placements(result.pdf)
    assert len(sides) == 2 * sum(result.signatures)
    first, side_index = 0, 0
    x0 = (841.89 - 2 * w) / 2  # a4 turned to landscape, the two pages centred
    for size in result.signatures:
        for front, back in fold_plan("folio", size):
            for slots in (front, back):
                drawn = dict(sides[side_index])
                expected = {first + s.page: s for s in slots if first + s.page <= total}
                assert set(drawn) == set(expected), (side_index, sorted(drawn), sorted(expected))
                for page, slot in expected.items():
                    a, b, c, d, e, f = drawn[page]
                    assert (a, d) == (1.0, 1.0)  # folio pages stand upright
                    creep = slot.depth * thickness_mm * 72 / 25.4
                    toward_spine = -creep if slot.page % 2 else creep  # a recto moves left, a verso right
                    assert e == pytest.approx(x0 + slot.col * w + toward_spine, abs=0.01)
                side_index += 1
        first += size * 4
    assert result.blanks == first - total


def test_quarto_sheets_turn_the_upper_pages(reading_pdf: bytes) -> None:
    result = impose(reading_pdf, ImposeOptions("quarto", "a3", None, "short", 0, guide=False))
    side = dict(_placements(result.pdf)[0])
    assert side[5][:4] == (-1.0, 0.0, 0.0, -1.0) and side[1][:4] == (1.0, 0.0, 0.0, 1.0)


def test_the_cli_writes_the_imposed_pdf_and_its_guide_beside_the_reading_one(tmp_path: Path) -> None:
    from pypdf import PdfReader

    result = run("build", str(SEEDS / "004_9a223c5f57314a43.txt"), "-f", "pdf", "--page-size", "a5",
                 "--impose", "folio", "--paper", "a4", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["losing-grip.guide.pdf", "losing-grip.imposed.pdf",
                                                          "losing-grip.pdf"]
    assert "losing-grip.imposed.pdf" in result.stdout and "losing-grip.guide.pdf" in result.stdout
    assert "signature" in result.stderr and "blank page" in result.stderr
    with pikepdf.open(tmp_path / "losing-grip.pdf") as reading:
        pages = len(reading.pages)
    sheets = sum(signature_sizes(pages, "folio", 4))  # one signature, as few sheets as the pages need
    assert sheets == -(-pages // 4)
    with pikepdf.open(tmp_path / "losing-grip.imposed.pdf") as doc:
        # Every side is a side of the book: no guide sheet in front to shift the fronts onto backs.
        assert len(doc.pages) == 2 * sheets
        assert b"/P1 Do" in doc.pages[0].Contents.read_bytes() and b"/P2 Do" in doc.pages[1].Contents.read_bytes()
        assert doc.Root.ViewerPreferences.PrintScaling == pikepdf.Name("/None")  # printed at its size
    guide = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "losing-grip.guide.pdf").pages)
    assert "Losing Grip: printing guide" in guide
    assert f"{pages} pages, imposed folio: 4 pages a sheet, 1 signature, {sheets} sheets of a4" in guide
    blanks = f", {4 * sheets - pages} blank" if 4 * sheets > pages else ""
    assert f"1: pages 1-{pages}{blanks}, {sheets} sheets" in guide
    with pikepdf.open(tmp_path / "losing-grip.guide.pdf") as doc:
        assert [round(float(v)) for v in doc.pages[0].mediabox[2:]] == [595, 842]  # the user's paper, upright
    again = run("build", str(SEEDS / "004_9a223c5f57314a43.txt"), "-f", "pdf", "--page-size", "a5",
                "--impose", "folio", "--paper", "a4", "--no-guide", "-o", str(tmp_path / "bare"))
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in (tmp_path / "bare").iterdir()) == ["losing-grip.imposed.pdf", "losing-grip.pdf"]


def test_a6_pages_impose_in_quarto_on_a4(tmp_path: Path) -> None:
    """The fanbinder's pocket book: four A6 pages a side of an A4 sheet, at their print size."""
    result = run("build", str(SEEDS / "004_9a223c5f57314a43.txt"), "-f", "pdf", "--page-size", "a6",
                 "--impose", "quarto", "--paper", "a4", "--no-guide", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    with pikepdf.open(tmp_path / "losing-grip.pdf") as reading:
        assert [round(float(v) * 25.4 / 72) for v in reading.pages[0].mediabox[2:]] == [105, 148]
        pages = len(reading.pages)
    with pikepdf.open(tmp_path / "losing-grip.imposed.pdf") as doc:
        assert [round(float(v) * 25.4 / 72) for v in doc.pages[0].mediabox[2:]] == [210, 297]
        assert len(doc.pages) == 2 * -(-pages // 8)  # 8 pages a sheet, 4 a side
        assert doc.pages[0].Contents.read_bytes().count(b" Do") == 4


@pytest.mark.parametrize("size, points", [("a7", (209.76, 297.64)), ("quarter-letter", (306.0, 396.0)),
                                          ("100x160mm", (283.46, 453.54)), ("4.5X7IN", (324.0, 504.0))])
def test_fanbinding_page_sizes(size: str, points) -> None:
    from bookbinder.backends.pagesize import geometry, page_points

    assert tuple(round(v, 2) for v in page_points(size)) == points
    page = geometry(size)
    assert page.small and 8 <= page.body_pt < 10.5  # margins and type scaled down with the page
    assert geometry("6x9in").body_pt == 10.5 and not geometry("a5").small  # trade sizes as print.css sets them


@pytest.mark.parametrize("size", ["3x", "10x10mm", "a9", "6x9ft"])
def test_a_page_size_bookbinder_cannot_print_is_a_usage_error(tmp_path: Path, size: str) -> None:
    result = run("build", str(SEEDS), "-f", "pdf", "-o", str(tmp_path), "--page-size", size)
    assert result.returncode == 2 and "--page-size" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("flags, said", [
    (["--impose", "folio"], "folio: 2x1 pages of 6.00x9.00 in need a sheet of 12.00x9.00 in, larger than the paper "
                            "(8.50x11.00 in); choose a larger --paper or a smaller --page-size, or --scale-to-fit to "
                            "print them at 91.6%"),
    (["--impose", "folio", "--page-size", "a5", "--paper", "napkin"], "--paper 'napkin': choose letter"),
    (["--impose", "octavo", "--page-size", "a5", "--paper", "a4"], "octavo: 4x2 pages"),
])
def test_an_imposition_that_cannot_be_done_is_one_line_before_any_work(tmp_path: Path, flags, said: str) -> None:
    result = run("build", str(SEEDS), "-f", "pdf", "-o", str(tmp_path), *flags)
    assert result.returncode == 2
    line, = result.stderr.strip().splitlines()
    assert line.startswith(f"bookbinder: {said}"), line
    assert not list(tmp_path.iterdir())


# ------------------------------------------------------------------ print on demand
@pytest.mark.parametrize("pages, gutter, spine_white, spine_cream", [
    (100, 0.375, 0.2252, 0.25), (300, 0.5, 0.6756, 0.75), (700, 0.75, 1.5764, 1.75)])
def test_kdp_gutter_and_spine_follow_the_published_formulas(pages, gutter, spine_white, spine_cream) -> None:
    from bookbinder.backends.pod import SERVICES, spine_width

    assert SERVICES["kdp"].least_gutter(pages) == gutter
    assert spine_width(pages, "white") == pytest.approx(spine_white)
    assert spine_width(pages, "cream") == pytest.approx(spine_cream)


@pytest.mark.parametrize("pages", [100, 300, 700])
def test_lulu_and_ingramspark_follow_their_published_numbers(pages: int) -> None:
    """Lulu: 0.5 in margins and 0.2 in of gutter over them; 60# paper at 444 pages an inch.
    IngramSpark: 0.5 in on every side; its spine only from its own template generator."""
    from bookbinder.backends.pod import SERVICES, service, spine_width
    from bookbinder.backends.print_options import PodOptions
    from bookbinder.errors import UsageError

    lulu, ingram = SERVICES["lulu"], SERVICES["ingram"]
    assert lulu.least_gutter(pages) == pytest.approx(0.7)
    assert spine_width(pages, "white", rules=lulu) == spine_width(pages, "cream", rules=lulu) == pytest.approx(pages / 444)
    assert (lulu.safety, ingram.safety) == (0.5, 0.5)
    assert ingram.least_gutter(pages) == 0.5
    with pytest.raises(UsageError, match=f"cover template generator; enter {pages} pages there"):
        spine_width(pages, "white", rules=ingram)
    given = service(PodOptions("ingram", "cream", spine_per_page=0.0025, gutter=0.6))  # the user's figures over it
    assert spine_width(pages, "cream", rules=given) == pytest.approx(pages * 0.0025)
    assert given.least_gutter(pages) == 0.6 and given.blank_last_page
    with pytest.raises(UsageError, match="a paperback has at least 32 pages; this one has 24"):
        lulu.least_gutter(24)


@pytest.mark.parametrize("pages", [100, 300, 700])
def test_cover_spread_size_and_boxes(pages: int) -> None:
    from bookbinder.backends.cover import cover_image
    from bookbinder.backends.pod import cover_spread
    from bookbinder.book import Book

    front = cover_image(Book("Tides", ()))
    spread = cover_spread("Tides", "hedgerow", "A blurb.", pages, (432.0, 648.0), front, "white")
    spine = pages * 0.002252
    with pikepdf.open(io.BytesIO(spread.pdf)) as doc:
        page = doc.pages[0]
        media = [float(v) for v in page.MediaBox]
        trim = [float(v) for v in page.TrimBox]
        bleed = [float(v) for v in page.BleedBox]
    assert media == pytest.approx([0, 0, (12 + spine + 0.25) * 72, (9 + 0.25) * 72], abs=0.01)
    assert bleed == pytest.approx(media, abs=0.01)
    assert trim == pytest.approx([9, 9, (12 + spine + 0.125) * 72, (9 + 0.125) * 72], abs=0.01)


def _pixels(pdf: bytes):
    """The spread's page at 72 dpi (a pixel a point), as a Pillow image."""
    return pdf_view.render(pdf, 0, dpi=72)


def test_the_drawn_front_keeps_its_frame_clear_of_the_trim() -> None:
    """The drawn design sits on the trim, its ground carried into the bleed: nothing but ground
    within 0.25 in of the front's trim (IngramSpark's distance for rules and cover art)."""
    from bookbinder.backends.cover import cover_image
    from bookbinder.backends.pod import cover_spread
    from bookbinder.book import Book

    spread = cover_spread("Tides", "hedgerow", "", 200, (432.0, 648.0), cover_image(Book("Tides", ())), "white")
    image = _pixels(spread.pdf)
    width, height = int(spread.width), image.size[1]  # a last column, a fraction of a point, is the page's edge
    ground = image.getpixel((width - 2, height // 2))
    front = int(width - 9 - 432)
    band = int(9 + 0.25 * 72) - 1  # bleed + 0.25 in, less a pixel for rounding
    edges = [(x, y) for x in range(front + 20, width) for y in (*range(band), *range(height - band, height))]
    edges += [(x, y) for y in range(height) for x in range(width - band, width)]
    off = max(max(abs(a - b) for a, b in zip(image.getpixel(xy), ground)) for xy in edges)
    assert off <= 2  # the drawn ground and the filled one differ by a rounding
    assert max(max(abs(a - b) for a, b in zip(image.getpixel((x, height // 2)), ground))
               for x in range(front, width - band)) > 60  # the frame is drawn


def test_a_users_front_image_fills_the_bleed_in_its_own_proportions() -> None:
    """A square image, its left quarter red: scaled to cover the 6.125 x 9.25 in panel, the red ends
    where the square's quarter falls, not stretched to a quarter of the panel."""
    from PIL import Image

    from bookbinder.backends.pod import cover_spread

    square = Image.new("RGB", (400, 400), (0, 0, 255))
    square.paste((255, 0, 0), (0, 0, 100, 400))
    png = io.BytesIO()
    square.save(png, format="PNG")
    spread = cover_spread("Tides", "hedgerow", "", 200, (432.0, 648.0), png.getvalue(), "white", front_bleeds=True)
    image = _pixels(spread.pdf)
    width, height = int(spread.width), image.size[1]
    front = width - 9 - 432  # the front panel's left edge; it and its bleed are 441 pt wide
    side = height             # the square, scaled to the height it must cover
    red_ends = front + 441 / 2 - side / 2 + side / 4
    row = [image.getpixel((x, height // 2)) for x in range(int(front), width)]
    first_blue = next(i for i, px in enumerate(row) if px[2] > 200 and px[0] < 50)
    assert front + first_blue == pytest.approx(red_ends, abs=2)
    assert image.getpixel((width - 1, 0))[2] > 200  # the corner of the bleed is the image's, not the ground's


def _nearest_to_trim(pdf: Path) -> float:
    """Inches between the trim and the nearest word's box, over every page (each word's outer box:
    its advance, any ink past it and letter-spacing, between the font's ascent and descent)."""
    nearest = float("inf")
    for page in pdf_view.pages(pdf):
        for x0, y0, x1, y1 in (word.outer for word in page.words):
            nearest = min(nearest, x0, y0, page.width - x1, page.height - y1)
    return nearest / 72


@pytest.mark.parametrize("flags, least, safety, per_page, said, ends_blank", [
    (["--pod", "kdp", "--paper-color", "cream"], 0.375, 0.375, 0.0025, "cream paper, Amazon KDP", False),
    (["--pod", "lulu"], 0.7, 0.5, 1 / 444, "white paper, Lulu", False),
    (["--pod", "ingram", "--pod-spine-per-page", "0.0025"], 0.5, 0.5, 0.0025, "0.0025 in a page, IngramSpark", True),
    (["--pod", "custom", "--pod-gutter", "0.6", "--pod-spine-per-page", "0.003"], 0.6, 0.5, 0.003,
     "0.003 in a page, your service", False),
])
def test_pod_interior_and_cover_from_the_command_line(tmp_path: Path, flags: list[str], least: float, safety: float,
                                                      per_page: float, said: str, ends_blank: bool) -> None:
    from pypdf import PdfReader

    result = run("build", str(SEEDS), "-f", "pdf", *flags, "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["collected-stories.cover.pdf", "collected-stories.pdf"]
    reader = PdfReader(tmp_path / "collected-stories.pdf")
    pages = len(reader.pages)
    text = [(page.extract_text() or "").strip() for page in reader.pages]
    if ends_blank:  # IngramSpark: "the final page should be blank", and a book has leaves
        assert text[-1] == "" and "Bound with bookbinder" in text[-2] + text[-3] and pages % 2 == 0
    else:
        assert "Bound with bookbinder" in text[-1]  # no blank page after the credits
    # Folios and running heads too keep the service's safety margin from the trim.
    assert _nearest_to_trim(tmp_path / "collected-stories.pdf") >= safety - 0.002

    def left_edge(index: int) -> float:
        """Where most lines of the page start: the text block's left edge (indents, heads and folios aside)."""
        from collections import Counter
        xs: list[float] = []

        def visit(text, cm, tm, font, size):
            if text.strip():
                xs.append(round(cm[4] + tm[4] * cm[0], 1))

        reader.pages[index].extract_text(visitor_text=visit)
        return Counter(xs).most_common(1)[0][0]

    body = [i for i in range(pages) if reader.page_labels[i].isdigit() and len(text[i]) > 400]
    recto = next(i for i in body if int(reader.page_labels[i]) % 2)
    verso = next(i for i in body if not int(reader.page_labels[i]) % 2)
    gutter = (least + 0.125) * 72  # the service's least, and an eighth of an inch more
    outer = 0.625 * 72             # print.css's outside margin
    # The text starts where the margin ends, the same way on both sides: the difference is the gutter's.
    assert left_edge(recto) - left_edge(verso) == pytest.approx(gutter - outer, abs=0.5)
    with pikepdf.open(tmp_path / "collected-stories.cover.pdf") as cover:
        width = float(cover.pages[0].MediaBox[2]) / 72
    assert width == pytest.approx(2 * 6 + pages * per_page + 0.25, abs=0.001)
    assert f"for {pages} pages ({said})" in result.stderr


def test_ingramspark_without_its_spine_width_still_gets_its_interior(tmp_path: Path) -> None:
    """IngramSpark's spine comes only from its template generator: the interior is written, and
    one line says what to enter there; the exit code says the cover is missing."""
    result = run("build", str(SEEDS), "-f", "pdf", "--pod", "ingram", "--tagged", "-o", str(tmp_path))
    assert result.returncode == 1
    from pypdf import PdfReader

    line, = [said for said in result.stderr.splitlines() if "cover" in said]
    reader = PdfReader(tmp_path / "collected-stories.pdf")
    pages = len(reader.pages)
    assert pages % 2 == 0 and not (reader.pages[-1].extract_text() or "").strip()  # laid out whole, it too ends blank
    assert "Bound with bookbinder" in (reader.pages[-2].extract_text() or "") + (reader.pages[-3].extract_text() or "")
    assert f"collected-stories.cover.pdf: no cover spread: --pod ingram: IngramSpark gives a spine's width only in " \
           f"its cover template generator; enter {pages} pages there" in line, line
    assert not (tmp_path / "collected-stories.cover.pdf").exists()


@pytest.mark.parametrize("flags, said", [
    (["--pod", "custom", "--pod-gutter", "0.5"], "--pod custom needs --pod-spine-per-page"),
    (["--pod-gutter", "0.5"], "--pod-gutter: only with --pod"),
    (["--pod", "custom", "--pod-gutter", "-1", "--pod-spine-per-page", "0.002"], "Invalid value for '--pod-gutter'"),
])
def test_custom_pod_numbers_are_checked_before_any_work(tmp_path: Path, flags: list[str], said: str) -> None:
    result = run("build", str(SEEDS), "-f", "pdf", *flags, "-o", str(tmp_path / "out"))
    assert result.returncode == 2 and said in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


_BLOCK = re.compile(rb"q 0 g (\S+) (\S+) 4 (\S+) re f Q")
_STATION = re.compile(rb"q 0 g (\S+) (\S+) m ")


@pytest.mark.parametrize("scheme, sheets", [("folio", 2), ("quarto", 1), ("quarto", 2)])
def test_sewing_and_collation_marks_sit_on_each_signatures_spine(reading_pdf: bytes, scheme: str, sheets: int) -> None:
    """Every scheme: one collation block per signature on the fold between its first and last
    pages, stepped down signature by signature, and the sewing stations on the fold between its
    middle pages. Where the fold is comes from the fold plan and is checked here on the sheets."""
    options = ImposeOptions(scheme, "a3" if scheme == "quarto" else "a4", sheets, "long", 0, guide=False)
    result = impose(reading_pdf, options)
    with pikepdf.open(io.BytesIO(reading_pdf)) as doc:
        w = float(doc.pages[0].mediabox[2])
    with pikepdf.open(io.BytesIO(result.pdf)) as doc:
        streams = [page.Contents.read_bytes() for page in doc.pages]
    blocks = [(float(m[1]) + 2, float(m[2])) for s in streams for m in _BLOCK.finditer(s)]
    stations = [float(m[1]) for s in streams for m in _STATION.finditer(s)]
    assert len(blocks) == len(result.signatures) and len(stations) == 4 * len(result.signatures)
    sides = _placements(result.pdf)
    for number, (x, _) in enumerate(blocks):  # on the fold: the left edge of a page drawn upright there
        drawn = [m for side in sides for _, m in side if m[0] == 1.0]
        assert any(abs(e - x) < 0.01 for *_, e, _f in drawn), (number, x)
    heights = [y for _, y in blocks]
    assert heights == sorted(heights, reverse=True) and len(set(heights)) == len(heights)  # stepped down
    assert {round(x, 2) for x, _ in blocks} == {round(x, 2) for x in stations}  # one spine, both marks
    assert all(abs((x - blocks[0][0]) % w) < 0.01 or abs((x - blocks[0][0]) % w - w) < 0.01 for x, _ in blocks)

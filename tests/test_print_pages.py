"""The print book's pages as a book designer checks them: what the margins of a chapter's opening,
a title page and a text page carry (backends/furniture.py), read from the built PDF."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from bookbinder.api import load_one
from bookbinder.backends.print_options import PrintOptions
from bookbinder.book import Book
from bookbinder.compose import compose
from bookbinder.executors import Serial
from bookbinder.model import Chapter

import pdf_view
from conftest import SEEDS

_HEAD_BAND = 0.09   # share of the page height from the top where running heads sit (0.75 in margin on 9 in)
_FOOT_BAND = 0.09   # and from the foot, folios


def _three_chapters():
    """A story of three chapters, each longer than a spread."""
    story = load_one(SEEDS / "000_eade02fc94876b84.txt")
    blocks = story.chapters[0].blocks * 2
    chapters = tuple(Chapter(f"Chapter {n}: Part {name}", blocks, title=f"Part {name}")
                     for n, name in enumerate(("One", "Two", "Three"), 1))
    return replace(story, chapters=chapters)


def _pages(book: Book):
    from bookbinder.backends.pdf import write_pdf

    return pdf_view.pages(write_pdf(compose(book), PrintOptions(), executor=Serial()))


@pytest.fixture(scope="module")
def chaptered():
    """A single story of three chapters, as a 6x9 PDF: its pages."""
    story = _three_chapters()
    return story, _pages(Book(story.meta.title, [story]))


@pytest.fixture(scope="module")
def anthology():
    """An anthology of that story and a one-shot, as a 6x9 PDF: its stories and its pages."""
    stories = [_three_chapters(), load_one(SEEDS / "004_9a223c5f57314a43.txt")]
    return stories, _pages(Book("Two Tales", stories))


def _margins(page) -> tuple[list[str], list[str]]:
    """The lines in the head band and in the foot band of a page."""
    head = [line.text for line in page.lines if line.words[0].y1 < page.height * _HEAD_BAND]
    foot = [line.text for line in page.lines if line.words[0].y0 > page.height * (1 - _FOOT_BAND)]
    return head, foot


def _openings(pages) -> list[int]:
    """The pages with a chapter's heading in the text block (not in the head band, and not a
    contents line, which has leaders)."""
    return [i for i, page in enumerate(pages) if any(line.text.startswith("Chapter ") and ". ." not in line.text and
                                                     line.words[0].y1 > page.height * _HEAD_BAND for line in page.lines)]


def _contents(pages) -> tuple[int, dict[str, int]]:
    """The contents page, and each line's title and page number."""
    index = next(i for i, page in enumerate(pages) if page.lines and page.lines[0].text == "Contents")
    lines = [re.fullmatch(r"(.+?)[ .]*\.\s*(\d+)", line.text) for line in pages[index].lines[1:]]
    return index, {m[1]: int(m[2]) for m in lines if m}


def test_a_chapters_opening_carries_no_running_head(chaptered) -> None:
    _, pages = chaptered
    openings = _openings(pages)
    assert len(openings) == 3
    for i in openings:
        head, foot = _margins(pages[i])
        assert head == [], (i, head)
        assert foot == [str(i + 1)], (i, foot)  # a drop folio


def test_the_title_page_carries_neither_head_nor_folio(chaptered) -> None:
    _, pages = chaptered
    assert _margins(pages[0]) == ([], [])


def test_a_single_storys_contents_lists_its_chapters_at_their_folios(chaptered) -> None:
    """The book designer's complaint: a single story of several chapters had no contents page.
    It has one, on a recto after the title page, front matter without head or folio; each line's
    number is the folio printed at the foot of the page its chapter opens on, and the text opens
    on a recto."""
    _, pages = chaptered
    index, lines = _contents(pages)
    assert index == 2 and pages[1].lines == ()  # a recto; the title page's verso left blank
    head, foot = _margins(pages[index])
    assert head == [] and foot == [], (head, foot)
    assert list(lines) == [f"Chapter {n}: Part {name}" for n, name in enumerate(("One", "Two", "Three"), 1)]
    assert [lines[pages[i].lines[0].text] for i in _openings(pages)] == [i + 1 for i in _openings(pages)]
    assert all(_margins(pages[number - 1])[1] == [str(number)] for number in lines.values())
    assert lines["Chapter 1: Part One"] % 2 == 1


def test_a_single_storys_heads_are_its_title_and_the_chapters(chaptered) -> None:
    """Versos: the story's title; rectos: the chapter's heading, from the page after its opening on."""
    story, pages = chaptered
    openings = _openings(pages) + [len(pages)]
    seen = 0
    names = [f"Chapter {n}: Part {name}" for n, name in enumerate(("One", "Two", "Three"), 1)]
    for name, start, end in zip(names, openings, openings[1:]):
        for i in range(start + 1, end):
            head, foot = _margins(pages[i])
            if not pages[i].lines:
                continue  # a blank verso before a chapter that opens on a recto
            verso = (i + 1) % 2 == 0
            assert head == [story.meta.title if verso else name], (i, head)
            assert foot == [str(i + 1)], (i, foot)
            seen += 1
    assert seen >= 6


def test_an_anthologys_heads_are_the_book_and_the_story(anthology) -> None:
    """Versos: the book's title; rectos: the story's, chapters or not. A chapter's opening carries
    no head (its folio drops to the foot); the book's title page and contents carry neither."""
    from bookbinder.backends.furniture import head

    stories, pages = anthology
    titles = {head(story.meta.title) for story in stories}
    assert _margins(pages[0]) == ([], [])
    index, lines = _contents(pages)
    assert _margins(pages[index]) == ([], []) and len(lines) == 2  # the stories, not the chapters
    openings = _openings(pages)
    assert len(openings) == 3 and all(_margins(pages[i])[0] == [] for i in openings)
    heads = {i: _margins(page)[0] for i, page in enumerate(pages) if _margins(page)[0]}
    for i, (text,) in heads.items():
        folio = int(_margins(pages[i])[1][0])
        assert text == "Two Tales" if folio % 2 == 0 else text in titles, (i, folio, text)
    story = [i for i in range(openings[0] + 1, openings[-1] + 3) if i in heads]  # the chaptered story's text
    assert {heads[i][0] for i in story} == {"Two Tales", head(stories[0].meta.title)}, story


# ------------------------------------------------------------------ a press-ready interior
_COLOUR_OPERATORS = {"rg", "RG", "k", "K", "g", "G", "cs", "CS"}


def _colours(pdf) -> dict[str, int]:
    """Colour operators drawn on the pages and in the forms they show (a merged part is a form)."""
    import collections

    import pikepdf

    counts: collections.Counter = collections.Counter()

    def walk(obj) -> None:
        for operands, op in pikepdf.parse_content_stream(obj):
            name = str(op)
            if name in _COLOUR_OPERATORS:
                counts[name + (f" {operands[0]}" if name in {"cs", "CS"} else "")] += 1
        for form in ((obj.get("/Resources") or {}).get("/XObject") or {}).values():
            if form.get("/Subtype") == "/Form":
                walk(form)
    for page in pdf.pages:
        walk(page.obj)
    return dict(counts)


def test_a_print_on_demand_interior_is_pdf_x_with_no_rgb(tmp_path) -> None:
    """--pod kdp: PDF/X-4, a CMYK output intent, a trim box on every page, and every colour pure K."""
    import pikepdf

    from bookbinder.api import BuildOptions, build
    from bookbinder.backends.print_options import PodOptions

    options = BuildOptions(formats=("pdf",), out_dir=tmp_path, title="The Seeds",
                           options={"pdf": PrintOptions(pod=PodOptions("kdp", cover_pdf=False))})
    result = build([SEEDS], options)
    assert not result.errors, result.errors
    with pikepdf.open(result.written[0]) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and intent.DestOutputProfile.read_bytes()[12:20] == b"prtrCMYK"
        assert str(pdf.open_metadata()["pdfxid:GTS_PDFXVersion"]) == "PDF/X-4"
        assert pdf.docinfo.Trapped == "/False" and pdf.pdf_version >= "1.6"
        assert all("/TrimBox" in page.obj for page in pdf.pages)
        colours = _colours(pdf)
    assert not {"rg", "RG", "g", "G"} & set(colours), colours  # no RGB, no grey: the text is K
    assert colours.get("cs /DeviceCMYK", 0) > 10 and colours.get("k", 0) > 10, colours  # text and folios


# ------------------------------------------------------------------ full, level pages
def _short_pages(pages) -> list[int]:
    """Text pages whose last line sits a line or more above the usual foot, their chapter going on
    on the next page (a chapter's last page may be short)."""
    foot = max(line.words[0].y1 for page in pages for line in page.lines  # the text block's foot: the grid's last line
               if line.words[0].y1 < page.height * (1 - _FOOT_BAND))
    pitch = 10.5 * 1.4
    openings = set(_openings(pages))
    short = []
    for i, page in enumerate(pages[:-1]):
        body = [line.words[0].y1 for line in page.lines if page.height * _HEAD_BAND < line.words[0].y1 <
                page.height * (1 - _FOOT_BAND)]
        if body and pages[i + 1].lines and i + 1 not in openings and foot - max(body) > 0.9 * pitch:
            short.append(i)
    return short


def test_a_short_page_is_filled_by_a_paragraph_set_a_line_longer(tmp_path) -> None:
    """balance.py: pages WeasyPrint's widow and orphan rules leave short get a line from a
    paragraph set one line longer; no widow or orphan comes back, and no word is lost."""
    from bookbinder.backends.pdf import write_pdf

    story = load_one(SEEDS / "000_eade02fc94876b84.txt")
    story = replace(story, chapters=(Chapter("Chapter 1: Long", story.chapters[0].blocks * 6, title="Long"),))
    plan = compose(Book(story.meta.title, [story]))
    plain = pdf_view.pages(write_pdf(plan, PrintOptions(balance_pages=False), executor=Serial()))
    balanced = pdf_view.pages(write_pdf(plan, PrintOptions(), executor=Serial()))
    before, after = _short_pages(plain), _short_pages(balanced)
    assert before and len(after) < len(before), (before, after)
    words = lambda pages: [w.text for page in pages for line in page.lines for w in line.words]  # noqa: E731
    assert len(words(balanced)) >= len(words(plain)) - len(plain)  # hyphenation moves; words do not go


def test_fill_stretches_a_scene_break_first_and_loosens_paragraphs_for_the_rest() -> None:
    """A scene break takes up to two lines, the lowest on the page first; a paragraph set a line
    longer (its spaces wider, the cheapest first) fills what a page with no break lacks."""
    from bookbinder.backends.balance import Fill, ShortPage, fill

    short = [ShortPage(3, 1, (10, 11), (4, 5)), ShortPage(7, 3, (20, 21, 22), (9,)), ShortPage(9, 2, (30, 31, 32))]
    costs = {10: 5.0, 11: 1.0, 20: 9.0, 21: 2.0, 22: 3.0, 31: 7.0, 32: 4.0}
    assert fill(short, costs) == Fill(frozenset({21, 31, 32}), ((5, 1), (9, 2)))


@pytest.mark.parametrize("tagged", [False, True], ids=["stories-apart", "tagged-whole-book"])
def test_a_page_of_dialogue_is_filled_by_its_scene_break_on_the_grid(tmp_path, tagged: bool) -> None:
    """Short lines of dialogue have one way to break each: no paragraph can be set a line longer,
    and the widow and orphan rules leave pages short. A scene break on the page takes the lines it
    lacks, in whole lines of the grid: every line of the page stays on the facing page's lines.
    The tagged book, laid out as one document, is balanced the same way."""
    from bookbinder.backends.pdf import write_pdf
    from bookbinder.model import Paragraph, SceneBreak

    said = ["“No,” she said.", "“Why not?”", "He looked at the door for a long time, and then at her, and "
            "then at the door again, as if it might answer for her; it did not, and neither did she.",
            "“Because.”", "“That is not a reason, and you know it is not a reason, whatever you tell "
            "yourself at night when the house is quiet and the lamps are out.”"]
    blocks = []
    for scene in range(14):
        blocks += [Paragraph((line,)) for line in said * (2 + scene % 3)] + [SceneBreak()]
    story = replace(load_one(SEEDS / "000_eade02fc94876b84.txt"), chapters=(Chapter("Chapter 1", tuple(blocks[:-1])),))
    plan = compose(Book(story.meta.title, [story]))
    plain = pdf_view.pages(write_pdf(plan, PrintOptions(balance_pages=False, tagged=tagged), executor=Serial()))
    balanced = pdf_view.pages(write_pdf(plan, PrintOptions(tagged=tagged), executor=Serial()))
    before, after = _short_pages(plain), _short_pages(balanced)
    assert before and len(after) <= len(before) / 2, (before, after)
    pitch, top = 10.5 * 1.4, min(line.words[0].y0 for page in balanced for line in page.lines
                                 if line.words[0].y0 > page.height * _HEAD_BAND)
    for number, page in enumerate(balanced):
        body = [line for line in page.lines if page.height * _HEAD_BAND < line.words[0].y0 < page.height *
                (1 - _FOOT_BAND) and "*" not in line.text]
        if not body or abs(body[0].words[0].y0 - top) > pitch / 2:
            continue  # a title page or a chapter's opening: its text starts lower
        for line in body:
            y = line.words[0].y0
            assert abs((y - top) / pitch - round((y - top) / pitch)) < 0.1, (number, line.text)
    words = lambda pages: [w.text for page in pages for line in page.lines for w in line.words]  # noqa: E731
    assert sorted(words(balanced)) == sorted(words(plain))


def test_a_cover_spread_says_whose_book_it_is_and_embeds_its_face() -> None:
    """Not reportlab's "untitled" and "anonymous"; every font embedded (a press refuses a bare Helvetica)."""
    import io

    import pikepdf

    from bookbinder.backends.cover import cover_image
    from bookbinder.backends.pod import cover_spread

    story = load_one(SEEDS / "004_9a223c5f57314a43.txt")
    book = Book("Losing Grip", [story])
    spread = cover_spread("Losing Grip", "Someone Else", "A blurb.", 120, (432.0, 648.0), cover_image(book))
    with pikepdf.open(io.BytesIO(spread.pdf)) as pdf:
        assert str(pdf.docinfo.Title) == "Losing Grip" and str(pdf.docinfo.Author) == "Someone Else"
        fonts = [f for page in pdf.pages for f in (page.Resources.get("/Font") or {}).values()]
        assert fonts and all("/FontFile2" in (f.get("/FontDescriptor") or f.DescendantFonts[0].FontDescriptor)
                             if "/DescendantFonts" in f or "/FontDescriptor" in f else False for f in fonts)


# ------------------------------------------------------------------ the print-typography check
_TYPOMETRICS = Path(__file__).resolve().parents[2] / "shared" / "tools" / "typometrics.py"


@pytest.mark.skipif(not _TYPOMETRICS.is_file() or shutil.which("pdftotext") is None,
                    reason="../shared/tools/typometrics.py and poppler's pdftotext measure the pages")
def test_the_seeds_anthology_sets_lines_as_a_book_does(tmp_path) -> None:
    """The issue's limits that hold on the seeds' anthology at 6x9 (short pages and uneven spreads
    do not yet): p95 word space, loose lines, hyphens, ladders, widows and orphans."""
    from bookbinder.api import BuildOptions, build

    result = build([SEEDS], BuildOptions(formats=("pdf",), out_dir=tmp_path, title="The Seeds"))
    assert not result.errors, result.errors
    run = subprocess.run([sys.executable, str(_TYPOMETRICS), str(result.written[0])], capture_output=True, text=True)
    figures = json.loads(run.stdout)
    assert figures["space_p95_em"] <= 0.36 and figures["loose_lines_pct"] <= 1.0, figures
    assert figures["hyphen_ends_pct"] <= 5.0 and figures["ladders_3plus"] == 0, figures
    assert figures["widows"] == 0 and figures["orphans"] <= 1, figures  # the one orphan: a contents line

"""Paragraph-at-once line breaking (backends/linebreak.py, knuthplass.py): the optimiser against
an exhaustive search on small paragraphs; a built PDF's lines against the ones chosen; the text
of the document and of the PDF against the story's; the paragraphs left to WeasyPrint, reported."""
from __future__ import annotations

import itertools
import logging
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bookbinder.api import load_one
from bookbinder.book import Book
from bookbinder.compose import compose
from bookbinder.backends import linebreak
from bookbinder.backends.knuthplass import INF, Breaks, Rules, choose
from bookbinder.backends.print_options import PrintOptions
from bookbinder.executors import Serial
from bookbinder.model import Chapter, Paragraph, Span
from bookbinder.render import E, document

import pdf_view
from conftest import SEEDS

RULES = Rules(hyphen_penalty=50)
STIFF = replace(RULES, shrink=0.0)  # spaces that only stretch, as CSS justification alone sets them


# ------------------------------------------------------------------ the optimiser, on hand-made paragraphs
def _paragraph(words: list[float], hyphens: set[int] = frozenset(), space: float = 1.0) -> Breaks:
    """Words of the given widths with spaces of `space`: a line may end after any word, and in the
    middle of each word in `hyphens`, with a hyphen of width 0.5. A hand-made paragraph."""
    rows, x = [(0, 0.0, 0.0, 0, 0, 0.0, False, False)], 0.0
    for i, width in enumerate(words):
        if i in hyphens:
            rows.append((len(rows), x + width / 2 + 0.5, x + width / 2, i, i, RULES.hyphen_penalty, True, True))
        x += width
        if i < len(words) - 1:
            rows.append((len(rows), x, x + space, i, i + 1, 0.0, False, False))
            x += space
    rows.append((len(rows), x, x, len(words) - 1, len(words) - 1, 0.0, False, False))
    return Breaks(*map(tuple, zip(*rows)), space=space)


def _demerits(b: Breaks, path: tuple[int, ...], widths: tuple[float, float], rules: Rules,
              page_ends=frozenset(), ladders: bool = False) -> float:
    """The total demerits of `path` as the docstring of knuthplass defines them (inf: not allowed;
    `ladders`: three hyphens in a row allowed)."""
    total, starts = 0.0, (0, *path)
    for line, (a, z) in enumerate(zip(starts, path)):
        room = (widths[0] if a == 0 else widths[1]) - (b.end[z] - b.start[a])
        spaces = b.spaces[z] - b.spaces_after[a]
        last = z == len(b.at) - 1
        give = spaces * b.space * (rules.stretch if room >= 0 else rules.shrink)
        if room < (0 if last else -spaces * rules.shrink * b.space) or (not ladders and line >= 2 and all(b.flagged[starts[k]] for k in (line - 1, line))
                        and b.flagged[z]):
            return INF
        ratio = 0.0 if last else (room / give if give else (0.0 if room < 0.5 else 1e3))
        total += (rules.line_penalty + 100 * abs(ratio) ** 3) ** 2 + b.penalty[z] ** 2
        total += rules.loose_demerits if ratio > rules.loose else 0
        total += rules.double_hyphen if b.flagged[z] and line and b.flagged[a] else 0
        total += rules.final_hyphen if last and b.flagged[a] and a else 0
        total += rules.runt_demerits if last and a and not spaces and b.end[z] - b.start[a] < rules.runt * widths[1] else 0
        total += rules.page_end_hyphen if b.flagged[z] and line in page_ends else 0
    if len(path) >= 2 and b.end[path[-1]] - b.start[starts[-3]] <= (widths[0] if starts[-3] == 0 else widths[1]):
        return INF  # the last two lines would fit as one
    return total


def _exhaustive(b: Breaks, widths: tuple[float, float], rules: Rules, ladders: bool = False) -> tuple[float, tuple]:
    """The least demerits of any breaks, and those breaks."""
    n = len(b.at)
    paths = (tuple(c) + (n - 1,) for r in range(n - 1) for c in itertools.combinations(range(1, n - 1), r))
    return min((_demerits(b, path, widths, rules, ladders=ladders), path) for path in paths)


def test_a_loose_line_is_worth_avoiding_at_the_cost_of_an_earlier_one() -> None:
    """Greedy fills the first line to the brim and leaves the second gaping; the optimum evens them."""
    b = _paragraph([2, 3, 4, 5, 2, 8, 8, 4])
    greedy = (5, 7, 8)  # "2 3 4 5 2" full, "8 8" spaced six times too wide, "4"
    assert choose(b, (20, 20), RULES, INF) == (4, 7, 8)  # "2 3 4 5", "2 8 8" full, "4"
    assert _demerits(b, (4, 7, 8), (20, 20), RULES) < _demerits(b, greedy, (20, 20), RULES) / 100


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(1, 7), min_size=2, max_size=9), st.sets(st.integers(0, 8), max_size=3),
       st.integers(9, 14), st.booleans())
@example([1, 1, 1, 4, 1, 1, 5, 3, 1], {7}, 11, False)  # a line shrunk exactly to its limit, lost to rounding
def test_the_optimiser_finds_the_least_demerits(words, hyphens, width, indented) -> None:
    """Against every way to break the paragraph (at most 2^11 of them)."""
    b = _paragraph([float(w) for w in words], {h for h in hyphens if h < len(words)})
    widths = (width - 2.0 if indented else float(width), float(width))
    path = choose(b, widths, RULES, INF)
    least, _ = _exhaustive(b, widths, RULES)
    if path is None:
        assert least == INF
    else:
        assert _demerits(b, path, widths, RULES) == pytest.approx(least)


def test_lines_keep_the_margin_and_shrink_no_further_than_the_rules_allow() -> None:
    b = _paragraph([3, 3, 3, 3, 3, 3, 3, 3])
    path = choose(b, (13, 13), STIFF, INF, margin=0.5)
    for a, z in zip((0, *path), path):
        assert b.end[z] - b.start[a] <= 12.5
    b = _paragraph([3, 3, 3, 3, 3, 3, 3])
    path = choose(b, (14.5, 14.5), RULES, INF, margin=0.5)  # "3 3 3 3" is 15: 14 with its 3 spaces a third narrower
    assert path[0] == 4  # four words on the first line, not three spaced three times too wide
    for a, z in zip((0, *path), path[:-1]):
        spaces = b.spaces[z] - b.spaces_after[a]
        assert b.end[z] - b.start[a] - spaces * RULES.shrink * b.space <= 14.0 + 1e-9
    assert b.end[path[-1]] - b.start[path[-2]] <= 14.0  # the last line is set at its natural width


def test_no_three_hyphens_in_a_row() -> None:
    """Four lines in a row would end in a hyphen at the least cost; no three ever do."""
    b = _paragraph([7, 6, 4, 2, 7, 3, 4, 5], hyphens=set(range(8)))
    rules = replace(RULES, double_hyphen=0)
    _, ladder = _exhaustive(b, (12, 12), rules, ladders=True)
    assert [b.flagged[j] for j in ladder] == [True, True, True, True, False]
    path = choose(b, (12, 12), rules, INF)
    flags = [b.flagged[j] for j in path]
    assert not any(all(flags[i:i + 3]) for i in range(len(flags) - 2)), flags


def test_a_hyphen_moves_off_a_pages_last_line() -> None:
    b = _paragraph([2, 2, 5, 2, 6, 8, 3, 7], hyphens={0, 4})
    assert choose(b, (20, 20), STIFF, INF) == (6, 9, 10) and b.flagged[6]  # the first line's best end: a hyphen...
    assert choose(b, (20, 20), STIFF, INF, page_ends=frozenset({0})) == (5, 9, 10)  # ...unless it ends a page


# ------------------------------------------------------------------ a real story, set and printed
def _story():
    """A seed story and a chapter of paragraphs the measure must leave alone."""
    story = load_one(SEEDS / "000_eade02fc94876b84.txt")
    odd = Chapter("Left alone", (
        Paragraph(("Tea, said the note in the margin: 東京の喫茶店 at noon, and not a minute later, or else.",)),
        Paragraph(("The water was H", Span("sub", ("2",)), "O and nothing else, whatever the label said.",)),
        Paragraph(("A" * 90 + " is not a word any line can hold, and so it overflows.",)),
        Paragraph(("She said it twice, ", Span("em", ("slowly",)), " and then a third time, "
                   "and by the end of the evening even the cat had stopped listening.",)),
    ))
    return replace(story, chapters=story.chapters + (odd,))


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The story's PDF (laid out in this process) and the lines set_lines chose for it."""
    from bookbinder.backends.pdf import write_pdf

    chosen: list[tuple[str, ...]] = []
    set_lines = linebreak.set_lines

    def recording(*args, **kwargs):
        lines = set_lines(*args, **kwargs)
        chosen.extend(lines.chosen)
        return lines
    story = _story()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(linebreak, "set_lines", recording)
        # The lines as first set: a page balanced (balance.py) sets some paragraphs again
        pdf = write_pdf(compose(Book(story.meta.title, [story])), PrintOptions(balance_pages=False), executor=Serial())
    path = tmp_path_factory.mktemp("lines") / "story.pdf"
    path.write_bytes(pdf)
    return story, path, chosen


def _pdf_lines(path: Path) -> list[str]:
    return [_squeezed(line.text) for page in pdf_view.pages(path) for line in page.lines]


def _drawn(line: str) -> str:
    """A chosen line as the PDF draws it: a soft hyphen at its end as a hyphen."""
    return line[:-1] + "-" if line.endswith("\u00ad") else line


def _squeezed(text: str) -> str:
    """Text with no white space at all: a PDF's text spaces words by their gaps, not by the text."""
    return re.sub(r"[\s\u00a0\u00ad]+", "", text)


def test_the_pdf_lines_end_where_the_optimiser_chose(printed) -> None:
    _, path, chosen = printed
    lines = [_squeezed(_drawn(line)) for paragraph in chosen for line in paragraph]
    assert len(lines) > 40
    pdf = set(_pdf_lines(path))
    assert [line for line in lines if line not in pdf] == []


def test_justified_lines_reach_the_column_edge(printed) -> None:
    """WeasyPrint stretches the no-break spaces: a set paragraph's lines but its last end flush."""
    _, path, chosen = printed
    full = {_squeezed(_drawn(line)) for paragraph in chosen for line in paragraph[:-1]}
    pages = [[line.x1 for line in page.lines if _squeezed(line.text) in full] for page in pdf_view.pages(path)]
    assert sum(map(len, pages)) > 30
    for edges in pages:
        assert not edges or max(edges) - min(edges) < 0.6, edges


def test_no_word_is_lost_or_changed_in_the_pdf(printed) -> None:
    """Soft hyphens and no-break spaces change no word: each set paragraph's lines, joined, are
    its text, and each is in the PDF's text as it was chosen."""
    story, path, chosen = printed
    source = {" ".join(p.text.split()) for chapter in story.chapters for p in chapter.blocks
              if isinstance(p, Paragraph)}
    pdf = "".join(_pdf_lines(path))  # lines as drawn: a PDF's plain text joins a word hyphenated at a line's end
    assert len(chosen) > 20
    for paragraph in chosen:
        assert _joined(paragraph) in source
        assert [line for line in paragraph if _squeezed(_drawn(line)) not in pdf] == []


def _joined(lines: tuple[str, ...]) -> str:
    """Lines back into their paragraph: a soft hyphen goes, a hyphen or a dash joins, a space else."""
    out = ""
    for line in lines:
        out += line + ("" if line.endswith(("\u00ad", "-", "\u2010", "\u2013", "\u2014")) else " ")
    return " ".join(out.replace("\u00ad", "").split())


def test_right_to_left_text_is_left_to_weasyprint() -> None:
    p = E.p("שלום עולם, " * 30)
    tree = document("T", "he", [E.article({"dir": "rtl"}, E.section({"class": "chapter"}, p))])
    lines = linebreak.set_lines(tree, linebreak.Measure(300.0, 14.0), _font_map())
    assert lines.chosen == () and lines.left[0].endswith("right-to-left text")


def test_paragraphs_left_to_weasyprint_are_reported(caplog) -> None:
    from bookbinder.backends.pdf import write_pdf

    story = _story()
    story = replace(story, chapters=story.chapters[-1:])
    with caplog.at_level(logging.INFO, logger="bookbinder.lines"):
        write_pdf(compose(Book(story.meta.title, [story])), PrintOptions(), executor=Serial())
    notes = [r.getMessage() for r in caplog.records if "[lines-left]" in r.getMessage()]
    assert any("lacks (" in n and "東" in n for n in notes), notes
    assert any("inline <sub>" in n for n in notes), notes
    assert any("wider than the line" in n for n in notes), notes
    assert len(notes) == 3 and all("Left alone, the paragraph" in n for n in notes), notes


# ------------------------------------------------------------------ the document's text
_WORDS = st.lists(st.sampled_from(["the", "and", "extraordinary", "well-known", "sir—", "‘Oh!’", "it’s", "hyphenation",
                                   "uncharacteristically", "a\u00a0b", "co\u00adoperate", "…", "tea"]),
                  min_size=1, max_size=40)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_WORDS, st.lists(st.sampled_from([" ", "  ", "\n", " \t "]), min_size=40, max_size=40), st.integers(0, 40))
def test_setting_lines_changes_no_word_of_the_document(words, gaps, italic) -> None:
    """Only white space (collapsed, or made no-break), soft hyphens and span.unbroken change."""
    text = "".join(w + g for w, g in zip(words, gaps)).strip()
    head, tail = " ".join(words[:italic]), " ".join(words[italic:])
    p = E.p(head + " ", E.em(tail)) if italic < len(words) else E.p(text)
    tree = document("T", "en", [E.section({"class": "chapter"}, p)])
    before = _words(tree)
    lines = linebreak.set_lines(tree, linebreak.Measure(200.0, 14.0), _font_map())
    assert _words(lines.tree) == before
    assert _words(tree) == before  # the tree given is not touched


def _words(tree) -> list[str]:
    text = "".join(tree.getroot().find(".//{http://www.w3.org/1999/xhtml}p").itertext())
    return text.replace("\u00ad", "").replace("\u00a0", " ").split()


def _font_map():
    from bookbinder.backends.pdf import _styles

    return _styles("6x9in", "")[0].font_map


def test_a_paragraph_set_a_line_longer_as_loosely_as_allowed() -> None:
    """TeX's \\looseness=1: the least-demerit breaks with one line more, none looser than the limit."""
    from bookbinder.backends.knuthplass import loosened, ratios

    b = _paragraph([2.0, 3, 2, 4, 2, 3, 5, 2, 3, 2, 4])
    widths = (20, 20)
    path = choose(b, widths, RULES, INF)
    longer = loosened(b, widths, RULES, len(path) + 1, limit=2.0)
    assert longer is not None and len(longer[0]) == len(path) + 1 == 3
    assert max(ratios(b, longer[0], widths, RULES)) <= 2.0
    n = len(b.at)
    paths = [tuple(c) + (n - 1,) for c in itertools.combinations(range(1, n - 1), len(path))]
    fair = [p for p in paths if _demerits(b, p, widths, RULES) < INF and max(ratios(b, p, widths, RULES)) <= 2.0]
    best_longer = min(fair, key=lambda p: _demerits(b, p, widths, RULES))
    assert longer[0] == best_longer
    assert loosened(b, widths, RULES, len(path) + 1, limit=0.5) is None  # none so tight has a line more

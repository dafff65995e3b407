"""Paragraph-at-once line breaking for the print PDF: the print document's XHTML tree -> the same
tree with the breaks of every justified body paragraph chosen and fixed, and a diagnostic for
each paragraph left to WeasyPrint's own breaks.

WeasyPrint fills each line as full as it can and moves on (greedy breaking), so one long word can
leave a line's spaces gaping and hyphens pile up. Here each paragraph's breaks are chosen at once
as TeX chooses them (Knuth and Plass, "Breaking Paragraphs into Lines", 1981; `knuthplass`):

1. read: a chapter's paragraph -> its text as it will be set (white space collapsed as CSS
   collapses it), in runs of one text node and one face each;
2. measure: each run shaped by Pango through WeasyPrint's own font map, every space as the no-break
   space it will be (`pangometrics`): x where each character starts, as WeasyPrint will set it;
3. candidates: where a line may end: at a space or after a hyphen or a dash where Pango allows it,
   at a hyphenation point of the story's language (pyphen's patterns, which WeasyPrint uses);
4. choose: the least-demerit breaks, spaces stretching by up to half and shrinking by up to a
   third, as TeX's do, and the type by up to 2% wider or narrower (pdfTeX's font expansion),
   each line kept `Measure.margin` short of the column;
5. write: WeasyPrint is made to set exactly those lines (`linewrite`): no-break spaces inside a
   line, soft hyphens where one ends at a hyphenation point, a shrunk line's spaces narrowed by a
   negative word-spacing so it fits (justification stretches it back to the column), a line's
   type scaled by its font-size.

A paragraph the measure cannot be trusted with keeps WeasyPrint's breaks and says why: an inline
element of another size or an unknown style, a glyph the book face lacks (another script, say),
right-to-left text, a word wider than the line. Story text is only ever set as lxml text.
"""
from __future__ import annotations

import copy
import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from itertools import accumulate

from lxml import etree

from .knuthplass import Breaks, Rules, best, demerits, joinable, loosened, widest
from .linewrite import NBSP, SET, SHY, UNBROKEN, XHTML, Shrink, write
from .pangometrics import BOLD, ITALIC, Face, Shaper, opportunities

__all__ = ["Lines", "Measure", "SET", "UNBROKEN", "body_paragraphs", "set_lines"]
_FACES = {"em": ITALIC, "i": ITALIC, "cite": ITALIC, "strong": BOLD, "b": BOLD}  # as WeasyPrint's own stylesheet
_PLAIN = {"span", "a", "u", "s"}  # set in the face around them (lines under or through take no width)
_QUIET = {"href", "id", "title"}  # attributes that change nothing on the page
_WHITE = re.compile(r"[ \t\n\r\f]+")  # what CSS collapses (U+00A0 is not among them)
_WORD = re.compile(r"[^\W\d_]{5,}")  # a run of letters long enough to hyphenate
_HYPHENS, _DASHES = "-\u2010", "\u2013\u2014"
_SPACES = re.compile("[ \u00a0]")  # what WeasyPrint stretches


@dataclass(frozen=True)
class Measure:
    """The column and the type of body text, in CSS px (1/96 in), as the print stylesheet sets them."""

    width: float                 # the text column
    font_size: float             # an indented first line is indented one em of it
    families: str = "Bookbinder Serif,DejaVu Serif,serif"
    face: str = "Bookbinder Serif"  # a glyph from any other family: the paragraph is left alone
    hyphen: str = "-"            # print.css's hyphenate-character for these paragraphs
    margin: float = 0.5          # kept free on every line, against measuring a hair short
    shrink_step: float = 0.01    # em: print.css's span.ws-1 to ws-8 narrow a line's spaces by 1 to 8 of these
    shrink_steps: int = 8
    expand_step: float = 0.005   # print.css's span.fx-1 to fx-4 set a line's type 1 to 4 of these wider,
    expand_wider: int = 4        # fx-m1 to fx-m4 1 to 4 narrower (+2% and -2% at most, microtype's
    expand_narrower: int = 4     # default font expansion)


@dataclass(frozen=True)
class Lines:
    """What `set_lines` gives back."""

    tree: etree._ElementTree
    chosen: tuple[tuple[str, ...], ...]  # each set paragraph's lines as plain text; one that ends at a
                                         # hyphenation point ends in U+00AD, drawn as a hyphen
    left: tuple[str, ...]                # each paragraph left to WeasyPrint: where, and why


@dataclass(frozen=True)
class Positions:
    """Where each character of a paragraph starts (and where it ends), as WeasyPrint will set it on
    one line, every space a no-break space; and whether a character begins a cluster."""

    x: tuple[float, ...]
    clusters: tuple[bool, ...]


@dataclass(frozen=True, eq=False)
class Paragraph:
    """A paragraph's text as it will be set, in runs of one text node each."""

    element: etree._Element
    text: str
    runs: tuple[tuple[etree._Element, bool, int, int, int], ...]  # (element, is tail, style, start, end)
    lang: str
    indented: bool


def set_lines(tree: etree._ElementTree, measure: Measure, font_map, rules: Rules = Rules(),
              page_ends: frozenset = frozenset(), looser: frozenset = frozenset()) -> Lines:
    """A copy of `tree` with the breaks of its justified body paragraphs fixed. `font_map` is
    WeasyPrint's (`FontConfiguration.font_map`, with the book's @font-face rules loaded);
    `page_ends` holds (paragraph, line) numbers, from 0 in `body_paragraphs` order, known to end a page;
    `looser` the numbers of paragraphs to set one line longer where they can be (`loosen_costs`)."""
    tree = copy.deepcopy(tree)
    shaper, shrink, rules = _setup(measure, font_map, rules)
    chosen, left = [], []
    for number, p in enumerate(body_paragraphs(tree)):
        ends = frozenset(line for n, line in page_ends if n == number)
        result = _set_paragraph(p, measure, shaper, rules, ends, shrink, number in looser)
        if isinstance(result, str):
            left.append(f"{_where(p)}: {result}")
        else:
            chosen.append(result)
    return Lines(tree, tuple(chosen), tuple(left))


def loosen_costs(tree: etree._ElementTree, measure: Measure, font_map, numbers, rules: Rules = Rules()
                 ) -> dict[int, float]:
    """For each paragraph number given, what setting it one line longer costs (demerits more),
    for those that can be so set (`knuthplass.loosened`): how pages are filled (`balance`)."""
    shaper, _, rules = _setup(measure, font_map, rules)
    paragraphs, costs = body_paragraphs(tree), {}
    for number in numbers:
        prepared = _prepare(paragraphs[number], measure, shaper, rules)
        if isinstance(prepared, str):
            continue
        _, breaks, widths = prepared
        path = best(breaks, widths, rules, measure.margin)
        longer = loosened(breaks, widths, rules, len(path) + 1, measure.margin) if path else None
        if longer is not None and not joinable(breaks, longer[0], widths):
            costs[number] = longer[1] - demerits(breaks, path, widths, rules, measure.margin)
    return costs


def _setup(measure: Measure, font_map, rules: Rules) -> tuple[Shaper, Shrink, Rules]:
    """The shaper, the shrink print.css can set, and the rules with no more shrink than that."""
    shaper = Shaper(font_map, Face(measure.families, measure.font_size, measure.face, measure.hyphen))
    shrink = Shrink(measure.shrink_step * measure.font_size, measure.shrink_steps, measure.expand_step,
                    measure.expand_wider, measure.expand_narrower)
    space = shaper.space("en")
    return shaper, shrink, replace(rules, shrink=min(rules.shrink, shrink.step * shrink.most / space),
                                   expand=shrink.expand * shrink.wider, contract=shrink.expand * shrink.narrower)


def body_paragraphs(tree: etree._ElementTree) -> list[etree._Element]:
    """The justified story text: a chapter's own paragraphs of no class (verse and centred lines
    have one, and are not justified)."""
    return [p for section in tree.iter(f"{XHTML}section") if "chapter" in (section.get("class") or "").split()
            for p in section.iterchildren(f"{XHTML}p") if p.get("class") is None]


def _set_paragraph(p: etree._Element, measure: Measure, shaper: Shaper, rules: Rules,
                   page_ends: frozenset, shrink: Shrink, looser: bool = False) -> tuple[str, ...] | str:
    """Choose and fix one paragraph's breaks: its lines, or why it was left alone."""
    prepared = _prepare(p, measure, shaper, rules)
    if isinstance(prepared, str) or prepared is None:
        return prepared if isinstance(prepared, str) else ()
    (para, where), breaks, widths = prepared
    path = best(breaks, widths, rules, measure.margin, page_ends)
    longer = loosened(breaks, widths, rules, len(path) + 1, measure.margin, page_ends) if looser and path else None
    if longer is not None and not joinable(breaks, longer[0], widths):
        path = longer[0]
    if path is None and widest(breaks) > widths[1] - measure.margin:
        return "a word is wider than the line"
    if path is None or joinable(breaks, path, widths):
        return "its last line would all but fit on the line before"
    return write(para, where.x, breaks, path, widths, measure.margin, shrink)


def _prepare(p: etree._Element, measure: Measure, shaper: Shaper, rules: Rules):
    """((paragraph, positions), breaks, line widths) of a paragraph; None for an empty one, or why
    it cannot be measured."""
    para = read(p)
    if isinstance(para, str) or not para.text:
        return para if isinstance(para, str) else None
    where = positions(para, shaper)
    if isinstance(where, str):
        return where
    widths = (measure.width - (measure.font_size if para.indented else 0.0), measure.width)
    return (para, where), candidates(para, where, shaper, rules), widths


# ------------------------------------------------------------------ reading a paragraph
def read(p: etree._Element) -> Paragraph | str:
    """The paragraph's text nodes in order, white space collapsed as CSS collapses it."""
    if any(node.get("dir", "ltr") != "ltr" for node in (p, *p.iterancestors())):
        return "right-to-left text"  # measured and set left to right here
    slots: list[tuple[etree._Element, bool, int]] = []
    reason = _slots(p, 0, slots)
    if reason:
        return reason
    texts = _collapse([(el.tail if tail else el.text) or "" for el, tail, _ in slots])
    runs, start = [], 0
    for (el, tail, style), text in zip(slots, texts):
        runs.append((el, tail, style, start, start + len(text)))
        start += len(text)
    return Paragraph(p, "".join(texts), tuple(runs), _lang(p), _indented(p))


def _slots(el: etree._Element, style: int, out: list) -> str | None:
    """Every text node under `el` with the face it is set in; a reason if one is not measurable."""
    out.append((el, False, style))
    for child in el:
        if isinstance(child.tag, str):
            tag = etree.QName(child).localname
            if tag not in _FACES and tag not in _PLAIN:
                return f"an inline <{tag}> the measure does not know"
            if set(child.attrib) - _QUIET:
                return f"an inline <{tag}> with attributes that may change its type"
            reason = _slots(child, style | _FACES.get(tag, 0), out)
            if reason:
                return reason
        out.append((child, True, style))
    return None


def _collapse(texts: list[str]) -> list[str]:
    """Runs of white space as one space, none at the paragraph's ends, none doubled across nodes.
    Soft hyphens go: the breaks chosen here put back the ones they use."""
    out, space_before = [], True
    for text in texts:
        text = _WHITE.sub(" ", text.replace(SHY, ""))
        if space_before and text.startswith(" "):
            text = text[1:]
        if text:
            space_before = text.endswith(" ")
        out.append(text)
    last = max((i for i, t in enumerate(out) if t), default=None)
    if last is not None and out[last].endswith(" "):
        out[last] = out[last][:-1]
    return out


def _lang(el: etree._Element) -> str:
    """The language WeasyPrint sets the paragraph in: its own `lang`, or its nearest ancestor's."""
    for node in (el, *el.iterancestors()):
        lang = node.get("lang") or node.get("{http://www.w3.org/XML/1998/namespace}lang")
        if lang:
            return lang
    return "en"


def _indented(p: etree._Element) -> bool:
    """base.css: no indent for a section's first paragraph or one after a heading, rule or list."""
    before = p.getprevious()
    while before is not None and not isinstance(before.tag, str):
        before = before.getprevious()
    if before is None:
        return False
    if etree.QName(before).localname in {"h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "dl"}:
        return False
    return any(etree.QName(s).localname == "p" for s in p.itersiblings(preceding=True) if isinstance(s.tag, str))


def _where(p: etree._Element) -> str:
    """The story, the chapter (its heading, or its label) and the paragraph's first words."""
    section = p.getparent()
    story = next((a for a in section.iterancestors(f"{XHTML}article")), None)
    title = _text(next(story.iter(f"{XHTML}h1"), None)) if story is not None else ""
    chapter = _text(next((h for h in section if isinstance(h.tag, str) and re.fullmatch(r"h[1-6]", h.tag[len(XHTML):])),
                         None)) or section.get("aria-label") or section.get("id") or "a chapter"
    words = " ".join("".join(p.itertext()).split()[:6])
    return f"{title + ': ' if title else ''}{chapter}, the paragraph “{words}…”"


def _text(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


# ------------------------------------------------------------------ measuring it, and where a line may end
def positions(para: Paragraph, shaper: Shaper) -> Positions | str:
    """x where each character starts (and the text ends), every space set as a no-break space, and
    whether a character begins a cluster; or which glyphs the book face lacks."""
    x, clusters, lacking = [0.0], [], ""
    for _, _, style, a, b in para.runs:
        if a == b:
            continue
        shaped = shaper.shape(para.text[a:b].replace(" ", NBSP), style, para.lang)
        lacking += shaped.foreign
        x += accumulate(shaped.advances, initial=x.pop())
        clusters += shaped.clusters
    lacking = "".join(sorted(set(lacking) - {" ", NBSP}))
    if lacking:
        return f"glyphs the book face lacks ({lacking[:20]})"
    return Positions(tuple(x), tuple(clusters))


def candidates(para: Paragraph, where: Positions, shaper: Shaper, rules: Rules) -> Breaks:
    """Every place a line may end: after a space, a hyphen or a dash where Pango may break (never
    before "!" or "…": UAX 14), at a hyphenation point of the paragraph's language, and, at a
    cost, anywhere else Pango may break (after a slash, between two "+")."""
    x, text = where.x, para.text
    spaces = [m.start() for m in _SPACES.finditer(text)]  # bisect_left(spaces, k): the spaces before k
    allowed, soft = opportunities(text, para.lang), hyphenation_points(para, where.clusters, rules)
    rows = [(0, 0.0, 0.0, 0, 0, 0.0, False, False)]
    for k in sorted(allowed | soft):
        before, n = text[k - 1], bisect_left(spaces, k)
        if before == " " and k in allowed:
            rows.append((k, x[k - 1], x[k], n - 1, n, 0.0, False, False))
        elif text[k] in " " + NBSP or before in " " + NBSP:
            continue
        elif k in soft:
            end = x[k - 1] + shaper.with_hyphen(before, _style_at(para, k - 1), para.lang)
            rows.append((k, end, x[k], n, n, rules.hyphen_penalty, True, True))
        else:
            penalty = rules.hyphen_penalty if before in _HYPHENS else rules.dash_penalty if before in _DASHES \
                else rules.other_penalty
            rows.append((k, x[k], x[k], n, n, penalty, before in _HYPHENS, False))
    rows.append((len(text), x[-1], x[-1], len(spaces), len(spaces), 0.0, False, False))
    return Breaks(*map(tuple, zip(*rows)), space=shaper.space(para.lang))


def hyphenation_points(para: Paragraph, clusters: tuple[bool, ...], rules: Rules) -> set[int]:
    """Where the language's patterns allow a hyphen: inside one text node, never in a ligature."""
    dictionary = _dictionary(para.lang, rules.left, rules.right)
    if dictionary is None:
        return set()
    edges = {a for _, _, _, a, _ in para.runs}
    return {m.start() + i for m in _WORD.finditer(para.text) for i in dictionary.positions(m.group())
            if clusters[m.start() + i] and m.start() + i not in edges}


_DICTIONARIES: dict[tuple[str, int, int], object] = {}


def _dictionary(lang: str, left: int, right: int):
    """pyphen's patterns for `lang` (loaded once a process), or None if it has none."""
    import pyphen

    key = (lang, left, right)
    if key not in _DICTIONARIES:
        name = pyphen.language_fallback(lang.replace("-", "_"))
        _DICTIONARIES[key] = pyphen.Pyphen(lang=name, left=left, right=right) if name else None
    return _DICTIONARIES[key]


def _style_at(para: Paragraph, k: int) -> int:
    return next(style for _, _, style, a, b in para.runs if a <= k < b)

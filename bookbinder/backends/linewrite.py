"""Making WeasyPrint set the chosen lines: a paragraph (`linebreak.Paragraph`), where its characters
start and the breaks chosen for it -> its text nodes rewritten so that WeasyPrint, breaking
greedily, sets exactly those lines.

- A space that ends no line becomes a no-break space (WeasyPrint stretches U+00A0 like U+0020
  when it justifies: `count_expandable_spaces` and `Layout.set_text` in weasyprint).
- A chosen hyphenation point becomes a soft hyphen under `hyphens: manual`.
- A line too long for the column at its natural width, whose spaces the optimiser shrank, is held
  in a `span.ws-N`: `word-spacing: -N/100 em` (print.css), the least N that makes it fit. WeasyPrint
  measures it so and breaks after it; its justification then stretches the line back to the
  column (it adds to word-spacing, a Pango letter-spacing on each space), so the spaces come out
  as the optimiser set them.
- A line's type may be scaled a little, as pdfTeX's font expansion does (`span.fx-N`: font-size
  100.5% to 102%, or 99.5% and 99%, at line-height 0 so the grid holds): the type's share of
  the line's adjustment, so its spaces need not stretch alone. Letter-spacing would do the same
  on paper, but WeasyPrint draws each glyph's letter-spacing shift truncated to a thousandth of
  the em (`int(kerning)` in weasyprint/draw/text.py), so a tracked line ends up to a pixel short
  of the column; scaled glyphs are drawn at their own widths.
- A word where Pango could still break earlier than chosen (before a dash, after a slash) is held
  in a `span.unbroken` (`white-space: nowrap`). WeasyPrint takes the last break that fits, and the
  chosen one is the last that does.

Text changes only by no-break spaces and soft hyphens; story text is only ever set as lxml text.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate
from math import ceil

from lxml import etree

from .knuthplass import Breaks
from .pangometrics import opportunities

XHTML = "{http://www.w3.org/1999/xhtml}"
NBSP, SHY = "\u00a0", "\u00ad"
SET = "set-lines"      # a paragraph whose breaks were chosen here (print.css: hyphens: manual)
UNBROKEN = "unbroken"  # a word WeasyPrint must not break (print.css: white-space: nowrap)
SHRUNK = "ws-"         # a line whose spaces shrink, ws-1 to ws-8 (print.css: word-spacing -0.01em to -0.08em)
EXPANDED = "fx-"       # a line whose type is scaled, fx-1 to fx-4 and fx-m1 to fx-m4 (print.css: 0.5% a step)


@dataclass(frozen=True)
class Shrink:
    """The word- and letter-spacing classes print.css has for set lines, in CSS px at the body size."""

    step: float   # one class's word-spacing (0.01 em)
    most: int = 8  # classes ws-1 to ws-8
    expand: float = 0.0  # one font-size step, a share of the size (0.005); 0: no line is scaled
    wider: int = 4       # fx-1 to fx-4
    narrower: int = 4    # fx-m1 to fx-m4


def write(para, x: tuple[float, ...], b: Breaks, path: tuple[int, ...], widths: tuple[float, float],
          margin: float, shrink: Shrink) -> tuple[str, ...] | str:
    """Fix the chosen breaks in the paragraph's tree; its lines as plain text, or why it cannot be."""
    at = [b.at[j] for j in path[:-1]]
    soft = {b.at[j] for j in path[:-1] if b.soft[j]}
    texts = [_final_text(para.text, a, z, at, soft) for _, _, _, a, z in para.runs]
    steps = adjustments(b, path, widths, margin, shrink, _fragments(para.text, x, at, soft))
    reach = _reach(para.text, x, b, path, widths, margin,
                   [(w * shrink.step, min(0, t) * shrink.expand) for w, t in steps])
    starts = [k + sum(s <= k for s in soft) for k in at]  # where each line but the first starts, in the new text
    held = _held_words(para.lang, texts, set(starts), reach)
    if isinstance(held, str):
        return held
    ends_in = [SHY if k in soft else " " if para.text[k - 1] == " " else "" for k in at]
    lines = _shrunk_lines("".join(texts), starts, ends_in, [_classes(w, t) for w, t in steps])
    edges = list(accumulate(map(len, texts), initial=0))
    for (el, tail, _, _, _), text, words, a in zip(para.runs, texts, held, edges):
        mine = [(max(p, a) - a, min(q, a + len(text)) - a, n) for p, q, n in lines if p < a + len(text) and q > a]
        _set_text(el, tail, text, words, mine)
    para.element.set("class", SET)
    edges = (0, *at, len(para.text))
    return tuple(para.text[a:z].strip() + (SHY if z in soft else "") for a, z in zip(edges, edges[1:]))


def adjustments(b: Breaks, path: tuple[int, ...], widths: tuple[float, float], margin: float, shrink: Shrink,
                fragments: tuple[float, ...] = ()) -> tuple[tuple[int, int], ...]:
    """For each line, (word-spacing steps narrower, type scaling steps wider or, below 0, narrower):
    the type scaled as its share of the line's adjustment asks, rounded toward the natural width
    when the line stretches (justification widens the spaces for the rest) and away from it when
    it shrinks; then the least word shrink that fits it in its width less `margin`. `fragments`:
    the width at each line's head of a word divided at the line before, which is set in that
    line's scaling (no span ends at a soft hyphen: `_shrunk_lines`)."""
    out: list[tuple[int, int]] = []
    for line, (a, z) in enumerate(zip((0, *path), path)):
        if z == len(b.at) - 1:
            out.append((0, 0))  # the last line is set at its natural width
            continue
        natural, frag = b.end[z] - b.start[a], fragments[line] if line < len(fragments) else 0.0
        room = (widths[0] if a == 0 else widths[1]) - margin - natural
        room -= frag * (out[-1][1] * shrink.expand if out else 0.0)  # its head scaled as the line before
        spaces = b.spaces[z] - b.spaces_after[a]
        scale = _scale(room, spaces, natural - frag, b.space, shrink)
        over = -room + (natural - frag) * scale * shrink.expand
        words = max(0, ceil(over / spaces / shrink.step - 1e-9)) if over > 0 and spaces else 0
        out.append((words, scale))
    return tuple(out)


def _scale(room: float, spaces: int, width: float, space: float, shrink: Shrink) -> int:
    """A line's type scaling steps: the type's share of its stretch (or shrink), as the optimiser
    shares it between spaces and type, in whole steps toward none."""
    if not shrink.expand or width <= 0:
        return 0
    if room >= 0:
        give = width * shrink.expand * shrink.wider
        return min(shrink.wider, int(room * give / (give + spaces * space / 2) / width / shrink.expand))
    give = width * shrink.expand * shrink.narrower
    share = -room * give / (give + spaces * shrink.step * shrink.most)
    return -min(shrink.narrower, ceil(share / width / shrink.expand - 1e-9))


def _classes(words: int, scale: int) -> str:
    """print.css's classes for a line's spacing and scaling ('' for none)."""
    names = [f"{SHRUNK}{words}"] if words else []
    names += [f"{EXPANDED}{scale}" if scale > 0 else f"{EXPANDED}m{-scale}"] if scale else []
    return " ".join(names)


def _fragments(text: str, x: tuple[float, ...], at: list[int], soft: set[int]) -> tuple[float, ...]:
    """For each line, the width at its head of a word divided by a soft hyphen at the line before."""
    return (0.0, *(x[_next_space(text, k)] - x[k] if k in soft else 0.0 for k in at))


def _final_text(text: str, a: int, z: int, at: list[int], soft: set[int]) -> str:
    """text[a:z] as it will be set: no-break spaces but where a line ends, soft hyphens where one does."""
    out, cut = [], a
    for k in (k for k in at if a < k <= z):  # a line starts at k: after a space, a soft hyphen or neither
        out.append(text[cut:k - 1].replace(" ", NBSP) + text[k - 1])
        out.append(SHY if k in soft else "")
        cut = k
    out.append(text[cut:z].replace(" ", NBSP))
    return "".join(out)


def _shrunk_lines(text: str, starts: list[int], ends_in: list[str], steps: list[str]
                  ) -> list[tuple[int, int, str]]:
    """(start, end, classes) of each line set tighter or looser in the new text `text`. `ends_in`: how each line but
    the last ends, " " (at a space, which WeasyPrint drops: left out), SHY, or "" (after a hyphen
    or a dash). WeasyPrint draws the hyphen of a soft hyphen only when it breaks inside a text box,
    never at a box's end: so no span begins or ends at one, and the word it divides stays with the
    line before (it has no space to shrink)."""
    word_ends = [_next_space(text, k) if end == SHY else k for k, end in zip(starts, ends_in)]
    ends = [k - 1 if end == " " else w for k, w, end in zip(starts, word_ends, ends_in)] + [len(text)]
    spans = zip((0, *word_ends), ends, steps)
    return [(a, z, n) for a, z, n in spans if n and z > a]  # the last line is never shrunk


def _next_space(text: str, k: int) -> int:
    ends = [i for i in (text.find(" ", k), text.find(NBSP, k)) if i >= 0]
    return min(ends, default=len(text))


def _reach(text: str, x: tuple[float, ...], b: Breaks, path: tuple[int, ...], widths: tuple[float, float],
           margin: float, shrunk: list[tuple[float, float]]):
    """Whether WeasyPrint, filling the line before the one holding character k, could reach k: its
    spaces and type and the next line's narrowed (px a space, a share of the width below 0) as
    the narrower of the two are (so, if anything, too far)."""
    at = [b.at[j] for j in path[:-1]]
    starts = (0, *path)
    spaces = list(accumulate((c in " " + NBSP for c in text), initial=0))  # spaces before character k

    def reach(k: int) -> bool:
        line = bisect_left(at, k + 1)  # the line holding character k
        if line == 0:
            return False
        before = starts[line - 1]
        words, letters = zip(shrunk[line - 1], shrunk[line] if line < len(shrunk) else (0.0, 0.0))
        width = x[k] - b.start[before] - max(words) * (spaces[k] - b.spaces_after[before])
        width *= 1 + min(letters)
        return width <= (widths[0] if before == 0 else widths[1]) + margin
    return reach


def _held_words(lang: str, texts: list[str], chosen: set[int], reach) -> list[list[tuple[int, int]]] | str:
    """Per text node, the words to hold unbroken: those where Pango could still break and the line
    before could reach (WeasyPrint takes the last break that fits, so one inside a line never is).
    A reason when such a place is at a node's edge, where no span can hold it."""
    final = "".join(texts)
    edges, held = [0], [[] for _ in texts]
    for text in texts:
        edges.append(edges[-1] + len(text))
    for q in sorted(opportunities(final, lang) - chosen):
        if not reach(q - final.count(SHY, 0, q)):
            continue
        node = bisect_left(edges, q + 1) - 1
        if q == edges[node]:
            return "a break Pango could take at an inline element's edge"
        keep = [c - edges[node] for c in chosen if edges[node] < c < edges[node + 1]]
        held[node].append(_word(texts[node], q - edges[node], keep))
    return [_merged(words) for words in held]


def _word(text: str, offset: int, chosen: list[int]) -> tuple[int, int]:
    """The word around a break before text[offset] (a no-break space after it included), or, when
    a chosen break is inside that word, the two characters around it (the chosen one stays free)."""
    left = max(text.rfind(" ", 0, offset), text.rfind(NBSP, 0, offset)) + 1
    ends = [i for i in (text.find(" ", offset), text.find(NBSP, offset)) if i >= 0]
    right = offset + 1 if text[offset] in " " + NBSP else min(ends, default=len(text))
    if any(left < c < right for c in chosen):
        return offset - 1, offset + 1
    return left, right


def _merged(words: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Ranges that overlap as one."""
    out: list[tuple[int, int]] = []
    for a, z in sorted(words):
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(z, out[-1][1]))
        else:
            out.append((a, z))
    return out


def _set_text(el: etree._Element, tail: bool, text: str, words: list[tuple[int, int]],
              lines: list[tuple[int, int, str]]) -> None:
    """A text node's new text: each of `lines` ((start, end, classes) in it) in a span of those
    classes, and each of `words` (ranges) in a span.unbroken, inside the line's span where it has one."""
    head, top = "", []
    for a, z, steps in _pieces(len(text), lines):
        inner, spans = _unbroken(el, text, a, z, words)
        if steps:
            line = el.makeelement(f"{XHTML}span", {"class": steps})
            line.text = inner
            line.extend(spans)
            top.append(line)
        elif top:
            top[-1].tail = (top[-1].tail or "") + inner
            top.extend(spans)
        else:
            head += inner
            top.extend(spans)
    if tail:
        el.tail = head
        parent, index = el.getparent(), el.getparent().index(el)
        for n, span in enumerate(top):
            parent.insert(index + 1 + n, span)
    else:
        el.text = head
        for n, span in enumerate(top):
            el.insert(n, span)


def _pieces(length: int, lines: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """0..length cut at the set lines' edges: (start, end, classes), '' between them."""
    out, at = [], 0
    for a, z, steps in lines:
        if a > at:
            out.append((at, a, ""))
        if z > a:
            out.append((a, z, steps))
        at = max(at, z)
    if at < length or not out:
        out.append((at, length, ""))
    return out


def _unbroken(el: etree._Element, text: str, a: int, z: int, words: list[tuple[int, int]]
              ) -> tuple[str, list[etree._Element]]:
    """text[a:z] as the text before its first held word, and a span.unbroken (its tail the text
    up to the next) for each held word in it."""
    inside = [(max(p, a), min(q, z)) for p, q in words if p < z and q > a]
    spans = []
    for (p, q), after in zip(inside, [p for p, _ in inside[1:]] + [z]):
        span = el.makeelement(f"{XHTML}span", {"class": UNBROKEN})
        span.text, span.tail = text[p:q], text[q:after]
        spans.append(span)
    return text[a:inside[0][0] if inside else z], spans

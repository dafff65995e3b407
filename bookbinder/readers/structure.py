"""The body's structure: list[Unit] -> tuple[Chapter, ...] of paragraphs, verse and scene breaks.

Scene breaks come from marker lines and from gaps larger than the story's usual paragraph
gap; chapters from heading lines ("Chapter 3", "Part Two: Title", "Prologue", numbered "IV.").
"""
from __future__ import annotations

import re
from dataclasses import replace
from collections import Counter

from ..clean.emphasis import emphasize
from ..model import Block, Chapter, Diagnostic, Heading, LineGroup, Note, Paragraph, SceneBreak, Span
from .header import is_note_start, is_review_plea, looks_like_note, note_label, strip_label
from .inline import line_group, paragraph
from .patterns import bare_numeral, chapter_heading, heading_text, is_marker, numeral_value
from .segment import Unit

_QUOTES_OPEN = "\"“‘'«„"
_SMALL_WORDS = {"from", "with", "into", "upon", "over", "under", "about", "after", "than", "that", "this", "what"}
_SHORT_LINE = 60


def usual_gap(units: list[Unit]) -> int:
    """The blank lines that usually separate paragraphs (the most common gap; ties: the smaller)."""
    gaps = Counter(u.gap for u in units[1:] if not is_marker(u.text))
    if not gaps:
        return 1
    return min(gaps, key=lambda g: (-gaps[g], g))


def build_chapters(units: list[Unit], diagnostics: list[Diagnostic]) -> tuple[Chapter, ...]:
    groups = _split_chapters(units)
    bodies = body_blocks([group for _, group in groups], diagnostics, every=units, edge_notes=len(groups) > 1,
                         names=[heading[0] if heading else None for heading, _ in groups])
    chapters = []
    for (heading, _), (notes, blocks, end_notes) in zip(groups, bodies):
        if not blocks and not heading:
            continue
        label, title, shown = heading or (None, None, None)
        chapters.append(Chapter(shown, blocks, notes=notes, end_notes=end_notes, title=title, label=label))
    return tuple(chapters) or (Chapter(None, ()),)


def _split_chapters(units: list[Unit]) -> list[tuple[tuple[str, str | None, str] | None, list[Unit]]]:
    heads = {i: (*h, heading_text(u.text)) for i, u in enumerate(units) if u.single and (h := chapter_heading(u.text))}
    marked = {i for i, u in enumerate(units) if u.heading and not u.section}
    if len(marked) >= 2 and set(heads) - marked:
        # The file marks its pieces itself (Aozora's 見出し, underlined titles): a "第一章" line inside
        # one of them is a section of that piece, shown as a heading, not a chapter of the book.
        units = [replace(u, heading=True) if i in heads and i not in marked else u for i, u in enumerate(units)]
        heads = {i: h for i, h in heads.items() if i in marked}
    heads.update({i: (None, u.text, u.text) for i, u in enumerate(units) if u.heading and not u.section
                  and i not in heads and (i in marked or not marked)})
    if not heads:
        heads = _numbered_heads(units)
    groups: list[tuple[tuple[str, str | None, str] | None, list[Unit]]] = [(None, [])]
    for i, u in enumerate(units):
        if i in heads:
            groups.append((heads[i], []))
        elif i - 1 in heads and heads[i - 1][1] is None and _is_title_line(u) and i + 1 < len(units):
            label = heads[i - 1][0]  # "CHAPTER I." then its title on a line of its own
            groups[-1] = ((label, u.text, f"{label}: {u.text}"), [])
        else:
            groups[-1][1].append(u)
    if not groups[0][1] or all(is_marker(u.text) for u in groups[0][1]):
        groups.pop(0)
    return groups


def _is_title_line(u: Unit) -> bool:
    """A chapter title under its number: one short line in capitals or title case, not a sentence."""
    t = u.text
    if not u.single or len(t.split()) > 10 or re.search(r"[,;:\"“”]|[!?].|[^.]\.$", t):
        return False
    words = [w for w in re.findall(r"[^\W\d_]+", t) if len(w) > 3 and w.casefold() not in _SMALL_WORDS]
    return bool(words) and (t.isupper() or all(w[0].isupper() for w in words))


def _numbered_heads(units: list[Unit]) -> dict[int, tuple[str, str | None]]:
    """Bare numerals ("I.", "2") count as headings only when they run 1, 2, 3... in order."""
    found = [(i, h) for i, u in enumerate(units) if u.single and (h := bare_numeral(u.text))]
    values = [numeral_value(h[0]) for _, h in found]
    if len(found) >= 2 and values == list(range(1, len(found) + 1)):
        return {i: (*h, heading_text(units[i].text)) for i, h in found}
    return {}


def _marginal_gaps_are_breaks(units: list[Unit], usual: int) -> bool:
    """A gap one line over the usual is a break unless such gaps are so common they are noise."""
    marginal = sum(1 for u in units[1:] if u.gap == usual + 1)
    return usual == 0 or marginal <= max(2, len(units) // 4)


def _is_gap_break(u: Unit, usual: int, marginal_breaks: bool) -> bool:
    if u.gap <= usual:
        return False
    if u.gap >= usual + 2 or usual == 0:
        return True
    # One blank line more than usual, before dialogue that carries on, is a paste slip, not a break.
    return marginal_breaks and u.text[:1] not in _QUOTES_OPEN


def _section_labels(units: list[Unit]) -> set[int]:
    """Short lines set wholly in bold or underline, with no closing punctuation, that open sections
    ("<p><u>Three weeks later</u></p>", "<b>MEREDITH</b>"): a writer's habit, so only where it recurs."""
    found = [u for u in units if u.single and not u.heading and u.rich is not None and len(u.rich) == 1 and _is_label(u)]
    # Labels name different sections; one bold line repeated is the site's or the author's boilerplate.
    return {id(u) for u in found} if len({u.text.casefold() for u in found}) >= 2 else set()


def _is_label(u: Unit) -> bool:
    if re.match(r"^\s*[-–—―]\s", u.text):
        return False  # "- Anne Carson, Plainwater": an epigraph's source, set off by its dash, not a section
    line = [i for i in u.rich[0] if not (isinstance(i, str) and not i.strip())]
    return (len(line) == 1 and isinstance(line[0], Span) and line[0].tag in {"strong", "b", "u"}
            and 0 < len(u.text.split()) <= 6 and not re.search(r"[:;]|[.!?,…\"”’')]$", u.text.strip()))


def _blocks(units: list[Unit], usual: int, marginal_breaks: bool, labels: set[int] = frozenset()) -> tuple[Block, ...]:
    blocks: list[Block] = []
    pending: str | None = None
    i = 0
    while i < len(units):
        u = units[i]
        if id(u) in labels and blocks:  # a section label: a break, and the label kept as the section's heading
            blocks.append(SceneBreak(pending or u.text))
            pending = None
            blocks.append(Heading(unit_block(u).inlines if u.rich else (u.text,)))
            i += 1
            continue
        if u.single and is_marker(u.text) and u.image is None:
            titled = _titled_break(units, i)
            if titled and blocks:  # "---" / "ON THE FIRST DAY" / "---": one break, and its title
                blocks.append(SceneBreak(pending or u.text))
                blocks += [unit_block(t) for t in titled]
                pending = None
                i += len(titled) + 2
                continue
            pending = pending or u.text
            i += 1
            continue
        # Books set verse off with extra blank lines (Gutenberg's poems); that space is no break.
        if i and _is_gap_break(u, usual, marginal_breaks) and not _sets_off(units, i, blocks, usual):
            pending = pending or f"{u.gap} blank lines"
        if pending is not None and blocks:
            blocks.append(SceneBreak(pending))
        pending = None
        if u.heading and u.image is None:
            block = unit_block(u)
            blocks.append(Heading(block.inlines if isinstance(block, Paragraph) else (u.text,)))
            i += 1
            continue
        run = _verse_run(units, i, usual)
        if run > 1:
            blocks.append(line_group([line for v in units[i:i + run] for line in v.lines]))
            i += run
            continue
        blocks.append(unit_block(u))
        i += 1
    return tuple(blocks)


def _titled_break(units: list[Unit], i: int) -> list[Unit]:
    """The short title lines between the marker at `i` and a second marker right after them (a
    break that names the scene or the day, set between two rules); [] when it is no such group."""
    j = i + 1
    while j < len(units) and j - i <= 3 and not (units[j].single and is_marker(units[j].text)):
        t = units[j].text
        title = t.isupper() or units[j].heading or (units[j].rich is not None and _is_label(units[j]))
        if not units[j].single or len(t.split()) > 25 or units[j].image is not None or not title:
            return []  # a scene of one short line between two breaks is a scene, not a title
        j += 1
    if j - i < 2 or j >= len(units) or not is_marker(units[j].text) or j + 1 >= len(units):
        return []
    return units[i + 1:j]


def _sets_off(units: list[Unit], i: int, blocks: list[Block], usual: int) -> bool:
    """Space that sets verse off (Gutenberg's poems), or follows a colon that announces what comes
    ("sang this, very slowly and sadly:--"): typography, not a scene break."""
    u, before = units[i], units[i - 1]
    return (u.verse or before.verse or bool(blocks) and isinstance(blocks[-1], LineGroup)
            or _verse_run(units, i, usual) > 1 or re.search(r":\W{0,3}$", before.text) is not None)


def unit_block(u: Unit) -> Block:
    """One unit as a block: an image, verse lines, or a paragraph (with its markup, from HTML)."""
    if u.image is not None:
        return u.image
    if u.rich is None:
        return line_group(u.lines) if u.verse else paragraph(u.text)
    lines = tuple(_emphasized(line) for line in u.rich)
    return LineGroup(lines) if len(lines) > 1 else Paragraph(lines[0], u.align)


def _emphasized(inlines) -> tuple:
    """Plain-text emphasis conventions (*x*, _x_) inside HTML text, as in a text file."""
    out: list = []
    for item in inlines:
        if isinstance(item, str):
            out.extend(emphasize(item))
        else:
            out.append(Span(item.tag, _emphasized(item.children)))
    return tuple(out)


def body_blocks(parts: list[list[Unit]], diagnostics: list[Diagnostic], every: list[Unit] | None = None,
                edge_notes: bool = True, names: list[str | None] | None = None,
                ) -> list[tuple[tuple[Note, ...], tuple[Block, ...], tuple[Note, ...]]]:
    """Each chapter's units -> (notes at its start, its blocks, notes at its end).

    Used by `build_chapters` and by readers whose source marks chapter bounds (AO3, FanFicFare).
    The usual paragraph gap is the whole story's (`every`), so a short chapter is read like the rest."""
    every = every if every is not None else [u for part in parts for u in part]
    usual = usual_gap(every)
    marginal = _marginal_gaps_are_breaks(every, usual)
    labels = _section_labels(every)
    out = []
    for i, units in enumerate(parts):
        notes, group = _leading_notes(units) if edge_notes else ((), units)
        end_notes, group = _trailing_notes(group) if edge_notes else ((), group)
        diagnostics += [Diagnostic("marker-replaced", f"scene-break marker {u.text!r} became a scene break", u.text)
                        for u in group if u.single and is_marker(u.text) and any(c.isalnum() for c in u.text)]
        if notes or end_notes:
            name = (names[i] if names else None) or "a chapter"
            kept = {id(u) for u in group}  # by identity: a note may repeat a line the text keeps
            moved = [u.text for u in units if id(u) not in kept]
            diagnostics.append(Diagnostic("note-moved", f"chapter notes of {name} moved out of its text",
                                          "\n".join(moved)))
        out.append((notes, _blocks(group, usual, marginal, labels), end_notes))
    return out


def _verse_run(units: list[Unit], i: int, usual: int) -> int:
    """Short lines with no gap between them, in a story that spaces its paragraphs, are verse."""
    if usual < 1:
        return 1
    n = 0
    while i + n < len(units):
        u = units[i + n]
        if (n and u.gap) or u.verse or u.rich is not None or len(u.text) > _SHORT_LINE or is_marker(u.text):
            break
        n += 1
    return n


# The line that closes an author's note before the story: "But enough of this chatter! On to the story!"
_NOTE_CLOSER = re.compile(r"^\W*(?:(?:but|anyway|anyways|so|now|okay|ok|well)\W+)*(?:enough (?:of (?:this|that|my)|"
                          r"chatter|rambling)|on (?:to|with) the (?:story|fic|chapter|show)|without further ado|"
                          r"here (?:it is|we go)|enjoy)\b", re.IGNORECASE)


def _leading_notes(units: list[Unit]) -> tuple[tuple[Note, ...], list[Unit]]:
    """The author's notes that open a chapter: labelled ones ("A/N:"), and after one, the
    paragraphs that carry it on (the author talking about the writing, "On to the story!"):
    moving the label's paragraph alone left the rest of the note as the story's first lines."""
    notes: list[Note] = []
    while len(units) > 1 and is_note_start(units[0].text):
        notes.append(Note((paragraph(strip_label(units[0].text)),), note_label(units[0].text)))
        units = units[1:]
        while notes and len(units) > 1 and not is_note_start(units[0].text) and _carries_on(units[0].text):
            closes = bool(_NOTE_CLOSER.match(units[0].text))
            notes[-1] = Note(notes[-1].blocks + (paragraph(units[0].text),), notes[-1].label)
            units = units[1:]
            if closes:
                break
    return tuple(notes), units


def _carries_on(text: str) -> bool:
    """A paragraph after an author's note that is more of it."""
    return bool(_NOTE_CLOSER.match(text)) and len(text.split()) <= 20 or looks_like_note(text, threshold=3)


def _trailing_notes(units: list[Unit]) -> tuple[tuple[Note, ...], list[Unit]]:
    notes = []
    while len(units) > 1 and (is_note_start(units[-1].text) or is_review_plea(units[-1].text)):
        notes.insert(0, Note((paragraph(strip_label(units[-1].text)),), note_label(units[-1].text)))
        units = units[:-1]
    return tuple(notes), units

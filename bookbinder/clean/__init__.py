"""The clean stage: Story -> Story, the same for every input format.

Each step is one named, pure function; `clean` lists their order.
"""
from __future__ import annotations

import re
from dataclasses import replace

import py3langid

from ..model import Inline, LineGroup, Note, Paragraph, Span, Story
from .names import canonical, infer
from .typography import smarten


def clean(story: Story) -> Story:
    story = typeset(story)
    story = canonical_names(story)
    story = infer_from_text(story)
    return detect_language(story)


# ---------------------------------------------------------------- typography
def typeset(story: Story) -> Story:
    """Curly quotes, dashes and ellipses in every text the reader will see."""
    meta = story.meta
    meta = meta.with_(title=_smarten_str(meta.title), summary=_blocks(meta.summary),
                      notes=_notes(meta.notes), end_notes=_notes(meta.end_notes))
    chapters = tuple(replace(c, heading=_smarten_str(c.heading), title=_smarten_str(c.title),
                             blocks=_blocks(c.blocks), summary=_blocks(c.summary),
                             notes=_notes(c.notes), end_notes=_notes(c.end_notes)) for c in story.chapters)
    return story.with_(meta=meta, chapters=chapters)


def _smarten_str(text: str | None) -> str | None:
    return smarten(text) if text else text


def _notes(notes: tuple[Note, ...]) -> tuple[Note, ...]:
    return tuple(replace(n, blocks=_blocks(n.blocks)) for n in notes)


_SEPARATOR = "\n\n"  # between paragraphs smartened in one call: every rule treats it as a paragraph edge


def _blocks(blocks):
    """Typography for a run of blocks; plain paragraphs go through `smarten` together, for speed."""
    blocks = list(blocks)
    plain = [i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and len(b.inlines) == 1
             and isinstance(b.inlines[0], str) and "\n" not in b.inlines[0]]
    if plain:
        texts = smarten(_SEPARATOR.join(blocks[i].inlines[0] for i in plain)).split(_SEPARATOR)
        for i, text in zip(plain, texts):
            blocks[i] = replace(blocks[i], inlines=(text,))
    done = set(plain)
    for i, b in enumerate(blocks):
        if i in done:
            continue
        if isinstance(b, Paragraph):
            blocks[i] = replace(b, inlines=smarten_inlines(b.inlines))
        elif isinstance(b, LineGroup):
            blocks[i] = replace(b, lines=tuple(smarten_inlines(line) for line in b.lines))
    return tuple(blocks)


def smarten_inlines(inlines: tuple[Inline, ...], before: str = "", after: str = "") -> tuple[Inline, ...]:
    """Typography across inline markup: each text run sees the characters around it."""
    out: list[Inline] = []
    following = _first_chars(inlines, after)
    for i, item in enumerate(inlines):
        prev = before if i == 0 else (_last_char(out[-1]) or before)
        nxt = following[i]
        if isinstance(item, Span):
            out.append(Span(item.tag, smarten_inlines(item.children, prev, nxt)))
        else:
            out.append(_smarten_between(item, prev, nxt))
    return tuple(out)


def _first_chars(inlines: tuple[Inline, ...], after: str) -> list[str]:
    """For each item, the first character of the text after it (in one pass from the end, so a
    paragraph of many spans costs linear time)."""
    out, nxt = [""] * len(inlines), after
    for i in range(len(inlines) - 1, -1, -1):
        out[i] = nxt
        nxt = _first_char(inlines[i]) or nxt
    return out


def _first_char(item: Inline) -> str:
    if isinstance(item, str):
        return item[:1]
    return next((c for c in map(_first_char, item.children) if c), "")


def _last_char(item: Inline) -> str:
    if isinstance(item, str):
        return item[-1:]
    return next((c for c in map(_last_char, reversed(item.children)) if c), "")


def _context(ch: str) -> str:
    """A stand-in for a neighbouring character that no typography rule can swallow."""
    if not ch or ch.isspace():
        return " "
    return "a" if ch.isalnum() else "!"


def _smarten_between(text: str, prev: str, nxt: str) -> str:
    return smarten(_context(prev) + text + _context(nxt))[1:-1]


# ---------------------------------------------------------------- names
def canonical_names(story: Story) -> Story:
    return story.with_(meta=canonical(story.meta))


def infer_from_text(story: Story) -> Story:
    inferred = infer(story.body_text, story.meta)
    story = story.with_(meta=story.meta.with_(inferred=inferred))
    if inferred.pairings and not story.meta.pairings:
        story = story.diagnose("pairing-inferred", f"no pairing stated; the text suggests "
                                                   f"{', '.join(map(str, inferred.pairings))} (kept as inferred)")
    return story


# ---------------------------------------------------------------- language
# English prose is about half function words; no other language comes near with this list. This
# spares loading the language model (most of a second) for the stories most readers have.
_ENGLISH = frozenset("""the and to of a was he she in that it his her i you with for had on at as but not is be
they him me my we said this what so from all there were would have could do like just be up out when one
""".split())
_LATIN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def is_plainly_english(sample: str) -> bool:
    tokens = _LATIN_WORD.findall(sample.lower().replace("’", "'"))[:3000]
    return len(tokens) >= 40 and sum(t in _ENGLISH for t in tokens) >= 0.3 * len(tokens)


def detect_language(story: Story) -> Story:
    if story.meta.language:
        return story
    sample = story.body_text[:6_000]  # a few pages decide a language; the whole book only costs time
    if not sample.strip():
        return story.with_(meta=story.meta.with_(language="en"))
    code = "en" if is_plainly_english(sample) else py3langid.classify(sample)[0]
    story = story.with_(meta=story.meta.with_(language=code))
    return story.diagnose("language-guessed", f"language not stated; detected {code!r}")

"""The clean stage: Story -> Story, the same for every input format.

Each step is one named, pure function; `clean` lists their order.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..model import Heading, Inline, LineGroup, Note, Paragraph, Span, Story
from .names import canonical, infer
from .typography import smarten, space_punctuation


def clean(story: Story) -> Story:
    story = detect_language(story)  # first: quotation marks and spacing follow the language
    story = typeset(story)
    story = canonical_names(story)
    return infer_from_text(story)


# ---------------------------------------------------------------- typography
def typeset(story: Story) -> Story:
    """Curly quotes, dashes and ellipses in every text the reader will see, the quotation marks
    and spacing of the story's language (`typography.QUOTES`)."""
    meta, lang = story.meta, story.meta.language
    meta = meta.with_(title=_smarten_str(meta.title, lang), summary=_blocks(meta.summary, lang),
                      notes=_notes(meta.notes, lang), end_notes=_notes(meta.end_notes, lang))
    chapters = tuple(replace(c, heading=_smarten_str(c.heading, lang), title=_smarten_str(c.title, lang),
                             blocks=_blocks(c.blocks, lang), summary=_blocks(c.summary, lang),
                             notes=_notes(c.notes, lang), end_notes=_notes(c.end_notes, lang))
                     for c in story.chapters)
    return story.with_(meta=meta, chapters=chapters)


def _smarten_str(text: str | None, lang: str | None) -> str | None:
    return smarten(text, lang) if text else text


def _notes(notes: tuple[Note, ...], lang: str | None) -> tuple[Note, ...]:
    return tuple(replace(n, blocks=_blocks(n.blocks, lang)) for n in notes)


_SEPARATOR = "\n\n"  # between paragraphs smartened in one call: every rule treats it as a paragraph edge


def _blocks(blocks, lang: str | None = None):
    """Typography for a run of blocks; plain paragraphs go through `smarten` together, for speed."""
    blocks = list(blocks)
    plain = [i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and len(b.inlines) == 1
             and isinstance(b.inlines[0], str) and "\n" not in b.inlines[0]]
    if plain:
        texts = smarten(_SEPARATOR.join(blocks[i].inlines[0] for i in plain), lang).split(_SEPARATOR)
        for i, text in zip(plain, texts):
            blocks[i] = replace(blocks[i], inlines=(text,))
    done = set(plain)
    for i, b in enumerate(blocks):
        if i in done:
            continue
        if isinstance(b, (Paragraph, Heading)):
            blocks[i] = replace(b, inlines=smarten_inlines(b.inlines, lang=lang))
        elif isinstance(b, LineGroup):
            blocks[i] = replace(b, lines=tuple(smarten_inlines(line, lang=lang) for line in b.lines))
    return tuple(blocks)


def smarten_inlines(inlines: tuple[Inline, ...], before: str = "", after: str = "",
                    lang: str | None = None) -> tuple[Inline, ...]:
    """Typography across inline markup: each text run sees the characters around it.

    Every run of the paragraph goes through `smarten` in one call, each between stand-ins for
    its neighbours, so a paragraph of many thousand spans costs one pass, not one per span.
    """
    runs: list[str] = []
    _collect(inlines, runs)
    texts = [t for t in runs if t]
    # The neighbour of a run is the nearest non-empty run on each side. Smartening never changes
    # what kind of character (space, letter, mark) ends or starts a run, so the inputs will do.
    prevs = [before] + [t[-1] for t in texts[:-1]]
    nexts = [t[0] for t in texts[1:]] + [after]
    wrapped = [_context(p) + t + _context(n) for t, p, n in zip(texts, prevs, nexts)]
    batch = [i for i, w in enumerate(wrapped) if _SEPARATOR not in w]
    smart = [""] * len(texts)
    for i, text in zip(batch, smarten(_SEPARATOR.join(wrapped[i] for i in batch), lang, spacing=False)
                       .split(_SEPARATOR)):
        smart[i] = text[1:-1]
    for i in set(range(len(texts))) - set(batch):
        smart[i] = smarten(wrapped[i], lang, spacing=False)[1:-1]
    smart = [space_punctuation(t, lang) for t in smart]  # each run alone: the stand-ins are no text
    replies = iter(smart)
    return _rebuild(inlines, replies)


def _collect(inlines: tuple[Inline, ...], runs: list[str]) -> None:
    for item in inlines:
        if isinstance(item, Span):
            _collect(item.children, runs)
        else:
            runs.append(item)


def _rebuild(inlines: tuple[Inline, ...], smart) -> tuple[Inline, ...]:
    return tuple(Span(item.tag, _rebuild(item.children, smart)) if isinstance(item, Span)
                 else (next(smart) if item else item) for item in inlines)


def _context(ch: str) -> str:
    """A stand-in for a neighbouring character that no typography rule can swallow."""
    if not ch or ch.isspace():
        return " "
    return "a" if ch.isalnum() else "!"


# ---------------------------------------------------------------- names
def canonical_names(story: Story) -> Story:
    return story.with_(meta=canonical(story.meta))


def infer_from_text(story: Story) -> Story:
    inferred = infer(story_prose(story), story.meta)
    story = story.with_(meta=story.meta.with_(inferred=inferred))
    if inferred.pairings and not story.meta.pairings:
        story = story.diagnose("pairing-inferred", f"no pairing stated; the text suggests "
                                                   f"{', '.join(map(str, inferred.pairings))} (kept as inferred)")
    return story


# A licence or a producer's credit left in the text (Project Gutenberg's, a Creative Commons one).
_BOILERPLATE = re.compile(r"Project Gutenberg|Gutenberg-tm|Creative Commons|All rights reserved", re.I)


def story_prose(story: Story) -> str:
    """The text characters are read from: the story's paragraphs and verse, never its headings,
    notes or credits, nor a licence left in its text."""
    return "\n\n".join(b.text for b in story.blocks if isinstance(b, (Paragraph, LineGroup))
                        and not _BOILERPLATE.search(b.text))


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
    if is_plainly_english(sample):
        code = "en"
    else:
        import py3langid  # loaded where needed: it brings numpy, a tenth of a second at every start

        code = py3langid.classify(sample)[0]
    story = story.with_(meta=story.meta.with_(language=code))
    return story.diagnose("language-guessed", f"language not stated; detected {code!r}")

"""Typography in the manner of Standard Ebooks: str -> str, one rule a line.

Only punctuation changes; the author's words (and typos) stay exactly as written, and
whitespace between words stays, so word counts never move. The quotation marks made from
straight ones, and the spacing around punctuation, follow the story's language (`QUOTES`, one
row a language); marks the author typed curly are theirs and stay.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable

# Words that open with an elided letter take an apostrophe, not an opening quote: ’tis, ’em, ’90s
# (each language lists its own: `Quotes.elisions`).
_ENGLISH_ELISIONS = ("tis", "twas", "twere", "twill", "em", "n", "cause", "cos", "coz", "til", "till", "bout",
                     "round", "kay", "nother", "ello", "ere", "er", "im", "is", "sup", "scuse", "fraid", "gainst")


@functools.cache
def _elision(words: tuple[str, ...]) -> re.Pattern[str]:
    elided = "".join(f"(?:{w})\\b|" for w in words)
    return re.compile(r"'(?:(?<=^')|(?<=[\s(\[—–-]'))(%s\d\d?s?\b)" % elided, re.IGNORECASE)

# (the character a rule needs to match, so a paragraph without it skips the rule; pattern; replacement)
# Every pattern opens with its literal character and looks behind it from there, (?<=\w') rather
# than (?<=\w)': the regular expression engine then jumps from one such character to the next
# instead of trying the look-behind at every position (five times faster on long chapters).
# The rules write the quotation marks they decide as stand-ins (Unicode noncharacters, which no
# story text keeps: xmlsafe removes them), and `_localize` gives each the language's mark.
_OPEN1, _CLOSE1, _OPEN2, _CLOSE2 = "\ufdd0", "\ufdd1", "\ufdd2", "\ufdd3"
_STAND_INS = _OPEN1 + _CLOSE1 + _OPEN2 + _CLOSE2
_RULES: tuple[tuple[str, re.Pattern[str] | None, object], ...] = (
    ("-", re.compile(r"(?: (?<=\S )-{2,3}|-(?<=\S-)-{1,2}) ?(?=\S)"),
     lambda m: " — " if m.group(0).startswith(" ") else "—"),      # -- is an em dash
    ("-", re.compile(r"-(?<=\s-)-{1,2}(?=\s)"), "—"),                 # a spaced -- between words too
    ("-", re.compile(r" (?<=\w )- (?=\w)"), " – "),                   # a spaced hyphen is an en dash
    (".", re.compile(r"\.\s?\.\s?\.(?!\.)"), "…"),                     # three dots are an ellipsis
    ("'", re.compile(r"'(?<=\w')(?=\w)"), "’"),                       # don't, Lexie's: apostrophe
    ("'", None, lambda m: "’" + m.group(1)),                        # ’tis, ’90s: the language's `_elision`
    ("'", re.compile(r"'(?<=\w')(?=[\s.,;:!?…—–)\]]|$)"), _CLOSE1),   # dogs' or a closing single quote
    ("'", re.compile(r"'(?<=[.,!?…—–]')"), _CLOSE1),                   # closing single after punctuation
    ("'", re.compile(r"'"), _OPEN1),                                  # what is left opens a quotation
)

# A double quote opens after a space, a bracket, a dash, an opening single or a Chinese colon (他说："),
# before a word, an opening single, an ellipsis or Spanish's opening ¿ and ¡.
_DOUBLE_OPEN = re.compile(r'"(?:(?<=^")|(?<=[\s(\[{—–‘\ufdd0/：-]"))(?=\w|[‘\ufdd0\'…*_(\[¿¡])')
_DOUBLE_CLOSE = re.compile(r'"')


# Old etexts (Project Gutenberg's 1990s Alice) and TeX write a backtick for the opening quote:
# `Curiouser and curiouser!' and ``so''.
# Two apostrophes are a closing quote only as a pair: a longer run of them is no quotation mark.
_BACKTICKS = ((re.compile(r"(?<![\w`])``(?=\S)"), _OPEN2), (re.compile(r"(?<=[^\s'])''(?![\w'])"), _CLOSE2),
              (re.compile(r"(?<![\w`])`(?=\S)"), _OPEN1))


def smarten(text: str, language: str | None = None, spacing: bool = True) -> str:
    """Curly quotes, dashes and ellipses for one paragraph (or one line of verse), the quotes
    those of `language` (a BCP 47 tag; English where it is not known), and with `spacing` the
    language's spaces around punctuation (`space_punctuation`)."""
    if not any(c in text for c in "-.'\"`"):
        return space_punctuation(text, language) if spacing else text  # most paragraphs
    back = None
    if any(c in text for c in _STAND_INS):  # noncharacters in a hostile file: xmlsafe reports them later
        aside = _set_aside(text)
        if aside is None:
            return text  # every spare noncharacter taken: left as it is, for xmlsafe to report
        text, back = aside
    if "`" in text:
        for pattern, replacement in _BACKTICKS:
            text = pattern.sub(replacement, text)
    quotes = quotes_for(language)
    if quotes.paired and any(c in text for c in "'\""):
        text = _alternate(text)
    for needs, pattern, replacement in _RULES:
        if needs in text:
            text = (pattern or _elision(quotes.elisions)).sub(replacement, text)
    if '"' in text:
        text = _DOUBLE_OPEN.sub(_OPEN2, text)
        text = _DOUBLE_CLOSE.sub(_CLOSE2, text)
    text = _localize(text, quotes)
    text = text.translate(back) if back else text
    return space_punctuation(text, language) if spacing else text


# ---------------------------------------------------------------- quotation marks by language
@dataclass(frozen=True)
class Quotes:
    """A language's quotation marks (outer pair, inner pair) and its spacing around punctuation."""

    open2: str
    close2: str
    open1: str
    close1: str
    spacing: Callable[[str], str] | None = None  # str -> str, where the language spaces its punctuation
    elisions: tuple[str, ...] = ()               # words that open with an apostrophe ("’tis", Dutch "’t")
    paired: bool = False                         # no spaces between words: a quote's side is its count


_STRAIGHT = re.compile("[\"'\n]")


def _alternate(text: str) -> str:
    """Straight quotes as stand-ins, open then close, each kind counted apart and anew in every
    paragraph: in writing without spaces between words (Chinese, Japanese) nothing else tells a
    quote's side, and these scripts have no apostrophe."""
    seen = {'"': 0, "'": 0}

    def side(m: re.Match[str]) -> str:
        c = m.group()
        if c == "\n":
            seen.update({'"': 0, "'": 0})
            return c
        seen[c] += 1
        if c == '"':
            return _OPEN2 if seen[c] % 2 else _CLOSE2
        return _OPEN1 if seen[c] % 2 else _CLOSE1

    return _STRAIGHT.sub(side, text)


# French sets a no-break space inside guillemets and before the high marks: a narrow one before
# ; ! ? and a full one before : (Lexique des règles typographiques en usage à l'Imprimerie nationale).
_FR_BEFORE_HIGH = re.compile(r"(?<=[^\s«\u00a0\u202f;!?])[ \u00a0]?(?=[;!?]+(?:\s|$|[»”)\]]))")
_FR_BEFORE_COLON = re.compile(r"(?<=[^\s«\u00a0\u202f\d])[ \u202f]?(?=:(?:\s|$))")
_FR_AFTER_OPEN = re.compile(r"«[ \u202f]?(?=\S)")
_FR_BEFORE_CLOSE = re.compile(r"(?<=\S)[ \u202f]?»")


def french_spacing(text: str) -> str:
    """« Bonjour ! » with the no-break spaces French typography puts there; "10:30" and "http:" untouched."""
    if not any(c in text for c in ";:!?«»"):
        return text
    text = _FR_BEFORE_HIGH.sub("\u202f", text)
    text = _FR_BEFORE_COLON.sub("\u00a0", text)
    text = _FR_AFTER_OPEN.sub("«\u00a0", text)
    return _FR_BEFORE_CLOSE.sub("\u00a0»", text)


# One row a language: at least those whose chapter headings the readers know (readers.patterns),
# each as its own standard sets quotation (CLDR's delimiters, the same tables word processors use).
QUOTES: dict[str, Quotes] = {
    "en": Quotes("“", "”", "‘", "’", elisions=_ENGLISH_ELISIONS),
    "de": Quotes("„", "“", "‚", "‘", elisions=("s", "n", "ne", "nen", "nem", "ner")),  # Duden: „…“, ‚…‘ inside
    "de-ch": Quotes("«", "»", "‹", "›", elisions=("s", "n", "ne", "nen", "nem", "ner")),  # Swiss: unspaced «»
    "fr": Quotes("«", "»", "“", "”", french_spacing),  # « … » with “…” inside, spaced punctuation
    "es": Quotes("«", "»", "“", "”"),                 # RAE: comillas angulares first, then inglesas
    "it": Quotes("«", "»", "“", "”"),
    "pt": Quotes("“", "”", "‘", "’"),                 # Brazilian usage, the most written
    "pt-pt": Quotes("«", "»", "“", "”"),
    "nl": Quotes("“", "”", "‘", "’", elisions=("t", "s", "n", "k")),  # ’t huis, ’s morgens, ’n boek
    "pl": Quotes("„", "”", "«", "»"),
    "cs": Quotes("„", "“", "‚", "‘"),
    "fi": Quotes("”", "”", "’", "’"),                 # Finnish closes on both sides
    "ru": Quotes("«", "»", "„", "“"),
    "uk": Quotes("«", "»", "„", "“"),
    "ja": Quotes("「", "」", "『", "』", paired=True),
    "zh": Quotes("“", "”", "‘", "’", paired=True),
}


def quotes_for(language: str | None) -> Quotes:
    """The row of a BCP 47 tag: the whole tag ("pt-PT"), else its language ("de-AT" -> "de"), else English."""
    tag = (language or "en").casefold().replace("_", "-")
    return QUOTES.get(tag) or QUOTES.get(tag.split("-")[0]) or QUOTES["en"]


_APOSTROPHE = "’"
_MARK = re.compile("[\ufdd0-\ufdd3\n]")


def _localize(text: str, quotes: Quotes) -> str:
    """The stand-ins as `quotes` marks. A closing single stand-in closes a quotation only where a
    single one is open in the same paragraph; else it is an apostrophe ("the dogs' bowls")."""
    if quotes.close1 == _APOSTROPHE:  # the closing single quote is the apostrophe: no pairing needed
        for stand_in, mark in ((_OPEN1, quotes.open1), (_CLOSE1, _APOSTROPHE), (_OPEN2, quotes.open2),
                               (_CLOSE2, quotes.close2)):  # str.replace: far faster than translate
            text = text.replace(stand_in, mark)
    elif any(c in text for c in _STAND_INS):
        open_singles = 0

        def mark(m: re.Match[str]) -> str:
            nonlocal open_singles
            c = m.group()
            if c == _OPEN1:
                open_singles += 1
                return quotes.open1
            if c == _CLOSE1:
                open_singles, was = max(0, open_singles - 1), open_singles
                return quotes.close1 if was else _APOSTROPHE
            if c == "\n":
                open_singles = 0  # a paragraph ends (paragraphs are smartened together)
                return c
            return quotes.open2 if c == _OPEN2 else quotes.close2

        text = _MARK.sub(mark, text)
    return text


def space_punctuation(text: str, language: str | None) -> str:
    """`text` with the spaces its language sets around punctuation (French: « Oui ! »)."""
    spacing = quotes_for(language).spacing
    return spacing(text) if spacing else text


def _set_aside(text: str) -> tuple[str, dict[int, int]] | None:
    """`text` with any stand-in it holds (noncharacters, from a hostile file) swapped for other
    noncharacters it does not hold, and the table that swaps them back; None if it holds them all."""
    held = [c for c in _STAND_INS if c in text]
    free = [chr(c) for c in range(0xFDD4, 0xFDF0) if chr(c) not in text][:len(held)]
    if len(free) < len(held):
        return None
    return text.translate({ord(a): b for a, b in zip(held, free)}), {ord(b): a for a, b in zip(held, free)}


_SPACE_RUN = re.compile(r"[ \t]+")


def tidy_spaces(text: str) -> str:
    """Runs of spaces and tabs inside a paragraph are one space; no space at either end."""
    return _SPACE_RUN.sub(" ", text).strip()

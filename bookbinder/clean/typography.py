"""Typography in the manner of Standard Ebooks: str -> str, one rule a line.

Only punctuation changes; the author's words (and typos) stay exactly as written, and
whitespace between words stays, so word counts never move.
"""
from __future__ import annotations

import re

# Words that open with an elided letter take an apostrophe, not an opening quote: ’tis, ’em, ’90s.
_ELISIONS = ("tis", "twas", "twere", "twill", "em", "n", "cause", "cos", "coz", "til", "till", "bout",
             "round", "kay", "nother", "ello", "ere", "er", "im", "is", "sup", "scuse", "fraid", "gainst")
_ELISION = re.compile(r"'(?:(?<=^')|(?<=[\s(\[—–-]'))((?:%s)\b|\d\d?s?\b)" % "|".join(_ELISIONS), re.IGNORECASE)

# (the character a rule needs to match, so a paragraph without it skips the rule; pattern; replacement)
# Every pattern opens with its literal character and looks behind it from there, (?<=\w') rather
# than (?<=\w)': the regular expression engine then jumps from one such character to the next
# instead of trying the look-behind at every position (five times faster on long chapters).
_RULES: tuple[tuple[str, re.Pattern[str], object], ...] = (
    ("-", re.compile(r"(?: (?<=\S )-{2,3}|-(?<=\S-)-{1,2}) ?(?=\S)"),
     lambda m: " — " if m.group(0).startswith(" ") else "—"),      # -- is an em dash
    ("-", re.compile(r"-(?<=\s-)-{1,2}(?=\s)"), "—"),                 # a spaced -- between words too
    ("-", re.compile(r" (?<=\w )- (?=\w)"), " – "),                   # a spaced hyphen is an en dash
    (".", re.compile(r"\.\s?\.\s?\.(?!\.)"), "…"),                     # three dots are an ellipsis
    ("'", re.compile(r"'(?<=\w')(?=\w)"), "’"),                       # don't, Lexie's: apostrophe
    ("'", _ELISION, lambda m: "’" + m.group(1)),                     # ’tis, ’90s, rock ’n’ roll
    ("'", re.compile(r"'(?<=\w')(?=[\s.,;:!?…—–)\]]|$)"), "’"),      # dogs' and closing single quote
    ("'", re.compile(r"'(?<=[.,!?…—–]')"), "’"),                      # closing single after punctuation
    ("'", re.compile(r"'"), "‘"),                                    # what is left opens a quotation
)

_DOUBLE_OPEN = re.compile(r'"(?:(?<=^")|(?<=[\s(\[{—–‘/-]"))(?=\w|[‘\'…*_(\[])')
_DOUBLE_CLOSE = re.compile(r'"')


# Old etexts (Project Gutenberg's 1990s Alice) and TeX write a backtick for the opening quote:
# `Curiouser and curiouser!' and ``so''.
# Two apostrophes are a closing quote only as a pair: a longer run of them is no quotation mark.
_BACKTICKS = ((re.compile(r"(?<![\w`])``(?=\S)"), "“"), (re.compile(r"(?<=[^\s'])''(?![\w'])"), "”"),
              (re.compile(r"(?<![\w`])`(?=\S)"), "‘"))


def smarten(text: str) -> str:
    """Curly quotes, dashes and ellipses for one paragraph (or one line of verse)."""
    if not any(c in text for c in "-.'\"`"):
        return text  # nothing any rule would touch: most paragraphs with curly quotes already
    if "`" in text:
        for pattern, replacement in _BACKTICKS:
            text = pattern.sub(replacement, text)
    for needs, pattern, replacement in _RULES:
        if needs in text:
            text = pattern.sub(replacement, text)
    if '"' in text:
        text = _DOUBLE_OPEN.sub("“", text)
        text = _DOUBLE_CLOSE.sub("”", text)
    return text


_SPACE_RUN = re.compile(r"[ \t]+")


def tidy_spaces(text: str) -> str:
    """Runs of spaces and tabs inside a paragraph are one space; no space at either end."""
    return _SPACE_RUN.sub(" ", text).strip()

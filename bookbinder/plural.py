"""Counted nouns as a user reads them: "1 story", "2 stories", "1 part", "43 <input> elements"."""
from __future__ import annotations


def plural(n: int, word: str) -> str:
    """"1 story", "2 stories", "3 files"."""
    if n == 1:
        return f"1 {word}"
    return f"{n} {word[:-1]}ies" if word.endswith("y") and word[-2] not in "aeiou" else f"{n} {word}s"

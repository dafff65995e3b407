"""Metadata fields as stories state them: "Key: value" text -> typed values.

Shared by every reader: LiveJournal and fanfiction.net header blocks, LJ tag lines, Project
Gutenberg headers, AO3 preface lists and YAML front matter all name the same few fields in
many ways. `FieldSet` gathers what one story states, then becomes a `Metadata`.
"""
from __future__ import annotations

import re
from dataclasses import fields

from dateutil import parser as dateparser

from ..model import Metadata, Pairing, unique_names

_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title", "story title", "fic title", "work title"),
    "authors": ("author", "authors", "writer", "written by", "by", "penname", "pen name", "creator", "creators",
                "posted by"),
    "fandoms": ("fandom", "fandoms", "show", "universe", "canon", "source material", "fandom tag"),
    "series": ("series", "part of series", "series title"),
    "people": ("character", "characters", "character/pairing", "characters/pairings", "pairing", "pairings",
               "pairing/characters", "relationship", "relationships", "ship", "ships", "main characters", "cast",
               "characters/pairing", "character/pairings", "pairings/characters"),
    "rating": ("rating", "rated", "ratings"),
    "warnings": ("warning", "warnings", "archive warning", "archive warnings", "content warning",
                 "content warnings", "cw", "tw", "trigger warning", "trigger warnings"),
    "categories": ("category", "categories"),
    "tags": ("tags", "tag", "additional tags", "genre", "genres", "keywords", "freeform", "freeforms", "themes",
             "subject", "subjects"),
    "stated_words": ("word count", "words", "wordcount", "length", "word-count", "wc", "word count (approx)"),
    "status": ("status", "complete"),
    "summary": ("summary", "description", "blurb", "abstract", "synopsis"),
    "notes": ("notes", "note", "a/n", "an", "author's note", "author's notes", "authors note", "authors notes",
              "author note", "author notes", "notes/warnings", "warnings/notes", "disclaimer", "disclaimers",
              "dedication", "beta", "betas", "beta reader", "beta'd by", "prompt", "spoilers", "spoiler", "setting",
              "timeline", "feedback", "thanks", "credits", "credit", "inspiration", "challenge", "written for",
              "request", "recipient", "prompter", "written for prompt", "inspired by"),
    "published": ("date", "posted", "published", "date posted", "posted on", "release date", "first published"),
    "updated": ("updated", "last updated", "date updated", "completed"),
    "language": ("language", "lang"),
    "url": ("url", "link", "source url", "original", "archived at", "story url"),
}
FIELD_OF: dict[str, str] = {key: name for name, keys in _KEYS.items() for key in keys}

_AO3_CATEGORIES = {"m/m", "f/m", "f/f", "gen", "multi", "other", "het", "slash", "femslash"}
_NONE = {"none", "n/a", "na", "no", "nothing", "-", "no warnings", "none apply"}


def field_of(key: str) -> str | None:
    """The field a header key names ("Character(s)/Pairing" -> "people"), or None."""
    k = re.sub(r"\(s\)", "", key.casefold().replace("’", "'"))
    k = re.sub(r"\s+", " ", k).strip(" :-*_")
    return FIELD_OF.get(k)


def split_list(value: str) -> list[str]:
    """"a, b; c" -> ["a", "b", "c"], leaving commas inside parentheses alone."""
    items, depth, cur = [], 0, ""
    for ch in value:
        depth += ch in "([" and 1 or (ch in ")]" and -1) or 0
        if ch in ",;" and depth <= 0:
            items.append(cur)
            cur = ""
        else:
            cur += ch
    items.append(cur)
    return [i.strip(" .\t") for i in items if i.strip(" .\t")]


def name_case(value: str) -> str:
    """A name or fandom written all lower-case ("grey's anatomy") in title case; others untouched."""
    if value != value.lower():
        return value
    small = {"of", "the", "and", "a", "an", "in", "on", "to", "for", "de", "la", "von", "van"}
    words = value.split(" ")
    out = [w if (i and w in small) else _cap(w) for i, w in enumerate(words)]
    return " ".join(out)


def _cap(word: str) -> str:
    if re.match(r"^(o|d)['’]\w", word):  # o'malley -> O'Malley
        return word[0].upper() + word[1] + word[2].upper() + word[3:]
    return "-".join(p[:1].upper() + p[1:] for p in word.split("-"))


def parse_people(value: str) -> tuple[list[str], list[Pairing]]:
    """"Mark, Alex, Mark/Alex" -> characters [Mark, Alex], pairings [Alex/Mark]."""
    characters, pairings = [], []
    for item in split_list(value):
        item = re.sub(r"[^/&]+", lambda m: name_case(m.group(0).strip()) if m.group(0).strip() else m.group(0), item)
        if re.search(r"/|&| x (?=[A-Z])", item):
            pairing = Pairing.parse(re.sub(r" x (?=[A-Z])", "/", item))
            if pairing:
                pairings.append(pairing)
        elif item.casefold() not in _NONE:
            characters.append(item)
    return characters, pairings


_DATE_HINT = re.compile(r"\b(1[89]\d\d|2[01]\d\d)\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b")
_DATE_PREFIX = re.compile(r"^(posted( on)?|date|published|updated|written)\s*:?\s*", re.IGNORECASE)
_DATE_WORDS = re.compile(r"\b(at|on|posted|@)\b", re.IGNORECASE)


def parse_date(text: str) -> str | None:
    """"Jan 20, 2012 13:21" -> "2012-01-20"; None unless the whole text is a date."""
    text = _DATE_PREFIX.sub("", text.strip())
    if len(text) > 60 or not _DATE_HINT.search(text):
        return None
    try:
        when = dateparser.parse(_DATE_WORDS.sub(" ", text).replace("(", " ").replace(")", " "))
    except (ValueError, OverflowError, TypeError):
        return None
    return when.date().isoformat() if 1900 <= when.year <= 2100 else None


def parse_words(value: str) -> int | None:
    m = re.search(r"(\d[\d,.\s]*)\s*(k)?\b", value, re.IGNORECASE)
    if not m:
        return None
    digits = re.sub(r"[,\s]", "", m.group(1))
    try:
        number = float(digits) if m.group(2) else int(digits.replace(".", ""))
    except ValueError:
        return None
    return int(number * 1000) if m.group(2) else int(number)


def parse_status(value: str) -> str | None:
    v = value.casefold().strip(" .!")
    if re.search(r"\b(complete|completed|finished|done|one-?shot)\b", v) and "incomplete" not in v:
        return "complete"
    if re.search(r"\b(wip|in progress|in-progress|incomplete|ongoing|unfinished|updating)\b", v):
        return "in-progress"
    if re.search(r"\b(abandoned|discontinued)\b", v):
        return "abandoned"
    if "hiatus" in v:
        return "hiatus"
    return v or None


_SERIES = (  # "Part 2 of Tides" (AO3), "Tides [2]" (FanFicFare), "Tides #2", "Tides, book 2"
    re.compile(r"^part\s+(?P<index>\d+(?:\.\d+)?)\s+of\s+(?P<name>.+)$", re.I),
    re.compile(r"^(?P<name>.+?)\s*(?:\[(?P<i1>\d+(?:\.\d+)?)\]|#\s*(?P<i2>\d+(?:\.\d+)?)"
               r"|,?\s+(?:book|part|vol\.?|volume)\s+(?P<i3>\d+(?:\.\d+)?))$", re.I),
)


def parse_series(value: str) -> tuple[str | None, float | None]:
    """"Part 2 of Tides" -> ("Tides", 2.0); "Tides" -> ("Tides", None). A work in several series
    ("Part 1 of A, Part 3 of B") is placed in the first."""
    value = " ".join(value.split())
    first = re.split(r",\s*(?=part\s+\d)", value, flags=re.I)[0]
    for pattern in _SERIES:
        if m := pattern.match(first):
            index = next(v for k, v in m.groupdict().items() if k != "name" and v)
            return m["name"].strip(" ,") or None, float(index)
    return value or None, None


_LANGUAGES = {
    "english": "en", "français": "fr", "french": "fr", "deutsch": "de", "german": "de", "español": "es",
    "spanish": "es", "italiano": "it", "italian": "it", "português": "pt", "portuguese": "pt",
    "português brasileiro": "pt-BR", "русский": "ru", "russian": "ru", "日本語": "ja", "japanese": "ja",
    "中文": "zh", "中文-普通话 國語": "zh", "chinese": "zh", "nederlands": "nl", "dutch": "nl", "polski": "pl",
    "polish": "pl", "svenska": "sv", "swedish": "sv", "suomi": "fi", "finnish": "fi", "한국어": "ko",
    "korean": "ko", "dansk": "da", "danish": "da", "norsk": "no", "norwegian": "no", "čeština": "cs",
    "czech": "cs", "magyar": "hu", "hungarian": "hu", "türkçe": "tr", "turkish": "tr", "latin": "la",
    "tiếng việt": "vi", "vietnamese": "vi", "bahasa indonesia": "id", "indonesian": "id", "català": "ca",
    "catalan": "ca", "ελληνικά": "el", "greek": "el", "עברית": "he", "hebrew": "he", "العربية": "ar",
    "arabic": "ar", "українська": "uk", "ukrainian": "uk", "română": "ro", "romanian": "ro",
}


def parse_language(value: str) -> str | None:
    v = value.strip().casefold()
    if v in _LANGUAGES:
        return _LANGUAGES[v]
    if re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{2,8})?", v):
        return v
    return None


class FieldSet:
    """What one story states, gathered while a reader works; `metadata()` freezes it.

    Its fields are Metadata's own (`dataclasses.fields(Metadata)`): each tuple there is a list here
    to append to, each single value starts as None; so a field added to Metadata is a field here.
    Local to one reader call: never shared between stages."""

    def __init__(self, **given) -> None:
        for f in _GATHERED:
            setattr(self, f.name, list(given.get(f.name, ())) if _is_many(f) else given.get(f.name, f.default))

    def __repr__(self) -> str:
        said = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in _GATHERED if getattr(self, f.name))
        return f"FieldSet({said})"

    def add(self, name: str, value: str, label: str = "") -> bool:
        """Record `value` under field `name` (from `field_of`); False if the value says nothing."""
        value = value.strip()
        if not value:
            return False
        if name == "people":
            characters, pairings = parse_people(value)
            self.characters += characters
            self.pairings += pairings
        elif name in {"fandoms", "tags", "warnings", "authors"}:
            items = [name_case(i) if name == "fandoms" else i for i in split_list(value)]
            getattr(self, name).extend(i for i in items if i.casefold() not in _NONE or name == "tags")
        elif name == "categories":
            for item in split_list(value):
                (self.categories if item.casefold() in _AO3_CATEGORIES else self.tags).append(item)
        elif name in {"published", "updated"}:
            setattr(self, name, parse_date(value) or getattr(self, name))
        elif name == "stated_words":
            self.stated_words = parse_words(value)
        elif name == "status":
            self.status = parse_status(value)
        elif name == "language":
            self.language = parse_language(value) or self.language
        elif name == "series":
            self.series, self.series_index = parse_series(value)
        elif name in {"title", "rating", "url"}:
            setattr(self, name, value)
        else:
            return False
        return True

    def metadata(self) -> Metadata:
        return Metadata(**{f.name: _frozen(f.name, getattr(self, f.name)) if _is_many(f) else getattr(self, f.name)
                           for f in _GATHERED})


_GATHERED = tuple(f for f in fields(Metadata) if f.name != "inferred")  # what a text states, not guesses
_BLOCKS_AND_NOTES = {"summary", "notes", "end_notes"}  # kept in order, repeats and all


def _is_many(f) -> bool:
    return f.default == ()


def _frozen(name: str, values: list) -> tuple:
    """A gathered list as Metadata holds it: names once each (case aside), pairings once each,
    summary paragraphs and notes as they came."""
    if name in _BLOCKS_AND_NOTES:
        return tuple(values)
    if all(isinstance(v, str) for v in values):
        return unique_names(values)
    return tuple(dict.fromkeys(values))

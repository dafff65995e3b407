"""Characters and pairings: canonical names, and what the text implies.

`canonical(meta)` -> Metadata whose short names join the full names the story gives ("Mark" ->
"Mark Sloan" when the story also says "Mark Sloan"), pairings in canonical member order.
`infer(text)` -> Inferred: the story's most present names, and when two of them dominate, the
pairing they suggest. Inference is a guess and is only ever stored apart, as `inferred`.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..model import Inferred, Metadata, Pairing, unique_names
from .namewords import NOT_NAMES
from .people import Evidence, is_place, is_person, scan

def canonical(meta: Metadata) -> Metadata:
    """Characters and pairings with short names joined to the full names the story gives."""
    names = list(meta.characters) + [m for p in meta.pairings for m in p.members]
    alias = alias_table(names, surnames=False)
    characters = unique_names(alias.get(c.casefold(), c) for c in meta.characters)
    pairings = tuple(dict.fromkeys(
        Pairing.of([alias.get(m.casefold(), m) for m in p.members], p.kind) for p in meta.pairings))
    return meta.with_(characters=characters, pairings=pairings)


def alias_table(names, surnames: bool = True) -> dict[str, str]:
    """casefolded short name -> full name, where exactly one full name starts (or, with
    `surnames`, ends) with it. What a story states is joined by given names only: its tags say
    "Reader/Orc" beside "Male Orc" and "Orc(s)", and "Orc" is not the male one. An AO3 tag's
    other names ("The Body | Alecto | The Girl in the Tomb") are that person's too."""
    by_part: dict[str, set[str]] = {}
    full = set()
    for name in names:
        for words in (p.split() for p in person_names(name)):
            if len(words) > 1 or " | " in name:
                full.add(name)
                keys = {words[0], words[-1]} if surnames else {words[0]}
                for part in keys | {" ".join(words)}:
                    by_part.setdefault(part.casefold(), set()).add(name)
    table = {part: next(iter(owners)) for part, owners in by_part.items() if len(owners) == 1}
    table.update({name.casefold(): name for name in full})
    return table


# AO3's disambiguators: "Vampire - Character", "Mothman (Character)", "Harry Potter (Harry Potter)".
_CHARACTER_SUFFIX = re.compile(r"\s*(?:\([^()]*\)|-\s+Character)\s*$", re.IGNORECASE)


def _bare(name: str) -> str:
    """A name without AO3's disambiguating suffix, whose words are the person's: "Female Reader -
    Character" is a reader, so "Reader" alone names none of three readers."""
    return _CHARACTER_SUFFIX.sub("", name).strip() or name


def person_names(name: str) -> list[str]:
    """The names a tag gives one person: AO3 joins a character's names with " | " ("John Gaius |
    Necrolord Prime"); an epithet ("The Body") is none."""
    return list(_person_names(name))


@lru_cache(maxsize=1 << 16)
def _person_names(name: str) -> tuple[str, ...]:
    parts = [_bare(p) for p in name.split(" | ")]
    names = [p for p in parts if p and p.split()[0].casefold() not in {"the", "a", "an"}]
    return tuple(names or [_bare(name)])


def infer(text: str, stated: Metadata) -> Inferred:
    """The people the text is about, and the pairing two dominant ones suggest where the story
    states none and allows one (`may_pair`). Only people: a name the prose uses as a person's
    (`people.is_person`), not a place, not the story's own author."""
    evidence = scan(text)
    full = [n for n in evidence if " " in n and _full_name(n, evidence)]
    alias, in_text = alias_table(full + _stated_names(stated)), alias_table(full)
    people: dict[str, Evidence] = {}
    for name, e in evidence.items():
        if name.endswith("s") and name[:-1] in evidence:
            continue  # "Outlanders" beside "Outlander", "Martians": a kind of people, not a person
        key = name.casefold()  # a name two tags share ("Sherlock Holmes (again)") is the text's own
        people.setdefault(alias.get(key) or in_text.get(key) or name, Evidence()).add(e)
    credited = {part.casefold() for author in stated.authors for part in (author, *author.split())}
    tagged = set(_stated_names(stated))  # the story's own tag list says these are people
    ranked = sorted(((name, e.mentions) for name, e in people.items() if e.mentions >= 3
                     and (name in tagged or is_person(e) and not is_place(name, e.mentions, e.placed))
                     and name.casefold() not in credited),
                    key=lambda item: -item[1])[:8]
    characters = tuple(name for name, _ in ranked)
    named = tuple(name for name, e in sorted(people.items(), key=lambda item: -item[1].mentions)
                  if name not in characters and e.mentions >= 3 and e.mid and not e.thing
                  and not is_place(name, e.mentions, e.placed) and name.casefold() not in credited)[:8]
    pairings: tuple[Pairing, ...] = ()
    if len(ranked) >= 2 and may_pair(stated, ranked[0][0], ranked[1][0]):
        (a, na), (b, nb) = ranked[0], ranked[1]
        third = ranked[2][1] if len(ranked) > 2 else 0
        if nb >= 5 and nb >= 0.3 * na and nb >= 1.5 * third:
            pairings = (Pairing.of([a, b]),)
    return Inferred(fandoms=disclaimed_fandoms(stated), characters=characters, pairings=pairings, named=named)


def _full_name(name: str, evidence: dict[str, Evidence]) -> bool:
    """A run of capitals that is one person's full name: said twice, or said with a cue of a
    person, or once where no run said more often shares a word with it ("a half-naked Alex Karev";
    not "John Sherlock" beside "John Watson" and "Sherlock Holmes")."""
    e = evidence[name]
    if e.mentions >= 2 or e.person:
        return True
    words = set(name.split())
    return not any(other != name and " " in other and o.mentions >= 2 and words & set(other.split())
                   for other, o in evidence.items())


def _stated_names(meta: Metadata) -> list[str]:
    return list(meta.characters) + [m for p in meta.pairings for m in p.members]


# AO3's categories of romance, and the tags that say a story has none.
_ROMANCE = frozenset({"f/f", "f/m", "m/m", "multi"})
_NO_ROMANCE = re.compile(r"^(?:gen|no (?:romance|romantic relationships?|pairings?|ships?|relationships?))$", re.I)
# AO3's tags for characters a story makes up, whom no name in the text replaces.
ORIGINAL = re.compile(r"^original (?:\w+ )?characters?(?:\(s\))?$|^ocs?$", re.I)


def may_pair(stated: Metadata, a: str, b: str) -> bool:
    """Whether the text may suggest a romance of `a` and `b`: stated beats inferred. Not where the
    story states its pairings, not in a Gen story (AO3's category, or a "No Romance" tag), and where
    it states its characters, only between two of them."""
    if stated.pairings or any(_NO_ROMANCE.match(t.strip()) for t in stated.tags):
        return False
    categories = {c.casefold() for c in stated.categories}
    if "gen" in categories and not categories & _ROMANCE:
        return False
    named = [c for c in stated.characters if not ORIGINAL.match(_bare(c))]
    if not stated.characters:
        return True
    alias = alias_table(named)
    return bool(named) and all(alias.get(m.casefold()) or m in named for m in (a, b))


_DISCLAIMER = re.compile(
    r"\b(?:do not|don['’]t|doesn['’]t|does not|never will|will never|did not|didn['’]t) own\s+"
    r"(?:any(?:thing|one)? (?:of|from|in|related to) )?(?:the )?"
    r"(?P<what>[A-Z][\w'’&:-]*(?:\s+(?:of the |of |the |and |& )?[A-Z0-9][\w'’&:-]*){0,5})")


def disclaimed_fandoms(stated: Metadata) -> tuple[str, ...]:
    """"Disclaimer: I don't own Harry Potter" implies the fandom Harry Potter."""
    if stated.fandoms:
        return ()
    found = []
    for note in stated.notes + stated.end_notes:
        for m in _DISCLAIMER.finditer(note.text):
            what = m["what"].rstrip(".,:;'’")
            if what.casefold() not in NOT_NAMES and what not in found:
                found.append(what)
    return tuple(found)


# AO3 tells fandoms of one name apart by medium: "Sherlock (TV)", "Les Misérables - Victor Hugo",
# "Grey's Anatomy (TV 2005)", "Marvel Cinematic Universe | MCU", "Supernatural - All Media Types".
_DISAMBIGUATOR = re.compile(r"\s*(?:\((?:tv|movies?|film|comics?|anime(?: & manga)?|manga|cartoon|video games?|"
                            r"web series|podcast|band|radio|novels?|books?|[^()]*\d{4})\)|- all media types)\s*$",
                            re.IGNORECASE)
_QUOTES = str.maketrans({"\u2019": "", "\u2018": "", "'": "", "\u02bc": "", "`": "", "\u00b4": "",
                         "\u201c": "", "\u201d": "", '"': "", "\u2010": "-", "\u2011": "-", "\u2012": "-",
                         "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-"})


@lru_cache(maxsize=1 << 16)  # a library's passes fold the same few thousand names again and again
def fold(name: str) -> str:
    """The key two spellings of one fandom, person or tag share: "Grey's Anatomy", "Grey’s Anatomy",
    "greys anatomy" and "Grey's Anatomy (TV)" all give "greys anatomy"; accents, case, quotes and
    the kind of dash do not count, nor an AO3 medium in brackets at the end."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_QUOTES).casefold()
    text = _DISAMBIGUATOR.sub("", text)
    text = re.sub(r"\s*-\s*", "-", text)
    return " ".join(text.split())


def without_medium(name: str) -> str:
    """"Grey's Anatomy (TV)" -> "Grey's Anatomy": the name a book of that fandom is called."""
    return _DISAMBIGUATOR.sub("", name).strip() or name

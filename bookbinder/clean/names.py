"""Characters and pairings: canonical names, and what the text implies.

`canonical(meta)` -> Metadata whose short names join the full names the story gives ("Mark" ->
"Mark Sloan" when the story also says "Mark Sloan"), pairings in canonical member order.
`infer(text)` -> Inferred: the story's most present names, and when two of them dominate, the
pairing they suggest. Inference is a guess and is only ever stored apart, as `inferred`.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

from ..model import Inferred, Metadata, Pairing, unique_names

# Capitalised words that open sentences or address people but are not names.
_NOT_NAMES = frozenset("""
a an the and but or nor so yet for if then than when while where what who whom whose why how which that this these
those there here it its he she they we you i me my mine your yours his her hers our ours their theirs him them us
is are was were be been being am do does did have has had will would shall should can could may might must not no
yes yeah yep nope ok okay oh ah ahh uh um hmm hey hi hello bye goodbye well just maybe perhaps sometimes still even
only also too very really now later today tomorrow yesterday tonight again once after before because since until
though although unless whether all any some every each both either neither none one two three four five six seven
eight nine ten first second third last next other another such same most more much many few little lots nothing
everything something anything someone everyone anyone nobody somebody everybody god jesus christ lord mr mrs ms
miss dr doctor sir madam dad mom mum mother father mama papa grandma grandpa monday tuesday wednesday thursday
friday saturday sunday january february march april june july august september october november december
christmas easter halloween thanksgiving english french american british chapter part prologue epilogue end
author note notes summary disclaimer title rating warning warnings pairing fandom tags please thanks thank sorry
fine good great right wrong sure of in on at to from by with without about into onto over under up down out off
through across around between behind beside beyond inside outside near like unlike as let lets don't can't won't
didn't isn't wasn't aren't weren't hasn't haven't hadn't doesn't wouldn't shouldn't couldn't i'm i've i'll i'd
you're you've you'll he's she's it's we're they're that's there's here's what's who's how's where's let's
never always ever whatever whoever however wherever whenever instead besides meanwhile anyway otherwise someday
everyday tv dvd ok usa uk
""".split())


def canonical(meta: Metadata) -> Metadata:
    """Characters and pairings with short names joined to the full names the story gives."""
    names = list(meta.characters) + [m for p in meta.pairings for m in p.members]
    alias = alias_table(names)
    characters = unique_names(alias.get(c.casefold(), c) for c in meta.characters)
    pairings = tuple(dict.fromkeys(
        Pairing.of([alias.get(m.casefold(), m) for m in p.members], p.kind) for p in meta.pairings))
    return meta.with_(characters=characters, pairings=pairings)


def alias_table(names) -> dict[str, str]:
    """casefolded short name -> full name, where exactly one full name starts or ends with it."""
    full = {n for n in names if len(n.split()) > 1}
    by_part: dict[str, set[str]] = {}
    for name in full:
        parts = name.split()
        for part in (parts[0], parts[-1]):
            by_part.setdefault(part.casefold(), set()).add(name)
    table = {}
    for part, owners in by_part.items():
        if len(owners) == 1:
            table[part] = next(iter(owners))
    for name in full:
        table[name.casefold()] = name
    return table


def infer(text: str, stated: Metadata) -> Inferred:
    """The characters the text is about, and the pairing two dominant ones suggest."""
    counts, full = _name_counts(text)
    alias = alias_table(list(full.values()) + list(stated.characters) +
                        [m for p in stated.pairings for m in p.members])
    people: Counter[str] = Counter()
    for name, n in counts.items():
        people[alias.get(name.casefold(), full.get(name, name))] += n
    ranked = [(name, n) for name, n in people.most_common() if n >= 3][:8]
    characters = tuple(name for name, _ in ranked)
    pairings: tuple[Pairing, ...] = ()
    if len(ranked) >= 2:
        (a, na), (b, nb) = ranked[0], ranked[1]
        third = ranked[2][1] if len(ranked) > 2 else 0
        if nb >= 5 and nb >= 0.3 * na and nb >= 1.5 * third:
            pairings = (Pairing.of([a, b]),)
    return Inferred(fandoms=disclaimed_fandoms(stated), characters=characters, pairings=pairings)


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
            if what.casefold() not in _NOT_NAMES and what not in found:
                found.append(what)
    return tuple(found)


# Words, and the punctuation that ends a sentence (then the next word starts one) or parts two names.
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|[.!?…:\"“”\n]|[,;()—–]")
_ENDS_SENTENCE = frozenset('.!?…:"“”\n')


def _name_counts(text: str) -> tuple[Counter[str], dict[str, str]]:
    """Capitalised words used as names (never lower-case, seen mid-sentence), and full names."""
    tokens = _TOKEN.findall(text)
    lower = {t.casefold() for t in tokens if t[0].islower()}
    counts: Counter[str] = Counter()
    mid: set[str] = set()
    bigrams: Counter[tuple[str, str]] = Counter()
    prev: str | None = None
    sentence_start = True
    for token in tokens:
        first = token[0]
        if first.islower():  # most tokens: cheap to pass over
            prev, sentence_start = None, False
            continue
        if len(token) == 1 and not first.isalpha():
            sentence_start = sentence_start or token in _ENDS_SENTENCE
            prev = None
            continue
        word = token[:-2] if token.endswith(("'s", "’s")) else token.rstrip("'’")
        key = word.casefold().replace("’", "'")
        if not word[:1].isupper() or key in _NOT_NAMES or key in lower or len(word) < 2 or word.isupper():
            prev, sentence_start = None, False
            continue
        counts[word] += 1
        if not sentence_start:
            mid.add(word)
        if prev:
            bigrams[(prev, word)] += 1
        prev, sentence_start = word, False
    names = Counter({w: n for w, n in counts.items() if w in mid})
    full = {}
    for (first, last), _ in bigrams.most_common():
        if first in names and last in names and first not in full:
            full[first] = f"{first} {last}"
            full[last] = full.get(last, f"{first} {last}")
    return names, full


# AO3 tells fandoms of one name apart by medium: "Sherlock (TV)", "Les Misérables - Victor Hugo",
# "Grey's Anatomy (TV 2005)", "Marvel Cinematic Universe | MCU", "Supernatural - All Media Types".
_DISAMBIGUATOR = re.compile(r"\s*(?:\((?:tv|movies?|film|comics?|anime(?: & manga)?|manga|cartoon|video games?|"
                            r"web series|podcast|band|radio|novels?|books?|[^()]*\d{4})\)|- all media types)\s*$",
                            re.IGNORECASE)
_QUOTES = str.maketrans({"\u2019": "", "\u2018": "", "'": "", "\u02bc": "", "`": "", "\u00b4": "",
                         "\u201c": "", "\u201d": "", '"': "", "\u2010": "-", "\u2011": "-", "\u2012": "-",
                         "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-"})


def fold(name: str) -> str:
    """The key two spellings of one fandom, person or tag share: "Grey's Anatomy", "Grey’s Anatomy",
    "greys anatomy" and "Grey's Anatomy (TV)" all give "greys anatomy"; accents, case, quotes and
    the kind of dash do not count, nor an AO3 medium in brackets at the end."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_QUOTES).casefold()
    text = _DISAMBIGUATOR.sub("", text)
    text = re.sub(r"\s*-\s*", "-", text)
    return " ".join(text.split())

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
    alias = alias_table(names, surnames=False)
    characters = unique_names(alias.get(c.casefold(), c) for c in meta.characters)
    pairings = tuple(dict.fromkeys(
        Pairing.of([alias.get(m.casefold(), m) for m in p.members], p.kind) for p in meta.pairings))
    return meta.with_(characters=characters, pairings=pairings)


def alias_table(names, surnames: bool = True) -> dict[str, str]:
    """casefolded short name -> full name, where exactly one full name starts (or, with
    `surnames`, ends) with it. What a story states is joined by given names only: its tags say
    "Reader/Orc" beside "Male Orc" and "Orc(s)", and "Orc" is not the male one."""
    full = {n for n in names if len(_bare(n).split()) > 1}
    by_part: dict[str, set[str]] = {}
    for name in full:
        parts = _bare(name).split()
        for part in (parts[0], parts[-1]) if surnames else (parts[0],):
            by_part.setdefault(part.casefold(), set()).add(name)
    table = {}
    for part, owners in by_part.items():
        if len(owners) == 1:
            table[part] = next(iter(owners))
    for name in full:
        table[name.casefold()] = name
    return table


# AO3's disambiguators: "Vampire - Character", "Mothman (Character)", "Harry Potter (Harry Potter)".
_CHARACTER_SUFFIX = re.compile(r"\s*(?:\([^()]*\)|-\s+Character)\s*$", re.IGNORECASE)


def _bare(name: str) -> str:
    """A name without AO3's disambiguating suffix, whose words are the person's: "Female Reader -
    Character" is a reader, so "Reader" alone names none of three readers."""
    return _CHARACTER_SUFFIX.sub("", name).strip() or name


def infer(text: str, stated: Metadata) -> Inferred:
    """The characters the text is about, and the pairing two dominant ones suggest."""
    counts, full, placed = _name_counts(text)
    alias = alias_table(list(full.values()) + list(stated.characters) +
                        [m for p in stated.pairings for m in p.members])
    people: Counter[str] = Counter()
    at_places: Counter[str] = Counter()
    for name, n in counts.items():
        person = alias.get(name.casefold(), full.get(name, name))
        people[person] += n
        at_places[person] += placed[name]
    places = {name for name, n in people.items() if is_place(name, n, at_places[name])}
    ranked = [(name, n) for name, n in people.most_common() if n >= 3 and name not in places][:8]
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


# Words after which a name is a place, not a person: "at Seattle Grace", "in Seattle", "into
# Mercy West". ("to" and "from" take people as often as places: "said to Mark".)
_LOCATIVE = frozenset("at in into inside outside near within across throughout".split())
# ...and "to", "from" and "by" after a word of going: "back to New York", "transferring to Mercy West".
_GOING = frozenset("""go goes going went gone back move moved moves moving transfer transferred transferring fly flew
flown flying drive drove driven driving return returned returning come came coming head headed heading way trip
walk walked walking run ran running leave left leaving away home moved drop dropped stop stopped swing""".split())
# ...but "at" after a look or a feeling takes a person: "she looked at Mark", "mad at Derek".
_AT_PERSON = frozenset("""look looks looked looking stare stares stared staring glance glances glanced glancing glare
glared glaring smile smiles smiled smiling grin grinned grinning laugh laughed laughing yell yelled yelling shout
shouted shouting snap snapped wink winked nod nodded wave waved point pointed pointing frown frowned scowl scowled
gape gaped peer peered squint squinted blink blinked mad angry upset furious annoyed cross aimed directed
jabbed thrown threw swung lunged lunge snarled hissed growled""".split())
# Last words of the names of places and institutions, which no person bears.
_PLACE_WORDS = frozenset("""hospital memorial general center centre clinic university college school academy institute
street st avenue ave road rd lane boulevard park square plaza bar pub cafe café diner restaurant hotel inn motel church
cathedral station airport city county island lake river mountain mountains hall manor tower bridge mall market
harbor harbour bay beach valley forest woods hill hills heights ward house""".split())


def _name_counts(text: str) -> tuple[Counter[str], dict[str, str], Counter[str]]:
    """Capitalised words used as names (never lower-case, seen mid-sentence), full names, and how
    often each was named right after a word of place ("at", "in")."""
    tokens = _TOKEN.findall(text)
    lower = {t.casefold() for t in set(tokens) if t[0].islower()}  # distinct tokens: far fewer
    counts: Counter[str] = Counter()
    placed: Counter[str] = Counter()
    mid: set[str] = set()
    bigrams: Counter[tuple[str, str]] = Counter()
    prev: str | None = None
    sentence_start = True
    after_place_word = False  # since "at"/"in", only capitalised words (or "the", "of") so far
    last_lower = ""
    for token in tokens:
        first = token[0]
        if first.islower():  # most tokens: cheap to pass over
            prev, sentence_start = None, False
            after_place_word = ((token in _LOCATIVE and not (token == "at" and last_lower in _AT_PERSON))
                                or (token in {"to", "from", "by"} and last_lower in _GOING)
                                or (after_place_word and token in {"the", "of"}))
            last_lower = token
            continue
        if len(token) == 1 and not first.isalpha():
            sentence_start = sentence_start or token in _ENDS_SENTENCE
            prev, after_place_word = None, False
            continue
        word = token[:-2] if token.endswith(("'s", "’s")) else token.rstrip("'’")
        key = word.casefold().replace("’", "'")
        if not word[:1].isupper() or key in _NOT_NAMES or key in lower or len(word) < 2 or word.isupper():
            prev, sentence_start = None, False
            after_place_word = after_place_word or key in _LOCATIVE  # "At Boston General", "in New York"
            continue
        counts[word] += 1
        if after_place_word and word == token:  # "in Mark's arms": a possessive is somebody's
            placed[word] += 1
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
    return names, full, placed


def is_place(name: str, mentions: int, placed: int) -> bool:
    """A name that is a place or an institution, not a person: its last word names a kind of place
    ("Memorial", "Street"), or most of its mentions follow "at", "in", "into"..."""
    last = name.split()[-1].casefold() if name.split() else ""
    return last in _PLACE_WORDS or (mentions >= 2 and placed * 2 >= mentions)


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


def without_medium(name: str) -> str:
    """"Grey's Anatomy (TV)" -> "Grey's Anatomy": the name a book of that fandom is called."""
    return _DISAMBIGUATOR.sub("", name).strip() or name

"""Which names in a story's text are people: text -> `Evidence` for each name it uses.

A name is a capitalised word, or a run of up to three (with a surname's particles between them:
"Emmanellain de Fortemps"), used at least once inside a sentence; a title of address before it
("Dr.", "Uncle", "Madame") is no part of it. Words are whole across accents, apostrophes and
scripts: the text is NFC and a letter is any Unicode letter with its marks ("Zoë", "Renée’s",
"K’Vala", "Жанна"). Whether a name is a person is read from how the prose uses it, occurrence by
occurrence, as readers (and annotators of named entities) do:

- a person: a title before it ("Dr. Sloan"), speech attributed to it ("…,” Mark said", "said
  Mark"), a verb only people do after it ("Lexie smiled", "Alecto quietly nods"), a person's
  possession ("Mark's hand", "Renée’s sister"), being spoken to ("Hush, Alecto," "“Zoë, wait”"),
  being the object of a verb done to people ("told Lexie", "kissed him"), "who" after it;
- a thing: an article or a possessive before it ("the Foundation", "a Mitski song", "his Annabel
  Lee": an epithet), a work or a group after it ("Fleetwood Mac song", "the Tau Ceti group"), a
  number after it ("Section 3": a heading), a credit before it ("translated by David Wyllie");
- a place: a word of place before it ("at Seattle Grace", "back to Boston"; see `is_place`).

The cue words are English, with the titles and words of speech of the other languages the
chapter headings know (German, French, Spanish, Italian, Portuguese, Dutch).
"""
from __future__ import annotations

import unicodedata
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass

import regex

from .namewords import (BODY_AND_KIN, CREDITS, DETERMINERS, GOING, LOCATIVE, AT_PERSON, NOT_NAMES, OBJECT_VERBS,
                        PARTICLES, PLACE_WORDS, POSSESSIVE_DETERMINERS, SPEECH, SPEECH_BEFORE, TITLES, VERBS,
                        WORKS)

# A word: a letter, then letters and their marks, across apostrophes and hyphens ("O’Brien",
# "Jean-Luc", "Renée’s"); or a number; or a mark of punctuation that ends a sentence, parts names
# or opens and closes speech.
_TOKEN = regex.compile(r"\p{L}[\p{L}\p{M}]*(?:['’\-]\p{L}[\p{L}\p{M}]*)*|\d+|[.!?…:;,()\[\]—–\"“”„‟«»‹›「」『』‘’‚'\n]")
_ENDS_SENTENCE = frozenset('.!?…:\n')
_OPENS = frozenset("“„«»「『\"")   # opening quotation marks (German and French ones too)
_CLOSES = frozenset("”“»«」』\"")  # what closes them ("“" closes „…“, "«" closes »…«)
_MAX_WORDS = 3                     # longer runs of capitals are titles and institutions


@dataclass
class Evidence:
    """How a story's text uses one name: local to `scan` and `infer`, never passed between stages."""

    mentions: int = 0
    mid: int = 0      # mentions inside a sentence (a capital there is the name's own)
    person: int = 0   # mentions with a cue of a person
    thing: float = 0  # mentions with a cue of a thing (an article weighs half)
    placed: int = 0   # mentions after a word of place

    def add(self, other: Evidence) -> None:
        self.mentions += other.mentions
        self.mid += other.mid
        self.person += other.person
        self.thing += other.thing
        self.placed += other.placed


def tokens_of(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFC", text))


def scan(text: str) -> dict[str, Evidence]:
    """Each name the text uses, with the cues of its mentions (a name only ever seen opening a
    sentence is likely no name: `is_person` asks for one inside a sentence)."""
    tokens = tokens_of(text)
    lower: Counter[str] = Counter()
    for t, n in Counter(tokens).items():  # distinct tokens: far fewer than tokens
        if t[0].islower():
            lower[t.casefold()] += n
    # a word in lower case (or a number) changes nothing but that the sentence has begun: the loop
    # goes from one capitalised word or mark to the next (most tokens are such words)
    marks = [k for k, t in enumerate(tokens) if t[0].isupper() or not t[0].isalnum()]
    inside = {tokens[k] for k in marks if k and tokens[k][0].isupper()
              and (tokens[k - 1][0].islower() or tokens[k - 1] == ",")}
    found: dict[str, Evidence] = {}
    start, quoted, i = True, False, 0
    while i < len(tokens):
        t = tokens[i]
        if not t[0].isupper() and t[0].isalnum():
            start = False
            k = bisect_left(marks, i)
            i = marks[k] if k < len(marks) else len(tokens)
            continue
        if not t[0].isupper():
            quoted = _quoted(t, quoted)
            start = t in _ENDS_SENTENCE and not _abbreviated(tokens, i) or (start and not t[0].isalnum())
            i += 1
            continue
        if start and i + 1 < len(tokens) and tokens[i + 1][0].isupper() and _sentence_word(t, lower, inside):
            start, i = False, i + 1  # "Poor Alice", "Instantly Emmanellain": the sentence's first word
            continue
        j, words, title = _run(tokens, i)
        name = " ".join(words)
        if words and (len(words) > 1 or lower[name.casefold()] < 2):  # "Will" the name, not "will" the word
            _note(found.setdefault(name, Evidence()), tokens, (i, j), title, quoted, start)
        start, i = False, max(j, i + 1)
    return found


def _sentence_word(t: str, lower: Counter, inside: set[str]) -> bool:
    """A capitalised first word that is the sentence's, not a name's: used in lower case elsewhere,
    or an adverb or participle never capitalised inside a sentence ("Instantly", "Watching")."""
    return bool(lower[t.casefold()]) or (t not in inside and t.endswith(("ly", "ing", "ed")))


def _quoted(t: str, quoted: bool) -> bool:
    if quoted and t in _CLOSES:
        return False
    return quoted or t in _OPENS


def _abbreviated(tokens: list[str], i: int) -> bool:
    """The full stop of "Dr." or "Mrs." ends no sentence."""
    return tokens[i] == "." and i > 0 and tokens[i - 1].casefold() in TITLES


# Japanese honorifics, which anime and manga fandoms keep: "Koga-san" is Koga.
_HONORIFIC = regex.compile(r"-(?:san|kun|chan|sama|sensei|senpai|sempai|dono|chin|tan)$", regex.IGNORECASE)
NAMED, ALONE = 1, 2  # a title before a name ("Dr. Sloan"); a title that is all the name ("the Queen")


def _run(tokens: list[str], i: int) -> tuple[int, list[str], int]:
    """The name that starts at token `i`: (the token after it, its words, NAMED or ALONE or 0)."""
    words: list[str] = []
    title, j = 0, i
    while j < len(tokens):
        t = tokens[j]
        if words and t.casefold() in PARTICLES and j + 1 < len(tokens) and _name_word(tokens[j + 1]):
            words.append(t)
            j += 1
            continue
        if not words and not title and t[0].isupper() and t.casefold() in TITLES:
            title, j = NAMED, j + 1 + (j + 1 < len(tokens) and tokens[j + 1] == ".")
            continue
        word = _name_word(t)
        if not word:
            break
        if _HONORIFIC.search(word):
            word, title = _HONORIFIC.sub("", word), title or NAMED
        words.append(word)
        j += 1
        if not t.startswith(word) or len(t) > len(word) + 1:  # a possessive ends the name: "Mark’s"
            break
    if len([w for w in words if w[0].isupper()]) > _MAX_WORDS:
        return j, [], 0
    if title and not words:
        return j, ([] if tokens[i].casefold() in NOT_NAMES else [tokens[i]]), ALONE
    return j, words, title


def _name_word(t: str) -> str | None:
    """`t` as a word of a name ("Renée’s" -> "Renée"), or None when it cannot be one."""
    if not t[0].isupper() or len(t) < 2 or t.isupper():
        return None
    word = t[:-2] if t.endswith(("'s", "’s")) else t
    return None if word.casefold().replace("’", "'") in NOT_NAMES else word


def _note(e: Evidence, tokens: list[str], span: tuple[int, int], title: int, quoted: bool, start: bool) -> None:
    """Count one mention (the tokens of `span`) and its cues."""
    i, j = span
    before = ["", ""] + [t.casefold() for t in tokens[max(0, i - 2):i]]
    p, pp = before[-1], before[-2]
    after = [t.casefold() for t in tokens[j:j + 2]] + ["", ""]
    n1, n2 = after[0], after[1]
    e.mentions += 1
    e.mid += not start or title == NAMED
    possessive = tokens[j - 1].endswith(("'s", "’s"))
    if p in POSSESSIVE_DETERMINERS:
        e.thing += 1  # "his Annabel Lee": an epithet, whatever it does next
        return
    if (p in LOCATIVE and not (p == "at" and pp in AT_PERSON)) or (p in {"to", "from", "by"} and pp in GOING) \
            or (p in {"the", "of"} and pp in LOCATIVE):
        e.placed += not possessive  # "in Mark's arms": a possessive is somebody's
    if p in DETERMINERS and pp in SPEECH_BEFORE | OBJECT_VERBS:
        p, pp = pp, ""  # "said the Gryphon", "asked the Hatter": the article is the character's own
    person = title == NAMED or _person_cue(p, pp, n1, n2, possessive, quoted) or _agrees(tokens, j, p, start)
    e.person += person
    named_part = p == "of" and i > 1 and tokens[i - 2][0].isupper()  # "Library of Congress", "Queen of Hearts"
    if title != NAMED:
        strong = n1 in WORKS or n1.isdigit() or (p == "by" and pp in CREDITS) or named_part
        # "the Foundation" is a thing, "the Gryphon sat up" a person: an article weighs half, and
        # none beside a cue of a person or before a title ("the Queen")
        e.thing += 1.0 if strong else 0.5 if p in DETERMINERS and not person and title != ALONE else 0.0


def _person_cue(p: str, pp: str, n1: str, n2: str, possessive: bool, quoted: bool) -> bool:
    if possessive:
        return n1 in BODY_AND_KIN
    return (n1 in SPEECH or (p in SPEECH_BEFORE and pp not in DETERMINERS)  # not "the said Crimes"
            or n1 in VERBS or (n1.endswith("ly") and n2 in VERBS) or p in OBJECT_VERBS
            or n1 == "who" or (n1 == "," and n2 == "who") or p == "named" or (p, pp) in _INTRODUCED
            or (quoted and pp != "oh" and ((p == "," and n1 in {",", ".", "!", "?", "…"})  # "Hush, Alecto,"
                                          or (p in _OPENS and n1 == ","))))  # "“Zoë, wait”"


_INTRODUCED = {("am", "i"), ("is", "name"), ("'m", "i")}  # "I am Riversong K’Vala", "my name is Zoë"
_CLAUSE_OPENERS = frozenset({"", ".", ",", ";", "and", "but", "when", "as", "while", "then", "so", "because", "if"}
                            | _OPENS)
_AGREEING = frozenset("he she his her him himself herself hers".split())


def _agrees(tokens: list[str], j: int, p: str, start: bool) -> bool:
    """Pronoun agreement: a name opening a clause that a personal pronoun soon follows ("Harry had
    quietly packed his things")."""
    if not (start or p in _CLAUSE_OPENERS):
        return False
    for t in tokens[j:j + 6]:
        if not t[0].isalpha():
            return False
        if t in _AGREEING:
            return True
    return False


def is_place(name: str, mentions: int, placed: int) -> bool:
    """A name that is a place or an institution, not a person: its last word names a kind of place
    ("Memorial", "Street"), or most of its mentions follow "at", "in", "into"..."""
    last = name.split()[-1].casefold() if name.split() else ""
    return last in PLACE_WORDS or (mentions >= 2 and placed * 2 >= mentions)


def is_person(e: Evidence) -> bool:
    """A name the text uses as a person's: one mention in ten or more says so (a book that
    capitalises its nouns, "Eden", "Congress", gives a cue by chance now and then), more mentions
    than say it is a thing, and it is seen inside a sentence."""
    return e.mid >= 1 and e.person > e.thing and e.person * 10 >= e.mentions

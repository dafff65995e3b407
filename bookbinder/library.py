"""Names across a library: stories (or cards) -> the same, each name one person inside its fandom.

A name means one person only among the stories of one fandom: "John" of a Grey's Anatomy story
and "John Gaius" of a Locked Tomb story are strangers. So each story's fandom comes first:

1. stated: the story's fandoms, as `fold` compares them ("Grey's Anatomy (TV)" is "Grey's
   Anatomy"); AO3's "Original Work" is no shared world, so such a story is a fandom of its own;
2. named by its author: a disclaimer ("I don't own Harry Potter", `clean.names`), or a note that
   names a fandom of the library, whole or as fans shorten a title "X's Y" ("the promo for the
   next Grey's ep");
3. else, for fan fiction only (never a published book, such as a Project Gutenberg text), the
   fandom whose people it names, on strong evidence and never on given names alone: two of that
   fandom's people by full name, or one by full name and another by a given name that is one of
   theirs only, or a character the story states. The people of a fandom are those its stories
   state (their tag lists) or name in full; the diagnostic says which names decided it.

Then short names join full names inside each fandom ("Mark" -> "Mark Sloan"), and nowhere else.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Iterable, TypeVar

from .clean.names import alias_table, fold, person_names, without_medium
from .model import Card, Pairing, Story

S = TypeVar("S", Story, Card)
_ORIGINAL = {"original work", "original fiction", "original", "original works"}


def unify_names(stories: Iterable[S]) -> list[S]:
    """`stories` with their fandoms placed (`place_fandoms`) and their names joined inside each fandom."""
    placed = name_tagged(place_fandoms(list(stories)))
    scopes = [_scope(s) for s in placed]
    members: dict[str, list[str]] = {}
    for story, scope in zip(placed, scopes):
        for key in scope:
            members.setdefault(key, []).extend(all_names(story))
    tables = {key: alias_table(names) for key, names in members.items()}
    people = _People.of(s for s in placed if s.meta.fandoms)
    out = []
    for story, scope in zip(placed, scopes):
        if scope:
            out.append(_rename(story, _table(scope, tables)))
            continue
        lean = _lean(story, people)  # names read as one fandom's people's, the fandom left unknown
        own = alias_table(all_names(story))
        story = _rename(story, {**tables.get(lean[0], {}), **own} if lean else own)
        out.append(_said(story, "names-read-in-fandom", lean[1]) if lean else story)
    return out


def _said(story: S, code: str, message: str) -> S:
    """`story` with a diagnostic, once: unifying a library twice (the API's `unify`, then `group`)
    decides the same and says it once."""
    if any(d.code == code and d.message == message for d in story.diagnostics):
        return story
    return story.diagnose(code, message)


def _read_before(story: Story | Card) -> bool:
    """Its names were read as a fandom's people by an earlier pass (`_lean`): the full names that
    gave it are the library's reading, no evidence of the story's own."""
    return any(d.code == "names-read-in-fandom" for d in story.diagnostics)


def _lean(story: Story | Card, people: _People) -> tuple[str, str] | None:
    """(fandom, why) where a story the library cannot place names two or more people of one fandom
    and of no other: too little to place it ("never first names alone"), enough to read its
    "Mark" and "Lexie" as that fandom's Mark Sloan and Lexie Grey rather than as strangers."""
    if story.meta.fandoms or is_published_book(story) or _read_before(story):
        return None
    found = people.evidence(story)
    if not found:
        return None
    best, strong, weak = found[0]
    tied = len(found) > 1 and (len(found[1][1]), len(found[1][2])) == (len(strong), len(weak))
    if tied or len(strong) + len(weak) < 2:
        return None
    return best, (f"fandom not placed; its names {', '.join(strong + weak)} are read as those of the people of "
                  f"the {best} stories in this collection, the only ones it shares")


def _scope(story: Story | Card) -> frozenset[str]:
    """The folded fandoms whose names a story shares: stated, else named or inferred; an original
    work shares none (it is a world of its own)."""
    fandoms = story.meta.fandoms or story.meta.inferred.fandoms
    return frozenset(f for f in map(fold, fandoms) if f not in _ORIGINAL)


def _table(scope: frozenset[str], tables: dict[str, dict[str, str]]) -> dict[str, str]:
    """One name table for a story of several fandoms (a crossover): a short name two of them
    give to different people joins neither."""
    merged: dict[str, str] = {}
    clash = set()
    for key in sorted(scope):
        for short, full in tables.get(key, {}).items():
            if merged.setdefault(short, full) != full:
                clash.add(short)
    return {k: v for k, v in merged.items() if k not in clash}


def all_names(story: Story | Card) -> list[str]:
    meta = story.meta
    return (list(meta.characters) + [m for p in meta.pairings for m in p.members]
            + list(meta.inferred.characters) + [m for p in meta.inferred.pairings for m in p.members])


def _rename(story: S, table: dict[str, str]) -> S:
    def name(n: str) -> str:
        return table.get(n.casefold(), n)

    meta = story.meta
    inferred = replace(meta.inferred, characters=tuple(dict.fromkeys(map(name, meta.inferred.characters))),
                       pairings=rename_pairings(meta.inferred.pairings, name))
    return story.with_(meta=meta.with_(characters=tuple(dict.fromkeys(map(name, meta.characters))),
                                       pairings=rename_pairings(meta.pairings, name), inferred=inferred))


def rename_pairings(pairings: tuple[Pairing, ...], name: Callable[[str], str]) -> tuple[Pairing, ...]:
    return tuple(dict.fromkeys(Pairing.of([name(m) for m in p.members], p.kind) for p in pairings))


def stated_names(story: Story | Card) -> list[str]:
    return list(story.meta.characters) + [m for p in story.meta.pairings for m in p.members]


def name_tagged(stories: list[S]) -> list[S]:
    """Stories whose text uses a name often without showing whether it is a person's, with that
    name among their inferred characters where a character tag of their fandom's stories names it
    ("Addison" -> "Addison Montgomery"), said in a diagnostic."""
    tags = _People.of((s for s in stories if s.meta.characters or s.meta.pairings), stated_names)
    return [_with_tagged(s, tags) for s in stories]


def _with_tagged(story: S, tags: _People) -> S:
    found = []
    for name in story.meta.inferred.named:
        people = [p for p in (tags.person(key, name) for key in sorted(_scope(story))) if p]
        if people:
            found.append(people[0])
    if not found:
        return story
    characters = tuple(dict.fromkeys(story.meta.inferred.characters + tuple(found)))
    story = story.with_(meta=story.meta.with_(inferred=replace(story.meta.inferred, characters=characters)))
    return _said(story, "character-from-tags", f"{', '.join(found)}: named in its text, and a character tag "
                                                 "of its fandom's stories in this collection (kept as inferred)")


# ------------------------------------------------------------------ where a story belongs
def place_fandoms(stories: list[S]) -> list[S]:
    """Stories that state no fandom, with the one their notes or their people place them in (as
    inferred, said in a diagnostic)."""
    known = {fold(f): without_medium(f) for s in stories for f in s.meta.fandoms if fold(f) not in _ORIGINAL}
    people = _People.of(s for s in stories if s.meta.fandoms)  # stated fandoms only: no chains of guesses
    return [_place(s, known, people) if not _scope(s) and not s.meta.fandoms and not _read_before(s) else s
            for s in stories]


def _place(story: S, known: dict[str, str], people: _People) -> S:
    named = _named_in_notes(story, known)
    if named:
        return _inferred(story, named, f"its notes name {', '.join(named)}")
    if is_published_book(story):
        return story
    found = people.evidence(story)
    if not found:
        return story
    best, strong, weak = found[0]
    shown = ", ".join(strong + weak)
    tied = len(found) > 1 and (len(found[1][1]), len(found[1][2])) == (len(strong), len(weak))
    tagged = [n for n in strong if " " in n and fold(n) in _stated(story)]  # its own tag list says so
    sure = (len(strong) >= 2 or bool(strong and weak) or bool(tagged)) and not tied
    if not sure:
        return _said(story, "fandom-not-inferred", f"no fandom stated; it shares {shown} with "
                                                     f"{known.get(best, best)} stories, too little to place it "
                                                     "(two full names, a full name and another name, or a "
                                                     "character it states by full name are needed)")
    return _inferred(story, [known.get(best, best)], f"it names {shown}, people of {known.get(best, best)} "
                                                     "stories in this collection")


def _stated(story: Story | Card) -> set[str]:
    """The folded names of the people a story states (its characters and pairings)."""
    meta = story.meta
    return {fold(w) for n in list(meta.characters) + [m for p in meta.pairings for m in p.members]
            for w in person_names(n)}


def _inferred(story: S, fandoms: list[str], why: str) -> S:
    inferred = replace(story.meta.inferred, fandoms=tuple(fandoms))
    story = story.with_(meta=story.meta.with_(inferred=inferred))
    return _said(story, "fandom-inferred", f"no fandom stated; {why} (kept as inferred)")


def _named_in_notes(story: Story | Card, known: dict[str, str]) -> list[str]:
    """The library's fandoms a story's own notes name: "Grey's Anatomy", or "Grey's" as fans
    shorten a title of the form "X's Y"."""
    notes = fold(" ".join(n.text for n in story.meta.notes + story.meta.end_notes))
    if not notes:
        return []
    found = []
    for key, shown in known.items():
        head = key.split()[0] if re.match(r"^\w+['’]s\s", shown) else None
        if re.search(rf"\b{re.escape(key)}\b", notes) or (head and re.search(rf"\b{re.escape(head)}\b", notes)):
            found.append(shown)
    return found


def is_published_book(story: Story | Card) -> bool:
    """A Project Gutenberg book (its licence was taken off, or its address says so): a published
    work, whose people make it no fan fiction of any fandom."""
    return "gutenberg.org" in (story.meta.url or "") or any(
        "Project Gutenberg" in d.message or "Project Gutenberg" in d.text[:200] for d in story.diagnostics)


class _People:
    """The people of each fandom: full names its stories state or name, and given names that are
    one person's only."""

    def __init__(self) -> None:
        self.full: dict[str, dict[str, str]] = {}   # fandom -> folded full name -> as shown
        self.given: dict[str, dict[str, set[str]]] = {}  # fandom -> folded given name -> folded full names

    @classmethod
    def of(cls, stories: Iterable[Story | Card], names: Callable[[Story | Card], list[str]] = None) -> _People:
        """The people of `stories`, by `names` (all their names, stated and inferred, by default)."""
        people = cls()
        for story in stories:
            for key in _scope(story):
                for name in (names or all_names)(story):
                    people.add(key, name)
        return people

    def person(self, key: str, name: str) -> str | None:
        """The full name `name` is of a person of fandom `key`: itself, or the one full name a
        given name starts (None when it names nobody there, or two people)."""
        folded = fold(name)
        if folded in self.full.get(key, {}):
            return self.full[key][folded]
        if " " not in folded and self._one(key, folded):
            return self.full[key][next(iter(self.given[key][folded]))]
        return None

    def add(self, key: str, name: str) -> None:
        for words in (p.split() for p in person_names(name)):
            if len(words) > 1:
                whole = fold(" ".join(words))
                self.full.setdefault(key, {})[whole] = " ".join(words)
                self.given.setdefault(key, {}).setdefault(fold(words[0]), set()).add(whole)

    def evidence(self, story: Story | Card) -> list[tuple[str, list[str], list[str]]]:
        """(fandom, full names it shares, given names it shares), the most shared first."""
        stated = _stated(story)
        names = {fold(p): p for n in all_names(story) for p in person_names(n)}
        found = []
        for key, full in self.full.items():
            strong = [names[n] for n in names if n in full or (n in stated and self._one(key, n))]
            owners = {n for n in names if n in full}
            weak = [names[n] for n in names if " " not in n and n not in stated and self._one(key, n)
                    and not self.given[key][n] & owners]
            if strong or weak:
                found.append((key, strong, weak))
        return sorted(found, key=lambda f: (-len(f[1]), -len(f[2]), f[0]))

    def _one(self, key: str, given: str) -> bool:
        return len(self.given.get(key, {}).get(given, ())) == 1

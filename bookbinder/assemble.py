"""The assemble stage: stories + a grouping key -> Books.

`unify(stories)` makes names agree inside each fandom of a collection ("Mark" in one story and
"mark sloan" in another's tags are one character) and fills in, as inferred, the fandom of
stories whose notes or people place them in one (`library`). `group(stories, by)` gives one group
per pairing, fandom, author, rating or character (a story with two pairings joins both; a name
two fandoms use is told apart as AO3 does, "John (Sherlock)"); `Filters` filter
as archive users expect; `order` sorts. Inferred values are used only where nothing is stated,
and each use is a diagnostic.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Mapping

from .book import Book, story_title
from .clean.names import fold, without_medium
from .library import is_published_book, rename_pairings, unify_names
from .errors import BookbinderError, UsageError
from .ratings import KNOWN_RATINGS, rating_level
from .model import Pairing, Story

SORT_KEYS = ("given", "title", "date", "words", "author")


@dataclass(frozen=True)
class GroupKey:
    """One way to split a collection into books. A new key is one entry in `GROUPINGS`."""

    name: str
    stated: Callable[[Story], list[str]]    # what the story says
    inferred: Callable[[Story], list[str]]  # what the text suggests, used only where nothing is stated
    no_group: str                           # the book of the stories that have no value
    help: str                               # for --by's help


GROUPINGS: dict[str, GroupKey] = {k.name: k for k in (
    GroupKey("pairing", lambda s: [str(p) for p in s.meta.pairings], lambda s: [str(p) for p in s.meta.inferred.pairings],
             "Gen and Other Stories", "one book per pairing (a story with two joins both)"),
    GroupKey("fandom", lambda s: list(s.meta.fandoms), lambda s: list(s.meta.inferred.fandoms), "Unknown Fandom",
             "one book per fandom"),
    GroupKey("author", lambda s: list(s.meta.authors), lambda s: [], "Anonymous", "one book per author"),
    GroupKey("rating", lambda s: [s.meta.rating] if s.meta.rating else [], lambda s: [], "Not Rated",
             "one book per rating"),
    GroupKey("character", lambda s: list(s.meta.characters), lambda s: list(s.meta.inferred.characters),
             "No Named Characters", "one book per character"),
)}
GROUP_KEYS = tuple(GROUPINGS)


# ------------------------------------------------------------------ names across a collection
def unify(stories: Iterable[Story], aliases: Mapping[str, str] | None = None) -> list[Story]:
    """Stories whose characters and pairings use one name per person inside each fandom
    (`library.unify_names`: "Mark" in one Grey's Anatomy story and "mark sloan" in another's tags
    are one person; "John" of Grey's Anatomy is not "John Gaius" of The Locked Tomb).

    `aliases` are the user's own ("Mer" = "Meredith Grey", "GA" = "Grey's Anatomy"): a name whose
    folded spelling (`fold`) is an alias's becomes that name, in characters, pairings and fandoms."""
    stories = list(stories)
    if aliases:
        user = {fold(k): v for k, v in aliases.items()}
        stories = [_aliased(s, lambda n: user.get(fold(n), n)) for s in stories]
    return unify_names(stories)


def _aliased(story: Story, name: Callable[[str], str]) -> Story:
    meta = story.meta
    inferred = replace(meta.inferred, characters=tuple(dict.fromkeys(map(name, meta.inferred.characters))),
                       pairings=rename_pairings(meta.inferred.pairings, name),
                       fandoms=tuple(dict.fromkeys(map(name, meta.inferred.fandoms))))
    return story.with_(meta=meta.with_(characters=tuple(dict.fromkeys(map(name, meta.characters))),
                                       pairings=rename_pairings(meta.pairings, name),
                                       fandoms=tuple(dict.fromkeys(map(name, meta.fandoms))), inferred=inferred))


# ------------------------------------------------------------------ grouping
def keys_of(story: Story, by: str, infer: bool = True) -> tuple[list[str], bool]:
    """(the groups a story joins, whether they were inferred)."""
    key = GROUPINGS[by]
    stated = key.stated(story)
    if stated:
        return stated, False
    inferred = key.inferred(story) if infer else []
    return inferred, bool(inferred)


def group(stories: list[Story], by: str, infer: bool = True, unified: bool = False) -> dict[str, list[Story]]:
    """Group name -> its stories, in the order given; stories without a key go to one group of their own.

    Names are made to agree across the stories first (`unify`), so "Grey's Anatomy" in one and
    "Grey’s Anatomy" in another are one group; `unified=True` says the caller has done it."""
    if by not in GROUPINGS:
        raise UsageError(f"cannot group by {by!r}; choose one of {', '.join(GROUPINGS)}")
    if not unified:
        stories = unify(stories)
    entries = []
    for story in stories:
        keys, guessed = keys_of(story, by, infer)
        if guessed:
            story = story.diagnose(f"{by}-inferred-for-grouping",
                                   f"grouped by its inferred {by} {', '.join(keys)} (no {by} stated)")
        entries.append((story, keys))
    worlds = _worlds(entries, infer) if by in {"character", "pairing"} else {}
    groups: dict[str, list[Story]] = {}
    folded: dict[str, str] = {}
    for story, keys in entries:
        for key in keys or [GROUPINGS[by].no_group]:
            world = _world(story, infer)
            label = f"{key} ({world})" if world and len(worlds.get(fold(key), set()) - {None}) > 1 else key
            name = folded.setdefault(fold(label), without_medium(label))
            groups.setdefault(name, []).append(story)
    return groups


def _worlds(entries: list[tuple[Story, list[str]]], infer: bool) -> dict[str, set[str | None]]:
    """folded person or pairing -> the fandoms of the stories that hold it (None: not known; a
    story of no known fandom makes no second world of a name)."""
    worlds: dict[str, set[str | None]] = {}
    for story, keys in entries:
        for key in keys:
            worlds.setdefault(fold(key), set()).add(_world(story, infer))
    return worlds


def _world(story: Story, infer: bool) -> str | None:
    """The canon a person of `story` belongs to, as AO3 disambiguates a name two canons use:
    "John (Sherlock)", "John (Grey's Anatomy)"; a published book is its own canon, named by its
    author as AO3 names one ("Sherlock Holmes (Arthur Conan Doyle)"). None: not known."""
    fandoms = keys_of(story, "fandom", infer)[0]
    if fandoms:
        return without_medium(fandoms[0])
    if is_published_book(story):
        return story.meta.authors[0] if story.meta.authors else story_title(story)
    return None


# ------------------------------------------------------------------ filters and order
@dataclass(frozen=True)
class Filters:
    """Which stories a build keeps: a rating ceiling, complete works only, and fandoms, characters
    or pairings to match (names folded, a short name matches its full name)."""

    max_rating: str | None = None
    complete: bool = False
    fandoms: tuple[str, ...] = ()
    characters: tuple[str, ...] = ()
    pairings: tuple[str, ...] = ()
    infer: bool = True

    def predicate(self) -> Callable[[Story], bool]:
        ceiling = rating_level(self.max_rating) if self.max_rating else None
        if self.max_rating and ceiling is None:
            raise UsageError(f"unknown rating {self.max_rating!r}; {KNOWN_RATINGS}")

        def keep(story: Story) -> bool:
            if ceiling is not None:
                level = rating_level(story.meta.rating)
                if level is None or level > ceiling:
                    return False
            if self.complete and not is_complete(story):
                return False
            if self.fandoms and not _matches(self.fandoms, keys_of(story, "fandom", self.infer)[0]):
                return False
            if self.characters and not _matches(self.characters, keys_of(story, "character", self.infer)[0]
                                                + [m for p in keys_of(story, "pairing", self.infer)[0]
                                                   for m in re.split(r"/| & ", p)]):
                return False
            if self.pairings and not any(_same_pairing(w, p) for w in self.pairings
                                         for p in keys_of(story, "pairing", self.infer)[0]):
                return False
            return True

        return keep


def is_complete(story: Story) -> bool:
    """Stated complete, or a one-shot that states no status (AO3 counts a 1/1 work complete)."""
    if story.meta.status:
        return story.meta.status == "complete"
    return story.chapter_count == 1


def _matches(wanted: tuple[str, ...], have: list[str]) -> bool:
    """Case-insensitive; a short name matches its full name ("mark" matches "Mark Sloan")."""
    have_words = [fold(h) for h in have]
    for w in wanted:
        w = fold(w)
        if any(h == w or h.split()[:1] == [w] or h.split()[-1:] == [w] for h in have_words if h):
            return True
    return False


def _same_pairing(wanted: str, have: str) -> bool:
    want = Pairing.parse(wanted)
    got = Pairing.parse(have)
    if not want or not got or len(want.members) != len(got.members):
        return False
    return all(_matches((w,), list(got.members)) for w in want.members)


def order(stories: list[Story], by: str = "given") -> list[Story]:
    """Stories sorted by one of SORT_KEYS ("given" keeps the order they came in)."""
    if by not in SORT_KEYS:
        raise UsageError(f"cannot sort by {by!r}; choose one of {', '.join(SORT_KEYS)}")
    if by == "given":
        return list(stories)
    keys: dict[str, Callable[[Story], object]] = {
        "title": lambda s: story_title(s).casefold(),
        "date": lambda s: (s.meta.published or s.meta.updated or "9999"),
        "words": lambda s: s.words,
        "author": lambda s: (s.meta.authors[0].casefold() if s.meta.authors else "\uffff"),
    }
    return sorted(stories, key=keys[by])


# ------------------------------------------------------------------ books
def anthology(stories: list[Story], title: str | None = None, collection: str | None = None,
              editors: tuple[str, ...] = ()) -> Book:
    """A Book of `stories` in the order given ("Collected Stories" unless titled)."""
    if not stories:
        raise BookbinderError("an anthology needs at least one story")
    if title is None:
        title = collection or "Collected Stories"
    return Book(title=title, stories=tuple(stories), collection=collection, editors=editors)


def books_by(stories: list[Story], by: str, infer: bool = True, sort: str = "given",
             title: Callable[[str], str] | str | None = None, editors: tuple[str, ...] = (),
             unified: bool = False) -> list[Book]:
    """One Book per group; `title` is a text in which "{group}" stands for the group's name (every
    other brace is the title's own: a user's or a manifest's title is never a format string), or a
    function of the group name."""
    out = []
    for name, members in group(stories, by, infer, unified).items():
        if callable(title):
            book_title = title(name)
        elif title:
            book_title = title.replace("{group}", name)
        else:
            book_title = name
        out.append(anthology(order(members, sort), title=book_title, collection=name, editors=editors))
    return out


__all__ = ["Filters", "anthology", "books_by", "group", "is_complete", "order", "rating_level", "unify"]

"""The build's plan step: the stories read -> Plan (the books to write, each with the user's BookInfo).

Names are unified across the whole library (so grouping sees one person under one name), the
filters choose, then the stories become one book, one anthology, or one book per group (`--by`).
Planning reads cards and stories alike: metadata, words, chapter counts, first words.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..assemble import anthology, books_by, order, unify
from ..book import Book, story_title
from ..errors import BookbinderError, UsageError
from ..model import Card, Diagnostic, Story
from ..plural import plural
from .options import BuildOptions


@dataclass(frozen=True)
class Plan:
    """The books to write, how many stories the filters left out, and why there are none."""

    books: tuple[Book, ...]
    skipped: int = 0
    errors: tuple[BookbinderError, ...] = ()


def plan(stories: tuple[Story | Card, ...], options: BuildOptions, single: bool) -> Plan:
    """The books `stories` make under `options` (`single`: one file was given, so one story is a
    book of its own, not an anthology). UsageError when -o names one file and there are several."""
    if not stories:
        return Plan(())
    books, skipped = plan_books(list(stories), options, single)
    if not books:
        return Plan((), skipped, (BookbinderError(f"the filters left none of the {plural(len(stories), 'story')}"),))
    if options.out_file and len(books) > 1:
        raise UsageError(f"-o {options.out_file} names one file, but this build makes {len(books)} books "
                         f"(--by {options.by}); give -o a folder")
    return Plan(tuple(books), skipped)


def plan_books(stories: list, options: BuildOptions, single: bool) -> tuple[list[Book], int]:
    """The books to write (and how many stories the filters left out), each with the user's BookInfo."""
    books, skipped = _books(stories, options, single)
    return [replace(b, info=options.info) for b in books], skipped


def _books(stories: list, options: BuildOptions, single: bool) -> tuple[list[Book], int]:
    stories = unify(stories, dict(options.aliases))
    keep = options.filters.predicate()
    chosen = [s for s in stories if keep(s)]
    skipped = len(stories) - len(chosen)
    if not chosen:
        return [], skipped
    if options.by:
        return books_by(chosen, options.by, infer=options.infer, sort=options.sort, title=options.title,
                        editors=options.editors, unified=True), skipped
    chosen = order(chosen, options.sort)
    if single and len(chosen) == 1:
        return [Book(title=options.title or story_title(chosen[0]), stories=tuple(chosen),
                     editors=options.editors)], skipped
    return [anthology(chosen, title=options.title, editors=options.editors)], skipped


def decisions(read: tuple[Story | Card, ...], books: tuple[Book, ...]) -> tuple[tuple[str, Diagnostic], ...]:
    """What planning decided about each story across the library (a fandom placed by the names it
    shares, a group taken from an inferred value), as (source, diagnostic), once each: the reading
    step's diagnostics are said as each story is read, these only once the library is known."""
    before = {(s.source, s.meta.title): len(s.diagnostics) for s in read}
    said: dict[tuple[str, str, str], tuple[str, Diagnostic]] = {}
    for book in books:
        for story in book.stories:
            for d in story.diagnostics[before.get((story.source, story.meta.title), 0):]:
                said.setdefault((story.source, d.code, d.message), (story.source, d))
    return tuple(said.values())

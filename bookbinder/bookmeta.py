"""Book -> BookMetadata: what every backend records about a book, decided once.

Mapped as calibre and EPUB 3 read it: the book's dates (published, updated), the names of the
work (its URL and the site's id), its series and place in it, its subjects in the order AO3's own
downloads list them, and its summary. A book of one story states that story's fields; an
anthology states its own (`--series`, `-M`, `--date`) and lists its stories' sources.
"""
from __future__ import annotations

from dataclasses import dataclass

from .book import Book
from .model import Metadata, Story, series_number


@dataclass(frozen=True)
class BookMetadata:
    """What every backend records about the book, computed once."""

    identifier: str
    title: str
    language: str
    authors: tuple[str, ...]
    editors: tuple[str, ...]
    subjects: tuple[str, ...]    # AO3's order: rating, category, warnings, fandoms, relationships, characters, tags
    description: str             # the story's summary, or what the anthology gathers; may be empty
    publisher: str = "bookbinder"
    date: str | None = None      # of publication: the user's, else a single story's own
    series: str | None = None
    series_index: str | None = None
    modified: str | None = None  # the last update the stories state (YYYY-MM-DD), else None
    identifiers: tuple[tuple[str, str], ...] = ()  # a single story's names: ("url", ...), ("ao3", "334557")
    sources: tuple[str, ...] = ()  # where the stories were published (their URLs), in book order

    @property
    def keywords(self) -> str:
        return ", ".join(self.subjects)


def book_metadata(book: Book) -> BookMetadata:
    info = book.info
    single = book.stories[0].meta if book.stories and not book.is_anthology else None
    series, index = info.series, info.series_index
    if series is None and single is not None and single.series:
        series, index = single.series, _index(single.series_index)
    date = info.date or (single.published if single else None)
    return BookMetadata(book.identifier, book.title, book.language, book.creators, book.editors,
                        subjects(book.stories, info.subjects), description(book), info.publisher or "bookbinder",
                        date, series, index, modified(book.stories),
                        tuple(single.work_ids.items()) if single else (),
                        tuple(dict.fromkeys(s.meta.url for s in book.stories if s.meta.url)))


def _index(value: float | None) -> str | None:
    return None if value is None else str(series_number(value))


def subjects(stories: tuple[Story, ...], extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Each story's tags in the order AO3's downloads list them, then the user's; each once."""
    found: dict[str, str] = {}
    for story in stories:
        for value in story_subjects(story.meta):
            found.setdefault(value.casefold(), value)
    for value in extra:
        found.setdefault(value.casefold(), value)
    return tuple(found.values())


def story_subjects(meta: Metadata) -> list[str]:
    status = {"complete": "Complete", "in-progress": "Work in Progress"}.get(meta.status or "", meta.status)
    return [*([meta.rating] if meta.rating else []), *meta.categories, *meta.warnings, *meta.fandoms,
            *(str(p) for p in meta.pairings), *meta.characters, *meta.tags, *([status] if status else [])]


def description(book: Book) -> str:
    """The user's description; a single story's summary; an anthology's count and collection."""
    if book.info.description is not None:
        return book.info.description
    if book.is_anthology:
        return book.count_line + (f": {book.collection}." if book.collection else ".")
    return "\n\n".join(b.text for b in book.stories[0].meta.summary) if book.stories else ""


def modified(stories: tuple[Story, ...]) -> str | None:
    """The newest date the stories state for their last update (a one-shot's is its publication)."""
    dates = [d for s in stories if (d := s.meta.updated or s.meta.published)]
    return max(dates) if dates else None

"""What the user says of the book itself -> BookInfo: flags and pandoc's -M KEY=VALUE, each checked.

The user's metadata is checked before any work: a date that is no date, a language that is none,
a cover that is not a whole image, a stylesheet that reaches outside the book are each one line
(a UsageError naming the flag), never a surprise after a long build. What the command line and a
script say is decided here, in one place: a flag wins over the same key given with -M.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .book import BookInfo
from .errors import BookbinderError, UsageError, quoted
from .images import inspect_image
from .inputs import read_input
from .plural import plural
from .readers.fields import parse_date, parse_language

MAX_COVER = 20 * 1024 * 1024  # bytes
MAX_CSS = 1024 * 1024
# pandoc's --metadata keys (and calibre's) -> BookInfo fields; title and editor go to the build options.
METADATA_KEYS = {"author": "authors", "creator": "authors", "language": "language", "lang": "language",
                 "series": "series", "series-index": "series_index", "series_index": "series_index",
                 "publisher": "publisher", "date": "date", "description": "description", "abstract": "description",
                 "subject": "subjects", "subjects": "subjects", "keywords": "subjects", "tags": "subjects",
                 "title": "title", "editor": "editors"}


def parse_metadata(pairs: Iterable[str]) -> dict[str, list[str]]:
    """["author=A", "series=Tides"] -> {"authors": ["A"], "series": ["Tides"]}; UsageError for a bad pair."""
    out: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            key, sep, value = pair.partition(":")
        name = METADATA_KEYS.get(key.strip().casefold())
        if not sep or name is None:
            raise UsageError(f"--metadata {pair!r}: write KEY=VALUE with KEY one of {', '.join(sorted(METADATA_KEYS))}")
        out.setdefault(name, []).append(value.strip())
    return out


def book_info(authors: Iterable[str] = (), language: str | None = None, series: str | None = None,
              series_index: str | None = None, publisher: str | None = None, date: str | None = None,
              description: str | None = None, subjects: Iterable[str] = (), cover: Path | None = None,
              css: Path | None = None, notices: list[str] | None = None) -> BookInfo:
    """BookInfo from what a user typed, each value checked; UsageError names the flag or file and the fix.
    What was changed on the way (outside references in the stylesheet) is added to `notices`."""
    lang = None
    if language:
        lang = parse_language(language)
        if lang is None:
            raise UsageError(f"--language {language!r}: not a language; give a code such as en, de or pt-BR")
    when = None
    if date:
        when = parse_date(date)
        if when is None:
            raise UsageError(f"--date {date!r}: not a date; write it as 2024-05-01")
    if series_index is not None and not re.fullmatch(r"\d{1,6}(\.\d{1,3})?", series_index.strip()):
        raise UsageError(f"--series-index {series_index!r}: a number, such as 2 or 2.5")
    image, image_type = None, "image/png"
    if cover is not None:
        image = _read_limited(cover, MAX_COVER, "--cover")
        try:
            image_type = inspect_image(image).media_type  # decoded whole: a bomb or a broken file is one line
        except ValueError as exc:
            raise UsageError(f"--cover {quoted(cover)}: {exc}") from None
    style = None
    if css is not None:
        try:
            style, dropped = self_contained_css(_read_limited(css, MAX_CSS, "--css").decode("utf-8"))
        except UnicodeDecodeError:
            raise UsageError(f"--css {quoted(css)}: not UTF-8 text") from None
        if dropped and notices is not None:
            notices.append(f"--css {quoted(css)}: {plural(dropped, 'url() or @import')} left out (a book holds "
                           "no outside files)")
    return BookInfo(authors=tuple(a.strip() for a in authors if a.strip()), language=lang, series=series or None,
                    series_index=series_index.strip() if series_index else None, publisher=publisher or None,
                    date=when, description=description, subjects=tuple(s for s in subjects if s.strip()),
                    cover=image, cover_type=image_type, css=style)


# CSS functions whose arguments name a resource to fetch, as url() or as a plain string
# (CSS Images 4: image-set("a.png" 1x), image(), cross-fade(); CSS Values 4: src("a.png"))
_REFERENCES = {"url", "src", "image-set", "-webkit-image-set", "image", "-webkit-image", "cross-fade",
               "-webkit-cross-fade"}


def self_contained_css(text: str) -> tuple[str, int]:
    """A user's stylesheet without what would reach outside the book: `url()` references (and every
    function that names a resource, `_REFERENCES`) become
    `none` and `@import` rules go (an EPUB may hold no remote resource, and the PDF fetcher would
    refuse them anyway). (stylesheet, how many were left out)."""
    import tinycss2

    dropped = 0

    def tokens(nodes):
        nonlocal dropped
        for node in nodes:
            if node.type == "error":  # what tinycss2 could not parse (an unclosed string) cannot be written back
                continue
            if node.type == "url" or (node.type == "function" and node.lower_name in _REFERENCES):
                dropped += 1
                yield tinycss2.ast.IdentToken(node.source_line, node.source_column, "none")
                continue
            if hasattr(node, "content") and node.content is not None and node.type in {"() block", "[] block",
                                                                                     "{} block", "function"}:
                node.content = list(tokens(node.content))
            if node.type == "function":
                node.arguments = list(tokens(node.arguments))
            yield node

    rules = []
    for rule in tinycss2.parse_stylesheet(text):
        if rule.type == "at-rule" and rule.lower_at_keyword == "import":
            dropped += 1
            continue
        if rule.type == "error":  # a rule that does not parse ("</style>") is no rule: left out
            continue
        if rule.type in {"qualified-rule", "at-rule"}:
            rule.prelude = list(tokens(rule.prelude))
            if rule.content is not None:
                rule.content = list(tokens(rule.content))
        rules.append(rule)
    return tinycss2.serialize(rules), dropped


def _read_limited(path: Path, limit: int, flag: str) -> bytes:
    """A file the user names with a flag: a regular file within `limit`, else UsageError naming the flag."""
    try:
        return read_input(path, limit, "file")
    except BookbinderError as exc:
        raise UsageError(f"{flag} {exc.format_message()}") from None


@dataclass(frozen=True)
class UserMetadata:
    """The book's metadata as the user gave it: its BookInfo, title and editors, and what was
    changed on the way (a stylesheet's outside references left out)."""

    info: BookInfo
    title: str | None = None
    editors: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()


def user_metadata(pairs: Iterable[str] = (), title: str | None = None, authors: Iterable[str] = (),
                  editors: Iterable[str] = (), cover: Path | None = None, css: Path | None = None,
                  **flags: str | None) -> UserMetadata:
    """The flags (`language`, `series`, `series_index`, `publisher`, `date`, `description`) and
    pandoc's `-M` pairs as one UserMetadata: a flag wins over the same key in the pairs, the last
    pair over earlier ones. UsageError for a pair or a value that cannot be right."""
    given = parse_metadata(pairs)

    def chosen(key: str) -> str | None:
        return flags.get(key) if flags.get(key) is not None else (given.get(key) or [None])[-1]

    notices: list[str] = []
    info = book_info(authors=tuple(authors) or given.get("authors", ()), language=chosen("language"),
                     series=chosen("series"), series_index=chosen("series_index"), publisher=chosen("publisher"),
                     date=chosen("date"), description=chosen("description"), subjects=given.get("subjects", ()),
                     cover=cover, css=css, notices=notices)
    return UserMetadata(info, title or chosen("title"), tuple(editors) or tuple(given.get("editors", ())),
                        tuple(notices))

"""User overrides of a story's metadata: a sidecar file or YAML front matter -> a new Story.

Next to `story.txt`, bookbinder reads the first of `story.meta.toml`, `story.meta.yaml`,
`story.meta.yml`, `story.yaml`, then an OPF package document: `story.opf` (calibre's "save to
disk") or the folder's `metadata.opf` (a calibre library's book folder; `calibre.py` reads it,
as calibre's metadata). Front matter is pandoc's: a `---` line, YAML, a `---` or `...`
line, at the top of the story file. Keys are the `inspect --json` names, with pandoc's and
AO3's spellings accepted too (`author`, `lang`, `date`, `abstract`, `fandom`, `relationships`,
`additional_tags`...). What a user states always wins over what the text says.
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

from .errors import InputError
from .model import Diagnostic, Metadata, Note, Pairing, Paragraph, Story
from .ratings import KNOWN_RATINGS, rating_level
from .readers.fields import parse_date, parse_language, parse_status

SIDECAR_SUFFIXES = (".meta.toml", ".meta.yaml", ".meta.yml", ".yaml", ".opf")

_ALIASES = {
    "author": "authors", "creator": "authors", "creators": "authors", "lang": "language", "date": "published",
    "abstract": "summary", "description": "summary", "fandom": "fandoms", "character": "characters",
    "pairing": "pairings", "relationship": "pairings", "relationships": "pairings", "ships": "pairings",
    "keywords": "tags", "additional_tags": "tags", "freeform": "tags", "subject": "tags", "category": "categories",
    "warning": "warnings", "archive_warnings": "warnings", "note": "notes", "end_note": "end_notes",
    "words": "stated_words", "word_count": "stated_words", "series_position": "series_index",
    "identifier": "identifiers", "ids": "identifiers",
}
_LISTS = {"authors", "warnings", "categories", "fandoms", "characters", "tags"}
_TEXTS = {"title", "rating", "series", "url"}
_FRONT = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def sidecar_path(story_path: Path, follow_links: bool = False) -> Path | None:
    """The story's sidecar file, or None. A sidecar is data beside its story: one that links out
    of the story's folder is an InputError naming it, unless the user gives `follow_links`."""
    from .calibre import BOOK_OPF, one_book
    from .readers import story_suffix

    candidates = [story_path.with_name(story_path.stem + suffix) for suffix in SIDECAR_SUFFIXES]
    if one_book(story_path.parent, story_suffix):  # a metadata.opf describes the one book of its folder
        candidates.append(story_path.with_name(BOOK_OPF))
    for candidate in candidates:
        if candidate != story_path and candidate.is_file():
            if not follow_links and not candidate.resolve().is_relative_to(story_path.parent.resolve()):
                raise InputError("not read: this metadata file links to a file outside the folder (give "
                                 "--follow-links to read it)", candidate)
            return candidate
    return None


MAX_METADATA = 256 * 1024  # bytes: a sidecar or front matter larger than this is not metadata


class _MetadataYAML(yaml.SafeLoader):
    """YAML as story metadata needs it, safe on hostile files: no aliases (1 KB of nested aliases
    expands to gigabytes), nesting at most `_DEPTH` deep (PyYAML composes recursively), and
    timestamps kept as text for `parse_date` (an impossible date is the user's typo, not a crash)."""

    _DEPTH = 16

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError(f"aliases (*{self.peek_event().anchor}) are not read in metadata")
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > self._DEPTH:
                raise yaml.YAMLError(f"nested more than {self._DEPTH} deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_MetadataYAML.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def load_yaml(text: str):
    """The value of a YAML document, with `_MetadataYAML`'s limits; yaml.YAMLError otherwise."""
    if len(text) > MAX_METADATA:
        raise yaml.YAMLError(f"more than {MAX_METADATA // 1024} KB of metadata")
    return _whole_characters(yaml.load(text, Loader=_MetadataYAML))  # noqa: S506 - a SafeLoader subclass


def _whole_characters(value):
    """YAML escapes an emoji as a UTF-16 surrogate pair ("\\ud83d\\ude00") and PyYAML keeps the two
    halves apart: joined here into the one character; a lone half becomes U+FFFD."""
    if isinstance(value, str):
        if not any("\ud800" <= c <= "\udfff" for c in value):
            return value
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if isinstance(value, list):
        return [_whole_characters(v) for v in value]
    if isinstance(value, dict):
        return {_whole_characters(k): _whole_characters(v) for k, v in value.items()}
    return value


def read_sidecar(path: Path) -> dict:
    """The overrides in a sidecar file; InputError (naming the file) if it does not parse."""
    from .inputs import read_input

    try:
        raw = read_input(path, MAX_METADATA, "metadata file")
        if path.suffix.lower() == ".opf":
            from .calibre import opf_overrides

            return opf_overrides(raw, _FIELDS)
        text = raw.decode("utf-8")
        data = tomllib.loads(text) if path.suffix == ".toml" else load_yaml(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, yaml.YAMLError, RecursionError, ValueError) as exc:
        raise InputError(f"metadata file does not parse: {_first_line(exc)}", path) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError("metadata file must hold key: value pairs", path)
    return data


def take_front_matter(text: str) -> tuple[dict, str, list[Diagnostic]]:
    """split_front_matter, and the diagnostic that reports the block it moved into metadata."""
    overrides, rest = split_front_matter(text)
    if not overrides:
        problem = _unread_front_matter(text)
        return overrides, rest, [Diagnostic("front-matter-unread", f"a YAML block opens the file but was not read "
                                            f"as metadata ({problem}); it is kept as story text")] if problem else []
    said = Diagnostic("front-matter-read", "YAML front matter read as metadata", text[:len(text) - len(rest)])
    return overrides, rest, [said]


def _unread_front_matter(text: str) -> str | None:
    """Why a front-matter-shaped block did not load, when it looks like metadata (key: value lines)."""
    m = _FRONT.match(text)
    if not m or not re.match(r"[\w -]+:", m.group(1)):
        return None
    try:
        load_yaml(m.group(1))
    except yaml.YAMLError as exc:
        return _first_line(exc)
    return None


def split_front_matter(text: str) -> tuple[dict, str]:
    """(overrides, the rest of the text); ({}, text) unless the text opens with YAML front matter."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    try:
        data = load_yaml(m.group(1))
    except yaml.YAMLError:
        return {}, text  # a "---" rule that opens a story, not front matter: kept as text
    if not isinstance(data, dict):
        return {}, text
    return data, text[m.end():]


def apply_overrides(story: Story, overrides: dict, origin: str, path: object = None, lenient: bool = False) -> Story:
    """`story` with every field `overrides` names replaced, and a diagnostic saying so.

    A value of the wrong kind is an InputError naming `path` (the story itself by default) and the
    key: what the user typed is never guessed at. With `lenient` (metadata a program wrote, such as
    calibre's OPF) that field is left out and said, and the story keeps the rest."""
    meta = story.meta
    changes = {}
    for key, value in overrides.items():
        spelled = str(key).casefold().replace("-", "_").replace(" ", "_")
        name = _ALIASES.get(spelled, spelled)
        try:
            converted = _convert(name, value)
        except (ValueError, TypeError, OverflowError) as exc:
            if lenient:
                story = story.diagnose("override-ignored", f"{origin}: {str(key)[:40]!r} left out: {exc}")
                continue
            raise InputError(f"{origin}: {str(key)[:40]!r}: {exc}", path or story.source) from None
        if converted is _UNKNOWN:
            story = story.diagnose("override-ignored", f"{origin}: unknown field {key!r} ignored")
            continue
        changes[name] = converted
    if not changes:
        return story
    replaced = [getattr(meta, k) for k in changes if isinstance(getattr(meta, k), str) and getattr(meta, k) != changes[k]]
    story = story.with_(meta=Metadata(**{**meta.__dict__, **changes}))
    return story.diagnose("metadata-override", f"{origin} set {', '.join(sorted(changes))}", "\n".join(replaced))


_UNKNOWN = object()


_FIELDS = _LISTS | _TEXTS | {"pairings", "summary", "notes", "end_notes", "published", "updated", "language",
                             "status", "stated_words", "series_index", "identifiers"}


def _convert(name: str, value):
    if name not in _FIELDS:
        return _UNKNOWN
    if value is None:
        return () if name in _LISTS | {"pairings", "notes", "end_notes", "summary", "identifiers"} else None
    if name == "identifiers":
        return _identifiers(value)
    if isinstance(value, dict):
        raise ValueError("expected text or a list, not a table of keys")
    if name in _LISTS:
        return tuple(str(v).strip() for v in _as_list(value) if str(v).strip())
    if name == "rating" and rating_level(str(value)) is None:
        raise ValueError(f"unknown rating {str(value)[:30]!r}; {KNOWN_RATINGS}")
    if name in _TEXTS:
        return str(value).strip()
    if name == "pairings":
        pairings = []
        for v in _as_list(value):
            pairing = Pairing.parse(str(v))
            if pairing is None and str(v).strip():
                raise ValueError(f"not a pairing: {str(v)[:40]!r} (name two people, as A/B or A & B)")
            pairings += [pairing] if pairing else []
        return tuple(pairings)
    if name == "summary":
        return _paragraphs(str(value))
    if name in {"notes", "end_notes"}:
        return tuple(Note(_paragraphs(str(v))) for v in (value if isinstance(value, list) else [value]))
    if name in {"published", "updated"}:
        date = parse_date(str(value))
        if date is None:
            raise ValueError(f"not a date: {str(value)[:40]!r} (write it as 2012-01-20)")
        return date
    if name == "language":
        language = parse_language(str(value))
        if language is None:
            raise ValueError(f"not a language: {str(value)[:40]!r} (a tag such as en or pt-BR, or a name such as English)")
        return language
    if name == "status":
        return parse_status(str(value))
    if name == "series_index":
        index = float(str(value).strip())  # ValueError for "two": said as the key's error
        if isinstance(value, bool) or not 0 <= index < 1e6:
            raise ValueError(f"a series index is a number such as 2 or 2.5, not {str(value)[:40]!r}")
        return index
    if name == "stated_words":
        if isinstance(value, bool) or not re.fullmatch(r"\s*\d[\d,]*\s*", str(value)):
            raise ValueError(f"a word count is a whole number, not {str(value)[:40]!r}")
        return int(str(value).replace(",", ""))
    return _UNKNOWN


def _identifiers(value) -> tuple[tuple[str, str], ...]:
    """{ao3 = "334557"} or ["ao3:334557"] -> (("ao3", "334557"),)."""
    pairs = value.items() if isinstance(value, dict) else (str(v).partition(":")[::2] for v in _as_list(value))
    out = tuple((str(k).strip().casefold(), str(v).strip()) for k, v in pairs)
    bad = next((k for k, v in out if not k or not v), None)
    if bad is not None:
        raise ValueError("identifiers are scheme = value pairs, e.g. ao3 = \"334557\"")
    return out


def _as_list(value) -> list:
    if isinstance(value, (list, tuple)):
        return list(value)
    return [v for v in re.split(r"\s*[,;]\s*", str(value)) if v]


def _paragraphs(text: str) -> tuple[Paragraph, ...]:
    return tuple(Paragraph((p.strip(),)) for p in re.split(r"\n\s*\n", text) if p.strip())


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


__all__ = ["apply_overrides", "read_sidecar", "sidecar_path", "split_front_matter"]

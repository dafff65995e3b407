"""User overrides of a story's metadata: a sidecar file or YAML front matter -> a new Story.

Next to `story.txt`, bookbinder reads the first of `story.meta.toml`, `story.meta.yaml`,
`story.meta.yml`, `story.yaml`. Front matter is pandoc's: a `---` line, YAML, a `---` or `...`
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
from .readers.fields import parse_date, parse_language, parse_status

SIDECAR_SUFFIXES = (".meta.toml", ".meta.yaml", ".meta.yml", ".yaml")

_ALIASES = {
    "author": "authors", "creator": "authors", "creators": "authors", "lang": "language", "date": "published",
    "abstract": "summary", "description": "summary", "fandom": "fandoms", "character": "characters",
    "pairing": "pairings", "relationship": "pairings", "relationships": "pairings", "ships": "pairings",
    "keywords": "tags", "additional_tags": "tags", "freeform": "tags", "subject": "tags", "category": "categories",
    "warning": "warnings", "archive_warnings": "warnings", "note": "notes", "end_note": "end_notes",
    "words": "stated_words", "word_count": "stated_words",
}
_LISTS = {"authors", "warnings", "categories", "fandoms", "characters", "tags"}
_TEXTS = {"title", "rating", "series", "url"}
_FRONT = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def sidecar_path(story_path: Path) -> Path | None:
    for suffix in SIDECAR_SUFFIXES:
        candidate = story_path.with_name(story_path.stem + suffix)
        if candidate != story_path and candidate.is_file():
            return candidate
    return None


def read_sidecar(path: Path) -> dict:
    """The overrides in a sidecar file; InputError (naming the file) if it does not parse."""
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text) if path.suffix == ".toml" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
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
        return overrides, rest, []
    said = Diagnostic("front-matter-read", "YAML front matter read as metadata", text[:len(text) - len(rest)])
    return overrides, rest, [said]


def split_front_matter(text: str) -> tuple[dict, str]:
    """(overrides, the rest of the text); ({}, text) unless the text opens with YAML front matter."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    try:
        data = yaml.safe_load(m.group(1))
    except yaml.YAMLError:
        return {}, text  # a "---" rule that opens a story, not front matter
    if not isinstance(data, dict):
        return {}, text
    return data, text[m.end():]


def apply_overrides(story: Story, overrides: dict, origin: str) -> Story:
    """`story` with every field `overrides` names replaced, and a diagnostic saying so."""
    meta = story.meta
    changes = {}
    for key, value in overrides.items():
        name = _ALIASES.get(str(key).casefold().replace("-", "_").replace(" ", "_"), str(key).casefold())
        converted = _convert(name, value)
        if converted is _UNKNOWN:
            story = story.diagnose("override-ignored", f"{origin}: unknown field {key!r} ignored")
            continue
        changes[name] = converted
    if not changes:
        return story
    replaced = [str(getattr(meta, k)) for k in changes if isinstance(getattr(meta, k), str)]
    story = story.with_(meta=Metadata(**{**meta.__dict__, **changes}))
    return story.diagnose("metadata-override", f"{origin} set {', '.join(sorted(changes))}", "\n".join(replaced))


_UNKNOWN = object()


def _convert(name: str, value):
    if value is None:
        return () if name in _LISTS | {"pairings", "notes", "end_notes", "summary"} else None
    if name in _LISTS:
        return tuple(str(v).strip() for v in _as_list(value) if str(v).strip())
    if name in _TEXTS:
        return str(value).strip()
    if name == "pairings":
        return tuple(p for v in _as_list(value) if (p := Pairing.parse(str(v))))
    if name == "summary":
        return _paragraphs(str(value))
    if name in {"notes", "end_notes"}:
        return tuple(Note(_paragraphs(str(v))) for v in (value if isinstance(value, list) else [value]))
    if name in {"published", "updated"}:
        return parse_date(str(value)) or str(value)
    if name == "language":
        return parse_language(str(value)) or str(value)
    if name == "status":
        return parse_status(str(value))
    if name == "stated_words":
        return int(value)
    return _UNKNOWN


def _as_list(value) -> list:
    if isinstance(value, (list, tuple)):
        return list(value)
    return [v for v in re.split(r"\s*[,;]\s*", str(value)) if v]


def _paragraphs(text: str) -> tuple[Paragraph, ...]:
    return tuple(Paragraph((p.strip(),)) for p in re.split(r"\n\s*\n", text) if p.strip())


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


__all__ = ["apply_overrides", "read_sidecar", "sidecar_path", "split_front_matter"]

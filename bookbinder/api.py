"""The library functions the CLI calls: inputs -> stories -> books -> files. Nothing here prints."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .backends import BACKENDS, write_book
from .book import Book, story_title
from .errors import BookbinderError, InputError
from .model import Diagnostic, Story
from .pipeline import load_story
from .render import render_story, serialize
from .backends.output import write_atomic
from .sidecar import SIDECAR_SUFFIXES

STORY_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".epub"}


@dataclass
class BuildResult:
    written: list[Path] = field(default_factory=list)
    errors: list[BookbinderError] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def collect_inputs(inputs: Iterable[str | Path], on_error: Callable[[BookbinderError], None] | None = None
                   ) -> list[Path]:
    """Files as given, folders searched recursively for story files (sorted, sidecars skipped)."""
    paths: list[Path] = []
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            paths += sorted(p for p in path.rglob("*") if _is_story_file(p))
        elif path.exists():
            paths.append(path)
        elif on_error:
            on_error(InputError("no such file or folder", path))
        else:
            raise InputError("no such file or folder", path)
    return paths


def _is_story_file(path: Path) -> bool:
    if not path.is_file() or any(part.startswith(".") for part in path.parts[-1:]):
        return False
    if any(path.name.endswith(s) for s in SIDECAR_SUFFIXES):
        return False
    return path.suffix.lower() in STORY_SUFFIXES


def normalize_to(path: Path, out_dir: Path) -> tuple[Story, Path]:
    """One story file -> DIR/<stem>.xhtml; the story and the path written."""
    story = load_story(path)
    target = Path(out_dir) / f"{path.stem}.xhtml"
    write_atomic(target, serialize(render_story(story)))
    return story, target


def load_stories(inputs: Iterable[str | Path]) -> tuple[list[Story], list[BookbinderError]]:
    """Every story the inputs name; a story that fails is an error, the others still load."""
    errors: list[BookbinderError] = []
    stories = []
    for path in collect_inputs(inputs, on_error=errors.append):
        try:
            stories.append(load_story(path))
        except BookbinderError as exc:
            errors.append(exc)
    return stories, errors


def build(inputs: list[str | Path], formats=("epub",), out_dir: str | Path = "output", title: str | None = None,
          on_story: Callable[[Story], None] | None = None) -> BuildResult:
    """One input file: a book of that story; several files or a folder: one anthology of them all."""
    result = BuildResult()
    stories, result.errors = load_stories(inputs)
    for story in stories:
        result.diagnostics += story.diagnostics
        if on_story:
            on_story(story)
    if not stories:
        if not result.errors:
            result.errors.append(InputError("no story files found", ", ".join(map(str, inputs))))
        return result
    single = len(stories) == 1 and len(inputs) == 1 and Path(inputs[0]).is_file()
    book = Book(title=title or (story_title(stories[0]) if single else "Collected Stories"), stories=tuple(stories))
    for fmt in formats:
        if fmt not in BACKENDS:
            result.errors.append(BookbinderError(f"unknown format {fmt!r}"))
            continue
        try:
            result.written.append(write_book(book, fmt, Path(out_dir)))
        except BookbinderError as exc:
            result.errors.append(exc)
    return result

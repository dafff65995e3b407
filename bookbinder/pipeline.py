"""The run order, in one place: read -> overrides -> clean, then compose, render and write.

Overrides of a story's metadata come in layers, each applied by `sidecar.apply_overrides`, all
before cleaning (so a title a user writes gets the same typography, and their character names
the same unification, as ones the text gives). Later layers win:

    what the text says < YAML front matter < sidecar file < manifest entry < command line
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from .clean import clean
from .clean.xmlsafe import scrub
from .model import Story
from .errors import InputError
from .inputs import read_input
from .readers import read_all
from .sidecar import apply_overrides, read_sidecar, sidecar_path


@dataclass(frozen=True)
class Override:
    """One layer of metadata a user states for a story: where it comes from, and its keys."""

    origin: str                      # "manifest winter.toml", "the command line": said in diagnostics
    values: dict = field(default_factory=dict)
    where: Path | None = None        # the file an error in it should name


def load_story(path: str | os.PathLike, overrides: Sequence[Override] = (), data: bytes | None = None,
               fmt: str | None = None, follow_links: bool = False, on_disk: bool | None = None) -> Story:
    """One story file, its sidecar metadata file (if any) and `overrides` (lowest first) -> a clean
    Story; InputError when the file holds several stories (a book bookbinder made: `load_file`).

    With `data`, the story is those bytes read as `fmt` or as sniffed: standard input ("-") or a
    file sent to another machine, which have no sidecar here, or (`on_disk`) the file's own bytes,
    read once by the caller, whose sidecar is beside it. A sidecar that links out of the story's
    folder is read only with `follow_links`. YAML front matter is applied by the reader that
    finds it, as it takes it out of the text."""
    stories = load_file(path, overrides, data, fmt, follow_links, on_disk)
    if len(stories) != 1:
        raise InputError(f"holds {len(stories)} stories (a book bookbinder made), not one", path)
    return stories[0]


def load_file(path: str | os.PathLike, overrides: Sequence[Override] = (), data: bytes | None = None,
              fmt: str | None = None, follow_links: bool = False, on_disk: bool | None = None) -> tuple[Story, ...]:
    """Every story of one file, each clean (as `load_story`): one for most files, each story of a
    book bookbinder made. A sidecar and `overrides` describe one story: a file of several stories
    keeps each story's own metadata, and each says the layers were not applied."""
    path = Path(path)
    on_disk = data is None if on_disk is None else on_disk
    stories = read_all(read_input(path) if data is None else data, str(path), fmt)
    sidecar = sidecar_path(path, follow_links) if on_disk else None
    layers = ([Override(sidecar.name, read_sidecar(sidecar), sidecar)] if sidecar else []) + list(overrides)
    mtime = path.stat().st_mtime if on_disk else None
    return tuple(_finish(story, layers, len(stories), mtime) for story in stories)


def _finish(story: Story, layers: list[Override], together: int, mtime: float | None) -> Story:
    """One story read: the user's metadata layers applied (where the file holds it alone), cleaned."""
    for layer in layers:
        if not layer.values:
            continue
        if together > 1:
            story = story.diagnose("override-ignored", f"{layer.origin}: not applied: it describes one story, and "
                                   f"this file holds {together}")
            continue
        story = apply_overrides(story, layer.values, layer.origin, layer.where,
                                lenient=str(layer.where or "").endswith(".opf"))  # calibre's, not the user's
    story = clean(story)
    story = scrub(story)
    return story.with_(mtime=mtime)

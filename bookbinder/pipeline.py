"""The run order, in one place: read -> clean -> overrides, then render or assemble and write."""
from __future__ import annotations

import os
from pathlib import Path

from .clean import clean
from .clean.xmlsafe import scrub
from .model import Story
from .readers import read_path
from .sidecar import apply_overrides, read_sidecar, sidecar_path


def load_story(path: str | os.PathLike) -> Story:
    """One story file (and its sidecar metadata file, if any) -> a clean Story."""
    path = Path(path)
    story = read_path(path)
    story = clean(story)
    sidecar = sidecar_path(path)
    if sidecar:
        story = apply_overrides(story, read_sidecar(sidecar), sidecar.name, sidecar)
    story = scrub(story)
    return story.with_(mtime=path.stat().st_mtime)

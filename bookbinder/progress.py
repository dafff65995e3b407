"""How far a long job has got, told by the library to whoever listens (the CLI draws it).

A job is phases ("reading", then for each book "laying out", "merging", "writing"...); each
reports `(phase, done, total, unit, detail)` as items finish. `detail` carries what a phase knows
beyond its count (the pages laid out so far). The library never prints; `Progress` is a plain
callable, and `None` means nobody is listening.
"""
from __future__ import annotations

from typing import Callable, Optional

Progress = Callable[[str, int, int, str, str], None]  # (phase, done, total, unit, detail)


def report(progress: Optional[Progress], phase: str, done: int, total: int, unit: str = "stories",
           detail: str = "") -> None:
    if progress is not None:
        progress(phase, done, total, unit, detail)


def within(progress: Optional[Progress], prefix: str) -> Optional[Progress]:
    """The same listener, each phase named under `prefix` ("winter-reading.pdf: laying out")."""
    if progress is None:
        return None
    return lambda phase, done, total, unit, detail: progress(f"{prefix}: {phase}", done, total, unit, detail)

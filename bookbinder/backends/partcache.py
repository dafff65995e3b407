"""Each story's laid-out PDF part, kept between builds: adding a story to a book lays out that story alone.

A part is kept by what makes it (the story, the book's title in the running heads, the print
options, the user's stylesheet, bookbinder's code), in the user's private cache. Entries are
checked like the story cache's: never trusted. A part is used only if its bytes hash to the
sha256 recorded with it and it does nothing but show and link (`pdfmerge.inert`).
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..compose import BookPlan, Part
from ..model import Inferred
from .pdfmerge import Mark, Part as LaidOut
from .print_options import PrintOptions


class PartCache:
    """Each story's laid-out part, kept by what makes it (the story, the book's title in the running
    heads, the print options, the user's stylesheet, bookbinder's code): adding a story to a book
    lays out that story alone. Entries are checked like the story cache's: never trusted."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder) / "parts"

    def key(self, plan: BookPlan, group: list[Part], options: PrintOptions) -> str:
        import hashlib
        import json

        from ..cache import _encode, code_fingerprint

        story = plan.book.stories[group[0].story]
        # What the part shows: not what was guessed about the story (`inferred`, which another story
        # added to the library may change) nor what was said of reading it (its diagnostics).
        story = story.with_(mtime=None, diagnostics=(), meta=story.meta.with_(inferred=Inferred()))
        entry = plan.entry(group[0].id)
        h = hashlib.sha256()
        heads = (plan.book.title, plan.book.is_anthology, plan.book.creators)  # what furniture.mark_heads reads
        for part in (code_fingerprint(), repr(heads), repr(replace(options, parts_cache=None)),
                     plan.book.info.css or "", str(bool(entry.children)), repr([p.kind for p in group]),
                     json.dumps(_encode(story))):
            h.update(len(part).to_bytes(8, "big") + part.encode("utf-8"))
        return h.hexdigest()

    def load(self, key: str) -> LaidOut | None:
        """The part kept under `key`, if it is the one written there (its sha256 matches the record)
        and does nothing but link (`pdfmerge.inert`); else None, and the story is laid out again."""
        import hashlib
        import json

        from ..cache import read_kept
        from .pdfmerge import inert

        try:
            meta = json.loads(read_kept(self.folder / f"{key}.json", 1 << 20))
            pdf = read_kept(self.folder / f"{key}.pdf")
            if meta.get("key") != key or hashlib.sha256(pdf).hexdigest() != meta.get("sha256") or not inert(pdf):
                return None
            return LaidOut(pdf, int(meta["pages"]), _marks_from(meta["marks"]), tuple(map(str, meta.get("notes", ()))),
                           tuple(int(page) for page in meta.get("bare", ())))
        except Exception:  # noqa: BLE001 - absent, truncated or foreign: lay the story out again
            return None

    def store(self, key: str, laid: LaidOut) -> None:
        import hashlib
        import json

        from ..cache import keep

        try:
            keep(self.folder / f"{key}.pdf", laid.pdf)
            keep(self.folder / f"{key}.json", json.dumps(
                {"key": key, "sha256": hashlib.sha256(laid.pdf).hexdigest(), "pages": laid.pages,
                 "marks": _marks_to(laid.marks), "notes": list(laid.notes), "bare": list(laid.bare)}).encode())
        except Exception:  # noqa: BLE001 - only costs a layout next time
            pass


def _marks_to(marks) -> list:
    return [[m.label, m.page, _marks_to(m.children)] for m in marks]


def _marks_from(data) -> tuple[Mark, ...]:
    return tuple(Mark(str(label), int(page), _marks_from(children)) for label, page, children in data)

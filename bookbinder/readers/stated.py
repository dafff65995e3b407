"""What a document's own metadata states, over what its text suggested: Story + FieldSet -> Story.

An FB2's description, a DOCX's or ODT's document properties name the title and the author the
way the writer set them; the text reader can only guess them from the first lines (and takes a
byline or "From the Author" for a title). Where the container states them, they stand; a title
they replace is kept in a diagnostic, so no word of the text is lost. A page read by a site's
layout (an AO3 download converted to DOCX) states its story itself, and is left as it is.
"""
from __future__ import annotations

from ..model import Diagnostic, Story
from .fields import FieldSet


def prefer_stated(story: Story, fields: FieldSet, what: str) -> Story:
    """`story` with the title, authors, series, language and date `fields` state (from `what`), and
    the summary and tags it leaves unsaid."""
    if any(d.code == "layout-recognized" for d in story.diagnostics):
        return story
    meta, stated = story.meta, fields.metadata()
    changes = {name: getattr(stated, name) for name in ("title", "authors", "series", "language", "published")
               if getattr(stated, name)}
    changes.update({name: getattr(meta, name) or getattr(stated, name) for name in ("summary", "tags")})
    said = []
    if meta.title and changes.get("title") and meta.title != changes["title"]:
        said.append(Diagnostic("header-field", f"the {what}'s title used; the text suggested", meta.title))
    return story.with_(meta=meta.with_(**changes), diagnostics=story.diagnostics + tuple(said))

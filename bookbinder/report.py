"""Story -> the `inspect --json` record of CONTRACT.md (a plain dict, JSON-ready)."""
from __future__ import annotations

from .model import Metadata, Story, series_number


def story_record(story: Story) -> dict:
    meta = story.meta
    return {
        "source": story.source,
        "title": meta.title,
        "authors": list(meta.authors),
        "summary": "\n\n".join(b.text for b in meta.summary) or None,
        "notes": [n.text for n in meta.notes],
        "end_notes": [n.text for n in meta.end_notes],
        "rating": meta.rating,
        "warnings": list(meta.warnings),
        "categories": list(meta.categories),
        "fandoms": list(meta.fandoms),
        "characters": list(meta.characters),
        "pairings": [str(p) for p in meta.pairings],
        "tags": list(meta.tags),
        "series": series_record(meta),
        "identifiers": meta.work_ids,
        "status": meta.status,
        "language": meta.language,
        "published": meta.published,
        "updated": meta.updated,
        "stated_words": meta.stated_words,
        "words": story.words,
        "chapters": len(story.chapters),
        "chapter_titles": [c.title for c in story.chapters],
        "scene_breaks": story.scene_breaks,
        "inferred": {
            "fandoms": list(meta.inferred.fandoms),
            "characters": list(meta.inferred.characters),
            "pairings": [str(p) for p in meta.inferred.pairings],
        },
        "diagnostics": [{"code": d.code, "message": d.message, **({"text": d.text} if d.text else {})}
                        for d in story.diagnostics],
    }


def series_record(meta: Metadata) -> dict | None:
    """{"name": "Watches 'Verse", "index": 1} (index None where unstated), or None."""
    return {"name": meta.series, "index": series_number(meta.series_index)} if meta.series else None

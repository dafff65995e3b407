"""bookbinder: messy story files in; clean XHTML, EPUB anthologies and print PDFs out.

The public API is what this module exports:

    import bookbinder
    stories, errors = bookbinder.load_stories(["seeds/"])
    story = bookbinder.load_story("seeds/004_9a223c5f57314a43.txt")
"""
from __future__ import annotations

__version__ = "0.1.0"

from .api import BuildResult, build, collect_inputs, load_stories, normalize_to  # noqa: E402
from .book import Book, TocEntry  # noqa: E402
from .errors import BookbinderError, BuildError, InputError  # noqa: E402
from .model import Chapter, Diagnostic, Metadata, Pairing, Paragraph, SceneBreak, Story  # noqa: E402
from .pipeline import load_story  # noqa: E402

__all__ = [
    "Book", "BookbinderError", "BuildError", "BuildResult", "Chapter", "Diagnostic", "InputError", "Metadata",
    "Pairing", "Paragraph", "SceneBreak", "Story", "TocEntry", "build", "collect_inputs", "load_stories",
    "load_story", "normalize_to", "__version__",
]

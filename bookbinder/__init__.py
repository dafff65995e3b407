"""bookbinder: messy story files in; clean XHTML, EPUB anthologies and print PDFs out.

The public API is what this module exports:

    import bookbinder
    stories, errors = bookbinder.load_stories(["seeds/"])         # errors: InputError per bad file
    stories = bookbinder.unify(stories)                             # one name per character, collection-wide
    for book in bookbinder.books_by(stories, "pairing", title="{group}: The Collection"):
        print(bookbinder.write_book(book, "epub", "output"))

`bookbinder.compose.compose(book)` gives the BookPlan every backend renders (its parts, contents tree,
metadata and resources), for tools that want to look at a book before it is written.
"""
from __future__ import annotations

from .version import __version__  # noqa: E402,F401

from .api import BuildOptions, BuildResult, load_stories, normalize_to, plan_books  # noqa: E402
from .building import build  # noqa: E402
from .inputs import Manifest, collect_inputs, read_list, read_manifest  # noqa: E402
from .assemble import Filters, anthology, books_by, group, is_complete, order, rating_level, unify  # noqa: E402
from .backends import write_book  # noqa: E402
from .book import Book  # noqa: E402
from . import compose  # noqa: E402  (the module: compose.compose(book) -> BookPlan)
from .compose import BookPlan  # noqa: E402
from .errors import BookbinderError, BuildError, InputError  # noqa: E402
from .model import Chapter, Diagnostic, Metadata, Pairing, Paragraph, SceneBreak, Story  # noqa: E402
from .pipeline import Override, load_story  # noqa: E402

__all__ = [
    "Book", "BookPlan", "BookbinderError", "BuildError", "BuildOptions", "BuildResult", "Chapter", "Diagnostic", "Filters",
    "InputError", "Manifest", "Metadata", "Pairing", "Paragraph", "Override", "SceneBreak", "Story", "anthology",
    "books_by", "build", "collect_inputs", "compose", "group", "is_complete", "load_stories", "load_story", "normalize_to",
    "order", "plan_books", "rating_level", "read_list", "read_manifest", "unify", "write_book", "__version__",
]

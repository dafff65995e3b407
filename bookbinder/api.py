"""The library the CLI is built on, in one place: build books, normalize or inspect one story.

    import bookbinder
    stories, errors = bookbinder.load_stories(["seeds/"])
    for book in bookbinder.books_by(bookbinder.unify(stories), "pairing", title="{group}: collected"):
        bookbinder.write_book(book, "epub", "output")

The build itself is `bookbinder.build` (the package: collect -> read -> plan -> write); the
user's book metadata is `bookinfo`; reading one file's stories is `pipeline.load_file`. Nothing here prints.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from .backends.output import write_atomic
from .bookinfo import UserMetadata, book_info, parse_metadata, self_contained_css, user_metadata
from .building import BuildOptions, BuildResult, build, load_stories, plan_books
from .building.options import DEFAULT_OUTPUT, STDOUT, output_target
from .compose import story_images
from .errors import InputError
from .executors import TLS
from .inputs import Stdin, read_manifest
from .model import Story
from .pipeline import load_file
from .render import render_story, serialize


def normalize_to(path: Path, out_dir: Path, stem: str | None = None, stdin: Stdin | None = None,
                 follow_links: bool = False) -> tuple[Story, Path]:
    """One story file -> DIR/<stem>.xhtml (the input's stem unless given; "stdin" for "-"); the story
    and the path written."""
    story = load_one(path, stdin, follow_links)
    target = Path(out_dir) / f"{stem or ('stdin' if str(path) == '-' else path.stem)}.xhtml"
    _write_story(story, target)
    return story, target


def _write_story(story: Story, target: Path) -> None:
    """The story's document, and the images it shows beside it in images/ (as its src names them)."""
    for image in story_images(story):  # names are content hashes (model.Image): one file per picture
        write_atomic(target.parent / "images" / image.name, image.data)
    write_atomic(target, serialize(render_story(story)))


def normalize_all(path: Path, out_dir: Path, stem: Callable[[str], str] | None = None, stdin: Stdin | None = None,
                  follow_links: bool = False) -> list[tuple[Story, Path]]:
    """Every story of one file -> DIR/<stem>.xhtml, or for a file of several stories (a book
    bookbinder made) DIR/<stem>-1.xhtml, -2...; `stem` may rename each (two inputs called
    story.txt). Each story and the path written."""
    stories = load_all(path, stdin, follow_links)
    base = "stdin" if str(path) == "-" else path.stem
    written = []
    for n, story in enumerate(stories, 1):
        name = base if len(stories) == 1 else f"{base}-{n}"
        target = Path(out_dir) / f"{stem(name) if stem else name}.xhtml"
        _write_story(story, target)
        written.append((story, target))
    return written


def load_one(path: Path, stdin: Stdin | None = None, follow_links: bool = False) -> Story:
    """One story, from its file or, for "-", from `stdin`; BookbinderError when it cannot be read
    or holds several (`load_all`). Its sidecar is read if it is beside it, or anywhere with `follow_links`."""
    stories = load_all(path, stdin, follow_links)
    if len(stories) != 1:
        raise InputError(f"holds {len(stories)} stories (a book bookbinder made), not one", path)
    return stories[0]


def load_all(path: Path, stdin: Stdin | None = None, follow_links: bool = False) -> tuple[Story, ...]:
    """Every story of one file (one, or each story of a book bookbinder made), or of `stdin` for "-"."""
    if str(path) == "-":
        if stdin is None:
            raise InputError("standard input is named, but was not read", "-")
        return load_file(path, data=stdin.data, fmt=stdin.format)
    return load_file(path, follow_links=follow_links)


__all__ = ["BuildOptions", "BuildResult", "DEFAULT_OUTPUT", "STDOUT", "TLS", "UserMetadata", "book_info", "build",
           "load_all", "load_one", "load_stories", "normalize_all", "normalize_to", "output_target", "parse_metadata",
           "plan_books",
           "read_manifest", "self_contained_css", "user_metadata"]

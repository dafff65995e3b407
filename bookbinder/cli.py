"""The command line: parses options and calls the library; the library never prints.

Exit status: 0 all built; 1 some input or book failed (the rest still built, each failure
named on standard error in one line); 2 usage error.
"""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from . import __version__
from .api import build, collect_inputs, normalize_to
from .errors import BookbinderError
from .pipeline import load_story
from .report import story_record

log = logging.getLogger("bookbinder")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bookbinder")
def cli() -> None:
    """Bookbinder: messy story files in, clean XHTML, EPUB anthologies and print PDFs out."""


def _verbose_option(f):
    return click.option("-v", "--verbose", is_flag=True, help="Show every decision the normalizer made.")(f)


def _strict_option(f):
    return click.option("--strict", is_flag=True, help="Treat diagnostics (guesses, drops) as failures.")(f)


def _show_diagnostics(story, verbose: bool) -> None:
    if verbose:
        for d in story.diagnostics:
            click.echo(f"{story.source}: [{d.code}] {d.message}", err=True)


class _Failures:
    """Shows each error as it comes and remembers that something failed (exit status 1)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, error: BookbinderError) -> None:
        error.show()
        self.count += 1


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="Folder for the XHTML documents.")
@_verbose_option
def normalize(inputs: tuple[Path, ...], out_dir: Path, verbose: bool) -> None:
    """Write one clean XHTML story document per input: DIR/<input stem>.xhtml."""
    failures = _Failures()
    for path in collect_inputs(inputs, on_error=failures):
        try:
            story, written = normalize_to(path, out_dir)
        except BookbinderError as exc:
            failures(exc)
            continue
        _show_diagnostics(story, verbose)
        click.echo(str(written))
    sys.exit(1 if failures.count else 0)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the schema in CONTRACT.md).")
@_verbose_option
def inspect(inputs: tuple[Path, ...], as_json: bool, verbose: bool) -> None:
    """Print a story's metadata and structure."""
    records, failures = [], _Failures()
    paths = collect_inputs(inputs, on_error=failures)
    for path in paths:
        try:
            story = load_story(path)
        except BookbinderError as exc:
            failures(exc)
            continue
        _show_diagnostics(story, verbose)
        records.append(story_record(story))
    if as_json:
        payload = records[0] if len(inputs) == 1 and len(paths) == 1 and records else records
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        for record in records:
            _print_record(record)
    sys.exit(1 if failures.count else 0)


def _print_record(record: dict) -> None:
    click.echo(f"{record['source']}")
    for key in ("title", "authors", "rating", "fandoms", "pairings", "characters", "tags", "status", "language",
                "published", "words", "chapters", "scene_breaks"):
        value = record[key]
        if value not in (None, [], ""):
            click.echo(f"  {key + ':':<14}{', '.join(map(str, value)) if isinstance(value, list) else value}")
    inferred = record["inferred"]
    if inferred["pairings"] or inferred["characters"]:
        click.echo(f"  {'inferred:':<14}{', '.join(inferred['pairings'] or inferred['characters'])}")
    for d in record["diagnostics"]:
        click.echo(f"  [{d['code']}] {d['message']}")


@cli.command(name="build")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(["epub"]),
              help="Output format (repeat for several). Default: epub.")
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="Folder for the books.")
@click.option("--title", help="Title of the book (an anthology's default: the collection's name).")
@_verbose_option
@_strict_option
def build_cmd(inputs, formats, out_dir, title, verbose, strict) -> None:
    """Build a book: one file gives a book of that story, several files or a folder an anthology."""
    result = build(list(inputs), formats=formats or ("epub",), out_dir=out_dir, title=title,
                   on_story=lambda s: _show_diagnostics(s, verbose))
    for error in result.errors:
        error.show()
    for path in result.written:
        click.echo(str(path))
    if strict and result.diagnostics:
        click.echo(f"bookbinder: --strict: {len(result.diagnostics)} diagnostics", err=True)
        sys.exit(1)
    sys.exit(1 if result.errors else 0)


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.WARNING, format="bookbinder: %(message)s")
    cli.main(args=argv, prog_name="bookbinder")


__all__ = ["cli", "main"]

"""The command line: parses options and calls the library; the library never prints.

Exit status: 0 all built; 1 some input or book failed (the rest still built, each failure
named on standard error in one line); 2 usage error.
"""
from __future__ import annotations

import json
import logging
from collections import Counter
import signal
import sys
import threading
from pathlib import Path

import click

from . import config
from .version import __version__
from .api import TLS, BuildOptions, build, load_all, normalize_all, output_target, user_metadata
from .building.options import DEFAULT_OUTPUT
from .plural import plural
from .inputs import Stdin, collect_inputs, read_list, read_manifest, read_stdin
from .assemble import GROUP_KEYS, GROUPINGS, SORT_KEYS, Filters
from .backends import BACKENDS
from .cli_print import print_flags, print_options
from .backends.output import output_folder
from .errors import BookbinderError, DiskFullError, InputError, UsageError, json_safe, quoted, terminal
from .cache import default_folder as default_cache_folder
from .readers import FORMATS, READ
from .report import story_record
from .terminal import Interrupt, end_interrupted
from .terminal import Reporter as _Reporter



@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bookbinder")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Your own defaults file (trusted like the command line), over the working folder's "
                   "bookbinder.toml.")
@click.pass_context
def cli(ctx: click.Context, config_file: Path | None) -> None:
    """Bookbinder: messy story files in, clean XHTML, EPUB anthologies and print PDFs out.

    Reads .txt (any encoding), .md, .html (AO3 and FanFicFare downloads, saved pages) and .epub.
    Defaults come from bookbinder.toml files: yours (in your config folder, or --config FILE) and
    the working folder's, which may set how the book looks but not where anything is read from
    outside that folder, written, cached or run (README "Hostile and broken files")."""
    try:
        found = config.load(ctx.command, config_file)
    except BookbinderError as exc:
        exc.show()
        sys.exit(exc.exit_code)
    ctx.default_map, ctx.obj = found.defaults, {"aliases": found.aliases}
    for line in found.refused:
        click.echo(f"bookbinder: {terminal(line)}", err=True)


def _verbose_option(f):
    return click.option("-v", "--verbose", is_flag=True, help="Show every decision the normalizer made.")(f)


def _follow_links_option(f):
    return click.option("--follow-links", is_flag=True,
                        help="Read files in a folder that link to files outside it (skipped otherwise).")(f)


def _from_option(f):
    return click.option("--from", "from_format", type=click.Choice([f.name for f in FORMATS]),
                        help="The format of standard input (the input -), where its first bytes do not say.")(f)


def _stdin(inputs, from_format: str | None) -> Stdin | None:
    """Standard input, read once, when an input is "-"."""
    if not any(str(i) == "-" for i in inputs):
        return None
    try:
        return read_stdin(sys.stdin.buffer, from_format)
    except BookbinderError as exc:
        exc.show()
        sys.exit(exc.exit_code)


def _strict_option(f):
    return click.option("--strict", is_flag=True, help="Treat diagnostics (guesses, drops) as failures.")(f)


def _show_diagnostics(story, verbose: bool) -> None:
    _Diagnostics(verbose)(story)


class _Diagnostics:
    """With -v, a story's decisions on standard error, one line each, except that a decision
    repeated word for word is one line with its count ("43 times: <input> element dropped")."""

    def __init__(self, verbose: bool) -> None:
        self.verbose = verbose

    def __call__(self, story) -> None:
        if not self.verbose:
            return
        counts = Counter((d.code, d.message) for d in story.diagnostics)
        for (code, message), n in counts.items():
            times = f" ({n} times)" if n > 1 else ""
            click.echo(f"{quoted(story.source)}: [{code}] {terminal(message)}{times}", err=True)


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
@_follow_links_option
@_from_option
def normalize(inputs: tuple[Path, ...], out_dir: Path, verbose: bool, follow_links: bool,
              from_format: str | None) -> None:
    """Write one clean XHTML story document per input: DIR/<input stem>.xhtml.

    Two inputs with the same stem (a/story.txt, b/story.txt) are written as story.xhtml and
    story-2.xhtml, and the second is reported, never written over the first."""
    failures = _Failures()
    output_folder(out_dir)
    stdin = _stdin(inputs, from_format)
    used: dict[str, Path] = {}
    for path in collect_inputs(inputs, on_error=failures, follow_links=follow_links):
        try:
            made = normalize_all(path, out_dir, lambda name: _unique_stem(name, path, used), stdin, follow_links)
        except DiskFullError:
            raise
        except BookbinderError as exc:
            failures(exc)
            continue
        for story, written in made:
            _show_diagnostics(story, verbose)
            click.echo(quoted(written))
    sys.exit(1 if failures.count else 0)


def _unique_stem(wanted: str, path: Path, used: dict[str, Path]) -> str:
    """`wanted`, or `wanted-2`... when another input's document has that name already (said)."""
    stem, n = wanted, 2
    while stem.casefold() in used:
        stem, n = f"{wanted}-{n}", n + 1
    if stem != wanted:
        click.echo(f"bookbinder: {quoted(path)}: written as {quoted(stem)}.xhtml, since {quoted(wanted)}.xhtml "
                   f"is {quoted(used[wanted.casefold()])}'s", err=True)
    used[stem.casefold()] = path
    return stem


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the schema in CONTRACT.md).")
@_verbose_option
@_follow_links_option
@_from_option
def inspect(inputs: tuple[Path, ...], as_json: bool, verbose: bool, follow_links: bool, from_format: str | None) -> None:
    """Print a story's metadata and structure."""
    records, failures = [], _Failures()
    stdin = _stdin(inputs, from_format)
    paths = collect_inputs(inputs, on_error=failures, follow_links=follow_links)
    for path in paths:
        try:
            stories = load_all(path, stdin, follow_links)
        except BookbinderError as exc:
            failures(exc)
            continue
        for story in stories:  # a book bookbinder made: each story it holds
            _show_diagnostics(story, verbose)
            records.append(story_record(story))
    if not paths and not failures.count:
        failures(InputError("no story files found", ", ".join(map(str, inputs))))
    if as_json:  # always a list, one object per story, so scripts never branch on the shape (CONTRACT.md)
        click.echo(json_safe(json.dumps(records, indent=2, ensure_ascii=False)))
    else:
        for record in records:
            _print_record(record)
    sys.exit(1 if failures.count else 0)


def _print_record(record: dict) -> None:
    click.echo(quoted(record["source"]))
    for key in ("title", "authors", "rating", "fandoms", "pairings", "characters", "tags", "status", "language",
                "published", "words", "chapters", "scene_breaks"):
        value = record[key]
        if value not in (None, [], ""):
            shown = ", ".join(map(str, value)) if isinstance(value, list) else value
            click.echo(f"  {key + ':':<14}{terminal(shown)}")
    inferred = record["inferred"]
    if inferred["pairings"] or inferred["characters"]:
        click.echo(f"  {'inferred:':<14}{terminal(', '.join(inferred['pairings'] or inferred['characters']))}")
    for d in record["diagnostics"]:
        click.echo(f"  [{d['code']}] {terminal(d['message'])}")


@cli.command(name="build")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(sorted(BACKENDS)),
              help="Output format (repeat for several). Default: epub.")
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="Folder for the books; or the book's file (book.epub, book.pdf), or - for "
                                      "standard output, when the build makes one book.")
@click.option("--by", type=click.Choice(GROUP_KEYS),
              help="One anthology per group: " + "; ".join(f"{k.name}: {k.help}" for k in GROUPINGS.values()) + ".")
@click.option("--no-infer", is_flag=True, help="Group and filter by stated metadata only, never by inferred.")
@click.option("--title", help="Book title; with --by, a pattern such as '{group}: Collected'.")
@click.option("--author", "authors", multiple=True,
              help="The book's author (repeatable): its creator in the EPUB and the PDF, over the stories' own.")
@click.option("--editor", "editors", multiple=True, help="The anthology's editor (repeatable).")
@click.option("--language", help="The book's language (en, de, pt-BR...), over what the stories say.")
@click.option("--series", help="The series the book belongs to.")
@click.option("--series-index", metavar="N", help="Its number in the series (2, 2.5).")
@click.option("--cover", type=click.Path(path_type=Path), help="A PNG, JPEG, GIF or WebP image for the cover.")
@click.option("--css", type=click.Path(path_type=Path), help="Your stylesheet, applied after the book's own.")
@click.option("--publisher", help="The publisher named in the book (default: none; bookbinder is named as the program that made it).")
@click.option("--date", help="The date of publication (2024-05-01).")
@click.option("-M", "--metadata", "metadata", multiple=True, metavar="KEY=VALUE",
              help="Book metadata as pandoc takes it: author, editor, title, language, series, series-index, "
                   "publisher, date, description, subject (repeatable; the flags above win).")
@click.option("--sort", type=click.Choice(SORT_KEYS), default="given", show_default=True,
              help="Story order within a book.")
@click.option("--rating", "max_rating", metavar="RATING", help="Only stories rated at most RATING (unrated ones are left out).")
@click.option("--complete", is_flag=True, help="Only complete stories (a one-shot counts as complete).")
@click.option("--fandom", "fandoms", multiple=True, help="Only stories of this fandom (repeatable: any of them).")
@click.option("--character", "characters", multiple=True, help="Only stories with this character (repeatable).")
@click.option("--pairing", "pairings", multiple=True, help="Only stories with this pairing, e.g. Mark/Lexie.")
@click.option("--list", "lists", multiple=True, type=click.Path(path_type=Path),
              help="A file listing story paths, one per line (repeatable).")
@click.option("--manifest", type=click.Path(path_type=Path), help="A TOML manifest: title, editors, stories.")
@print_flags
@click.option("-q", "--quiet", is_flag=True, help="No progress on standard error (errors are still shown).")
@click.option("--cache-dir", type=click.Path(path_type=Path),
              help="Where normalized stories are kept, so a rebuild reads only what changed "
                   "(default: $BOOKBINDER_CACHE_DIR, else the user's cache folder). Safe to delete.")
@click.option("--no-cache", is_flag=True, help="Read every story again; keep nothing.")
@click.option("-j", "--jobs", type=click.IntRange(1, 512), metavar="N",
              help="Local worker processes (default: one per core).")
@click.option("--scheduler", metavar="ADDRESS", envvar="BOOKBINDER_SCHEDULER", show_envvar=True,
              help="Where the work runs: a Dask scheduler you trust (tls://HOST:8786 or tcp://; it runs code "
                   "here; needs bookbinder[dask]), 'pool' (local workers, the default) or 'serial' (one process, "
                   "for debugging).")
@click.option("--tls-ca-file", type=click.Path(path_type=Path, dir_okay=False), envvar="BOOKBINDER_TLS_CA_FILE",
              help="Dask over TLS: the certificate authority that signed the scheduler's certificate.")
@click.option("--tls-cert", type=click.Path(path_type=Path, dir_okay=False), envvar="BOOKBINDER_TLS_CERT",
              help="Dask over TLS: this client's certificate.")
@click.option("--tls-key", type=click.Path(path_type=Path, dir_okay=False), envvar="BOOKBINDER_TLS_KEY",
              help="Dask over TLS: this client's private key (if not in --tls-cert).")
@_verbose_option
@_strict_option
@_follow_links_option
@_from_option
def build_cmd(inputs, **given) -> None:
    """Build books: one file gives a book of that story, several files or a folder an anthology."""
    if given["verbose"]:  # the print backend's paragraphs left to WeasyPrint's own line breaks, and why
        logging.getLogger("bookbinder.lines").setLevel(logging.INFO)
    inputs = list(inputs)
    try:
        for listing in given["lists"]:
            read_list(listing)  # a list or manifest that cannot be read is one line, before any work
        if given["manifest"]:
            read_manifest(given["manifest"])
    except BookbinderError as exc:
        exc.show()
        sys.exit(1)
    if not inputs and not given["manifest"] and not given["lists"]:
        raise click.UsageError("give at least one story file, folder, --list or --manifest")
    try:  # one line, naming the flag or file and what to write instead; exit 2
        options = _build_options(inputs, given)
    except BookbinderError as exc:
        exc.show()
        sys.exit(exc.exit_code)
    with _Reporter(given["quiet"]) as progress:
        result = build(inputs, options, progress=Interrupt.heeded(progress), on_story=_Diagnostics(given["verbose"]))
    sys.exit(_report_build(result, given["verbose"], given["strict"]))


def _build_options(inputs: list, given: dict) -> BuildOptions:
    """BuildOptions from the command's flags; what they mean together is the library's to decide."""
    said = user_metadata(given["metadata"], given["title"], given["authors"], given["editors"], given["cover"],
                         given["css"], language=given["language"], series=given["series"],
                         series_index=given["series_index"], publisher=given["publisher"], date=given["date"])
    for line in said.notices:
        click.echo(f"bookbinder: {terminal(line)}", err=True)
    filters = Filters(max_rating=given["max_rating"], complete=given["complete"], fandoms=given["fandoms"],
                      characters=given["characters"], pairings=given["pairings"], infer=not given["no_infer"])
    try:
        filters.predicate()  # a bad --rating is a usage error, before any work
    except BookbinderError as exc:
        raise UsageError(exc.detail) from None
    out_file, folder, formats = output_target(given["out_dir"], tuple(given["formats"]))
    return BuildOptions(formats=formats, out_dir=folder or DEFAULT_OUTPUT, out_file=out_file, title=said.title,
                        editors=said.editors, by=given["by"], sort=given["sort"], filters=filters,
                        infer=not given["no_infer"], options={"pdf": print_options(given, formats)},
                        follow_links=given["follow_links"], manifest=given["manifest"], lists=tuple(given["lists"]),
                        info=said.info, aliases=tuple(((click.get_current_context().obj or {}).get("aliases") or {}
                                                       ).items()),
                        stdin=_stdin(inputs, given["from_format"]),
                        cache=None if given["no_cache"] else (given["cache_dir"] or default_cache_folder()),
                        scheduler=given["scheduler"], jobs=given["jobs"],
                        tls=TLS(given["tls_ca_file"], given["tls_cert"], given["tls_key"]))


def _report_build(result, verbose: bool, strict: bool) -> int:
    """What a build did, on standard error (the paths written on standard output); the exit status."""
    for error in result.errors:
        error.show()
    for notice in result.notices:
        click.echo(f"bookbinder: {terminal(notice)}", err=True)
    if result.data is not None:
        sys.stdout.buffer.write(result.data)
        sys.stdout.flush()
    for path in result.written:
        click.echo(quoted(path), err=result.data is not None)  # stdout holds the book itself with -o -
    if result.up_to_date:  # one line, not one a book: a library rebuild may keep hundreds
        fresh = len(result.written) - len(result.up_to_date)
        click.echo(f"bookbinder: {plural(len(result.up_to_date), 'book')} already up to date "
                   f"(the same inputs made {'it' if len(result.up_to_date) == 1 else 'them'}); "
                   f"{plural(fresh, 'file')} written", err=True)
    if result.skipped and result.written:  # when they left none, the error above says so
        click.echo(f"bookbinder: the filters left out {plural(result.skipped, 'story')}", err=True)
    _report_skipped(result.skipped_files, verbose)
    for source, d in result.decisions if verbose else ():  # made once the whole library was read
        click.echo(f"{quoted(source)}: [{d.code}] {terminal(d.message)}", err=True)
    if strict and result.diagnostics:
        click.echo(f"bookbinder: --strict: {plural(len(result.diagnostics), 'diagnostic')} (see --verbose)", err=True)
        return 1
    return 1 if result.errors else 0


def _report_skipped(files: list[Path], verbose: bool) -> None:
    """Files in the folders given that are not stories: counted, and listed with -v."""
    if not files:
        return
    kinds = sorted({f.suffix.lower() or "no suffix" for f in files})
    click.echo(f"bookbinder: skipped {plural(len(files), 'file')} that bookbinder does not read "
               f"({', '.join(kinds)}); it reads {READ}" + ("" if verbose else "; -v lists them"), err=True)
    if verbose:
        for path in files:
            click.echo(f"bookbinder: skipped {quoted(path)}", err=True)


def main(argv: list[str] | None = None) -> None:
    """The program (`argv` None: the command line's). Called with `argv`, as tests do, it puts the
    interrupt handler it installs back as it was when it returns."""
    logging.basicConfig(level=logging.WARNING, format="bookbinder: %(message)s")
    main_thread = threading.current_thread() is threading.main_thread()
    before = signal.signal(signal.SIGINT, Interrupt.handler) if main_thread else None
    try:
        _run(argv)
    finally:
        if main_thread and argv is not None:
            signal.signal(signal.SIGINT, before)


def _run(argv: list[str] | None) -> None:
    try:
        code = cli.main(args=argv, prog_name="bookbinder", standalone_mode=False)
        if Interrupt.seen:
            raise KeyboardInterrupt
    except (KeyboardInterrupt, click.Abort):  # 1 means "some input failed"; an interrupt is 128 + SIGINT
        click.echo("bookbinder: interrupted", err=True)
        end_interrupted()
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except Exception:
        if Interrupt.seen:  # the interrupt, turned into another error on its way (a RuntimeError from
            click.echo("bookbinder: interrupted", err=True)  # __set_name__ while a class was made)
            end_interrupted()
        raise
    if argv is None and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the work is done: an interrupt now changes nothing
    if Interrupt.seen:  # one that came between the check above and here
        click.echo("bookbinder: interrupted", err=True)
        end_interrupted()
    sys.exit(code if isinstance(code, int) else 0)


__all__ = ["cli", "main"]

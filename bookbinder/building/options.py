"""How a build runs: BuildOptions, what `-o` means, and each format's options keyed by format.

Everything a build is told sits in one frozen BuildOptions; the command line makes one, and so
may any script. A format's own options (the PDF's page size, imposition, print on demand) live
in `options`, keyed by the format's name, of the type its backend declares: a backend never sees
another's, and a book's up-to-date record covers only its own format's.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from ..assemble import Filters
from ..backends import BACKENDS, backend, backend_for_name, check_output_name
from ..book import BookInfo
from ..errors import UsageError
from ..executors import TLS
from ..inputs import Stdin

DEFAULT_OUTPUT = Path("output")
STDOUT = Path("-")


@dataclass(frozen=True)
class BuildOptions:
    """How to build: formats and their options, where to write, the title and editors, grouping
    (`by`), order, filters, the user's book metadata, a manifest and lists whose stories join the
    inputs, and where the work runs."""

    formats: tuple[str, ...] = ("epub",)
    out_dir: Path = DEFAULT_OUTPUT
    out_file: Path | None = None  # write exactly this file (one book, one format); STDOUT is standard output
    title: str | None = None
    editors: tuple[str, ...] = ()
    by: str | None = None
    sort: str = "given"
    filters: Filters = Filters()
    infer: bool = True
    options: Mapping[str, Any] = field(default_factory=dict)  # each format's options: {"pdf": PrintOptions(...)}
    follow_links: bool = False    # read files in a folder that link outside it
    manifest: Path | None = None  # its stories join the inputs; title, editors, sort fill what is not set
    lists: tuple[Path, ...] = ()  # files listing stories, one a line (inside each list's folder)
    info: BookInfo = BookInfo()   # what the user states about each book built (--author, --series, --cover...)
    aliases: tuple[tuple[str, str], ...] = ()  # ("Mer", "Meredith Grey"): one name for a person, fandom or pairing
    stdin: Stdin | None = None    # the story the input "-" names
    cache: Path | None = None     # a folder of normalized stories (cache.StoryCache); None reads every story
    scheduler: str | None = None  # where work units run: None or "pool" (local workers), "serial", a Dask address
    jobs: int | None = None       # local workers (default: one per core)
    tls: TLS = TLS()              # the certificates for a Dask scheduler at a tls:// address

    def options_for(self, fmt: str) -> Any:
        """The options of format `fmt`'s backend: the ones given, else its defaults."""
        return backend(fmt).options_from(self.options)

    def with_format_options(self, fmt: str, options: Any) -> BuildOptions:
        from dataclasses import replace

        return replace(self, options={**self.options, fmt: options})


def output_target(value: str | Path, formats: tuple[str, ...] = ()) -> tuple[Path | None, Path | None, tuple[str, ...]]:
    """`-o VALUE` as pandoc and ebook-convert read it -> (out_file, out_dir, formats).

    A name ending in a backend's suffix (`book.epub`, `book.pdf`) is that file, and gives the
    format when none is asked for; `-` is standard output; a name with no suffix (or an existing
    folder) is a folder. Any other suffix is a usage error: bookbinder never makes a folder named
    like a file it does not write (`-o book.azw3` made a folder `book.azw3` once)."""
    path = Path(value)
    if str(value) == "-":
        wanted = formats or ("epub",)
        return _one(value, wanted, None) or STDOUT, None, wanted
    chosen = backend_for_name(path.name)
    if chosen is None:
        if path.suffix and not path.is_dir():
            check_output_name(str(value))
        return None, path, formats or ("epub",)
    wanted = formats or (chosen.name,)
    return _one(value, wanted, chosen.name), None, wanted


def _one(value: str | Path, wanted: tuple[str, ...], suffix_format: str | None) -> Path:
    if len(wanted) > 1:
        raise UsageError(f"-o {value} names one file, but {len(wanted)} formats were asked for; give -o a folder")
    if suffix_format is not None and wanted != (suffix_format,):
        raise UsageError(f"-o {value} ends in .{BACKENDS[suffix_format].suffix}, but --format {wanted[0]} was asked for")
    return Path(value)


def written_folders(options: BuildOptions) -> tuple[Path, ...]:
    """Where this build writes books: never searched for stories, so a rebuild never binds its own
    books into the next (the default output/ too, wherever -o points)."""
    folders = [DEFAULT_OUTPUT, options.out_dir]
    if options.out_file and options.out_file != STDOUT:
        folders.append(options.out_file)
    return tuple(folders)

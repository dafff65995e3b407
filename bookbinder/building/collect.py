"""The build's first step: what the user named -> Inputs (the story files, in order, and why not others).

Files are taken as given, folders searched (the folders books are written to left out), lists
and the manifest read (their entries kept inside their own folders); the manifest's title,
editors and order fill what the options leave unset. Nothing is read but names and lists here.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import BookbinderError, UsageError, quoted
from ..inputs import Manifest, collect_inputs, read_list, read_manifest
from .options import BuildOptions, written_folders


@dataclass(frozen=True)
class Inputs:
    """The story files a build reads, and what it found on the way."""

    paths: tuple[Path, ...]
    given: tuple[str, ...]                      # what the user named, for a "no story files found" line
    manifest: Manifest | None = None
    errors: tuple[BookbinderError, ...] = ()    # named files that are missing, FIFOs, links out, bad entries
    skipped: tuple[Path, ...] = ()              # files in the folders that are not stories
    notices: tuple[str, ...] = ()
    single: bool = False                        # one file given: a book of that story, not an anthology


def collect(inputs: list[str | Path], options: BuildOptions) -> tuple[Inputs, BuildOptions]:
    """The story files `inputs`, the lists and the manifest name; the options with the manifest's
    settings where the user gave none (what the user typed wins over the manifest)."""
    named, errors = list(inputs), []
    for listing in options.lists:
        listed, refused = read_list(listing, options.follow_links)
        named, errors = [*named, *listed], errors + refused
    manifest = read_manifest(options.manifest, options.follow_links) if options.manifest is not None else None
    if manifest is not None:
        errors += manifest.errors
        named = [*named, *manifest.stories]
        options = replace(options, title=options.title or manifest.title, editors=options.editors or manifest.editors,
                          sort=manifest.sort if options.sort == "given" else options.sort)
    _not_the_output(named, written_folders(options))
    skipped: list[Path] = []
    notices: list[str] = []
    paths = collect_inputs(named, on_error=errors.append, follow_links=options.follow_links, skipped=skipped,
                           notices=notices, exclude=written_folders(options))
    _not_an_input(options.out_file, paths)
    single = len(named) == 1 and (str(named[0]) == "-" or Path(named[0]).is_file())
    return Inputs(tuple(paths), tuple(map(str, named)), manifest, tuple(errors), tuple(skipped), tuple(notices),
                  single), options


def _not_an_input(out_file: Path | None, paths: list[Path]) -> None:
    """-o naming a file the build reads would replace a story with the book made of it."""
    if out_file is None or not out_file.exists():
        return
    target = out_file.resolve()
    if any(path.resolve() == target for path in paths if isinstance(path, Path)):
        raise UsageError(f"-o {quoted(str(out_file))}: that file is one of the inputs; give the book another name")


def _not_the_output(named: list, written: tuple[Path, ...]) -> None:
    """A folder to read that is where the books go: its books would be read back as stories on the
    next build, so the output folder is never read, and here nothing would be."""
    outputs = {Path(folder).resolve() for folder in written if folder is not None}
    for name in named:
        if isinstance(name, (str, Path)) and str(name) != "-" and Path(name).is_dir() and Path(name).resolve() in outputs:
            raise UsageError(f"{quoted(str(name))} is where the books are written (-o), and bookbinder never reads "
                             f"its own output folder: write them elsewhere, e.g. -o {quoted(str(Path(name) / 'books'))}")

"""What a build reads: the inputs named -> story files, read safely; lists and manifests -> paths.

The trust model (README "Hostile and broken files"): what the user types is trusted; what a
folder holds is data. So a path that a file names (a manifest's or a list's entry) resolves
inside that file's own folder: never absolute, never climbing out with `..`, never through a
link that leaves it unless the user gives --follow-links, and only story formats are read as
stories. Every input is a regular file, read with its size checked before a byte is read, so a
FIFO, a device or an 8 GB file is one line naming it, never a hang or a crash.
"""
from __future__ import annotations

import hashlib
import os
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .errors import BookbinderError, InputError, UsageError, quoted

MAX_INPUT = 256 * 1024 * 1024  # bytes: the largest story file (or standard input) read
_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in a user's words; None for a regular file."""
    return None if stat.S_ISREG(mode) else next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _open_regular(path: Path, limit: int, what: str) -> tuple[int, int]:
    """(an open descriptor, the size) of a regular file no larger than `limit`; InputError otherwise.

    The type is checked before opening (opening a device can act) and again on the descriptor
    (the name may have changed in between); O_NONBLOCK keeps a FIFO from hanging the open."""
    try:
        kind = _kind(os.stat(path).st_mode)
        if kind:
            raise InputError(f"is {kind}, not a {what}", path)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise unreadable(exc, path) from None
    info = os.fstat(fd)
    problem = (f"is {_kind(info.st_mode)}, not a {what}" if _kind(info.st_mode) else
               f"is larger than {_mb(limit)} (a {what} is smaller)" if info.st_size > limit else None)
    if problem:
        os.close(fd)
        raise InputError(problem, path)
    return fd, info.st_size


def read_input(path: str | os.PathLike, limit: int = MAX_INPUT, what: str = "story file") -> bytes:
    """A regular file's bytes, at most `limit`; InputError naming the file for anything else."""
    path = Path(path)
    fd, _ = _open_regular(path, limit, what)
    with os.fdopen(fd, "rb") as f:
        try:
            data = f.read(limit + 1)
        except OSError as exc:
            raise unreadable(exc, path) from None
    if len(data) > limit:  # it grew while it was read
        raise InputError(f"is larger than {_mb(limit)} (a {what} is smaller)", path)
    return data


def digest_input(path: str | os.PathLike, limit: int = MAX_INPUT) -> str:
    """The sha256 of a story file, read in pieces (never whole in memory), with read_input's checks."""
    path = Path(path)
    fd, _ = _open_regular(path, limit, "story file")
    h, total = hashlib.sha256(), 0
    with os.fdopen(fd, "rb") as f:
        try:
            while chunk := f.read(1 << 20):
                total += len(chunk)
                if total > limit:
                    raise InputError(f"is larger than {_mb(limit)} (a story file is smaller)", path)
                h.update(chunk)
        except OSError as exc:
            raise unreadable(exc, path) from None
    return h.hexdigest()


def unreadable(exc: OSError, path: Path) -> InputError:
    """Why a story file could not be read, in the words a user needs."""
    if isinstance(exc, IsADirectoryError):
        return InputError("is a folder, not a story file", path)
    if isinstance(exc, FileNotFoundError):
        return InputError("no such file", path)
    if isinstance(exc, PermissionError):
        return InputError("permission denied", path)
    return InputError(f"cannot be read ({exc.strerror or exc})", path)


def _mb(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"


def toml_file(path: Path, limit: int, what: str) -> dict:
    """A TOML file read with read_input's checks; InputError naming it when it does not parse
    (nested too deep for the parser included)."""
    try:
        return tomllib.loads(read_input(path, limit, what).decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as exc:
        first = str(exc).splitlines()[0] if str(exc) and not isinstance(exc, RecursionError) else "nested too deeply"
        raise InputError(f"{what} does not parse: {first}", path) from None


def inside(folder: Path, entry: str, follow_links: bool = False) -> Path:
    """`entry`, a path a file in `folder` names, as a path inside `folder`; ValueError saying why not.

    Data never reaches outside its folder: an absolute path, a `..` that climbs out, or a link
    to somewhere outside (unless the user allows links) is refused."""
    if not entry or "\0" in entry:
        raise ValueError("an empty path")
    if Path(entry).is_absolute() or entry.startswith("~"):
        raise ValueError("an absolute path; name files inside the folder")
    target = folder / entry
    if not Path(os.path.abspath(target)).is_relative_to(os.path.abspath(folder)):
        raise ValueError("climbs out of the folder")
    if not follow_links and not target.resolve().is_relative_to(folder.resolve()):
        raise ValueError("links to a file outside the folder (give --follow-links to read it)")
    return target


# ------------------------------------------------------------------ finding the story files
def collect_inputs(inputs: Iterable[str | Path], on_error: Callable[[BookbinderError], None] | None = None,
                   follow_links: bool = False, skipped: list[Path] | None = None,
                   notices: list[str] | None = None, exclude: Iterable[Path] = ()) -> list[Path]:
    """Files as given, folders searched recursively for story files (sorted, sidecars skipped).

    Other files in a folder (a .docx, a cover .jpg) are appended to `skipped`. A file in a
    folder that is a link to somewhere outside that folder (`passwd.txt` -> `/etc/passwd`) is not
    read unless `follow_links`; it is an error saying so. Folders in `exclude` (where the books
    are written) are not searched, so a rebuild never reads its own books. A file named twice
    (directly, or in a folder also given) is read once, and `notices` says so."""
    from .readers import STORY_SUFFIXES
    from .sidecar import SIDECAR_SUFFIXES

    report = on_error or _raise
    skip = [p.resolve() for p in map(Path, exclude)]
    paths: list[Path] = []
    for raw in inputs:
        path = Path(raw)
        if str(raw) == "-":  # standard input, read by the caller
            paths.append(path)
            continue
        try:
            mode = os.stat(path).st_mode
        except OSError as exc:
            report(InputError("no such file or folder", path) if isinstance(exc, FileNotFoundError)
                   else unreadable(exc, path))
            continue
        if stat.S_ISDIR(mode):
            paths += _one_per_book(_scan(path, follow_links, skip, skipped, report, STORY_SUFFIXES, SIDECAR_SUFFIXES),
                                   notices)
        elif _kind(mode):
            report(InputError(f"is {_kind(mode)}, not a story file", path))
        else:
            paths.append(path)
    return _once(paths, notices)


def _scan(folder: Path, follow_links: bool, skip: list[Path], skipped: list[Path] | None,
          report: Callable[[BookbinderError], None], suffixes, sidecars) -> list[Path]:
    """The story files under `folder`, sorted; links out of it refused unless `follow_links`."""
    from .calibre import calibres_own
    from .readers import story_suffix  # ".fb2.zip" is one suffix

    root, found = folder.resolve(), []
    for path in sorted(folder.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(folder).parts) or _excluded(path, skip):
            continue
        story = story_suffix(path) in suffixes and not path.name.endswith(sidecars)
        try:
            mode = os.stat(path).st_mode
        except OSError:
            continue  # a dangling link, or gone since the listing
        if stat.S_ISDIR(mode):
            continue
        if not story:
            mentioned = not path.name.endswith(sidecars) and not calibres_own(path)
            if skipped is not None and mentioned and stat.S_ISREG(mode):
                skipped.append(path)
        elif _kind(mode):
            report(InputError(f"is {_kind(mode)}, not a story file", path))
        elif follow_links or path.resolve().is_relative_to(root):
            found.append(path)
        else:
            report(InputError("not read: it links to a file outside the folder (give --follow-links to read it)",
                              path))
    return found


def _one_per_book(paths: list[Path], notices: list[str] | None) -> list[Path]:
    """A calibre book folder read once, from its best format (calibre.one_per_book); said once."""
    from .calibre import one_per_book
    from .readers import story_suffix

    kept, left = one_per_book(paths, story_suffix)
    if left and notices is not None:
        notices.append(f"calibre book folders: each read once, from the best of its formats (EPUB, AZW3, MOBI, "
                       f"then others); {left} other {'copy' if left == 1 else 'copies'} of the same books not read")
    return kept


def _excluded(path: Path, skip: list[Path]) -> bool:
    if not skip:
        return False
    here = Path(os.path.abspath(path))
    return any(here == s or here.is_relative_to(s) for s in skip)


def _once(paths: list[Path], notices: list[str] | None) -> list[Path]:
    seen: dict[Path, Path] = {}
    for path in paths:
        first = seen.setdefault(path.resolve(), path)
        if first is not path and notices is not None:
            notices.append(f"{quoted(path)}: given twice (as {quoted(first)} too); bound once")
    return list(seen.values())


def _raise(error: BookbinderError) -> None:
    raise error


# ------------------------------------------------------------------ lists and manifests
_LIST_LIMIT = 4 * 1024 * 1024  # bytes: a list or manifest of a hundred thousand stories


def read_list(path: str | Path, follow_links: bool = False) -> tuple[list[Path], list[BookbinderError]]:
    """A list file: one story path or folder per line, inside the list's folder; '#' starts a
    comment. (the paths, an error for each line that names something outside)."""
    path = Path(path)
    try:
        lines = read_input(path, _LIST_LIMIT, "list").decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise InputError("cannot read the list (not UTF-8 text)", path) from None
    entries = [line.split("#", 1)[0].strip() for line in lines]
    paths, errors = [], []
    for entry in (e for e in entries if e):
        try:
            paths.append(_entry(path, entry, follow_links))
        except InputError as exc:
            errors.append(exc)
    return paths, errors


def _entry(source: Path, entry: str, follow_links: bool) -> Path:
    """A story path named in `source` (a list or manifest), checked to stay inside its folder and
    to name a story format or a folder; InputError naming `source` and the entry otherwise."""
    from .readers import STORY_SUFFIXES, story_suffix

    try:
        target = inside(source.parent, entry, follow_links)
        folder = target.is_dir()
    except (ValueError, OSError) as exc:  # OSError: a name too long for the file system, a loop of links
        raise InputError(f"{entry[:80]!r} not read: {getattr(exc, 'strerror', None) or exc}", source) from None
    if not folder and story_suffix(target) not in STORY_SUFFIXES:
        raise InputError(f"{entry[:80]!r} not read: not a story file ({', '.join(sorted(STORY_SUFFIXES))})", source)
    return target


@dataclass(frozen=True)
class Manifest:
    """An anthology described in TOML: title, editors, sort order and stories in order.

    A story is a path inside the manifest's folder, or a table with a `path` and metadata keys (as
    in a sidecar file) that override what the story and its sidecar say: `{ path = "a.txt",
    title = "Winter" }`. Entries that name something outside the folder are `errors`, one each."""

    stories: tuple[Path, ...]
    title: str | None = None
    editors: tuple[str, ...] = ()
    sort: str = "given"
    source: Path | None = None
    overrides: tuple[tuple[Path, dict], ...] = ()  # (story path, its keys), for stories given as tables
    errors: tuple[BookbinderError, ...] = field(default=(), compare=False)

    def override_for(self, path: Path):
        from .pipeline import Override

        for story, values in self.overrides:
            if story.resolve() == Path(path).resolve():
                return Override(f"manifest {self.source.name if self.source else ''}".strip(), values, self.source)
        return None


def read_manifest(path: str | Path, follow_links: bool = False) -> Manifest:
    """A TOML manifest -> Manifest; InputError naming the file when it does not parse."""
    path = Path(path)
    data = toml_file(path, _LIST_LIMIT, "manifest")
    stories = data.get("stories") or []
    if not isinstance(stories, list) or not stories:
        raise InputError("manifest needs stories = [\"path\", ...]", path)
    paths, overrides, errors = [], [], []
    for entry in stories:
        values = dict(entry) if isinstance(entry, dict) else {"path": entry}
        if not isinstance(values.get("path"), str):
            raise InputError("a story needs a path: \"a.txt\" or { path = \"a.txt\", ... }", path)
        try:
            story = _entry(path, values.pop("path"), follow_links)
        except InputError as exc:
            errors.append(exc)
            continue
        paths.append(story)
        if isinstance(entry, dict):
            overrides.append((story, values))
    return Manifest(stories=tuple(paths), title=_text(data.get("title"), "title", path),
                    editors=_names(data.get("editors") or data.get("editor") or (), path),
                    sort=_text(data.get("sort"), "sort", path) or "given", source=path,
                    overrides=tuple(overrides), errors=tuple(errors))


def _text(value, key: str, path: Path) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise InputError(f"manifest: {key} must be text", path)


def _names(value, path: Path) -> tuple[str, ...]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, (list, tuple)) or not all(isinstance(n, str) for n in names):
        raise InputError("manifest: editors must be a name or a list of names", path)
    return tuple(names)


# ------------------------------------------------------------------ standard input
@dataclass(frozen=True)
class Stdin:
    """A story given on standard input (the input "-"): its bytes, and the format named by --from."""

    data: bytes
    format: str | None = None


def read_stdin(stream, fmt: str | None = None) -> Stdin:
    """Standard input as a story's bytes; UsageError past MAX_INPUT."""
    data = stream.read(MAX_INPUT + 1)
    if len(data) > MAX_INPUT:
        raise UsageError(f"standard input: more than {_mb(MAX_INPUT)}; give a file instead")
    return Stdin(data, fmt)

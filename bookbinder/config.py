"""Defaults from bookbinder.toml files -> the command line's defaults, by trust.

Three files may give defaults, lowest first: the user's own (`bookbinder.toml` in the platform's
config folder, `~/.config/bookbinder/` on Linux), the working folder's `bookbinder.toml`, and a
file the user names with `--config`. The user's own and `--config` are trusted like the command
line. The working folder's is data: a folder someone else prepared may hold one. It may choose
how the book looks and what it holds from inside that folder, never where bytes come from
outside it, where they go, which code or cluster runs, or which cache is used:

- USER keys (output, caches, workers, the scheduler and its keys, following links) are taken
  only from the user's own files; in a folder's file each is one line naming it, and ignored.
- PATH keys (css, cover, manifest, list) from a folder's file resolve inside that folder, as
  `inputs.inside` says; one that reaches outside is one line, and ignored.
- Every other key (format, page size, grouping, titles, authors, filters...) may come from any.

Every value is checked as the option checks it, so `cover = 7` is one line naming the key.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import click

from .errors import UsageError
from .inputs import inside, toml_file

NAME = "bookbinder.toml"
USER = frozenset({"output", "cache-dir", "no-cache", "scheduler", "jobs", "follow-links", "tls-ca-file", "tls-cert",
                  "tls-key"})
PATH = frozenset({"css", "cover", "manifest", "list"})
_LIMIT = 1024 * 1024  # bytes of a config file


@dataclass(frozen=True)
class Config:
    """What the config files say: click's default_map, the [aliases] table, and a line for each
    key a folder's file was not allowed to set."""

    defaults: dict = field(default_factory=dict)
    aliases: dict = field(default_factory=dict)
    refused: tuple[str, ...] = ()


def user_file() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("bookbinder")) / NAME


def key_class(key: str) -> str:
    """"user", "path" or "look": who may set `key` (README "Hostile and broken files")."""
    return "user" if key in USER else "path" if key in PATH else "look"


def load(group: click.Group, given: Path | None = None, folder: Path = Path(".")) -> Config:
    """The defaults of every file that exists, the later over the earlier; UsageError (one line
    naming the file) for a file that does not parse or a value of the wrong kind."""
    given = Path(given) if given is not None else None
    layers = [(user_file(), True), (folder / NAME, False)] + ([(given, True)] if given else [])
    defaults: dict[str, dict] = {}
    aliases: dict[str, str] = {}
    refused: list[str] = []
    for path, trusted in layers:
        if path is not given and not path.is_file():  # a file the user names must be there
            continue
        data = _parse(path)
        aliases.update(_aliases(data, path))
        for section, values in _sections(data, group, path, trusted, refused):
            defaults.setdefault(section, {}).update(values)
    return Config(defaults, aliases, tuple(refused))


def _parse(path: Path) -> dict:
    try:
        return toml_file(path, _LIMIT, "config file")
    except click.ClickException as exc:  # usage: exit status 2
        raise UsageError(exc.detail, exc.path) from None


def _aliases(data: dict, path: Path) -> dict:
    table = data.get("aliases", {})
    if not isinstance(table, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in table.items()):
        raise UsageError('[aliases]: write "Short name" = "Full Name" lines', path)
    return table


def _sections(data: dict, group: click.Group, path: Path, trusted: bool, refused: list[str]):
    for section, table in data.items():
        if section == "aliases":
            continue
        command = group.commands.get(section)
        if command is None or not isinstance(table, dict):
            raise UsageError(f"[{section}]: not a command's table; use [build], [normalize], [inspect] or [aliases]",
                             path)
        yield section, dict(_values(command, section, table, path, trusted, refused))


def _values(command: click.Command, section: str, table: dict, path: Path, trusted: bool, refused: list[str]):
    options = {opt[2:]: p for p in command.params if isinstance(p, click.Option) for opt in p.opts
               if opt.startswith("--")}
    for key, value in table.items():
        param = options.get(key)
        if param is None:
            raise UsageError(f"[{section}] {key!r}: {section} has no --{key} option", path)
        if not trusted and key_class(key) == "user":
            refused.append(f"{path}: [{section}] {key} is ignored: a folder's {NAME} may not set it (give --{key} "
                           f"yourself, or put it in {user_file()})")
            continue
        values = value if isinstance(value, list) else [value]
        if not param.multiple and isinstance(value, list):
            raise UsageError(f"[{section}] {key}: one value, not a list", path)
        if key_class(key) == "path":
            if not all(isinstance(v, str) for v in values):
                raise UsageError(f"[{section}] {key}: a path is text, not {value!r}", path)
            try:
                values = [_path(path, v, trusted) for v in values]
            except (ValueError, OSError) as exc:
                refused.append(f"{path}: [{section}] {key} = {str(value)[:80]!r} is ignored: {exc}")
                continue
        converted = [_checked(param, v, section, key, path) for v in values]
        yield param.name, converted if param.multiple else converted[0]


def _path(config: Path, value, trusted: bool) -> str:
    """A path a config file names: from the user's own file, as if typed (~ expanded); from a
    folder's file, inside that folder or not at all."""
    if trusted:
        return os.path.expanduser(value)
    return str(inside(config.parent, value))


def _checked(param: click.Option, value, section: str, key: str, path: Path):
    """The value as the option takes it; UsageError naming the key when it cannot be one."""
    if param.is_flag and not isinstance(value, bool):
        raise UsageError(f"[{section}] {key}: true or false, not {value!r}", path)
    if isinstance(value, (dict, list)) or (isinstance(value, bool) and not param.is_flag):
        raise UsageError(f"[{section}] {key}: not a value --{key} takes ({value!r})", path)
    try:
        return value if param.is_flag else param.type.convert(value if isinstance(value, str) else str(value), param,
                                                              None)
    except click.BadParameter as exc:
        raise UsageError(f"[{section}] {key}: {exc.message}", path) from None

"""calibre's library folders: a book folder's formats -> the one file to read; its OPF -> the
story's metadata, as a sidecar.

calibre keeps each book in a folder of its own, `Author/Title (id)/`, holding the book in each
of its formats, a `metadata.opf` that says what the library knows of it, and `cover.jpg`;
`metadata.db` sits at the top. calibre's "save to disk" writes `<name>.opf` beside `<name>.epub`.
So a folder scan reads one file of a folder that holds a `metadata.opf` (the best format there:
EPUB, then AZW3, then MOBI, then any other bookbinder reads), never calibre's own files as
stories, and the OPF is that file's sidecar (`sidecar.sidecar_path`): what the library states
(title, authors, series, tags, comments as the summary, published date, language, the URL among
its identifiers) stands over what the file says. calibre's placeholders mean nothing stated: the
author and title "Unknown", the date in the year 101. Its rating is the reader's stars, not
the story's audience (G, T, M, E), so it is not the story's rating; a custom column named
rating whose value is a story rating is.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from lxml import etree

BOOK_OPF = "metadata.opf"
_OWN_FILES = {"metadata.db", "metadata_db_prefs_backup.json", "full-text-search.db"}  # the library's, at its top
_PREFERRED = (".epub", ".azw3", ".mobi")  # the best format of a book folder first
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
_UNKNOWN = {"unknown", ""}
# ISO 639-2 (calibre writes dc:language so) -> the two-letter codes bookbinder keeps, for the
# languages fields.parse_language knows by name.
_ISO639_2 = {"eng": "en", "fre": "fr", "fra": "fr", "ger": "de", "deu": "de", "spa": "es", "ita": "it", "por": "pt",
             "rus": "ru", "jpn": "ja", "chi": "zh", "zho": "zh", "dut": "nl", "nld": "nl", "pol": "pl", "swe": "sv",
             "fin": "fi", "kor": "ko", "dan": "da", "nor": "no", "nob": "nb", "nno": "nn", "cze": "cs", "ces": "cs",
             "hun": "hu", "tur": "tr", "lat": "la", "vie": "vi", "ind": "id", "cat": "ca", "gre": "el", "ell": "el",
             "heb": "he", "ara": "ar", "ukr": "uk", "rum": "ro", "ron": "ro", "per": "fa", "fas": "fa"}


def is_book_folder(folder: Path) -> bool:
    return (folder / BOOK_OPF).is_file()


def one_book(folder: Path, story_suffix) -> bool:
    """A folder calibre keeps one book in: a `metadata.opf` beside that book's formats, each file
    named as calibre names them, the same stem ("Title - Author.epub", "Title - Author.mobi").
    A `metadata.opf` in a folder of different stories describes none of them."""
    from .readers import STORY_SUFFIXES

    if not is_book_folder(folder):
        return False
    stems = {path.name[:len(path.name) - len(story_suffix(path))] for path in folder.iterdir()
             if story_suffix(path) in STORY_SUFFIXES and not calibres_own(path) and path.is_file()}
    return len(stems) <= 1


def calibres_own(path: Path) -> bool:
    """A file calibre keeps for itself (its database, a book's cover beside its OPF): no story,
    and not worth a "skipped" line."""
    return path.name in _OWN_FILES or (path.name == "cover.jpg" and is_book_folder(path.parent))


def one_per_book(paths: list[Path], story_suffix) -> tuple[list[Path], int]:
    """The story files of a folder scan, with one file per calibre book folder (its best format);
    and how many other copies were left unread."""
    by_folder: dict[Path, list[Path]] = {}
    for path in paths:
        by_folder.setdefault(path.parent, []).append(path)
    best = {folder: min(found, key=lambda p: _rank(p, story_suffix)) for folder, found in by_folder.items()
            if len(found) > 1 and one_book(folder, story_suffix)}
    kept = [p for p in paths if best.get(p.parent, p) == p]
    return kept, len(paths) - len(kept)


def _rank(path: Path, story_suffix) -> tuple[int, str]:
    suffix = story_suffix(path)
    return (_PREFERRED.index(suffix) if suffix in _PREFERRED else len(_PREFERRED), path.name)


# ------------------------------------------------------------------ the OPF as a sidecar
def opf_overrides(data: bytes, known: set[str]) -> dict:
    """What a calibre OPF states, as the sidecar keys `known` takes; ValueError if it is no OPF."""
    from .readers.epubmeta import package_fields

    try:
        opf = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not well-formed XML ({' '.join(str(exc.msg).split())})") from None
    if etree.QName(opf).localname != "package":
        raise ValueError("not an OPF package document")
    fields = package_fields(opf)
    stated = {
        "title": fields.title if (fields.title or "").casefold() not in _UNKNOWN else None,
        "authors": [a for a in fields.authors if a.casefold() not in _UNKNOWN],
        "series": fields.series,
        "series_index": _meta(opf, "series_index"),
        "tags": fields.tags,
        "summary": "\n\n".join(b.text for b in fields.summary),
        "published": fields.published if fields.published and fields.published[:4] >= "1000" else None,
        "language": _ISO639_2.get((fields.language or "").casefold(), fields.language),
        "url": fields.url,
        "identifiers": _identifiers(opf),
        "rating": _story_rating(opf),
    }
    return {key: value for key, value in stated.items() if value and key in known}


def _meta(opf: etree._Element, name: str) -> str | None:
    """calibre's <meta name="calibre:NAME" content=...> (OPF 2), or <meta property="calibre:NAME"> (OPF 3)."""
    for m in opf.iterfind(".//opf:metadata/opf:meta", _NS):
        if m.get("name") == f"calibre:{name}":
            return (m.get("content") or "").strip() or None
        if m.get("property") == f"calibre:{name}":
            return (m.text or "").strip() or None
    return None


def _identifiers(opf: etree._Element) -> dict[str, str]:
    """calibre's identifiers ("isbn", "url", "ao3"...) by scheme, less its own (its id and uuid)."""
    found = {}
    for e in opf.iterfind(".//opf:metadata/dc:identifier", _NS):
        scheme = (e.get(f"{{{_NS['opf']}}}scheme") or "").casefold()
        value = " ".join((e.text or "").split())
        if not scheme and ":" in value and not value.startswith(("http:", "https:", "urn:")):
            scheme, value = value.split(":", 1)
        if value and scheme and scheme not in {"calibre", "uuid"}:
            found.setdefault(scheme, value)
    return found


def _story_rating(opf: etree._Element) -> str | None:
    """A custom column whose name is "rating" (FanFicFare's calibre plugin keeps AO3's there) and
    whose value is a story rating; calibre's own stars are not one."""
    from .ratings import rating_level

    for m in opf.iterfind(".//opf:metadata/opf:meta", _NS):
        if not (m.get("name") or "").startswith("calibre:user_metadata:"):
            continue
        try:
            column = json.loads(m.get("content") or "{}")
        except json.JSONDecodeError:
            continue
        value = column.get("#value#") if isinstance(column, dict) else None
        named = str(column.get("name", "")) + " " + str(column.get("label", "")) if isinstance(column, dict) else ""
        if isinstance(value, str) and re.search(r"\brating\b", named, re.I) and rating_level(value) is not None:
            return value
    return None

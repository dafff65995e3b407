"""What an EPUB declares about its own structure: nav document, NCX and OPF guide -> `Navigation`.

Input: the parsed navigation documents (lxml trees, XML or HTML) and the folders they live in.
Output: a frozen `Navigation`: the table of contents as `NavPoint` trees, the landmarks (EPUB 3
landmarks nav and the EPUB 2 guide, one list), and the page targets (EPUB 3 page-list, NCX
pageList). Every target is a `Target` (a path inside the archive and a fragment); an href that
leaves the archive or names another site is no target. Nothing here reads a content document.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from lxml import etree

OPS = "http://www.idpf.org/2007/ops"
_NCX = "{http://www.daisy.org/z3986/2005/ncx/}"
_OPF = "{http://www.idpf.org/2007/opf}"


@dataclass(frozen=True)
class Target:
    """A place in the book: a content document's path in the archive, and an id in it ("" = its start)."""

    path: str
    fragment: str = ""


@dataclass(frozen=True)
class NavPoint:
    """One entry of the table of contents, with the entries nested under it."""

    title: str
    target: Target | None            # None: a label that groups entries and links nowhere (a <span>)
    children: tuple[NavPoint, ...] = ()
    hidden: bool = False             # in a branch the book hides from readers (`hidden`)
    kind: str = ""                   # what the nav calls it: epub:type on the link, or the NCX class


@dataclass(frozen=True)
class Landmark:
    """A place the book names: `kind` is an EPUB 3 landmarks epub:type or an EPUB 2 guide type."""

    kind: str
    target: Target
    title: str = ""


@dataclass(frozen=True)
class Navigation:
    toc: tuple[NavPoint, ...] = ()
    landmarks: tuple[Landmark, ...] = ()
    pages: frozenset[Target] = frozenset()

    def flat(self) -> list[tuple[NavPoint, int]]:
        """Every entry of the contents with its depth, in the order the nav gives them."""
        out: list[tuple[NavPoint, int]] = []

        def walk(points: tuple[NavPoint, ...], depth: int) -> None:
            for point in points:
                out.append((point, depth))
                walk(point.children, depth + 1)
        walk(self.toc, 0)
        return out


def resolve(folder: str, href: str | None) -> Target | None:
    """An href of a document in `folder` -> the Target it names, or None (another site, outside the book)."""
    if not href or not href.strip():
        return None
    parts = urlsplit(href.strip())
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    joined = posixpath.normpath(posixpath.join(folder, path)) if path else folder
    if joined.startswith("../") or joined == ".." or joined.startswith("/"):
        return None
    return Target(joined, unquote(parts.fragment))


def _local(el: etree._Element) -> str:
    """The tag without its namespace, lower case ("" for comments); HTML parsing of broken markup
    gives tag names no XML name would be ("li<"), which are only compared."""
    return el.tag.rsplit("}", 1)[-1].lower() if isinstance(el.tag, str) else ""


def epub_types(el: etree._Element) -> list[str]:
    """The element's epub:type values, whether the document was parsed as XML (namespaced) or as HTML."""
    value = el.get(f"{{{OPS}}}type") or el.get("epub:type") or ""
    return value.lower().split()


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if _local(c) == name]


def _text(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


# ---------------------------------------------------------------- EPUB 3 navigation document
# EPUB 3.3 Packages §7 (The EPUB navigation document): <nav epub:type="toc|landmarks|page-list">,
# each an <ol> of <li>, an <li> holding an <a href> (or a <span> heading) and perhaps a nested <ol>.
def read_nav(root: etree._Element, folder: str) -> Navigation:
    navs = [el for el in root.iter() if _local(el) == "nav"]
    toc, landmarks, pages = (), (), set()
    for nav in navs:
        kinds = epub_types(nav)
        lists = _children(nav, "ol") or [el for el in nav.iter() if _local(el) == "ol"][:1]
        if not lists:
            continue
        if "toc" in kinds and not toc:  # a hidden toc nav is still the book's contents, only not shown
            toc = _nav_points(lists[0], folder, False)
        elif "landmarks" in kinds:
            landmarks = tuple(Landmark(kind, target, _text(a)) for a in lists[0].iter() if _local(a) == "a"
                              for target in [resolve(folder, a.get("href"))] if target
                              for kind in epub_types(a)[:1])
        elif "page-list" in kinds:
            pages |= {t for a in lists[0].iter() if _local(a) == "a" and (t := resolve(folder, a.get("href")))}
    return Navigation(toc, landmarks, frozenset(pages))


def _is_hidden(el: etree._Element) -> bool:
    return el.get("hidden") is not None


def _nav_points(ol: etree._Element, folder: str, hidden: bool) -> tuple[NavPoint, ...]:
    hidden = hidden or _is_hidden(ol)
    points = []
    for li in _children(ol, "li"):
        label = next((c for c in li if _local(c) in {"a", "span"}), None)
        nested = next((c for c in li if _local(c) == "ol"), None)
        children = _nav_points(nested, folder, hidden or _is_hidden(li)) if nested is not None else ()
        target = resolve(folder, label.get("href")) if label is not None and _local(label) == "a" else None
        kind = " ".join(epub_types(label)) if label is not None else ""
        points.append(NavPoint(_text(label), target, children, hidden or _is_hidden(li), kind))
    return tuple(points)


# ---------------------------------------------------------------- EPUB 2 NCX
# NCX (ANSI/NISO Z39.86-2005, as OPF 2.0.1 §2.4.1 uses it): navMap/navPoint with navLabel/text,
# content@src and nested navPoints; pageList/pageTarget for the printed book's pages.
def read_ncx(root: etree._Element, folder: str) -> Navigation:
    nav_map = root.find(f"{_NCX}navMap")
    toc = _ncx_points(nav_map, folder) if nav_map is not None else ()
    pages = {t for content in root.iterfind(f"{_NCX}pageList/{_NCX}pageTarget/{_NCX}content")
             if (t := resolve(folder, content.get("src")))}
    return Navigation(toc, (), frozenset(pages))


def _ncx_points(parent: etree._Element, folder: str) -> tuple[NavPoint, ...]:
    points = []
    for point in parent.iterfind(f"{_NCX}navPoint"):
        content = point.find(f"{_NCX}content")
        target = resolve(folder, content.get("src")) if content is not None else None
        title = _text(point.find(f"{_NCX}navLabel/{_NCX}text"))
        points.append(NavPoint(title, target, _ncx_points(point, folder), False, (point.get("class") or "").lower()))
    return tuple(points)


# ---------------------------------------------------------------- EPUB 2 guide
# OPF 2.0.1 §2.6: <guide><reference type="cover|title-page|toc|text|copyright-page|colophon|…"
# href title/></guide>; "other." types are the publisher's own.
def read_guide(opf: etree._Element, folder: str) -> tuple[Landmark, ...]:
    refs = opf.iterfind(f"{_OPF}guide/{_OPF}reference")
    return tuple(Landmark(re.sub(r"^other\.", "", (ref.get("type") or "").lower()), target, ref.get("title") or "")
                 for ref in refs if (target := resolve(folder, ref.get("href"))))


def combine(nav: Navigation | None, ncx: Navigation | None, guide: tuple[Landmark, ...]) -> Navigation:
    """The nav document's contents where it has one, else the NCX's; landmarks from both the nav
    and the guide (EPUB 3.3 keeps the guide for EPUB 2 reading systems); pages from both."""
    nav, ncx = nav or Navigation(), ncx or Navigation()
    toc = nav.toc or ncx.toc
    return Navigation(toc, nav.landmarks + guide, nav.pages | ncx.pages)

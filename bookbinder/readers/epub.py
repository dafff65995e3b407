"""Read an EPUB (2 or 3) back into a story: AO3 and FanFicFare downloads, or any other book.

The archive is untrusted. Nothing is extracted to disk; entries are read in memory with limits:
names that climb out of the archive (`../`, absolute paths) are refused, and so is an archive
whose entries would expand past `MAX_EXPANDED` bytes (a zip bomb) or one entry past `MAX_ENTRY`,
counting the bytes actually inflated, not what the zip claims. XML is parsed without DTDs,
entities or network access. Every failure is one `InputError` naming the file.

Reading trusts what the file declares first, then house habits, then guesses. The package's
metadata (`epubmeta`) is the story's; the navigation (`epubnav`: nav document, NCX, guide) says
where pieces start. The spine's documents are sanitized one by one (page numbers out). Downloads
of the sites whose layouts bookbinder knows (AO3, FanFicFare: readers/sites) are joined into one
page and read by their layout. Any other book loses Project Gutenberg's header and licence
(`epubgutenberg`), is cut where its navigation says pieces start (`epubsplit`), each piece is
told front matter, chapter, divider or back matter (`epubplan`) and read so (`epubbook`); where
the plan names too little of the text, the rest is read as one page. Images the documents use
are taken from the archive itself, never fetched.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote

from lxml import etree

from ..errors import InputError
from ..images import inspect_image
from ..model import Diagnostic, Image, Note, Story, image_name
from .decode import clean_text
from .epubbook import read_pieces, usable
from .epubgutenberg import strip_gutenberg_documents
from .epubmeta import package_fields
from .epubown import read_own
from .epubnav import Navigation, combine, read_guide, read_nav, read_ncx
from .epubplan import FURNITURE, Book, DocInfo, declared_kind, file_kind, plan
from .epubsplit import prepare, split_documents
from .fields import FieldSet
from .html import Page, block_text, decode_html, parse_page, units_of
from .htmltree import parse_html
from .page import read_page
from .sites import of_kind
from .structure import body_blocks
from .svg import sanitize_svg
from .zipped import MAX_ENTRIES, MAX_ENTRY, MAX_EXPANDED, Zipped  # noqa: F401 - the limits, for the docs and tests

_NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
       "c": "urn:oasis:names:tc:opendocument:xmlns:container"}
_SKIP_TYPES = {"cover", "titlepage", "toc", "landmarks", "loi", "lot", "copyright-page", "colophon", "imprint"}
_IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/svg+xml", "image/webp"}


class _Archive(Zipped):
    """The EPUB's entries, within the limits every zip bookbinder reads keeps (`zipped.Zipped`)."""

    def __init__(self, data: bytes, source: str) -> None:
        super().__init__(data, source, "EPUB", dtd_refused=())


@dataclass(frozen=True)
class _Item:
    """A spine item (OPF 2.0.1 §2.4, EPUB 3.3 Packages §5.7): a content document in reading order."""

    path: str
    media: str
    properties: str
    linear: bool


@dataclass
class _Document:
    path: str
    page: Page
    linear: bool


def read_epub_stories(data: bytes, source: str) -> tuple[Story, ...]:
    """EPUB bytes -> the stories it holds: each story of a book bookbinder made (`epubown`), else
    the one story `read_epub` reads."""
    archive = _Archive(data, source)
    opf_path = _package_path(archive)
    opf, base = archive.xml(opf_path), posixpath.dirname(opf_path)
    manifest = _manifest(opf, base)
    images = _ImageLoader(archive, {path: media for path, media, _ in manifest.values()})
    own = read_own([item.path for item in _spine(opf, manifest)], archive.xml,
                   lambda folder, src, alt: images.load(images.resolve(folder, src), alt), source,
                   tuple(_texts(opf, ".//dc:creator")))
    return own or (_read(archive, source, opf, base, manifest),)


def read_epub(data: bytes, source: str) -> Story:
    """EPUB bytes -> Story: the package's metadata first, then the layouts of the sites whose
    downloads keep their own habits (AO3, FanFicFare), else the structure the book declares."""
    archive = _Archive(data, source)
    opf_path = _package_path(archive)
    opf, base = archive.xml(opf_path), posixpath.dirname(opf_path)
    return _read(archive, source, opf, base, _manifest(opf, base))


def _read(archive: _Archive, source: str, opf: etree._Element, base: str, manifest: dict) -> Story:
    fields = package_fields(opf)
    nav = _navigation(archive, opf, base, manifest)
    diagnostics: list[Diagnostic] = []
    _navigation_said(archive, _nav_path(manifest), diagnostics)
    images = _ImageLoader(archive, {path: media for path, media, _ in manifest.values()})
    docs = _documents(archive, _spine(opf, manifest), nav, images, diagnostics)
    if not docs:
        raise InputError("is an EPUB with no readable text documents", source)
    if any(layout.matches(d.page) for layout in of_kind("html") for d in docs):
        return _by_layout(docs, fields, source, diagnostics, images)
    return _declared(docs, nav, fields, source, diagnostics, images)


def _texts(opf: etree._Element, path: str) -> list[str]:
    return [" ".join(e.text.split()) for e in opf.iterfind(path, _NS) if e.text and e.text.strip()]


def _package_path(archive: _Archive) -> str:
    container = archive.xml("META-INF/container.xml")
    rootfile = container.find(".//c:rootfile", _NS)
    opf_path = rootfile.get("full-path") if rootfile is not None else None
    if not opf_path:
        raise InputError("is a broken EPUB: META-INF/container.xml names no package document", archive.source)
    return opf_path


def _manifest(opf: etree._Element, base: str) -> dict[str, tuple[str, str, str]]:
    """id -> (path in the archive, media type, properties)."""
    manifest = {}
    for item in opf.iterfind(".//opf:manifest/opf:item", _NS):
        href = posixpath.normpath(posixpath.join(base, unquote(item.get("href", ""))))
        manifest[item.get("id")] = (href, item.get("media-type", ""), item.get("properties", ""))
    return manifest


def _spine(opf: etree._Element, manifest: dict[str, tuple[str, str, str]]) -> list[_Item]:
    items = []
    for ref in opf.iterfind(".//opf:spine/opf:itemref", _NS):
        href, media, props = manifest.get(ref.get("idref"), (None, "", ""))
        if href is not None and "html" in media:
            items.append(_Item(href, media, props, ref.get("linear", "yes").strip().lower() != "no"))
    return items


def _nav_path(manifest: dict[str, tuple[str, str, str]]) -> str | None:
    return next((href for href, _, props in manifest.values() if "nav" in props.split()), None)


def _navigation(archive: _Archive, opf: etree._Element, base: str, manifest: dict) -> Navigation:
    """EPUB 3.3 Packages §5.6.6: the manifest item with the "nav" property is the navigation
    document; OPF 2.0.1 §2.4.1: the spine's toc attribute (or the NCX media type) names the NCX."""
    nav_path = _nav_path(manifest)
    spine = opf.find(".//opf:spine", _NS)
    ncx_id = spine.get("toc") if spine is not None else None
    ncx_path = manifest[ncx_id][0] if ncx_id in manifest else next(
        (href for href, media, _ in manifest.values() if media == "application/x-dtbncx+xml"), None)
    nav = _optional(archive, nav_path, True, lambda root: read_nav(root, posixpath.dirname(nav_path)))
    ncx = _optional(archive, ncx_path, False, lambda root: read_ncx(root, posixpath.dirname(ncx_path)))
    return combine(nav, ncx, read_guide(opf, base))


def _optional(archive: _Archive, path: str | None, html: bool, read) -> Navigation | None:
    """A navigation file read, or None where it is missing or broken: the text can be read without
    it. A nav document that is not well-formed XML (an HTML entity) is read as HTML is."""
    if not path:
        return None
    try:
        return read(archive.xml(path))
    except InputError as exc:
        if "not safe" in exc.detail or "encrypted" in exc.detail or not html or "missing" in exc.detail:
            return _refuse_unsafe(exc)
        try:
            return read(_html_root(archive, path))
        except InputError as again:
            return _refuse_unsafe(again)


def _html_root(archive: _Archive, path: str) -> etree._Element:
    """A document of the archive parsed as HTML (not sanitized: only read, never kept)."""
    data = archive.read(path)
    try:
        text = decode_html(data, archive.source)[0]
    except InputError:  # a NUL byte: the navigation is still read, leniently, as it is only looked at
        text = clean_text(data.decode("utf-8", errors="replace"))
    return parse_html(re.sub(r"^\s*<\?[^>]*>", "", text), archive.source, [])


def _refuse_unsafe(exc: InputError) -> None:
    if "not safe" in exc.detail or "encrypted" in exc.detail:
        raise exc
    return None


def _documents(archive: _Archive, spine: list[_Item], nav: Navigation, images: _ImageLoader,
               diagnostics: list[Diagnostic]) -> list[_Document]:
    """The spine's content documents parsed and sanitized, page numbers out (said once), images
    named inside the archive. The navigation document is read as the book's structure, not text."""
    docs, numbers = [], []
    for item in spine:
        if "nav" in item.properties.split():
            continue
        pages = {t.fragment for t in nav.pages if t.path == item.path}
        page = parse_page(decode_html(archive.read(item.path), archive.source)[0], archive.source,
                          prepare(pages, numbers))
        for img in page.body.iter("img"):
            img.set("src", images.resolve(posixpath.dirname(item.path), img.get("src") or ""))
        docs.append(_Document(item.path, page, item.linear))
    numbers = [n for n in numbers if n]
    if numbers:
        diagnostics.append(Diagnostic("page-numbers-dropped", f"{len(numbers)} page numbers of the printed book "
                                      "taken out of the text (the book marks them as page breaks)", " ".join(numbers)))
    return docs


def _navigation_said(archive: _Archive, path: str | None, diagnostics: list[Diagnostic]) -> None:
    """The navigation document's words, said: it is the book's contents, read as its structure."""
    if not path:
        return
    try:
        root = _html_root(archive, path)
    except InputError as exc:
        return _refuse_unsafe(exc)
    body = root.find("body")
    for hidden in list(body.iter("script", "style", "template")) if body is not None else []:
        hidden.drop_tree()
    said = " ".join(block_text(body).split()) if body is not None else ""
    if said:
        diagnostics.append(Diagnostic("contents-dropped", f"{path}: the book's navigation document (contents, "
                                      "landmarks, page list) read as its structure, not as its text", said))


def _by_layout(docs: list[_Document], fields: FieldSet, source: str, diagnostics: list[Diagnostic],
               images: _ImageLoader) -> Story:
    """AO3's and FanFicFare's downloads: their documents joined into one page, read by the site's
    layout (readers/sites), the package's metadata filling what the pages do not state."""
    body = etree.Element("body")
    for doc in docs:
        page = doc.page
        if page.types & _SKIP_TYPES and "chapter" not in page.types:
            diagnostics.append(Diagnostic("cruft-dropped", f"{doc.path}: the book's own {sorted(page.types)[0]} "
                                          "page dropped", " ".join(block_text(page.body).split())))
            continue
        diagnostics += page.diagnostics
        wrapper = etree.SubElement(body, "div", {"class": f"{page.body_class} epub-document".strip()})
        wrapper.text = page.body.text  # text before the first element (a document that opens mid-paragraph)
        wrapper.extend(list(page.body))
    page = Page(body=body, title=fields.title, lang=fields.language)
    return read_page(page, source, diagnostics, images.load, fields)


def _declared(docs: list[_Document], nav: Navigation, fields: FieldSet, source: str,
              diagnostics: list[Diagnostic], images: _ImageLoader) -> Story:
    """Any other EPUB: Project Gutenberg's furniture out, the documents cut where the navigation
    and landmarks say pieces start, each piece read for what it is (`epubplan`, `epubbook`); where
    the plan names too little, the text it leaves is read as one page, as a page is read."""
    stated = FieldSet(title=fields.title, authors=list(fields.authors), language=fields.language)
    for doc in docs:
        diagnostics += doc.page.diagnostics
    linear = [d for d in docs if d.linear] or docs
    _auxiliary([d for d in docs if d not in linear], fields, diagnostics, images)
    found = FieldSet()
    strip_gutenberg_documents([d.page.body for d in linear], found, diagnostics)
    _fill(fields, found)
    places = {p.target for p, _ in nav.flat() if p.target} | {m.target for m in nav.landmarks}
    segments, at = split_documents([d.page.body for d in linear], [d.path for d in linear], places)
    names = tuple(n for n in (fields.title, *fields.authors) if n)
    book = Book(segments, at, nav, [DocInfo(d.path, d.page.body_class) for d in linear], names)
    pieces = plan(book)
    story, text = read_pieces(book, pieces, fields, source, diagnostics, images.load, usable(book, pieces))
    if story is None:
        body = etree.Element("body")
        body.extend(text)
        page = Page(body=body, title=fields.title, lang=fields.language)
        story = read_page(page, source, diagnostics, images.load, fields)
    return _stated(story, stated)


def _fill(fields: FieldSet, found: FieldSet) -> None:
    """What a Project Gutenberg header states fills what the package did not."""
    for name, value in vars(found).items():
        if value and not getattr(fields, name):
            setattr(fields, name, value)


def _stated(story: Story, stated: FieldSet) -> Story:
    """The package's title, authors and language over what the pages said (declared first); a
    title or author the text gave that the package's replaces is said, not lost."""
    changes = {name: value for name, value in (("title", stated.title), ("language", stated.language),
                                               ("authors", tuple(stated.authors))) if value}
    for name in ("title", "authors"):
        was = getattr(story.meta, name)
        if name in changes and was and was != changes[name]:
            said = was if isinstance(was, str) else ", ".join(was)
            story = story.diagnose("header-field", f"the package's {name} stated over the text's", said)
    return story.with_(meta=story.meta.with_(**changes)) if changes else story


def _auxiliary(docs: list[_Document], fields: FieldSet, diagnostics: list[Diagnostic], images: _ImageLoader) -> None:
    """Documents out of the reading order (spine linear="no", EPUB 3.3 Packages §5.7.2): a cover or
    a contents page is dropped and said; anything else with text (notes a link leads to) is an end note."""
    for doc in docs:
        units = units_of([doc.page.body], diagnostics, images.load)
        if not units:
            continue
        kind = declared_kind(" ".join(sorted(doc.page.types))) or file_kind(doc.path)
        text = " ".join(u.text for u in units)
        if kind in FURNITURE:
            diagnostics.append(Diagnostic("cruft-dropped", f"{doc.path}: the book's own {kind} page, out of the "
                                          "reading order, dropped", text))
            continue
        blocks = body_blocks([units], diagnostics, edge_notes=False)[0][1]
        fields.end_notes.append(Note(blocks, doc.page.title or "Notes"))
        diagnostics.append(Diagnostic("back-matter-moved", f"{doc.path}: a document out of the reading order "
                                      "kept as an end note", text))


class _ImageLoader:
    """Images from inside the archive, by their path; anything else is not an image of the book."""

    def __init__(self, archive: _Archive, media: dict[str, str]) -> None:
        self.archive, self.media = archive, media

    @staticmethod
    def resolve(folder: str, src: str) -> str:
        """A document's relative src -> "epub:<path in the archive>"; other URLs stay as they are."""
        if not src or re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I):
            return src  # remote: never fetched
        return "epub:" + posixpath.normpath(posixpath.join(folder, src.split("#")[0]))

    def load(self, src: str, alt: str) -> Image | None:
        if not src.startswith("epub:"):
            return None
        path = src[5:]
        media = self.media.get(path)
        if media not in _IMAGE_TYPES:
            return None
        data = self.archive.read(path)
        if media == "image/svg+xml":
            data = sanitize_svg(data)  # an SVG is a document that can act: only its drawing is kept
            if data is None:
                return None
        else:  # ValueError for a bomb (its header states its size); the type is what the bytes are
            media = inspect_image(data, decode=False).media_type
        return Image(image_name(data, media), media, data, alt)

"""Read an EPUB (2 or 3) back into a story: AO3 and FanFicFare downloads, or any other book.

The archive is untrusted. Nothing is extracted to disk; entries are read in memory with limits:
names that climb out of the archive (`../`, absolute paths) are refused, and so is an archive
whose entries would expand past `MAX_EXPANDED` bytes (a zip bomb) or one entry past `MAX_ENTRY`,
counting the bytes actually inflated, not what the zip claims. XML is parsed without DTDs,
entities or network access. Every failure is one `InputError` naming the file.

The spine's documents are sanitized one by one and joined, in order, into one page, which the
HTML layouts (AO3, FanFicFare, generic) then read; the package's own metadata fills what the
pages do not state. Images the documents use are taken from the archive itself, never fetched.
"""
from __future__ import annotations

import io
import lzma
import posixpath
import re
import struct
import zipfile
import zlib

from lxml import etree

from ..errors import InputError
from ..images import inspect_image
from ..model import Diagnostic, Image, Story, image_name
from .fields import FieldSet, parse_date, parse_language
from .html import Page, block_text, decode_html, parse_page, text_of
from .inline import paragraph
from .page import read_page
from .svg import sanitize_svg

# What real stories need, with room to spare: the largest real document seen is an AO3 download
# of an 800,000-word work, 5 MB of XHTML (calibre and FanFicFare split books into far smaller
# files), and reading costs about 60 MB of memory per MB of real HTML.
MAX_EXPANDED = 128 * 1024 * 1024
MAX_ENTRY = 16 * 1024 * 1024
MAX_ENTRIES = 10_000
_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                       remove_comments=True)
_NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
       "c": "urn:oasis:names:tc:opendocument:xmlns:container"}
_SKIP_TYPES = {"cover", "titlepage", "toc", "landmarks", "loi", "lot", "copyright-page", "colophon", "imprint"}
_IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/svg+xml", "image/webp"}


class _Archive:
    def __init__(self, data: bytes, source: str) -> None:
        self.source = source
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError, struct.error) as exc:
            raise InputError(f"is not a readable EPUB ({exc})", source) from None
        infos = self.zip.infolist()
        if len(infos) > MAX_ENTRIES:
            raise InputError(f"is not a safe EPUB: {len(infos)} entries in the archive", source)
        for info in infos:
            parts = info.filename.replace("\\", "/").split("/")
            if info.filename.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", info.filename):
                raise InputError(f"is not a safe EPUB: entry {info.filename!r} points outside the book", source)
        large = next((i for i in infos if i.file_size > MAX_ENTRY), None)
        if large is not None:
            raise InputError(f"is not a safe EPUB: {large.filename!r} would expand to more than {MAX_ENTRY >> 20} MB",
                             source)
        if sum(i.file_size for i in infos) > MAX_EXPANDED:
            raise InputError(f"is not a safe EPUB: it would expand to more than {MAX_EXPANDED >> 20} MB", source)
        self.expanded = 0

    def read(self, name: str) -> bytes:
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise InputError(f"is a broken EPUB: {name!r} is missing from the archive", self.source) from None
        out = bytearray()
        try:
            with self.zip.open(info) as stream:
                while chunk := stream.read(1 << 16):
                    out += chunk
                    self.expanded += len(chunk)
                    if len(out) > MAX_ENTRY or self.expanded > MAX_EXPANDED:
                        raise InputError(f"is not a safe EPUB: {name!r} expands past the size limit", self.source)
        except RuntimeError as exc:  # zipfile's word for an encrypted entry
            raise InputError(f"is an encrypted EPUB: {name!r} needs a password ({exc})", self.source) from None
        except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, NotImplementedError,
                ValueError) as exc:
            raise InputError(f"is a broken EPUB: {name!r} cannot be read ({exc})", self.source) from None
        return bytes(out)

    def xml(self, name: str) -> etree._Element:
        try:
            return etree.fromstring(self.read(name), _XML)
        except etree.XMLSyntaxError as exc:
            said = " ".join(str(exc.msg).split())  # libxml2's message may hold a line break
            raise InputError(f"is a broken EPUB: {name} is not well-formed XML ({said})", self.source) from None


def read_epub(data: bytes, source: str) -> Story:
    archive = _Archive(data, source)
    container = archive.xml("META-INF/container.xml")
    rootfile = container.find(".//c:rootfile", _NS)
    opf_path = rootfile.get("full-path") if rootfile is not None else None
    if not opf_path:
        raise InputError("is a broken EPUB: META-INF/container.xml names no package document", source)
    opf = archive.xml(opf_path)
    base = posixpath.dirname(opf_path)
    manifest = {}
    for item in opf.iterfind(".//opf:manifest/opf:item", _NS):
        href = posixpath.normpath(posixpath.join(base, item.get("href", "")))
        manifest[item.get("id")] = (href, item.get("media-type", ""), item.get("properties", ""))
    by_href = {href: media for href, media, _ in manifest.values()}
    diagnostics: list[Diagnostic] = []
    body = etree.Element("body")
    images = _ImageLoader(archive, by_href)
    for ref in opf.iterfind(".//opf:spine/opf:itemref", _NS):
        href, media, props = manifest.get(ref.get("idref"), (None, "", ""))
        if href is None or "nav" in props.split() or "html" not in media:
            continue
        page = parse_page(decode_html(archive.read(href), source)[0], source)
        if page.types & _SKIP_TYPES and "chapter" not in page.types:
            diagnostics.append(Diagnostic("cruft-dropped", f"{href}: the book's own {sorted(page.types)[0]} page "
                                          "dropped", " ".join(block_text(page.body).split())))
            continue
        diagnostics += page.diagnostics
        wrapper = etree.SubElement(body, "div", {"class": f"{page.body_class} epub-document".strip()})
        for img in page.body.iter("img"):
            img.set("src", images.resolve(posixpath.dirname(href), img.get("src") or ""))
        wrapper.text = page.body.text  # text before the first element (a document that opens mid-paragraph)
        wrapper.extend(list(page.body))
    if not len(body):
        raise InputError("is an EPUB with no readable text documents", source)
    fields = package_fields(opf)
    page = Page(body=body, title=fields.title, lang=fields.language)
    return read_page(page, source, diagnostics, images.load, fields)


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


def package_fields(opf: etree._Element) -> FieldSet:
    """An OPF package document's metadata (also a MOBI 7 book's) -> FieldSet."""
    fs = FieldSet()
    meta = opf.find(".//opf:metadata", _NS)
    if meta is None:
        return fs

    def texts(tag: str) -> list[str]:
        return [" ".join((e.text or "").split()) for e in meta.iterfind(f"dc:{tag}", _NS) if (e.text or "").strip()]

    fs.title = next(iter(texts("title")), None)
    fs.authors = texts("creator")
    fs.language = parse_language(next(iter(texts("language")), "")) or None
    dates = texts("date")
    fs.published = parse_date(dates[0]) if dates else None
    fs.tags = [s for s in texts("subject") if not re.match(r"(last update|in-progress|completed)", s, re.I)]
    described = next(iter(texts("description")), None)
    if described:
        text = text_of(parse_page(described, "").body) if "<" in described else described
        fs.summary = [paragraph(text)]
    return fs

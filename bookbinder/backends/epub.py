"""The EPUB backend: Book -> EPUB 3 bytes (with NCX for older readers), written with ebooklib.

Every content document is built by `bookbinder.render` (so the PDF shows the same XHTML) and
handed to ebooklib as a plain `EpubItem`: ebooklib's `EpubHtml` would re-parse it with an HTML
parser and rebuild its head. The zip ebooklib writes is then repacked with fixed timestamps so
identical inputs give byte-identical books.
"""
from __future__ import annotations

import io
from importlib import resources

from ebooklib import epub
from lxml import etree

from ..book import Book, TocEntry
from .frontmatter import BookDocument, book_documents
from .output import build_time, stable_zip

STYLESHEETS = ("base.css", "epub.css")


def stylesheet(name: str) -> bytes:
    return resources.files("bookbinder.styles").joinpath(name).read_bytes()


def epub_bytes(book: Book) -> bytes:
    when = build_time(book.newest_input)
    ebook = epub.EpubBook()
    ebook.set_identifier(book.identifier)
    ebook.set_title(book.title)
    ebook.set_language(book.language)
    docs = book_documents(book, [f"../styles/{n}" for n in STYLESHEETS])
    _metadata(ebook, book, has_images=any(doc.resources for doc in docs))
    for name in STYLESHEETS:
        ebook.add_item(epub.EpubItem(uid=f"css-{name[:-4]}", file_name=f"styles/{name}",
                                     media_type="text/css", content=stylesheet(name)))
    items = [_add_document(ebook, doc) for doc in docs]
    for extra in {d.name: d for doc in docs for d in doc.resources}.values():  # an image two stories share: once
        ebook.add_item(epub.EpubItem(uid=extra.uid, file_name=extra.name, media_type=extra.media_type,
                                     content=extra.data))
        if extra.cover:
            ebook.items[-1].properties = ["cover-image"]
    ebook.toc = [_toc(entry) for doc in docs for entry in doc.toc]
    ebook.add_item(epub.EpubNcx())
    nav = epub.EpubNav(file_name="nav.xhtml")
    ebook.add_item(nav)
    ebook.spine = [items[0], nav, *items[1:]] if docs[0].kind == "cover" else [nav, *items]
    ebook.guide = [{"type": d.landmark, "href": d.name, "title": d.landmark_title} for d in docs if d.landmark]
    buffer = io.BytesIO()
    # ebooklib's own zip is only an intermediate (repacked below), so it need not compress.
    epub.write_epub(buffer, ebook, {"mtime": when.replace(tzinfo=None), "epub2_guide": False, "compresslevel": 0,
                                    "landmark_title": "Landmarks", "raise_exceptions": True})
    return stable_zip(buffer.getvalue(), when, {"EPUB/content.opf": lambda opf: _package_language(opf, book.language)})


def _package_language(opf: bytes, language: str) -> bytes:
    """xml:lang on <package>: reading systems and Ace take the book's language from there."""
    root = etree.fromstring(opf)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _add_document(ebook: epub.EpubBook, doc: BookDocument) -> epub.EpubItem:
    item = epub.EpubItem(uid=doc.uid, file_name=doc.name, media_type="application/xhtml+xml",
                         content=doc.content)
    ebook.add_item(item)
    return item


def _toc(entry: TocEntry):
    if not entry.children:
        return epub.Link(entry.href, entry.title, _uid(entry.href))
    return (epub.Section(entry.title, entry.href), [_toc(c) for c in entry.children])


def _uid(href: str) -> str:
    return "toc-" + "".join(c if c.isalnum() else "-" for c in href)


def _metadata(ebook: epub.EpubBook, book: Book, has_images: bool) -> None:
    for number, author in enumerate(book.authors, 1):
        ebook.add_author(author, uid=f"creator-{number}")  # ebooklib's default id repeats
    for editor in book.editors:
        ebook.add_metadata("DC", "contributor", editor)
    subjects: dict[str, None] = {}
    for story in book.stories:
        meta = story.meta
        for value in [*meta.fandoms, *(str(p) for p in meta.pairings), *meta.tags]:
            subjects.setdefault(value)
    for subject in subjects:
        ebook.add_metadata("DC", "subject", subject)
    if len(book.stories) == 1 and book.stories[0].meta.summary:
        ebook.add_metadata("DC", "description", "\n\n".join(b.text for b in book.stories[0].meta.summary))
    elif book.is_anthology:
        ebook.add_metadata("DC", "description", book.count_line + (f": {book.collection}." if book.collection else "."))
    ebook.add_metadata("DC", "publisher", "bookbinder")
    for name, value in _accessibility(has_images):
        ebook.add_metadata(None, "meta", value, {"property": name})


def _accessibility(has_images: bool) -> list[tuple[str, str]]:
    """schema.org accessibility metadata that says what this book really holds."""
    summary = ("A reflowable text book with a navigable table of contents, semantic structure (chapters, "
               "notes, scene breaks) and a logical reading order.")
    pairs = [("schema:accessMode", "textual")]
    if has_images:
        pairs.append(("schema:accessMode", "visual"))
        summary += " Every image has a text alternative; the cover repeats the title page."
    pairs += [("schema:accessModeSufficient", "textual"),
              ("schema:accessibilityFeature", "structuralNavigation"),
              ("schema:accessibilityFeature", "tableOfContents"),
              ("schema:accessibilityFeature", "readingOrder")]
    if has_images:
        pairs.append(("schema:accessibilityFeature", "alternativeText"))
    return pairs + [("schema:accessibilityHazard", "none"), ("schema:accessibilitySummary", summary)]

"""The EPUB package's own parts: BookPlan -> the OPF's metadata, the navigation document, the guide.

Metadata is written as calibre and EPUB 3 reading systems read it: `dc:date` (published) and
`dcterms:modified` (updated), `dc:identifier` (the work's address and site id, as calibre's
"scheme:value") beside the book's own urn:uuid, `dc:source`, the series both as EPUB 3's
`belongs-to-collection` with `group-position` and as calibre's `calibre:series`, one `dc:subject`
a tag, the summary as `dc:description`; and EPUB 2's `<meta name="cover">` and `<guide>` beside
EPUB 3's cover-image and landmarks, for older readers and Kindle conversions.

The navigation document is written here (not by ebooklib): out of the reading order, styled as
the book, its landmarks hidden (EPUB 3.3 §7.4: a reading system still finds them).
"""
from __future__ import annotations

from ebooklib import epub
from lxml import etree

from ..compose import BookPlan, Entry, Target
from ..render import E, EPUB_TYPE, document, serialize
from ..version import __version__

NAV_FILE = "nav.xhtml"
# EPUB 3 landmarks -> EPUB 2 guide types (OPF 2.0.1 §2.6); the credits have no guide type.
_GUIDE = {"cover": "cover", "titlepage": "title-page", "toc": "toc", "bodymatter": "text"}


def opf_metadata(ebook: epub.EpubBook, plan: BookPlan, cover_id: str | None) -> None:
    meta = plan.metadata
    ebook.set_unique_metadata("OPF", "generator", "", {"name": "generator", "content": f"bookbinder {__version__}"})
    for number, author in enumerate(meta.authors, 1):
        ebook.add_author(author, uid=f"creator-{number}")  # ebooklib's default id repeats
    for editor in meta.editors:
        ebook.add_metadata("DC", "contributor", editor)
    for scheme, value in meta.identifiers:
        # calibre reads "scheme:value" (it ignores a bare http identifier); ids must be unique in the OPF
        ebook.add_metadata("DC", "identifier", f"{scheme}:{value}", {"id": f"id-{scheme}"})
    for source in meta.sources:
        ebook.add_metadata("DC", "source", source)
    for subject in meta.subjects:
        ebook.add_metadata("DC", "subject", subject)
    if meta.description:
        ebook.add_metadata("DC", "description", meta.description)
    ebook.add_metadata("DC", "publisher", meta.publisher)
    if meta.date:
        # With its time: calibre reads a bare date as "a date, the day unsure" and moves the 1st to the 2nd.
        ebook.add_metadata("DC", "date", f"{meta.date}T00:00:00Z" if len(meta.date) == 10 else meta.date)
    _series(ebook, meta.series, meta.series_index)
    if cover_id:
        ebook.add_metadata(None, "meta", "", {"name": "cover", "content": cover_id})  # EPUB 2's cover, for Kindles
    for name, value in accessibility(has_images=bool(plan.resources)):
        ebook.add_metadata(None, "meta", value, {"property": name})


def _series(ebook: epub.EpubBook, series: str | None, index: str | None) -> None:
    """EPUB 3's collection (Apple Books, Kobo, calibre) and calibre's own meta (calibre, KOReader)."""
    if not series:
        return
    ebook.add_metadata(None, "meta", series, {"property": "belongs-to-collection", "id": "series"})
    ebook.add_metadata(None, "meta", "series", {"property": "collection-type", "refines": "#series"})
    if index:
        ebook.add_metadata(None, "meta", index, {"property": "group-position", "refines": "#series"})
    ebook.add_metadata(None, "meta", "", {"name": "calibre:series", "content": series})
    ebook.add_metadata(None, "meta", "", {"name": "calibre:series_index", "content": index or "1"})


def guide(plan: BookPlan, file_of) -> list[dict]:
    """EPUB 2's guide: the landmarks an EPUB 2 reader (and calibre's Kindle output) knows."""
    return [{"type": _GUIDE[p.landmark], "href": file_of(p.id), "title": p.landmark_title}
            for p in plan.landmarks if p.landmark in _GUIDE]


def nav_document(plan: BookPlan, stylesheets: list[str], href_of) -> bytes:
    """The EPUB 3 navigation document: the contents (the plan's, as the PDF's outline has them) and
    the landmarks, hidden. `href_of(target)` addresses a target from the package's folder."""
    toc = E.nav({EPUB_TYPE: "toc", "role": "doc-toc", "id": "toc", "aria-labelledby": "toc-title"},
                E.h1("Contents", id="toc-title"), _list(plan.toc, href_of))
    marks = E.ol(*[E.li(E.a(p.landmark_title, {EPUB_TYPE: p.landmark}, href=href_of(Target(p.id))))
                   for p in plan.landmarks])
    landmarks = E.nav({EPUB_TYPE: "landmarks", "id": "landmarks", "hidden": "hidden", "aria-label": "Landmarks"},
                      marks)
    tree = document("Contents", plan.metadata.language, [toc, landmarks], stylesheets, body_class="nav")
    return serialize(tree)


def _list(entries: tuple[Entry, ...], href_of) -> etree._Element:
    items = []
    for entry in entries:
        item = E.li(E.a(entry.title, href=href_of(entry.target)))
        if entry.children:
            item.append(_list(entry.children, href_of))
        items.append(item)
    return E.ol(*items)


def accessibility(has_images: bool) -> list[tuple[str, str]]:
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

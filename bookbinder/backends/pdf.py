"""The PDF backend: Book -> a print-ready PDF, rendered by WeasyPrint from the story XHTML.

The book is one HTML document: a title page, a contents page whose page numbers come from
`target-counter`, then per story its title page (AO3-style preface) and text, and the credits.
Every story opens on a recto. The print stylesheet (`styles/print.css`) adds mirrored margins,
running heads (book title on versos, story title on rectos, none on opening pages), folios,
hyphenation, widows and orphans. Fonts: Source Serif Pro from its PyPI package, embedded.
Rendering reads nothing but the build's own files (`fetcher.ResourceFetcher`), and story data
reaches the page only as document text: running heads come from `string-set` on elements, never
from stylesheets written with a title in them.
"""
from __future__ import annotations

import logging
from functools import lru_cache

from lxml import etree

from ..book import Book, source_name, story_title
from ..errors import BookbinderError, BuildError, StoryError, story_failure
from ..model import Story
from ..render import E, EPUB_TYPE, afterword, chapter_parts, document, join_names, preface, serialize, story_header
from .cover import font_file
from .epub import stylesheet
from .fetcher import ResourceFetcher
from .frontmatter import story_line
from .print_options import PAGE_SIZES, PrintOptions
from .pdfmerge import Layout, Mark, Part, lay_out, merge
from ..parallel import Crash, parallel_map

def pdf_bytes(book: Book, options: PrintOptions = PrintOptions()) -> bytes:
    """Tagged books are laid out as one document (a tagged PDF cannot be merged); others in parallel."""
    _page_css(options.page_size)  # an unknown size fails before any work
    if options.tagged:
        return _whole_book(book, options)
    return _parallel_book(book, options)


def _whole_book(book: Book, options: PrintOptions) -> bytes:
    """One WeasyPrint document: contents numbers from target-counter, folios from counter(page)."""
    document = _render(print_document(book), options)
    return document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=book.identifier.encode("ascii"))


def _parallel_book(book: Book, options: PrintOptions) -> bytes:
    """Pass one: every story (and the credits) laid out on its own, one process per core. Pass
    two: the front matter with the page numbers now known, then the merge (folios, outline)."""
    global _JOB
    _JOB = (book, options)  # forked workers read the book from here
    try:
        parts = list(parallel_map(_render_part, range(len(book.stories) + (1 if book.is_anthology else 0)),
                                  isolate=True))
    finally:
        _JOB = None
    for index, part in enumerate(parts):
        if isinstance(part, Crash) and index < len(book.stories):
            raise StoryError(f"left out of the book: laying it out failed ({part.reason})",
                             book.stories[index].source, index)
        if isinstance(part, Crash):
            raise BuildError(f"the credits page could not be laid out ({part.reason})")
    layout = lay_out(parts)
    front = _render_front(book, options, layout) if book.is_anthology else None
    size, margins = _page_geometry(options.page_size)
    return merge(book, front, parts, layout, size, margins)


_JOB: tuple[Book, PrintOptions] | None = None


def _render_part(index: int) -> Part:
    book, options = _JOB
    if index == len(book.stories):
        return _render_body(book, options, credits(book))
    story = book.stories[index]
    with story_failure(story.source, index):
        return _render_body(book, options, print_story(story, index + 1))


def _render_body(book: Book, options: PrintOptions, body: etree._Element) -> Part:
    tree = document(book.title, book.language, [running_head(book), body], body_class="print")
    doc = _render(tree, options, _NO_FOLIOS)
    return Part(doc.write_pdf(), len(doc.pages), _marks(doc.make_bookmark_tree()))


def _render_front(book: Book, options: PrintOptions, layout: Layout) -> Part:
    tree = document(book.title, book.language, [running_head(book), book_title_page(book),
                                                contents(book, layout.starts)], body_class="print")
    doc = _render(tree, options, _NO_FOLIOS + _LITERAL_PAGE_NUMBERS)
    return Part(doc.write_pdf(), len(doc.pages), _marks(doc.make_bookmark_tree()))


def _marks(tree) -> tuple[Mark, ...]:
    return tuple(Mark(label, target[0], _marks(children)) for label, target, children, _ in tree)


def _render(tree: etree._ElementTree, options: PrintOptions, extra_css: str = ""):
    from weasyprint import HTML

    fetcher, fonts, stylesheets = _styles(options.page_size, extra_css)
    html = serialize(tree).decode("utf-8")
    return HTML(string=html, url_fetcher=fetcher).render(stylesheets=stylesheets, font_config=fonts)


@lru_cache(maxsize=8)
def _styles(page_size: str, extra_css: str):
    """Fetcher, fonts and parsed stylesheets: built once per process, shared by every story it renders.

    `extra_css` is one of this module's constants, never text from a story."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    _quiet_weasyprint()
    fetcher = build_fetcher()
    fonts = FontConfiguration()  # @font-face rules only load through a FontConfiguration
    sheets = [_page_css(page_size), stylesheet("base.css").decode("utf-8"),
              stylesheet("print.css").decode("utf-8") + extra_css]
    stylesheets = [CSS(string=sheet, url_fetcher=fetcher, font_config=fonts) for sheet in sheets]
    return fetcher, fonts, stylesheets


def build_fetcher() -> ResourceFetcher:
    """The fetcher of a print build: the book face's files (print.css names them), nothing else."""
    files = {f"fonts/{path.name}": path for style in _FACES if (path := font_file(style))}
    return ResourceFetcher(files)


_NO_FOLIOS = """
@page :left { @bottom-left { content: none; } }
@page :right { @bottom-right { content: none; } }
"""
_LITERAL_PAGE_NUMBERS = """
section.contents p.toc-title span[data-page]::after { content: leader(". ") attr(data-page); }
"""


def _page_geometry(page_size: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """(width, height) and (inner, outer) margins in points, as print.css sets them."""
    units = {"mm": 72 / 25.4, "in": 72.0}
    w, h = PAGE_SIZES[page_size.casefold()].split()
    to_pt = lambda v: float(v[:-2]) * units[v[-2:]]  # noqa: E731
    return (to_pt(w), to_pt(h)), (0.875 * 72, 0.625 * 72)


# ------------------------------------------------------------------ the print document
def print_document(book: Book) -> etree._ElementTree:
    parts: list[etree._Element] = []
    parts.append(running_head(book))
    if book.is_anthology:
        parts += [book_title_page(book), contents(book)]
    for number, story in enumerate(book.stories, 1):
        with story_failure(story.source, number - 1):
            parts.append(print_story(story, number))
    if book.is_anthology:
        parts.append(credits(book))
    tree = document(book.title, book.language, parts, body_class="print")
    head = tree.getroot()[0]
    for name, value in (("author", join_names(book.authors or book.editors)), ("description", book.count_line),
                        ("keywords", ", ".join(_subjects(book))), ("generator", "bookbinder")):
        if value:
            head.append(E.meta(name=name, content=value))
    return tree


def running_head(book: Book) -> etree._Element:
    """The book title as a hidden element; print.css copies it to the verso heads with `string-set`."""
    return E.p({"class": "running-head", "aria-hidden": "true"}, book.title)


def book_title_page(book: Book) -> etree._Element:
    section = E.section({"class": "book-title"}, E.h1(book.title))
    if book.collection and book.collection != book.title:
        section.append(E.p(book.collection, {"class": "collection"}))
    section.append(E.p(book.count_line))
    if book.authors:
        section.append(E.p("by " + join_names(book.authors)))
    if book.editors:
        section.append(E.p("edited by " + join_names(book.editors)))
    return section


def contents(book: Book, starts: tuple[int, ...] = ()) -> etree._Element:
    """The contents; with `starts` (known page numbers) each entry carries its page in data-page."""
    items = []
    for number, story in enumerate(book.stories, 1):
        if starts:  # rendered apart from the stories: the page number is known, there is no anchor
            link = E.span(story_title(story), {"data-page": str(starts[number - 1])})
        else:
            link = E.a(story_title(story), href=f"#story-{number}")
        entry = E.li(E.p(link, {"class": "toc-title"}))
        entry.append(E.p(story_line(story), {"class": "toc-details"}))
        items.append(entry)
    return E.section({"class": "contents", EPUB_TYPE: "toc", "role": "doc-toc"}, E.h2("Contents"), E.ol(*items))


def print_story(story: Story, number: int) -> etree._Element:
    titlepage = E.section({"class": "story-titlepage"},
                          story_header(story, 1, story_title(story), heading_id=f"story-{number}"),
                          *preface(story, 2))
    text = E.div({"class": "story-text"})
    for i, chapter in enumerate(story.chapters, 1):
        for part in chapter_parts(chapter, i, 2):
            if part.get("id"):
                part.set("id", f"story-{number}-{part.get('id')}")
            text.append(part)
    text.extend(afterword(story.meta.end_notes, 2, "End Notes"))
    article = E.article({"class": "story"}, titlepage, text)
    article.set("lang", story.meta.language or "en")
    return article


def credits(book: Book) -> etree._Element:
    items = []
    for story in book.stories:
        who = join_names(story.meta.authors) if story.meta.authors else "author not stated"
        items.append(E.li(f"{story_title(story)}, by {who} — from {source_name(story)}"))
    return E.section({"class": "credits"}, E.h2("Credits"),
                     E.p("Every story in this book belongs to its author."), E.ul(*items),
                     E.p("Bound with bookbinder.", {"class": "colophon"}))


def _subjects(book: Book) -> list[str]:
    seen: dict[str, None] = {}
    for story in book.stories:
        for value in [*story.meta.fandoms, *(str(p) for p in story.meta.pairings)]:
            seen.setdefault(value)
    return list(seen)


# ------------------------------------------------------------------ styles and fonts
def _page_css(page_size: str) -> str:
    size = PAGE_SIZES.get(page_size.casefold())
    if size is None:
        raise BookbinderError(f"unknown page size {page_size!r}; choose one of {', '.join(PAGE_SIZES)}")
    return f"@page {{ size: {size}; }}\n"


_FACES = ("Regular", "It", "Semibold", "Bold", "BoldIt")  # Source Serif Pro's files, as print.css names them


def _quiet_weasyprint() -> None:
    """WeasyPrint warns about CSS it ignores (EPUB-only properties); a book build need not show that."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)

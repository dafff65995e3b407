"""HTML documents -> Story: AO3 downloads and work pages, FanFicFare files, then any other page.

A page whose layout is known is read by its structure (`ao3`, `fanficfare`). Any other page is
walked into units, headings marking chapters, and read by the same stages as plain text, so
notes, disclaimers, markers and `<br>` habits inside the text are handled alike.
"""
from __future__ import annotations

import copy
import re

from ..accounting import missing_words
from ..clean.xmlsafe import drop_unsafe_references
from ..errors import InputError
from lxml import etree

from ..model import Diagnostic, Note, Paragraph, Story
from ..sidecar import apply_overrides, take_front_matter
from .decode import decode
from .fields import FieldSet, parse_language
from .gutenberg import strip_gutenberg_page
from .html import ImageLoader, Page, block_text, decode_html, has_class, parse_page, units_of
from .patterns import chapter_heading
from .segment import Unit
from .structure import body_blocks
from .sites import keep_unplaced, of_kind
from .text import read_units
from .webpage import prefer_stated_title, web_units


def read_html(data: bytes, source: str) -> Story:
    text, diagnostics = decode_html(data, source)
    page, found = parse_page(text, source), list(diagnostics)
    book = FieldSet()
    strip_gutenberg_page(page.body, book, found)  # a Project Gutenberg HTML book: its header and licence
    container = book if book.title or book.authors else None
    return read_page(page, source, found, container=container, web=container is None)


def read_page(page: Page, source: str, diagnostics: list[Diagnostic], images: ImageLoader | None = None,
              container: FieldSet | None = None, web: bool = False) -> Story:
    """One page -> Story; `container` holds what an EPUB's package states, used where the page is silent.
    `web`: a web page (not an EPUB's document, a book or Markdown), read for its main text (`webpage`)."""
    diagnostics = diagnostics + page.diagnostics
    story = _by_layout(page, source, diagnostics, images)
    if story is not None:
        return _fill(story, container, page)
    if web:
        units, book = web_units(page, diagnostics, images)
    else:
        units, book = _title_heading(units_of([page.body], diagnostics, images, headings=True), container, diagnostics)
    if not units:
        raise InputError("holds no story text", source)
    book.title = book.title or page.title
    book.language = book.language or parse_language(page.lang or "")
    titled = not web and container is not None and bool(container.title)
    story = read_units(units, source, diagnostics, book, titled)
    return prefer_stated_title(story, book.title) if web else story


def _title_heading(units: list[Unit], container: FieldSet | None,
                   diagnostics: list[Diagnostic]) -> tuple[list[Unit], FieldSet]:
    """The page's first heading as its title, unless it is a chapter's, or a title is stated
    elsewhere (front matter, a package) that it is not: then it is the text's own heading."""
    book = container or FieldSet()
    if units and units[0].heading and not chapter_heading(units[0].text):
        if book.title and _folded(book.title) != _folded(units[0].text):
            return units, book
        book.title = book.title or units[0].text
        diagnostics.append(Diagnostic("header-field", "the page's first heading read as the title", units[0].text))
        units = units[1:]
    return units, book


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def _by_layout(page: Page, source: str, diagnostics: list[Diagnostic], images: ImageLoader | None) -> Story | None:
    """The page read by the first site layout that claims it and finds a story; a layout that
    leaves words unplaced keeps its reading and the words (`keep_unplaced`)."""
    for layout in of_kind("html"):
        if not layout.matches(page):
            continue
        whole = copy.deepcopy(page.body)  # the layout readers take pieces out of the tree
        story = layout.read(page, source, images)
        if story is None:
            page.body = whole
            continue
        found = Diagnostic("layout-recognized", f"read as {layout.name}")
        story = story.with_(diagnostics=tuple(diagnostics) + (found,) + story.diagnostics)
        missing = missing_words(block_text(whole), story)
        if missing:
            kept = keep_unplaced(story, units_of([copy.deepcopy(whole)], [], None, headings=True), missing,
                                 layout.name)
            if kept is None:  # it missed most of the page: read the page as it is
                page.body = whole
                diagnostics.append(Diagnostic("layout-incomplete", f"looked like {layout.name}, but reading it so "
                                              f"would miss most of its text; read as a plain page instead",
                                              " ".join(sorted(missing))))
                return None
            story = kept
        return story
    return None


def _fill(story: Story, container: FieldSet | None, page: Page) -> Story:
    meta = story.meta
    fallback = container.metadata() if container else None
    changes = {}
    for name in ("title", "language", "published", "updated", "rating", "series", "url"):
        if getattr(meta, name) is None and fallback is not None and getattr(fallback, name) is not None:
            changes[name] = getattr(fallback, name)
    if fallback is not None and meta.series_index is None and fallback.series_index is not None \
            and fallback.series == (changes.get("series") or meta.series):
        changes["series_index"] = fallback.series_index  # a series and its place come together
    for name in ("authors", "summary", "fandoms", "tags", "identifiers"):
        if not getattr(meta, name) and fallback is not None and getattr(fallback, name):
            changes[name] = getattr(fallback, name)
    if meta.title is None and "title" not in changes and page.title:
        changes["title"] = page.title
    if meta.language is None and "language" not in changes and page.lang:
        changes["language"] = parse_language(page.lang)
    return story.with_(meta=meta.with_(**changes)) if changes else story


def read_markdown(data: bytes, source: str) -> Story:
    """Markdown (CommonMark, with pandoc's YAML front matter for metadata) -> HTML -> the page reader.

    `#` headings mark chapters (a lone first `#` heading is the title), `***` or `---` rules are
    scene breaks, and `*x*`/`**x**`/`~~x~~` are emphasis, strong and strike. cmark (through
    cmarkgfm) parses in linear time whatever the input; raw HTML is passed on to the HTML
    reader, which sanitizes it like any page. Footnotes (`text[^1]` and `[^1]: the note`, as
    GitHub's and pandoc's Markdown write them) become the story's notes, numbered, their markers
    left in the text as superscript numbers."""
    text, decoded = decode(data, source)
    overrides, rest, said = take_front_matter(text)
    diagnostics = list(decoded) + said
    page = parse_page(markdown_html(rest), source)  # the parser gives the fragment its body
    footnotes = take_footnotes(page.body, diagnostics)
    title = overrides.get("title")  # a stated title: a first heading that differs is the text's
    story = read_page(page, source, diagnostics, container=FieldSet(title=title) if isinstance(title, str) else None)
    if footnotes is not None:
        story = story.with_(meta=story.meta.with_(end_notes=story.meta.end_notes + (footnotes,)))
    return apply_overrides(story, overrides, "YAML front matter") if overrides else story


def take_footnotes(body: etree._Element, diagnostics: list[Diagnostic]) -> Note | None:
    """cmark-gfm's footnotes section (`section.footnotes`, one `li` per note) out of the text, as
    one end note of numbered paragraphs; None when there is none."""
    section = next((el for el in body.iter("section", "div") if has_class(el, "footnotes")), None)
    if section is None:
        return None
    for back in [a for a in section.iter("a") if has_class(a, "footnote-backref")]:
        back.drop_tree()  # the "↩" link back to the marker: no text of the note
    blocks: list = []
    names = []  # the author's labels ([^count]): markup, said with the number each became
    for n, item in enumerate(section.iter("li"), 1):
        names.append(f"[^{(item.get('id') or '').removeprefix('fn-')}] is note {n}")
        units = units_of([item], diagnostics)
        found = body_blocks([units], diagnostics, edge_notes=False)[0][1]
        if found and isinstance(found[0], Paragraph):
            found = (Paragraph((f"{n}. ",) + found[0].inlines, found[0].align),) + found[1:]
        blocks += found
    diagnostics.append(Diagnostic("note-moved", f"{len(names)} Markdown footnotes moved to the notes",
                                  "; ".join(names) + "\n" + block_text(section)))
    section.drop_tree()
    return Note(tuple(blocks), "Footnotes") if blocks else None


# A line of 100,000 '>' is a blockquote nested 100,000 deep: megabytes of markup for the HTML stages
# to repair. No story quotes a quote more than a few levels deep.
_MAX_QUOTE_DEPTH = 16
_DEEP_QUOTE = re.compile(r"^(?:[ \t]*>){%d,}" % (_MAX_QUOTE_DEPTH + 1), re.MULTILINE)


def markdown_html(text: str) -> str:
    """CommonMark with strikethrough -> HTML, raw HTML passed through (the page reader sanitizes it)."""
    import cmarkgfm
    from cmarkgfm.cmark import Options

    # cmark writes `&#xFFFF;` as bytes that are not UTF-8 (and cmarkgfm then fails to decode its own
    # output): references to characters no story holds are dropped first, as xmlsafe would drop them.
    text = _DEEP_QUOTE.sub(lambda m: m.group(0)[:_MAX_QUOTE_DEPTH * 2], text)
    return cmarkgfm.markdown_to_html_with_extensions(drop_unsafe_references(text)[0],
                                                      options=Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES,
                                                      extensions=["strikethrough"])

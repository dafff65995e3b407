"""The render stage: Story -> XHTML (an lxml tree), serialised only at the edge.

One story document: a header (title, byline), a preface (the story's metadata, summary and
author's notes), one `<section epub:type="chapter" role="doc-chapter">` per chapter holding the
story text and nothing else, and an afterword for end notes. EPUB and PDF both use these
builders, so the two never drift.
"""
from __future__ import annotations

from lxml import etree
from lxml.builder import ElementMaker

from .model import (Block, Chapter, Heading, Image, Inline, LineGroup, Note, Paragraph, SceneBreak, Span, Story,
                    series_number)

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{EPUB_NS}}}type"
E = ElementMaker(namespace=XHTML_NS, nsmap={None: XHTML_NS, "epub": EPUB_NS})

_INLINE_TAGS = {"em", "strong", "i", "b", "u", "s", "sup", "sub", "small", "code", "span", "cite", "q"}


def document(title: str, language: str, body: list[etree._Element], stylesheets=(), body_class: str | None = None):
    """A complete XHTML5 / EPUB 3 content document around `body` elements."""
    head = E.head(E.meta(charset="utf-8"), E.title(title or "Untitled"))
    for href in stylesheets:
        head.append(E.link(rel="stylesheet", type="text/css", href=href))
    body_el = E.body(*body)
    if body_class:
        body_el.set("class", body_class)
    html = E.html(head, body_el)
    html.set("lang", language or "en")
    html.set(XML_LANG, language or "en")
    if direction(language) == "rtl":
        html.set("dir", "rtl")
    return etree.ElementTree(html)


# Languages written right to left (ISO 639-1), as Unicode's script data and the HTML `dir` attribute have them.
RTL = frozenset({"ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb", "ku"})


def direction(language: str | None) -> str:
    """"rtl" for a language written right to left (fa, ar, he, ur...), else "ltr"."""
    return "rtl" if (language or "").split("-")[0].casefold() in RTL else "ltr"


def serialize(tree: etree._ElementTree) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>", pretty_print=True)


def render_story(story: Story, stylesheets=()) -> etree._ElementTree:
    """The story as one standalone document (what `bookbinder normalize` writes)."""
    return document(story.meta.title or "Untitled", story.meta.language or "en",
                    story_parts(story), stylesheets, body_class="story")


def story_parts(story: Story, heading_level: int = 1) -> list[etree._Element]:
    """Header, preface, chapters and afterword of one story, in reading order."""
    parts = [story_header(story, heading_level), *preface(story, heading_level + 1)]
    for number, chapter in enumerate(story.chapters, 1):
        parts += chapter_parts(chapter, number, heading_level + 1)
    parts += afterword(story.meta.end_notes, heading_level + 1, "End Notes")
    return [p for p in parts if p is not None]


def story_header(story: Story, level: int = 1, title: str | None = None, heading_id: str | None = None
                 ) -> etree._Element:
    """The story's title and byline; `title` replaces the stated one (a book names untitled stories)."""
    heading = _heading(level, title or story.meta.title or "Untitled")
    if heading_id:
        heading.set("id", heading_id)
    header = E.header(heading, {"class": "story-title"})
    if story.meta.authors:
        header.append(E.p("by " + join_names(story.meta.authors), {"class": "byline"}))
    return header


def preface(story: Story, level: int = 2) -> list[etree._Element]:
    """The AO3-style preface: a tag list, the summary, the author's notes."""
    meta = story.meta
    inner: list[etree._Element] = []
    tags = metadata_list(story)
    if len(tags):
        inner.append(tags)
    if meta.summary:
        inner.append(_section("abstract", "doc-abstract", "summary", _heading(level, "Summary"),
                              *blocks(meta.summary)))
    if meta.notes:
        inner.append(E.section({"class": "notes"}, _heading(level, "Notes"), *notes(meta.notes, level + 1)))
    if not inner:
        return []
    return [_section("preface", "doc-preface", "preface", *inner, label="About this story")]


def metadata_list(story: Story) -> etree._Element:
    meta = story.meta
    rows = [
        ("Rating", [meta.rating] if meta.rating else []), ("Warnings", meta.warnings),
        ("Category", meta.categories), ("Fandom", meta.fandoms), ("Relationships", [str(p) for p in meta.pairings]),
        ("Characters", meta.characters), ("Tags", meta.tags), ("Series", [_series(meta)] if meta.series else []),
        ("Status", [meta.status.replace("-", " ").capitalize()] if meta.status else []),
        ("Published", [meta.published] if meta.published else []), ("Updated", [meta.updated] if meta.updated else []),
        ("Words", [f"{story.words:,}"] if story.words else []),
    ]
    dl = E.dl({"class": "tags"})
    for name, values in rows:
        if values:
            dl.append(E.dt(name))
            dl.append(E.dd(", ".join(values)))
            if name == "Series" and meta.series_index is not None:  # the number, for a reader of the book
                dl[-1].set("data-series-index", str(series_number(meta.series_index)))
    return dl


def _series(meta) -> str:
    """AO3's words for a story's place in its series: "Part 2 of Tides"."""
    if meta.series_index is None:
        return meta.series
    return f"Part {series_number(meta.series_index)} of {meta.series}"


def chapter_parts(chapter: Chapter, number: int, level: int = 2) -> list[etree._Element]:
    name = chapter.heading or f"Chapter {number}"
    parts: list[etree._Element] = []
    if chapter.summary or chapter.notes:
        inner = []
        if chapter.summary:
            inner += [E.p(E.strong("Summary"), {"class": "note-label"}), *blocks(chapter.summary)]
        inner += notes(chapter.notes, level + 1)
        parts.append(_section("preface", "doc-preface", "chapter-notes", *inner, label=f"Notes for {name}"))
    section = _section("chapter", "doc-chapter", "chapter", label=None if chapter.heading else name)
    section.set("id", f"chapter-{number}")
    if chapter.heading:
        section.append(_heading(level, chapter.heading))
    section.extend(blocks(chapter.blocks, level + 1))
    parts.append(section)
    parts += afterword(chapter.end_notes, level, f"End notes for {name}", compact=True)
    return parts


def afterword(end_notes: tuple[Note, ...], level: int, label: str, compact: bool = False) -> list[etree._Element]:
    if not end_notes:
        return []
    heading = [] if compact else [_heading(level, "End Notes")]
    return [_section("afterword", "doc-afterword", "end-notes", *heading, *notes(end_notes, level + 1), label=label)]


def notes(items: tuple[Note, ...], level: int) -> list[etree._Element]:
    out: list[etree._Element] = []
    for note in items:
        label_shown = note.label not in {"Notes", "Author's Note"}
        if label_shown:
            out.append(E.p(E.strong(note.label), {"class": "note-label"}))
        out += blocks(note.blocks)
    return out


def blocks(items, level: int = 3) -> list[etree._Element]:
    return [_block(b, level) for b in items]


def _block(block: Block, level: int = 3) -> etree._Element:
    if isinstance(block, Heading):
        h = _heading(level, "")
        h.set("class", "subhead")
        _fill(h, block.inlines)
        return h
    if isinstance(block, Paragraph):
        p = E.p()
        _fill(p, block.inlines)
        if block.align:
            p.set("class", block.align)
        return p
    if isinstance(block, LineGroup):
        p = E.p({"class": "verse"})
        for i, line in enumerate(block.lines):
            if i:
                p.append(E.br())
            span = E.span()
            _fill(span, line)
            p.append(span)
        return p
    if isinstance(block, SceneBreak):
        return E.hr({"class": "scene-break"})
    if isinstance(block, Image):
        # The image's name in the book plan; each backend addresses it its own way (compose.Links).
        return E.figure(E.img(src=f"images/{block.name}", alt=block.alt or ""), {"class": "image"})
    raise TypeError(f"not a block: {block!r}")


def _fill(parent: etree._Element, inlines: tuple[Inline, ...]) -> None:
    """Append inline content to `parent`, text and tails as lxml wants them."""
    for item in inlines:
        if isinstance(item, Span):
            child = etree.SubElement(parent, f"{{{XHTML_NS}}}{item.tag if item.tag in _INLINE_TAGS else 'span'}")
            _fill(child, item.children)
        elif len(parent):
            parent[-1].tail = (parent[-1].tail or "") + item
        else:
            parent.text = (parent.text or "") + item


def _section(epub_type: str, role: str, css: str, *children, label: str | None = None) -> etree._Element:
    section = E.section({EPUB_TYPE: epub_type, "role": role, "class": css}, *children)
    if label:
        section.set("aria-label", label)
    return section


def _heading(level: int, text: str) -> etree._Element:
    return getattr(E, f"h{min(max(level, 1), 6)}")(text)


def join_names(names) -> str:
    """["A"] -> "A"; ["A", "B", "C"] -> "A, B and C"."""
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]

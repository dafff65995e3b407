"""A book bookbinder made (EPUB or KEPUB) -> the stories it holds, each with its metadata.

Input: the spine of an EPUB whose documents are bookbinder's own parts (`compose.compose`): for
each story a title page `text/story-NNN-title.xhtml` (its `header.story-title`, the `dl.tags`
list, the summary and notes) and its text, one document per chapter (`text/story-NNN.xhtml`,
`story-NNN-02.xhtml`, ...; a long chapter's later pieces `story-NNN-CC-P.xhtml`, each a
`section.chapter` with an id `chapter-C-P` that continues it): chapter notes, the chapter,
chapter end notes, and after the last the end notes; in an anthology the credits. Books made
before chapters had documents of their own (one text document per story) read the same. Output:
one Story per story, read as `render` wrote it, the inverse of its builders:
the values of the tag list split where `render.metadata_list` joined them (", "), the byline
where `render.join_names` joined the authors, each block as the block it was. A story the book
had to name (it stated no title) is marked `untitled` on its title page and reads back untitled.

Anything in such a book that is not as bookbinder writes it makes the whole file an ordinary
EPUB again (None here): the other readers take it. The documents come through the archive's
safe XML parser, images through the archive's own loader, inline markup only as the tags the
renderer itself writes (others give their text), so a file dressed up as one of bookbinder's
books gains nothing by it.
"""
from __future__ import annotations

import posixpath
import re
from collections import Counter
from dataclasses import replace
from typing import Callable

from lxml import etree

from ..model import (
    Block, Chapter, Heading, Image, Inline, LineGroup, Metadata, Note, Pairing, Paragraph, SceneBreak,
    Span, Story,
)
from ..accounting import story_words, words
from .fields import parse_date, parse_language, parse_status
from .patterns import chapter_heading

_X = "{http://www.w3.org/1999/xhtml}"
_EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
_PART = re.compile(r"(?:^|/)text/story-(\d{3})(-title|(?:-\d+){1,2})?\.xhtml$")
_SERIES_INDEX = re.compile(r"\d{1,6}(?:\.\d{1,3})?")
# what a book of bookbinder's holds besides its stories' parts (compose.compose)
_FURNITURE = ("text/cover.xhtml", "text/titlepage.xhtml", "text/contents.xhtml", "text/credits.xhtml", "nav.xhtml")
# the words render and compose write around a story's own: the tag list's names, the notes'
# headings, a headless chapter's label, "Part 2 of Tides", the byline's "by", "(continued)"
_LABELS = frozenset(words("Rating Warnings Category Fandom Relationships Characters Tags Series Status Published "
                          "Updated Words Summary Notes End Notes for Chapter Part of by and About this story "
                          "continued Complete In progress Abandoned Hiatus untitled"))
_CONTINUED = re.compile(r"chapter-\d+-\d+")  # a later piece of a long chapter (compose.text_part)
_INLINE = {"em", "strong", "i", "b", "u", "s", "sup", "sub", "small", "code", "span", "cite", "q"}
_LISTS = {"Warnings": "warnings", "Category": "categories", "Fandom": "fandoms", "Characters": "characters",
          "Tags": "tags"}
_HIDDEN_LABEL = "Notes"  # render.notes leaves "Notes" and "Author's Note" unlabelled: they read back as "Notes"

XmlOf = Callable[[str], etree._Element]
ImageOf = Callable[[str, str, str], Image | None]  # (document's folder, src, alt) -> the image, or None


class NotOwn(Exception):
    """The book is not as bookbinder writes it: read it as any other EPUB."""


def story_pairs(spine: list[str]) -> list[tuple[str, list[str]]] | None:
    """(title page, text documents) for each story, when the spine is bookbinder's: every story's
    title page and at least one text document, in order, numbered from 1; else None."""
    found: dict[int, tuple[list[str], list[str]]] = {}
    for path in spine:
        m = _PART.search(path)
        if m:
            titles, texts = found.setdefault(int(m[1]), ([], []))
            (titles if m[2] == "-title" else texts).append(path)
    numbers = sorted(found)
    if not numbers or numbers != list(range(1, len(numbers) + 1)) \
            or any(len(found[n][0]) != 1 or not found[n][1] for n in numbers):
        return None
    return [(found[n][0][0], found[n][1]) for n in numbers]


def read_own(spine: list[str], xml_of: XmlOf, image_of: ImageOf, source: str,
             creators: tuple[str, ...] = ()) -> tuple[Story, ...] | None:
    """The stories of a book bookbinder made, or None when the book is not one of bookbinder's.
    `creators` are the package's dc:creator names: the stories' authors, each whole, where the
    user named none for the book (a byline "by Ink and Tide" is one author if the package says so)."""
    pairs = story_pairs(spine)
    if pairs is None or any(not _PART.search(path) and not path.endswith(_FURNITURE) for path in spine):
        return None  # a document bookbinder does not write would go unread
    credits = next((p for p in spine if p.endswith("text/credits.xhtml")), None)
    try:
        sources = _credits(xml_of(credits)) if credits else []
        stories = tuple(_story(title, texts, xml_of, image_of, source, sources[i] if i < len(sources) else None,
                               creators) for i, (title, texts) in enumerate(pairs))
        for (title, texts), story in zip(pairs, stories):
            _all_words_read([xml_of(path) for path in (title, *texts)], story)
    except NotOwn:
        return None
    return stories


def _all_words_read(documents: list[etree._Element], story: Story) -> None:
    """NotOwn unless every word of the story's documents is in the story read from them, but the
    labels render writes around them ("Rating", "Summary", "Chapter 2", a word count): a part
    this reader does not know is read by the ordinary EPUB reader, which loses nothing."""
    written = Counter()
    for root in documents:
        body = root.find(f"{_X}body")
        if body is None:
            continue
        written += Counter(words(" ".join(body.itertext())))
        for header in body.iter(f"{_X}header"):  # the name the book gave an untitled story: its first words
            if "untitled" in (header.get("class") or "").split():
                for heading in header.iter(f"{_X}h1", f"{_X}h2"):
                    written -= Counter(words(" ".join(heading.itertext())))
    unread = written - story_words(story)
    if any(word not in _LABELS and not word.isdigit() for word in unread):
        raise NotOwn()


def _story(title_path: str, text_paths: list[str], xml_of: XmlOf, image_of: ImageOf, source: str,
           credit: tuple[str | None, str] | None, creators: tuple[str, ...]) -> Story:
    page, texts = _content(xml_of(title_path)), [_content(xml_of(path)) for path in text_paths]
    header = _one(page, "header", "story-title")
    blocks = _Blocks(image_of, posixpath.dirname(text_paths[0]))
    meta = _header(header, creators) | _preface(page, _Blocks(image_of, posixpath.dirname(title_path)))
    meta["language"] = parse_language(texts[0].getroottree().getroot().get("lang") or "") or None
    chapters, end_notes = _chapters([el for text in texts for el in text], blocks)
    url, bound_from = credit or (None, "")
    story = Story(source, Metadata(**meta, end_notes=end_notes, url=url), chapters)
    said = f"a book bookbinder made: story {_PART.search(text_paths[0])[1]} read as bookbinder wrote it"
    return story.diagnose("bookbinder-book", said + (f" (first bound from {bound_from})" if bound_from else ""))


def _content(root: etree._Element) -> etree._Element:
    """The body, or inside a KEPUB's `div#book-columns > div#book-inner` the part's own content."""
    body = root.find(f"{_X}body")
    if body is None:
        raise NotOwn()
    inner = body.find(f"{_X}div[@id='book-columns']/{_X}div[@id='book-inner']")
    return inner if inner is not None else body


def _one(parent: etree._Element, tag: str, css: str) -> etree._Element:
    found = [el for el in parent if el.tag == f"{_X}{tag}" and css in (el.get("class") or "").split()]
    if len(found) != 1:
        raise NotOwn()
    return found[0]


def _header(header: etree._Element, creators: tuple[str, ...]) -> dict:
    """Title and authors, as `render.story_header` shows them."""
    heading = next((el for el in header if re.fullmatch(rf"{re.escape(_X)}h[1-6]", str(el.tag))), None)
    if heading is None:
        raise NotOwn()
    untitled = "untitled" in (header.get("class") or "").split()
    byline = next((el for el in header if "byline" in (el.get("class") or "").split()), None)
    authors = _names(_text(byline)[3:], creators) if byline is not None and _text(byline).startswith("by ") else ()
    return {"title": None if untitled else _text(heading) or None, "authors": authors}


def _names(joined: str, known: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The inverse of `render.join_names`: "A, B and C" -> (A, B, C); a `known` name is taken
    whole where the byline holds it ("Ink and Tide")."""
    names, rest = [], joined

    def fits(name: str) -> bool:
        return rest.startswith(name) and (rest == name or rest[len(name):].startswith((", ", " and ")))

    while rest:
        name = max(filter(fits, known), key=len, default=None)
        if name is None:
            first, _, last = rest.rpartition(" and ")
            return tuple(names) + tuple(n for n in [*(first.split(", ") if first else []), last] if n.strip())
        names.append(name)
        rest = re.sub(r"^(, | and )", "", rest[len(name):])
    return tuple(names)


def _preface(page: etree._Element, blocks: _Blocks) -> dict:
    """The tag list, the summary and the notes of a story's title page."""
    found: dict = {}
    for section in page.iter(f"{_X}section"):
        classes = (section.get("class") or "").split()
        if "preface" in classes:
            tags = section.find(f"{_X}dl")
            found |= _tags(tags) if tags is not None else {}
        elif "summary" in classes:
            found["summary"] = tuple(blocks.of(list(section)[1:]))
        elif "notes" in classes:
            found["notes"] = _notes(list(section)[1:], blocks)
    return found


def _tags(dl: etree._Element) -> dict:
    """`render.metadata_list`'s rows back into fields; Words is counted from the text again."""
    found: dict = {}
    items = [el for el in dl if el.tag in (f"{_X}dt", f"{_X}dd")]
    for dt, dd in zip(items[::2], items[1::2]):
        name, value = _text(dt), _text(dd)
        if name in _LISTS:
            found[_LISTS[name]] = tuple(v for v in value.split(", ") if v)
        elif name == "Relationships":
            found["pairings"] = tuple(p for v in value.split(", ") if (p := Pairing.parse(v)))
        elif name == "Series" and _SERIES_INDEX.fullmatch(dd.get("data-series-index") or ""):
            index = dd.get("data-series-index")  # render wrote "Part 2 of Tides"
            found["series"] = value.removeprefix(f"Part {index} of ") or None
            found["series_index"] = float(index)
        elif name in {"Rating", "Series"}:
            found[name.lower()] = value or None
        elif name == "Status":
            found["status"] = parse_status(value)
        elif name in {"Published", "Updated"}:
            found[name.lower()] = parse_date(value)
    return found


def _notes(elements: list[etree._Element], blocks: _Blocks, summary: bool = False) -> tuple:
    """`render.notes` read back: a `p.note-label` opens a note under its label. With `summary`, a
    note labelled "Summary" (a chapter's) is handed back apart: (summary blocks, notes)."""
    notes: list[list] = []
    for el in elements:
        if "note-label" in (el.get("class") or "").split():
            notes.append([_text(el), []])
        else:
            if not notes:
                notes.append([_HIDDEN_LABEL, []])
            notes[-1][1] += blocks.of([el])
    if summary:
        lead = notes[0][1] if notes and notes[0][0] == "Summary" else []
        rest = notes[1:] if lead else notes
        return tuple(lead), tuple(Note(tuple(b), label) for label, b in rest if b)
    return tuple(Note(tuple(b), label) for label, b in notes if b)


def _chapters(elements: list[etree._Element], blocks: _Blocks) -> tuple[tuple[Chapter, ...], tuple[Note, ...]]:
    """`compose.text_part` read back: chapter notes, chapters (a long one in pieces), chapter end
    notes, the end notes."""
    chapters: list[Chapter] = []
    summary, notes, end_notes = (), (), ()
    for el in (e for e in elements if isinstance(e.tag, str)):
        classes, kind = (el.get("class") or "").split(), el.get(_EPUB_TYPE)
        if "chapter-notes" in classes:
            summary, notes = _notes(list(el), blocks, summary=True)
        elif kind == "chapter" and _CONTINUED.fullmatch(el.get("id") or "") and chapters:
            chapters[-1] = replace(chapters[-1], blocks=chapters[-1].blocks + tuple(blocks.of(list(el))))
        elif kind == "chapter":
            chapters.append(_chapter(el, blocks, summary, notes))
            summary, notes = (), ()
        elif "end-notes" in classes and el.get("aria-label", "").startswith("End notes for") and chapters:
            last = chapters[-1]
            chapters[-1] = Chapter(last.heading, last.blocks, last.summary, last.notes, _notes(list(el), blocks),
                                   last.title, last.label)
        elif "end-notes" in classes:
            end_notes = _notes(list(el)[1:], blocks)
        else:
            raise NotOwn()
    if not chapters:
        raise NotOwn()
    return tuple(chapters), end_notes


def _chapter(section: etree._Element, blocks: _Blocks, summary: tuple, notes: tuple) -> Chapter:
    children = list(section)
    heading = None
    if children and re.fullmatch(rf"{re.escape(_X)}h[1-6]", str(children[0].tag)) \
            and "subhead" not in (children[0].get("class") or "").split():
        heading, children = _text(children[0]) or None, children[1:]
    parts = chapter_heading(heading) if heading else None
    label, title = (parts[0], parts[1]) if parts else (None, heading)
    return Chapter(heading, tuple(blocks.of(children)), summary, notes, (), title, label)


class _Blocks:
    """Elements back into blocks, as `render._block` wrote them."""

    def __init__(self, image_of: ImageOf, folder: str) -> None:
        self.image_of, self.folder = image_of, folder

    def of(self, elements: list[etree._Element]) -> list[Block]:
        out: list[Block] = []
        for el in elements:
            if not isinstance(el.tag, str):
                continue
            block = self.block(el)
            if block is not None:
                out.append(block)
        return out

    def block(self, el: etree._Element) -> Block | None:
        name, classes = etree.QName(el).localname, (el.get("class") or "").split()
        if name == "hr":
            return SceneBreak()
        if name == "p" and "scene-ornament" in classes:  # the ornament drawn after a break (compose)
            if words(_text(el)):
                raise NotOwn()
            return None
        if name == "figure":
            img = el.find(f".//{_X}img")
            image = self.image_of(self.folder, img.get("src") or "", img.get("alt") or "") if img is not None else None
            if image is None:
                raise NotOwn()  # a picture not in the book, or a figure render never writes: its words unread
            return image
        if name == "p" and "verse" in classes:
            lines = [child for child in el if etree.QName(child).localname not in {"br"}
                     and "koboSpan" not in (child.get("class") or "").split()]
            if (el.text or "").strip() or any(etree.QName(c).localname != "span" or (c.tail or "").strip()
                                              for c in lines):
                raise NotOwn()  # render writes a verse paragraph as one span a line, between <br/>s
            return LineGroup(tuple(_inlines(span) for span in lines) or (_inlines(el),))
        if name == "p":
            align = next((c for c in classes if c in {"center", "right"}), None)
            return Paragraph(_inlines(el), align)
        if re.fullmatch(r"h[1-6]", name):
            return Heading(_inlines(el))
        raise NotOwn()


def _inlines(el: etree._Element) -> tuple[Inline, ...]:
    """An element's inline content as `render._fill` wrote it: text, and spans of the tags it uses.
    A KEPUB's koboSpans give their content; other tags give their text. The line breaks and
    indents the serializer put around children that stood with no text between them go."""
    laid_out = len(el) and all(not t or (not t.strip() and "\n" in t) for t in [el.text, *(c.tail for c in el)])
    out: list[Inline] = [el.text] if el.text and not laid_out else []
    for child in el:
        if isinstance(child.tag, str):
            name = etree.QName(child).localname
            kobo = name == "span" and "koboSpan" in (child.get("class") or "").split()
            if kobo or name not in _INLINE:
                out += _inlines(child)
            else:
                out.append(Span(name, _inlines(child)))
        if child.tail and not laid_out:
            out.append(child.tail)
    return _joined(out)


def _joined(items: list[Inline]) -> tuple[Inline, ...]:
    """Neighbouring strings as one (a koboSpan cut a sentence's text in pieces)."""
    out: list[Inline] = []
    for item in items:
        if isinstance(item, str) and out and isinstance(out[-1], str):
            out[-1] += item
        else:
            out.append(item)
    return tuple(out)


def _text(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def _credits(root: etree._Element) -> list[tuple[str | None, str]]:
    """Each story's URL and the file it was first bound from, from the credits (in story order)."""
    out = []
    for li in root.iter(f"{_X}li"):
        span = next((s for s in li.iter(f"{_X}span") if "source" in (s.get("class") or "").split()), None)
        said = _text(span) if span is not None else ""
        url = re.search(r"https?://[^\s,]+", said)
        bound = re.match(r"— from (.+?)(?:, https?://|, published |$)", said)
        out.append((url[0] if url else None, bound[1] if bound else ""))
    return out


__all__ = ["read_own", "story_pairs"]

"""Page furniture of the print book: a story's article -> the running heads its pages carry, and a
laid-out story -> the pages that carry no folio.

Running heads, as books set them: in an anthology the book's title on versos and the story's on
rectos; in a book of one story, its title on versos and the chapter's on rectos (a story of one
chapter: its authors on versos). Each chapter's opening sets the heads (`data-verso`,
`data-recto` on an empty block at its head, which print.css copies with `string-set`: a block
that spans pages would set them on every page), and print.css shows them with `first-except`, so
the page a chapter opens on carries none: the chapter's own heading is there.
Its folio stays at the foot (a drop folio: every folio is at the foot). Title pages, blank
versos and the book's front carry neither head nor folio.
"""
from __future__ import annotations

from lxml import etree

from ..book import Book, story_title
from ..render import E, XHTML_NS

_SECTION = f"{{{XHTML_NS}}}section"


def mark_heads(article: etree._Element, book: Book, story: int) -> None:
    """Each chapter's opening (its notes, or the chapter) in `article` told the heads that follow."""
    title = story_title(book.stories[story])
    chaptered = len(book.stories[story].chapters) > 1
    if book.is_anthology:
        verso = book.title
    else:
        verso = title if chaptered else ", ".join(book.creators)
    for section, name in _openings(article):
        recto = name if chaptered and not book.is_anthology else title
        # A space inside: an empty <div/> read as HTML would hold all that follows it.
        section.insert(0, E.div({"class": "heads", "data-verso": head(verso), "data-recto": head(recto),
                                 "aria-hidden": "true"}, " "))


HEAD_CHARACTERS = 100  # a running head is one line: a longer title is cut at a word, with "…"


def head(text: str) -> str:
    """`text` as a running head shows it: whole when short, else its first words and "…"
    (a head of thousands of characters in a margin box is laid out again for every page)."""
    text = " ".join(text.split())
    if len(text) <= HEAD_CHARACTERS:
        return text
    cut = text[:HEAD_CHARACTERS - 1]
    words = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return words.rstrip(" ,;:–—-") + "…"


def _openings(article: etree._Element):
    """(section, its chapter's name) for every chapter and the notes before it, in order."""
    sections = [s for s in article.iter(_SECTION) if _kind(s) in {"chapter", "chapter-notes"}]
    for index, section in enumerate(sections):
        chapter = next((s for s in sections[index:] if _kind(s) == "chapter"), None)
        if chapter is not None:
            yield section, _chapter_name(chapter)


def _kind(section: etree._Element) -> str:
    return (section.get("class") or "").split(" ")[0]


def _chapter_name(chapter: etree._Element) -> str:
    """The chapter's heading as the reader sees it, or the label a headless chapter carries."""
    heading = next((h for h in chapter if isinstance(h.tag, str) and h.tag[-2:] in {"h2", "h3"}), None)
    if heading is not None:
        return " ".join("".join(heading.itertext()).split())
    return chapter.get("aria-label") or ""


def title_pages(document, text_anchor: str) -> tuple[int, ...]:
    """The pages of a laid-out story before its text starts (at the element `text_anchor`): its
    title page (and a single story's contents page), which carry no folio. () when the anchor is
    not found."""
    for index, page in enumerate(document.pages):
        if text_anchor in page.anchors:
            return tuple(range(index))
    return ()

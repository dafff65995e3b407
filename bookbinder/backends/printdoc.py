"""The print document: BookPlan -> the XHTML WeasyPrint lays out, the whole book or a part of it.

The book's own front pages are one element each (`page_element`); each story is one article
(`print_story`): its title page, a single story's contents page, and its text as one flow (its
chapters' parts are the EPUB's files). Ids are unique in a part; in a document that several
parts share they are prefixed with the part's (`anchor`), and links are addressed to match
(`PrintLinks`, `FlowLinks`). Running heads are marked on each article (`furniture.mark_heads`).
"""
from __future__ import annotations

from lxml import etree

from ..compose import BookPlan, Part, Resource, Target, part_body, story_body
from ..errors import story_failure
from ..render import E, direction, document
from .furniture import mark_heads
from .pdfmerge import PAGE_LINK


class PrintLinks:
    """Addresses inside one print document: a part is the element with its id, an id inside a part
    is prefixed with the part's (several parts share the document), and resources are served by
    the build's fetcher. `starts`, once the stories are laid out, gives each story's first page."""

    def __init__(self, starts: dict[str, int] | None = None) -> None:
        self.starts = starts

    def href(self, target: Target) -> str:
        if self.starts is not None and target.part in self.starts:
            # Laid out apart from the stories: a link to the page by number, which the merge turns
            # into a link inside the book (PAGE_LINK in pdfmerge).
            return f"{PAGE_LINK}{self.starts[target.part]}"
        return "#" + anchor(target.part, target.fragment)

    def resource(self, resource: Resource) -> str:
        return f"bookbinder:{resource.name}"

    def page(self, target: Target) -> int | None:
        return self.starts.get(target.part) if self.starts is not None else None


def anchor(part_id: str, fragment: str = "") -> str:
    return f"{part_id}--{fragment}" if fragment else part_id


FRONT = {"titlepage", "toc"}  # laid out before the body; the cover is the EPUB's (print covers come apart)


def in_front(part: Part) -> bool:
    """The book's own front pages; a single story's contents page is its own, in its article."""
    return part.kind in FRONT and part.story is None


def body_groups(plan: BookPlan) -> list[list[Part]]:
    """The body's parts, each story's together (they are laid out as one), credits on their own."""
    groups: list[list[Part]] = []
    for part in plan.parts:
        if in_front(part) or part.kind == "cover":
            continue
        if groups and part.story is not None and groups[-1][0].story == part.story:
            groups[-1].append(part)
        else:
            groups.append([part])
    return groups


def print_document(plan: BookPlan) -> etree._ElementTree:
    """The whole book as one document: the plan's parts in order, each story in one article."""
    links = PrintLinks()
    parts: list[etree._Element] = []
    for group in [[p] for p in plan.parts if in_front(p)] + body_groups(plan):
        story = group[0].story
        if story is None:
            parts += [page_element(plan, part, links) for part in group]
            continue
        with story_failure(plan.book.stories[story].source, story):
            parts.append(print_story(plan, group, links))
    meta = plan.metadata
    tree = document(meta.title, meta.language, parts, body_class="print")
    head = tree.getroot()[0]
    for name, value in (("author", ", ".join(meta.authors or meta.editors)), ("description", meta.description),
                        ("keywords", ", ".join(meta.subjects)), ("generator", "bookbinder")):
        if value:
            head.append(E.meta(name=name, content=value))
    return tree


def page_element(plan: BookPlan, part: Part, links: PrintLinks) -> etree._Element:
    """A part that is one element (title page, contents, credits), its ids made the document's."""
    (element,) = part_body(plan, part, links)
    _prefix_ids(element, part.id)
    element.set("id", part.id)
    return element


def print_story(plan: BookPlan, parts: list[Part], links: PrintLinks, alone: bool = False) -> etree._Element:
    """A story's parts as one article: its title page (an opening page), a single story's contents
    page, and its text. `alone`: the article is laid out on its own (no other story shares its
    ids), so its ids need no prefix."""
    entry = plan.entry(parts[0].id)
    # Chapters are bookmarked where the contents list them: a story of several chapters.
    article = E.article({"class": "story chaptered" if entry.children else "story", "lang": parts[0].language,
                         "dir": direction(parts[0].language)})
    text = [part for part in parts if part.kind == "story"]
    # The story's text is one flow in print (its chapters' parts are the EPUB's files), named by its first.
    flow = "story-text" if alone else text[0].id
    links = FlowLinks(links.starts, flow, frozenset(part.id for part in text))
    for part in parts:
        if part.kind == "story" and part is not text[0]:
            continue
        if part.kind == "story":
            inner, name = E.div({"class": "story-text", "id": flow}, *story_body(plan, part.story, links)), flow
        elif part.kind == "story-title":
            name = "story-titlepage" if alone else part.id
            inner = E.section({"class": "story-titlepage", "id": name}, *part_body(plan, part, links))
        else:  # its contents page: one element, as the book's own pages are
            (inner,), name = part_body(plan, part, links), part.id
            inner.set("id", name)
        _prefix_ids(inner, name)
        article.append(inner)
    mark_heads(article, plan.book, parts[0].story)
    return article


class FlowLinks(PrintLinks):
    """Addresses inside a story's article, where its text parts are one flow (`flow`): an id in
    any of them is the flow's. A page is printed by `target-counter`, counted from the article's
    document: a single story's contents is laid out with its story, which starts the body."""

    def __init__(self, starts: dict[str, int] | None, flow: str, text: frozenset[str]) -> None:
        super().__init__(starts)
        self.flow, self.text = flow, text

    def href(self, target: Target) -> str:
        if target.part in self.text:
            return "#" + anchor(self.flow, target.fragment)
        return super().href(target)


def _prefix_ids(element: etree._Element, part_id: str) -> None:
    """Ids are unique within a part; in the one print document they are made unique in the book."""
    for el in element.iterdescendants():
        if el.get("id"):
            el.set("id", anchor(part_id, el.get("id")))
        for name in ("aria-labelledby",):
            if el.get(name):
                el.set(name, anchor(part_id, el.get(name)))
    if element.get("aria-labelledby"):
        element.set("aria-labelledby", anchor(part_id, element.get("aria-labelledby")))

"""The EPUB backend: BookPlan -> EPUB 3 bytes (with NCX for older readers), written with ebooklib.

Each part of the plan becomes one package document, `text/<part id>.xhtml`, its body from
`compose.part_body` (so the PDF shows the same pages), and is handed to ebooklib as a plain `EpubItem`: ebooklib's `EpubHtml` would re-parse it with an HTML
parser and rebuild its head. The zip ebooklib writes is then repacked with fixed timestamps so
identical inputs give byte-identical books.
"""
from __future__ import annotations

import io
from datetime import datetime, timezone
from importlib import resources

from ebooklib import epub
from lxml import etree

from ..compose import BookPlan, Entry, Part, Resource, Target, part_body
from ..errors import StoryError, story_failure
from ..executors import Pool
from ..parallel import Crash
from ..progress import Progress, report
from ..render import document, serialize, direction
from .epubpackage import NAV_FILE, guide, nav_document, opf_metadata
from .output import build_time, stable_zip

STYLESHEETS = ("base.css", "epub.css")
USER_STYLESHEET = "user.css"  # --css
_BODY_CLASS = {"cover": "cover", "titlepage": "titlepage", "toc": "contents", "story-title": "story-titlepage",
               "story": "story", "credits": "credits"}


def stylesheet(name: str) -> bytes:
    return resources.files("bookbinder.styles").joinpath(name).read_bytes()


class EpubLinks:
    """Addresses inside the package: every part is `text/<id>.xhtml`, resources sit beside `text/`."""

    def href(self, target: Target) -> str:
        return f"{target.part}.xhtml" + (f"#{target.fragment}" if target.fragment else "")

    def resource(self, resource: Resource) -> str:
        return f"../{resource.name}"

    def page(self, target: Target) -> None:
        return None  # a reflowing book has no page numbers


def write_epub(plan: BookPlan, progress: Progress | None = None, executor=None) -> bytes:
    """The plan as EPUB bytes; its stories' documents rendered as units on `executor`."""
    meta = plan.metadata
    when = build_time(plan.book.newest_input)
    ebook = epub.EpubBook()
    ebook.set_identifier(meta.identifier)
    ebook.set_title(meta.title)
    ebook.set_language(meta.language)
    if direction(meta.language) == "rtl":
        ebook.set_direction("rtl")  # the spine's page-progression-direction: pages turn right to left
    sheets = {name: stylesheet(name) for name in STYLESHEETS}
    if plan.book.info.css is not None:
        sheets[USER_STYLESHEET] = plan.book.info.css.encode("utf-8")  # the user's, after the book's own
    for name, content in sheets.items():
        ebook.add_item(epub.EpubItem(uid=f"css-{name[:-4]}", file_name=f"styles/{name}",
                                     media_type="text/css", content=content))
    documents = _documents(plan, [f"../styles/{n}" for n in sheets], progress, executor)
    items = []
    for part in plan.parts:
        items.append(epub.EpubItem(uid=part.id, file_name=_file(part.id), media_type="application/xhtml+xml",
                                   content=documents[part.id]))
        ebook.add_item(items[-1])
    cover_id = None
    for resource in plan.resources:
        ebook.add_item(epub.EpubItem(uid="cover-image" if resource.cover else _uid(resource.name, "res-"),
                                     file_name=resource.name,
                                     media_type=resource.media_type, content=resource.data))
        if resource.cover:
            ebook.items[-1].properties = ["cover-image"]
            cover_id = "cover-image"
    opf_metadata(ebook, plan, cover_id)
    ebook.toc = [_toc(entry) for entry in plan.toc]
    ebook.add_item(epub.EpubNcx())
    # The navigation document is no page of the book: in the manifest, out of the spine.
    nav = epub.EpubItem(uid="nav", file_name=NAV_FILE, media_type="application/xhtml+xml",
                        content=nav_document(plan, [f"styles/{n}" for n in sheets],
                                             lambda target: "text/" + EpubLinks().href(target)))
    nav.properties = ["nav"]
    ebook.add_item(nav)
    ebook.spine = items
    ebook.guide = guide(plan, _file)
    buffer = io.BytesIO()
    # ebooklib's own zip is only an intermediate (repacked below), so it need not compress.
    modified = _modified(meta.modified, when)
    epub.write_epub(buffer, ebook, {"mtime": modified.replace(tzinfo=None), "epub2_guide": True, "compresslevel": 0,
                                    "raise_exceptions": True})
    return stable_zip(buffer.getvalue(), when, {"EPUB/content.opf": lambda opf: _package_language(opf, meta.language)})


def _modified(stated: str | None, built: datetime) -> datetime:
    """dcterms:modified: the last update the stories state (so a rebuild of the same story says the
    same), else the build's time."""
    if stated:
        return datetime.fromisoformat(stated).replace(tzinfo=timezone.utc)
    return built


def _file(part_id: str) -> str:
    return f"text/{part_id}.xhtml"


def _documents(plan: BookPlan, stylesheets: list[str], progress: Progress | None = None,
               executor=None) -> dict[str, bytes]:
    """Every part as a serialised XHTML document; the stories' parts as work units on the build's
    executor (in parallel), each story's failure its own (a StoryError naming it)."""
    links = EpubLinks()

    def render(part: Part) -> bytes:
        body = part_body(plan, part, links)
        return serialize(document(part.title, part.language, body, stylesheets, body_class=_BODY_CLASS[part.kind]))

    def story_documents(index: int) -> list[tuple[str, bytes]]:
        with story_failure(plan.book.stories[index].source, index):
            return [(part.id, render(part)) for part in plan.parts if part.story == index]

    out = {part.id: render(part) for part in plan.parts if part.story is None}
    total = len(plan.book.stories)
    done: dict[int, object] = {}
    for index, rendered in (executor or Pool()).run(story_documents, range(total)):
        done[index] = rendered
        report(progress, "rendering", len(done), total)
    for index in range(total):
        rendered = done[index]
        if isinstance(rendered, Crash):
            raise StoryError(f"left out of the book: rendering it failed ({rendered.reason})",
                             plan.book.stories[index].source, index)
        out.update(rendered)
    return out


def _package_language(opf: bytes, language: str) -> bytes:
    """xml:lang on <package>: reading systems and Ace take the book's language from there."""
    root = etree.fromstring(opf)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _toc(entry: Entry):
    href = f"text/{EpubLinks().href(entry.target)}"
    if not entry.children:
        return epub.Link(href, entry.title, _uid(href))
    return (epub.Section(entry.title, href), [_toc(c) for c in entry.children])


def _uid(href: str, prefix: str = "toc-") -> str:
    return prefix + "".join(c if c.isalnum() else "-" for c in href)

"""The PDF backend: Book -> a print-ready PDF, rendered by WeasyPrint from the story XHTML.

The book is one HTML document: a title page, a contents page whose page numbers come from
`target-counter`, then per story its title page (AO3-style preface) and text, and the credits.
A single story of several chapters has its contents page of chapters in its own article, after
its title page, so that `target-counter` numbers it in either path (`printdoc` writes the
document). Every story opens on a recto. The print stylesheet (`styles/print.css`) adds mirrored
margins, running heads (`furniture`: none where a chapter opens, none on title pages), folios,
hyphenation, widows and orphans. Fonts: Source Serif Pro from its PyPI package, embedded.
Rendering reads nothing but the build's own files (`fetcher.ResourceFetcher`), and story data
reaches the page only as document text: running heads come from `string-set` on elements, never
from stylesheets written with a title in them.
"""
from __future__ import annotations

import io
import logging
import threading
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from lxml import etree

from ..compose import BookPlan, Part
from ..errors import BuildError, StoryError, story_failure
from ..executors import Executor, Pool
from ..parallel import Crash
from ..progress import Progress, report
from ..render import document, serialize
from .cover import font_file
from .epub import stylesheet
from .fetcher import ResourceFetcher
from .balance import Fill, balanced, stretch_breaks
from .furniture import title_pages
from .partcache import PartCache
from .pdfmeta import with_metadata
from .pdfmerge import Mark, Part as LaidOut, folio_overlay, lay_out, merge
from .pagesize import geometry, gutter_css, inset_css, page_css, small_page_css
from .press import output_profile, to_pdf_x, with_press
from .print_options import PrintOptions
from .printdoc import PrintLinks, body_groups, in_front, page_element, print_document, print_story


def write_pdf(plan: BookPlan, options: PrintOptions = PrintOptions(), progress: Progress | None = None,
              executor: Executor | None = None) -> bytes:
    """Tagged books are laid out as one document (a tagged PDF cannot be merged); others in parallel.
    For print on demand, the gutter follows the page count: laid out again if the count crosses
    into a band that needs a wider one (rarely: the first guess comes from the word count)."""
    page_css(options.page_size)  # an unknown size, or no press profile, fails before any work
    if options.press:
        output_profile()
    executor = executor or Pool()
    if options.pod is None:
        return _lay_out(plan, options, progress, executor)
    rules = _rules(options)
    gutter = rules.least_gutter(rules.estimate(_estimated_pages(plan, options)))
    for _ in range(3):
        data = _lay_out(plan, replace(options, gutter=gutter + _GUTTER_EASE), progress, executor)
        needed = rules.least_gutter(_page_count(data))
        if needed <= gutter:
            return data
        gutter = needed
    return data


_GUTTER_EASE = 0.125  # inches over the service's least gutter: type does not run into the binding


def _lay_out(plan: BookPlan, options: PrintOptions, progress: Progress | None, executor: Executor) -> bytes:
    if options.tagged:
        data = _whole_book(plan, options, progress)
    else:
        data = _parallel_book(plan, options, progress, executor)
    return to_pdf_x(data) if options.press else data


def _estimated_pages(plan: BookPlan, options: PrintOptions) -> int:
    """Pages from the word count, at the words a page of this size holds (about 300 on 6x9 in)."""
    (width, height), _ = _page_geometry(options.page_size)
    per_page = 300 * (width * height) / (432 * 648)
    return int(sum(s.words for s in plan.book.stories) / per_page) + 4 * len(plan.book.stories) + 4


def _page_count(pdf: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return len(doc.pages)


def _whole_book(plan: BookPlan, options: PrintOptions, progress: Progress | None = None) -> bytes:
    """One WeasyPrint document: contents numbers from target-counter, folios from counter(page)."""
    report(progress, "laying out", 0, 1, "books")
    plain = print_document(plan)
    tree, notes = _set_lines(plan, plain, options)
    _log_notes(notes)
    document = _render(plan, tree, options)
    if options.balance_pages and tree is not plain:  # the whole book's short pages, as a story's alone
        document = _balanced(plan, plain, document, options, "")
    report(progress, "laying out", 1, 1, "books", f"{len(document.pages):,} pages")
    data = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=plan.metadata.identifier.encode("ascii"))
    data = with_metadata(data, plan.metadata)  # WeasyPrint's Subject would be the summary
    return _closing_blanks(data) if _ending(options) == "blank" else data


def _closing_blanks(pdf: bytes) -> bytes:
    """The book ended on a blank page, on an even count (its last page, the credits, has text)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        size = tuple(float(v) for v in doc.pages[-1].mediabox[2:])
        for _ in range(2 - len(doc.pages) % 2):
            doc.add_blank_page(page_size=size)
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
    return out.getvalue()


def _parallel_book(plan: BookPlan, options: PrintOptions, progress: Progress | None, executor: Executor) -> bytes:
    """Pass one: every story (and the credits) laid out on its own, one process per core. Pass
    two: the front matter with the page numbers now known, then the merge (folios, outline)."""
    book, links = plan.book, PrintLinks()
    groups = body_groups(plan)

    parts = PartCache(options.parts_cache) if options.parts_cache else None

    keys = {i: parts.key(plan, g, options) for i, g in enumerate(groups) if g[0].story is not None} if parts else {}
    kept = {i: laid for i, key in keys.items() if (laid := parts.load(key)) is not None}  # read here: no worker needed

    def lay_out_group(index: int) -> LaidOut:
        group = groups[index]
        story = group[0].story
        if story is None:
            return _render_body(plan, options, [page_element(plan, part, links) for part in group])
        with story_failure(book.stories[story].source, story):
            # Laid out alone, a story's ids need no prefix: so its part is the same wherever it stands.
            return _render_body(plan, options, [print_story(plan, group, links, alone=True)], text="story-text")

    done: dict[int, LaidOut | Crash] = dict(kept)
    pages = sum(part.pages for part in kept.values())
    report(progress, "laying out", len(done), len(groups), "parts")
    todo = [i for i in range(len(groups)) if i not in kept]
    for n, part in executor.run(lay_out_group, todo, isolate=True):
        done[todo[n]] = part
        if parts and todo[n] in keys and not isinstance(part, Crash):  # kept here: a worker may be elsewhere
            parts.store(keys[todo[n]], part)
        pages += 0 if isinstance(part, Crash) else part.pages
        report(progress, "laying out", len(done), len(groups), "parts",
               f"{pages:,} pages" + (f", {len(kept)} from the cache" if kept else ""))
    laid = [done[i] for i in range(len(groups))]
    for group, part in zip(groups, laid):
        if isinstance(part, Crash) and group[0].story is not None:
            raise StoryError(f"left out of the book: laying it out failed ({part.reason})",
                             book.stories[group[0].story].source, group[0].story)
        if isinstance(part, Crash):
            raise BuildError(f"the credits page could not be laid out ({part.reason})")
    _log_notes(note for part in laid for note in part.notes)
    layout = lay_out(laid)
    size, margins = _page_geometry(options.page_size)
    front, folios = _front_and_folios(plan, options, groups, layout, size, margins, executor)
    report(progress, "merging", 0, 1, "books")
    merged = merge(plan.metadata, front, laid, layout, size, margins, ending=_ending(options), folios=folios)
    report(progress, "merging", 1, 1, "books", f"{layout.body_pages:,} pages")
    return merged


def _front_and_folios(plan: BookPlan, options: PrintOptions, groups: list[list[Part]], layout, size, margins,
                      executor: Executor) -> tuple[LaidOut | None, bytes]:
    """Pass two, as two units at once: the front matter (its contents page numbers now known) and
    the folios of the body pages; both need only the body's layout."""
    def front() -> LaidOut | None:
        if not plan.book.is_anthology:
            return None
        starts = {group[0].id: start for group, start in zip(groups, layout.starts)}
        front_parts = [p for p in plan.parts if in_front(p)]
        return _render_body(plan, options, [page_element(plan, p, PrintLinks(starts)) for p in front_parts],
                            _NO_FOLIOS + _LITERAL_PAGE_NUMBERS)

    def folios() -> bytes:
        return folio_overlay(layout, size, margins, _furniture_inset(options))

    units = {"front": front, "folios": folios}
    names = ["front", "folios"] if plan.book.is_anthology else ["folios"]
    made = dict(executor.run(lambda name: units[name](), names, isolate=True))  # names cross to a worker
    answers = [made[i] for i in sorted(made)]
    if any(isinstance(a, Crash) for a in answers):
        raise BuildError(f"the front matter or the folios could not be laid out "
                         f"({next(a for a in answers if isinstance(a, Crash)).reason})")
    return (answers[0], answers[1]) if plan.book.is_anthology else (None, answers[0])


def _render_body(plan: BookPlan, options: PrintOptions, body: list[etree._Element], extra_css: str | None = None,
                 text: str | None = None) -> LaidOut:
    """A part laid out on its own; `text`: the id where a story's text starts (the pages before it,
    its title page, carry no folio)."""
    extra_css = _NO_FOLIOS if extra_css is None else extra_css
    plain = document(plan.metadata.title, plan.metadata.language, body, body_class="print")
    with _ONE_LAYOUT:
        tree, notes = _set_lines(plan, plain, options, extra_css)
        doc = _render(plan, tree, options, extra_css)
        if text and options.balance_pages and tree is not plain:  # a story whose lines were set here
            doc = _balanced(plan, plain, doc, options, extra_css)
        bare = title_pages(doc, text) if text else ()
        return LaidOut(doc.write_pdf(), len(doc.pages), _marks(doc.make_bookmark_tree()), notes, bare)


# One layout at a time in a process: Pango's font map (`_styles`) is not thread-safe, and a scaled
# line (linewrite's fx-N) loads a font size while another thread lays out (Dask runs units in threads).
_ONE_LAYOUT = threading.Lock()


def _marks(tree) -> tuple[Mark, ...]:
    return tuple(Mark(label, target[0], _marks(children)) for label, target, children, _ in tree)


def _render(plan: BookPlan, tree: etree._ElementTree, options: PrintOptions, extra_css: str = ""):
    from weasyprint import HTML

    fonts, stylesheets = _styles(options.page_size, with_press(extra_css, options.press), plan.book.info.css,
                                 options.gutter, _furniture_inset(options))
    html = serialize(tree).decode("utf-8")
    return HTML(string=html, url_fetcher=build_fetcher(plan)).render(stylesheets=stylesheets, font_config=fonts)


def _set_lines(plan: BookPlan, tree: etree._ElementTree, options: PrintOptions, extra_css: str = "",
               looser: frozenset = frozenset()) -> tuple[etree._ElementTree, tuple[str, ...]]:
    """The tree with each justified paragraph's line breaks chosen at once (`linebreak`), and a
    note for each paragraph left to WeasyPrint's own breaks. A user's stylesheet may change the
    type the lines would be measured in, so with one WeasyPrint breaks them all. `looser`: the
    paragraphs to set a line longer (`balance`)."""
    from .linebreak import set_lines

    if not options.set_lines:
        return tree, ()
    if plan.book.info.css is not None:
        return tree, ("every paragraph: --css may change the type the lines would be measured in",)
    lines = set_lines(tree, *_measure(options, extra_css), looser=looser)
    return lines.tree, lines.left


def _measure(options: PrintOptions, extra_css: str):
    """The column and type the lines are set in, and the font map WeasyPrint will set them with."""
    from .linebreak import Measure

    (width, _), (inner, outer) = _page_geometry(options.page_size)
    inner = inner if options.gutter is None else float(options.gutter) * 72
    column = (width - inner - outer) * 4 / 3 - 2 * _BODY_MARGIN_PX  # CSS px
    fonts, _ = _styles(options.page_size, with_press(extra_css, options.press), None, options.gutter,
                       _furniture_inset(options))  # _render's
    return Measure(column, geometry(options.page_size).body_pt * 4 / 3), fonts.font_map


def _balanced(plan: BookPlan, plain: etree._ElementTree, doc, options: PrintOptions, extra_css: str):
    """The story laid out again with a paragraph set a line longer on each short page (`balance`),
    if that leaves fewer pages short; else `doc`."""
    from .linebreak import loosen_costs

    def relay(chosen: Fill):
        tree = _set_lines(plan, plain, options, extra_css, chosen.looser)[0]  # a copy of `plain`
        stretch_breaks(tree, chosen.stretched)
        return _render(plan, tree, options, extra_css)
    return balanced(doc, relay, lambda numbers: loosen_costs(plain, *_measure(options, extra_css), numbers))


def _log_notes(notes) -> None:
    """Paragraphs left to WeasyPrint's breaks: logged in the parent (workers are quiet), each once,
    shown by -v."""
    for note in dict.fromkeys(notes):
        _lines_log.info("[lines-left] %s", note)


_BODY_MARGIN_PX = 8    # WeasyPrint's own stylesheet: body { margin: 8px }
_lines_log = logging.getLogger("bookbinder.lines")


@lru_cache(maxsize=8)
def _styles(page_size: str, extra_css: str, user_css: str | None = None, gutter: float | None = None,
            inset: float | None = None):
    """Fonts and parsed stylesheets: built once per process, shared by every story it renders.

    `extra_css` is one of this module's constants, never text from a story; `user_css` is the
    user's own --css file, parsed after the book's stylesheets and read through the same fetcher."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    _quiet_weasyprint()
    fetcher = build_fetcher()
    fonts = FontConfiguration()  # @font-face rules only load through a FontConfiguration
    sheets = [page_css(page_size), stylesheet("base.css").decode("utf-8"),
              stylesheet("print.css").decode("utf-8") + extra_css + small_page_css(page_size) + gutter_css(gutter)
              + inset_css(inset)]
    if user_css is not None:
        sheets.append(user_css)
    stylesheets = [CSS(string=sheet, url_fetcher=fetcher, font_config=fonts) for sheet in sheets]
    return fonts, stylesheets


def build_fetcher(plan: BookPlan | None = None) -> ResourceFetcher:
    """The fetcher of a print build: the book face's files (print.css names them) and the plan's
    resources (the images its stories show), nothing else."""
    files: dict[str, bytes | Path] = {f"fonts/{path.name}": path for style in _FACES if (path := font_file(style))}
    for resource in plan.resources if plan else ():
        files[resource.name] = resource.data
    return ResourceFetcher(files)


_NO_FOLIOS = """
@page :left { @bottom-left { content: none; } }
@page :right { @bottom-right { content: none; } }
"""
_LITERAL_PAGE_NUMBERS = """
section.contents p.toc-title [data-page]::after { content: leader(". ") attr(data-page); }
"""


def _page_geometry(page_size: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """(width, height) and (inner, outer) margins in points, as print.css (or, on a small page,
    `pagesize`) sets them."""
    page = geometry(page_size)
    return page.size, page.margins[1:3]


# ------------------------------------------------------------------ styles and fonts
def _ending(options: PrintOptions) -> str:
    """How the book ends (pdfmerge.merge): on an even page; for print on demand on its last page of
    text, or, for a service that asks for it, on a blank page."""
    rules = _rules(options)
    return "even" if rules is None else "blank" if rules.blank_last_page else "text"


def _furniture_inset(options: PrintOptions) -> float | None:
    """For print on demand, how far from the trim running heads and folios sit, in inches: the
    service's safety margin, and never nearer than 0.375 in (where print.css puts them)."""
    rules = _rules(options)
    return None if rules is None else max(rules.safety, 0.375)


def _rules(options: PrintOptions):
    """The print-on-demand service's rules (pod.Service), or None."""
    if options.pod is None:
        return None
    from .pod import service

    return service(options.pod)


_FACES = ("Regular", "It", "Semibold", "Bold", "BoldIt")  # Source Serif Pro's files, as print.css names them


def _quiet_weasyprint() -> None:
    """WeasyPrint warns about CSS it ignores (EPUB-only properties); a book build need not show that."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)

"""The PDF backend's whole output: BookPlan + PrintOptions -> Output (the interior and its companions).

The interior comes from `pdf.write_pdf`; beside it, when asked, the imposed sheets for hand
binding and their printing guide (`impose`) and the print-on-demand cover spread (`pod`), all made
here from the interior's bytes, so the build writes whatever a backend hands back and never reads
a book back from disk.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..compose import BookPlan, book_metadata
from ..errors import UsageError
from ..progress import report
from . import Context, Failure, File, Output
from .print_options import SCHEMES, ImposeOptions, PrintOptions

if TYPE_CHECKING:
    from .impose import Imposition

PRINT_PPI = 300  # what KDP, Lulu and IngramSpark ask of a cover's images at their printed size


def write_pdf_book(plan: BookPlan, options: PrintOptions, ctx: Context) -> Output:
    from .pdf import write_pdf

    interior = write_pdf(plan, options, ctx.progress, ctx.executor)
    files, failures = [File("pdf", interior)], []
    if options.impose is not None:
        imposed = _imposed(interior, plan, options, ctx)
        if isinstance(imposed, Failure):
            failures.append(imposed)
        else:
            files += imposed
    if options.pod is not None and options.pod.cover_pdf:
        made = _cover_spread(interior, plan, options)
        (files if isinstance(made, File) else failures).append(made)
        if isinstance(made, File) and plan.book.info.cover is not None:
            files[-1] = File(made.suffix, made.data, "; ".join(filter(None, [made.said, *_low_resolution(
                plan.book.info.cover, _trim(interior))])))
    return Output(tuple(files), tuple(failures))


def _imposed(interior: bytes, plan: BookPlan, options: PrintOptions, ctx: Context) -> tuple[File, ...] | Failure:
    """The interior's pages on sheets to print, fold and sew, and the guide to doing it; a Failure
    (the interior stands) when the sheets cannot be made of this book as asked (--signatures)."""
    from .impose import impose

    report(ctx.progress, "imposing", 0, 1, "books")
    try:
        imposed = impose(interior, options.impose, plan.book.title)
    except UsageError as exc:  # only the laid-out book's page count tells
        return Failure("imposed.pdf", f"no imposition: {exc.detail}")
    report(ctx.progress, "imposing", 1, 1, "books", f"{imposed.sheets} sheets")
    sheets = File("imposed.pdf", imposed.pdf, _imposed_said(imposed, options.impose))
    return (sheets, File("guide.pdf", imposed.guide)) if imposed.guide is not None else (sheets,)


def _imposed_said(imposed: Imposition, options: ImposeOptions) -> str:
    """What the imposition made, in a line: signatures, sheets, blanks, flyleaves and scale."""
    from ..plural import plural
    from .impose import percent

    sheets, sewn = f"{plural(imposed.sheets, 'sheet')} of {options.paper}", SCHEMES[options.scheme].sewn
    said = [f"{plural(len(imposed.signatures), 'signature')} on {sheets}" if sewn
            else f"{sheets}, each folded on its own",
            f"{plural(imposed.blanks, 'blank page')} added to fill the last {'signature' if sewn else 'sheet'}"]
    if options.signatures and len(imposed.signatures) > len(options.signatures):
        said.append(f"--signatures' last number ({options.signatures[-1]}) repeated for the pages left")
    if options.flyleaves:
        said.append(f"{options.flyleaves} {'flyleaf' if options.flyleaves == 1 else 'flyleaves'} before and after "
                    "the pages")
    if imposed.plan.layout.scale != 1:
        said.append(f"pages scaled to {percent(imposed.plan.layout.scale)} to fit (--scale-to-fit)")
    return ", ".join(said)


def _trim(interior: bytes) -> tuple[tuple[float, float], int]:
    """The interior's page size in points, and its page count."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(interior)) as doc:
        box = doc.pages[0].mediabox
        return (float(box[2]) - float(box[0]), float(box[3]) - float(box[1])), len(doc.pages)


def _cover_spread(interior: bytes, plan: BookPlan, options: PrintOptions) -> File | Failure:
    """Back, spine and front, sized by the interior's final page count."""
    from .cover import cover_image
    from .pod import cover_spread, service

    book, pod = plan.book, options.pod
    trim, pages = _trim(interior)
    meta = book_metadata(book)
    rules = service(pod)
    try:
        spread = cover_spread(book.title, ", ".join(meta.authors or meta.editors), meta.description, pages, trim,
                              book.info.cover or cover_image(book), pod.paper_color, pod.guides, rules,
                              front_bleeds=book.info.cover is not None)
    except UsageError as exc:  # a service whose spine only its own template gives: the interior stands
        return Failure("cover.pdf", f"no cover spread: {exc.detail}")
    paper = f"{pod.spine_per_page} in a page" if pod.spine_per_page is not None else f"{pod.paper_color} paper"
    return File("cover.pdf", spread.pdf, f"cover spread {spread.width / 72:.3f} x {spread.height / 72:.3f} in with "
                f"bleed, spine {spread.spine / 72:.3f} in for {pages} pages ({paper}, {rules.title})")


def _low_resolution(image: bytes, trim_pages: tuple[tuple[float, float], int]) -> list[str]:
    """A line when the user's front image has fewer than PRINT_PPI pixels an inch over the front
    (trim in points, plus the 0.125 in bleed it fills)."""
    from ..images import inspect_image

    (width, height), _ = trim_pages
    picture = inspect_image(image, decode=False)
    inches = ((width / 72) + 0.125, (height / 72) + 0.25)
    ppi = min(picture.width / inches[0], picture.height / inches[1])
    if ppi >= PRINT_PPI:
        return []
    return [f"the --cover image is {ppi:.0f} pixels an inch at its printed size ({picture.width} x {picture.height} "
            f"over {inches[0]:.2f} x {inches[1]:.2f} in); print services ask for {PRINT_PPI}, so it may print soft"]

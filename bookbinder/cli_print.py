"""The print flags of `bookbinder build`: their declarations and what they make, `PrintOptions`.

The PDF backend's options, declared here so the command's module stays the command: click types
for sizes, sheet lists and finite numbers, one decorator (`print_flags`) that adds every print,
imposition and print-on-demand flag, and `print_options`, which turns what was given into the
backend's options (an imposition flag typed without --impose is one usage line).
"""
from __future__ import annotations

import math

import click

from .backends.pod import SERVICES
from .backends.print_options import (DEFAULT_PAGE_SIZE, PAGE_SIZES, SCHEMES, ImposeOptions, PrintOptions,
                                      page_points, pod_options, sheet_list)
from .errors import BookbinderError, UsageError


class Finite(click.FloatRange):
    """A number in a range, and a real one: nan and inf are not sizes (FloatRange lets nan through,
    since every comparison with it is false)."""

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a number", param, ctx)
        return number


class SheetList(click.ParamType):
    """--signatures: the sheets of each signature, between commas ("4,4,5,4")."""

    name = "list"

    def convert(self, value, param, ctx):
        try:
            return value if isinstance(value, tuple) else sheet_list(str(value))
        except BookbinderError as exc:
            self.fail(exc.detail, param, ctx)


class PageSize(click.ParamType):
    """A --page-size the print backend knows: a name, or WxH with its unit."""

    name = "size"

    def convert(self, value, param, ctx):
        try:
            page_points(str(value))
        except BookbinderError as exc:
            self.fail(exc.detail, param, ctx)
        return str(value).strip().lower()

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        return [CompletionItem(n) for n in PAGE_SIZES if n.startswith(incomplete.lower())]


def print_flags(command):
    """Every print flag, in the order `--help` lists them."""
    for flag in reversed(_FLAGS):
        command = flag(command)
    return command


_FLAGS = [
    click.option("--page-size", type=PageSize(), default=DEFAULT_PAGE_SIZE, show_default=True,
                 help=f"PDF page size: {', '.join(PAGE_SIZES)}, or WxH in mm or in (105x148mm, 4.25x5.5in)."),
    click.option("--tagged", is_flag=True, help="PDF: a tagged, accessible PDF (PDF/UA-1)."),
    click.option("--pdf-x", is_flag=True, help="PDF: press-ready PDF/X-4, its black pure K, with a CMYK output intent "
                                              "(always so with --pod)."),
    click.option("--impose", type=click.Choice(list(SCHEMES)),
                 help="PDF: also write <name>.imposed.pdf, the pages on sheets to print and fold: into signatures to "
                      "sew (folio, quarto, octavo, sextodecimo), or (perfect) every sheet folded on its own, to glue."),
    click.option("--paper", default="letter", show_default=True,
                 help="Imposition: the printer's paper: letter, a4, legal, tabloid, a3, or WxH in mm."),
    click.option("--sheets-per-signature", type=click.IntRange(1, 32), metavar="N", help="Imposition: sheets folded together "
                                                                        "(default: 4 for folio, 1 for the others)."),
    click.option("--signatures", type=SheetList(), metavar="N,N,...",
                 help="Imposition: the sheets of each signature in turn (4,4,5,4); the last number repeats while pages "
                      "are left, and a list longer than the book needs is an error."),
    click.option("--flyleaves", type=click.IntRange(0, 16), default=0, show_default=True, metavar="N",
                 help="Imposition: N blank leaves (2 pages each) before the first page and after the last."),
    click.option("--scale-to-fit", is_flag=True,
                 help="Imposition: shrink pages too large for the paper to fit it (the percentage is said); "
                      "without it they are refused."),
    click.option("--duplex", type=click.Choice(["long", "short"]), default="long", show_default=True,
                 help="Imposition: the edge your printer turns the sheet on."),
    click.option("--paper-thickness", type=Finite(0, 2), default=0.1, show_default=True, metavar="MM",
                 help="Imposition: for creep, each leaf moves this much toward the spine per leaf outside it."),
    click.option("--sewing-stations", type=click.IntRange(0, 24), default=4, show_default=True, metavar="N",
                 help="Imposition: sewing marks on the spine fold inside each signature (0: none)."),
    click.option("--no-marks", is_flag=True, help="Imposition: no fold, sewing or collation marks."),
    click.option("--no-guide", is_flag=True, help="Imposition: no <name>.guide.pdf, the guide to printing, folding and "
                                                  "sewing the sheets."),
    click.option("--pod", type=click.Choice([*SERVICES, "custom"]),
                 help="PDF: an interior for print on demand, to Amazon KDP's, Lulu's or IngramSpark's published rules "
                      "(gutter by page count, margins, how the book ends), or (custom) the numbers of another "
                      "service's guide; and a cover spread."),
    click.option("--pod-gutter", type=Finite(0, 3, min_open=True), metavar="IN",
                 help="Print on demand: the service's least inside margin, in inches (needed by custom; over a "
                      "preset's)."),
    click.option("--pod-spine-per-page", type=Finite(0, 0.01, min_open=True), metavar="IN",
                 help="Print on demand: the paper's thickness, inches a page, for the cover's spine (needed by custom, "
                      "and by ingram for a cover: its cover template generator's spine width / the page count)."),
    click.option("--paper-color", type=click.Choice(["white", "cream"]), default="white", show_default=True,
                 help="Print on demand: the paper, which sets the spine's width."),
    click.option("--no-cover-pdf", is_flag=True, help="Print on demand: no <name>.cover.pdf."),
    click.option("--cover-guides", is_flag=True, help="Print on demand: trim, spine and barcode guides on the cover."),
]


_NAMES = tuple(reversed([p.name for p in print_flags(lambda: None).__click_params__]))  # in --help order
_IMPOSING = ("paper", "sheets_per_signature", "signatures", "flyleaves", "scale_to_fit", "duplex", "paper_thickness",
             "sewing_stations", "no_marks", "no_guide")


def _typed(names) -> list[str]:
    """The flags of `names` typed on the command line (not defaults, not a config file's)."""
    ctx = click.get_current_context()
    return [f"--{name.replace('_', '-')}" for name in names
            if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE]


def print_options(given: dict, formats: tuple[str, ...] = ("pdf",)) -> PrintOptions:
    """The PDF's options from the flags given; a print flag typed for a build that makes no PDF, or
    an imposition flag without --impose, is one usage line (they were silently dropped)."""
    typed = _typed(_NAMES)
    if "pdf" not in formats and typed:
        raise UsageError(f"{', '.join(typed)} {'is' if len(typed) == 1 else 'are'} for the PDF: add -f pdf "
                         "(or -o book.pdf)")
    if not given["impose"]:  # typed for an imposition that is not asked for: said, not silently dropped
        typed = _typed(_IMPOSING)
        if typed:
            raise UsageError(f"{', '.join(typed)} {'is' if len(typed) == 1 else 'are'} for imposition: add "
                             f"--impose ({', '.join(SCHEMES)})")
    marks = not given["no_marks"]
    impose = ImposeOptions(given["impose"], given["paper"], given["sheets_per_signature"], given["duplex"],
                           given["paper_thickness"], not given["no_guide"], marks,
                           given["sewing_stations"] if marks else 0, marks, signatures=given["signatures"] or (),
                           flyleaves=given["flyleaves"], scale_to_fit=given["scale_to_fit"]) if given["impose"] else None
    pod = pod_options(given["pod"], given["paper_color"], not given["no_cover_pdf"], given["cover_guides"],
                      given["pod_gutter"], given["pod_spine_per_page"])
    return PrintOptions(page_size=given["page_size"].lower(), tagged=given["tagged"], impose=impose, pod=pod,
                        pdf_x=given["pdf_x"])

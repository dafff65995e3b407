"""Options of the print backend, importable without loading WeasyPrint (which takes half a second)."""
from __future__ import annotations

from dataclasses import dataclass

PAGE_SIZES = {"a5": "148mm 210mm", "5.5x8.5in": "5.5in 8.5in", "6x9in": "6in 9in", "a4": "210mm 297mm",
              "letter": "8.5in 11in"}
DEFAULT_PAGE_SIZE = "6x9in"


def page_points(page_size: str) -> tuple[float, float]:
    """(width, height) in points of a PAGE_SIZES name."""
    units = {"mm": 72 / 25.4, "in": 72.0}
    width, height = (float(v[:-2]) * units[v[-2:]] for v in PAGE_SIZES[page_size.casefold()].split())
    return width, height


@dataclass(frozen=True)
class ImposeOptions:
    """Signatures for hand binding (`backends.impose`): the fold, the paper, the printer, the marks."""

    scheme: str = "folio"               # folio, quarto, octavo or sextodecimo
    paper: str = "letter"               # letter, a4, legal, tabloid, a3, or "WxH" in mm ("210x297")
    sheets_per_signature: int | None = None  # default: 4 for folio, 1 for the others
    duplex: str = "long"                # the edge the printer turns the sheet on
    paper_thickness: float = 0.1        # mm, for creep; 0 for none
    guide: bool = True                  # a first sheet that explains the printing
    fold_marks: bool = True
    sewing_stations: int = 4            # marks on the spine fold inside each signature; 0 for none
    collation_marks: bool = True


@dataclass(frozen=True)
class PodOptions:
    """A print-on-demand service's rules (`backends.pod`): the interior's gutter by page count, its
    margins and how it ends, and a cover spread."""

    service: str = "kdp"                # kdp, lulu, ingram (pod.SERVICES), or custom: the numbers below
    paper_color: str = "white"          # white or cream: the spine's width
    cover_pdf: bool = True              # also write <name>.cover.pdf
    guides: bool = False                # trim, spine and barcode guides on the cover
    gutter: float | None = None         # the service's least inside margin, inches (custom; over a preset's)
    spine_per_page: float | None = None  # the paper's thickness, inches a page (custom; over a preset's)


@dataclass(frozen=True)
class PrintOptions:
    page_size: str = DEFAULT_PAGE_SIZE
    tagged: bool = False  # PDF/UA-1: tagged, accessible PDF
    impose: ImposeOptions | None = None  # also write <name>.imposed.pdf
    pod: PodOptions | None = None        # lay out for a print-on-demand service
    gutter: float | None = None          # inside margin in inches, over the stylesheet's
    parts_cache: str | None = None       # a folder where each story's laid-out part is kept (cache.py)
    set_lines: bool = True               # justified paragraphs broken all at once (linebreak.py), not greedily

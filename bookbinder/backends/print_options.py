"""Options of the print backend, importable without loading WeasyPrint (which takes half a second)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scheme:
    """A way of folding printed sheets (impose.py): pages across and down a side, the folds in order
    ("v" takes the left half under the right, "h" the top half under the bottom), the sheets folded
    together by default, and whether they are sewn (a signature of nested sheets) or glued (each
    sheet folded on its own and the folded sheets stacked: perfect binding)."""

    cols: int
    rows: int
    folds: str
    sheets: int = 1
    sewn: bool = True

    @property
    def per_sheet(self) -> int:
        return 2 * self.cols * self.rows


# The folds of hand binding: one entry a way of folding; --impose offers them all.
SCHEMES = {
    "folio": Scheme(2, 1, "v", sheets=4),
    "quarto": Scheme(2, 2, "hv"),
    "octavo": Scheme(4, 2, "vhv"),
    "sextodecimo": Scheme(4, 4, "hvhv"),
    "perfect": Scheme(2, 1, "v", sewn=False),
}
PAPERS = {"letter": (612.0, 792.0), "a4": (595.28, 841.89), "legal": (612.0, 1008.0), "tabloid": (792.0, 1224.0),
          "a3": (841.89, 1190.55)}
from .pagesize import DEFAULT_PAGE_SIZE, PAGE_SIZES, page_points  # noqa: F401 - the print options' names


@dataclass(frozen=True)
class ImposeOptions:
    """Signatures for hand binding (`backends.impose`): the fold, the paper, the printer, the marks."""

    scheme: str = "folio"               # a SCHEMES name: folio, quarto, octavo, sextodecimo or perfect
    paper: str = "letter"               # letter, a4, legal, tabloid, a3, or "WxH" in mm ("210x297")
    sheets_per_signature: int | None = None  # default: the scheme's (4 for folio, 1 for the others)
    duplex: str = "long"                # the edge the printer turns the sheet on
    paper_thickness: float = 0.1        # mm, for creep; 0 for none
    guide: bool = True                  # also a guide to printing, folding and sewing (<name>.guide.pdf)
    fold_marks: bool = True
    sewing_stations: int = 4            # marks on the spine fold inside each signature; 0 for none
    collation_marks: bool = True
    signatures: tuple[int, ...] = ()    # sheets of each signature in order, the last repeated (--signatures)
    flyleaves: int = 0                  # blank leaves before the first page and after the last
    scale_to_fit: bool = False          # pages too large for the paper's cells shrunk to fit, not refused


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
    balance_pages: bool = True           # a short page filled by a paragraph set a line longer (balance.py)
    pdf_x: bool = False                  # PDF/X-4 with K-only black (press.py); print on demand always is

    @property
    def press(self) -> bool:
        """Whether the interior goes to a press: PDF/X-4, its black pure K."""
        return self.pdf_x or self.pod is not None


def sheet_list(text: str) -> tuple[int, ...]:
    """--signatures "4,4,5,4" -> (4, 4, 5, 4): the sheets of each signature in order; UsageError
    for anything but whole numbers between commas (their range is impose.py's to check)."""
    import re

    from ..errors import UsageError

    parts = [part.strip() for part in text.split(",")]
    if len(parts) > 999 or not all(re.fullmatch(r"[0-9]{1,3}", part) for part in parts):
        raise UsageError(f"{text!r}: the sheets of each signature, whole numbers between commas (4,4,5,4)")
    return tuple(int(part) for part in parts)


def pod_options(service: str | None, paper_color: str = "white", cover_pdf: bool = True, guides: bool = False,
                gutter: float | None = None, spine_per_page: float | None = None) -> PodOptions | None:
    """--pod and its numbers: custom needs both of them; over a preset they replace its own; they
    mean nothing without a service (UsageError naming the flags)."""
    from ..errors import UsageError

    numbers = {"--pod-gutter": gutter, "--pod-spine-per-page": spine_per_page}
    if service == "custom" and None in numbers.values():
        missing = " and ".join(k for k, v in numbers.items() if v is None)
        raise UsageError(f"--pod custom needs {missing} (the numbers from your service's guide)")
    if service is None and any(v is not None for v in numbers.values()):
        raise UsageError(f"{' and '.join(k for k, v in numbers.items() if v is not None)}: only with --pod")
    if service is None:
        return None
    return PodOptions(service, paper_color, cover_pdf, guides, gutter, spine_per_page)

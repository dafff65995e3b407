"""Print-on-demand: what a service asks of an interior and a cover, worked out from the page count.

Amazon KDP's numbers, from its help pages ("Set Trim Size, Bleed, and Margins", G201834180, and
"Create a Paperback Cover", G201953020):
- the inside margin (gutter) grows with the page count: 24-150 pages 0.375 in, 151-300 0.5 in,
  301-500 0.625 in, 501-700 0.75 in, 701-828 0.875 in; outside margins at least 0.25 in;
- the spine is the page count x the paper's thickness: white 0.002252 in a page, cream 0.0025 in;
- the cover is one spread, back + spine + front, with 0.125 in of bleed on every outside edge;
  spine text only on books of more than 79 pages, kept 0.0625 in from the spine's edges.
Lulu's and IngramSpark's numbers are not built in: their guides and calculators give them per
paper and binding, and no published table could be checked here. `--pod custom` takes a service's
numbers as the user reads them there: its least gutter and its paper's thickness a page.
"""
from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

from ..errors import UsageError

KDP_GUTTER = ((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75), (828, 0.875))  # (up to pages, inches)
KDP_PAGES = (24, 828)
KDP_SPINE = {"white": 0.002252, "cream": 0.0025}  # inches a page
BLEED = 0.125           # inches, on each outside edge of the cover
SPINE_TEXT_FROM = 80    # pages
SPINE_SAFETY = 0.0625   # inches kept clear on each side of the spine text
BARCODE = (2.0, 1.2)    # inches, left clear at the foot of the back cover for the service's barcode


def kdp_gutter(pages: int) -> float:
    """The least inside margin, in inches, KDP accepts for `pages`; UsageError outside its range."""
    if not KDP_PAGES[0] <= pages <= KDP_PAGES[1]:
        raise UsageError(f"--pod kdp: a paperback has {KDP_PAGES[0]} to {KDP_PAGES[1]} pages; this one has {pages}")
    return next(g for limit, g in KDP_GUTTER if pages <= limit)


def least_gutter(pod, pages: int) -> float:
    """The least inside margin the service accepts for `pages`, in inches (`pod`: a PodOptions)."""
    return pod.gutter if pod.service == "custom" else kdp_gutter(pages)


def spine_width(pages: int, paper: str = "white", per_page: float | None = None) -> float:
    """The spine's width in inches: KDP's paper, or `per_page` inches a page."""
    if per_page is not None:
        return pages * per_page
    if paper not in KDP_SPINE:
        raise UsageError(f"--paper-color {paper!r}: white or cream")
    return pages * KDP_SPINE[paper]


@dataclass(frozen=True)
class CoverSpread:
    pdf: bytes
    width: float    # points, bleed included
    height: float
    spine: float    # points


def cover_spread(title: str, authors: str, blurb: str, pages: int, trim: tuple[float, float], front_png: bytes,
                 paper: str = "white", guides: bool = False, per_page: float | None = None) -> CoverSpread:
    """The paperback cover as one PDF page: back, spine and front, with bleed, and its boxes set
    (MediaBox with the bleed, BleedBox, TrimBox the book's outline)."""
    import pikepdf
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from .cover import reportlab_face

    bleed, spine = BLEED * 72, spine_width(pages, paper, per_page) * 72
    w, h = trim
    width, height = 2 * w + spine + 2 * bleed, h + 2 * bleed
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(width, height), invariant=1)
    face = reportlab_face()
    image = ImageReader(io.BytesIO(front_png))
    front_x = bleed + w + spine
    # The front design fills the front panel and its bleed; the same ground runs across spine and back.
    c.drawImage(image, front_x, 0, width=w + bleed, height=height, preserveAspectRatio=False)
    pixel = image.getRGBData()[:3]
    ground = tuple(b / 255 for b in pixel) if len(pixel) == 3 else (0.15, 0.2, 0.3)
    ink = (0.97, 0.95, 0.9) if sum(ground) < 1.5 else (0.1, 0.1, 0.12)
    c.setFillColorRGB(*ground)
    c.rect(0, 0, front_x, height, stroke=0, fill=1)
    c.setFillColorRGB(*ink)
    if pages >= SPINE_TEXT_FROM and spine >= 2 * SPINE_SAFETY * 72 + 6:
        size = min(11.0, spine - 2 * SPINE_SAFETY * 72)
        c.saveState()
        c.translate(bleed + w + spine / 2, height / 2)
        c.rotate(-90)  # read from head to foot, as English spines are
        c.setFont(face, size)
        text = f"{title}   {authors}".strip()
        while c.stringWidth(text, face, size) > h - 72 and len(text) > 4:
            text = text[:-2].rstrip() + "…"
        c.drawCentredString(0, -size / 3, text)
        c.restoreState()
    margin = bleed + 0.5 * 72
    y = height - bleed - 0.75 * 72
    c.setFont(face, 10.5)
    for paragraph in (blurb or "").split("\n\n"):
        for line in textwrap.wrap(paragraph, width=int((w - 72) / 5.2)):
            if y < bleed + (BARCODE[1] + 0.5) * 72:
                break
            c.drawString(margin, y, line)
            y -= 14
        y -= 8
    if guides:  # trim lines and the spine folds, thin and grey; the barcode's clear box
        c.setStrokeColorRGB(0.5, 0.5, 0.5)
        c.setLineWidth(0.3)
        c.rect(bleed, bleed, 2 * w + spine, h)
        c.line(bleed + w, bleed, bleed + w, bleed + h)
        c.line(bleed + w + spine, bleed, bleed + w + spine, bleed + h)
        c.rect(bleed + w - (BARCODE[0] + 0.25) * 72, bleed + 0.25 * 72, BARCODE[0] * 72, BARCODE[1] * 72)
    c.showPage()
    c.save()
    pdf = pikepdf.open(io.BytesIO(buffer.getvalue()))
    page = pdf.pages[0]
    page.TrimBox = pikepdf.Array([bleed, bleed, width - bleed, height - bleed])
    page.BleedBox = pikepdf.Array([0, 0, width, height])
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    pdf.close()
    return CoverSpread(out.getvalue(), width, height, spine)

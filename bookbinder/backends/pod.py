"""Print-on-demand: what a service asks of an interior and a cover, worked out from the page count.

Each service's numbers are the ones its own published pages give, cited beside them:

- **Amazon KDP** ("Set Trim Size, Bleed, and Margins", kdp.amazon.com/en_US/help/topic/G201834180;
  "Create a Paperback Cover", G201953020): 24 to 828 pages; the inside margin grows with the page
  count (24-150 pages 0.375 in, 151-300 0.5 in, 301-500 0.625 in, 501-700 0.75 in, 701-828
  0.875 in); outside margins at least 0.25 in; the spine is white paper 0.002252 in a page, cream
  0.0025 in; spine text only on books of more than 79 pages, 0.0625 in clear of the spine's edges.
- **Lulu** ("What is bleed?", help.lulu.com/en/support/solutions/articles/64000255584: text and
  everything that matters 0.5 in inside the trim, 0.125 in of bleed; "Tips for formatting
  documents", .../articles/64000255583: margins of at least 0.5 in, "most books will require a
  gutter of 0.2 - 0.3 in" over them; Lulu Print API, "Select a Product": the 60# papers, white
  060UW444 and cream 060UC444, have "a bulk of 444 pages per inch"; its spine width calculator:
  a paperback has at least 32 pages). So the least inside margin is 0.5 + 0.2 in at every page
  count, and the spine 1/444 in a page. Lulu's cover template can differ from this by the cover
  board's thickness, which no published page gives: compare the spread with Lulu's template, and
  give its figure with --pod-spine-per-page if they differ.
- **IngramSpark** ("File Requirements for Print Books", ingramspark.com/blog, 2017: margins of at
  least 0.5 in from the trim on all sides, page numbers included; "the final page should be
  blank"; "Manufacturing and File Setup Tips", help.ingramspark.com/hc/en-us/articles/5338636202637:
  cover art at least 0.25 in from the trim, the spine fold's variance 1/16 in). IngramSpark
  publishes no spine formula: its cover template generator gives the width for a page count and a
  paper, so the cover spread needs that figure (--pod-spine-per-page).

`custom` takes a service's numbers as the user reads them in its guide: its least gutter and its
paper's thickness a page; the rest as the strictest of the three above.
"""
from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass, replace

from ..errors import UsageError

BLEED = 0.125           # inches, on each outside edge of the cover (KDP, Lulu, IngramSpark)
BARCODE = (2.0, 1.2)    # inches, left clear at the foot of the back cover for the service's barcode


@dataclass(frozen=True)
class Service:
    """One print-on-demand service's rules, in inches (see the module's sources)."""

    name: str                               # as --pod says it
    title: str                              # as a person says it
    gutter: tuple[tuple[int, float], ...]   # (up to this many pages, the least inside margin)
    safety: float                           # nothing printed (folios, running heads) nearer the trim
    spine: dict[str, float] | None          # paper -> inches a page; None: only the service's template
    pages: tuple[int | None, int | None] = (None, None)  # the page counts it binds
    spine_text_from: int = 0                # pages; thinner books carry no spine text
    spine_clearance: float = 0.0625         # spine text kept this far from the spine's folds
    blank_last_page: bool = False           # the interior ends on a blank page

    def least_gutter(self, pages: int) -> float:
        """The least inside margin for `pages`; UsageError for a count the service does not bind."""
        low, high = self.pages
        if (low is not None and pages < low) or (high is not None and pages > high):
            bounds = f"{low} to {high}" if high is not None else f"at least {low}"
            raise UsageError(f"--pod {self.name}: a paperback has {bounds} pages; this one has {pages}")
        return next((g for limit, g in self.gutter if pages <= limit), self.gutter[-1][1])

    def estimate(self, pages: int) -> int:
        """`pages` brought inside the counts the service binds (a first guess before layout)."""
        low, high = self.pages
        return max(low or 0, min(high or pages, pages))


_ANY = 10 ** 9  # pages: a gutter that does not grow with the page count
SERVICES = {
    "kdp": Service("kdp", "Amazon KDP", ((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75), (828, 0.875)), safety=0.25,
                   spine={"white": 0.002252, "cream": 0.0025}, pages=(24, 828), spine_text_from=80),
    "lulu": Service("lulu", "Lulu", ((_ANY, 0.5 + 0.2),), safety=0.5, spine={"white": 1 / 444, "cream": 1 / 444},
                    pages=(32, None)),
    "ingram": Service("ingram", "IngramSpark", ((_ANY, 0.5),), safety=0.5, spine=None, blank_last_page=True),
}


def service(pod) -> Service:
    """The rules a PodOptions asks for: a preset, with the user's own figures over it (custom: only
    those, over the strictest margins of the three)."""
    base = SERVICES.get(pod.service) or Service("custom", "your service", ((_ANY, 0.5),), safety=0.5, spine=None)
    if pod.gutter is not None:
        base = replace(base, gutter=((_ANY, pod.gutter),))
    if pod.spine_per_page is not None:
        base = replace(base, spine={pod.paper_color: pod.spine_per_page})
    return base


def spine_width(pages: int, paper: str = "white", rules: Service | None = None) -> float:
    """The spine's width in inches: the page count x the paper's thickness (KDP's by default)."""
    rules = rules or SERVICES["kdp"]
    if rules.spine is None:
        raise UsageError(f"--pod {rules.name}: {rules.title} gives a spine's width only in its cover template "
                         f"generator; enter {pages} pages there and pass --pod-spine-per-page (its width / {pages}), "
                         f"or --no-cover-pdf")
    if paper not in rules.spine:
        raise UsageError(f"--paper-color {paper!r}: {' or '.join(rules.spine)}")
    return pages * rules.spine[paper]


@dataclass(frozen=True)
class CoverSpread:
    pdf: bytes
    width: float    # points, bleed included
    height: float
    spine: float    # points


def cover_spread(title: str, authors: str, blurb: str, pages: int, trim: tuple[float, float], front_png: bytes,
                 paper: str = "white", guides: bool = False, rules: Service | None = None,
                 front_bleeds: bool = False) -> CoverSpread:
    """The paperback cover as one PDF page: back, spine and front, with bleed, and its boxes set
    (MediaBox with the bleed, BleedBox, TrimBox the book's outline).

    The front is drawn on the front panel's trim, its ground carried into the bleed, so the drawn
    design's frame stays where it was drawn (0.3 in inside the trim: IngramSpark asks 0.25 in for
    rules and cover art). `front_bleeds` (the user's own image) fills the panel and its bleed,
    its proportions kept and the overflow cut."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from .cover import reportlab_face

    rules = rules or SERVICES["kdp"]
    bleed, spine = BLEED * 72, spine_width(pages, paper, rules) * 72
    w, h = trim
    width, height = 2 * w + spine + 2 * bleed, h + 2 * bleed
    buffer = io.BytesIO()
    face = reportlab_face()
    # The book face from the first: reportlab's own first font is a Helvetica it does not embed.
    c = canvas.Canvas(buffer, pagesize=(width, height), invariant=1, initialFontName=face)
    c.setTitle(title)  # the book's, not reportlab's "untitled"; a service's file check shows it
    c.setAuthor(authors)
    c.setSubject("Cover")
    c.setCreator("bookbinder")
    image = ImageReader(io.BytesIO(front_png))
    front_x = bleed + w + spine
    # The front's ground runs across the bleed, the spine and the back.
    pixel = image.getRGBData()[:3]
    ground = tuple(b / 255 for b in pixel) if len(pixel) == 3 else (0.15, 0.2, 0.3)
    ink = (0.97, 0.95, 0.9) if sum(ground) < 1.5 else (0.1, 0.1, 0.12)
    c.setFillColorRGB(*ground)
    c.rect(0, 0, width, height, stroke=0, fill=1)
    if front_bleeds:
        _fill(c, image, front_x, 0, w + bleed, height)
    else:
        c.drawImage(image, front_x, bleed, width=w, height=h, preserveAspectRatio=False)
    c.setFillColorRGB(*ink)
    _spine_text(c, f"{title}   {authors}".strip(), face, pages, rules, (bleed, w, h, spine, height))
    _blurb(c, blurb, face, bleed, w, height)
    if guides:
        _guides(c, bleed, w, h, spine)
    c.showPage()
    c.save()
    out = _with_boxes(buffer.getvalue(), bleed, width, height)
    return CoverSpread(out.getvalue(), width, height, spine)


def _spine_text(c, text: str, face: str, pages: int, rules: Service, box: tuple) -> None:
    """Title and author along the spine, head to foot, where the service allows text there."""
    bleed, w, h, spine, height = box
    clear = rules.spine_clearance * 72
    if pages < rules.spine_text_from or spine < 2 * clear + 6:
        return
    size = min(11.0, spine - 2 * clear)
    c.saveState()
    c.translate(bleed + w + spine / 2, height / 2)
    c.rotate(-90)  # read from head to foot, as English spines are
    c.setFont(face, size)
    while c.stringWidth(text, face, size) > h - 72 and len(text) > 4:
        text = text[:-2].rstrip() + "…"
    c.drawCentredString(0, -size / 3, text)
    c.restoreState()


def _blurb(c, blurb: str, face: str, bleed: float, w: float, height: float) -> None:
    """The back's text, wrapped, stopping above the barcode's box."""
    margin, y = bleed + 0.5 * 72, height - bleed - 0.75 * 72
    c.setFont(face, 10.5)
    for paragraph in (blurb or "").split("\n\n"):
        for line in textwrap.wrap(paragraph, width=int((w - 72) / 5.2)):
            if y < bleed + (BARCODE[1] + 0.5) * 72:
                break
            c.drawString(margin, y, line)
            y -= 14
        y -= 8


def _guides(c, bleed: float, w: float, h: float, spine: float) -> None:
    """Trim lines and the spine folds, thin and grey; the barcode's clear box."""
    c.setStrokeColorRGB(0.5, 0.5, 0.5)
    c.setLineWidth(0.3)
    c.rect(bleed, bleed, 2 * w + spine, h)
    c.line(bleed + w, bleed, bleed + w, bleed + h)
    c.line(bleed + w + spine, bleed, bleed + w + spine, bleed + h)
    c.rect(bleed + w - (BARCODE[0] + 0.25) * 72, bleed + 0.25 * 72, BARCODE[0] * 72, BARCODE[1] * 72)


def _with_boxes(data: bytes, bleed: float, width: float, height: float) -> io.BytesIO:
    """The page with its TrimBox (the book's outline) and BleedBox set."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    page = pdf.pages[0]
    page.TrimBox = pikepdf.Array([bleed, bleed, width - bleed, height - bleed])
    page.BleedBox = pikepdf.Array([0, 0, width, height])
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    pdf.close()
    return out


def _fill(c, image, x: float, y: float, w: float, h: float) -> None:
    """`image` over the box, its proportions kept: scaled to cover it, centred, the overflow cut."""
    iw, ih = image.getSize()
    scale = max(w / iw, h / ih)
    c.saveState()
    box = c.beginPath()
    box.rect(x, y, w, h)
    c.clipPath(box, stroke=0, fill=0)
    c.drawImage(image, x + (w - iw * scale) / 2, y + (h - ih * scale) / 2, width=iw * scale, height=ih * scale)
    c.restoreState()

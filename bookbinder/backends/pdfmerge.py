"""Pass two of the print PDF: rendered parts -> one book (pikepdf), with folios, blanks and outline.

Stories come in as separate PDFs, each opening on its own page 1 (a recto). Here they are laid
end to end after the front matter, a blank verso is added wherever the next part must open on
a recto, folios are drawn on every page but the blanks (in the book's face, by reportlab), and
the outline is rebuilt from each part's bookmarks at its final page.
"""
from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

import pikepdf
from pikepdf import Name, OutlineItem, Page

from ..compose import BookMetadata
from .cover import reportlab_face


PAGE_LINK = "bookbinder-page:"  # a front-matter link to a body folio, made a link inside the book here


@dataclass(frozen=True)
class Mark:
    label: str
    page: int                   # 0-based, within its part
    children: tuple["Mark", ...] = ()


@dataclass(frozen=True)
class Part:
    pdf: bytes
    pages: int
    marks: tuple[Mark, ...]
    notes: tuple[str, ...] = ()  # what its layout could not do as asked (paragraphs left to greedy breaks)
    bare: tuple[int, ...] = ()   # its pages (0-based) that carry no folio: a story's title page


@dataclass(frozen=True)
class Layout:
    """Where each part starts in the body (1-based folio) and where blank versos fall."""

    starts: tuple[int, ...]
    body_pages: int
    blanks: frozenset[int]      # body folios that are blank versos
    bare: frozenset[int] = frozenset()  # body folios of title pages: counted, not printed


def lay_out(parts: list[Part]) -> Layout:
    starts, blanks, bare, folio = [], set(), set(), 1
    for part in parts:
        starts.append(folio)
        bare.update(folio + page for page in part.bare)
        folio += part.pages
        if part.pages % 2:       # the next part opens on a recto: a blank verso first
            blanks.add(folio)
            folio += 1
    return Layout(tuple(starts), folio - 1, frozenset(blanks), frozenset(bare))


def merge(meta: BookMetadata, front: Part | None, parts: list[Part], layout: Layout, size: tuple[float, float],
          margins: tuple[float, float], ending: str = "even", folios: bytes | None = None) -> bytes:
    """The book: front matter, then the parts, each opening on a recto. `ending`: "even" closes
    the last part with a blank verso where it ends on a recto; "text" (print on demand) ends on
    the last page of text; "blank" (a service that asks for it) ends on a blank page, on an even
    count, adding two where the text ends on a verso."""
    trailing_blank = ending != "text"
    out = pikepdf.new()
    sources = []  # kept open until the book is saved: pikepdf copies their objects lazily
    everything = [front, *parts] if front else parts
    for number, part in enumerate(everything, 1):
        src = pikepdf.open(io.BytesIO(part.pdf))
        sources.append(src)
        first = len(out.pages)
        with warnings.catch_warnings():  # its named destinations: made explicit just below
            warnings.simplefilter("ignore", getattr(pikepdf, "PageCopyWarning", UserWarning))  # pikepdf 10 has it
            out.pages.extend(src.pages)
        _explicit_links(out, src, first)
        if len(out.pages) % 2 and (trailing_blank or number < len(everything)):
            out.add_blank_page(page_size=size)
    body_pages = layout.body_pages - (0 if trailing_blank or layout.body_pages not in layout.blanks else 1)
    front_pages = len(out.pages) - body_pages
    if ending == "blank" and layout.body_pages not in layout.blanks:
        out.add_blank_page(page_size=size)
        out.add_blank_page(page_size=size)
    folios = pikepdf.open(io.BytesIO(folios if folios is not None else folio_overlay(layout, size, margins)))
    sources.append(folios)
    for i in range(body_pages):
        if i + 1 not in layout.blanks:
            _overlay(out, Page(out.pages[front_pages + i]), Page(folios.pages[i]), f"/BBFolio{i + 1}")
    _outline(out, front, parts, layout, front_pages)
    _page_links(out, front_pages, layout.body_pages)
    _page_labels(out, front_pages)
    share_fonts(out)
    _metadata(out, meta)
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    for src in sources:
        src.close()
    return buffer.getvalue()


def share_fonts(out: pikepdf.Pdf) -> int:
    """One embedded font file per face for the whole book, where each part brought its own subset.

    WeasyPrint subsets the book face for each part it lays out, keeping the glyph ids of the
    whole font (the glyphs a part does not use are left empty). So the subsets of one face line up
    glyph by glyph, and one font holding every glyph any part uses serves every part unchanged.
    Returns how many font files were folded into others."""
    faces: dict[str, list[pikepdf.Dictionary]] = {}
    for obj in out.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == Name.FontDescriptor and "/FontFile2" in obj:
            faces.setdefault(str(obj.FontName).split("+", 1)[-1], []).append(obj)
    folded = 0
    for descriptors in faces.values():
        streams = list({d.FontFile2.objgen: d.FontFile2 for d in descriptors}.values())
        if len(streams) < 2:
            continue
        merged = _union_of_subsets([s.read_bytes() for s in streams])
        if merged is None:
            continue  # subsets that do not line up: left as they are
        shared = out.make_stream(merged)
        shared.Length1 = len(merged)
        for d in descriptors:
            d.FontFile2 = shared
        folded += len(streams) - 1
    return folded


def _union_of_subsets(fonts: list[bytes]) -> bytes | None:
    """TrueType subsets of one font, with the font's glyph ids kept -> one font with all their glyphs."""
    from fontTools.ttLib import TTFont

    # In a fixed order (the most glyphs, then by content), so the result depends on the subsets alone.
    fonts = sorted(fonts, key=lambda data: (-len(data), hashlib.sha256(data).digest()))
    loaded = [TTFont(io.BytesIO(data), recalcTimestamp=False) for data in fonts]  # no clock in the book
    if any("glyf" not in f for f in loaded):
        return None
    base = max(loaded, key=lambda f: len(f.getGlyphOrder()))
    order = list(base.getGlyphOrder())
    glyf, hmtx = base["glyf"], base["hmtx"]
    have = _outlined(base)  # by the offsets alone: no glyph is decoded unless it is copied
    for other in loaded:
        if other is base:
            continue
        names = other.getGlyphOrder()
        for index in sorted(_outlined(other) - have):
            name = names[index]
            glyph = other["glyf"][name]
            if glyph.isComposite():
                for component in glyph.components:  # components are named: name them as the base does
                    component.glyphName = order[names.index(component.glyphName)]
            glyf[order[index]] = glyph
            hmtx[order[index]] = other["hmtx"][name]
            have.add(index)
    base["post"].formatType = 3.0  # glyph names differ between the subsets; a PDF font needs none
    for name in base.getGlyphOrder():  # every glyph compiled afresh: the same glyphs give the same bytes
        glyf[name].expand(glyf)
    buffer = io.BytesIO()
    base.save(buffer)
    return buffer.getvalue()


def _outlined(font) -> set[int]:
    """The glyph ids that have an outline in a TrueType font, from its offsets table."""
    loca = font["loca"]
    return {i for i in range(len(loca) - 1) if loca[i + 1] > loca[i]}


def _explicit_links(out: pikepdf.Pdf, src: pikepdf.Pdf, first: int) -> None:
    """A part's links to its own named destinations (WeasyPrint's links inside a document: a single
    story's contents to its chapters), copied to the book from page `first` on, made links to the
    page itself: the part's names do not come along with its pages, and they would collide (every
    story laid out alone names its text alike)."""
    names = src.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return
    tree = pikepdf.NameTree(names.Dests)
    index = {page.objgen: i for i, page in enumerate(src.pages)}
    for page in out.pages[first:first + len(src.pages)]:
        for annot in page.get("/Annots") or []:
            name = annot.get("/Dest")
            if not isinstance(name, pikepdf.String) or str(name) not in tree:
                continue
            dest = tree[str(name)]
            dest = dest.D if isinstance(dest, pikepdf.Dictionary) else dest
            if dest[0].objgen in index:
                annot.Dest = pikepdf.Array([out.pages[first + index[dest[0].objgen]].obj, *list(dest)[1:]])


def _page_links(out: pikepdf.Pdf, front_pages: int, body_pages: int) -> None:
    """The contents' links (to `PAGE_LINK` + folio) as links to the body's pages."""
    for page in out.pages[:front_pages]:
        for annot in page.get("/Annots") or []:
            action = annot.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if not uri.startswith(PAGE_LINK) or not uri[len(PAGE_LINK):].isdigit():
                continue
            folio = int(uri[len(PAGE_LINK):])
            if 1 <= folio <= body_pages:
                del annot["/A"]
                annot.Dest = pikepdf.Array([out.pages[front_pages + folio - 1].obj, Name.Fit])


def _page_labels(out: pikepdf.Pdf, front_pages: int) -> None:
    """A viewer's page numbers as the book's: roman for the front matter, then the folios from 1."""
    nums: list = []
    if front_pages:
        nums += [0, pikepdf.Dictionary(S=Name.r)]
    nums += [front_pages, pikepdf.Dictionary(S=Name.D)]
    out.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(nums))


def _overlay(out: pikepdf.Pdf, page: Page, other: Page, name: str) -> None:
    """`other` drawn over `page` under `name` (pikepdf's add_overlay picks a random name, which
    would make every build differ). Pages of one part share a resource dictionary, so each
    page's name must be its own."""
    form = out.copy_foreign(other.as_form_xobject())
    page.add_resource(form, Name.XObject, Name(name))
    page.contents_add(pikepdf.Stream(out, b"q\n"), prepend=True)
    page.contents_add(pikepdf.Stream(out, f"\nQ\nq {name} Do Q\n".encode("ascii")))


def folio_overlay(layout: Layout, size: tuple[float, float], margins: tuple[float, float],
                  inset: float | None = None) -> bytes:
    """One page per body page, the folio at the outer foot (blank versos and title pages left empty); with
    `inset`, its baseline that many inches above the trim."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen import canvas

    face = reportlab_face()
    width, height = size
    inner, outer = margins
    # With an inset, the folio's whole box (its descent too) stays that far from the trim.
    baseline = height * 0.045 if inset is None else inset * 72 - pdfmetrics.getDescent(face, 9)
    buffer = io.BytesIO()
    # invariant: no dates or random ids, so the same book gives the same bytes (set on this canvas,
    # not in reportlab's process-wide rl_config)
    c = canvas.Canvas(buffer, pagesize=size, pageCompression=1, initialFontName=face, initialFontSize=9, invariant=1)
    for folio in range(1, layout.body_pages + 1):
        if folio not in layout.blanks and folio not in layout.bare:
            c.setFont(face, 9)
            c.setFillColorCMYK(0, 0, 0, 1)  # pure K, as the text is for a press (a press screens RGB black)
            if folio % 2:  # recto: the outer edge is the right one
                c.drawRightString(width - outer, baseline, str(folio))
            else:
                c.drawString(outer, baseline, str(folio))
        c.showPage()
    c.save()
    return buffer.getvalue()


def _outline(out: pikepdf.Pdf, front: Part | None, parts: list[Part], layout: Layout, front_pages: int) -> None:
    def item(mark: Mark, offset: int) -> OutlineItem:
        node = OutlineItem(mark.label, offset + mark.page)
        node.children.extend(item(child, offset) for child in mark.children)
        return node

    with out.open_outline() as outline:
        outline.root.extend(item(m, 0) for m in (front.marks if front else ()))
        for part, start in zip(parts, layout.starts):
            outline.root.extend(item(m, front_pages + start - 1) for m in part.marks)


def _metadata(out: pikepdf.Pdf, meta: BookMetadata) -> None:
    from .pdfmeta import write_metadata  # Info and XMP, saying the same

    write_metadata(out, meta)
    out.Root.PageMode = Name.UseOutlines


_SAFE_ACTIONS = {"/GoTo", "/URI"}
_SAFE_SCHEMES = ("http://", "https://", "mailto:", "#")


def inert(pdf: bytes) -> bool:
    """Whether a laid-out part does nothing but show and link, as WeasyPrint writes parts: no
    document or page actions, no scripts or forms, and links only to pages or to web addresses.
    A part from the cache must be (a /Launch action planted there never reaches a book)."""
    try:
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            root = doc.Root
            if any(key in root for key in ("/OpenAction", "/AA", "/AcroForm")) or \
                    "/JavaScript" in root.get("/Names", {}):
                return False
            return all(_page_inert(page) for page in doc.pages)
    except Exception:  # noqa: BLE001 - a part that does not open is no part
        return False


def _page_inert(page: Page) -> bool:
    if "/AA" in page.obj:
        return False
    for annot in page.obj.get("/Annots", []):
        if annot.get("/Subtype") != Name.Link or "/AA" in annot:
            return False
        action = annot.get("/A")
        if action is None:
            continue
        if str(action.get("/S")) not in _SAFE_ACTIONS:
            return False
        if action.get("/S") == Name.URI and not str(action.get("/URI", "")).lower().startswith(_SAFE_SCHEMES):
            return False
    return True

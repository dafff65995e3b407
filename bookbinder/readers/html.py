"""Read HTML: bytes -> a sanitized lxml tree -> units, which the text reader's stages then read.

The run order: decode (BOM, declared charset, else detection), parse, drop what is never story
text (scripts, styles, forms, frames: reported), sanitize what is left with nh3 against an
allowlist, then walk the tree into `Unit`s. The walk keeps inline markup (emphasis, strike,
underline), alignment and headings, and turns old fanfiction.net habits into the blank-line
gaps the text reader understands: `<br>` runs (two end a paragraph, more are a gap) and
`&nbsp;` paragraphs (a blank line each).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from lxml import etree

from ..clean.xmlsafe import drop_unsafe_references
from ..errors import InputError
from ..model import Diagnostic, Image, Inline, Span
from .declared import Declared, read_declared
from .decode import clean_text, decode
from .htmltree import parse_html
from .sanitize import _BLOCKS, sanitize, spaced_text, text_of  # noqa: F401 - text_of, spaced_text: this module's face
from .segment import Unit

# Inline elements and the span each becomes in the story model ("" = transparent).
_INLINE = {"em": "em", "i": "em", "cite": "cite", "strong": "strong", "b": "strong", "u": "u", "ins": "u",
           "s": "s", "strike": "s", "del": "s", "sub": "sub", "sup": "sup", "small": "small", "code": "code",
           "tt": "code", "kbd": "code", "samp": "code", "var": "em", "dfn": "em", "q": "q"}
_WS = re.compile(r"[ \t\n\r\f\v]+")
_BLANK = " \t\n\r\f\v\u00a0\u200b\u3000"


@dataclass
class Page:
    """A parsed, sanitized HTML document: its body, and what its head states."""

    body: etree._Element
    title: str | None = None
    lang: str | None = None
    body_class: str = ""
    types: set[str] = field(default_factory=set)  # epub:type values the document uses
    metas: dict[str, str] = field(default_factory=dict)
    declared: Declared = field(default_factory=Declared)  # what the page states of itself (web pages)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def decode_html(data: bytes, source: str) -> tuple[str, tuple[Diagnostic, ...]]:
    """HTML text: a BOM or UTF-8 first, then the charset the page declares, then detection."""
    if not data.strip():
        raise InputError("the file is empty", source)
    declared = re.search(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", data[:4096], re.IGNORECASE)
    if declared and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        name = declared.group(1).decode("ascii").lower()
        try:
            text = data.decode("cp1252" if name in {"iso-8859-1", "latin-1", "latin1", "us-ascii"} else name)
        except (LookupError, UnicodeDecodeError):
            pass
        else:
            return clean_text(text), ()
    return decode(data, source)


def parse_page(text: str, source: str, prepare: Callable[[etree._Element], None] | None = None) -> Page:
    """Text of an HTML or XHTML document -> a Page whose body has been sanitized. `prepare` sees the
    parsed tree before sanitizing drops what it has no use for (an EPUB's epub:type attributes)."""
    # lxml refuses an encoding declaration in a str. A declaration ends at the first ">", as HTML reads
    # it: a broken one ("<?xml version=he <a href=...>Archive") must not take the text after it along.
    text = re.sub(r"^\s*<\?[^>]*>", "", text)
    diagnostics: list[Diagnostic] = []
    text = text.replace("\f", " ")  # white space in HTML (clean_text keeps it for PDF text), and lxml refuses it
    text, dropped = drop_unsafe_references(text)
    if dropped:
        diagnostics.append(Diagnostic("control-characters-removed", f"{dropped} references to control characters "
                                      "or noncharacters removed (an XML document cannot hold them)"))
    try:
        root = parse_html(text, source, diagnostics)
    except InputError as exc:
        raise InputError(exc.detail, source) from None
    if prepare is not None:
        prepare(root)
    head = root.find("head")
    title = head.findtext("title") if head is not None else None
    metas = {}
    for meta in root.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").strip().lower()
        if key and meta.get("content"):
            metas.setdefault(key, meta.get("content").strip())
    page = Page(body=root, title=_WS.sub(" ", title).strip() if title else None,
                lang=root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang"), metas=metas,
                diagnostics=diagnostics, declared=read_declared(root))
    page.types = {t for el in root.iter() if isinstance(el.tag, str) for t in (el.get("epub:type") or "").split()}
    body = root.find("body")
    page.body_class = body.get("class", "") if body is not None else ""
    page.body = sanitize(body if body is not None else root, page.diagnostics, source)
    return page


_MAX_SPANS = 40   # inline elements nested in one another that become spans of the story
# Formatting elements in one line of text that become spans. A real paragraph has a few dozen at
# most; a page of "<i>x</i>" repeated (a hostile file) would cost every later step per element.
_MAX_LINE_SPANS = 1000


def block_text(element: etree._Element) -> str:
    """The element's text with a space at each block's edges only, so a word split by inline
    markup ("<em>I</em>'m") stays one word, as a reader sees it."""
    parts: list[str] = []
    for event, el in etree.iterwalk(element, events=("start", "end")):
        block = isinstance(el.tag, str) and (el.tag in _BLOCKS or el.tag == "br")
        if event == "start":
            parts.append(" " if block else "")
            if isinstance(el.tag, str) and el.text:
                parts.append(el.text)
        else:
            parts.append(" " if block else "")
            if el.tail and el is not element:
                parts.append(el.tail)
    return "".join(parts)


def has_class(element: etree._Element, *names: str) -> bool:
    classes = set((element.get("class") or "").split())
    return all(n in classes for n in names)


ImageLoader = Callable[[str, str], "Image | None"]  # (src, alt) -> a bundled image, or None


def units_of(elements, diagnostics: list[Diagnostic], images: ImageLoader | None = None,
             headings: bool = False) -> list[Unit]:
    """The units of elements (and the text between them), in order.

    `headings` marks h1-h6 as heading units (chapter starts); otherwise they are paragraphs."""
    walk = _Walk(diagnostics, images, headings)
    for el in elements:
        walk.element(el)
    walk.boundary()
    if walk.spans_dropped:
        diagnostics.append(Diagnostic("formatting-dropped", f"{walk.spans_dropped} formatting elements past the "
                                      f"first {_MAX_LINE_SPANS} of one paragraph left out, their text kept"))
    return walk.units


class _Walk:
    """Walks elements, gathering lines of inline content and the breaks between them."""

    def __init__(self, diagnostics: list[Diagnostic], images: ImageLoader | None, headings: bool) -> None:
        self.diagnostics, self.images, self.headings = diagnostics, images, headings
        self.units: list[Unit] = []
        self.frames: list[tuple[str, list[Inline]]] = [("", [])]
        self.has_text = False  # whether the line in the frames holds any non-space text yet
        self.line_spans = 0    # spans opened in the line in the frames
        self.spans_dropped = 0
        self.lines: list[tuple[Inline, ...]] = []  # finished lines of the unit being built
        self.unit_gap = 0   # the gap before the unit being built
        self.sep = 0        # line breaks since the last text: 1 = new line, 2 = new paragraph, more = gap
        self.align: str | None = None
        self.blank_marks = 0  # &nbsp; or <br> seen in the current block, for "blank paragraph" detection
        self.pre = 0

    # -- tree
    def element(self, el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag:  # a comment or processing instruction: only its tail is text
            self.text(el.tail)
            return
        if tag == "br":
            self.line_break()
        elif tag == "hr":
            self.boundary()
            self.units.append(Unit(("* * *",), self._gap()))
            self.sep = 2
        elif tag == "img":
            self.image(el)
        elif tag in {"h1", "h2", "h3", "h4", "h5", "h6"} and self.headings:
            self.boundary()
            text = _WS.sub(" ", block_text(el).replace("\u00a0", " ")).strip()  # "Part One<br/>Arrival": two words
            if text:
                self.units.append(Unit((text,), self._gap(), heading=True))
                self.sep = 2
        elif tag in _BLOCKS:
            self.block(el, tag)
        else:
            self.inline(el, tag)
        self.text(el.tail)

    def block(self, el: etree._Element, tag: str) -> None:
        self.boundary()
        outer_align, outer_marks = self.align, self.blank_marks
        self.align = _align(el) or ("center" if tag == "center" else outer_align)
        self.blank_marks = 0
        before = len(self.units), len(self.lines), self.has_text
        self.pre += tag == "pre"
        self.text(el.text)
        for child in el:
            self.element(child)
        self.pre -= tag == "pre"
        self.boundary()
        produced = (len(self.units), len(self.lines), self.has_text) != before
        if not produced and self.blank_marks:
            self.sep += 1  # an &nbsp; paragraph: a blank line
        self.align, self.blank_marks = outer_align, outer_marks

    def inline(self, el: etree._Element, tag: str) -> None:
        span = _INLINE.get(tag) or _styled(el)
        if len(self.frames) > _MAX_SPANS:
            span = ""  # emphasis inside emphasis 40 deep shows nothing more; deeper spans would only cost stack
        elif span:
            self.line_spans += 1
            if self.line_spans > _MAX_LINE_SPANS:
                span, self.spans_dropped = "", self.spans_dropped + 1
        self.frames.append((span, []))
        self.text(el.text)
        for child in el:
            self.element(child)
        self._close()

    def image(self, el: etree._Element) -> None:
        src, alt = el.get("src") or "", el.get("alt") or ""
        try:
            found = self.images(src, alt) if self.images and src else None
        except ValueError as exc:  # bundled, but not an image a book may hold (a decompression bomb)
            self.diagnostics.append(Diagnostic("image-dropped", f"image {src[:80]!r} was left out: {exc}", alt))
            return
        if found is None:
            self.diagnostics.append(Diagnostic("image-dropped", f"image {src[:80]!r} is not bundled with the input "
                                               "and was left out (remote and local files are never fetched)", alt))
            return
        self.boundary()
        self.units.append(Unit((alt or "image",), self._gap(), image=found))
        self.sep = 2

    # -- text
    def text(self, text: str | None) -> None:
        if not text:
            return
        if self.pre:
            for i, part in enumerate(text.split("\n")):
                if i:
                    self.line_break()
                self._words(part)
            return
        self._words(text)

    def _words(self, text: str) -> None:
        if not text.strip(_BLANK):
            if "\u00a0" in text or "\u3000" in text:
                self.blank_marks += 1
            if self.has_text:
                self.frames[-1][1].append(" ")
            return
        if not self.has_text:
            self._start_line()
        piece = _WS.sub(" ", text.replace("\u00a0", " "))
        self.frames[-1][1].append(piece)
        self.has_text = self.has_text or bool(piece.strip())

    def _start_line(self) -> None:
        """Text after a break: the next line of this unit (one break) or a new unit."""
        if self.lines and self.sep >= 2:
            self._finish()
        if not self.lines:
            self.unit_gap = self._gap()
        self.sep = 0

    def line_break(self) -> None:
        if self.has_text:
            self._end_line()
        else:
            self.blank_marks += 1
        self.sep += 1

    def boundary(self) -> None:
        """A block starts or ends: the line in progress ends, and a paragraph break follows."""
        if self.has_text:
            self._end_line()
        if self.lines:
            self.sep = max(self.sep, 2)
            self._finish()
        elif self.units:
            self.sep = max(self.sep, 2)

    # -- building
    def _end_line(self) -> None:
        tags = [t for t, _ in self.frames[1:]]
        while len(self.frames) > 1:
            self._close()
        line = _tidy(self.frames[0][1])
        self.frames[0] = ("", [])
        self.has_text = False
        self.line_spans = len(tags)
        for t in tags:
            self.frames.append((t, []))
        if line:
            self.lines.append(line)

    def _close(self) -> None:
        tag, kids = self.frames.pop()
        if not kids:
            return
        if tag:
            self.frames[-1][1].append(Span(tag, tuple(kids)))
        else:
            self.frames[-1][1].extend(kids)

    def _finish(self) -> None:
        lines, self.lines = self.lines, []
        gap = self.unit_gap
        plain = tuple(_plain(line) for line in lines)
        if len(lines) > 1 and sum(map(len, plain)) / len(plain) > 100:
            # Long lines split by single <br>s are paragraphs, not verse (fanfiction.net pastes).
            for i, (p, rich) in enumerate(zip(plain, lines)):
                self.units.append(Unit((p,), gap if i == 0 else 0, rich=(rich,), align=self.align))
            return
        self.units.append(Unit(plain, gap, verse=len(lines) > 1, rich=tuple(lines), align=self.align))

    def _gap(self) -> int:
        return max(0, self.sep - 2) if self.units else 0


def _plain(items) -> str:
    return "".join(i if isinstance(i, str) else _plain(i.children) for i in items)


def _tidy(items: list[Inline]) -> tuple[Inline, ...]:
    """Whitespace collapsed across element edges and trimmed at both ends of the line."""
    state = {"space": True}

    def walk(seq) -> list[Inline]:
        out: list[Inline] = []
        for item in seq:
            if isinstance(item, str):
                s = _WS.sub(" ", item)
                if state["space"]:
                    s = s.lstrip(" ")
                if s:
                    state["space"] = s.endswith(" ")
                    out.append(s)
            else:
                kids = walk(item.children)
                if kids:
                    out.append(Span(item.tag, _merge_strings(kids)))
        return out

    line = walk(items)
    # trim the end
    while line:
        last = line[-1]
        if isinstance(last, str):
            if last.rstrip(" "):
                line[-1] = last.rstrip(" ")
                break
            line.pop()
        else:
            trimmed = _rtrim(last)
            if trimmed is None:
                line.pop()
                continue
            line[-1] = trimmed
            break
    return _merge_strings(line)


def _merge_strings(items: list[Inline]) -> tuple[Inline, ...]:
    """Adjacent strings as one (joined once: adding them one by one is quadratic)."""
    merged: list[Inline] = []
    run: list[str] = []
    for item in items:
        if isinstance(item, str):
            run.append(item)
            continue
        if run:
            merged.append("".join(run))
            run = []
        merged.append(item)
    if run:
        merged.append("".join(run))
    return tuple(merged)


def _rtrim(span: Span) -> Span | None:
    kids = list(span.children)
    while kids:
        last = kids[-1]
        if isinstance(last, str):
            if last.rstrip(" "):
                kids[-1] = last.rstrip(" ")
                return Span(span.tag, tuple(kids))
            kids.pop()
        else:
            t = _rtrim(last)
            if t is None:
                kids.pop()
                continue
            kids[-1] = t
            return Span(span.tag, tuple(kids))
    return None


def _align(el: etree._Element) -> str | None:
    style = (el.get("style") or "").lower()
    m = re.search(r"text-align\s*:\s*(center|right)", style)
    value = m.group(1) if m else (el.get("align") or "").lower()
    return value if value in {"center", "right"} else None


def _styled(el: etree._Element) -> str:
    """The span a styled <span> or <font> stands for: italic, bold, underline, strike, or none."""
    style = (el.get("style") or "").lower().replace(" ", "")
    classes = set((el.get("class") or "").split())
    if "font-style:italic" in style or "italic" in classes:
        return "em"
    if re.search(r"font-weight:(bold|[6-9]00)", style) or "bold" in classes:
        return "strong"
    if "underline" in style or classes & {"u", "underline"}:
        return "u"
    if "line-through" in style or classes & {"strike", "strikethrough"}:
        return "s"
    return ""

"""Book -> a cover image (PNG bytes): the title, the collection's name and who it is by, on a plain ground.

Drawn with Pillow in Source Serif Pro (from the font-source-serif-pro package), colours chosen
from the title so every book looks its own and the same book always looks the same.
"""
from __future__ import annotations

import hashlib
import io
import re
import zlib
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

from ..book import Book

WIDTH, HEIGHT = 1400, 2100
_PALETTES = (  # (ground, ink, rule)
    ((38, 52, 74), (244, 238, 226), (201, 169, 110)),
    ((94, 35, 43), (246, 236, 222), (222, 184, 135)),
    ((33, 64, 55), (240, 236, 224), (190, 170, 120)),
    ((60, 46, 80), (242, 236, 230), (200, 170, 200)),
    ((238, 230, 214), (40, 40, 48), (150, 40, 40)),
    ((25, 25, 30), (236, 232, 222), (170, 150, 110)),
)


@lru_cache(maxsize=None)
def font_file(style: str = "Regular") -> Path | None:
    try:
        import font_source_serif_pro
    except ImportError:
        return None
    path = Path(font_source_serif_pro.__file__).parent / "files" / f"SourceSerifPro-{style}.ttf"
    return path if path.exists() else None


def _font(size: int, style: str = "Regular") -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = font_file(style)
    return ImageFont.truetype(str(path), size) if path else ImageFont.load_default(size)


def reportlab_face() -> str:
    """The book face registered with reportlab (for the pages it draws: folios, the imposition guide,
    the cover spread), or Helvetica where the face is not installed."""
    path = font_file("Regular")
    if not path:
        return "Helvetica"
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "BookbinderSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("BookbinderSerif", str(path)))
    return "BookbinderSerif"


def cover_image(book: Book) -> bytes:
    """The cover as a palette PNG. It holds three colours and the anti-aliased edges between the ground
    and the other two, so each is drawn as a coverage mask and the masks become palette indexes: 128
    steps from ground to ink, 128 from ground to rule. A third the encoding time of an RGB PNG (its
    457 colours need no more), and half the bytes."""
    digest = hashlib.sha256(book.title.encode("utf-8")).digest()
    ground, ink, rule = _PALETTES[digest[0] % len(_PALETTES)]
    ink_mask, rule_mask = Image.new("L", (WIDTH, HEIGHT), 0), Image.new("L", (WIDTH, HEIGHT), 0)
    _draw(book, ImageDraw.Draw(ink_mask), ImageDraw.Draw(rule_mask))
    indexes = ImageChops.lighter(ink_mask.point(_INK_STEPS), rule_mask.point(_RULE_STEPS))
    image = Image.frombytes("P", indexes.size, indexes.tobytes())  # the same bytes, read as indexes
    image.putpalette([channel for i in range(256) for channel in _blend(ground, ink if i < 128 else rule, i % 128)])
    out = io.BytesIO()
    # zlib's run-length strategy suits a flat ground with a few lines of type: a third less time
    # than the default, for a few more bytes.
    image.save(out, format="PNG", compress_type=zlib.Z_RLE)
    return out.getvalue()


_INK_STEPS = [v >> 1 for v in range(256)]                   # coverage 0-255 -> index 0-127
_RULE_STEPS = [0] + [128 + (v >> 1) for v in range(1, 256)]  # -> 128-255 (0 stays ground)


def _blend(ground: tuple[int, int, int], colour: tuple[int, int, int], step: int) -> tuple[int, int, int]:
    return tuple(round(g + (c - g) * step / 127) for g, c in zip(ground, colour))


def _draw(book: Book, ink: ImageDraw.ImageDraw, rule: ImageDraw.ImageDraw) -> None:
    """What the cover shows, as coverage: type in `ink`, frames, the rule and the byline in `rule`."""
    full = 255
    rule.rectangle((70, 70, WIDTH - 70, HEIGHT - 70), outline=full, width=6)
    rule.rectangle((95, 95, WIDTH - 95, HEIGHT - 95), outline=full, width=2)
    y = _centred(ink, _wrap(ink, book.title, _font(130, "Semibold"), WIDTH - 300), 520, _font(130, "Semibold"), full, 1.15)
    rule.line((WIDTH // 2 - 150, y + 70, WIDTH // 2 + 150, y + 70), fill=full, width=4)
    y += 150
    if book.collection and book.collection != book.title:
        y = _centred(ink, _wrap(ink, book.collection, _font(70, "It"), WIDTH - 320), y, _font(70, "It"), full, 1.2)
        y += 40
    if book.count_line:
        y = _centred(ink, [book.count_line], y, _font(56), full, 1.2)
    if book.series_line:
        _centred(ink, _wrap(ink, book.series_line, _font(52, "It"), WIDTH - 320), y + 20, _font(52, "It"), full, 1.2)
    if book.byline:  # who the book is by, never the tool that bound it
        names = _wrap(rule, book.byline, _font(64), WIDTH - 320, most=3)
        _centred(rule, names, HEIGHT - 200 - int(len(names) * 64 * 1.2), _font(64), full, 1.2)


_SHOWN = 400  # characters of a title a cover can show at the least: six lines of large type hold fewer


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int, most: int = 6) -> list[str]:
    """Greedy wrapping that may also break after a slash ("Mark Sloan/" + "Lexie Grey"); a word
    wider than the line is cut where it fills it, and what `most` lines cannot hold ends in "…"
    (the cover is a picture of the title: the title page and the package keep it whole)."""
    shown = text.strip()[:_SHOWN]
    lines: list[str] = []
    for word in re.split(r"\s+|(?<=/)(?=\S)", shown):
        for piece in _pieces(draw, word, font, width):
            joiner = "" if lines and lines[-1].endswith("/") else " "
            trial = f"{lines[-1]}{joiner}{piece}" if lines else piece
            if lines and draw.textlength(trial, font=font) <= width:
                lines[-1] = trial
            else:
                lines.append(piece)
        if len(lines) > most:
            break
    if len(lines) > most or len(text.strip()) > _SHOWN:
        lines = lines[:most]
        last = lines[-1]
        while last and draw.textlength(last + "…", font=font) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines or [""]


def _pieces(draw: ImageDraw.ImageDraw, word: str, font, width: int) -> list[str]:
    """`word` cut into pieces that each fit `width` (most words are one piece)."""
    pieces = []
    while word and draw.textlength(word, font=font) > width:
        low, high = 1, len(word)  # the longest prefix that fits, at least one character
        while low < high:
            middle = (low + high + 1) // 2
            if draw.textlength(word[:middle], font=font) <= width:
                low = middle
            else:
                high = middle - 1
        pieces.append(word[:low])
        word = word[low:]
    return pieces + [word] if word else pieces


def _centred(draw: ImageDraw.ImageDraw, lines: list[str], top: int, font, ink, leading: float) -> int:
    size = getattr(font, "size", 40)
    for i, line in enumerate(lines):
        draw.text((WIDTH // 2, top + int(i * size * leading)), line, font=font, fill=ink, anchor="ma")
    return top + int(len(lines) * size * leading)

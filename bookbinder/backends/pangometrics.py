"""Text widths as WeasyPrint will set them: a run of text in one face -> the advance of each
character, through Pango on WeasyPrint's own font map (`linebreak` chooses line breaks with them).

The layouts are set up as `weasyprint.text.line_break.Layout` sets up its own: the same font
description (families, style, weight, size), language, direction and unrounded glyph positions,
no font features beyond the face's defaults (print.css sets none), so kerning and ligatures are
the ones WeasyPrint will draw. A run is shaped whole, as WeasyPrint shapes a text node.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

ITALIC, BOLD = 1, 2  # a face: the bits of its style
_UNKNOWN = 0x10000000  # PANGO_GLYPH_UNKNOWN_FLAG: no font has the character, a box is drawn
                       # (a glyph number past it has the flag: real ones are under 65,536)


@dataclass(frozen=True)
class Face:
    """The type of the text being measured."""

    families: str        # a CSS font-family list, as Pango takes it
    size: float          # CSS px
    name: str            # the family every glyph should come from
    hyphen: str = "-"    # what WeasyPrint draws where it breaks at a soft hyphen


@dataclass(frozen=True)
class Shaped:
    advances: tuple[float, ...]  # each character's advance, kerning included (a ligature's on its first)
    clusters: tuple[bool, ...]   # whether a character begins a cluster (a ligature's others do not)
    foreign: str                 # the characters set in another family: the face lacks them


class Shaper:
    """Pango layouts on one font map, one per face and language, kept from run to run."""

    def __init__(self, font_map, face: Face) -> None:
        self.font_map, self.face = font_map, face
        self.layouts: dict[tuple[int, str], object] = {}
        self.families: dict[int, str] = {}
        self.hyphened: dict[tuple[str, int, str], float] = {}

    def shape(self, text: str, style: int, lang: str) -> Shaped:
        from weasyprint.text.ffi import FROM_UNITS, ffi, pango

        layout, data = self._layout(style, lang), text.encode()
        pango.pango_layout_set_text(layout, data, len(data))
        char_at = _char_index(text, data)
        advances, clusters, foreign = [0] * len(text), [False] * len(text), ""
        run = pango.pango_layout_get_line_readonly(layout, 0).runs
        while run != ffi.NULL:
            item, glyphs = run.data.item, run.data.glyphs
            count, offset = glyphs.num_glyphs, item.offset
            info = ffi.unpack(ffi.cast("int32_t *", glyphs.glyphs), 5 * count)  # glyph, width, x, y, attr
            if self._family(item.analysis.font) != self.face.name or max(info[::5]) >= _UNKNOWN:
                foreign += data[offset:offset + item.length].decode()
            for byte, width in zip(ffi.unpack(glyphs.log_clusters, count), info[1::5]):
                c = char_at[offset + byte]
                advances[c] += width
                clusters[c] = True
            run = run.next
        return Shaped(tuple(a * FROM_UNITS for a in advances), tuple(clusters), foreign)

    def with_hyphen(self, char: str, style: int, lang: str) -> float:
        """The width of `char` and the hyphen after it, kerned."""
        key = (char, style, lang)
        if key not in self.hyphened:
            self.hyphened[key] = sum(self.shape(char + self.face.hyphen, style, lang).advances)
        return self.hyphened[key]

    def space(self, lang: str) -> float:
        """A word space of the roman face."""
        return sum(self.shape("\u00a0", 0, lang).advances)

    def _family(self, font) -> str:
        from weasyprint.text.ffi import ffi, pango

        key = int(ffi.cast("uintptr_t", font))
        if key not in self.families:
            description = pango.pango_font_describe_with_absolute_size(font)
            self.families[key] = ffi.string(pango.pango_font_description_get_family(description)).decode()
            pango.pango_font_description_free(description)
        return self.families[key]

    def _layout(self, style: int, lang: str):
        from weasyprint.text.constants import PANGO_DIRECTION
        from weasyprint.text.ffi import ffi, gobject, pango

        if (style, lang) not in self.layouts:
            context = ffi.gc(pango.pango_font_map_create_context(self.font_map), gobject.g_object_unref)
            pango.pango_context_set_round_glyph_positions(context, False)
            pango.pango_context_set_base_dir(context, PANGO_DIRECTION["ltr"])
            pango.pango_context_set_language(context, pango.pango_language_from_string(lang.encode()))
            layout = ffi.gc(pango.pango_layout_new(context), gobject.g_object_unref)
            pango.pango_layout_set_auto_dir(layout, False)
            pango.pango_layout_set_font_description(layout, self._description(style))
            self.layouts[style, lang] = layout
        return self.layouts[style, lang]

    def _description(self, style: int):
        from weasyprint.text.constants import PANGO_STRETCH, PANGO_STYLE, PANGO_VARIANT
        from weasyprint.text.ffi import TO_UNITS, ffi, pango

        description = ffi.gc(pango.pango_font_description_new(), pango.pango_font_description_free)
        pango.pango_font_description_set_family(description, self.face.families.encode())
        pango.pango_font_description_set_style(description, PANGO_STYLE["italic" if style & ITALIC else "normal"])
        pango.pango_font_description_set_stretch(description, PANGO_STRETCH["normal"])
        pango.pango_font_description_set_weight(description, 700 if style & BOLD else 400)
        pango.pango_font_description_set_absolute_size(description, int(self.face.size * TO_UNITS))
        pango.pango_font_description_set_variant(description, PANGO_VARIANT["normal"])
        return description


def opportunities(text: str, lang: str) -> set[int]:
    """Where Pango, so WeasyPrint, may break `text` (UAX 14 with Pango's tailoring): before these
    characters. Found in the attributes' bytes, not attribute by attribute: a paragraph has thousands."""
    from weasyprint.text.ffi import ffi
    from weasyprint.text.line_break import get_log_attrs

    where, table = _line_break_bit()
    raw = bytes(ffi.buffer(get_log_attrs(text, lang)))[where::ffi.sizeof("PangoLogAttr")].translate(table)
    return {m.start() for m in re.finditer(b"\x01", raw) if 0 < m.start() < len(text)}


@lru_cache(maxsize=1)
def _line_break_bit() -> tuple[int, bytes]:
    """Which byte of a PangoLogAttr holds `is_line_break` (its bitfields share one word), and a
    table that maps that byte to 1 when the bit is set, else 0."""
    from weasyprint.text.ffi import ffi

    attr = ffi.new("PangoLogAttr *")
    attr.is_line_break = 1
    raw = bytes(ffi.buffer(attr))
    where = next(i for i, byte in enumerate(raw) if byte)
    return where, bytes(1 if byte & raw[where] else 0 for byte in range(256))


def _char_index(text: str, data: bytes) -> list[int] | range:
    """The character each byte of `data` (`text` in UTF-8) belongs to: the lead bytes up to it, less one."""
    if len(data) == len(text):
        return range(len(text))
    return list(accumulate(data.translate(_LEAD), initial=-1))[1:]


_LEAD = bytes(0 if 0x80 <= byte < 0xC0 else 1 for byte in range(256))  # a UTF-8 byte that begins a character

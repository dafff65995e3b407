"""Site layouts: the house habits of the archives and tools people download stories from.

One table, `LAYOUTS`, for pages and texts alike. Each entry names its site, what a diagnostic
calls it, the habit or standard it reads (the site's own templates, where they are public), and
its matcher and reader, in the site's own module. A reader returns a Story, or None when the
page is the site's but holds no story. `read_page` and `read_text` try the entries of their kind
in order; a page or text that no layout claims is read as it is.

Adding a site is one module and one line here, with a golden case in tests/cases.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable

from ...accounting import words
from ...model import Diagnostic, Note, Story
from ..inline import paragraph
from ..segment import Unit
from . import ao3, ao3text, aozora, fanficfare


@dataclass(frozen=True)
class Layout:
    site: str
    kind: str                 # "html" (a parsed page) or "text" (lines of a text file)
    name: str                 # what a diagnostic calls a file of this layout
    habit: str                # the habit or standard it reads
    matches: Callable         # Page -> bool, or lines -> bool
    read: Callable            # (Page, source, images) or (lines, source, diagnostics, page starts) -> Story | None


LAYOUTS: tuple[Layout, ...] = (
    Layout("Archive of Our Own", "html", "a saved AO3 work page",
           "otwarchive's works/_work_header and chapters/_chapter templates: div#workskin, dl.work.meta",
           ao3.is_work_page, ao3.read_work_page),
    Layout("Archive of Our Own", "html", "an AO3 download",
           "otwarchive's downloads/show templates: div#preface, the tag list, div.userstuff chapters",
           ao3.is_download, ao3.read_download),
    Layout("FanFicFare", "html", "a FanFicFare file",
           "FanFicFare's HTML and EPUB writers: a.authorlink, fff_titlepage, fff_chapter",
           fanficfare.is_fanficfare, fanficfare.read_fanficfare),
    Layout("FanFicFare", "text", "FanFicFare's TXT output",
           "FanFicFare's writer_txt: packaging labels, TABLE OF CONTENTS, tab-indented chapter titles",
           fanficfare.is_fanficfare_text, fanficfare.read_fanficfare_text),
    Layout("Archive of Our Own", "text", "the text of an AO3 download",
           "AO3's PDF and MOBI downloads as text: 'Posted originally on the Archive of Our Own', the tag list",
           ao3text.is_ao3_text, ao3text.read_ao3_text),
    Layout("Aozora Bunko", "text", "an Aozora Bunko text",
           "Aozora Bunko's format and annotation manual (aozora.gr.jp/annotation/): legend, ［＃…］ notes, 底本 colophon",
           aozora.is_aozora, aozora.read_aozora),
)


def of_kind(kind: str) -> tuple[Layout, ...]:
    return tuple(layout for layout in LAYOUTS if layout.kind == kind)


def keep_unplaced(story: Story, units: list[Unit], missing: Counter, name: str) -> Story | None:
    """A layout's reading that lost words, made whole: the source's units holding the words it
    neither kept nor reported, in their order, as an end note, and said. None when the layout
    missed most of the text (then reading the source as it is does better than this layout).

    A safety net that threw the whole reading away for a few site words turned a small loss into
    a total one (title, author and fandom gone, the site's chrome read as chapters)."""
    unplaced, left = [], Counter(missing)
    for unit in units:
        held = Counter(words(unit.text)) & left
        if held:
            unplaced.append(unit.text)
            left -= held
    lost = sum(missing.values())
    if not unplaced or lost > story.words:
        return None
    note = Note(tuple(paragraph(text) for text in unplaced), "Unplaced text")
    said = Diagnostic("layout-unplaced", f"read as {name}; {lost} words it did not place are kept in an end note "
                      f"({len(unplaced)} passages)", "\n".join(unplaced))
    meta = story.meta.with_(end_notes=story.meta.end_notes + (note,))
    return story.with_(meta=meta, diagnostics=story.diagnostics + (said,))

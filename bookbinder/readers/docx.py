"""Read a Word document: DOCX bytes -> HTML (mammoth) -> the HTML reader -> Story.

mammoth turns a document's styles into plain HTML: headings become `<h1>`... (chapters, as in
any HTML), italic and bold `<em>` and `<strong>`, strikethrough `<s>`; with the style map below,
underline is kept, a page break becomes a rule (`<hr>`, a scene break inside a chapter; one
before a chapter heading is no break), pandoc's and Word's "Title", "Block Text" and "Quote"
styles become a heading and blockquotes. Footnotes and endnotes, which mammoth writes as a list
at the end, become the story's end notes. Images are left out (their alt text is kept).

The archive is read with the EPUB reader's limits (`zipped.Zipped`) and handed to mammoth as a
stored copy of what was read, so nothing mammoth opens can expand further; an XML part with a
DTD is refused, and mammoth may not open files outside the document. The document's own
properties (docProps/core.xml: title, creator, language) fill what the text leaves unsaid.
"""
from __future__ import annotations

import io

from lxml import etree

from ..errors import InputError
from ..model import Diagnostic, Note, Story
from .ao3flat import unflatten
from .fields import FieldSet, parse_language
from .html import parse_page, text_of
from .inline import paragraph
from .page import read_page
from .stated import prefer_stated
from .zipped import Zipped

_STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => p:fresh
p[style-name='Block Text'] => blockquote > p:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
br[type='page'] => hr
u => u
strike => s
"""
_CORE = {"dc": "http://purl.org/dc/elements/1.1/"}


def read_docx(data: bytes, source: str) -> Story:
    """DOCX bytes -> Story, through mammoth's HTML."""
    import mammoth

    archive = Zipped(data, source, "DOCX")
    if "word/document.xml" not in archive.names:
        raise InputError("is not a Word document (no word/document.xml)", source)
    fields = _core(archive)
    try:
        result = mammoth.convert_to_html(io.BytesIO(archive.repacked()), style_map=_STYLE_MAP,
                                         convert_image=mammoth.images.img_element(_no_image),
                                         external_file_access=False)
    except (Exception, RecursionError) as exc:  # noqa: BLE001 - mammoth fails in any way on a broken file
        raise InputError(f"is a broken Word document ({type(exc).__name__}: {str(exc)[:100]})", source) from None
    page = parse_page(f"<html><body>{result.value}</body></html>", source)
    diagnostics = [Diagnostic("docx-converted", "mammoth: " + m.message) for m in result.messages
                   if "style" not in m.message]  # unknown styles are only a document's names for its own
    fields.end_notes += take_notes(page.body, ("footnote-", "endnote-"), diagnostics)
    unflatten(page.body, diagnostics)
    shown = fields.title is not None and any(text_of(h) == fields.title for h in page.body.iter("h1", "h2", "h3"))
    story = read_page(page, source, diagnostics, container=fields)
    # the properties' title is the story's own when the page shows it as a heading (Word leaves it
    # empty, or names the draft); then their creator is its author too
    return prefer_stated(story, fields, "document properties") if shown else story


def _no_image(image) -> dict[str, str]:
    return {"alt": image.alt_text or ""}  # no src: the image's bytes are never read


def _core(archive: Zipped) -> FieldSet:
    """docProps/core.xml's title, creator and language."""
    fields = FieldSet()
    if "docProps/core.xml" not in archive.names:
        return fields
    core = archive.xml("docProps/core.xml")
    text = {tag: " ".join((core.findtext(f"dc:{tag}", namespaces=_CORE) or "").split()) for tag in
            ("title", "creator", "language")}
    fields.title = text["title"] or None
    fields.authors = [text["creator"]] if text["creator"] else []
    fields.language = parse_language(text["language"]) or None
    return fields


def take_notes(body: etree._Element, prefixes: tuple[str, ...], diagnostics: list[Diagnostic]) -> list[Note]:
    """Footnotes and endnotes (list items whose id starts with a prefix) out of the text, as notes."""
    items = [li for li in body.iter("li") if (li.get("id") or "").startswith(prefixes)]
    if not items:
        return []
    blocks = tuple(paragraph(text_of(li)) for li in items if text_of(li))
    for li in items:
        parent = li.getparent()
        parent.remove(li)
        if not len(parent) and not text_of(parent) and parent.getparent() is not None:
            parent.getparent().remove(parent)
    diagnostics.append(Diagnostic("note-moved", f"{len(items)} footnotes and endnotes moved to the end notes",
                                  "\n".join(b.text for b in blocks)))
    return [Note(blocks, "Notes")] if blocks else []

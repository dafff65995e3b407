"""Archive of Our Own: "Download → HTML" files (and the EPUBs AO3 makes from them) and saved work pages.

Both are read by walking the page in order. Labels AO3 prints ("Summary", "Chapter Notes",
"End Notes"; "Summary:", "Notes:" on the site) followed by a blockquote are notes or summaries;
a chapter heading starts a chapter; the AO3 tag list is metadata; everything else inside the
work is story text. Site furniture (the "Posted originally on…" and "Please drop by…" messages,
"See the end of the chapter for more notes", navigation, kudos and comments) is dropped and reported.

otwarchive's templates are the reference: app/views/downloads/ (the download) and
app/views/works/_work_header.html.erb, app/views/chapters/_chapter.html.erb (the work page).
"""
from __future__ import annotations

import copy
import re

from lxml import etree

from ...model import Diagnostic, Note, Pairing, Story
from ..fields import parse_date, parse_language, parse_series, parse_words
from ..html import ImageLoader, Page, has_class, spaced_text, text_of
from ..work import WorkReader

_MESSAGE = re.compile(r"^(posted originally on the archive of our own|please drop by the archive"
                      r"|see the end of the (work|chapter) for|\(see the end of the (work|chapter) for)", re.I)
# The preface's list of related works ("Translation into Русский available: …", "A translation of …",
# "Inspired by …"), from otwarchive's _download_preface and works/_work_header_notes.
RELATED_WORKS = re.compile(r"^\s*(translation into .+ available|a translation of|inspired by)\b", re.I)
TAG_LABELS = {
    "rating": "rating", "ratings": "rating", "archive warning": "warnings", "archive warnings": "warnings",
    "category": "categories", "categories": "categories", "fandom": "fandoms", "fandoms": "fandoms",
    "relationship": "pairings", "relationships": "pairings", "character": "characters", "characters": "characters",
    "additional tags": "tags", "additional tag": "tags", "language": "language", "series": "series",
    "collections": "collections", "collection": "collections", "stats": "stats",
}
_LABELS = {  # a label before a blockquote -> where its text goes
    "summary": "summary", "notes": "notes", "chapter summary": "chapter summary", "chapter notes": "chapter notes",
    "chapter end notes": "chapter end notes", "end notes": "end notes",
}


def is_download(page: Page) -> bool:
    body = page.body
    return (body.find(".//div[@id='preface']") is not None or any(
        has_class(p, "message") and "archive of our own" in text_of(p).casefold() for p in body.iter("p"))) \
        and _tag_list(body) is not None


def is_work_page(page: Page) -> bool:
    return page.body.find(".//div[@id='workskin']") is not None


class Ao3Work(WorkReader):
    """A WorkReader that knows AO3's labels: its tag list, stats, bylines, labelled notes."""

    # -- metadata
    def tag_list(self, dl: etree._Element) -> None:
        for dt in dl.findall("dt"):
            dd = dt.getnext()
            while dd is not None and dd.tag != "dd":
                dd = dd.getnext()
            if dd is None:
                continue
            items = [text_of(a) for a in dd.iter("a")] or [i.strip() for i in text_of(dd).split(",")]
            self.tag(text_of(dt), items, text_of(dd), f"{spaced_text(dt)} {spaced_text(dd)}", dd.get("lang"))

    def tag(self, label: str, items: list[str], value: str, said: str, lang: str | None = None) -> None:
        """One entry of AO3's tag list ("Relationship:" and its tags), from a page or its PDF's text."""
        label = label.rstrip(":").strip().casefold()
        name = TAG_LABELS.get(label)
        items = [i for i in items if i]
        self.diagnostics.append(Diagnostic("header-field", f"AO3 tag list {label!r} read as metadata", said))
        if name == "stats":
            self.stats(value)
        elif name in {"pairings", "characters"}:
            for item in items:
                pairing = Pairing.parse(item) if name == "pairings" else None
                if pairing:
                    self.fields.pairings.append(pairing)
                else:
                    self.fields.characters.append(item)
        elif name == "rating":
            self.fields.rating = ", ".join(items) or None  # unknown is null, never ""
        elif name == "language":
            self.fields.language = lang or parse_language(value)
        elif name == "series":
            self.fields.series, self.fields.series_index = parse_series(value)
        elif name in {"warnings", "categories", "fandoms", "tags"}:
            getattr(self.fields, name).extend(items)

    def stats(self, text: str) -> None:
        found = dict((k.casefold(), v) for k, v in re.findall(r"([A-Za-z]+):\s*([0-9][0-9,/?-]*)", text))
        self.fields.published = parse_date(found.get("published", "")) or self.fields.published
        done = found.get("completed")
        self.fields.updated = parse_date(done or found.get("updated", "")) or self.fields.updated
        if found.get("words"):
            self.fields.stated_words = parse_words(found["words"])
        m = re.match(r"(\d+)/(\d+|\?)", found.get("chapters", ""))
        if m:
            self.fields.status = "complete" if m.group(1) == m.group(2) else "in-progress"
        if done:
            self.fields.status = "complete"

    def byline(self, element: etree._Element) -> None:
        links = [text_of(a) for a in element.iter("a")]
        names = links or [re.sub(r"^by\s+", "", text_of(element), flags=re.I)]
        self.fields.authors += [n for n in names if n]
        self.diagnostics.append(Diagnostic("header-field", "AO3 byline read as the authors", spaced_text(element)))

    # -- notes
    def labelled(self, label: str, quote: etree._Element, chapter_level: bool) -> None:
        blocks = self.blocks(quote)
        if not blocks:
            return
        where = _LABELS[label]
        current = self.chapters[-1] if self.chapters else None
        if where == "summary" and not (chapter_level and current):
            self.fields.summary = list(blocks)
        elif where in {"summary", "chapter summary"} and current:
            current.summary = blocks
        elif where == "notes" and chapter_level and current:
            (current.end_notes if current.units else current.notes).append(Note(blocks, "End Notes" if current.units else "Notes"))
        elif where == "notes" or (where == "chapter notes" and not current):
            self.fields.notes.append(Note(blocks, "Notes"))
        elif where == "chapter notes":
            current.notes.append(Note(blocks, "Notes"))
        elif where == "chapter end notes" and current:
            current.end_notes.append(Note(blocks, "End Notes"))
        else:
            self.fields.end_notes.append(Note(blocks, "End Notes"))
        self.diagnostics.append(Diagnostic("note-moved", f"AO3 {label!r} moved out of the story text",
                                           f"{label}\n" + spaced_text(quote)))

    def related(self, element: etree._Element) -> None:
        """AO3's related-works lines are notes about the work, never its text."""
        blocks = tuple(b for li in element.iter("li") for b in self.blocks(li))
        if blocks:
            self.fields.notes.append(Note(blocks, "Related Works"))
            self.diagnostics.append(Diagnostic("note-moved", "AO3 related works moved out of the story text",
                                               spaced_text(element)))


def _tag_list(root: etree._Element) -> etree._Element | None:
    for dl in root.iter("dl"):
        labels = {text_of(dt).rstrip(":").strip().casefold() for dt in dl.findall("dt")}
        if len(labels & set(TAG_LABELS)) >= 2:
            return dl
    return None


def _label(element: etree._Element, text: str | None = None) -> str | None:
    """"Chapter Notes" (a download) or "Notes:" (the site) when the element is only that label
    (`text`: its text_of, where the caller has it already)."""
    if element.tag not in {"p", "h3", "h4", "b", "strong", "div"}:
        return None
    text = text_of(element) if text is None else text
    if len(text) > 40:
        return None
    label = text.rstrip(":").strip().casefold()
    return label if label in _LABELS else None


def _next_quote(element: etree._Element) -> etree._Element | None:
    nxt = element.getnext()
    return nxt if nxt is not None and nxt.tag == "blockquote" else None


# ---------------------------------------------------------------- the download
def read_download(page: Page, source: str, images: ImageLoader | None = None) -> Story | None:
    r = Ao3Work(source, images)
    dl = _tag_list(page.body)
    if dl is not None:
        r.tag_list(dl)
    _walk_download(page.body, r, dl)
    return r.story()


def _walk_download(element: etree._Element, r: Ao3Work, tags: etree._Element | None) -> None:
    skip: set = set()
    for child in element:
        if child in skip or not isinstance(child.tag, str):
            continue
        if child is tags:
            continue
        text = text_of(child)  # (what is dropped is reported as spaced_text: only that pays for it)
        if child.tag == "h1" and r.fields.title is None:
            r.fields.title = text
        elif has_class(child, "byline") and not r.chapters:
            r.byline(child)
        elif has_class(child, "message") or has_class(child, "endnote-link") or _MESSAGE.match(text):
            if m := re.search(r"at (https?://\S+?)\.?$", text):
                r.fields.url = m.group(1)
            r.drop("AO3 message", spaced_text(child))
        elif (label := _label(child, text)) and (quote := _next_quote(child)) is not None:
            r.labelled(label, quote, chapter_level=label.startswith("chapter") or bool(r.chapters) and not r.afterword)
            skip.add(quote)
        elif child.tag == "h2":
            if text.casefold() in {"preface", "afterword"}:
                r.afterword = text.casefold() == "afterword"
                r.drop("AO3 section heading", text)
            else:
                r.heading(text)
        elif child.tag == "p" and has_class(child, "byline"):
            r.diagnostics.append(Diagnostic("header-field", "AO3 chapter byline read", text))
            r.fields.authors += [text_of(a) for a in child.iter("a")]
        elif child.tag == "ul" and not r.chapters and RELATED_WORKS.match(text):
            r.related(child)
        elif child.tag == "dl" and r.afterword:
            r.drop("AO3 list of works inspired by this one", spaced_text(child))
        elif child.tag in {"div", "body"} and _holds_structure(child):
            _walk_download(child, r, tags)
        elif r.afterword:
            if text:
                r.drop("AO3 afterword text", spaced_text(child))
        elif text or child.find(".//img") is not None:
            r.content(child)


def _holds_structure(element: etree._Element) -> bool:
    """A wrapper (preface, chapters, a chapter's meta group) rather than story text."""
    if has_class(element, "userstuff"):  # story text, unless it wraps the chapters (div#chapters)
        return any(el.tag == "div" and (has_class(el, "userstuff") or has_class(el, "meta"))
                   for el in element.iter() if el is not element)
    for el in element.iter():
        if el is element or not isinstance(el.tag, str):
            continue
        if has_class(el, "userstuff") and el.tag == "div":
            return True
        if el.tag in {"h1", "h2", "dl"} or has_class(el, "message") or _label(el):
            return True
    return False


# ---------------------------------------------------------------- the work page
def read_work_page(page: Page, source: str, images: ImageLoader | None = None) -> Story | None:
    body = page.body
    skin = body.find(".//div[@id='workskin']")
    r = Ao3Work(source, images)
    dl = _tag_list(body)
    if dl is not None:
        r.tag_list(dl)
    title = skin.find(".//h2")
    if title is not None:
        r.fields.title = text_of(title)
    for h3 in skin.iter("h3"):
        if has_class(h3, "byline"):
            r.byline(h3)
            break
    for landmark in [h for h in skin.iter("h3") if has_class(h, "landmark")]:
        r.drop("AO3 landmark heading", text_of(landmark))
        landmark.drop_tree()
    for el in skin.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "h3" and has_class(el, "title"):
            r.heading(text_of(el))
        elif el.tag == "blockquote" and has_class(el, "userstuff"):
            module = el.getparent()
            label = next((_label(h) for h in module if _label(h)), None) if module is not None else None
            in_afterword = any(has_class(a, "afterword") for a in el.iterancestors())
            if label == "notes" and module is not None and has_class(module, "end"):
                label = "end notes" if in_afterword or not r.chapters else "chapter end notes"
            if label:
                r.afterword = in_afterword
                r.labelled(label, el, chapter_level=bool(r.chapters) and not in_afterword)
        elif el.tag == "div" and has_class(el, "userstuff") and not any(
                has_class(a, "userstuff") for a in el.iterancestors()):
            r.content(el)
        elif el.tag == "ul" and has_class(el, "associations"):
            r.fields.notes.insert(0, Note(r.blocks(el), "Associations"))
    for el in skin.iter("p", "div"):
        if el.get("id") == "children" or (el.tag == "p" and _MESSAGE.match(text_of(el))):
            r.drop("AO3 pointer to notes or related works", spaced_text(el))
    r.fields.url = r.fields.url or _work_url(body)
    _report_page_cruft(body, r)
    return r.story()


_WORK_LINK = re.compile(r"^(?:https?://(?:www\.)?archiveofourown\.org)?/works/(\d+)(?:[/?#]|$)")


def _work_url(body: etree._Element) -> str | None:
    """The work's address, from the page's own links to it (the work navigation's "Entire Work")."""
    for nav in body.iter("ul"):
        if has_class(nav, "work") and has_class(nav, "navigation"):
            for a in nav.iter("a"):
                if m := _WORK_LINK.match(a.get("href") or ""):
                    return f"https://archiveofourown.org/works/{m.group(1)}"
    return None


def _report_page_cruft(body: etree._Element, r: Ao3Work) -> None:
    """Everything outside the work and its tag list: navigation, kudos, comments, footers."""
    rest = copy.deepcopy(body)
    for el in list(rest.iter()):
        if el.get("id") == "workskin" or (el.tag == "dl" and has_class(el, "work", "meta")):
            el.drop_tree()
    text = spaced_text(rest)
    if text:
        r.drop("AO3 site navigation, kudos, comments and footers", text)

"""A web page no site layout claims: Page -> `WebText` (the elements holding its main text, the
fields it states, and the words it dropped, reported).

A wiki page, a blog post, a news story or an archive bookbinder has no layout for carries the
site's furniture around its text: navigation, edit links, licence banners, sidebars, comments,
footers. The page's declared structure comes first, then a generic boilerplate remover:
- Fields: what the page states of itself (`declared`, weighed in `webfields`): the <title> less
  the site's name, Open Graph (ogp.me), schema.org JSON-LD, <html lang>.
- Where the text is: the HTML Living Standard's sectioning elements and ARIA landmarks. The
  declared main region (itemprop=articleBody, <main> or role=main, a lone <article>) settles
  which copy of a repeated passage is the text; <aside>, <footer>, role=complementary,
  navigation, banner and contentinfo, and well-known comment and sidebar containers are chrome.
  (<nav> never reaches here: sanitizing drops it, reported.)
- The extractor, trafilatura, only says WHERE the main text starts and ends: its first and last
  blocks are found in the sanitized tree, and everything between them is kept (an extractor
  drops short dialogue lines; keeping the span does not), less the chrome inside the span. The
  kept elements are then read by bookbinder's own units_of/read_units, like any page.
- Furniture is links and landmarks: a block of nothing but links inside the span goes too (a tag
  list, a row of share buttons), and a side of the page whose words are nearly all plain text
  (not links, not chrome) is text the extractor lost, so that side is not cut.
- Everything dropped is reported as `cruft-dropped`, with its text.
- Never worse than not guessing: when the extractor finds nothing, or keeps a small part of a
  page that is mostly prose, the page is read whole, and that is said.

Measured on the corpus's 23 web pages (tests/corpus: trafilatura-*, goose-*, liquidwar, ffn-*):
whether the text an extractor keeps holds the labelled first and last words of the story.
trafilatura 2.3: first 23/23, last 23/23, ~50 ms a page (after a 0.6 s import);
readability-lxml 0.9: 21/23, 22/23 (missed National Geographic's whole text), ~45 ms;
jusText 3.0: 20/23, 20/23, and kept comment threads (thousands of words past the end).
trafilatura (Apache-2.0, like its dependencies courlan and htmldate; dateparser and babel are
BSD) is the heaviest to install (~55 MB with babel) but the only one that never lost an end.
"""
from __future__ import annotations

import copy
import logging
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace

from lxml import etree

from ..accounting import words
from ..model import Diagnostic, Span, Story
from .fields import FieldSet
from .html import ImageLoader, Page, block_text, units_of
from .patterns import chapter_heading, is_marker
from .segment import Unit
from .webfields import agree, page_fields

_BLOCKS = {"p", "div", "blockquote", "section", "article", "header", "footer", "main", "aside", "li", "ul", "ol",
           "dl", "dt", "dd", "table", "tr", "td", "th", "tbody", "thead", "tfoot", "caption", "center", "pre",
           "figure", "figcaption", "address", "details", "summary", "body", "h1", "h2", "h3", "h4", "h5", "h6"}
_CHROME_TAGS = {"aside", "footer"}
_LINK_LISTS = {"ul", "ol", "dl", "p", "div", "table"}
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search"}
# Ids and classes of comment threads, sidebars, share and related-post boxes (WordPress, Disqus,
# Jetpack, MediaWiki and common themes). A contents list is not text either: the book makes its own.
_CHROME_NAME = re.compile(
    r"^(?:comments?(?:[-_](?:area|list|section|wrapper|respond|form|thread|container))?|commentlist|respond|"
    r"disqus_thread|sidebar|secondary|widget-area|sharedaddy|share(?:-?buttons|daddy|-links)?|social(?:-share)?|"
    r"jp-relatedposts|related(?:[-_]posts|[-_]articles)?|breadcrumbs?|catlinks|mw-navigation|navbox|"
    r"printfooter|site-(?:header|footer)|post-navigation|nav-links|author-?box|newsletter|toc|mw-editsection|noprint|"
    r"forum(?:[-_](?:fil|message|thread|comments?))?)$", re.IGNORECASE)
_PROBE = 8             # words of the extractor's first and last blocks looked for in the page
_MIN_KEPT = 0.4        # of a prose page's prose words; keeping less is a guess too far
_PROSE_PAGE = 0.6      # of the page's words in prose blocks: a page that is mostly prose
# On the corpus's web pages at most 71% of the words cut at one side are not links or chrome
# (boingboing's teasers); 90% is text, not furniture.
_PLAIN, _PLAIN_WORDS = 0.9, 20


@dataclass(frozen=True)
class WebText:
    elements: tuple[etree._Element, ...]  # where the main text is, in order
    fields: FieldSet
    sections: bool  # the text is one article: its headings title sections, not chapters


def web_units(page: Page, diagnostics: list[Diagnostic], images: ImageLoader | None) -> tuple[list[Unit], FieldSet]:
    """The units of the page's main text, and the fields it states."""
    text = read_webpage(page, diagnostics)
    units = units_of(list(text.elements), diagnostics, images, headings=True)
    if text.sections:
        units = [_section(u) if (u.heading or _subhead(u)) and not chapter_heading(u.text) else u for u in units]
    first = units[0] if units else None
    if first and first.heading and not chapter_heading(first.text) and agree(text.fields.title or first.text, first.text):
        text.fields.title = text.fields.title or first.text
        diagnostics.append(Diagnostic("header-field", "the page's first heading read as the title", first.text))
        units = units[1:]
    return units, text.fields


def prefer_stated_title(story: Story, title: str | None) -> Story:
    """The title the page states over a title line read from its text (a standfirst, a sidebar's
    heading); that line's words are said, not lost."""
    if not title or story.meta.title == title:
        return story
    said = () if story.meta.title is None else (
        Diagnostic("header-field", "the page's stated title kept over a title line of its text", story.meta.title),)
    return story.with_(meta=story.meta.with_(title=title), diagnostics=story.diagnostics + said)


def _subhead(unit: Unit) -> bool:
    """A line of three to twelve words set wholly in bold, not ending a sentence: an article's
    subhead ("<p><strong>Reaping the harvest</strong></p>"). A story's bold section labels are
    shorter ("MEREDITH", "Later"), and the structure stage reads them as scene breaks."""
    if not unit.single or unit.rich is None or len(unit.rich) != 1:
        return False
    line = [i for i in unit.rich[0] if not (isinstance(i, str) and not i.strip())]
    return (len(line) == 1 and isinstance(line[0], Span) and line[0].tag == "strong"
            and 3 <= len(unit.text.split()) <= 12 and not re.search(r"[:;.!,…]$", unit.text.strip()))


def _section(unit: Unit) -> Unit:
    """A heading inside one article: a section's title, or a scene break set as a heading ("<h3>...</h3>")."""
    if is_marker(unit.text) or not any(c.isalnum() for c in unit.text):
        return replace(unit, lines=("* * *",), heading=False, rich=None)  # read as an <hr> is
    return replace(unit, heading=True, section=True)


def read_webpage(page: Page, diagnostics: list[Diagnostic]) -> WebText:
    """The page's main text and what it states; what it drops goes to `diagnostics`."""
    fields = page_fields(page.declared, page.body, _byline(page.body))
    body = copy.deepcopy(page.body)
    found = _main_span(body)
    if found is None:
        diagnostics.append(Diagnostic("webpage-whole", "no main text found apart from the site's furniture; "
                                      "the page is read whole"))
        return WebText((page.body,), fields, page.declared.article)
    index, start, end, kept_words = found
    dropped = _cut(body, start, end) + _drop_chrome(body, kept_words)
    if _too_little(index, body):
        diagnostics.append(Diagnostic("webpage-whole", "the main text found is a small part of a page that is "
                                      "mostly prose; the page is read whole"))
        return WebText((page.body,), fields, page.declared.article)
    for what, text in dropped:
        if words(text):
            diagnostics.append(Diagnostic("cruft-dropped", f"{what} dropped", text))
    cut = sum(len(words(text)) for _, text in dropped)
    return WebText((body,), fields, page.declared.article or cut >= 20)


# -- where the main text is
def _main_span(body: etree._Element) -> tuple[_WordIndex, etree._Element | None, etree._Element | None, Counter] | None:
    """The blocks where the extractor's text starts and ends (None: keep that side whole), and
    the words it kept."""
    kept = _extract(body)
    if not kept:
        return None
    index = _WordIndex(body)
    region = _declared_main(body)
    start = index.find(kept[:_PROBE], region, first=True)
    for skip in range(1, 4):  # the first words may be altered (a footnote mark dropped): try later ones
        if start is not None:
            break
        start = index.find(kept[skip * _PROBE:(skip + 1) * _PROBE], region, first=True)
    end = index.find(kept[-_PROBE:], region, first=False, after=start[0] if start else 0)
    if start is None or end is None or end[0] < start[0]:
        return None
    # Furniture is links and landmarks: words outside the span that are neither are text the
    # extractor lost (a deeply nested page, an author's note), and that side is not cut.
    first = start[1] if not index.plain(0, start[0]) else None
    last = end[1] if not index.plain(end[0] + 1, len(index.words)) else None
    return index, first, last, Counter(kept)


def _extract(body: etree._Element) -> list[str]:
    """The words of the main text as trafilatura finds it, or [] (it found none)."""
    import trafilatura  # imported here: 0.6 s that a book of text files should not pay

    _quiet()
    markup = "<html><body>" + etree.tostring(body, encoding="unicode", method="html") + "</body></html>"
    try:
        text = trafilatura.extract(markup, include_comments=False, include_tables=True, deduplicate=False)
    except (ValueError, TypeError, etree.LxmlError):  # trafilatura on markup it cannot read
        return []
    return words(text or "")


def _quiet() -> None:
    """trafilatura logs what it discards as warnings; bookbinder's diagnostics say what was dropped."""
    for name in ("trafilatura", "htmldate", "courlan"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _declared_main(body: etree._Element) -> etree._Element | None:
    """The element the page declares holds its text: itemprop=articleBody (the longest), else a
    lone <main> or role=main, else a lone <article>."""
    bodies = [el for el in body.iter() if isinstance(el.tag, str) and "articleBody" in (el.get("itemprop") or "").split()]
    if bodies:
        return max(bodies, key=lambda el: len(words(block_text(el))))
    mains = list(body.iter("main")) + [el for el in body.iter() if isinstance(el.tag, str) and el.get("role") == "main"]
    if len(set(mains)) == 1:
        return mains[0]
    articles = list(body.iter("article"))
    return articles[0] if len(articles) == 1 else None


class _WordIndex:
    """The body's words in reading order, each with the block element that holds it."""

    def __init__(self, body: etree._Element) -> None:
        self.words: list[str] = []
        self.owners: list[etree._Element] = []
        self.linked: list[bool] = []  # whether the word is a link's, or in a sidebar, comment or footer
        blocks, links = [body], 0
        for event, el in etree.iterwalk(body, events=("start", "end")):
            if not isinstance(el.tag, str):
                if event == "end":
                    self._add(el.tail, blocks[-1], links)
                continue
            if event == "start":
                if el.tag in _BLOCKS and el is not body:
                    blocks.append(el)
                links += el.tag == "a" or _is_chrome(el)
                self._add(el.text, blocks[-1], links)
            elif el is not body:
                if el.tag in _BLOCKS:
                    blocks.pop()
                links -= el.tag == "a" or _is_chrome(el)
                self._add(el.tail, blocks[-1], links)
        self.text = " " + " ".join(self.words) + " "
        self.offsets = []
        at = 1
        for w in self.words:
            self.offsets.append(at)
            at += len(w) + 1

    def _add(self, text: str | None, owner: etree._Element, links: int) -> None:
        if text:
            found = words(text)
            self.words += found
            self.owners += [owner] * len(found)
            self.linked += [links > 0] * len(found)

    def plain(self, start: int, end: int) -> bool:
        """Whether the words from `start` to `end` are nearly all plain text: not links, not chrome."""
        linked = sum(self.linked[start:end])
        return end - start >= _PLAIN_WORDS and linked < (1 - _PLAIN) * (end - start)

    def prose(self) -> int:
        """Words in prose blocks: ten words or more, mostly not links, not in the page's chrome."""
        count: Counter = Counter(id(o) for o in self.owners)
        linked: Counter = Counter(id(o) for o, link in zip(self.owners, self.linked) if link)
        return sum(n for key, n in count.items() if n >= 10 and linked[key] * 2 < n)

    def find(self, probe: list[str], region: etree._Element | None, first: bool,
             after: int = 0) -> tuple[int, etree._Element] | None:
        """Where `probe` occurs (first or last occurrence, at or after word `after`), preferring
        occurrences inside `region`: (index of its first or last word, the block holding it)."""
        if not probe:
            return None
        needle = " " + " ".join(probe) + " "
        hits, at = [], self.text.find(needle)
        while at >= 0 and len(hits) < 1000:
            i = bisect_right(self.offsets, at + 1) - 1
            if i >= after:
                hits.append(i if first else i + len(probe) - 1)
            at = self.text.find(needle, at + 1)
        inside = [i for i in hits if region is not None and _within(self.owners[i], region)]
        chosen = (inside or hits)
        if not chosen:
            return None
        i = chosen[0] if first else chosen[-1]
        return i, self.owners[i]


def _within(el: etree._Element, region: etree._Element) -> bool:
    return el is region or any(a is region for a in el.iterancestors())


# -- cutting
def _cut(body: etree._Element, start: etree._Element | None, end: etree._Element | None) -> list[tuple[str, str]]:
    """Everything before `start` and after `end` taken out of the tree: (what, its text) pairs."""
    before, after = [], []
    node = start if start is not None else body
    while node is not body and node.getparent() is not None:
        parent = node.getparent()
        for sib in reversed(list(node.itersiblings(preceding=True))):
            before.append(_text_with_tail(sib))
            parent.remove(sib)
        if parent.text:
            before.insert(0, parent.text)
            parent.text = None
        node = parent
    node = end if end is not None else body
    while node is not body and node.getparent() is not None:
        parent = node.getparent()
        if node.tail:
            after.append(node.tail)
            node.tail = None
        for sib in list(node.itersiblings()):
            after.append(_text_with_tail(sib))
            parent.remove(sib)
        node = parent
    return [("the page's furniture before its main text", _joined(before)),
            ("the page's furniture after its main text", _joined(after))]


def _drop_chrome(body: etree._Element, kept: Counter) -> list[tuple[str, str]]:
    """Sidebars, comment threads, footers and blocks of links inside the main text's span, unless
    the extractor kept most of their words (then they are text the page merely wrapped oddly).
    What is mostly links goes even then: a contents list repeats the headings the extractor keeps,
    and no story paragraph is nothing but links."""
    counts, dropped = _link_counts(body), []
    stack = list(reversed(body))
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str):
            continue
        total, linked, links = counts[el]
        chrome = _is_chrome(el)
        # a block of nothing but links ("Archivado en: ...", a row of share buttons)
        link_list = el.tag in _LINK_LISTS and links >= 2 and linked > 0.9 * total
        if not chrome and not link_list:
            stack.extend(reversed(el))
            continue
        text = _text_with_tail(el, tail=False)
        found = Counter(words(text))
        if sum((found & kept).values()) * 2 > sum(found.values()) and not link_list and linked <= 0.8 * total:
            continue  # the extractor kept it: text
        names = f" ({_names(el)})" if _names(el) else ""
        dropped.append((f"<{el.tag}>{names} inside the main text", _joined([text])))
        el.drop_tree()  # its tail is text of the span
    return dropped


def _link_counts(body: etree._Element) -> dict:
    """For every element: its words, the words of links in it, and its links with words (one pass)."""
    counts: dict = {}
    for el in reversed([e for e in body.iter() if isinstance(e.tag, str)]):
        own = len(words(el.text or ""))
        total, linked, links = own, own if el.tag == "a" else 0, int(el.tag == "a" and own > 0)
        for child in el:
            if isinstance(child.tag, str):
                t, k, n = counts[child]
                total, linked, links = total + t, linked + k, links + n
            tail = len(words(child.tail or ""))
            total += tail
            linked += tail if el.tag == "a" else 0
        if el.tag == "a":
            linked, links = total, max(links, int(total > 0))
        counts[el] = (total, linked, links)
    return counts


def _is_chrome(el: etree._Element) -> bool:
    if el.tag in _CHROME_TAGS and not any(a.tag in {"blockquote", "figure"} for a in el.iterancestors()):
        return True
    if (el.get("role") or "").strip().lower() in _CHROME_ROLES:
        return True
    return any(_CHROME_NAME.match(n) for n in _names(el).split())


def _names(el: etree._Element) -> str:
    return " ".join(filter(None, [el.get("id") or "", *(el.get("class") or "").split()]))


def _text_with_tail(el: etree._Element, tail: bool = True) -> str:
    text = block_text(el) if isinstance(el.tag, str) else ""
    return text + (" " + el.tail if tail and el.tail else "")


def _joined(pieces: list[str]) -> str:
    return re.sub(r"\s+", " ", " ".join(pieces)).strip()


# -- never worse than not guessing
def _too_little(index: _WordIndex, kept: etree._Element) -> bool:
    """Whether `kept` is a small part of a page that is mostly prose."""
    prose, total = index.prose(), len(index.words)
    return total > 0 and prose >= _PROSE_PAGE * total and len(words(block_text(kept))) < _MIN_KEPT * prose


def _byline(body: etree._Element) -> str | None:
    """The byline the page shows, as trafilatura's byline rules find it in the sanitized tree."""
    from lxml import html as lxml_html
    from trafilatura.metadata import extract_metadata

    _quiet()
    try:
        tree = lxml_html.document_fromstring("<html>" + etree.tostring(body, encoding="unicode") + "</html>")
        meta = extract_metadata(tree)
    except (ValueError, TypeError, etree.LxmlError):
        return None
    if meta is None or not meta.author:
        return None
    shown = re.search(re.escape(meta.author), block_text(body), re.IGNORECASE)  # trafilatura title-cases names
    return shown.group(0) if shown else meta.author

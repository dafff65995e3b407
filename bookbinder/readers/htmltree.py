"""HTML text -> an lxml tree that holds the whole document, however it is nested.

libxml2 stops building the tree at depth 256 and at a 10 MB text run, and drops the rest of the
document without an exception: 400 paragraphs that each open a `<font>` and never close it
(an old fanfiction.net and FrontPage habit) came out as 126. So every parse checks libxml2's
error log. When a limit was hit, the markup is first *repaired*: re-tokenized (the standard
library's tokenizer has no depth limit) and written out again with every element closed
explicitly where HTML closes it implicitly (a new `<p>` ends the open one, a `<li>` the open
item), formatting elements reopened in the next paragraph as browsers do, and tags nested past
`MAX_DEPTH` left out with their text kept. Then it is parsed again without the size limit.
Text after the first </body> or </html> (two documents joined end to end), which libxml2 drops
without an error, takes the same path. Only when even that fails is the input refused, loudly.
Never truncated quietly.
"""
from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

from lxml import etree, html as lxml_html

from ..errors import InputError
from ..model import Diagnostic

MAX_DEPTH = 120  # elements; libxml2 stops at 256, and each level costs the walk two Python frames

_VOID = {"area", "base", "basefont", "br", "col", "embed", "frame", "hr", "img", "input", "isindex", "keygen",
         "link", "meta", "param", "source", "track"}
_CLOSES_P = {"address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl",
             "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
             "hgroup", "hr", "li", "listing", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table",
             "ul", "dd", "dt"}
_SCOPE = {"html", "body", "table", "td", "th", "caption", "button", "object", "applet", "marquee", "template"}
# A start tag that ends an open element of the same family, up to the element that contains them.
_SIBLINGS = {"li": ({"li"}, {"ul", "ol"}), "dt": ({"dt", "dd"}, {"dl"}), "dd": ({"dt", "dd"}, {"dl"}),
             "tr": ({"tr", "td", "th"}, {"table"}), "td": ({"td", "th"}, {"tr", "table"}),
             "th": ({"td", "th"}, {"tr", "table"}), "option": ({"option"}, {"select"})}
_FORMATTING = {"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
               "span", "sup", "sub", "del", "ins", "cite"}
_INLINE = _FORMATTING | {"abbr", "bdi", "bdo", "dfn", "kbd", "label", "mark", "q", "samp", "var"}


def parse_html(text: str, source: str, diagnostics: list[Diagnostic]) -> lxml_html.HtmlElement:
    """The document's root element, holding all of `text`; InputError when it cannot be read whole."""
    at = unclosed_comment(text)
    if at is not None:  # a browser hides the rest of the file too, but it is the author's slip, not a comment
        diagnostics.append(Diagnostic("html-repaired", "a comment opened with <!-- is never closed; the text "
                                      "after it is read as text, not hidden"))
        text = text[:at] + text[at:].replace("<!--", "&lt;!--")  # every later one is unclosed too
    text = _SELF_CLOSED_ROOT.sub(r"<\1\2>", text)
    after_end = _text_after_end(text)
    if not after_end:  # the usual page: one parse, and libxml2's log says whether it read it all
        root, limited = _parse(text, huge=False)
        if not limited:
            return _one_body(root)
    repaired, dropped = repair(text)
    root, limited = _parse(repaired, huge=True)
    if limited:
        raise InputError(f"is HTML that cannot be read whole ({limited}); nothing was built from it", source)
    if after_end:
        said = "markup the parser would cut short: content after </body> or </html> kept (two documents " \
               "joined, or text appended to one)"
    else:
        said = "nesting too deep for the parser: every element closed where HTML closes it implicitly"
    if dropped:
        said += f"; {dropped} tags nested more than {MAX_DEPTH} deep left out, their text kept"
    diagnostics.append(Diagnostic("html-repaired", said))
    return _one_body(root)


def _one_body(root: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """Text before <html> (a stray character, a second file's tail) makes libxml2 open a body of
    its own and put the real one beside it, where find("body") never looks: join them. A body
    tag libxml2 closed at once (`<body junk<br />`) leaves the page's content beside it: moved in."""
    body = root.find("body")
    if body is not None:
        _take_stray_content(root, body)
    bodies = root.findall("body")
    for extra in bodies[1:]:
        first = bodies[0]
        if extra.text:
            if len(first):
                first[-1].tail = (first[-1].tail or "") + extra.text
            else:
                first.text = (first.text or "") + extra.text
        first.extend(list(extra))
        root.remove(extra)
    return root


def _take_stray_content(root: lxml_html.HtmlElement, body: lxml_html.HtmlElement) -> None:
    """Elements and text that sit in <html> after the body, not in it, moved to the body's end."""
    if body.tail and body.tail.strip():
        if len(body):
            body[-1].tail = (body[-1].tail or "") + body.tail
        else:
            body.text = (body.text or "") + body.tail
        body.tail = None
    for stray in [el for el in root if el is not body and el.tag not in {"head", "body"}
                  and root.index(el) > root.index(body)]:
        body.append(stray)  # its tail comes along


# "<html/>" or "<body/>": HTML ignores the slash on an element that is not void, but libxml2 ends the
# document (or the body) there and drops all that follows without an error. Read as a start tag.
_SELF_CLOSED_ROOT = re.compile(r"<(html|body)((?:\s[^<>]*?)?)/\s*>", re.IGNORECASE)
# An end tag may carry junk before its ">" ("</body Mark asked…<br>"): HTML ignores it, libxml2 too.
_END = re.compile(r"</(?:body|html)(?:[\s/][^>]*)?>", re.IGNORECASE)
_TRAILER = re.compile(r"(?:\s|</(?:body|html)(?:[\s/][^>]*)?>|<!--.*?-->)*", re.IGNORECASE | re.DOTALL)


def _text_after_end(text: str) -> bool:
    """Whether anything but space and comments follows the first </body> or </html>: libxml2
    drops it without a word, where a browser shows it (files joined end to end do this)."""
    m = _END.search(text)
    return bool(m) and _TRAILER.match(text, m.end()).end() < len(text)


def unclosed_comment(text: str) -> int | None:
    """Where a `<!--` that no `-->` closes opens, if one does."""
    at = text.find("<!--")
    while at >= 0:
        end = text.find("-->", at + 4)
        if end < 0:
            return at
        at = text.find("<!--", end + 3)
    return None


def _parse(text: str, huge: bool) -> tuple[lxml_html.HtmlElement, str]:
    """(root, the resource limit libxml2 hit or "")."""
    parser = lxml_html.HTMLParser(huge_tree=huge)
    try:
        root = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"is not readable HTML ({exc})") from None
    limits = [e.message for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"]
    return root, (limits[0].strip() if limits else "")


def repair(text: str, limit: int = MAX_DEPTH) -> tuple[str, int]:
    """(markup with every element closed explicitly and at most `limit` deep, tags left out)."""
    writer = _Repair(limit)
    writer.feed(text)
    writer.close()
    return "".join(writer.out), writer.dropped


_NAME = re.compile(r"^[a-zA-Z_:][-a-zA-Z0-9_:.]*$")


def _start_tag(tag: str, attrs, empty: bool = False) -> str:
    """The start tag as this tokenizer understood it, written so that libxml2 reads the same: a
    quote left open in the source would otherwise end elsewhere for each of them."""
    if not _NAME.match(tag):
        return ""
    written = "".join(f' {name}="{escape(value or "", quote=True)}"' for name, value in attrs if _NAME.match(name))
    return f"<{tag}{written}{'/' if empty else ''}>"


class _Repair(HTMLParser):
    def __init__(self, limit: int) -> None:
        super().__init__(convert_charrefs=True)
        self.limit, self.out, self.dropped = limit, [], 0
        self.stack: list[tuple[str, str]] = []  # (tag, its start tag as written)
        self.skipped: dict[str, int] = {}       # tags left out and not yet ended, by name

    def handle_starttag(self, tag: str, attrs) -> None:
        raw = _start_tag(tag, attrs)
        if tag in {"html", "head", "body"} and any(name == tag for name, _ in self.stack) or tag == "wbr":
            return  # a second document's <html>/<body> joins the first; <wbr> (libxml2 nests it) holds no text
        if tag in _VOID:
            self.out.append(raw)
            return
        reopen = self._close_implied(tag)
        self._open(tag, raw)
        for name, start in reopen:
            self._open(name, start)

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag != "wbr":
            self.out.append(_start_tag(tag, attrs, empty=True))

    def handle_endtag(self, tag: str) -> None:
        if tag in {"html", "body"}:
            return  # closed at the very end: what follows them is still the document
        if self.skipped.get(tag):
            self.skipped[tag] -= 1
            self._separate(tag)
        elif any(name == tag for name, _ in self.stack):
            self._pop_to(tag)
        # else: the end of no open element: nothing to write

    def handle_data(self, data: str) -> None:
        self.out.append(escape(data, quote=False))

    def parse_html_declaration(self, i: int) -> int:
        """`<![CDA[…`, `<![if …`: html.parser asserts on marked sections it does not know; they are text."""
        try:
            return super().parse_html_declaration(i)
        except AssertionError:
            self.handle_data(self.rawdata[i:i + 2])
            return i + 2

    def handle_decl(self, decl: str) -> None:
        if decl.lower().startswith("doctype"):
            self.out.append(f"<!{decl}>")

    def close(self) -> None:
        super().close()
        while self.stack:
            self.out.append(f"</{self.stack.pop()[0]}>")

    def _open(self, tag: str, raw: str) -> None:
        """Open `tag`, unless the very same formatting is already open (nesting it again changes
        nothing) or the limit is reached; a skipped tag's end tag is skipped too."""
        repeated = tag in _FORMATTING and any(start == raw for _, start in self.stack)
        if repeated or len(self.stack) >= self.limit:
            self.dropped += not repeated
            self.skipped[tag] = self.skipped.get(tag, 0) + 1
            self._separate(tag)
            return
        self.stack.append((tag, raw))
        self.out.append(raw)

    def _separate(self, tag: str) -> None:
        """Where a block element is left out, a paragraph break keeps its text apart (two <br>s, which
        the walk reads as one, as fanfiction.net writes them)."""
        if tag not in _INLINE:
            self.out.append("<br><br>")

    def _close_implied(self, tag: str) -> list[tuple[str, str]]:
        """Close what this start tag closes in HTML; the formatting elements to reopen inside it."""
        closed: list[tuple[str, str]] = []
        if tag in _CLOSES_P and self._open_in_scope({"p"}, _SCOPE):
            closed = self._pop_to("p")
        if tag in _SIBLINGS:
            family, container = _SIBLINGS[tag]
            found = self._open_in_scope(family, container | _SCOPE)
            if found:
                closed += self._pop_to(found)
        reopen, seen = [], set()
        for name, raw in closed:
            if name in _FORMATTING and raw not in seen:
                seen.add(raw)
                reopen.append((name, raw))
        return reopen

    def _open_in_scope(self, names: set[str], boundary: set[str]) -> str | None:
        for name, _ in reversed(self.stack):
            if name in names:
                return name
            if name in boundary:
                return None
        return None

    def _pop_to(self, tag: str) -> list[tuple[str, str]]:
        """Close elements down to and including the innermost `tag`; the ones closed above it, outermost first."""
        above: list[tuple[str, str]] = []
        while self.stack:
            name, raw = self.stack.pop()
            self.out.append(f"</{name}>")
            if name == tag:
                break
            above.append((name, raw))
        return above[::-1]

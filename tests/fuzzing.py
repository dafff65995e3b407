"""A structured fuzzer for every reader, shared by tests/test_fuzz.py and benchmarks/fuzz.py.

`case(rng, kind)` makes one input: a real sample of that kind (a seed, an AO3 download or work
page, FanFicFare's HTML or EPUB, Markdown, PDF-extracted text) mutated by a few random edits:
snippets that broke readers before (unclosed tags, deep nesting, control characters,
noncharacters, entities, markers, YAML), random bytes, cuts, copies, and re-encoding.
`check(data, suffix, folder)` reads it as a user's file and says what went wrong: an exception
that is not a BookbinderError, a document that is not well-formed, or words of the input's
visible text found neither in the book's text nor in a diagnostic.
"""
from __future__ import annotations

import io
import random
import re
import traceback
import zipfile
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from lxml import etree

from bookbinder.clean.xmlsafe import UNSAFE
from bookbinder.errors import BookbinderError
from bookbinder.pipeline import load_story
from bookbinder.render import render_story, serialize

import formats_oracle
from conftest import CASES, SEEDS, words

SAMPLES = {
    "text": [*sorted(SEEDS.glob("*.txt")), CASES / "ffnet-multichapter" / "input.txt",
             CASES / "gutenberg-wrapped" / "input.txt", CASES / "gutenberg-modern" / "input.txt",
             CASES / "lj-header-block" / "input.txt"],
    "pdftext": [CASES / "pdf-text" / "input.txt"],
    "ao3-pdftext": [CASES / "ao3-pdf-text" / "input.txt"],
    "fanficfare-txt": [CASES / "fanficfare-txt" / "input.txt"],
    "aozora": [CASES / "aozora-sjis" / "input.txt"],
    "markdown": [CASES / "markdown-chapters" / "input.md"],
    "html": [CASES / "html-ffnet-habits" / "input.html", CASES / "gutenberg-html" / "input.html"],
    "ao3": [CASES / "ao3-download" / "input.html", CASES / "ao3-work-page" / "input.html"],
    "fanficfare": [CASES / "fanficfare-html" / "input.html"],
    "epub": [CASES / "ao3-epub" / "input.epub", CASES / "fanficfare-epub" / "input.epub"],
    # the formats of issue 25, made from one short story (tests/support/formats/make.sh)
    "pdf": [CASES / "made-pdf" / "input.pdf"],
    "mobi": [CASES / "made-mobi" / "input.mobi"],
    "docx": [CASES / "made-docx" / "input.docx"],
    "odt": [CASES / "made-odt" / "input.odt"],
    "rtf": [CASES / "made-rtf" / "input.rtf"],
    "fb2": [CASES / "made-fb2" / "input.fb2"],
}
SUFFIX = {"config": ".config.toml", "manifest": ".manifest.toml", "text": ".txt", "pdftext": ".txt", "ao3-pdftext": ".txt", "fanficfare-txt": ".txt", "aozora": ".txt", "markdown": ".md", "html": ".html", "ao3": ".html",
          "fanficfare": ".html", "epub": ".epub", "pdf": ".pdf", "mobi": ".mobi", "docx": ".docx", "odt": ".odt",
          "rtf": ".rtf", "fb2": ".fb2"}
SNIPPETS = [
    "<font color=red>", "<p>", "</p>", "<div>", "</div>", "<b>", "<i>", "</b>", "<br>", "<br><br><br>", "<hr>",
    "<p>&nbsp;</p>", "&#x1;", "&#xFFFE;", "&#xFFFF;", "&#0;", "&amp;", "&", "<", ">", "<![CDATA[x]]>", "<!--",
    "<h2>Chapter 3: The Storm</h2>", "<center>* * *</center>", "<script>x()</script>", "<img src=x.png>",
    "<svg><script>x</script></svg>", "<table><tr><td>", "<li>", "<blockquote>", "<wbr>", "<span style='x'>",
    "\x00", "\x01", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u2028", "\ufeff", "\ufffe", "\u200b", "\u00a0",
    "\r", "\r\n", "\n\n\n\n", "\n* * *\n", "\n~~~\n", "\nxxx\n", "\nChapter 2\n", "\nCHAPTER IV.\n",
    "\nA/N: thanks for reading!\n", "\nAuthor's Note: hi\n", "\nPlease review!\n", "\nTags: a, b\n",
    "\n---\ntitle: x\n---\n", "**", "__", "_", "*", "/", "--", "...", '"', "'", "\u201c", "\u2019", "[", "](",
    "# ", "\n# Heading\n", "> ", "    ", "\t", "猫", "\U0001F600", "é", "\u0301", "\ud800",
]
DEEP = ["<font>", "<div>", "<b>", "<span>", "<blockquote>", "[", "> ", "<p><font>"]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1", "shift_jis", "euc-jp",
             "cp1251", "gb18030"]


@dataclass
class Case:
    kind: str
    data: bytes
    note: str

    @property
    def suffix(self) -> str:
        return SUFFIX[self.kind]


KINDS = sorted([*SAMPLES, "config", "manifest"])


def case(rng: random.Random, kind: str | None = None) -> Case:
    kind = kind or rng.choice(KINDS)
    if kind in TRUST:
        return _trust_case(rng, kind)
    sample = rng.choice(SAMPLES[kind]).read_bytes()
    edits = rng.randint(1, 6)
    if kind == "epub":
        return _epub_case(rng, sample, edits)
    if kind in _ZIPPED:
        return _epub_case(rng, sample, edits, kind, _ZIPPED[kind])
    if kind in {"pdf", "mobi"}:
        return _bytes_case(rng, sample, edits, kind)
    text = sample.decode("utf-8", errors="surrogateescape")
    text, notes = _mutate_text(rng, text, edits)
    data, how = _encode(rng, text, kind)
    return Case(kind, data, "; ".join(notes + [how]))


def _mutate_text(rng: random.Random, text: str, edits: int) -> tuple[str, list[str]]:
    notes = []
    for _ in range(edits):
        op = rng.choice(["snippet", "snippet", "snippet", "deep", "cut", "copy", "chars"])
        at = rng.randrange(len(text) + 1)
        if op == "snippet":
            piece = rng.choice(SNIPPETS) * rng.choice([1, 1, 1, 2, 5, 50])
        elif op == "deep":
            piece = rng.choice(DEEP) * rng.choice([100, 300, 1000, 5000])
        elif op == "cut":
            end = min(len(text), at + rng.randint(1, 400))
            notes.append(f"cut {at}:{end}")
            text = text[:at] + text[end:]
            continue
        elif op == "copy":
            start = rng.randrange(len(text) + 1)
            piece = text[start:start + rng.randint(1, 2000)]
        else:
            piece = "".join(chr(rng.choice([rng.randint(0, 0x7F), rng.randint(0x80, 0x2FFF),
                                             rng.randint(0xE000, 0xFFFF)])) for _ in range(rng.randint(1, 20)))
        notes.append(f"{op} {piece[:20]!r}x{len(piece)} at {at}")
        text = text[:at] + piece + text[at:]
    return text, notes


def _encode(rng: random.Random, text: str, kind: str) -> tuple[bytes, str]:
    codec = "utf-8" if kind in {"ao3", "html", "fanficfare"} and rng.random() < 0.7 else rng.choice(ENCODINGS)
    if codec != "utf-8":
        return text.encode(codec, errors="replace"), f"encoded {codec}"
    try:
        return text.encode(codec, errors="surrogateescape"), f"encoded {codec}"
    except UnicodeEncodeError:  # a lone surrogate snippet: written as CESU-8 bytes, which no file should hold
        return text.encode(codec, errors="surrogatepass"), f"encoded {codec} (surrogates passed)"


# Zip containers besides EPUB, and the entries that hold their text.
_ZIPPED = {"docx": ("word/document.xml", "word/footnotes.xml"), "odt": ("content.xml",)}


def _epub_case(rng: random.Random, sample: bytes, edits: int, kind: str = "epub",
               texts: tuple[str, ...] = (".xhtml", ".html", ".htm")) -> Case:
    """An EPUB (or DOCX, ODT) whose documents were mutated (or, now and then, whose archive bytes were)."""
    with zipfile.ZipFile(io.BytesIO(sample)) as z:
        entries = {info.filename: z.read(info) for info in z.infolist()}
    notes = []
    documents = [n for n in entries if n.endswith(texts)]
    for _ in range(edits):
        name = rng.choice(documents)
        text, said = _mutate_text(rng, entries[name].decode("utf-8", errors="replace"), 1)
        entries[name] = text.encode("utf-8", errors="replace")
        notes += [f"{name}: {s}" for s in said]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    data = out.getvalue()
    if rng.random() < 0.1:
        at = rng.randrange(len(data))
        data = data[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 8))) + data[at + 8:]
        notes.append(f"archive bytes changed at {at}")
    return Case(kind, data, "; ".join(notes))


def _bytes_case(rng: random.Random, sample: bytes, edits: int, kind: str) -> Case:
    """A PDF or MOBI with bytes changed, copied or cut (the made MOBI's text records are plain
    HTML, so its edits land in the text; a PDF's mostly in its structure)."""
    data, notes = bytearray(sample), []
    for _ in range(edits):
        at = rng.randrange(len(data))
        op = rng.choice(["bytes", "bytes", "cut", "copy"])
        if op == "bytes":
            piece = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
            data[at:at + len(piece)] = piece
        elif op == "cut":
            del data[at:at + rng.randint(1, 400)]
        else:
            start = rng.randrange(len(data))
            data[at:at] = data[start:start + rng.randint(1, 2000)]
        notes.append(f"{op} at {at}")
    return Case(kind, bytes(data), "; ".join(notes))


# ------------------------------------------------------------------ the oracle
def check(data: bytes, suffix: str, folder: Path) -> list[str]:
    """What went wrong reading `data` as a file ending in `suffix`; [] when all is well."""
    if suffix in TRUST.values():
        return check_trust(data, suffix, folder)
    path = folder / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        story = load_story(path)
    except BookbinderError as exc:
        message = exc.format_message()
        return [f"error is not one line: {message!r}"] if "\n" in message else []
    except (Exception, RecursionError):  # noqa: BLE001 - the finding itself
        return ["uncaught: " + traceback.format_exc(limit=-4)]
    try:
        xhtml = serialize(render_story(story))
        root = etree.fromstring(xhtml)
    except Exception:  # noqa: BLE001
        return ["the XHTML cannot be made: " + traceback.format_exc(limit=-4)]
    notes = " ".join(d.text for d in story.diagnostics)
    # Inline markup may split a word ("somet<em>hing"): the body is read both with a space at every
    # element edge and at block edges only, and a word counts as kept when either reading shows it.
    kept = " ".join(root.itertext()) + " " + notes
    held = Counter(words(kept)) | Counter(words(_html_text(xhtml) + " " + notes))
    # Controls are removed, not read as spaces (xmlsafe); but a form feed is white space (a page
    # break in text and PDF text, a space in HTML).
    seen = UNSAFE.sub("", visible_text(data, suffix).replace("\f", " "))
    lost = Counter(words(seen)) - held - _markup_words(data, suffix)
    if lost and suffix in {".html", ".htm", ".epub"}:
        # Broken markup is read differently by each parser ("<h<font>tml": a tag, or text?). A word
        # counts as lost when libxml2 also shows it, unless libxml2 hit a limit and cut the page short.
        second = _libxml2_text(data, suffix)
        if second is not None:
            lost &= Counter(words(UNSAFE.sub("", second))) - held
    if not lost:
        return []
    # Malformed markup splits words where parsers disagree ("d</p></p>oorway"): a loss is real when
    # the letters are missing too, not only the word boundaries.
    letters = Counter("".join(words(seen))) - Counter("".join(words(kept)))
    if not letters:
        return []
    return [f"words lost: {sum(lost.values())}: {dict(lost.most_common(8))}"]


def _libxml2_text(data: bytes, suffix: str) -> str | None:
    """The visible text as libxml2 parses the input; None where it hits a resource limit (and so
    drops text), which is exactly where the other oracle must decide alone."""
    from lxml import html as lxml_html
    from bookbinder.readers.html import block_text, decode_html

    if suffix == ".epub":
        documents = _entries(data, (".xhtml", ".html"))
    else:
        try:
            documents = [decode_html(data, "oracle")[0]]
        except BookbinderError:
            return None
    texts = []
    for document in documents:
        parser = lxml_html.HTMLParser(huge_tree=True)
        document = re.sub(r"^\s*<\?xml[^>]*\?>", "", document)
        try:
            root = lxml_html.document_fromstring(document, parser=parser)
        except (etree.ParserError, ValueError):
            continue
        if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
            if suffix != ".epub":
                return None
            texts.append(_html_text(document.encode("utf-8", errors="replace")))  # this document decides alone
            continue
        for hidden in list(root.iter("script", "style", "head", "template", "title", "noscript")):
            hidden.text = None  # emptied in place: moving text around would meet the controls lxml refuses
            for child in list(hidden):
                hidden.remove(child)
        texts.append(block_text(root))
    return " ".join(texts)


def _entries(data: bytes, suffixes: tuple[str, ...] = ("",)) -> list[str]:
    """The text of each archive entry that zipfile can still read (an edit may have broken others)."""
    out = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for name in z.namelist():
                if name.endswith(suffixes):
                    try:
                        out.append(z.read(name).decode("utf-8", errors="replace"))
                    except Exception:  # noqa: BLE001 - an entry bookbinder read but zipfile cannot: no oracle
                        continue
    except Exception:  # noqa: BLE001
        return []
    return out


def _markup_words(data: bytes, suffix: str) -> Counter:
    """Words written inside angle brackets in the source. Where an edit breaks a tag ("<h<font>tml
    xmlns=...>"), parsers disagree on whether its attributes become text; such words are markup,
    and a loss of them is no loss of the story."""
    if suffix not in {".html", ".htm", ".epub", ".md", ".docx", ".odt", ".fb2"}:
        return Counter()
    raw = data.decode("utf-8", errors="replace")
    if suffix in {".epub", ".docx", ".odt"}:
        raw = " ".join(_entries(data))
    # A tag, or the tail of one whose "<" an edit moved away ('tml xmlns="...">').
    return Counter(w for tag in re.findall(r"<[^>]*>|[^<>]*>", raw) for w in words(tag))


def visible_text(data: bytes, suffix: str) -> str:
    """The words a reader of the input sees, found without bookbinder's code (stdlib parsers only)."""
    if suffix == ".epub":
        return " ".join(_html_text(text.encode()) for text in _entries(data, (".xhtml", ".html")))
    if suffix in {".pdf", ".mobi"}:
        return ""  # a damaged PDF or Kindle book is read differently by every library: safety alone is checked
    if suffix in formats_oracle.SUFFIXES:
        return formats_oracle.visible(data, suffix)
    # Bytes -> text is the reader's own step (tested on its own); the oracle reads what it decoded.
    from bookbinder.readers.decode import decode
    from bookbinder.readers.html import decode_html
    from bookbinder.sidecar import split_front_matter

    try:
        text, _ = (decode_html if suffix in {".html", ".htm"} else decode)(data, "oracle")
    except BookbinderError:
        return ""
    if suffix in {".html", ".htm"}:
        return _html_text(text.encode("utf-8", errors="replace"))
    if suffix == ".md":
        from bookbinder.readers.page import markdown_html
        return _html_text(markdown_html(split_front_matter(text)[1]).encode("utf-8", errors="replace"))
    return split_front_matter(text)[1]


_BLOCK = {"p", "div", "br", "hr", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
          "section", "article", "header", "footer", "dt", "dd", "dl", "ul", "ol", "table", "pre", "center", "img",
          "figure", "figcaption", "address", "details", "summary", "main", "aside", "nav", "caption", "body",
          "html", "title", "form", "button", "input", "select", "option", "textarea", "label", "iframe", "object",
          "embed", "video", "audio", "canvas", "svg", "math", "frame", "frameset", "noscript"}
_HIDDEN = {"script", "style", "head", "template", "title", "noscript"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self.hidden += 1
        if tag in _BLOCK:
            self.parts.append(" ")
        alt = dict(attrs).get("alt") if tag == "img" else None
        if alt and not self.hidden:
            self.parts.append(f" {alt} ")

    def handle_endtag(self, tag):
        if tag in _HIDDEN and self.hidden:
            self.hidden -= 1
        if tag in _BLOCK:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)

    def parse_html_declaration(self, i):
        try:
            return super().parse_html_declaration(i)
        except AssertionError:  # a marked section html.parser does not know: text, as in a browser
            self.handle_data(self.rawdata[i:i + 2])
            return i + 2


def _html_text(data: bytes) -> str:
    from bookbinder.readers.htmltree import unclosed_comment

    text = data.decode("utf-8", errors="replace")
    at = unclosed_comment(text)  # bookbinder's stated rule: an unclosed comment is the author's slip, read as text
    if at is not None:
        text = text[:at] + text[at:].replace("<!--", "&lt;!--")
    # What sits between <? and ?> is an XML declaration or instruction, never prose (libxml2 hides it all;
    # HTML5 would show the tail of a broken one, as garbage).
    text = re.sub(r"<\?.*?\?>", " ", text, flags=re.DOTALL)
    # A tag that the end of the file cuts short ('<img src="https://ex') is dropped by a browser
    # (HTML's "EOF in tag"); html.parser would show it as text.
    last = text.rfind("<")
    if last >= 0 and ">" not in text[last:] and re.match(r"</?[A-Za-z]", text[last:last + 3]):
        text = text[:last]
    parser = _Text()
    parser.feed(text)
    parser.close()
    return re.sub(r"\s+", " ", "".join(parser.parts))


# ------------------------------------------------------------------ a folder's config and manifests
# A folder someone else prepared: its bookbinder.toml and manifests are data (config.py, inputs.py).
TRUST = {"config": ".config.toml", "manifest": ".manifest.toml"}
_HOSTILE_PATHS = ["../outside.txt", "/etc/passwd", "~/.ssh/id_rsa", "a/../../outside.txt", "link-out.txt",
                  "story.txt", "sub/story.md", "sub", "..", ".", "", "story.txt\x00.png", "C:\\Windows\\x.txt",
                  "sub/../story.txt", "notes.cfg", "x" * 300 + ".txt", "\u202egpj.txt", "%2e%2e/outside.txt"]
_VALUES = ["nan", "inf", "-inf", "-1", "0", "1e308", "100000000", "true", "false", "7", '"a5"', '"epub"', "[]",
           '["epub", "pdf"]', "[1, 2]", "{ a = 1 }", '"\\ud83d\\ude00"', '"\\u0000"', '"tcp://203.0.113.9:8786"',
           '"' + "\u202e" * 3 + '"', "1979-05-27", '"' + "z" * 2000 + '"']


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\x00", "\\u0000") + '"'


def _trust_case(rng: random.Random, kind: str) -> Case:
    from bookbinder.cli import cli

    if kind == "config":
        keys = sorted({opt[2:] for p in cli.commands["build"].params for opt in getattr(p, "opts", ())
                       if opt.startswith("--")})
        lines = ["[build]"]
        for key in rng.sample(keys, rng.randint(1, 8)):
            value = _toml_string(rng.choice(_HOSTILE_PATHS)) if rng.random() < 0.5 else rng.choice(_VALUES)
            lines.append(f"{key} = {value}")
        if rng.random() < 0.3:
            lines += ["[aliases]", f"{_toml_string(rng.choice(_HOSTILE_PATHS))} = {rng.choice(_VALUES)}"]
    else:
        entries = [_toml_string(rng.choice(_HOSTILE_PATHS)) if rng.random() < 0.7 else
                   f"{{ path = {_toml_string(rng.choice(_HOSTILE_PATHS))}, title = {rng.choice(_VALUES)} }}"
                   for _ in range(rng.randint(1, 6))]
        lines = [f"title = {rng.choice(_VALUES)}", f"stories = [{', '.join(entries)}]"]
    text, notes = ("\n".join(lines) + "\n", [])
    if rng.random() < 0.3:
        text, notes = _mutate_text(rng, text, 1)
    return Case(kind, text.encode("utf-8", "surrogatepass"), "; ".join(notes) or "as made")


def _trust_folder(folder: Path) -> Path:
    shared = folder / "shared"
    (shared / "sub").mkdir(parents=True)
    (folder / "outside.txt").write_text("OUTSIDE the shared folder\n", encoding="utf-8")
    for name in ("story.txt", "sub/story.md"):
        (shared / name).write_text("A story.\n\nIts second paragraph.\n", encoding="utf-8")
    (shared / "notes.cfg").write_text("secret = 1\n", encoding="utf-8")
    (shared / "link-out.txt").symlink_to(folder / "outside.txt")
    return shared


def check_trust(data: bytes, suffix: str, folder: Path) -> list[str]:
    """What went wrong when a folder's bookbinder.toml or manifest holds `data`: anything raised but
    a BookbinderError, a user-only key taken, or a path outside the folder accepted."""
    import os

    from bookbinder import config
    from bookbinder.cli import cli
    from bookbinder.inputs import read_manifest
    from bookbinder.readers import STORY_SUFFIXES

    import tempfile

    folder = Path(tempfile.mkdtemp(dir=folder))  # a fresh folder each time: hypothesis reuses tmp_path
    shared = _trust_folder(folder)
    target = shared / ("bookbinder.toml" if suffix == TRUST["config"] else "m.toml")
    target.write_bytes(data)
    inside = lambda p: Path(os.path.abspath(p)).is_relative_to(shared.resolve()) and \
        Path(p).resolve().is_relative_to(shared.resolve())  # noqa: E731
    try:
        if suffix == TRUST["config"]:
            found = config.load(cli, folder=shared)
            params = {p.name: p for p in cli.commands["build"].params}
            taken = {name for name in found.defaults.get("build", {})}
            users = {params[n].opts[-1][2:] for n in taken if n in params} & config.USER
            if users:
                return [f"a user-only key taken from a folder's config: {sorted(users)}"]
            for name in ("css", "cover", "manifest", "lists"):
                value = found.defaults.get("build", {}).get(name)
                for path in (value if isinstance(value, (list, tuple)) else [value] if value else []):
                    if not inside(path):
                        return [f"{name} = {path!r} accepted, outside the folder"]
        else:
            manifest = read_manifest(target)
            for story in manifest.stories:
                if not inside(story) or not (story.is_dir() or story.suffix.lower() in STORY_SUFFIXES):
                    return [f"manifest entry {str(story)!r} accepted"]
    except BookbinderError as exc:
        message = exc.format_message()
        return [f"error is not one line: {message!r}"] if "\n" in message else []
    except (Exception, RecursionError):  # noqa: BLE001 - the finding itself
        return ["uncaught: " + traceback.format_exc(limit=-4)]
    return []

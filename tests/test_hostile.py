"""Hostile and broken inputs (issue 9): each case was a reproduction before its fix."""
from __future__ import annotations

import socket
import urllib.request
from pathlib import Path

import pytest
from pypdf import PdfReader

from bookbinder.api import BuildOptions, build
from bookbinder.backends import fetcher as fetcher_module
from bookbinder.backends.print_options import PrintOptions

# Story data made of CSS, HTML and control characters: each would reach the network or a local file
# if it were ever pasted into a stylesheet or a document as code.
CSS_ESCAPE = ('Evil\r}} @font-face{font-family:e;src:url(http://203.0.113.7/F.ttf)} '
              '@font-face{font-family:e2;src:url(file:///etc/shadow)} @page{x{y:"')
PAYLOADS = [
    CSS_ESCAPE,
    '"; } @import url("http://203.0.113.7/i.css"); p { x: "',
    "</p><link rel=stylesheet href='http://203.0.113.7/l.css'><img src='file:///etc/passwd'><p>",
    "x\f\x1b\\\" \\A \\\r\n}<style>@font-face{src:url(file:///etc/hostname)}</style>",
]


class _Recorder:
    """Every URL any fetcher was asked for, and every attempt to reach the network or urllib."""

    def __init__(self, monkeypatch) -> None:
        self.fetched: list[str] = []
        self.escapes: list[str] = []
        original = fetcher_module.ResourceFetcher.fetch

        def fetch(fetcher, url, headers=None):
            self.fetched.append(url)
            return original(fetcher, url, headers)

        def connect(sock, address):
            self.escapes.append(f"connect {address}")
            raise OSError("the tests forbid the network")

        def urlopen(opener, url, *args, **kwargs):
            self.escapes.append(f"urllib {getattr(url, 'full_url', url)}")
            raise OSError("the tests forbid urllib")

        monkeypatch.setattr(fetcher_module.ResourceFetcher, "fetch", fetch)
        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(urllib.request.OpenerDirector, "open", urlopen)


def _yaml_quoted(text: str) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r").replace("\n", "\\n")
               .replace("\f", "\\f").replace("\x1b", "\\e"))
    return f'"{escaped}"'


def _hostile_story(folder: Path, name: str, payload: str, sidecar: bool) -> Path:
    fields = {"title": payload, "author": payload, "series": payload, "notes": payload, "summary": payload}
    meta = "\n".join(f"{key}: {_yaml_quoted(value)}" for key, value in fields.items())
    body = "The story itself, which is plain.\n\nA second paragraph of it.\n"
    if sidecar:
        path = folder / f"{name}.txt"
        path.write_text(body, encoding="utf-8")
        (folder / f"{name}.meta.yaml").write_text(meta + "\n", encoding="utf-8")
    else:
        path = folder / f"{name}.md"
        path.write_text(f"---\n{meta}\n---\n\n{body}", encoding="utf-8")
    return path


@pytest.mark.parametrize("tagged", [False, True], ids=["parallel-path", "tagged-path"])
def test_story_data_never_reaches_the_renderer_as_code(tmp_path: Path, monkeypatch, tagged: bool) -> None:
    recorder = _Recorder(monkeypatch)
    stories = [_hostile_story(tmp_path, f"s{i}-{kind}", payload, kind == "sidecar")
               for i, payload in enumerate(PAYLOADS) for kind in ("front-matter", "sidecar")]
    result = build(stories, BuildOptions(formats=("pdf",), out_dir=tmp_path / "out", title=CSS_ESCAPE,
                                         editors=(PAYLOADS[2],), print=PrintOptions(tagged=tagged)))
    assert not result.errors, result.errors
    assert not recorder.escapes, recorder.escapes
    allowed = {f"bookbinder:fonts/SourceSerifPro-{face}.ttf" for face in ("Regular", "It", "Semibold", "Bold",
                                                                          "BoldIt")}
    assert recorder.fetched and set(recorder.fetched) <= allowed, set(recorder.fetched) - allowed
    reader = PdfReader(result.written[0])
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages
             for f in (page["/Resources"].get("/Font") or {}).values()}
    assert all("Bookbinder-Serif" in name or "DejaVu" in name for name in fonts), fonts
    text = "".join(page.extract_text() or "" for page in reader.pages)
    assert "203.0.113.7" in text  # the payload is printed as text, which is what it is


# ------------------------------------------------------------------ 3. one bad character, one bad story
CONTROL_HTML = ("<html><head><title>Odd &#x1;Characters</title></head><body><h1>Odd &#x2;Characters</h1>"
                "<p>She said &#x1;hello&#x8; and &#xFFFE;left&#xFFFF; the room.</p>"
                "<p>He stayed behind, reading.</p></body></html>")


def test_control_characters_in_html_are_removed_and_reported(tmp_path: Path) -> None:
    from bookbinder import load_story

    path = tmp_path / "odd.html"
    path.write_text(CONTROL_HTML, encoding="utf-8")
    story = load_story(path)
    assert "She said hello and left the room." in story.body_text
    codes = [d.code for d in story.diagnostics]
    assert "control-characters-removed" in codes


def test_one_bad_character_never_sinks_an_anthology(tmp_path: Path) -> None:
    from conftest import SEEDS, epubcheck_many

    folder = tmp_path / "in"
    folder.mkdir()
    for seed in sorted(SEEDS.iterdir())[:2]:
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "odd.html").write_text(CONTROL_HTML, encoding="utf-8")
    result = build([folder], BuildOptions(out_dir=tmp_path / "out"))
    assert not result.errors and len(result.written) == 1
    from ebooklib import epub
    texts = [item.get_content().decode() for item in epub.read_epub(str(result.written[0])).get_items()
             if item.media_type == "application/xhtml+xml"]
    assert any("She said hello and left the room." in t for t in texts)
    report = epubcheck_many(result.written)[str(result.written[0])]
    assert (report["fatal"], report["errors"], report["warnings"]) == (0, 0, 0), report


def test_a_story_that_cannot_be_rendered_costs_that_story_alone(tmp_path: Path, monkeypatch) -> None:
    """Whatever breaks inside one story's rendering, the book is written without it, and it is named."""
    from conftest import SEEDS
    from bookbinder.backends import frontmatter

    original = frontmatter.story_documents

    def broken(story, *args, **kwargs):
        if story.source.endswith("002_fab31b507847f963.txt"):
            raise ValueError("a bug nobody has found yet")
        return original(story, *args, **kwargs)

    monkeypatch.setattr(frontmatter, "story_documents", broken)
    for by in (None, "pairing"):
        result = build([SEEDS], BuildOptions(out_dir=tmp_path / str(by), by=by))
        assert len(result.errors) == 1, result.errors
        message = result.errors[0].format_message()
        assert "002_fab31b507847f963.txt" in message and "left out of the book" in message
        assert "\n" not in message
        expected = 1 if by is None else 2  # the anthology; or both pairing books
        assert len(result.written) == expected, result.written


# ------------------------------------------------------------------ 2. deep HTML is read whole
def _paragraph_numbers(story) -> list[int]:
    import re
    return [int(n) for n in re.findall(r"paragraph (\d+)\b", story.body_text)]


@pytest.mark.parametrize("unit", [
    "<p><font color=red>Story paragraph {i} goes on.",           # FrontPage: a font opened in every paragraph
    "<font face=Arial><p>Story paragraph {i} goes on.</p>",      # ...or around it, never closed
    "<font color=#{i:06x}><p>Story paragraph {i} goes on.</p>",  # distinct fonts: left out past the depth limit
    "<div>Story paragraph {i} goes on.",                          # blocks never closed
    "<span>Story paragraph {i} goes on.<br><br>",
])
def test_deep_html_is_read_whole(tmp_path: Path, unit: str) -> None:
    from bookbinder import load_story

    path = tmp_path / "deep.html"
    path.write_text("<html><body><p>Story paragraph 0 opens.</p>" + "".join(unit.format(i=i) for i in range(1, 400))
                    + "</body></html>", encoding="utf-8")
    story = load_story(path)
    assert _paragraph_numbers(story) == list(range(400)) or _paragraph_numbers(story) == list(range(1, 400))
    assert len(story.blocks) >= 399  # paragraphs stay paragraphs
    assert any(d.code == "html-repaired" for d in story.diagnostics)


@pytest.mark.parametrize("depth", [300, 100_000])
def test_deeply_nested_epub_document_keeps_its_tail(tmp_path: Path, depth: int) -> None:
    from conftest import CONTAINER, make_epub, opf
    from bookbinder import load_story

    chapter = ('<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>1'
               '</title></head><body><p>The opening words.</p>' + "<div>" * depth + "<p>The words at the bottom.</p>"
               + "</div>" * depth + "<p>The closing words, after it all.</p></body></html>")
    path = tmp_path / "deep.epub"
    path.write_bytes(make_epub({"mimetype": "application/epub+zip", "META-INF/container.xml": CONTAINER,
                                "OEBPS/content.opf": opf('<item id="c" href="c.xhtml" media-type="application/xhtml+xml"/>',
                                                         '<itemref idref="c"/>'), "OEBPS/c.xhtml": chapter}))
    text = load_story(path).body_text
    for words in ("The opening words.", "The words at the bottom.", "The closing words, after it all."):
        assert words in text


def test_a_text_run_past_libxml2s_limit_is_read(tmp_path: Path) -> None:
    from bookbinder import load_story

    path = tmp_path / "huge.html"
    path.write_text("<html><body><p>" + "word " * 2_200_000 + "</p><p>She slept.</p></body></html>", encoding="utf-8")
    story = load_story(path)
    assert story.words == 2_200_002

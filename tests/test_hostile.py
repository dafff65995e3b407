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
    from bookbinder.backends import pdf

    pdf._styles.cache_clear()  # fonts load when the stylesheets are first parsed: here, under the recorder
    recorder = _Recorder(monkeypatch)
    stories = [_hostile_story(tmp_path, f"s{i}-{kind}", payload, kind == "sidecar")
               for i, payload in enumerate(PAYLOADS) for kind in ("front-matter", "sidecar")]
    # Every work unit (each story's part, the front matter, the folios) runs in this process, so the
    # recorder sees every fetch of the whole book, not only the parent's.
    result = build(stories, BuildOptions(formats=("pdf",), out_dir=tmp_path / "out", title=CSS_ESCAPE,
                                         editors=(PAYLOADS[2],), options={"pdf": PrintOptions(tagged=tagged)},
                                         scheduler="serial"))
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


def test_one_bad_character_never_sinks_an_anthology(tmp_path: Path, epubcheck) -> None:
    from conftest import SEEDS

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
    report = epubcheck(result.written)[str(result.written[0])]
    assert (report["fatal"], report["errors"], report["warnings"]) == (0, 0, 0), report


def test_a_story_that_cannot_be_rendered_costs_that_story_alone(tmp_path: Path, monkeypatch) -> None:
    """Whatever breaks inside one story's rendering, the book is written without it, and it is named."""
    from conftest import SEEDS
    from bookbinder import compose

    original = compose.text_part

    def broken(story, *args, **kwargs):
        if story.source.endswith("002_fab31b507847f963.txt"):
            raise ValueError("a bug nobody has found yet")
        return original(story, *args, **kwargs)

    monkeypatch.setattr(compose, "text_part", broken)
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


# ------------------------------------------------------------------ 6. one line, never a traceback
def _run(*args: str):
    from click.testing import CliRunner
    from bookbinder.cli import cli

    return CliRunner().invoke(cli, list(args))


def _one_line_error(result, name: str, problem: str) -> None:
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.stderr and "please report" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if name in line]
    assert len(lines) == 1 and problem in lines[0], result.stderr


def _single_entry_epub(path: Path, compression: int = 8) -> None:
    import zipfile
    from conftest import CONTAINER, opf

    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml", CONTAINER)
        z.writestr("OEBPS/content.opf", opf('<item id="c" href="c.xhtml" media-type="application/xhtml+xml"/>',
                                            '<itemref idref="c"/>'))
        z.writestr("OEBPS/c.xhtml", "<html><body><p>" + "Words of the story. " * 200 + "</p></body></html>",
                   compress_type=compression)


def test_encrypted_epub_entry_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "locked.epub"
    _single_entry_epub(path)
    data = bytearray(path.read_bytes())
    local = data.index(b"OEBPS/c.xhtml") - 30
    central = data.rindex(b"OEBPS/c.xhtml") - 46
    data[local + 6] |= 1   # general purpose flag bit 0: encrypted
    data[central + 8] |= 1
    path.write_bytes(bytes(data))
    for command in ("inspect", "normalize"):
        _one_line_error(_run(command, str(path), *(["-o", str(tmp_path / "o")] if command == "normalize" else [])),
                        "locked.epub", "encrypted EPUB")


def test_corrupt_lzma_entry_is_one_line(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "lzma.epub"
    _single_entry_epub(path, zipfile.ZIP_LZMA)
    data = bytearray(path.read_bytes())
    start = data.index(b"OEBPS/c.xhtml") + len(b"OEBPS/c.xhtml") + 12
    data[start:start + 40] = b"\xff" * 40
    path.write_bytes(bytes(data))
    _one_line_error(_run("inspect", str(path)), "lzma.epub", "broken EPUB")


def _alias_bomb() -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    return "\n".join(lines)


@pytest.mark.parametrize("front, outcome", [
    ("date: 2020-13-45", "'date': not a date"),
    ("words: about three thousand", "'words': a word count is a whole number"),
    ("title: {nested: table}", "'title': expected text"),
    ("x: " + "[" * 5000 + "]" * 5000, "front-matter-unread"),
    (_alias_bomb(), "front-matter-unread"),
])
def test_bad_front_matter_is_one_line_or_kept_as_text(tmp_path: Path, front: str, outcome: str) -> None:
    import cProfile
    import json

    path = tmp_path / "story.md"
    path.write_text(f"---\n{front}\n---\n\nThe story, in words.\n", encoding="utf-8")
    profile = cProfile.Profile()
    with profile:
        result = _run("inspect", "--json", str(path))
    # An alias bomb is refused, not expanded: walking its 10**9 items would be as many calls; reading
    # any of these takes under 250,000 (counted, not timed, so a busy machine changes nothing).
    assert sum(entry.callcount for entry in profile.getstats()) < 2_000_000
    if outcome == "front-matter-unread":
        assert result.exit_code == 0, result.stderr
        record = json.loads(result.stdout)
        record = record[0] if isinstance(record, list) else record
        assert outcome in [d["code"] for d in record["diagnostics"]]
        assert "The story, in words." in load_text(path)
    else:
        _one_line_error(result, "story.md", outcome)


def load_text(path: Path) -> str:
    from bookbinder import load_story
    return load_story(path).body_text


def test_bad_sidecar_value_names_the_sidecar_and_key(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("The story, in words.\n", encoding="utf-8")
    (tmp_path / "story.meta.toml").write_text('words = "lots"\n', encoding="utf-8")
    _one_line_error(_run("inspect", str(tmp_path / "story.txt")), "story.meta.toml", "'words'")


@pytest.mark.parametrize("title", ["Bad \ud800 surrogate", "Bell \x07 and escape \x1b[31m", "Form\ffeed"])
def test_odd_characters_in_a_title_build(tmp_path: Path, title: str) -> None:
    path = tmp_path / "story.md"
    path.write_text("---\ntitle: " + json_quoted(title) + "\n---\n\nThe story, in words.\n", encoding="utf-8",
                    errors="surrogatepass")
    result = _run("build", str(path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr


def json_quoted(text: str) -> str:
    import json
    return json.dumps(text)  # JSON strings are YAML double-quoted strings, escapes included


def test_raw_form_feed_in_html(tmp_path: Path) -> None:
    path = tmp_path / "ff.html"
    path.write_bytes(b"<html><body><p>One\x0cTwo words</p><p>Second paragraph.</p></body></html>")
    result = _run("build", str(path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr


# ------------------------------------------------------------------ outputs
def test_output_that_is_a_file(tmp_path: Path) -> None:
    from conftest import SEEDS

    (tmp_path / "taken").write_text("x")
    for command in ("build", "normalize"):
        result = _run(command, str(SEEDS / "004_9a223c5f57314a43.txt"), "-o", str(tmp_path / "taken"))
        _one_line_error(result, "taken", "is a file, not a folder")


def test_unwritable_output_is_found_before_any_work(tmp_path: Path, monkeypatch) -> None:
    import os
    from conftest import SEEDS
    from bookbinder import api

    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **k: False if str(p).endswith("locked") and mode & os.W_OK else real_access(p, mode, **k))
    monkeypatch.setattr(api, "load_stories", lambda *a, **k: pytest.fail("stories were read before -o was checked"))
    (tmp_path / "locked").mkdir()
    result = _run("build", str(SEEDS), "--format", "pdf", "-o", str(tmp_path / "locked"))
    _one_line_error(result, "locked", "permission denied")


def test_full_disk_stops_with_one_line(tmp_path: Path, monkeypatch) -> None:
    import errno
    import os
    from conftest import SEEDS

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = _run("build", str(SEEDS), "--by", "pairing", "-o", str(tmp_path / "out"))
    _one_line_error(result, "out", "the disk is full")
    assert not list((tmp_path / "out").iterdir())  # no half-written book, no .part left behind


# ------------------------------------------------------------------ 4. memory, and workers that die
def _die_on_three(n: int) -> int:
    import os
    import signal
    if n == 3:
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer would
    return n * 10


def _allocate(n: int) -> int:
    return len(bytearray(n << 20))


def test_a_worker_that_dies_is_that_items_failure() -> None:
    from bookbinder.parallel import Crash, parallel_map

    results = list(parallel_map(_die_on_three, range(10), workers=2, isolate=True))
    assert [r for i, r in enumerate(results) if i != 3] == [i * 10 for i in range(10) if i != 3]
    assert isinstance(results[3], Crash) and "SIGKILL" in results[3].reason


def test_memory_is_limited_per_worker() -> None:
    from bookbinder.parallel import Crash, parallel_map

    results = list(parallel_map(_allocate, [1, 400, 2], workers=1, isolate=True, memory_mb=200))
    assert results[0] == 1 << 20 and results[2] == 2 << 20
    assert isinstance(results[1], Crash) and "memory limit" in results[1].reason


def test_an_input_past_the_memory_limit_is_one_line_and_the_batch_goes_on(tmp_path: Path, monkeypatch) -> None:
    """Reading real HTML costs ~60 MB per MB: a 12 MB page cannot be read in 60 MB more, and says so."""
    from bookbinder import parallel
    from conftest import CASES, SEEDS

    source = (CASES / "ao3-download" / "input.html").read_text(encoding="utf-8")
    start = source.index('<div class="userstuff">')
    end = source.index("</div>", start)
    paragraphs = source[start + len('<div class="userstuff">'):end]
    big = tmp_path / "huge.html"
    big.write_text(source[:end] + paragraphs * (12_000_000 // len(paragraphs)) + source[end:], encoding="utf-8")
    monkeypatch.setattr(parallel, "MEMORY_MB", 60)
    result = _run("build", str(big), str(SEEDS / "004_9a223c5f57314a43.txt"), "-o", str(tmp_path / "out"))
    _one_line_error(result, "huge.html", "memory")
    assert len(list((tmp_path / "out").glob("*.epub"))) == 1


def test_an_epub_entry_larger_than_any_real_story_is_refused_before_inflating(tmp_path: Path) -> None:
    import zipfile
    from conftest import CONTAINER, opf

    path = tmp_path / "big-entry.epub"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("META-INF/container.xml", CONTAINER)
        z.writestr("OEBPS/content.opf", opf('<item id="c" href="c.xhtml" media-type="application/xhtml+xml"/>',
                                            '<itemref idref="c"/>'))
        z.writestr("OEBPS/c.xhtml", "<html><body>" + "<b>" * ((20 << 20) // 3) + "</body></html>")
    assert path.stat().st_size < 200_000
    _one_line_error(_run("inspect", str(path)), "big-entry.epub", "would expand to more than 16 MB")


# ------------------------------------------------------------------ 8. files and processes
def test_kill_9_leaves_no_workers(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time
    from conftest import SEEDS

    build_process = subprocess.Popen([sys.executable, "-m", "bookbinder", "build", str(SEEDS), "--format", "pdf",
                                      "-o", str(tmp_path / "out")], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)

    def children() -> list[int]:
        found = []
        for task in Path(f"/proc/{build_process.pid}/task").glob("*/children"):
            found += [int(pid) for pid in task.read_text().split()]
        return found

    deadline = time.time() + 60
    workers: list[int] = []
    while time.time() < deadline and len(workers) < 2:
        workers = children()
        time.sleep(0.05)
    assert workers, "the PDF build never started its workers"
    os.kill(build_process.pid, signal.SIGKILL)
    build_process.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(Path(f"/proc/{pid}").exists() and
                                         "zombie" not in _state(pid) for pid in workers):
        time.sleep(0.1)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid)]


def _state(pid: int) -> str:
    try:
        return next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("State"))
    except (OSError, StopIteration):
        return "zombie"


def test_stale_part_files_are_cleaned(tmp_path: Path) -> None:
    import os
    from conftest import SEEDS
    from bookbinder.backends.output import _OWNER

    out = tmp_path / "out"
    out.mkdir()
    host = _OWNER.rpartition("-")[0]
    stale = out / f".losing-grip.epub.bookbinder-{host}-999999999.abc12345.part"  # no such process
    running = out / f".losing-grip.epub.bookbinder-{host}-{os.getpid()}.def45678.part"  # this one is alive
    other_host = out / ".losing-grip.epub.bookbinder-elsewhere-12.ghi78901.part"
    # Files bookbinder did not name are never its to remove, however old and whatever they look like.
    users = [out / ".notes.part", out / f".losing-grip.epub.{host}-999999999.abc123.part"]
    for part in (stale, running, other_host, *users):
        part.write_bytes(b"half a book")
        os.utime(part, (1, 1)) if part in users else None
    result = _run("build", str(SEEDS / "004_9a223c5f57314a43.txt"), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert not stale.exists() and running.exists() and other_host.exists()
    assert all(part.read_bytes() == b"half a book" for part in users)


def test_same_stem_twice_is_never_overwritten(tmp_path: Path) -> None:
    for folder, words in (("a", "The first story."), ("b", "The second story.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(words + "\n", encoding="utf-8")
    result = _run("normalize", str(tmp_path / "a" / "story.txt"), str(tmp_path / "b" / "story.txt"),
                  "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert "The first story." in (tmp_path / "out" / "story.xhtml").read_text()
    assert "The second story." in (tmp_path / "out" / "story-2.xhtml").read_text()
    assert "written as story-2.xhtml" in result.stderr


def test_links_out_of_the_folder_are_not_followed(tmp_path: Path) -> None:
    import os
    from conftest import SEEDS

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").write_text("A story that is really here.\n", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:the secret line\n", encoding="utf-8")
    os.symlink(secret, folder / "passwd.txt")
    os.symlink(SEEDS, folder / "linked-folder")
    result = _run("build", str(folder), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "passwd.txt: not read: it links to a file outside the folder" in result.stderr
    book = next((tmp_path / "out").glob("*.epub")).read_bytes()
    import zipfile, io
    text = " ".join(zipfile.ZipFile(io.BytesIO(book)).read(n).decode() for n in
                    zipfile.ZipFile(io.BytesIO(book)).namelist() if n.endswith(".xhtml"))
    assert "the secret line" not in text and "really here" in text
    result = _run("build", str(folder), "--follow-links", "-o", str(tmp_path / "out2"))
    assert result.exit_code == 0, result.stderr


def test_a_newline_in_a_file_name_stays_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad\nname.txt"
    path.write_bytes(b"")
    result = _run("inspect", str(path))
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "bad\\nname.txt" in result.stderr


# ------------------------------------------------------------------ 7. SVG from an input EPUB
HOSTILE_SVG = """<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="50"
     onload="alert(1)">
  <script>alert(document.cookie)</script>
  <style>@import url(http://203.0.113.7/s.css); rect { fill: url(file:///etc/passwd) }</style>
  <defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs>
  <rect width="100" height="50" fill="url(#g)" onclick="steal()" style="fill: url(http://203.0.113.7/x)"/>
  <image xlink:href="file:///etc/passwd" width="10" height="10"/>
  <image href="http://203.0.113.7/pixel.png" width="10" height="10"/>
  <use xlink:href="http://203.0.113.7/sprite.svg#a"/>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">html inside</div></foreignObject>
  <a xlink:href="javascript:alert(1)"><text x="5" y="30">A gull, drawn</text></a>
</svg>"""


def test_svg_from_an_input_epub_is_made_inert(tmp_path: Path, epubcheck) -> None:
    import zipfile
    from conftest import CONTAINER, make_epub, opf

    chapter = ('<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>1'
               '</title></head><body><p>The gulls came back.</p><p><img src="gull.svg" alt="A gull"/></p>'
               '<p>Nobody fed them.</p></body></html>')
    source = tmp_path / "gulls.epub"
    source.write_bytes(make_epub({"mimetype": "application/epub+zip", "META-INF/container.xml": CONTAINER,
                                  "OEBPS/content.opf": opf(
                                      '<item id="c" href="c.xhtml" media-type="application/xhtml+xml"/>'
                                      '<item id="g" href="gull.svg" media-type="image/svg+xml"/>', '<itemref idref="c"/>'),
                                  "OEBPS/c.xhtml": chapter, "OEBPS/gull.svg": HOSTILE_SVG}))
    result = build([source], BuildOptions(out_dir=tmp_path / "out"))
    assert not result.errors, result.errors
    with zipfile.ZipFile(result.written[0]) as z:
        svgs = [z.read(n).decode() for n in z.namelist() if n.endswith(".svg")]
    assert len(svgs) == 1
    svg = svgs[0]
    for bad in ("script", "onload", "onclick", "203.0.113.7", "file:", "javascript:", "foreignObject", "@import",
                "html inside", "<style"):
        assert bad not in svg, bad
    assert 'fill="url(#g)"' in svg and "A gull, drawn" in svg and "<rect" in svg
    report = epubcheck(result.written)[str(result.written[0])]
    assert (report["fatal"], report["errors"], report["warnings"]) == (0, 0, 0), report


# ------------------------------------------------------------------ 9. encodings
STORY_EN = "She didn\u2019t go. He said it was fine, and then he left the room for good.\n\n"


@pytest.mark.parametrize("data, expected, code", [
    ((STORY_EN * 10).encode("utf-16-le"), STORY_EN.strip(), "encoding-guessed"),
    ((STORY_EN * 10).encode("utf-16-be"), STORY_EN.strip(), "encoding-guessed"),
    (("猫が好きです。今日はいい天気ですね。\n\n" * 10).encode("utf-16-le"), "今日はいい天気ですね。", "encoding-guessed"),
    ((STORY_EN * 10).encode() + b"It\x92s over, she thought.\n", "It\u2019s over, she thought.", "encoding-mixed"),
    (("Caf\u00e9 au lait, she said, and smiled.\n\n".encode() + "Caf\u00e9 cr\u00e8me, he said.\n\n".encode("cp1252")) * 5,
     "Caf\u00e9 cr\u00e8me, he said.", "encoding-mixed"),
], ids=["utf16le-no-bom", "utf16be-no-bom", "utf16le-japanese-no-bom", "utf8-one-cp1252-byte", "utf8-cp1252-mixed"])
def test_encodings_read_right(tmp_path: Path, data: bytes, expected: str, code: str) -> None:
    from bookbinder import load_story

    path = tmp_path / "story.txt"
    path.write_bytes(data)
    story = load_story(path)
    assert expected in story.body_text
    assert "\u00c3" not in story.body_text and "\ufffd" not in story.body_text  # no mojibake, no lost bytes
    assert code in [d.code for d in story.diagnostics]
    if code == "encoding-mixed":
        assert "Caf\u00e9 au lait" in story.body_text or "didn\u2019t" in story.body_text


def test_text_after_the_end_of_html_is_kept(tmp_path: Path) -> None:
    """libxml2 drops everything after </html> without an error; two chapter files joined end to end did this."""
    from bookbinder import load_story

    path = tmp_path / "joined.html"
    path.write_text("<html><body><p>The first file's story, all of it.</p></body></html>\n"
                    "<html><body><p>The second file's words, which must stay.</p></body></html>", encoding="utf-8")
    story = load_story(path)
    assert "The second file\u2019s words, which must stay." in story.body_text
    assert any(d.code == "html-repaired" for d in story.diagnostics)


def test_unknown_front_matter_keys_are_ignored_and_said(tmp_path: Path) -> None:
    """A key that is no field ('0:', found by the property test) is reported, never a crash."""
    import json
    path = tmp_path / "story.md"
    path.write_text("---\n0:\nmood: wistful\n---\n\nThe story, in words.\n", encoding="utf-8")
    result = _run("inspect", "--json", str(path))
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    record = record[0] if isinstance(record, list) else record
    assert [d["code"] for d in record["diagnostics"]].count("override-ignored") == 2


def test_a_broken_xml_declaration_takes_no_text_along(tmp_path: Path) -> None:
    """An XML declaration ends at the first '>', as HTML reads it (a cut file began '<?xml version=he <a ...>')."""
    from bookbinder import load_story

    path = tmp_path / "cut.html"
    path.write_text('<?xml version=he <a href="https://x.org/">Words that follow it</a> and stay.</p>'
                    "<p>The story goes on after that line.</p>", encoding="utf-8")
    assert "Words that follow it and stay." in load_story(path).body_text


def _epub_of(tmp_path: Path, chapter: str) -> Path:
    from conftest import CONTAINER, make_epub, opf

    path = tmp_path / "book.epub"
    path.write_bytes(make_epub({"mimetype": "application/epub+zip", "META-INF/container.xml": CONTAINER,
                                "OEBPS/content.opf": opf('<item id="c" href="c.xhtml" media-type="application/xhtml+xml"/>',
                                                         '<itemref idref="c"/>'), "OEBPS/c.xhtml": chapter}))
    return path


def test_an_epub_document_that_opens_mid_paragraph_keeps_its_first_words(tmp_path: Path) -> None:
    """Text before the first element of a document's body (a file split mid-paragraph, or cut) was
    lost when the documents were joined: only the body's elements were moved (fuzz case 3899)."""
    from bookbinder import load_story

    path = _epub_of(tmp_path, "<html><body>The words before any tag.</p><p>The next paragraph.</p></body></html>")
    text = load_story(path).body_text
    assert "The words before any tag." in text and "The next paragraph." in text


@pytest.mark.parametrize("markup", [
    "<html/><p>The words after a closed html tag.</p>",
    '<html lang="en" /><body><p>The words after a closed html tag.</p></body>',
    "<html><body/><p>The words after a closed html tag.</p></html>",
])
def test_a_self_closed_html_or_body_tag_ends_nothing(tmp_path: Path, markup: str) -> None:
    """HTML ignores the slash on <html/> and <body/>; libxml2 ended the document there and dropped all
    that followed, without an error (fuzz case 5326)."""
    from bookbinder import load_story

    path = tmp_path / "closed.html"
    path.write_text(markup, encoding="utf-8")
    assert "The words after a closed html tag." in load_story(path).body_text


def test_junk_in_an_end_body_tag_still_keeps_what_follows(tmp_path: Path) -> None:
    """'</body Mark asked…<br>' is an end tag with junk in it; the story after it was dropped (fuzz case 8225)."""
    from bookbinder import load_story

    path = tmp_path / "junk.html"
    path.write_text("<html><body><p>The first part.</p></body junk><p>The part after the junk tag.</p></html>",
                    encoding="utf-8")
    story = load_story(path)
    assert "The part after the junk tag." in story.body_text
    assert any(d.code == "html-repaired" for d in story.diagnostics)


def test_removing_a_bad_reference_never_makes_a_tag(tmp_path: Path) -> None:
    """'<&#xFFFF;b>' is text in a browser; dropping the reference must not turn it into <b> and join the
    words around it (fuzz case 11748)."""
    from bookbinder.clean.xmlsafe import drop_unsafe_references

    assert drop_unsafe_references("i<&#xFFFF;&#xFFFF;b>s") == ("i&lt;b>s", 2)
    assert drop_unsafe_references("&&#x1;amp;") == ("&amp;amp;", 1)
    assert drop_unsafe_references("&#xFF&#x1;FE;") == ("", 2)  # joined into another bad reference: both go


def test_astral_noncharacters_go_and_emoji_stay() -> None:
    """The fast class (every character from U+1FFFE up) only screens: what goes is UNSAFE's alone."""
    from bookbinder.clean.xmlsafe import unsafe_in, xml_safe

    text = "a\U0001fffe b\U0010ffff c\U0001f600 d\U0002a6d6 e\x01"
    assert xml_safe(text) == "a b c\U0001f600 d\U0002a6d6 e"
    assert not unsafe_in("c\U0001f600 d\U0002a6d6 \U000e0001") and unsafe_in("\U0007ffff")


def test_fanficfare_contents_inside_broken_markup_are_dropped_with_their_words(tmp_path: Path) -> None:
    """A FanFicFare page whose contents heading is closed off from its list (an unclosed <b> before it,
    repaired: "</h<b><b>…" never ends the <h1>) lost the list's words without a word said (fuzz case 2900)."""
    from bookbinder import load_story

    path = tmp_path / "fff.html"
    path.write_text(
        "<html><body><h1><a href='s'>Gulls</a> by <a class='authorlink' href='a'>A. Writer</a></h" + "<b>" * 300 +
        "<table><tr><td><b>Category:</b></td><td>Original</td></tr></table>"
        '<a name="TOCTOP"><h2>Table of Contents</h2></a>'
        '<p><a href="#section0001">Arrival Bay</a><br/><a href="#section0002">Departure Point</a><br/></p>'
        '<a name="section0001"><h2>First</h2></a><div><p>The first chapter, in words.</p></div>'
        '<a name="section0002"><h2>Second</h2></a><div><p>The second chapter, in words.</p></div>'
        "</body></html>", encoding="utf-8")
    story = load_story(path)
    dropped = " ".join(d.text for d in story.diagnostics)
    assert "Arrival Bay" in dropped and "Departure Point" in dropped
    assert "The second chapter, in words." in story.body_text


def test_a_line_of_thousands_of_spans_keeps_its_words_and_says_what_it_dropped(tmp_path: Path) -> None:
    """Past 1,000 formatting elements in one line the formatting goes (a hostile page of '<i>x</i>'
    repeated would cost every later step per element); every word stays, and it is said."""
    from bookbinder import load_story
    from bookbinder.model import Span

    path = tmp_path / "spans.html"
    path.write_text("<p>" + " ".join(f"<i>word{i}</i>" for i in range(1500)) + "</p>", encoding="utf-8")
    story = load_story(path)
    assert all(f"word{i}" in story.body_text for i in range(1500))
    (paragraph,) = story.chapters[0].blocks
    assert sum(isinstance(item, Span) for item in paragraph.inlines) == 1000
    said = [d for d in story.diagnostics if d.code == "formatting-dropped"]
    assert len(said) == 1 and "500 formatting elements" in said[0].message


def test_a_body_tag_libxml2_closes_at_once_keeps_what_follows(tmp_path: Path) -> None:
    """Fuzz case 11412: `<body junk<br />` made libxml2 close the body at once and put the page
    beside it; the title page's fields were lost."""
    from bookbinder.pipeline import load_story

    page = tmp_path / "page.html"
    page.write_text("<html><head><title>x</title></head>\n<body clrey<br />\n<p>Nobody fed them, that year.</p>\n"
                    "<p>The gulls came back in March.</p>\n</body></html>", encoding="utf-8")
    story = load_story(page)
    text = " ".join(b.text for c in story.chapters for b in c.blocks)
    assert "Nobody fed them" in text and "gulls came back" in text


def test_a_run_of_apostrophes_is_no_closing_quote() -> None:
    """Fuzz case 1929: fifty apostrophes inside a word became twenty-four closing double quotes,
    cutting the word in two."""
    from bookbinder.clean.typography import smarten

    assert "”" not in smarten("at occasi" + "'" * 50 + "onal intervals, `so'")
    assert smarten("``so''.") == "“so”."


def test_a_title_of_one_endless_word_still_makes_a_book(tmp_path: Path) -> None:
    """A sidecar's title of 48,000 letters and no space: the drawn cover cut it into lines and
    ended them in '…' (it made a 400-megapixel image and no book); a running head shows its start."""
    from conftest import SEEDS, run
    from bookbinder.backends.furniture import HEAD_CHARACTERS, head

    story = tmp_path / "s.txt"
    story.write_bytes((SEEDS / "004_9a223c5f57314a43.txt").read_bytes())
    (tmp_path / "s.meta.yaml").write_text(f'title: "{"Long" * 12000}"\n')
    result = run("build", str(story), "-f", "epub", "-f", "html", "-o", str(tmp_path / "out"), "--no-cache")
    assert result.returncode == 0 and "Warning" not in result.stderr, result.stderr
    assert len(list((tmp_path / "out").glob("*.epub"))) == 1
    shown = head("Long" * 12000)
    assert len(shown) == HEAD_CHARACTERS and shown.endswith("…")
    assert head("The Sea  and   the Salt") == "The Sea and the Salt"
    assert head(("word " * 40).strip()) == ("word " * 19).strip() + "…"

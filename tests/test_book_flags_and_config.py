"""The book flags and bookbinder.toml that calibre's, pandoc's and FanFicFare's users reach for
first (issue 12), run as a user runs them: the real command, its files, its output and its exit
status; also standard input, progress, shell completion and the library's matching options."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from conftest import SEEDS, png, run

SEED = SEEDS / "004_9a223c5f57314a43.txt"
NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "x": "http://www.w3.org/1999/xhtml"}


def _opf(book: Path) -> etree._Element:
    with zipfile.ZipFile(book) as z:
        return etree.fromstring(z.read("EPUB/content.opf"))


@pytest.fixture(scope="module")
def dressed(tmp_path_factory, epubcheck) -> dict[str, Path]:
    """One story and the seeds' anthology built with every book flag; their epubcheck reports."""
    folder = tmp_path_factory.mktemp("dressed")
    (folder / "cover.png").write_bytes(png())
    (folder / "mine.css").write_text("@import url(http://203.0.113.7/a.css);\np { color: #222; }\n"
                                     "h1 { background: url(http://203.0.113.7/x.png) no-repeat; }\n"
                                     # resources named by a plain string (CSS Images 4, CSS Values 4)
                                     'body { background-image: image-set("http://203.0.113.7/1.png" 1x); }\n'
                                     'p { background: -webkit-image-set("http://203.0.113.7/2.png" 1x); }\n'
                                     'h2 { background: src("http://203.0.113.7/3.png"), image("http://203.0.113.7/4.png"); }\n'
                                     'h3 { background: cross-fade("http://203.0.113.7/5.png" 50%, none); }\n',
                                     encoding="utf-8")
    flags = ["--author", "Ann Thology", "--series", "Tides", "--series-index", "2", "--publisher", "Zine Press",
             "--date", "May 1 2024", "--language", "en-GB", "-M", "subject=Hospital AU", "-M", "description=Five."]
    books = {}
    for name, inputs, extra in (("one", [str(SEED)], ["--cover", str(folder / "cover.png"), "--css",
                                                      str(folder / "mine.css")]),
                                ("many", [str(SEEDS)], [])):
        result = run("build", *inputs, "-o", str(folder / f"{name}.epub"), *flags, *extra)
        assert result.returncode == 0, result.stderr
        books[name] = folder / f"{name}.epub"
        books[name + "-stderr"] = result.stderr
    pdf = run("build", str(SEED), "-o", str(folder / "one.pdf"), *flags)
    assert pdf.returncode == 0, pdf.stderr
    books["pdf"] = folder / "one.pdf"
    books["checks"] = epubcheck([books["one"], books["many"]])
    return books


@pytest.mark.parametrize("name", ["one", "many"])
def test_book_flags_reach_the_package(dressed, name: str) -> None:
    opf = _opf(dressed[name])
    text = lambda path: [e.text for e in opf.iterfind(path, NS)]  # noqa: E731
    assert text(".//dc:creator") == ["Ann Thology"]  # a real creator, not a contributor
    assert text(".//dc:publisher") == ["Zine Press"] and text(".//dc:date") == ["2024-05-01T00:00:00Z"]
    assert text(".//dc:language") == ["en-gb"] or text(".//dc:language") == ["en-GB"]
    assert "Hospital AU" in text(".//dc:subject") and text(".//dc:description") == ["Five."]
    series = opf.find(".//opf:meta[@property='belongs-to-collection']", NS)
    assert series is not None and series.text == "Tides"
    refines = {m.get("property"): m.text for m in opf.iterfind(f".//opf:meta[@refines='#{series.get('id')}']", NS)}
    assert refines == {"collection-type": "series", "group-position": "2"}
    report = dressed["checks"][str(dressed[name])]
    assert (report["fatal"], report["errors"], report["warnings"]) == (0, 0, 0), report


def test_author_is_the_pdf_author(dressed) -> None:
    info = PdfReader(dressed["pdf"]).metadata
    assert info.author == "Ann Thology" and info.title == "Losing Grip"


def test_cover_image_is_the_users_even_for_one_story(dressed) -> None:
    with zipfile.ZipFile(dressed["one"]) as z:
        names = z.namelist()
        assert z.read("EPUB/images/cover.png") == png()
        cover = etree.fromstring(z.read("EPUB/text/cover.xhtml"))
    assert cover.find(".//x:img", NS).get("src") == "../images/cover.png"
    item = _opf(dressed["one"]).find(".//opf:item[@properties='cover-image']", NS)
    assert item is not None and item.get("href") == "images/cover.png"
    assert "EPUB/text/story-001.xhtml" in names


def test_the_drawn_cover_is_the_titles_palette_with_its_edges_blended() -> None:
    """The drawn cover (a palette PNG made from two coverage masks): the ground, the frame in the
    rule's colour, the title in ink, and the anti-aliased edges blends of ground and ink."""
    import io

    from PIL import Image

    from bookbinder.backends import cover
    from bookbinder.book import Book

    image = Image.open(io.BytesIO(cover.cover_image(Book("Losing Grip", ())))).convert("RGB")
    ground, ink, rule = next(p for p in cover._PALETTES if p[0] == image.getpixel((10, 10)))
    assert image.getpixel((72, 1000)) == rule  # the outer frame, 6 px wide at 70
    title = [image.getpixel((x, y)) for x in range(300, 1100) for y in range(520, 700)]
    assert ink in title
    blends = set(title) - {ground, ink}
    assert blends and all(min(g, i) <= c <= max(g, i) for b in blends for g, i, c in zip(ground, ink, b))


def test_css_comes_after_the_books_own_and_reaches_nothing_outside(dressed) -> None:
    with zipfile.ZipFile(dressed["one"]) as z:
        css = z.read("EPUB/styles/user.css").decode()
        page = etree.fromstring(z.read("EPUB/text/story-001.xhtml"))
    links = [link.get("href") for link in page.iterfind(".//x:link", NS)]
    assert links == ["../styles/base.css", "../styles/epub.css", "../styles/user.css"]
    assert "color: #222" in css and "203.0.113.7" not in css and "@import" not in css
    assert "--css" in dressed["one-stderr"] and "7 url() or @imports left out" in dressed["one-stderr"]


@pytest.mark.parametrize("flags, said", [
    (["--cover", "README.md"], "--cover README.md: not a PNG, JPEG, GIF or WebP image"),
    (["--cover", "nowhere.png"], "--cover nowhere.png: no such file"),
    (["--date", "soon"], "--date 'soon': not a date; write it as 2024-05-01"),
    (["--language", "klingonese"], "--language 'klingonese': not a language"),
    (["--series-index", "two"], "--series-index 'two': a number"),
    (["-M", "colour=red"], "--metadata 'colour=red': write KEY=VALUE with KEY one of"),
])
def test_bad_book_flags_are_one_line_and_exit_2(tmp_path: Path, flags: list[str], said: str) -> None:
    result = run("build", str(SEED), "-o", str(tmp_path), *flags)
    assert result.returncode == 2
    line, = result.stderr.strip().splitlines()
    assert line.startswith(f"bookbinder: {said}"), line
    assert not list(tmp_path.iterdir())  # nothing read, nothing written


def test_metadata_title_and_editor_as_pandoc_takes_them(tmp_path: Path) -> None:
    result = run("build", str(SEEDS), "-o", str(tmp_path), "-M", "title=Winter Reading", "-M", "editor=archivist")
    assert result.returncode == 0, result.stderr
    opf = _opf(tmp_path / "winter-reading.epub")
    assert opf.findtext(".//dc:title", namespaces=NS) == "Winter Reading"
    assert [e.text for e in opf.iterfind(".//dc:contributor", NS)] == ["archivist"]


# ------------------------------------------------------------------ bookbinder.toml
def _two_stories(folder: Path) -> None:
    for name, who in (("a", "Mer"), ("b", "Meredith Grey")):
        (folder / f"{name}.txt").write_text(f"{who} walked in. The ward was quiet for once.\n", encoding="utf-8")
        (folder / f"{name}.meta.toml").write_text(f'title = "Story {name}"\ncharacters = ["{who}"]\n'
                                                  'fandoms = ["Grey\'s Anatomy (TV)"]\n', encoding="utf-8")


def test_bookbinder_toml_gives_defaults_and_aliases(tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    stories.mkdir()
    _two_stories(stories)
    (tmp_path / "bookbinder.toml").write_text('[build]\nby = "character"\nauthor = "Cfg Author"\n'
                                              '\n[aliases]\n"Mer" = "Meredith Grey"\n', encoding="utf-8")
    mine = tmp_path / "config" / "bookbinder"  # the user's own file may say where books go; the folder's may not
    mine.mkdir(parents=True)
    (mine / "bookbinder.toml").write_text('[build]\noutput = "books"\n', encoding="utf-8")
    result = run("build", "stories", cwd=tmp_path, env={"XDG_CONFIG_HOME": str(tmp_path / "config")})
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tmp_path / "books").iterdir()] == ["meredith-grey.epub"]  # one person, one book
    opf = _opf(tmp_path / "books" / "meredith-grey.epub")
    assert [e.text for e in opf.iterfind(".//dc:creator", NS)] == ["Cfg Author"]
    override = run("build", "stories", "--by", "fandom", "-o", "other", cwd=tmp_path)  # the command line wins
    assert override.returncode == 0, override.stderr
    assert [p.name for p in (tmp_path / "other").iterdir()] == ["grey-s-anatomy.epub"]  # AO3's "(TV)" is no part of the name


@pytest.mark.parametrize("config, said", [
    ('[build]\ncolour = "red"\n', "bookbinder.toml: [build] 'colour': build has no --colour option"),
    ("[build\n", "bookbinder.toml: config file does not parse"),
    ('[aliases]\nMer = 3\n', 'bookbinder.toml: [aliases]: write "Short name" = "Full Name" lines'),
])
def test_a_bad_bookbinder_toml_is_one_line(tmp_path: Path, config: str, said: str) -> None:
    (tmp_path / "bookbinder.toml").write_text(config, encoding="utf-8")
    result = run("build", str(SEED), cwd=tmp_path)
    assert result.returncode == 2
    line, = result.stderr.strip().splitlines()
    assert line.startswith(f"bookbinder: {said}"), line


# ------------------------------------------------------------------ --by character is people only
PLACE_STORY = """Lexie walked into Seattle Grace before dawn. Mark was already at Seattle Grace, as always.
Lexie looked at Mark. "You're early," Mark said. Lexie shrugged at him and smiled.
They met again in Seattle Grace at noon. Lexie said nothing; Mark said less. Callie laughed at Mark.
Later Lexie drove back to Seattle Grace, and Mark was waiting in Mark's old car outside of Seattle Grace.
"""


def test_places_are_not_characters(tmp_path: Path) -> None:
    """A hospital named as often as a person became a book of its own with --by character. A name
    is a place when its last word names a kind of place, or when most of its mentions follow "at",
    "in", "into", "outside (of)" or a word of going and "to" ("back to Seattle Grace")."""
    (tmp_path / "s.txt").write_text(PLACE_STORY, encoding="utf-8")
    result = run("build", str(tmp_path / "s.txt"), "--by", "character", "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    books = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "seattle-grace.epub" not in books
    assert {"lexie.epub", "mark.epub"} <= set(books), books


def test_names_looked_at_are_still_people() -> None:
    from bookbinder.clean.people import is_place, scan

    found = scan("She looked at Derek. Derek said nothing. She was mad at Derek. "
                 "In Derek's arms she slept. At Boston General they worked. "
                 "They drove to Boston. Later, in Boston, they ate.")
    derek, boston = found["Derek"], found["Boston"]
    assert not is_place("Derek", derek.mentions, derek.placed)
    assert is_place("Boston", boston.mentions, boston.placed) and is_place("Boston General", 1, 0)


# ------------------------------------------------------------------ standard input
def _piped(args: list[str], data: bytes, cwd: Path | None = None):
    import subprocess
    import sys

    from conftest import ROOT
    return subprocess.run([sys.executable, "-m", "bookbinder", *args], input=data, capture_output=True,
                          cwd=cwd or ROOT, timeout=120)


def test_a_story_on_standard_input(tmp_path: Path) -> None:
    from conftest import ROOT

    ao3 = (ROOT / "tests" / "cases" / "ao3-download" / "input.html").read_bytes()
    inspected = _piped(["inspect", "--json", "-"], ao3)  # sniffed: HTML by its first bytes
    assert inspected.returncode == 0, inspected.stderr
    import json
    record, = json.loads(inspected.stdout)
    assert record["source"] == "-" and record["title"] == "Salt & Iron"
    built = _piped(["build", "-", "-o", str(tmp_path / "salt.epub")], ao3)
    assert built.returncode == 0, built.stderr
    assert _opf(tmp_path / "salt.epub").findtext(".//dc:title", namespaces=NS) == "Salt & Iron"
    markdown = b"# Gulls\n\nThe gulls came back in *March*.\n"
    as_text = _piped(["normalize", "-", "-o", str(tmp_path / "t")], markdown)
    as_md = _piped(["normalize", "-", "--from", "markdown", "-o", str(tmp_path / "m")], markdown)
    assert as_text.returncode == as_md.returncode == 0, (as_text.stderr, as_md.stderr)
    assert b"<em>March</em>" in (tmp_path / "m" / "stdin.xhtml").read_bytes()
    empty = _piped(["build", "-", "-o", str(tmp_path / "e.epub")], b"")
    assert empty.returncode == 1 and empty.stderr.decode().strip().splitlines() == ["bookbinder: -: the file is empty"]


# ------------------------------------------------------------------ progress across the whole job
def test_the_library_reports_every_phase_of_a_build(tmp_path: Path) -> None:
    """A 200-story PDF showed a one-second reading bar, then nothing for a minute."""
    from bookbinder.api import BuildOptions, build

    events: list[tuple[str, int, int, str, str]] = []
    result = build([SEEDS], BuildOptions(formats=("pdf", "epub"), out_dir=tmp_path),
                   progress=lambda *event: events.append(event))
    assert not result.errors, result.errors
    phases = list(dict.fromkeys(phase for phase, *_ in events))
    assert phases == ["reading", "collected-stories.pdf: laying out", "collected-stories.pdf: merging",
                      "collected-stories.pdf: writing", "collected-stories.epub: rendering",
                      "collected-stories.epub: writing"]
    last = {phase: (done, total, unit, detail) for phase, done, total, unit, detail in events}
    assert last["reading"][:3] == (5, 5, "stories")
    done, total, unit, detail = last["collected-stories.pdf: laying out"]
    assert (done, total, unit) == (6, 6, "parts") and detail.endswith(" pages")  # five stories and the credits


def test_a_log_gets_a_line_per_long_phase(monkeypatch, capsys) -> None:
    from bookbinder import terminal

    clock = iter([0.0, 0.5, 11.0, 12.0, 12.0, 12.5, 13.0, 13.0]).__next__
    monkeypatch.setattr(terminal.time, "monotonic", clock)
    monkeypatch.setattr(terminal.sys.stderr, "isatty", lambda: False)
    with terminal.Reporter() as progress:
        progress("book.pdf: laying out", 0, 3, "parts", "")
        progress("book.pdf: laying out", 1, 3, "parts", "40 pages")
        progress("book.pdf: laying out", 2, 3, "parts", "80 pages")    # 11 s in: a line while it runs
        progress("book.pdf: laying out", 3, 3, "parts", "120 pages")   # done after 12 s: a closing line
        progress("book.pdf: writing", 0, 1, "files", "")
        progress("book.pdf: writing", 1, 1, "files", "")              # half a second: nothing
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == ["bookbinder: book.pdf: laying out: 2/3 parts, 80 pages (7 pages/s)",
                     "bookbinder: book.pdf: laying out: 3 parts in 12.0 s, 120 pages (10 pages/s)"]
    with terminal.Reporter(quiet=True) as progress:
        assert progress is None  # --quiet: nobody listens


def test_shell_completion_as_the_readme_says() -> None:
    import os
    import subprocess
    import sys

    from conftest import ROOT
    env = {**os.environ, "_BOOKBINDER_COMPLETE": "bash_complete", "COMP_WORDS": "bookbinder build --by ",
           "COMP_CWORD": "3"}
    result = subprocess.run([sys.executable, "-m", "bookbinder"], env=env, capture_output=True, text=True, cwd=ROOT)
    offered = [line.split(",", 1)[1] for line in result.stdout.splitlines() if "," in line]
    assert offered == ["pairing", "fandom", "author", "rating", "character"], result.stdout
    assert "_BOOKBINDER_COMPLETE=bash_source bookbinder" in (ROOT / "README.md").read_text()


def test_filters_fold_names_as_grouping_does(tmp_path: Path) -> None:
    """`--fandom "greys anatomy"` matched nothing: the stories say "Grey's Anatomy (TV)"."""
    stories = tmp_path / "stories"
    stories.mkdir()
    _two_stories(stories)
    result = run("build", str(stories), "--fandom", "greys anatomy", "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["collected-stories.epub"]
    with zipfile.ZipFile(tmp_path / "out" / "collected-stories.epub") as z:
        assert sum(n.endswith("-title.xhtml") for n in z.namelist()) == 2


def test_the_library_takes_what_the_command_line_takes(tmp_path: Path) -> None:
    import io

    from bookbinder.api import BuildOptions, book_info, build
    from bookbinder.inputs import read_stdin

    stories = tmp_path / "stories"
    stories.mkdir()
    _two_stories(stories)
    story = b"---\ntitle: Story a\ncharacters: [Mer]\n---\n\nMer walked in. The ward was quiet for once.\n"
    result = build(["-", str(stories / "b.txt")], BuildOptions(
        out_dir=tmp_path / "out", by="character", aliases=(("Mer", "Meredith Grey"),),
        info=book_info(authors=["Lib Author"], series="Tides", series_index="3"),
        stdin=read_stdin(io.BytesIO(story), "markdown")))
    assert not result.errors, result.errors
    assert [p.name for p in result.written] == ["meredith-grey.epub"]
    opf = _opf(result.written[0])
    assert [e.text for e in opf.iterfind(".//dc:creator", NS)] == ["Lib Author"]

"""Issue 25, the way out and back: HTML, KEPUB and Kindle books; bookbinder's own books and calibre
library folders read back as the stories they hold."""
from __future__ import annotations

import json
import re
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from conftest import CASES, ROOT, SEEDS, image_epub

KINDLE = shutil.which("ebook-convert")
COMPARED = ("title", "authors", "fandoms", "pairings", "characters", "tags", "rating", "warnings", "categories",
            "status", "series", "language", "published", "updated", "summary", "end_notes", "chapters",
            "chapter_titles", "words", "scene_breaks")


def run(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bookbinder", *args], capture_output=True, text=True, timeout=300,
                          cwd=cwd or ROOT, env={**os.environ, **(env or {})})


def records(*inputs: Path) -> list[dict]:
    result = run("inspect", "--json", *map(str, inputs))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def shown(record: dict) -> dict:
    return {k: record[k] for k in COMPARED}


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    """The seeds, an AO3 download with chapters and notes, and an EPUB with an image."""
    lib = tmp_path_factory.mktemp("lib")
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, lib / seed.name)
    shutil.copy(CASES / "ao3-download" / "input.html", lib / "ao3.html")
    (lib / "gulls.epub").write_bytes(image_epub())
    return lib


@pytest.fixture(scope="module")
def books(library, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("books")
    made = {}
    for suffix in ("epub", "kepub.epub", "html"):
        made[suffix] = out / f"book.{suffix}"
        result = run("build", str(library), "-o", str(made[suffix]), "-q", "--no-cache")
        assert result.returncode == 0, result.stderr
    seeds = out / "seeds.epub"
    assert run("build", str(SEEDS), "-o", str(seeds), "-q", "--no-cache").returncode == 0
    made["seeds"] = seeds
    return made


# ------------------------------------------------------------------ HTML
def test_html_is_one_self_contained_page(books) -> None:
    page = lxml.html.parse(str(books["html"])).getroot()
    ids = {el.get("id") for el in page.iter() if el.get("id")}
    assert not page.findall(".//script") and not page.findall(".//link") and page.findall(".//style")
    for el in page.iter():
        if el.get("src") is not None:
            assert el.get("src").startswith("data:image/"), el.get("src")[:60]
        if el.get("href") is not None:
            assert el.get("href").startswith("#") and el.get("href")[1:] in ids, el.get("href")
    assert len(page.findall(".//img")) == 2  # the cover, the gull
    text = page.text_content()
    assert "The gulls came back in March." in text and "Losing Grip" in text


def test_html_has_the_epubs_parts_contents_and_landmarks(books) -> None:
    page = lxml.html.parse(str(books["html"])).getroot()
    with zipfile.ZipFile(books["epub"]) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
    ns = {"o": "http://www.idpf.org/2007/opf", "x": "http://www.w3.org/1999/xhtml"}
    spine = [r.get("idref") for r in opf.iterfind(".//o:spine/o:itemref", ns) if r.get("idref") != "nav"]
    parts = [d.get("id") for d in page.find("body") if "part" in d.get("class", "").split()]
    assert parts[:1] + parts[2:] == spine and parts[1] == "navigation"  # the nav where the EPUB's spine has it

    toc = page.find(".//nav[@class='book-toc']")
    assert [a.text_content() for a in toc.iter("a")] == [
        "".join(a.itertext()) for a in nav.find(".//x:nav", ns).iter("{*}a")]
    landmarks = [a for n in page.iter("nav") if n.get("data-epub-type") == "landmarks" for a in n.iter("a")]
    epub_landmarks = [a.get("{http://www.idpf.org/2007/ops}type") for n in nav.iterfind(".//x:nav", ns)
                      if n.get("{http://www.idpf.org/2007/ops}type") == "landmarks" for a in n.iter("{*}a")]
    assert [a.get("data-epub-type") for a in landmarks] == epub_landmarks
    assert epub_landmarks[:4] == ["cover", "titlepage", "toc", "bodymatter"]
    assert not [el for el in page.iter() if any(":" in name for name in el.attrib)]  # HTML5's own attributes


def test_html_keeps_story_text_as_text(tmp_path) -> None:
    story = tmp_path / "s.md"
    story.write_text("---\ntitle: \"</style><script>alert(1)</script>\"\n---\n\nA <b>bold</b> & plain story.\n")
    css = tmp_path / "mine.css"
    css.write_text('p::after { content: "</style><script>alert(3)</script>" } p { color: red } '
                   '</style><script>x</script>')
    result = run("build", str(story), "--css", str(css), "-o", str(tmp_path / "s.html"), "-q", "--no-cache")
    assert result.returncode == 0, result.stderr
    page = lxml.html.parse(str(tmp_path / "s.html")).getroot()
    assert not page.findall(".//script") and "alert(3)" in page.find(".//style").text  # the sheet's string kept
    assert "</style><script>alert(1)</script>" in page.find(".//h1").text_content()


# ------------------------------------------------------------------ KEPUB
def test_kepub_spans_follow_kepubify() -> None:
    from bookbinder.backends.kepub import kobo_document, split_segments

    assert split_segments("Sentence 1. Sentence 2. Stray text\nAnother sentence.") == [
        "Sentence 1. ", "Sentence 2. ", "Stray text\nAnother sentence."]
    assert split_segments('He said, "Stop." Then?! Left…') == ['He said, "Stop." ', "Then?! ", "Left…"]
    doc = (b'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body>'
           b'<h2>One.</h2><p>A. B<em> c. </em>d</p><p> </p><p></p><figure><img src="x.png" alt=""/></figure>'
           b'<p>E.</p></body></html>')
    out = kobo_document(doc).decode()
    body = out[out.index("<body>"):]
    assert body == (
        '<body><div id="book-columns"><div id="book-inner"><h2><span class="koboSpan" id="kobo.1.1">One.</span></h2>'
        '<p><span class="koboSpan" id="kobo.2.1">A. </span><span class="koboSpan" id="kobo.2.2">B</span><em>'
        '<span class="koboSpan" id="kobo.2.3"> c. </span></em><span class="koboSpan" id="kobo.2.4">d</span></p>'
        '<p><span class="koboSpan" id="kobo.3.1"> </span></p><p/><figure><span class="koboSpan" id="kobo.4.1">'
        '<img src="x.png" alt=""/></span></figure><p><span class="koboSpan" id="kobo.5.1">E.</span></p>'
        '</div></div></body></html>')
    assert 'class="kobostylehacks"' in out


def test_kepub_is_the_epub_with_spans_and_passes_epubcheck(books, epubcheck) -> None:
    with zipfile.ZipFile(books["kepub.epub"]) as kepub, zipfile.ZipFile(books["epub"]) as plain:
        assert sorted(kepub.namelist()) == sorted(plain.namelist())
        for name in (n for n in kepub.namelist() if n.endswith(".xhtml")):
            spans = etree.fromstring(kepub.read(name)).findall(".//{*}span[@class='koboSpan']")
            assert spans and len({s.get("id") for s in spans}) == len(spans), name
            before = etree.fromstring(plain.read(name)).find("{*}body")
            after = etree.fromstring(kepub.read(name)).find("{*}body")
            assert " ".join("".join(after.itertext()).split()) == " ".join("".join(before.itertext()).split())
    results = epubcheck([books["kepub.epub"], books["epub"]])
    assert all(r["fatal"] == r["errors"] == r["warnings"] == 0 for r in results.values()), results


# ------------------------------------------------------------------ Kindle books, unknown suffixes
@pytest.mark.skipif(KINDLE is None, reason="calibre's ebook-convert is not installed")
def test_azw3_and_mobi_are_made_by_ebook_convert(tmp_path) -> None:
    seed = SEEDS / "004_9a223c5f57314a43.txt"
    for suffix in ("azw3", "mobi"):
        book = tmp_path / f"book.{suffix}"
        result = run("build", str(seed), "-o", str(book), "-q", "--no-cache")
        assert result.returncode == 0, result.stderr
        assert book.read_bytes()[60:68] == b"BOOKMOBI"
        assert records(book)[0]["title"] == "Losing Grip"
    assert not [p for p in Path(os.environ.get("TMPDIR", "/tmp")).glob("bookbinder-convert-*")]


def test_kindle_without_calibre_is_one_line(tmp_path) -> None:
    bare = {"PATH": str(Path(sys.executable).parent)}  # no ebook-convert on it
    seed = SEEDS / "004_9a223c5f57314a43.txt"
    alone = run("build", str(seed), "-o", str(tmp_path / "book.azw3"), "-q", "--no-cache", env=bare)
    assert alone.returncode == 2 and not list(tmp_path.iterdir())
    assert alone.stderr.count("\n") == 1 and "install calibre" in alone.stderr
    both = run("build", str(seed), "-f", "epub", "-f", "mobi", "-o", str(tmp_path / "out"), "-q", "--no-cache",
               env=bare)
    assert both.returncode == 1 and both.stderr.count("\n") == 1 and "--format mobi" in both.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["losing-grip.epub"]


def test_an_unknown_suffix_makes_nothing(tmp_path) -> None:
    result = run("build", str(SEEDS / "004_9a223c5f57314a43.txt"), "-o", str(tmp_path / "book.xyz"), "--no-cache")
    assert result.returncode == 2 and "no .xyz files" in result.stderr and not list(tmp_path.iterdir())


# ------------------------------------------------------------------ bookbinder's own books, read back
def test_the_seeds_anthology_reads_back_as_its_five_stories(books) -> None:
    again = records(books["seeds"])
    assert len(again) == 5
    assert [shown(r) for r in again] == [shown(r) for r in records(*sorted(SEEDS.glob("*.txt")))]
    assert {r["notes"][0] for r in again} >= {"Inspired by Should I Fall from Grace by citron_presse"}


def test_an_anthology_with_chapters_notes_and_images_reads_back(library, books) -> None:
    first = [shown(r) for r in records(library)]
    assert [shown(r) for r in records(books["epub"])] == first
    assert [shown(r) for r in records(books["kepub.epub"])] == first  # the koboSpans unwrapped
    assert max(r["chapters"] for r in first) > 1


def test_a_rebuilt_anthology_keeps_its_stories(books, tmp_path) -> None:
    again = tmp_path / "again.epub"
    assert run("build", str(books["seeds"]), "-o", str(again), "-q", "--no-cache").returncode == 0
    assert [shown(r) for r in records(again)] == [shown(r) for r in records(books["seeds"])]
    made = run("normalize", str(books["seeds"]), "-o", str(tmp_path / "xhtml"))
    assert sorted(p.name for p in (tmp_path / "xhtml").iterdir()) == [f"seeds-{n}.xhtml" for n in range(1, 6)]
    assert made.returncode == 0


def test_a_sidecar_beside_an_anthology_is_not_applied_to_each_story(books, tmp_path) -> None:
    book = tmp_path / "a.epub"
    shutil.copy(books["seeds"], book)
    (tmp_path / "a.meta.toml").write_text('title = "One Title For All"\n')
    result = run("inspect", "--json", "-v", str(book))
    assert "One Title For All" not in {r["title"] for r in json.loads(result.stdout)}
    assert "override-ignored" in result.stderr


def test_several_stories_of_one_input_come_back_from_the_cache(books, tmp_path, monkeypatch) -> None:
    from bookbinder.building import BuildOptions, build
    from bookbinder.building import reading

    options = BuildOptions(out_dir=tmp_path / "out", cache=tmp_path / "cache", scheduler="serial")
    first = build([books["seeds"]], options)
    assert not first.errors and len(first.diagnostics) > 0

    def unread(*args, **kwargs):
        raise AssertionError("read again")
    monkeypatch.setattr(reading, "load_file", unread)
    again = build([books["seeds"]], options)
    assert not again.errors and again.up_to_date == again.written


def test_a_book_not_quite_bookbinders_is_read_as_any_epub(books, tmp_path) -> None:
    odd = tmp_path / "odd.epub"
    with zipfile.ZipFile(books["seeds"]) as src, zipfile.ZipFile(odd, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith("story-002.xhtml"):
                data = data.replace(b'<section epub:type="chapter"', b'<table/><section epub:type="chapter"', 1)
            dst.writestr(item, data)
    assert len(records(odd)) == 1


# ------------------------------------------------------------------ calibre library folders
CALIBRE_OPF = """<?xml version='1.0' encoding='utf-8'?>
<package xmlns="http://www.idpf.org/2007/opf" unique-identifier="uuid_id" version="2.0">
    <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
        <dc:identifier opf:scheme="calibre" id="calibre_id">{id}</dc:identifier>
        <dc:identifier opf:scheme="uuid" id="uuid_id">bbc0d925-0ba6-414b-aa7a-96c1ecce120{id}</dc:identifier>
        <dc:title>{title}</dc:title>
        <dc:creator opf:file-as="{author}" opf:role="aut">{author}</dc:creator>
        <dc:contributor opf:role="bkp">calibre (6.13.0) [https://calibre-ebook.com]</dc:contributor>
        <dc:date>{date}</dc:date>
        <dc:description>&lt;p&gt;Calibre's &lt;em&gt;own&lt;/em&gt; summary.&lt;/p&gt;</dc:description>
        <dc:identifier opf:scheme="URL">https://archiveofourown.org/works/{id}</dc:identifier>
        <dc:language>eng</dc:language>
        <dc:subject>{tag}</dc:subject>
        <dc:subject>hurt/comfort</dc:subject>
        <meta name="calibre:series" content="Seattle Grace"/>
        <meta name="calibre:series_index" content="{id}"/>
        <meta name="calibre:rating" content="8"/>
        <meta name="calibre:timestamp" content="2024-01-01T00:00:00+00:00"/>
    </metadata>
    <guide><reference type="cover" title="Cover" href="cover.jpg"/></guide>
</package>"""


def test_a_calibre_library_folder(tmp_path) -> None:
    lib = tmp_path / "Calibre Library"
    one, two = lib / "nianeyna" / "Losing Grip (1)", lib / "Unknown" / "Untitled (2)"
    for folder in (one, two):
        folder.mkdir(parents=True)
        (folder / "cover.jpg").write_bytes(b"\xff\xd8\xff not a real jpeg")
    (lib / "metadata.db").write_bytes(b"SQLite format 3\x00")
    shutil.copy(SEEDS / "004_9a223c5f57314a43.txt", one / "Losing Grip - nianeyna.txt")
    (one / "Losing Grip - nianeyna.epub").write_bytes(image_epub())
    (one / "Losing Grip - nianeyna.mobi").write_bytes(b"not a mobi: never read, the EPUB is")
    (one / "metadata.opf").write_text(CALIBRE_OPF.format(id=1, title="Losing Grip", author="nianeyna",
                                                         date="2012-01-20T00:00:00+00:00", tag="angst"))
    shutil.copy(SEEDS / "002_fab31b507847f963.txt", two / "Untitled - Unknown.txt")
    (two / "metadata.opf").write_text(CALIBRE_OPF.format(id=2, title="Unknown", author="Unknown",
                                                         date="0101-01-01T00:00:00+00:00", tag="fluff"))
    got = {Path(r["source"]).name: r for r in records(lib)}
    assert sorted(got) == ["Losing Grip - nianeyna.epub", "Untitled - Unknown.txt"]  # one file a book, its best
    first, second = got["Losing Grip - nianeyna.epub"], got["Untitled - Unknown.txt"]
    assert first["title"] == "Losing Grip" and first["authors"] == ["nianeyna"]
    assert first["series"] == {"name": "Seattle Grace", "index": 1}  # calibre:series and its index
    assert first["tags"] == ["angst", "hurt/comfort"] and first["summary"] == "Calibre’s own summary."
    assert first["published"] == "2012-01-20" and first["language"] == "en" and first["rating"] is None
    assert second["tags"] == ["fluff", "hurt/comfort"] and second["series"] == {"name": "Seattle Grace", "index": 2}
    assert second["title"] is None and second["authors"] == [] and second["published"] is None  # calibre's placeholders
    built = run("build", str(lib), "--by", "fandom", "-o", str(tmp_path / "out"), "--no-cache")
    assert built.returncode == 0, built.stderr
    assert "2 other copies" in built.stderr and "skipped" not in built.stderr


def test_the_readme_names_every_backend() -> None:
    from bookbinder.backends import BACKENDS

    readme = (ROOT / "README.md").read_text()
    for b in BACKENDS.values():
        assert f"| `{b.name}` | `-o book.{b.suffix}` |" in readme, b.name


def test_a_metadata_opf_beside_different_stories_describes_none(tmp_path) -> None:
    """A calibre book folder holds one book's formats under one name; a stray metadata.opf in a
    folder of different stories made bookbinder read one of them, titled by the OPF, and call the
    other four 'copies'."""
    folder = tmp_path / "shared"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
    (folder / "metadata.opf").write_text(CALIBRE_OPF.format(id=1, title="Outside OPF", author="someone",
                                                            date="2012-01-20T00:00:00+00:00", tag="angst"))
    got = records(folder)
    assert len(got) == 5 and "Outside OPF" not in {r["title"] for r in got}
    assert not {"angst"} & {t for r in got for t in r["tags"]} - {t for seed in sorted(SEEDS.glob("*.txt"))
                                                                  for r in records(seed) for t in r["tags"]}
    built = run("build", str(folder), "-o", str(tmp_path / "out"), "--no-cache")
    assert built.returncode == 0 and "copies" not in built.stderr, built.stderr


def test_a_field_calibre_wrote_wrong_is_left_out_not_the_book(tmp_path) -> None:
    """An OPF is metadata a program wrote: a series index of 1e308 cost the whole story; now the
    field is left out and said. A sidecar the user wrote stays strict: its bad language is one line."""
    folder = tmp_path / "Author" / "Book (1)"
    folder.mkdir(parents=True)
    shutil.copy(SEEDS / "004_9a223c5f57314a43.txt", folder / "Book - Author.txt")
    (folder / "metadata.opf").write_text(CALIBRE_OPF.format(id="1e308", title="Losing Grip", author="nianeyna",
                                                            date="2012-01-20T00:00:00+00:00", tag="angst"))
    result = run("inspect", "--json", "-v", str(folder / "Book - Author.txt"))
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)[0]
    assert got["title"] == "Losing Grip" and got["series"] == {"name": "Seattle Grace", "index": None}
    assert "'series_index' left out" in result.stderr
    story = tmp_path / "s.txt"
    shutil.copy(SEEDS / "004_9a223c5f57314a43.txt", story)
    (tmp_path / "s.meta.yaml").write_text('language: "en\\" onload=\\"x"\n')
    bad = run("inspect", "--json", str(story))
    assert bad.returncode == 1 and "not a language" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


_ALTERED = {  # a book of bookbinder's changed where its reader once lost the words (adversarial review)
    "a document it does not write": ("content.opf", '<itemref idref="story-001"/>',
                                     '<itemref idref="story-001"/><itemref idref="bonus"/>'),
    "verse with bare text": ("story-001.xhtml", "</section>",
                             '<p class="verse">ZZWORD bare<span>kept</span> tail<em>x</em></p></section>'),
    "an ornament with words": ("story-001.xhtml", "</section>", '<p class="scene-ornament">ZZWORD</p></section>'),
    "a figure with no picture": ("story-001.xhtml", "</section>", "<figure><p>ZZWORD</p></figure></section>"),
    "a picture not in the book": ("story-001.xhtml", "</section>",
                                  '<figure><img src="/etc/passwd" alt="ZZWORD"/></figure></section>'),
}


@pytest.mark.parametrize("change", sorted(_ALTERED))
def test_a_book_changed_where_its_reader_would_lose_words_is_read_as_any_epub(books, tmp_path, change) -> None:
    where, old, new = _ALTERED[change]
    with zipfile.ZipFile(books["seeds"]) as z:
        files = {n: z.read(n) for n in z.namelist()}
    name = next(n for n in files if n.endswith("/" + where))
    assert old.encode() in files[name]
    files[name] = files[name].replace(old.encode(), new.encode(), 1)
    if change == "a document it does not write":
        opf = next(n for n in files if n.endswith("content.opf"))
        files[opf] = files[opf].replace(b"<manifest>", b'<manifest><item href="text/bonus.xhtml" id="bonus" '
                                        b'media-type="application/xhtml+xml"/>', 1)
        files[opf.replace("content.opf", "text/bonus.xhtml")] = files[opf.replace("content.opf", "text/story-001.xhtml")] \
            .replace(b'class="story">', b'class="story"><p>ZZWORD here</p>', 1)
    altered = tmp_path / "altered.epub"
    with zipfile.ZipFile(altered, "w") as z:
        for n, data in files.items():
            z.writestr(n, data)
    result = run("normalize", "-v", str(altered), "-o", str(tmp_path / "xhtml"))
    assert result.returncode == 0, result.stderr
    text = "".join(p.read_text() for p in (tmp_path / "xhtml").iterdir())
    assert "read as bookbinder wrote it" not in result.stderr
    if change != "a picture not in the book":  # an alt text without its picture: the EPUB reader's choice
        assert "ZZWORD" in text + result.stderr  # in the story, or said where it was dropped


def test_normalize_writes_the_pictures_its_document_shows(tmp_path) -> None:
    source = tmp_path / "gulls.epub"
    source.write_bytes(image_epub())
    result = run("normalize", str(source), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    document = (tmp_path / "out" / "gulls.xhtml").read_text()
    shown = re.findall(r'src="([^"]+)"', document)
    assert shown and all((tmp_path / "out" / src).is_file() for src in shown)

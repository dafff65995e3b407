"""One book plan for every backend (issue 11): the EPUB and the PDF of one book say the same thing.

The book mixes every kind of input a user binds together: a plain-text seed, an AO3 download,
an EPUB with a picture and a Markdown story with front matter. It is built once as EPUB and once
as PDF (both PDF paths), and what a reader sees in each is compared: the stories and their order,
the contents tree, the credits, the metadata, and the picture.
"""
from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from bookbinder.api import BuildOptions, build
from bookbinder.backends.print_options import PrintOptions
from bookbinder.compose import compose

from conftest import ROOT, SEEDS, image_epub

NS = {"x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf",
      "dc": "http://purl.org/dc/elements/1.1/", "epub": "http://www.idpf.org/2007/ops"}


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("mixed")
    inputs = folder / "in"
    inputs.mkdir()
    shutil.copy(sorted(SEEDS.glob("*.txt"))[-1], inputs / "a-seed.txt")
    shutil.copy(ROOT / "tests" / "cases" / "ao3-download" / "input.html", inputs / "b-ao3.html")
    (inputs / "c-gulls.epub").write_bytes(image_epub())
    (inputs / "d-tidewater.md").write_text(
        "---\ntitle: Tidewater\nauthor: M. Writer\nfandom: Original Work\nurl: https://example.org/tidewater\n"
        "published: 2020-03-01\n---\n\nThe tide came in twice that day.\n\n* * *\n\nAnd went out once.\n",
        encoding="utf-8")
    out = {}
    for name, options in {"epub": BuildOptions(out_dir=folder / "epub", title="Mixed Bag"),
                          "pdf": BuildOptions(formats=("pdf",), out_dir=folder / "pdf", title="Mixed Bag"),
                          "tagged": BuildOptions(formats=("pdf",), out_dir=folder / "tagged", title="Mixed Bag",
                                                 options={"pdf": PrintOptions(tagged=True)})}.items():
        result = build([inputs], options)
        assert not result.errors, result.errors
        out[name] = result.written[0]
    out["inputs"] = inputs
    for name, fmt in (("seeds-epub", "epub"), ("seeds-pdf", "pdf")):  # the sample anthology, both ways
        result = build([SEEDS], BuildOptions(formats=(fmt,), out_dir=folder / name))
        assert not result.errors, result.errors
        out[name] = result.written[0]
    for name, options in (("single-epub", BuildOptions()), ("single-pdf", BuildOptions(formats=("pdf",))),
                          ("single-tagged", BuildOptions(formats=("pdf",), options={"pdf": PrintOptions(tagged=True)}))):
        result = build([CHAPTERED], replace(options, out_dir=folder / name))  # one story of three chapters
        assert not result.errors, result.errors
        out[name] = result.written[0]
    return out


CHAPTERED = ROOT / "tests" / "corpus" / "made" / "ao3-chaptered.html"
BOTH_WAYS = [("epub", "pdf"), ("epub", "tagged"), ("seeds-epub", "seeds-pdf"), ("single-epub", "single-pdf"),
             ("single-epub", "single-tagged")]
ANTHOLOGIES = [("epub", "pdf"), ("seeds-epub", "seeds-pdf")]  # BOTH_WAYS[::2] before the single story
STORIES = {"epub": 4, "seeds-epub": 5, "single-epub": 1}


def _epub_documents(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as z:
        return {name: etree.fromstring(z.read(name)) for name in z.namelist() if name.endswith(".xhtml")}


def _nav(path: Path) -> list[tuple[str, list[str]]]:
    """The EPUB's contents tree: (entry, its children) at the top level."""
    nav = _epub_documents(path)["EPUB/nav.xhtml"]
    top = nav.find(".//x:nav[@epub:type='toc']/x:ol", NS)
    return [(" ".join(li.find("x:a", NS).itertext()).strip() if li.find("x:a", NS) is not None
             else " ".join(li.find("x:span", NS).itertext()).strip(),
             [" ".join(a.itertext()).strip() for a in li.findall("x:ol/x:li/x:a", NS)]) for li in top.findall("x:li", NS)]


def _outline(reader: PdfReader) -> list[tuple[str, list[str]]]:
    out = []
    for item in reader.outline:
        if isinstance(item, list):
            out[-1][1].extend(i.title for i in item if not isinstance(i, list))
        else:
            out.append((item.title, []))
    return out


def _pdf_text(reader: PdfReader) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


@pytest.mark.parametrize("epub, pdf", BOTH_WAYS)
def test_contents_tree_and_order_agree(books, epub: str, pdf: str) -> None:
    nav = _nav(books[epub])  # one contents for both: the EPUB lists no page the PDF's outline leaves out
    outline = _outline(PdfReader(books[pdf]))
    assert [title for title, _ in outline] == [title for title, _ in nav]
    assert dict(outline) == dict(nav)  # chapters under their stories, the same in both
    stories = [title for title, _ in nav if title not in {"Contents", "Credits"}]
    assert len(stories) == STORIES[epub]


@pytest.mark.parametrize("epub, pdf", ANTHOLOGIES)
def test_contents_page_agrees(books, epub: str, pdf: str) -> None:
    docs = _epub_documents(books[epub])
    entries = [re.sub(r"\s+", " ", " ".join(p.itertext())).strip()
               for p in docs["EPUB/text/contents.xhtml"].iterfind(".//x:p[@class='toc-details']", NS)]
    text = _pdf_text(PdfReader(books[pdf]))
    assert len(entries) == (5 if epub.startswith("seeds") else 4)
    for entry in entries:
        assert entry in text, entry


@pytest.mark.parametrize("epub, pdf", BOTH_WAYS[3:])
def test_a_single_storys_contents_page_agrees(books, epub: str, pdf: str) -> None:
    """The EPUB's contents document and the PDF's contents page list the same chapters, in order,
    the EPUB's each linked to its chapter's document."""
    docs = _epub_documents(books[epub])
    links = [(re.sub(r"\s+", " ", " ".join(a.itertext())).strip(), a.get("href"))
             for a in docs["EPUB/text/contents.xhtml"].iterfind(".//x:p[@class='toc-title']/x:a", NS)]
    assert [title for title, _ in links] == [children for _, children in _nav(books[epub])][0]
    for title, href in links:
        file, fragment = href.split("#")
        assert docs[f"EPUB/text/{file}"].find(f".//x:section[@id='{fragment}']", NS) is not None, href
    reader = PdfReader(books[pdf])
    page = next(p.extract_text() for p in reader.pages if (p.extract_text() or "").lstrip().startswith("Contents"))
    assert [t for t, _ in links] == [m[1].strip(" .") for m in re.finditer(r"^(.+?)[ .]*\.\s*\d+$", page, re.M)]


@pytest.mark.parametrize("epub, pdf", ANTHOLOGIES)
def test_credits_agree(books, epub: str, pdf: str) -> None:
    docs = _epub_documents(books[epub])["EPUB/text/credits.xhtml"]
    lines = [re.sub(r"\s+", " ", "".join(li.itertext())).strip() for li in docs.iterfind(".//x:li", NS)]
    if epub == "epub":
        assert any("https://example.org/tidewater" in line and "published 2020-03-01" in line for line in lines)
    pdf = _pdf_text(PdfReader(books[pdf])).replace("- ", "-")
    for line in lines:  # source, address and date: the PDF's credits were shorter before the plan
        for piece in re.split(r" — |, ", line):
            assert piece.replace(" ", "") in pdf.replace(" ", ""), piece


@pytest.mark.parametrize("epub, pdf", BOTH_WAYS)
def test_metadata_agrees(books, epub: str, pdf: str) -> None:
    with zipfile.ZipFile(books[epub]) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
    subjects = [s.text for s in opf.iterfind(".//dc:subject", NS)]
    title = opf.findtext(".//dc:title", namespaces=NS)
    creators = [c.text for c in opf.iterfind(".//dc:creator", NS)]
    info = PdfReader(books[pdf]).metadata
    assert info.title == title
    assert info.get("/Keywords") == ", ".join(subjects)
    assert (info.author or "") == ", ".join(creators)
    assert subjects and ("Original Work" in subjects or epub != "epub")  # the mixed bag has the Markdown story


def _pictures_drawn(reader: PdfReader, page) -> list[str]:
    """The images a page's content draws (a page may list images it does not draw: WeasyPrint
    shares one resource dictionary between the pages of a document)."""
    from pypdf.generic import ContentStream

    xobjects = page["/Resources"].get("/XObject", {})
    images = {name for name, obj in xobjects.items() if obj.get_object().get("/Subtype") == "/Image"}
    operations = ContentStream(page.get_contents(), reader).operations
    return [operands[0] for operands, operator in operations if operator == b"Do" and operands[0] in images]


def test_an_epub_picture_shows_in_the_pdf(books) -> None:
    """render._block wrote EPUB package paths; WeasyPrint refused them and the PDF had no picture."""
    for kind in ("pdf", "tagged"):
        reader = PdfReader(books[kind])
        pictures = [i for i, page in enumerate(reader.pages) for _ in _pictures_drawn(reader, page)]
        assert len(pictures) == 1, f"{kind}: pictures on pages {pictures}"
        assert "The gulls came back" in (reader.pages[pictures[0]].extract_text() or "")


def test_the_epubs_pass_epubcheck(books, epubcheck) -> None:
    reports = epubcheck([books["epub"], books["seeds-epub"], books["single-epub"]])
    for report in reports.values():
        assert (report["fatal"], report["errors"], report["warnings"]) == (0, 0, 0), report


def test_the_plan_holds_the_whole_book(books) -> None:
    from bookbinder import load_story
    from bookbinder.book import Book

    stories = tuple(load_story(p) for p in sorted(books["inputs"].iterdir()))
    plan = compose(Book("Mixed Bag", stories))
    kinds = [p.kind for p in plan.parts]
    chapters = [len(s.chapters) for s in stories]
    assert kinds == ["cover", "titlepage", "toc"] + [k for n in chapters for k in ["story-title"] + ["story"] * n] \
        + ["credits"]  # one document per chapter
    assert [e.title for e in plan.toc][:1] == ["Contents"] and plan.toc[-1].title == "Credits"
    assert [r.name for r in plan.resources if not r.cover] == ["images/" + next(
        b.name for c in stories[2].chapters for b in c.blocks if type(b).__name__ == "Image")]
    assert [p.landmark for p in plan.landmarks] == ["cover", "titlepage", "toc", "bodymatter", "backmatter"]
    assert plan.metadata.subjects[:1] and "Original Work" in plan.metadata.subjects


def test_a_single_story_of_chapters_has_a_contents_page() -> None:
    """After its title page, for every backend; a one-chapter story has nothing to list, and a
    collection of one story keeps the anthology's contents of its stories."""
    from bookbinder import load_story
    from bookbinder.book import Book

    story = load_story(CHAPTERED)
    plan = compose(Book(story.meta.title, (story,)))
    assert [p.kind for p in plan.parts] == ["cover", "story-title", "toc", "story", "story", "story"]
    assert [(p.landmark, p.id) for p in plan.landmarks] == [("cover", "cover"), ("titlepage", "story-001-title"),
                                                          ("toc", "contents"), ("bodymatter", "story-001")]
    assert [e.title for e in plan.toc] == [story.meta.title]  # the navigation's contents as before
    one = replace(story, chapters=story.chapters[:1])
    assert "toc" not in [p.kind for p in compose(Book(one.meta.title, (one,))).parts]
    collection = compose(Book("Alice", (story,), collection="Alice"))
    assert [(p.kind, p.story) for p in collection.parts if p.kind == "toc"] == [("toc", None)]


# ------------------------------------------------------------------ overrides in one place
_KEYS = "title: \"Don't go -- yet...\"\ncharacters: [Mark, Mark Sloan]\nrating: Teen\n"
_BODY = "Mark Sloan waited by the door.\n\nMark said nothing, and then he said it again.\n"


def _record(story) -> tuple:
    meta = story.meta
    return meta.title, meta.characters, meta.rating, story.body_text


def test_front_matter_and_sidecar_give_the_same_story(tmp_path: Path) -> None:
    """The sidecar was applied after cleaning and front matter before: the same keys gave
    'Don’t go — yet…' and ('Mark Sloan',) one way, the raw title and ('Mark', 'Mark Sloan') the other."""
    from bookbinder import load_story

    front = tmp_path / "front.md"
    front.write_text(f"---\n{_KEYS}---\n\n{_BODY}", encoding="utf-8")
    side = tmp_path / "side.md"
    side.write_text(_BODY, encoding="utf-8")
    (tmp_path / "side.meta.yaml").write_text(_KEYS, encoding="utf-8")
    plain = tmp_path / "plain.md"
    plain.write_text(_BODY, encoding="utf-8")
    manifest = tmp_path / "m.toml"
    manifest.write_text("stories = [{ path = \"plain.md\", title = \"Don't go -- yet...\", "
                        "characters = [\"Mark\", \"Mark Sloan\"], rating = \"Teen\" }]\n", encoding="utf-8")
    from bookbinder.api import read_manifest

    a, b = load_story(front), load_story(side)
    c = load_story(plain, [read_manifest(manifest).override_for(plain)])
    assert _record(a) == _record(b) == _record(c)
    assert a.meta.title == "Don\u2019t go \u2014 yet\u2026" and a.meta.characters == ("Mark Sloan",)


def test_manifest_entries_override_the_sidecar_and_the_command_line_overrides_the_manifest(tmp_path: Path) -> None:
    from bookbinder.pipeline import Override, load_story

    story = tmp_path / "story.md"
    story.write_text(f"---\n{_KEYS}---\n\n{_BODY}", encoding="utf-8")
    (tmp_path / "story.meta.yaml").write_text("title: From the sidecar\nrating: Mature\n", encoding="utf-8")
    layered = load_story(story, [Override("manifest m.toml", {"title": "From the manifest"}),
                                 Override("the command line", {"rating": "General"})])
    assert (layered.meta.title, layered.meta.rating) == ("From the manifest", "General")
    assert load_story(story).meta.title == "From the sidecar"


def test_the_library_reads_a_manifest_as_the_command_line_does(tmp_path: Path) -> None:
    """Manifest precedence lived in cli.build_cmd: library users had to repeat it."""
    import subprocess
    import sys

    for name in ("one", "two"):
        (tmp_path / f"{name}.txt").write_text(f"The {name} story, short and plain.\n", encoding="utf-8")
    manifest = tmp_path / "winter.toml"
    manifest.write_text('title = "Winter Reading"\nstories = ["two.txt", { path = "one.txt", title = "First Frost" }]\n',
                        encoding="utf-8")
    result = build([], BuildOptions(out_dir=tmp_path / "lib", manifest=manifest))
    assert not result.errors and [p.name for p in result.written] == ["winter-reading.epub"]
    with zipfile.ZipFile(result.written[0]) as z:
        nav = z.read("EPUB/nav.xhtml").decode()
    assert nav.index("Two") < nav.index("First Frost")  # manifest order, and the entry's own title
    cli = subprocess.run([sys.executable, "-m", "bookbinder", "build", "--manifest", str(manifest), "--title", "Mine",
                          "-o", str(tmp_path / "cli")], capture_output=True, text=True, cwd=ROOT)
    assert cli.returncode == 0, cli.stderr
    assert [p.name for p in (tmp_path / "cli").iterdir()] == ["mine.epub"]  # the command line wins


def test_grouping_unifies_names_itself() -> None:
    """bookbinder.group(stories, "fandom") before unify() split one fandom in two; the CLI did not."""
    from bookbinder import group
    from bookbinder.model import Chapter, Metadata, Paragraph, Story

    def story(fandom: str) -> Story:
        return Story("s.txt", Metadata(title=fandom, fandoms=(fandom,)), (Chapter(None, (Paragraph(("Words.",)),)),))

    groups = group([story("Grey's Anatomy"), story("Grey\u2019s Anatomy")], "fandom")
    assert len(groups) == 1 and len(next(iter(groups.values()))) == 2


@pytest.mark.parametrize("keys, said", [
    ('pairings = ["Mark"]\n', "'pairings': not a pairing: 'Mark'"),
    ('rating = "Q"\n', "'rating': unknown rating 'Q'"),
])
def test_a_bad_value_is_one_line_naming_the_file_and_the_key(tmp_path: Path, keys: str, said: str) -> None:
    import subprocess
    import sys

    (tmp_path / "story.txt").write_text("A story of some words.\n", encoding="utf-8")
    (tmp_path / "story.meta.toml").write_text(keys, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "bookbinder", "inspect", str(tmp_path / "story.txt")],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    line, = result.stderr.strip().splitlines()
    assert "story.meta.toml" in line and said in line, line

"""The command line as a user meets it: contract commands, one-line errors, exit status."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS, run

SEED = SEEDS / "004_9a223c5f57314a43.txt"


def test_help_and_version() -> None:
    assert "normalize" in run("--help").stdout and "inspect" in run("--help").stdout
    assert run("--version").stdout.strip() == "bookbinder, version 0.1.0"


def test_inspect_json_contract() -> None:
    result = run("inspect", "--json", str(SEED))
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert isinstance(records, list) and len(records) == 1  # a list for one input too (CONTRACT.md)
    record = records[0]
    assert record["title"] == "Losing Grip" and record["rating"] == "R"
    assert record["pairings"] == ["Alex Karev/Mark Sloan"] and record["status"] == "complete"
    assert record["words"] == 879 and record["chapters"] == 1 and record["scene_breaks"] == 2
    assert {"fandoms", "characters", "pairings"} <= set(record["inferred"])
    assert all({"code", "message"} <= set(d) for d in record["diagnostics"])


def test_inspect_several_inputs_is_an_array() -> None:
    result = run("inspect", "--json", str(SEED), str(SEEDS / "000_eade02fc94876b84.txt"))
    assert [r["title"] for r in json.loads(result.stdout)][0] == "Losing Grip"


def test_normalize_writes_stem_xhtml(tmp_path: Path) -> None:
    result = run("normalize", str(SEED), "-o", str(tmp_path))
    assert result.returncode == 0
    assert (tmp_path / f"{SEED.stem}.xhtml").exists()
    assert result.stdout.strip() == str(tmp_path / f"{SEED.stem}.xhtml")


def test_verbose_shows_what_was_dropped(tmp_path: Path) -> None:
    result = run("normalize", "-v", str(SEED), "-o", str(tmp_path))
    assert "[cruft-dropped] site navigation 'Previous post Next post' dropped" in result.stderr


@pytest.mark.parametrize("content, problem", [
    (b"", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary"),
])
def test_bad_input_is_one_line(tmp_path: Path, content: bytes, problem: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    for command in (["inspect", "--json"], ["normalize", "-o", str(tmp_path)], ["build", "-o", str(tmp_path)]):
        result = run(*command, str(bad))
        assert result.returncode == 1, (command, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and str(bad) in lines[0] and problem in lines[0], (command, result.stderr)
        assert "Traceback" not in result.stderr


def test_missing_and_unreadable_paths(tmp_path: Path) -> None:
    result = run("inspect", "--json", str(tmp_path / "nope.txt"))
    assert result.returncode == 1 and result.stderr.strip() == f"bookbinder: {tmp_path / 'nope.txt'}: no such file or folder"


def test_unreadable_file_names_the_file(tmp_path: Path, monkeypatch) -> None:
    """Permission bits do not stop root (CI), so the refusal is simulated where the file is read."""
    from bookbinder.errors import InputError
    from bookbinder.readers import read_path

    locked = tmp_path / "locked.txt"
    locked.write_text("A story.\n\nWith two paragraphs.\n")

    from bookbinder import inputs

    def refuse(path, flags, *args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(inputs.os, "open", refuse)
    with pytest.raises(InputError) as err:
        read_path(locked)
    assert err.value.format_message() == f"{locked}: permission denied"


def test_batch_keeps_going(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run("normalize", str(tmp_path / "empty.txt"), str(SEED), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert (tmp_path / "out" / f"{SEED.stem}.xhtml").exists()
    assert "empty.txt: the file is empty" in result.stderr


def test_usage_error_is_exit_2() -> None:
    assert run("build").returncode == 2
    assert run("frobnicate").returncode == 2


def test_cli_start_does_not_load_weasyprint() -> None:
    """normalize, inspect and EPUB builds must not pay WeasyPrint's half-second import."""
    code = "import sys, bookbinder.cli, bookbinder.api; print('weasyprint' in sys.modules, 'pikepdf' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["False", "False"]


def test_inspect_of_nothing_is_an_error(tmp_path) -> None:
    result = run("inspect", "--json", str(tmp_path))
    assert result.returncode == 1 and "no story files found" in result.stderr
    assert json.loads(result.stdout) == []


def test_output_named_as_a_file_is_that_file(tmp_path) -> None:
    """pandoc's and ebook-convert's habit: -o book.epub writes book.epub; -o book.pdf a PDF; -o - stdout."""
    result = run("build", str(SEED), "-o", str(tmp_path / "mybook.epub"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / "mybook.epub")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mybook.epub"]
    piped = subprocess.run([sys.executable, "-m", "bookbinder", "build", str(SEED), "-o", "-"], capture_output=True,
                           timeout=300)
    assert piped.returncode == 0 and piped.stdout[:4] == b"PK\x03\x04"
    assert piped.stdout == (tmp_path / "mybook.epub").read_bytes()  # the same book, byte for byte


@pytest.mark.parametrize("args, problem", [
    (["--by", "pairing", "-o", "{out}/x.epub"], "this build makes 2 books"),
    (["-o", "{out}/x.epub", "--format", "pdf"], "ends in .epub, but --format pdf"),
    (["-o", "{out}/x.epub", "--format", "epub", "--format", "pdf"], "2 formats"),
])
def test_one_output_file_for_several_books_is_a_usage_error(tmp_path, args, problem) -> None:
    result = run("build", str(SEEDS), *[a.format(out=tmp_path) for a in args])
    assert result.returncode == 2 and problem in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_files_that_are_not_stories(tmp_path) -> None:
    """A folder's .doc and .jpg are counted (and listed with -v); given directly, each is one line saying what is read."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    (folder / "draft.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old Word file")
    (folder / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a picture")
    result = run("build", str(folder), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "skipped 2 files that bookbinder does not read (.doc, .jpg)" in result.stderr
    listed = run("build", str(folder), "-v", "-o", str(tmp_path / "out"))
    assert "skipped " + str(folder / "draft.doc") in listed.stderr
    result = run("build", str(folder / "draft.doc"), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"bookbinder: {folder / 'draft.doc'}: is a .doc file, which bookbinder does not read; it reads .txt, .md, "
        ".html (.htm, .xhtml), .epub, .pdf, .mobi (.azw3, .azw, .prc), .docx, .odt, .rtf and .fb2 (.fb2.zip) "
        "(save it as .docx, .html or .txt)"]
    assert ".epub" in run("--help").stdout


def test_filters_that_leave_nothing_say_so_once(tmp_path) -> None:
    result = run("build", str(SEEDS), "--fandom", "Nothing Like It", "-o", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == ["bookbinder: the filters left none of the 5 stories"]


def test_a_sidecar_rating_must_be_a_rating(tmp_path) -> None:
    (tmp_path / "story.txt").write_text("The story, in words.\n", encoding="utf-8")
    (tmp_path / "story.meta.toml").write_text('rating = "Q"\n', encoding="utf-8")
    result = run("inspect", str(tmp_path / "story.txt"))
    assert result.returncode == 1 and "story.meta.toml" in result.stderr and "'rating'" in result.stderr
    assert "T," in result.stderr  # T is read, so the message says so
    (tmp_path / "story.meta.toml").write_text('rating = "T"\n', encoding="utf-8")
    assert run("inspect", str(tmp_path / "story.txt")).returncode == 0


def test_a_file_given_twice_is_bound_once_and_said(tmp_path) -> None:
    result = run("build", str(SEEDS), str(SEED), "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert f"{SEED}: given twice" in result.stderr and "bound once" in result.stderr
    from ebooklib import epub
    book = epub.read_epub(str(next(tmp_path.glob("*.epub"))))
    assert sum(1 for item in book.get_items() if item.file_name.endswith("-title.xhtml")) == 5


def test_two_books_with_one_title_say_why(tmp_path) -> None:
    result = run("build", str(SEEDS), "--by", "pairing", "--title", "Collected", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.glob("*.epub")) == ["collected-2.epub", "collected.epub"]
    assert "two books are called 'Collected': this one is written as collected-2 (put {group} in --title" \
        in result.stderr


def test_ctrl_c_exits_130_with_one_line(tmp_path: Path) -> None:
    """Exit status 1 means "some input failed"; an interrupt is 128 + SIGINT, and says so once."""
    import signal
    import time

    proc = subprocess.Popen([sys.executable, "-m", "bookbinder", "build", str(SEEDS), "-f", "pdf", "--no-cache",
                             "-q", "-o", str(tmp_path / "out")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT)
    started = time.monotonic()  # a wait for the build to begin, never a measure of speed
    while not (tmp_path / "out").exists() and proc.poll() is None and time.monotonic() - started < 120:
        time.sleep(0.05)  # the output folder is made once the program has loaded, before any story is read
    time.sleep(0.3)  # into reading or laying out
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert [line for line in err.splitlines() if line.strip()] == ["bookbinder: interrupted"]


@pytest.mark.parametrize("handled", ["pass", "raise RuntimeError('while a class was made') from None"])
def test_an_interrupt_a_library_swallows_still_stops_the_build(tmp_path: Path, handled: str) -> None:
    """CPython loses a KeyboardInterrupt that lands in the import of a C extension or in os.fork's
    at-fork hooks (the build ran on and exited 0), or turns it into another error (a RuntimeError
    from __set_name__: a traceback). Here a step swallows or turns it the same way."""
    script = (
        "import os, signal, sys\n"
        "import bookbinder.building as steps\n"
        "from bookbinder.cli import main\n"
        "checked = steps.check_before_work\n"
        "def swallowing(options):\n"
        "    try:\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "        sum(range(10 ** 5))\n"
        "    except KeyboardInterrupt:\n"
        f"        {handled}\n"
        "    return checked(options)\n"
        "steps.check_before_work = swallowing\n"
        "main(sys.argv[1:])\n")
    result = subprocess.run([sys.executable, "-c", script, "build", str(SEEDS), "-q", "--no-cache",
                             "-o", str(tmp_path / "out")], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 130, result.stderr
    assert [line for line in result.stderr.splitlines() if line.strip()] == ["bookbinder: interrupted"]
    assert not list((tmp_path / "out").glob("*.epub"))


def test_verbose_counts_a_repeated_decision_once(tmp_path: Path) -> None:
    page = tmp_path / "form.html"
    page.write_text("<html><body><p>The gulls came back.</p>" + "<input name=x>" * 43 +
                    "<p>Nobody fed them.</p></body></html>", encoding="utf-8")
    result = run("inspect", "-v", str(page))
    lines = [line for line in result.stderr.splitlines() if "<input> element dropped" in line]
    assert len(lines) == 1 and "(43 times)" in lines[0], result.stderr


def test_counts_read_as_english() -> None:
    from bookbinder.plural import plural
    from bookbinder.terminal import counted

    assert (plural(1, "story"), plural(2, "story"), plural(1, "book"), plural(3, "diagnostic")) == \
        ("1 story", "2 stories", "1 book", "3 diagnostics")
    assert (counted(1, "parts"), counted(4, "parts"), counted(1, "stories")) == ("1 part", "4 parts", "1 story")


def test_a_pdf_without_pango_is_one_line_saying_what_to_install(tmp_path: Path, monkeypatch) -> None:
    import builtins

    from click.testing import CliRunner

    from bookbinder.cli import cli

    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pango)
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    result = CliRunner().invoke(cli, ["build", str(SEED), "-f", "pdf", "-o", str(tmp_path / "b.pdf")])
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1 and "apt-get install libpango" in result.stderr
    assert "report" not in result.stderr


def test_the_output_is_never_an_input(tmp_path: Path) -> None:
    """-o naming the story file would replace it with the book made of it; -o naming the folder
    read found 'no story files' (the output folder is never read): both are one usage line."""
    import shutil

    book = tmp_path / "same.epub"
    shutil.copy(ROOT / "tests" / "cases" / "ao3-epub" / "input.epub", book)
    before = book.read_bytes()
    same = run("build", str(book), "-o", str(book))
    assert same.returncode == 2 and "one of the inputs" in same.stderr and book.read_bytes() == before
    folder = tmp_path / "stories"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    into = run("build", str(folder), "-o", str(folder))
    assert into.returncode == 2 and "never reads its own output folder" in into.stderr
    assert len(into.stderr.strip().splitlines()) == 1 and sorted(p.name for p in folder.iterdir()) == [SEED.name]


def test_a_title_with_braces_is_text_and_group_names_the_group(tmp_path: Path) -> None:
    """--title 'Stories of {fandom}' was a KeyError traceback, '{}' an IndexError, and a width
    ('{group:>999999999}') a gigabyte: only {group} is replaced, every other brace is the title's."""
    import zipfile

    result = run("build", str(SEEDS), "--by", "pairing", "--title", "{group} & {fandom} {} {group:>999999999}",
                 "-o", str(tmp_path / "out"), "-q", "--no-cache")
    assert result.returncode == 0, result.stderr
    book = tmp_path / "out" / next(p.name for p in (tmp_path / "out").glob("*lexie*.epub"))
    with zipfile.ZipFile(book) as z:
        opf = z.read("EPUB/content.opf").decode()
    assert "Lexie Grey/Mark Sloan &amp; {fandom} {} {group:&gt;999999999}</dc:title>" in opf

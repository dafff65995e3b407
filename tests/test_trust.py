"""Trust boundaries (issue 21): a downloaded folder is data, not instructions.

Each test is one probe of the adversarial review, tried as a user who unpacks a folder someone
else prepared and runs `bookbinder build .` in it. Each failed on main before its fix.
"""
from __future__ import annotations

import os
import resource
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CONTAINER, ROOT, SEEDS, make_epub, opf, png

from bookbinder.cli import cli

SEED = SEEDS / "004_9a223c5f57314a43.txt"


def _run(*args: str, cwd: Path | None = None, env: dict | None = None):
    old = Path.cwd()
    if cwd:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, list(args), env=env)
    finally:
        os.chdir(old)


def _folder(tmp_path: Path, config: str = "") -> Path:
    """A folder someone else prepared: two stories and, if given, its own bookbinder.toml."""
    folder = tmp_path / "shared"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        (folder / seed.name).write_bytes(seed.read_bytes())
    if config:
        (folder / "bookbinder.toml").write_text(config, encoding="utf-8")
    return folder


def _epub_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return z.namelist()


# ------------------------------------------------------------------ the folder's bookbinder.toml
def test_a_folders_config_cannot_pick_the_cluster_the_cache_the_output_or_the_links(tmp_path: Path) -> None:
    outside = tmp_path / "victim"
    outside.mkdir()
    (outside / "thesis.epub").write_bytes(b"my thesis")
    folder = _folder(tmp_path, '[build]\nscheduler = "tcp://203.0.113.9:8786"\noutput = "../victim/thesis.epub"\n'
                               'follow-links = true\ncache-dir = "planted-cache"\njobs = 500\npage-size = "a5"\n'
                               'format = ["epub"]\n')
    result = _run("build", ".", "-q", cwd=folder)
    assert result.exit_code == 0, result.output
    for key in ("scheduler", "output", "follow-links", "cache-dir", "jobs"):
        lines = [line for line in result.stderr.splitlines() if f"] {key} is ignored" in line]
        assert len(lines) == 1, (key, result.stderr)
    assert (outside / "thesis.epub").read_bytes() == b"my thesis"
    assert not (folder / "planted-cache").exists()
    assert [p.name for p in (folder / "output").iterdir()] == ["collected-stories.epub"]


def test_a_folders_config_still_sets_how_the_book_looks(tmp_path: Path) -> None:
    folder = _folder(tmp_path, '[build]\nformat = ["epub"]\ntitle = "Shared Stories"\nby = "pairing"\n'
                               '[aliases]\n"Lexie" = "Lexie Grey"\n')
    result = _run("build", ".", "-q", cwd=folder)
    assert result.exit_code == 0, result.stderr
    assert "ignored" not in result.stderr
    assert sorted(p.name for p in (folder / "output").iterdir())  # one book per pairing, under its own title


def test_a_folders_config_paths_stay_inside_it(tmp_path: Path) -> None:
    secret = tmp_path / "secret.css"
    secret.write_text("p { color: red } /* api-token: hunter2 */", encoding="utf-8")
    folder = _folder(tmp_path, '[build]\ncss = "../secret.css"\ncover = "/etc/hostname"\n')
    result = _run("build", ".", "-q", cwd=folder)
    assert result.exit_code == 0, result.stderr
    assert len([line for line in result.stderr.splitlines() if "css = '../secret.css' is ignored" in line]) == 1
    assert len([line for line in result.stderr.splitlines() if "cover = '/etc/hostname' is ignored" in line]) == 1
    book = folder / "output" / "collected-stories.epub"
    with zipfile.ZipFile(book) as z:
        assert not any(b"hunter2" in z.read(name) for name in z.namelist())
    (folder / "mine.css").write_text("p { text-indent: 2em }", encoding="utf-8")
    (folder / "bookbinder.toml").write_text('[build]\ncss = "mine.css"\n', encoding="utf-8")
    result = _run("build", ".", "-q", "-o", "out2", cwd=folder)
    assert result.exit_code == 0 and "ignored" not in result.stderr, result.stderr
    with zipfile.ZipFile(folder / "out2" / "collected-stories.epub") as z:
        assert any(b"text-indent: 2em" in z.read(n) for n in z.namelist() if n.endswith(".css"))


def test_a_user_config_and_config_flag_are_trusted(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    mine = tmp_path / "mine.toml"
    mine.write_text('[build]\noutput = "../elsewhere"\nno-cache = true\n', encoding="utf-8")
    result = _run("--config", str(mine), "build", ".", "-q", cwd=folder)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "elsewhere" / "collected-stories.epub").is_file()  # relative to the file that says it


@pytest.mark.parametrize("config, said", [
    ('[build]\ncover = 7\n', "cover: a path is text"),
    ('[build]\npage-size = 5\n', "page-size"),
    ('[build]\nsewing-stations = 100000000\n', "sewing-stations"),
    ('[build]\npod-gutter = nan\n', "pod-gutter"),
    ('[build]\nformat = [["epub"]]\n', "format"),
])
def test_a_config_value_of_the_wrong_kind_is_one_line(tmp_path: Path, config: str, said: str) -> None:
    folder = _folder(tmp_path, config)
    result = _run("build", ".", "-q", cwd=folder)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert len(result.stderr.strip().splitlines()) == 1 and said in result.stderr, result.stderr


# ------------------------------------------------------------------ manifests, lists and sidecars
def test_a_manifest_binds_only_story_files_inside_its_folder(tmp_path: Path) -> None:
    (tmp_path / "id_rsa").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n", encoding="utf-8")
    folder = _folder(tmp_path)
    (folder / "notes.cfg").write_text("password = x\n", encoding="utf-8")
    (folder / "link.txt").symlink_to(tmp_path / "id_rsa")
    first = sorted(SEEDS.glob("*.txt"))[0].name
    (folder / "m.toml").write_text(
        f'title = "Mine"\nstories = ["../id_rsa", "/etc/passwd", "notes.cfg", "link.txt", "{first}"]\n', encoding="utf-8")
    for args in (["build", "--manifest", "m.toml"], ["build", "--manifest", str(folder / "m.toml")]):
        result = _run(*args, "-q", "-o", "out", cwd=folder)
        assert result.exit_code == 1, result.output
        for entry, why in (("'../id_rsa'", "climbs out"), ("'/etc/passwd'", "absolute"),
                           ("'notes.cfg'", "not a story file"), ("'link.txt'", "links to a file outside")):
            lines = [line for line in result.stderr.splitlines() if entry in line]
            assert len(lines) == 1 and why in lines[0], (entry, result.stderr)
        book = folder / "out" / "mine.epub"
        with zipfile.ZipFile(book) as z:
            text = b"".join(z.read(n) for n in z.namelist())
        assert b"OPENSSH" not in text and b"root:" not in text and b"password" not in text


def test_a_list_binds_only_files_inside_its_folder(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    first = sorted(SEEDS.glob("*.txt"))[0].name
    (folder / "list.txt").write_text(f"{first}\n/etc/passwd\n../x.txt\n", encoding="utf-8")
    result = _run("build", "--list", "list.txt", "-q", "-o", "out", cwd=folder)
    assert result.exit_code == 1 and len(list((folder / "out").iterdir())) == 1, result.stderr
    assert "'/etc/passwd' not read" in result.stderr and "'../x.txt' not read" in result.stderr


def test_a_sidecar_that_links_out_of_the_folder_is_not_read(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text("title: Read From Elsewhere\n", encoding="utf-8")
    folder = _folder(tmp_path)
    story = sorted(folder.glob("*.txt"))[0]
    (folder / f"{story.stem}.meta.yaml").symlink_to(elsewhere)
    result = _run("inspect", "--json", str(story))
    assert result.exit_code == 1 and "links to a file outside the folder" in result.stderr
    assert "Read From Elsewhere" not in result.stdout
    allowed = _run("inspect", "--json", "--follow-links", str(story))
    assert allowed.exit_code == 0 and "Read From Elsewhere" in allowed.stdout


# ------------------------------------------------------------------ what is read, and what is written
def test_rebuilding_never_reads_its_own_books(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    folder = _folder(tmp_path)
    first = _run("build", ".", "-q", "--no-cache", cwd=folder)
    book = folder / "output" / "collected-stories.epub"
    once = book.read_bytes()
    second = _run("build", ".", "-q", "--no-cache", cwd=folder)
    assert first.exit_code == second.exit_code == 0, second.stderr
    assert book.read_bytes() == once
    elsewhere = _run("build", ".", "-q", "--no-cache", "-o", "books", cwd=folder)
    again = _run("build", ".", "-q", "--no-cache", "-o", "books", cwd=folder)
    assert elsewhere.exit_code == again.exit_code == 0
    assert (folder / "books" / "collected-stories.epub").read_bytes() == once


@pytest.mark.parametrize("how", ["given", "in-a-folder", "in-a-manifest"])
def test_a_fifo_is_one_line_and_never_hangs(tmp_path: Path, how: str) -> None:
    folder = _folder(tmp_path)
    os.mkfifo(folder / "pipe.txt")
    args = {"given": ["build", "pipe.txt", *(p.name for p in folder.glob("0*.txt"))],
            "in-a-folder": ["build", "."], "in-a-manifest": ["build", "--manifest", "m.toml"]}[how]
    stories = ", ".join(f'"{p.name}"' for p in sorted(folder.glob("0*.txt")))
    (folder / "m.toml").write_text(f'stories = ["pipe.txt", {stories}]\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "bookbinder", *args, "-q", "-o", "out"], cwd=folder,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    lines = [line for line in done.stderr.splitlines() if "pipe.txt" in line]
    assert len(lines) == 1 and "FIFO" in lines[0], done.stderr
    assert (folder / "out" / "collected-stories.epub").is_file()


def test_an_8_gb_input_is_one_line_under_a_3_gb_address_space(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    with open(folder / "huge.txt", "wb") as f:
        f.truncate(8 * 1024 ** 3)  # sparse: no disk used

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 ** 3, 3 * 1024 ** 3))

    done = subprocess.run([sys.executable, "-m", "bookbinder", "build", ".", "-q", "-o", "out", "-j", "1"],
                          cwd=folder, capture_output=True, text=True, timeout=300, preexec_fn=limit)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr, done.stderr
    lines = [line for line in done.stderr.splitlines() if "huge.txt" in line]
    assert len(lines) == 1 and "larger than 256 MB" in lines[0], done.stderr
    assert (folder / "out" / "collected-stories.epub").is_file()


def test_an_output_folder_that_is_a_link_is_not_written_through(tmp_path: Path) -> None:
    target = tmp_path / "dot-config"
    target.mkdir()
    folder = _folder(tmp_path)
    (folder / "output").symlink_to(target)
    result = _run("build", ".", "-q", cwd=folder)
    assert result.exit_code == 1 and "is a link" in result.stderr, result.stderr
    assert not list(target.iterdir())
    story = sorted(folder.glob("*.txt"))[0]
    (folder / "out").mkdir()
    (folder / "out" / f"{story.stem}.xhtml").symlink_to(target / "bashrc")
    normalized = _run("normalize", str(story), "-o", str(folder / "out"))
    assert normalized.exit_code == 0 and not (target / "bashrc").exists()  # the link was replaced, not followed


# ------------------------------------------------------------------ the cache
def test_the_cache_is_private(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    result = _run("build", str(SEED), "-q", "--cache-dir", str(cache), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    files = [p for p in cache.rglob("*") if p.is_file()]
    assert files and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files)


def test_a_cache_others_may_write_to_is_not_used(tmp_path: Path) -> None:
    cache = tmp_path / "shared-cache"
    cache.mkdir()
    cache.chmod(0o777)
    result = _run("build", str(SEED), "-q", "--cache-dir", str(cache), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "cache" in line]
    assert len(lines) == 1 and "others may write to it" in lines[0], result.stderr
    assert not list(cache.iterdir()) and (tmp_path / "out").iterdir()


@pytest.mark.skipif(os.getuid() != 0, reason="only root can give a folder to another user")
def test_a_cache_of_another_user_is_not_used(tmp_path: Path) -> None:
    cache = tmp_path / "theirs"
    cache.mkdir(mode=0o700)
    os.chown(cache, 65534, 65534)
    result = _run("build", str(SEED), "-q", "--cache-dir", str(cache), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0 and "belongs to another user" in result.stderr, result.stderr


def test_a_fifo_planted_in_the_cache_is_a_miss(tmp_path: Path) -> None:
    from bookbinder.cache import StoryCache

    cache = StoryCache(tmp_path / "c")
    planted = cache._file("ab" * 32, "cards")
    planted.parent.mkdir(parents=True)
    os.mkfifo(planted)
    assert cache.load_card("ab" * 32) is None  # returns at once: the FIFO is never opened for reading


def test_what_comes_out_of_the_cache_passes_the_gates(tmp_path: Path) -> None:
    from bookbinder.cache import _decode, _encode
    from bookbinder.model import Image

    image = Image("0123456789abcdef.png", "image/png", png())
    record = _encode(image)
    for name in ("../../../x", "EPUB/images/../../../x", "0123456789abcdef.png/../../x", "0123456789abcdef.exe"):
        with pytest.raises(ValueError):
            _decode({**record, "name": name})
    with pytest.raises(ValueError):
        _decode({**record, "media_type": "text/html"})
    evil = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="1" height="1"/></svg>'
    from bookbinder.compose import _image_bytes

    clean = _image_bytes(Image("0123456789abcdef.svg", "image/svg+xml", evil))
    assert b"script" not in clean and b"rect" in clean


def test_a_cached_pdf_part_that_acts_is_laid_out_again(tmp_path: Path) -> None:
    import io

    import pikepdf

    from bookbinder.backends.pdfmerge import inert

    pdf = pikepdf.new()
    pdf.add_blank_page()
    buf = io.BytesIO()
    pdf.save(buf)
    assert inert(buf.getvalue())
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("/bin/sh"))
    buf = io.BytesIO()
    pdf.save(buf)
    assert not inert(buf.getvalue())
    page = pikepdf.new()
    page.add_blank_page()
    page.pages[0].obj.Annots = page.make_indirect([pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10],
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe")))])
    buf = io.BytesIO()
    page.save(buf)
    assert not inert(buf.getvalue())


# ------------------------------------------------------------------ numbers and files from the user
@pytest.mark.parametrize("args, said", [
    (["--impose", "quarto", "--sewing-stations", "100000000"], "--sewing-stations"),
    (["--pod", "custom", "--pod-gutter", "nan", "--pod-spine-per-page", "0.002"], "--pod-gutter"),
    (["--pod", "custom", "--pod-gutter", "inf", "--pod-spine-per-page", "0.002"], "--pod-gutter"),
    (["--pod", "kdp", "--pod-spine-per-page", "inf"], "--pod-spine-per-page"),
    (["--impose", "quarto", "--paper-thickness", "nan"], "--paper-thickness"),
    (["--jobs", "100000"], "--jobs"),
])
def test_absurd_numbers_are_refused_before_any_work(tmp_path: Path, args: list[str], said: str) -> None:
    result = _run("build", str(SEED), "-f", "pdf", *args, "-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and said in result.output, result.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def _png_of_size(width: int, height: int) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("cover, said", [
    ("/dev/zero", "is a device"),
    ("junk.png", "not a whole image"),
    ("bomb.png", "pixels"),
    ("folder", "is a folder"),
])
def test_a_cover_is_decoded_whole_or_refused_in_one_line(tmp_path: Path, cover: str, said: str) -> None:
    (tmp_path / "junk.png").write_bytes(png()[:33] + b"\x00garbage" * 100)  # signature and header, then junk
    (tmp_path / "bomb.png").write_bytes(_png_of_size(60000, 60000))
    (tmp_path / "folder").mkdir()
    path = cover if cover.startswith("/") else str(tmp_path / cover)
    result = _run("build", str(SEED), "--cover", path, "-o", str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1 and said in result.stderr, result.stderr


def test_css_is_a_regular_file_within_its_limit(tmp_path: Path) -> None:
    result = _run("build", str(SEED), "--css", "/dev/zero", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and "is a device" in result.stderr, result.output


def test_a_decompression_bomb_inside_an_epub_is_left_out_and_said(tmp_path: Path) -> None:
    chapter = ('<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>1'
               '</title></head><body><p>The gulls came back.</p><p><img src="../images/b.png" alt="bomb"/></p>'
               '<p>Nobody fed them.</p></body></html>')
    epub = tmp_path / "bomb.epub"
    epub.write_bytes(make_epub({
        "mimetype": "application/epub+zip", "META-INF/container.xml": CONTAINER,
        "OEBPS/content.opf": opf('<item id="c1" href="text/c1.xhtml" media-type="application/xhtml+xml"/>'
                                 '<item id="b" href="images/b.png" media-type="image/png"/>', '<itemref idref="c1"/>'),
        "OEBPS/text/c1.xhtml": chapter, "OEBPS/images/b.png": _png_of_size(60000, 60000)}))
    result = _run("build", str(epub), "-v", "-o", str(tmp_path / "out.epub"))
    assert result.exit_code == 0, result.stderr
    assert "image-dropped" in result.stderr and "pixels" in result.stderr
    assert not [n for n in _epub_names(tmp_path / "out.epub") if "/images/" in n and not n.endswith("cover.png")]


# ------------------------------------------------------------------ what reaches the terminal
def test_file_names_never_drive_the_terminal(tmp_path: Path) -> None:
    name = "evil\x1b]0;owned\x07\x9b31m\u202egpj.txt"
    story = tmp_path / name
    story.write_bytes(SEED.read_bytes())
    for args in (["inspect", str(story)], ["inspect", "--json", str(story)],
                 ["normalize", str(story), "-o", str(tmp_path / "out")]):
        result = _run(*args)
        assert result.exit_code == 0, result.output
        assert not any(c in result.output for c in "\x1b\x07\x9b\u202e"), (args, result.output)


def test_an_escaped_emoji_in_yaml_is_one_character(tmp_path: Path) -> None:
    for name, title in (("a", r"\ud83d\ude00 Smile"), ("b", r"\ud83d\ude22 Cry")):
        (tmp_path / f"{name}.txt").write_bytes(SEED.read_bytes())
        (tmp_path / f"{name}.meta.yaml").write_text(f'title: "{title}"\npairings: ["{title}/Mark"]\n',
                                                      encoding="utf-8")
    result = _run("inspect", "--json", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert result.exit_code == 0, result.output
    import json

    records = json.loads(result.stdout)
    assert [r["title"] for r in records] == ["\U0001F600 Smile", "\U0001F622 Cry"]


# ------------------------------------------------------------------ Dask endpoints
def _listener(behaviour: str) -> tuple[int, object]:
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    held = []

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:  # the test closed the listener: the thread ends
                return
            held.append(conn)
            if behaviour == "garbage":
                conn.sendall(b"\xff" * 65536)
    threading.Thread(target=serve, daemon=True).start()
    return server.getsockname()[1], server


@pytest.mark.parametrize("behaviour, said", [("silent", "no answer within 1 s"), ("garbage", "cannot connect")])
def test_an_endpoint_that_is_not_a_scheduler_is_one_line_in_time(monkeypatch, behaviour: str, said: str) -> None:
    pytest.importorskip("distributed")
    from bookbinder import executors
    from bookbinder.errors import UsageError

    monkeypatch.setattr(executors, "ANSWER_WITHIN", 1)
    port, server = _listener(behaviour)
    with pytest.raises(UsageError) as err:
        executors.executor_for(f"tcp://127.0.0.1:{port}")
    assert said in err.value.format_message() and "\n" not in err.value.format_message()
    server.close()


def test_a_scheduler_with_no_workers_is_one_line(monkeypatch) -> None:
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    from bookbinder import executors
    from bookbinder.errors import UsageError

    monkeypatch.setattr(executors, "WORKERS_WITHIN", 1)
    with LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster:
        with pytest.raises(UsageError) as err:
            executors.executor_for(cluster.scheduler_address)
    assert "no worker joined" in err.value.format_message()


def test_tls_certificates_need_a_tls_address() -> None:
    pytest.importorskip("distributed")
    from bookbinder.errors import UsageError
    from bookbinder.executors import TLS, executor_for

    with pytest.raises(UsageError, match="tls://"):
        executor_for("tcp://127.0.0.1:9", tls=TLS(Path("ca.pem"), Path("cert.pem")))


def test_the_readme_states_the_trust_model() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Hostile and broken files"):]
    for key in ("scheduler", "cache-dir", "output", "follow-links", "css", "cover", "manifest"):
        assert f"`{key}`" in section, key
    assert "runs code" in section and "tls://" in section


def test_a_print_cover_under_300_ppi_is_said() -> None:
    import io

    from PIL import Image

    from bookbinder.backends.pdfbook import _low_resolution

    def image(width: int, height: int) -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (width, height)).save(out, format="PNG")
        return out.getvalue()
    trim = ((6 * 72, 9 * 72), 120)
    (line,) = _low_resolution(image(1400, 2100), trim)
    assert "227 pixels an inch" in line and "ask for 300" in line
    assert _low_resolution(image(1900, 2800), trim) == []

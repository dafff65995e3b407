"""Shared test helpers: golden-file regeneration, word folding like the scorer's, one EPUBCheck JVM."""
from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
SEEDS = ROOT / "seeds"

# The command line keeps normalized stories in a cache folder; the tests' commands keep theirs in a
# folder of their own, never in the user's (subprocesses inherit this).
import tempfile  # noqa: E402

os.environ.setdefault("BOOKBINDER_CACHE_DIR", tempfile.mkdtemp(prefix="bookbinder-test-cache-"))
# Nor do they read the user's own bookbinder.toml (platformdirs reads XDG_CONFIG_HOME on Linux).
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="bookbinder-test-config-")


# No clock decides a test: Hypothesis's deadline (200 ms an example) and its too-slow health check
# (data generation) are times, which a busy machine stretches.
from hypothesis import HealthCheck, settings  # noqa: E402

# Nor does chance decide CI: the examples are the same on every run (derandomize), so a red run is
# one anyone can repeat. To explore new examples, as before a release: HYPOTHESIS_PROFILE=explore.
settings.register_profile("bookbinder", deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
settings.register_profile("explore", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "bookbinder"))


def pytest_addoption(parser):
    parser.addoption("--regen", action="store_true", help="rewrite golden files from the current output")


@pytest.fixture
def regen(request) -> bool:
    return request.config.getoption("--regen")


from bookbinder.accounting import words  # noqa: E402,F401 - folded as the shared scorer folds them


@pytest.fixture(scope="session")
def epubcheck():
    """EPUBCheck on books, in one JVM for the whole session: `epubcheck(paths)` gives
    {str(path): {fatal, errors, warnings, usage, messages}} (tests/epubcheck_jvm.py)."""
    from epubcheck_jvm import Checker

    checker = Checker()
    yield checker.check
    checker.close()


def run(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """`bookbinder ARGS...` as a user runs it, in its own process."""
    return subprocess.run([sys.executable, "-m", "bookbinder", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=120, env={**os.environ, **(env or {})})


# ------------------------------------------------------------------ EPUBs made in the tests
def make_epub(entries: dict[str, bytes | str], opf_extra: str = "") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


CONTAINER = ('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
              '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
              '</rootfiles></container>')


def opf(items: str, spine: str) -> str:
    return ('<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Gulls</dc:title>'
            '<dc:creator>A. Writer</dc:creator><dc:language>en</dc:language></metadata>'
            f'<manifest>{items}</manifest><spine>{spine}</spine></package>')


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"\x00\xff\x00\x00"  # one red pixel
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def image_epub() -> bytes:
    chapter = ('<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>1</title>'
               '</head><body><h1>Chapter 1: Gulls</h1><p>The gulls came back in <em>March</em>.</p>'
               '<p><img src="../images/gull.png" alt="A gull on a post"/></p><p>Nobody fed them.</p></body></html>')
    return make_epub({"mimetype": "application/epub+zip", "META-INF/container.xml": CONTAINER,
                  "OEBPS/content.opf": opf('<item id="c1" href="text/c1.xhtml" media-type="application/xhtml+xml"/>'
                                            '<item id="g" href="images/gull.png" media-type="image/png"/>',
                                            '<itemref idref="c1"/>'),
                  "OEBPS/text/c1.xhtml": chapter, "OEBPS/images/gull.png": png()})


def small_library(folder: Path) -> Path:
    """folder/lib: the seeds, an AO3 download and a story with a sidecar (three formats, two
    pairings, user metadata): what the cache and executor tests build."""
    import shutil

    lib = folder / "lib"
    lib.mkdir()
    for p in sorted(SEEDS.glob("*.txt")):
        shutil.copy(p, lib / p.name)
    shutil.copy(CASES / "ao3-download" / "input.html", lib / "ao3.html")
    shutil.copy(CASES / "sidecar-toml" / "input.txt", lib / "side.txt")
    shutil.copy(CASES / "sidecar-toml" / "input.meta.toml", lib / "side.meta.toml")
    return lib

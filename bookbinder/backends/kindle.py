"""The Kindle backends (AZW3, MOBI): BookPlan -> the EPUB bookbinder makes of it -> calibre's
`ebook-convert` -> the Kindle book's bytes.

bookbinder writes no Kindle format itself: calibre's converter is the one that Kindle readers
trust, and it is given the same EPUB `-o book.epub` makes, so the two books hold the same parts.
It runs as a program (found on PATH, which is the user's), in a temporary folder of its own that
is always removed, with a configuration folder of its own there (the user's calibre settings
are neither read nor changed), in a session of its own so that it and anything it starts are
stopped together when it takes longer than `TIMEOUT`. Without it, `missing` says in one line
what to install, and the build says so before any work (building.check_before_work).
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from typing import TYPE_CHECKING, Callable

from ..errors import BuildError

if TYPE_CHECKING:
    from . import Context, Output
    from ..compose import BookPlan

PROGRAM = "ebook-convert"
TIMEOUT = 600  # seconds: calibre converts a 200,000-word anthology in well under a minute here
INSTALL = ("install calibre (apt-get install calibre, brew install --cask calibre, or the installer at "
           "https://calibre-ebook.com/download), which provides it")


def missing(suffix: str) -> str | None:
    """None when this machine can make a `suffix` book; else one line saying what to install."""
    if shutil.which(PROGRAM) is None:
        return (f"--format {suffix}: calibre's {PROGRAM} makes the .{suffix} book, and it is not on this machine's "
                f"PATH; {INSTALL}")
    return None


def writer(suffix: str) -> Callable[[BookPlan, object, Context], Output]:
    """The backend's `write` for `suffix`: the plan's EPUB, converted."""
    def write(plan: BookPlan, options: object, ctx: Context) -> Output:
        from . import File, Output
        from .epub import write_epub

        return Output((File(suffix, convert(write_epub(plan, ctx.progress, ctx.executor), suffix)),))
    return write


def convert(epub: bytes, suffix: str, timeout: float = TIMEOUT) -> bytes:
    """The EPUB `epub` as a `suffix` ("azw3", "mobi") book, made by ebook-convert; BuildError in one
    line when it is missing, fails or takes longer than `timeout` seconds."""
    program = shutil.which(PROGRAM)
    if program is None:
        raise BuildError(missing(suffix))
    with tempfile.TemporaryDirectory(prefix="bookbinder-convert-") as folder:
        source, target = Path(folder, "book.epub"), Path(folder, f"book.{suffix}")
        source.write_bytes(epub)
        _run([program, str(source), str(target)], Path(folder), timeout)
        if not target.is_file():
            raise BuildError(f"{PROGRAM} made no .{suffix} book, and said no error")
        return target.read_bytes()


def _run(command: list[str], folder: Path, timeout: float) -> None:
    """Run the converter in `folder`; BuildError with its last line of output when it fails."""
    env = {**os.environ, "CALIBRE_CONFIG_DIRECTORY": str(folder / "calibre-config"), "CALIBRE_TEMP_DIR": str(folder),
           "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(command, cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise BuildError(f"{PROGRAM} took longer than {timeout:g} s and was stopped") from None
    except BaseException:  # interrupted: the converter goes too
        _stop(process)
        raise
    if process.returncode != 0:
        lines = [line for line in output.decode("utf-8", "replace").splitlines() if line.strip()]
        raise BuildError(f"{PROGRAM} failed (exit status {process.returncode}): {(lines or ['no output'])[-1][:200]}")


def _stop(process: subprocess.Popen) -> None:
    """The converter's whole session stopped (it may have started workers), and reaped."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.communicate()

"""The development corpus (tests/corpus): real files, scored with the shared scorer.

The figure may only go up: the run fails when it drops below tests/corpus/FLOOR (the real inputs)
or MADE_FLOOR (the files made here, golden cases). Without the shared scorer the test is skipped
on a developer's machine, and fails in CI (.ci/run sets BOOKBINDER_CI): a yardstick that silently
stops measuring is worse than none.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "corpus"
sys.path.insert(0, str(CORPUS))
from run import scorer_path  # noqa: E402


def _scorer() -> None:
    if scorer_path() is None:
        if os.environ.get("BOOKBINDER_CI"):
            pytest.fail("the shared scorer (../shared/eval/score.py or $BOOKBINDER_SCORER) is missing in CI")
        pytest.skip("the shared scorer (../shared/eval/score.py) is not beside the project")


@pytest.mark.parametrize("which", [[], ["--made"]], ids=["real-inputs", "made-here"])
def test_the_corpus_scores_at_least_the_recorded_figure(which: list[str]) -> None:
    _scorer()
    done = subprocess.run([sys.executable, str(CORPUS / "run.py"), "--check", *which], capture_output=True, text=True,
                          timeout=1800)
    lines = done.stdout.strip().splitlines()
    summary = next((line for line in reversed(lines) if line.startswith("score: ")), "")
    assert done.returncode == 0, f"{summary}\n{done.stderr[-2000:]}\n{done.stdout[-4000:]}"
    assert summary

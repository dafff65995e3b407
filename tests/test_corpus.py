"""The development corpus (tests/corpus): real files, scored with the shared scorer.

The figure may only go up: the run fails when it drops below tests/corpus/FLOOR.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "corpus"
sys.path.insert(0, str(CORPUS))
from run import scorer_path  # noqa: E402


@pytest.mark.skipif(scorer_path() is None, reason="the shared scorer (../shared/eval/score.py) is not beside the project")
def test_the_corpus_scores_at_least_the_recorded_figure() -> None:
    done = subprocess.run([sys.executable, str(CORPUS / "run.py"), "--check"], capture_output=True, text=True, timeout=900)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    assert done.returncode == 0, f"{summary}\n{done.stderr[-2000:]}\n{done.stdout[-4000:]}"
    assert summary.startswith("score: ")

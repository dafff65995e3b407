"""Property tests over mutated real inputs, for every reader (tests/fuzzing.py makes and checks them).

Only a BookbinderError may escape, the XHTML is well-formed, and no word of the input's visible
text is lost. The cases are derandomized so CI sees the same ones every run; benchmarks/fuzz.py
runs tens of thousands of fresh ones.
"""
from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fuzzing
from bookbinder.api import BuildOptions, build

KINDS = fuzzing.KINDS


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rng=st.randoms(use_true_random=False))
def test_mutated_inputs_read_safely_and_keep_every_word(kind: str, rng: random.Random, tmp_path: Path) -> None:
    case = fuzzing.case(rng, kind)
    problems = fuzzing.check(case.data, case.suffix, tmp_path)
    if problems:  # kept for whoever reads the failure
        kept = Path(tempfile.gettempdir()) / f"bookbinder-fuzz-failure{case.suffix}"
        kept.write_bytes(case.data)
        problems.append(f"input kept in {kept}")
    assert not problems, f"{kind}: {case.note}\n" + "\n".join(problems)


def test_books_of_mutated_inputs_pass_epubcheck(tmp_path: Path, epubcheck) -> None:
    """One mutated input of each kind, each bound alone and all together; EPUBCheck on every book."""
    folder = tmp_path / "in"
    folder.mkdir()
    inputs = []
    for n, kind in enumerate(sorted(fuzzing.SAMPLES)):
        case = fuzzing.case(random.Random(7919 + n), kind)
        path = folder / f"case-{kind}{case.suffix}"
        path.write_bytes(case.data)
        inputs.append(path)
    books = []
    for path in inputs:
        result = build([path], BuildOptions(out_dir=tmp_path / "single"))
        books += result.written
        # each input makes its book, or is refused in one line (a mutated PDF or Kindle book often is)
        refused = [e for e in result.errors if "\n" not in e.format_message()]
        assert len(result.written) + len(refused) == 1, (path, result.written, result.errors)
    result = build([folder], BuildOptions(out_dir=tmp_path / "all", title="Mutants"))
    books += result.written
    assert result.written and len(books) > len(fuzzing.SAMPLES) // 2, books
    reports = epubcheck(books)
    bad = {path: r for path, r in reports.items() if r["fatal"] or r["errors"] or r["warnings"]}
    assert not bad, bad

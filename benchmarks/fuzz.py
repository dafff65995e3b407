"""The long fuzz run: many mutated real inputs through every reader, on every core.

    python benchmarks/fuzz.py --cases 20000 --seconds 3600 [--seed 1] [--kinds text,html,...]

Each case is made from its number (`tests/fuzzing.case(Random(seed * 1_000_003 + n))`), so a
finding is reproduced by its number alone. A case fails when reading raises anything but a
BookbinderError, the XHTML cannot be made, a word of the input's visible text is lost, or it
takes more than --timeout seconds. Failing inputs are saved under benchmarks/out/fuzz/ with a
note of the edits that made them. Exit status 1 when anything failed.
"""
from __future__ import annotations

import argparse
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import fuzzing  # noqa: E402
from bookbinder.parallel import Crash, parallel_map  # noqa: E402

OUT = ROOT / "benchmarks" / "out" / "fuzz"
_OPTIONS: dict = {}


class _Slow(Exception):
    pass


def _alarm(signum, frame):
    raise _Slow


def run_case(number: int) -> tuple[int, str, list[str], str, bytes]:
    rng = random.Random(_OPTIONS["seed"] * 1_000_003 + number)
    made = fuzzing.case(rng, rng.choice(_OPTIONS["kinds"]))
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(_OPTIONS["timeout"])
    try:
        with tempfile.TemporaryDirectory() as folder:
            problems = fuzzing.check(made.data, made.suffix, Path(folder))
    except _Slow:
        problems = [f"slow: more than {_OPTIONS['timeout']} s"]
    finally:
        signal.alarm(0)
    return number, made.kind, problems, made.note, made.data if problems else b""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=3600)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--first", type=int, default=0, help="number of the first case")
    parser.add_argument("--timeout", type=int, default=60)
    parser.add_argument("--kinds", default=",".join(fuzzing.KINDS))
    args = parser.parse_args()
    _OPTIONS.update(seed=args.seed, timeout=args.timeout, kinds=args.kinds.split(","))
    OUT.mkdir(parents=True, exist_ok=True)
    start, kinds, failures, done = time.time(), Counter(), Counter(), 0
    numbers = range(args.first, args.first + args.cases)
    for number, result in zip(numbers, parallel_map(run_case, numbers, isolate=True)):
        if isinstance(result, Crash):
            kind, problems, note, data = "?", [f"worker died: {result.reason}"], "", b""
        else:
            _, kind, problems, note, data = result
        done += 1
        kinds[kind] += 1
        if problems:
            failures[f"{kind}: {problems[0].split(':')[0]}"] += 1
            suffix = fuzzing.SUFFIX.get(kind, ".bin")
            (OUT / f"{args.seed}-{number}{suffix}").write_bytes(data)
            (OUT / f"{args.seed}-{number}.note").write_text(f"{kind}\n{note}\n\n" + "\n".join(problems) + "\n")
            print(f"case {number} ({kind}): {problems[0][:300]}", flush=True)
        if done % 1000 == 0:
            print(f"{done} cases, {sum(failures.values())} failing, {time.time() - start:.0f} s", flush=True)
        if time.time() - start > args.seconds:
            print(f"time budget reached after {done} cases")
            break
    print(f"{done} cases in {time.time() - start:.0f} s: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    print(f"failing: {sum(failures.values())}" + (f" ({dict(failures)})" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

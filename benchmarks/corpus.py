"""Generate a corpus of N story files from the seeds, deterministically.

Each story is a seed with its names swapped (so pairings vary), its body lengthened or not,
and some written hard-wrapped or in cp1252, so the normalizer meets every layout it meets in
the seeds. `python benchmarks/corpus.py 200 benchmarks/corpus/200` writes 200 files.
"""
from __future__ import annotations

import random
import re
import sys
import textwrap
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
NAMES = [("Mark", "Sloan"), ("Lexie", "Grey"), ("Alex", "Karev"), ("Derek", "Shepherd"), ("Meredith", "Grey"),
         ("Cristina", "Yang"), ("Owen", "Hunt"), ("Callie", "Torres"), ("Arizona", "Robbins"), ("April", "Kepner"),
         ("Jackson", "Avery"), ("Izzie", "Stevens"), ("George", "O'Malley"), ("Addison", "Montgomery")]
SWAP = ["Mark", "Lexie", "Alex"]


def make_story(seed_text: str, rng: random.Random) -> str:
    cast = rng.sample(NAMES, 3)
    out = seed_text
    for old, (first, last) in zip(SWAP, cast):
        out = re.sub(rf"\b{old}\b", f"\x00{first}\x00", out)
        out = re.sub(rf"\b{old.lower()}\b", f"\x00{first.lower()}\x00", out)
    out = out.replace("\x00", "")
    if rng.random() < 0.5:  # a longer story: the body's paragraphs once more
        lines = out.split("\n")
        cut = len(lines) // 5
        out = "\n".join(lines[: len(lines) - cut] + lines[cut: len(lines) - cut] + lines[len(lines) - cut:])
    if rng.random() < 0.2:  # hard-wrapped, as a mail client or Gutenberg would
        out = "\n".join(textwrap.fill(line, 72) if len(line) > 72 else line for line in out.split("\n"))
    return out


def generate(n: int, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    seeds = sorted(SEEDS.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    paths = []
    for i in range(n):
        rng = random.Random(i)
        text = make_story(texts[i % len(texts)], rng)
        path = folder / f"story-{i:04d}.txt"
        if rng.random() < 0.15:
            path.write_bytes(text.encode("cp1252", errors="replace"))
        else:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def utf8_copies(paths: list[Path], folder: Path) -> list[Path]:
    """The same stories as UTF-8 files, for tools that read nothing else (pandoc)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for p in paths:
        data = p.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
        (folder / p.name).write_text(text, encoding="utf-8")
        out.append(folder / p.name)
    return out


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).parent / "corpus" / str(count)
    written = generate(count, target)
    print(f"{len(written)} stories in {target}")

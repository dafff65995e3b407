"""Small rules, one behaviour per test: typography, emphasis, decoding, fields, patterns, pairings."""
from __future__ import annotations

import pytest

from bookbinder.clean.emphasis import emphasize
from bookbinder.clean.names import canonical, infer
from bookbinder.clean.typography import smarten
from bookbinder.errors import InputError
from bookbinder.model import Metadata, Pairing, Span
from bookbinder.readers.decode import decode
from bookbinder.readers.fields import field_of, parse_date, parse_people, parse_status, parse_words
from bookbinder.readers.patterns import chapter_heading, is_marker


@pytest.mark.parametrize("raw, want", [
    ('"Hello," she said.', "“Hello,” she said."),
    ("'Tis the season", "’Tis the season"),
    ("rock 'n' roll in the '90s", "rock ’n’ roll in the ’90s"),
    ("the dogs' bowls", "the dogs’ bowls"),
    ("He said 'no' twice.", "He said ‘no’ twice."),
    ("wait--what", "wait—what"),
    ("I -- no", "I — no"),
    ("A - B", "A – B"),
    ("Well...", "Well…"),
    ('"I just said--"', "“I just said—”"),
    ("2-3 apples", "2-3 apples"),
])
def test_smarten(raw: str, want: str) -> None:
    assert smarten(raw) == want


def test_smarten_keeps_words_and_typos() -> None:
    text = "They why... if you'll give usa chance--a real chance. passes buy"
    assert smarten(text).replace("—", "--").replace("…", "...").replace("’", "'") == text


@pytest.mark.parametrize("raw, want", [
    ("I was _so_ tired", ("I was ", Span("em", ("so",)), " tired")),
    ("a *big* deal", ("a ", Span("em", ("big",)), " deal")),
    ("/really/ sad", (Span("em", ("really",)), " sad")),
    ("**bold** move", (Span("strong", ("bold",)), " move")),
    ("Mark/Lexie and/or citron_presse", ("Mark/Lexie and/or citron_presse",)),
    ("5 * 3 * 2", ("5 * 3 * 2",)),
    ("see http://a.b/c_d_e/ now", ("see ", "http://a.b/c_d_e/", " now")),
])
def test_emphasize(raw: str, want: tuple) -> None:
    assert emphasize(raw) == want


def test_decode_cp1252_is_guessed_and_reported() -> None:
    text, diags = decode("“Café” – naïve…\r\nline two\r\n".encode("cp1252"), "x.txt")
    assert text == "“Café” – naïve…\nline two\n"
    assert [d.code for d in diags] == ["encoding-guessed"]


def test_decode_shift_jis() -> None:
    text, _ = decode("夏の終わり。蝉の声が遠くなっていく。彼女は言った。".encode("shift_jis") * 3, "x.txt")
    assert text.startswith("夏の終わり。")


def test_decode_bom_cr_controls_nbsp() -> None:
    text, diags = decode("\ufeffA\u00a0b\x07c\rd\r\n".encode("utf-8"), "x.txt")
    assert text == "A bc\nd\n" and not diags


@pytest.mark.parametrize("data, problem", [(b"", "empty"), (b"  \n\n ", "empty"), (b"\x00\x01\x02binary\x00" * 50, "binary")])
def test_decode_refuses_bad_input(data: bytes, problem: str) -> None:
    with pytest.raises(InputError, match=problem) as err:
        decode(data, "story.txt")
    assert "story.txt" in str(err.value.format_message())


@pytest.mark.parametrize("key, field", [
    ("Character(s)/Pairing", "people"), ("Notes/Warnings", "notes"), ("Word Count", "stated_words"),
    ("show", "fandoms"), ("Author's Note", "notes"), ("Rating", "rating"), ("Chapter", None),
])
def test_field_of(key: str, field: str | None) -> None:
    assert field_of(key) == field


def test_parse_people_splits_characters_and_pairings() -> None:
    characters, pairings = parse_people("Mark, Alex, Mark/Alex, buffy & willow")
    assert characters == ["Mark", "Alex"]
    assert pairings == [Pairing(("Alex", "Mark"), "/"), Pairing(("Buffy", "Willow"), "&")]


def test_pairing_order_does_not_matter() -> None:
    assert Pairing.parse("Mark/Lexie") == Pairing.parse("Lexie / Mark")
    assert str(Pairing.parse("Lexie Grey & Mark Sloan")) == "Lexie Grey & Mark Sloan"


def test_short_names_join_full_names() -> None:
    meta = Metadata(characters=("Mark", "Mark Sloan", "Alex Karev"), pairings=(Pairing.parse("Mark/Alex"),))
    out = canonical(meta)
    assert out.characters == ("Mark Sloan", "Alex Karev")
    assert [str(p) for p in out.pairings] == ["Alex Karev/Mark Sloan"]


def test_infer_two_leads() -> None:
    text = " ".join(["Mark looked at Lexie.", "Then Lexie smiled at Mark Sloan.", "Derek left."] * 6)
    inferred = infer(text, Metadata())
    assert inferred.characters[:2] == ("Mark Sloan", "Lexie") or inferred.characters[:2] == ("Lexie", "Mark Sloan")
    assert [str(p) for p in inferred.pairings] == ["Lexie/Mark Sloan"]


def test_infer_nothing_from_a_story_without_names() -> None:
    assert infer("it was raining. nobody came. the end of the day was quiet.", Metadata()).pairings == ()


@pytest.mark.parametrize("text, iso", [
    ("Jan 20, 2012 13:21", "2012-01-20"), ("Posted on 2012-01-20", "2012-01-20"),
    ("20th January 2012", "2012-01-20"), ("Losing Grip", None), ("May I come in?", None),
])
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


def test_small_parsers() -> None:
    assert parse_words("1,234 words") == 1234 and parse_words("~2.5k") == 2500
    assert parse_status("Complete") == "complete" and parse_status("WIP") == "in-progress"


@pytest.mark.parametrize("line", ["*", "* * *", "***", "~~~", "xxx", "oOo", "-x-", "&&", "#", "---", "___",
                                  "~*~*~", "=====", "[line break]", "＊＊＊", "◇◇◇"])
def test_markers(line: str) -> None:
    assert is_marker(line)


@pytest.mark.parametrize("line", ["...", "…", "Okay.", "x", "I", "Oh", "?!", "No.", "XIV"])
def test_not_markers(line: str) -> None:
    assert not is_marker(line)


@pytest.mark.parametrize("line, parts", [
    ("Chapter 3", ("Chapter 3", None)), ("Chapter Three: The Storm", ("Chapter Three", "The Storm")),
    ("CHAPTER II.", ("CHAPTER II", None)), ("Part 2", ("Part 2", None)), ("Prologue", ("Prologue", None)),
    ("Epilogue - Ten Years Later", ("Epilogue", "Ten Years Later")), ("Chapter twenty-one", ("Chapter twenty-one", None)),
])
def test_chapter_headings(line: str, parts: tuple) -> None:
    assert chapter_heading(line) == parts


@pytest.mark.parametrize("line", ["Chapter and verse were his to quote, and he did, at length, every night.",
                                  "Part of her wanted to stay.", "The chapter closed."])
def test_not_chapter_headings(line: str) -> None:
    assert chapter_heading(line) is None


@pytest.mark.parametrize("disclaimer, fandoms", [
    ("I don't own Harry Potter. JK Rowling does.", ("Harry Potter",)),
    ("Disclaimer: I do not own Grey's Anatomy or any of its characters.", ("Grey's Anatomy",)),
    ("I don't own Buffy the Vampire Slayer.", ("Buffy the Vampire Slayer",)),
    ("Sadly, I don't own them.", ()),
])
def test_fandom_inferred_from_disclaimer(disclaimer: str, fandoms: tuple) -> None:
    from bookbinder.clean.names import disclaimed_fandoms
    from bookbinder.model import Note, Paragraph

    assert disclaimed_fandoms(Metadata(notes=(Note((Paragraph((disclaimer,)),), "Disclaimer"),))) == fandoms


@pytest.mark.parametrize("sample, english", [
    ("She knew that he was there, and she wanted to tell him what it was like to be alone in the house. " * 3, True),
    ("Elle savait qu'il était là, et elle voulait lui dire ce que c'était d'être seule dans la maison. " * 3, False),
    ("Sie wusste, dass er da war, und sie wollte ihm sagen, wie es war, allein im Haus zu sein. " * 3, False),
    ("Sabía que él estaba allí y quería decirle lo que era estar sola en la casa. " * 3, False),
])
def test_plainly_english_fast_path(sample: str, english: bool) -> None:
    from bookbinder.clean import is_plainly_english

    assert is_plainly_english(sample) is english


def test_language_detected_when_not_english() -> None:
    from bookbinder.clean import detect_language
    from bookbinder.model import Chapter, Paragraph, Story

    text = "Elle savait qu'il était là, et elle voulait lui dire ce que c'était d'être seule dans la maison."
    story = Story("x.txt", Metadata(), (Chapter(None, (Paragraph((text,)),)),))
    assert detect_language(story).meta.language == "fr"


def test_format_characters_are_dropped_as_unicode_defines_them() -> None:
    """The word oracle skips invisible format characters (Cf) by looking at distinct characters only."""
    import sys
    import unicodedata

    from bookbinder.accounting import _without_format_characters

    every_cf = "".join(chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf")
    text = "soft\u00adhyphen zero\u200bwidth café 第一章 " + every_cf + " end"
    assert _without_format_characters(text) == "".join(c for c in text if unicodedata.category(c) != "Cf")
    assert _without_format_characters("plain ascii") == "plain ascii"

"""Quotation marks and spacing by language (issue 24): the straight quotes a story was typed with
become its language's marks (`typography.QUOTES`); each language has a golden case,
tests/cases/quotes-<tag>. These are the edges a golden case does not show."""
from __future__ import annotations

import pytest

from bookbinder.clean.typography import QUOTES, quotes_for, smarten


def test_a_language_is_found_by_its_tag_then_its_language_else_english() -> None:
    assert quotes_for("pt-PT") is QUOTES["pt-pt"] and quotes_for("de_AT") is QUOTES["de"]
    assert quotes_for(None) is QUOTES["en"] and quotes_for("tlh") is QUOTES["en"]


def test_french_spaces_its_high_punctuation_and_leaves_times_and_addresses() -> None:
    said = smarten('"Pourquoi?!" Voilà: rien; 10:30 à http://exemple.fr', "fr")
    assert said == "«\u00a0Pourquoi\u202f?!\u00a0» Voilà\u00a0: rien\u202f; 10:30 à http://exemple.fr"


def test_an_apostrophe_stays_an_apostrophe_where_no_single_quote_is_open() -> None:
    assert smarten("Hans' Buch und 's Haus", "de") == "Hans’ Buch und ’s Haus"
    assert smarten("Er sagt 'Komm'.", "de") == "Er sagt ‚Komm‘."


def test_curly_marks_the_author_typed_are_theirs() -> None:
    assert smarten("„Schon gut“, sagte sie.", "fr") == "„Schon gut“, sagte sie."


@pytest.mark.parametrize("language", sorted(QUOTES))
def test_noncharacters_in_a_hostile_text_are_left_for_xmlsafe(language: str) -> None:
    """The rules mark the quotes they decide with noncharacters; a text holding them keeps its own."""
    text = '\ufdd0"a" \ufdd3\'b\''
    out = smarten(text, language)
    assert out.count("\ufdd0") == 1 and out.count("\ufdd3") == 1 and '"' not in out

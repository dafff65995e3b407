"""Properties over generated stories: any text in, well-formed XHTML out, no word of it lost."""
from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from bookbinder.clean import clean
from bookbinder.errors import InputError
from bookbinder.readers.decode import clean_text
from bookbinder.readers.text import read_text
from bookbinder.render import render_story, serialize

from conftest import words

WORD = st.text(alphabet=st.characters(categories=("L", "N"), max_codepoint=0x30FF), min_size=1, max_size=9)
PUNCT = st.sampled_from(["", "", ".", ",", "!", "?", "...", '"', "'", "--", " - ", "*", "_", "/", ":", "…"])
LINE = st.lists(st.tuples(WORD, PUNCT), min_size=1, max_size=30).map(
    lambda ws: " ".join(w + p for w, p in ws))
FURNITURE = st.sampled_from(["* * *", "~~~", "xxx", "Chapter 2", "A/N: thanks", "Tags: pairing: a/b", "The End",
                             "Summary: a story", "Title: Something", "Previous post Next post", "Please review!",
                             "Author's Note: hi", "Rating: PG", "Jan 20, 2012 13:21", "---", "I.", "CONTENTS"])
GAP = st.sampled_from(["\n", "\n\n", "\n\n\n", "\n\n\n\n", "\r\n\r\n", "\r", "\n \n"])
STORY = st.lists(st.tuples(st.one_of(LINE, LINE, LINE, FURNITURE), GAP), min_size=1, max_size=25).map(
    lambda parts: "".join(text + gap for text, gap in parts))
ANY_TEXT = st.text(max_size=400)


def _document(text: str):
    """(story, XHTML root), or (None, None) when the text is refused as holding no story."""
    try:
        story = clean(read_text(clean_text(text), "generated.txt"))
    except InputError as exc:
        assert "generated.txt: holds no story text" in exc.format_message()
        return None, None
    root = etree.fromstring(serialize(render_story(story)))
    return story, root


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(STORY)
def test_story_shaped_text_keeps_every_word(text: str) -> None:
    story, root = _document(text)
    if story is None:
        return
    have = Counter(words(" ".join(root.itertext()))) + Counter(words(" ".join(d.text for d in story.diagnostics)))
    lost = Counter(words(clean_text(text))) - have
    assert not lost, lost


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_any_text_gives_wellformed_xhtml(text: str) -> None:
    if not clean_text(text).strip():
        return
    story, root = _document(text)
    if story is None:
        return
    assert root.tag == "{http://www.w3.org/1999/xhtml}html" and root.get("lang")
    chapters = root.findall(".//{http://www.w3.org/1999/xhtml}section[@role='doc-chapter']")
    assert chapters, "every story has at least one chapter section"
    have = Counter(words(" ".join(root.itertext()))) + Counter(words(" ".join(d.text for d in story.diagnostics)))
    assert not Counter(words(clean_text(text))) - have


@settings(max_examples=200, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=8))
def test_batched_typography_equals_one_paragraph_at_a_time(texts: list[str]) -> None:
    from bookbinder.clean import _blocks
    from bookbinder.clean.typography import smarten, tidy_spaces
    from bookbinder.model import Paragraph

    paragraphs = [Paragraph((tidy_spaces(t),)) for t in texts if tidy_spaces(t)]
    batched = [p.inlines[0] for p in _blocks(paragraphs)]
    assert batched == [smarten(p.inlines[0]) for p in paragraphs]


# ------------------------------------------------------------------ one name per fandom (group keys)
_NAME = st.text(alphabet=st.sampled_from(list("abcdeéGMLxyz '’-–") + [" "]), min_size=1, max_size=30)


@settings(max_examples=300, deadline=None)
@given(_NAME)
def test_fold_ignores_the_spelling_habits_of_one_name(name: str) -> None:
    """Straight or curly apostrophes, case, accents, dashes and AO3's "(TV)" never make two groups."""
    from bookbinder.clean.names import fold

    key = fold(name)
    assert fold(key) == key                                   # a key is its own key
    assert fold(name.upper()) == key and fold(name.lower()) == key
    assert fold(name.replace("'", "\u2019")) == key == fold(name.replace("\u2019", "'"))
    assert fold(name.replace("\u2013", "-")) == key
    assert fold(name.replace("é", "e")) == key
    assert fold(name + " (TV)") == key

"""The site layouts of issue 22 (readers/sites): each claims its own site's pages and no other's,
a page that lost its story element is read as a plain page, and each reads its site's habits."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html, etree

from bookbinder.readers import read_data
from bookbinder.readers.html import parse_page
from bookbinder.readers.sites import of_kind

import fuzzing
from conftest import CASES

# Each case made in a site's markup, and the layout that must claim it.
OWN = {"ffnet-chapter-page": "fanfiction.net", "fictionpress-oneshot": "fanfiction.net",
       "royalroad-chapter": "Royal Road", "xenforo-reader": "XenForo forums",
       "dreamwidth-entry": "Dreamwidth and LiveJournal", "livejournal-entry": "Dreamwidth and LiveJournal",
       "ao3-work-page": "Archive of Our Own", "fanficfare-html": "FanFicFare"}
# The element holding each new site's story text: a saved page without it is no page of that site.
STORY = {"ffnet-chapter-page": "storytext", "fictionpress-oneshot": "storytext", "royalroad-chapter": "chapter-content",
         "xenforo-reader": "bbWrapper", "dreamwidth-entry": "entry-content", "livejournal-entry": "b-singlepost-body"}
NEW = {"fanfiction.net", "Royal Road", "XenForo forums", "Dreamwidth and LiveJournal"}
HTML_CASES = sorted(p.name for p in CASES.iterdir() if (p / "input.html").exists())


def _claims(data: bytes) -> list[str]:
    page = parse_page(data.decode("utf-8"), "x.html")
    return [layout.site for layout in of_kind("html") if layout.matches(page)]


@pytest.mark.parametrize("case", HTML_CASES)
def test_a_page_is_claimed_by_its_own_layout_only(case: str) -> None:
    claims = set(_claims((CASES / case / "input.html").read_bytes()))
    if case in OWN:
        assert claims == {OWN[case]}
    else:  # the older layouts' own cases, plain pages: none of issue 22's layouts claims them
        assert not claims & NEW


@pytest.mark.parametrize("case", sorted(STORY))
def test_a_page_without_its_story_element_is_read_as_a_plain_page(case: str, tmp_path: Path) -> None:
    root = lxml_html.document_fromstring((CASES / case / "input.html").read_bytes())
    for el in [e for e in root.iter() if isinstance(e.tag, str) and (e.get("id") == STORY[case]
                                                                     or STORY[case] in (e.get("class") or "").split())]:
        el.drop_tree()
    data = etree.tostring(root, encoding="utf-8", method="html")
    assert OWN[case] not in _claims(data)
    assert not fuzzing.check(data, ".html", tmp_path)  # read, and every word kept (the fuzzer's accounting)


def _read(case: str):
    return read_data((CASES / case / "input.html").read_bytes(), f"{case}.html")


def test_fanfiction_net_info_line_pairing_genres_and_relative_date() -> None:
    story = _read("ffnet-chapter-page")
    meta = story.meta
    assert (meta.rating, meta.status, meta.fandoms) == ("T", "complete", ("Grey's Anatomy",))
    assert [str(p) for p in meta.pairings] == ["Lexie G./Mark S."] and "Callie T." in meta.characters
    assert meta.tags == ("Romance", "Hurt/Comfort") and meta.url == "https://www.fanfiction.net/s/9876543/1/"
    assert story.chapters[0].title == "The Storm"
    # "Published: 3h ago": the date from the page's epoch seconds; fictionpress's breadcrumb is a genre
    oneshot = _read("fictionpress-oneshot").meta
    assert oneshot.published == "2024-03-09" and oneshot.fandoms == () and "General" in oneshot.tags


def test_a_notes_paragraph_at_the_top_of_a_post_does_not_carry_the_story_away() -> None:
    page = ("<div id=profile_top><b class=xcontrast_txt>T</b><span class='xgray'>Rated: Fiction K - English</span>"
            "</div><div id=storytext><p>A/N: thanks for reading!</p><p>The rain had not stopped for three days, "
            "and the river was over the road.</p><p>She waited by the window until it was dark.</p></div>")
    story = read_data(page.encode(), "p.html")
    assert [n.text for n in story.meta.notes] == ["thanks for reading!"]
    assert story.body_text.startswith("The rain had not stopped")


def test_royal_road_hidden_anti_theft_line_and_author_notes() -> None:
    story = _read("royalroad-chapter")
    assert "misappropriated" not in story.body_text
    assert any(d.code == "cruft-dropped" and "Royal Road" in d.text for d in story.diagnostics)
    chapter = story.chapters[0]
    assert [n.label for n in chapter.notes + chapter.end_notes] == ["A note from Marisol Vane"] * 2


def test_xenforo_threadmarks_are_chapters_and_replies_are_dropped() -> None:
    story = _read("xenforo-reader")
    assert [c.title for c in story.chapters] == ["The Long Wick", "Oil and Ash"]
    assert story.meta.status == "complete" and "Complete" not in story.meta.tags
    assert "Click to expand" not in story.body_text and "Discord" not in story.body_text
    assert story.chapters[1].notes  # a later threadmark's A/N is its chapter's


def test_journal_keyed_tags_and_the_posts_own_title() -> None:
    meta = _read("dreamwidth-entry").meta
    assert meta.title == "Small Hours" and meta.fandoms == ("Grey's Anatomy",)
    assert [str(p) for p in meta.pairings] == ["Lexie/Mark"] and meta.rating == "PG-13"
    assert _read("livejournal-entry").meta.rating == "G"

"""Web pages no site layout claims: what they declare, where their text is, and no word lost."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from bookbinder.accounting import missing_words
from bookbinder.errors import InputError
from bookbinder.pipeline import load_story
from bookbinder.readers import webpage
from bookbinder.readers.declared import Declared, read_declared
from bookbinder.readers.html import block_text, decode_html, parse_page
from bookbinder.readers.page import read_html
from bookbinder.readers.webfields import page_fields, strip_site

from conftest import CASES, words

STORY = ["Lexie folded the first crane on the night shift, out of a discharge form nobody would miss.",
         '"What are you doing?" Mark asked from the doorway, a coffee in each hand.',
         '"Practising."',
         "By morning there were forty of them lined up along the nurses' station like a small white flock.",
         "Nobody asked who had made them, because everybody knew, and nobody said a word about it."]
CHROME = {"header": '<div class="site-header"><p><a href="/">Night Shift Fics</a> | <a href="/a">Archive</a></p></div>',
          "sidebar": '<aside class="widget-area"><h2>Recent posts</h2><ul><li><a href="/1">The Locker</a></li>'
                     '<li><a href="/2">Paper Cranes</a></li></ul></aside>',
          "comments": '<div id="comments"><div class="comment"><p>reader said: I loved the cranes so much, '
                      'please write more of these two!</p></div></div>',
          "footer": '<footer><p>Copyright 2014 Night Shift Fics. <a href="/privacy">Privacy</a></p></footer>'}


def _page(markup: str):
    text, _ = decode_html(markup.encode("utf-8"), "page.html")
    return parse_page(text, "page.html")


def _declared(head: str) -> Declared:
    return read_declared(lxml_html.document_fromstring(f"<html><head>{head}</head><body><p>x</p></body></html>"))


def _ld(data) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_jsonld_headline_and_people_not_organizations() -> None:
    found = _declared(_ld({"@graph": [{"@type": "WebSite", "name": "Fics"}, {
        "@type": ["BlogPosting"], "headline": "The Locker", "name": "slug-2",
        "author": [{"@type": "Person", "name": "Meredith"}, {"@type": "Organization", "name": "Fics Ltd"}],
        "publisher": {"@type": "Organization", "name": "Fics Ltd"}, "datePublished": "2015-07-09",
        "inLanguage": {"name": "en-US"}}]}))
    assert found.ld_titles == ("The Locker", "slug-2") and found.authors == ("Meredith",)
    assert found.site_names == ("Fics Ltd",) and found.published == "2015-07-09" and found.language == "en-US"
    assert found.article


@pytest.mark.parametrize("script", [
    "{ not json", "[]", "null", '"a string"', "1e999", '{"@type": 5, "headline": ["x", {"deep": 1}]}',
    "[" * 5000 + "]" * 5000,                     # deeper than json will go: RecursionError, ignored
    json.dumps([{"@type": "Article"}] * 50000),  # more objects than the walk will look at
    '{"headline": "' + "x" * 300_000 + '"}',     # longer than a real script: skipped
])
def test_jsonld_of_any_shape_is_read_defensively(script: str) -> None:
    found = _declared(f'<script type="application/ld+json">{script}</script>')
    assert found.authors == () and all(len(t) <= 500 for t in found.titles)


def test_mangled_utf8_in_the_head_is_repaired() -> None:
    found = _declared('<meta property="og:title" content="L\u00e2\u0080\u0099\u00c3\u00a9valuation">')
    assert found.og_title == "L\u2019\u00e9valuation"


@pytest.mark.parametrize("title, sites, expected", [
    ("Forty of Them \u2013 Lexie's Drabble Blog", ("Lexie's Drabble Blog",), "Forty of Them"),
    ("Uncork the mystery | DW | 10.06.2013", ("DW.COM",), "Uncork the mystery"),
    ("What is Rust? - Stack Overflow Blog", ("Stack Overflow Blog",), "What is Rust?"),
    ("Hating Millennials - the prejudice you're allowed to boast about", ("Boing Boing",),
     "Hating Millennials - the prejudice you're allowed to boast about"),
    ("Ein Albtraum - DER SPIEGEL 52/2018", (), "Ein Albtraum - DER SPIEGEL 52/2018"),
])
def test_the_site_name_leaves_a_title(title: str, sites: tuple, expected: str) -> None:
    assert strip_site(title, sites) == expected


@pytest.mark.parametrize("authors, sites, byline, expected", [
    (("Ediciones El País",), ("EL PAÍS",), None, []),            # the publisher
    (("Deutsche Welle (www.dw.com)",), ("DW.COM",), None, []),
    (("@NatGeoUK", "https://facebook.com/x"), (), "Michael Hingston", ["Michael Hingston"]),
    ((), ("Daniel Lemire's blog",), "Daniel Lemire A computer science professor", ["Daniel Lemire"]),
    (("Florence Audier",), ("La Vie des idées",), None, ["Florence Audier"]),
])
def test_an_author_is_a_person_not_the_site(authors, sites, byline, expected) -> None:
    body = lxml_html.fragment_fromstring("<div><p>text</p></div>")
    assert page_fields(Declared(authors=authors, site_names=sites), body, byline).authors == expected


def test_a_blog_post_loses_its_furniture_but_no_word_of_its_text() -> None:
    markup = (f"<html><head><title>Paper Cranes | Night Shift Fics</title></head><body>{CHROME['header']}"
              f"<div class='post'><h1>Paper Cranes</h1>{''.join(f'<p>{p}</p>' for p in STORY)}{CHROME['comments']}"
              f"</div>{CHROME['sidebar']}{CHROME['footer']}</body></html>")
    story = read_html(markup.encode("utf-8"), "post.html")
    assert Counter(words(story.body_text)) == Counter(words(" ".join(STORY)))
    dropped = " ".join(d.text for d in story.diagnostics if d.code == "cruft-dropped")
    for part in ("Recent posts", "I loved the cranes", "Privacy", "Archive"):
        assert part in dropped
    assert story.meta.title == "Paper Cranes"


def test_epub_documents_and_markdown_never_meet_the_extractor(monkeypatch, tmp_path: Path) -> None:
    def refuse(*_args):
        raise AssertionError("the web page extractor ran")

    monkeypatch.setattr(webpage, "_extract", refuse)
    load_story(CASES / "ao3-epub" / "input.epub")
    load_story(CASES / "markdown-chapters" / "input.md")
    load_story(CASES / "gutenberg-html" / "input.html")


SENTENCE = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=9), min_size=1,
                    max_size=25).map(lambda ws: " ".join(ws).capitalize() + ".")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SENTENCE, min_size=1, max_size=12), st.lists(st.sampled_from(sorted(CHROME)), max_size=4),
       st.booleans())
def test_every_word_of_a_page_is_kept_or_reported(paragraphs, chrome, article) -> None:
    inner = "".join(f"<p>{p}</p>" for p in paragraphs)
    main = f"<article>{inner}</article>" if article else f"<div class='entry'>{inner}</div>"
    parts = [CHROME[c] for c in chrome]
    markup = f"<html><body>{''.join(parts[:1])}{main}{''.join(parts[1:])}</body></html>"
    try:
        story = read_html(markup.encode("utf-8"), "generated.html")
    except InputError:
        return
    page = lxml_html.document_fromstring(markup)
    assert not missing_words(block_text(page.find("body")), story)

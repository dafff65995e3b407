"""Issue 10's rules, each named for the house habit it reads, each with a small golden case."""
from __future__ import annotations

from bookbinder.accounting import missing_words
from bookbinder.readers import read_data

from conftest import words


def body(story) -> str:
    return story.body_text


def plain_text(block) -> str:
    return block.text


def codes(story) -> list[str]:
    return [d.code for d in story.diagnostics]


# -- fanfiction.net: a chapter that ends by asking for reviews
FFN = """Chapter 1

A/N: Thanks for all the reviews!

The rain had not stopped for three days.

"Review the evidence," she said, and he did.

Now. Review! Press that little button, it makes me write faster.

Chapter 2

They met again in spring.

Please review and tell me what you think!
"""


def test_fanfiction_net_review_pleas_move_to_notes_and_dialogue_stays() -> None:
    story = read_data(FFN.encode(), "ffn.txt")
    text = body(story)
    assert "Press that little button" not in text and "Please review" not in text
    assert "Review the evidence" in text and "They met again in spring." in text
    ends = [plain_text(b) for n in (*story.meta.end_notes, *(n for c in story.chapters for n in c.end_notes))
            for b in n.blocks]
    assert any("Press that little button" in e for e in ends) and any("Please review" in e for e in ends)
    assert "note-moved" in codes(story)
    assert not missing_words(FFN, story)


# -- AO3's download preface: related works are notes, never story
AO3_RELATED = """<html><body><div id="preface"><h2 class="toc-heading">Preface</h2>
<p class="message"><b>T</b><br/>Posted originally on the <a href="https://archiveofourown.org/">Archive of Our Own</a> at <a href="https://archiveofourown.org/works/1">https://archiveofourown.org/works/1</a>.</p>
<div class="meta"><dl class="tags"><dt>Rating:</dt><dd><a href="#">General Audiences</a></dd>
<dt>Stats:</dt><dd>Published: 2019-01-01 Words: 9 Chapters: 1/1</dd></dl>
<h1>T</h1><div class="byline">by <a rel="author" href="#">someone</a></div>
<ul><li>Translation into Русский available: <a href="#">Т</a> by <a href="#">kto</a></li>
<li>Inspired by <a href="#">Another Work</a> by <a href="#">else</a></li></ul></div></div>
<div id="chapters" class="userstuff"><h2 class="toc-heading">T</h2><div class="userstuff">
<p>The story opens here and ends here.</p></div></div>
<div id="afterword"><h2 class="toc-heading">Afterword</h2>
<p class="message">Please <a href="#">drop by the Archive and comment</a> to let the creator know if you enjoyed their work!</p></div>
</body></html>"""


def test_ao3_related_works_become_notes() -> None:
    story = read_data(AO3_RELATED.encode(), "w.html")
    assert words(body(story)) == words("The story opens here and ends here.")
    notes = [plain_text(b) for n in story.meta.notes for b in n.blocks]
    assert any("Translation into Русский available" in n for n in notes)
    assert any("Inspired by Another Work" in n for n in notes)
    assert story.meta.authors == ("someone",)


# -- FanFicFare: each chapter's <div> opens with the site's own heading under FanFicFare's <h2>,
#    which stays a heading, not story text
FFF = """<html><body>
<h1><a href="http://test1.com?sid=1">A Story</a> by <a class='authorlink' href='http://a'>Someone</a></h1>
<table class="full"><tr><td><b>Rating:</b></td><td>Teen</td></tr></table>
<a name="section0001"><h2>The Lake</h2></a>
<div>
<h3>Chapter One: Water</h3>
<p>The lake was cold.</p>
Lorem in a br paragraph<br/><br/>
<br/><br/><br/><br/>
After a run of br.
<hr/>
After the rule.
</div>
</body></html>"""


def test_fanficfare_site_heading_stays_a_heading() -> None:
    story = read_data(FFF.encode(), "fff.html")
    (chapter,) = story.chapters
    kinds = [type(b).__name__ for b in chapter.blocks]
    assert kinds == ["Heading", "Paragraph", "Paragraph", "SceneBreak", "Paragraph", "SceneBreak", "Paragraph"]
    assert chapter.blocks[0].text == "Chapter One: Water"
    assert story.scene_breaks == 2  # the rule, and the wide gap of five <br/>


# -- FanFicFare's TXT output (writer_txt) is the same story as its HTML and EPUB
def test_fanficfare_txt_html_and_epub_give_one_story() -> None:
    from pathlib import Path

    made = Path(__file__).parent / "corpus" / "made"
    stories = [read_data((made / f"fanficfare-83.{ext}").read_bytes(), f"f.{ext}") for ext in ("txt", "html", "epub")]
    txt, html, epub = (s.meta for s in stories)
    for field in ("title", "authors", "rating", "warnings", "fandoms", "pairings", "status", "published", "updated",
                  "stated_words", "tags"):
        assert getattr(txt, field) == getattr(html, field) == getattr(epub, field), field
    assert words(" ".join(b.text for b in txt.summary)) == words(" ".join(b.text for b in html.summary))
    assert [c.heading for c in stories[0].chapters] == [c.heading for c in stories[1].chapters]
    assert stories[0].scene_breaks == stories[1].scene_breaks
    assert not any("Packaged" in c.blocks[0].text for c in stories[0].chapters if c.blocks)
    assert "layout-recognized" in codes(stories[0])


# -- AO3's PDF download, as pdftotext gives it (plain and -layout): the model of the HTML download
def test_text_of_an_ao3_pdf_reads_as_the_ao3_download() -> None:
    from pathlib import Path

    made = Path(__file__).parent / "corpus" / "made"
    html = read_data((made / "ao3-chaptered.html").read_bytes(), "w.html")
    for name in ("ao3-chaptered.pdf.txt", "ao3-chaptered.layout.txt"):
        text = read_data((made / name).read_bytes(), name)
        for field in ("title", "authors", "rating", "warnings", "categories", "fandoms", "pairings", "characters",
                      "tags", "series", "status", "published", "updated", "stated_words", "language"):
            assert getattr(text.meta, field) == getattr(html.meta, field), (name, field)
        assert [c.heading for c in text.chapters] == [c.heading for c in html.chapters]
        assert words(" ".join(b.text for b in text.meta.summary)) == words(" ".join(b.text for b in html.meta.summary))
        assert [len(c.notes) for c in text.chapters] == [len(c.notes) for c in html.chapters]
        assert [len(c.end_notes) for c in text.chapters] == [len(c.end_notes) for c in html.chapters]
        assert [words(c.summary[0].text) if c.summary else [] for c in text.chapters] == \
               [words(c.summary[0].text) if c.summary else [] for c in html.chapters]
        body = text.body_text
        assert "Posted originally" not in body and "Chapter End Notes" not in body and "Please drop by" not in body
        assert body.split()[:8] == html.body_text.split()[:8]
        assert abs(len(words(body)) - len(words(html.body_text))) <= 0.01 * len(words(html.body_text))

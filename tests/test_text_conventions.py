"""The writing conventions of the sites and archives stories come from, read right (issue 10's rules):
fanfiction.net's review pleas, AO3's preface and PDF text, FanFicFare's layouts, Project Gutenberg's
and Aozora Bunko's title pages and notes, chapter headings in other languages; each with a small case."""
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


# -- Project Gutenberg, the 1990s: a centred title page (title, author's name, edition), chapters
#    "CHAPTER I" with the title on the next line, poems set off by extra blank lines, a song
#    announced by a colon, and a three-line star block as the one break
GUTENBERG_1990S = """


                ALICE'S ADVENTURES IN WONDERLAND

                          Lewis Carroll

               THE MILLENNIUM FULCRUM EDITION 2.9




                            CHAPTER I

                      Advice from a Caterpillar


  The Caterpillar and Alice looked at each other for some time in
silence: at last the Caterpillar took the hookah out of its mouth.

  `Repeat, "YOU ARE OLD, FATHER WILLIAM,"' said the Caterpillar.


    `You are old, Father William,' the young man said,
      `And your hair has become very white;'


  `That is not said right,' said the Caterpillar, and it sang:--


`"Will you walk a little faster?" said a whiting to a snail.
"There's a porpoise close behind us, and he's treading on my tail.'


  It was all very well to say `Drink me,' but the wise little Alice
was not going to do THAT in a hurry.

     *       *       *       *       *       *       *

         *       *       *       *       *       *

     *       *       *       *       *       *       *

  `What a curious feeling!' said Alice.

                            CHAPTER II

                        Who Stole the Tarts?


  The King and Queen of Hearts were seated on their throne.

                             THE END
"""


def test_gutenberg_1990s_title_page_chapters_verse_and_star_block() -> None:
    story = read_data(GUTENBERG_1990S.encode(), "alice.txt")
    assert story.meta.authors == ("Lewis Carroll",)
    assert [c.title for c in story.chapters] == ["Advice from a Caterpillar", "Who Stole the Tarts?"]
    assert story.body_text.startswith("The Caterpillar and Alice")
    assert story.scene_breaks == 1  # the star block; the space around verse and after "sang:--" is not a break
    assert "MILLENNIUM" in " ".join(b.text for n in story.meta.notes for b in n.blocks)
    assert not missing_words(GUTENBERG_1990S, story)


# -- Project Gutenberg etexts of 1999-2001: "*END*THE SMALL PRINT!" ends the header, the title and
#    author come from "The Project Gutenberg Etext of X by Y"; Japanese texts indent paragraphs with
#    a full-width space after an English title page and a digitizer's note; errata follow THE END
ETEXT_1999 = ("The Project Gutenberg Etext of Rashomon by AKUTAGAWA Ryunosuke\r\r"
              "Copyright laws are changing all over the world.\r\r"
              "*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*\r\r\r"
              "RASHOMON\rBy AKUTAGAWA Ryunosuke\r\rA note from the digitizer\r\r"
              "The text was taken from a 1917 edition.\r\r\r"
              "羅生門\r\r芥川龍之介\r\r"
              "\u3000或日の暮方の事である。一人の下人が、羅生門の下で雨やみを待っていた。広い門\r"
              + "の下には、この男の外に誰もいない。ただ、所々丹塗の剥げた、大きな円柱に、きりぎ\r" * 30 +
              "りすが一匹とまっている。\r"
              "\u3000下人は、既に、雨を冒して、京都の町へ強盗を働きに急いでいた。\r"
              "--(THE END)--\r[A: Insitent]\r[B: The original had the character,\r    sans description]\r")


def test_gutenberg_etext_of_1999_with_japanese_text_and_errata() -> None:
    data = ETEXT_1999.encode("shift_jis")
    story = read_data(data, "rashomon.txt")
    assert (story.meta.title, story.meta.authors) == ("Rashomon", ("AKUTAGAWA Ryunosuke",))
    assert story.body_text.startswith("或日の暮方の事である。")
    assert story.body_text.rstrip().endswith("急いでいた。")
    assert len(story.chapters[0].blocks) == 2 and story.scene_breaks == 0
    notes = " ".join(b.text for n in (*story.meta.notes, *story.meta.end_notes) for b in n.blocks)
    assert "digitizer" in notes and "Insitent" in notes and "sans description" in notes
    assert "Copyright laws" not in story.body_text


# -- an etext with no licence: its name line, a title page, then a contents list (never chapters)
ETEXT_CONTENTS = """The Project Gutenberg Etext of LOC WORKSHOP ON ELECTRONIC TEXTS

                      WORKSHOP ON ELECTRONIC TEXTS

                               PROCEEDINGS

                          Edited by James Daly

               ***   ***   ***   ******   ***   ***   ***

                            TABLE OF CONTENTS

Acknowledgements

Proceedings
   Welcome
      Prosser Gifford and Carl Fleischhauer

   Session I.  Content in a New Form:  Who Will Use It and What Will They Do?
      James Daly (Moderator)
         Discussion

               ***   ***   ***   ******   ***   ***   ***

I would like to thank Carl Fleischhauer and Prosser Gifford for the
opportunity to learn about areas of human activity unknown to me. The help
given by others is acknowledged on a separate page.

*End of The Project Gutenberg Etext of LOC WORKSHOP ON ELECTRONIC ETEXTS
"""


def test_a_contents_list_after_a_title_page_is_never_chapters() -> None:
    story = read_data(ETEXT_CONTENTS.encode(), "lcet10.txt")
    assert len(story.chapters) == 1
    assert story.body_text.startswith("I would like to thank")
    assert "contents-dropped" in codes(story) and "front-matter-moved" in codes(story)
    assert story.meta.title in {"LOC WORKSHOP ON ELECTRONIC TEXTS", "WORKSHOP ON ELECTRONIC TEXTS"}


def test_fanficfare_txt_without_its_contents_page() -> None:
    from pathlib import Path

    text = (Path(__file__).parent / "corpus" / "made" / "fanficfare-1001.txt").read_text(encoding="utf-8")
    start, end = text.index("TABLE OF CONTENTS"), text.index("        Prologue")
    bare = text[:start] + text[end:]  # FanFicFare with include_tocpage: false
    with_toc, without = read_data(text.encode(), "a.txt"), read_data(bare.encode(), "b.txt")
    assert [c.heading for c in without.chapters] == [c.heading for c in with_toc.chapters] == ["Prologue", "The Lake", "The Pool"]
    assert without.meta == with_toc.meta
    assert without.body_text == with_toc.body_text


# -- AO3 and fanfiction.net writers who open each section with a bold or underlined label
LABELLED_SECTIONS = """<html><body><div class="userstuff">
<p>The hospital was quiet for once.</p>
<p>Lexie counted the ceiling tiles.</p>
<p><u>Three weeks later</u></p>
<p>Mark brought coffee. She did not drink it.</p>
<p><strong>MEREDITH</strong></p>
<p>Meredith watched them both from the stairs.</p>
<p><b>No!</b></p>
<p>"Don't," Lexie said.</p>
</div></body></html>"""


def test_recurring_bold_or_underlined_labels_open_sections() -> None:
    story = read_data(LABELLED_SECTIONS.encode(), "s.html")
    kinds = [type(b).__name__ for b in story.chapters[0].blocks]
    assert kinds == ["Paragraph", "Paragraph", "SceneBreak", "Heading", "Paragraph", "SceneBreak", "Heading",
                     "Paragraph", "Paragraph", "Paragraph"]
    assert [b.text for b in story.chapters[0].blocks if type(b).__name__ == "Heading"] == ["Three weeks later", "MEREDITH"]


def test_one_bold_line_is_emphasis_not_a_section() -> None:
    one = LABELLED_SECTIONS.replace("<p><strong>MEREDITH</strong></p>\n", "")
    story = read_data(one.encode(), "s.html")
    assert story.scene_breaks == 0


# -- 1990s etexts and TeX open quotations with a backtick
def test_backtick_quotes_become_curly_and_keep_every_word() -> None:
    from bookbinder.clean.typography import smarten

    assert smarten("`What a curious feeling!' said Alice; `I must be") == "‘What a curious feeling!’ said Alice; ‘I must be"
    assert smarten("``so,'' he said") == "“so,” he said"
    assert smarten("x`y and a ` b") == "x`y and a ` b"  # inside a word or alone, a backtick is left as it is


# -- AO3's PDF text where each tag sits beside its label, a tag list wraps, and a chapter has a byline
AO3_PDF_ONE_LINE_TAGS = 'Salt & Iron\nPosted originally on the Archive of Our Own at http://archiveofourown.org/works/424242.\n\nRating: Teen And Up Audiences\nArchive Warning: No Archive Warnings Apply\nCategory: F/M\nFandom: Grey\'s Anatomy\nRelationship: Lexie Grey/Mark Sloan\nCharacters: Lexie Grey, Mark Sloan, Callie Torres\nAdditional Tags: Hurt/Comfort, Beach Holiday, Fluff, Road Trips, Lighthouses, Bad\nPuns, Established Relationship\nLanguage: English\nSeries: Part 2 of Tides\nStats: Published: 2012-06-01 Completed: 2012-06-15 Words: 251 Chapters: 2/2\n\nSalt & Iron\nby quietmorning\n\nSummary\nLexie has never seen the sea.\n\nChapter 1: The Drive\nChapter by guestwriter\nThe car smelled of coffee and the leather Mark was so proud of.\n"You\'re humming," Lexie said. "You never hum."\n\n\x0cChapter 2: The Sea\nChapter Notes\nWarning for one very bad pun.\nThe sea was grey and enormous and louder than she had imagined.\nMark stood beside her and said nothing at all.\n\n\x0cAfterword\nPlease drop by the Archive and comment to let the creator know if you enjoyed their work!\n'


def test_ao3_pdf_text_with_tags_beside_their_labels() -> None:
    story = read_data(AO3_PDF_ONE_LINE_TAGS.encode(), "w.txt")
    meta = story.meta
    assert meta.title == "Salt & Iron" and meta.authors == ("quietmorning", "guestwriter")
    assert meta.rating == "Teen And Up Audiences" and meta.fandoms == ("Grey's Anatomy",)
    assert "Bad Puns" in meta.tags and meta.series == "Tides" and meta.stated_words == 251
    assert [c.title for c in story.chapters] == ["The Drive", "The Sea"]
    assert story.chapters[1].notes and story.chapters[1].blocks[0].text.startswith("The sea was grey")
    assert "Chapter by" not in story.body_text and "Please drop by" not in story.body_text
    assert not missing_words(AO3_PDF_ONE_LINE_TAGS, story)


# -- Aozora Bunko: title and author lines, the legend of marks between rules, one paragraph a line
#    opened by a full-width space, the colophon (底本) at the end; Shift_JIS with CRLF
AOZORA = "\r\n".join([
    "羅生門", "芥川龍之介", "",
    "-------------------------------------------------------",
    "【テキスト中に現れる記号について】", "", "《》：ルビ", "（例）下人《げにん》", "",
    "［＃］：入力者注　主に外字の説明や、傍点の位置の指定",
    "-------------------------------------------------------", "",
    "\u3000或日の暮方の事である。一人の下人《げにん》が、羅生門の下で雨やみを待っていた。",
    "\u3000広い門の下には、この男の外に誰もいない。",
    "「きっと、そうか。」",
    "\u3000下人の行方《ゆくえ》は、誰も知らない。", "", "", "",
    "底本：「芥川龍之介全集1」ちくま文庫、筑摩書房", "\u3000\u3000\u30001986（昭和61）年9月24日第1刷発行",
    "入力：j.utiyama", "校正：かとうかおり", "1997年11月3日公開", "",
    "青空文庫作成ファイル：", "このファイルは、インターネットの図書館、青空文庫（http://www.aozora.gr.jp/）で作られました。", ""])


def test_aozora_bunko_header_legend_and_colophon() -> None:
    story = read_data(AOZORA.encode("shift_jis"), "rashomon.txt")
    assert (story.meta.title, story.meta.authors) == ("羅生門", ("芥川龍之介",))
    assert story.body_text.startswith("或日の暮方の事である。")
    assert story.body_text.rstrip().endswith("誰も知らない。")
    assert len(story.chapters[0].blocks) == 4
    assert "底本" in " ".join(b.text for n in story.meta.end_notes for b in n.blocks)
    assert "記号について" not in story.body_text and "cruft-dropped" in codes(story)


# -- chapter headings as writers of other languages put them
def test_chapter_headings_in_other_languages() -> None:
    from bookbinder.readers.patterns import chapter_heading

    assert chapter_heading("第三章\u3000雨") == ("第三章", "雨")
    assert chapter_heading("第1話") == ("第1話", None)
    assert chapter_heading("Глава 1") == ("Глава 1", None)
    assert chapter_heading("Chapitre 2 : Le retour") == ("Chapitre 2", "Le retour")
    assert chapter_heading("Capítulo 5") == ("Capítulo 5", None)
    assert chapter_heading("第一章は短い。") is None  # a sentence that begins with the words
    text = "第一章　雨\n\n\u3000雨が降っていた。\n\n第二章　晴れ\n\n\u3000晴れた。\n"
    story = read_data(text.encode("utf-8"), "ja.txt")
    assert [c.title for c in story.chapters] == ["雨", "晴れ"]


# -- hard-wrapped text (a mail client's 60 columns, Gutenberg's 72): where the next word would have
#    fitted, the line ended a paragraph; inside a paragraph that never happens
def test_wrapped_paragraphs_end_where_the_next_word_would_have_fitted() -> None:
    import textwrap

    paragraphs = [
        "He came home late. The kitchen light was still on, and the kettle was warm, as it always was when she had waited.",
        "She did not ask where he had been.",
        "In the morning the rain had stopped. He walked her to the station, and neither of them said a word the whole way there.",
        "It was enough.",
    ]
    no_blank = "\n".join(textwrap.fill(p, 60) for p in paragraphs) + "\n"
    story = read_data(no_blank.encode(), "wrapped.txt")
    assert [b.text for b in story.chapters[0].blocks] == paragraphs
    spaced = "\n\n".join(textwrap.fill(p, 60) for p in paragraphs) + "\n\nAnd a line left unwrapped by the pasting, long enough to pass ninety characters.\n"
    assert len(read_data(spaced.encode(), "spaced.txt").chapters[0].blocks) == len(paragraphs) + 1


def test_a_numbered_japanese_part_heading_and_an_author_line_marked_with_cho() -> None:
    from bookbinder.readers.patterns import chapter_heading

    assert chapter_heading("1. 第一部：十戒について") == ("第一部", "十戒について")
    text = ("マルチン・ルターの小信仰問答書\n\nマルチン・ルター 著\n結城 浩 訳\n\n1. 第一部：十戒について\n\n"
            "父親が家族に十戒を簡潔に示すには、このようにします。\n\n2. 第二部：使徒信条について\n\n信じます。\n")
    story = read_data(text.encode("euc_jp"), "c.txt")
    assert story.meta.authors == ("マルチン・ルター",)
    assert [c.title for c in story.chapters] == ["十戒について", "使徒信条について"]
    assert story.body_text.startswith("父親が家族に")


def test_a_fanficfare_txt_summary_written_as_html_is_parsed_as_a_fragment_never_pasted() -> None:
    from pathlib import Path

    text = (Path(__file__).parent / "corpus" / "made" / "fanficfare-1001.txt").read_text(encoding="utf-8")
    hostile = text.replace("Summary: <p>Lexie learns to swim. Mark learns to wait.</p>",
                           "Summary: <p>Lexie learns.</p></div></body></html><script>steal()</script><p>After the end.</p>")
    assert hostile != text
    summary = " ".join(b.text for b in read_data(hostile.encode(), "f.txt").meta.summary)
    assert "Lexie learns." in summary and "After the end." in summary and "steal" not in summary


# -- a LiveJournal header pasted without its line breaks: one long line that opens with "Title:"
def test_a_header_line_is_short_and_a_long_one_is_story_text() -> None:
    prose = " ".join(["She waited by the window while the kettle sang and the street went dark."] * 6)
    text = f"Title: Losing Grip Pairing: Mark/Lexie Rating: R {prose}\n\nThe door opened at last.\n"
    story = read_data(text.encode(), "pasted.txt")
    assert story.meta.title != f"Losing Grip Pairing: Mark/Lexie Rating: R {prose}"
    assert body(story).startswith("Title: Losing Grip") and "header-field" not in codes(story)
    assert not missing_words(text, story)
    short = read_data(b"Title: Losing Grip\nRating: R\n\nThe door opened at last.\n", "header.txt")
    assert short.meta.title == "Losing Grip" and short.meta.rating == "R"

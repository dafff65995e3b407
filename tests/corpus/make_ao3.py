"""Writes AO3 downloads of public-domain texts, and the text pulled out of their PDFs.

The HTML follows otwarchive's own download templates (app/views/downloads/show.html.erb and its
_download_preface, _download_chapter and _download_afterword partials, with the strings of
config/locales/views/en.yml), filled with chapters of the fetched Project Gutenberg texts and the
habits AO3 works really have: notes, series and translation lines, inspired-by lists, scene breaks
in the ways AO3 writers make them, and fanfiction.net imports that keep their notes inside the
chapter text. Each work is then printed to PDF (WeasyPrint) and read back with poppler's pdftotext,
plain and with -layout, the way readers pull text out of AO3's PDF download.

    python tests/corpus/fetch.py && python tests/corpus/make_ao3.py

The outputs in tests/corpus/made/ are committed.
"""
from __future__ import annotations

import html
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
MADE = HERE / "made"
FETCHED = HERE / "fetched"
SITE = "https://archiveofourown.org"


def alice_chapters() -> list[tuple[str, list[str]]]:
    """Alice's chapters as (title, paragraphs), from the Gutenberg text."""
    text = (FETCHED / "pg-alice29.txt").read_text(encoding="latin-1")
    body = text[: text.index("THE END")]
    out = []
    for block in re.split(r"\n\s*CHAPTER [IVXL]+\s*\n", body)[1:]:
        paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", block.strip()) if p.strip()]
        out.append((paras[0], paras[1:]))
    return out


def milton_book_one(lines: int) -> list[list[str]]:
    """The first verse paragraphs of Paradise Lost, Book I, as lists of lines."""
    text = (FETCHED / "pg-plrabn12.txt").read_text(encoding="latin-1")
    start = text.index("Of Man's first disobedience")
    verse = [line.rstrip() for line in text[start:].splitlines()[:lines]]
    paras: list[list[str]] = [[]]
    for line in verse:
        if line.startswith("  ") and paras[-1]:
            paras.append([])
        paras[-1].append(line.strip())
    return paras


def karenina() -> list[str]:
    return [line for line in (FETCHED / "karenina-nl-cp1252.txt").read_text(encoding="cp1252").splitlines() if line.strip()]


def p(text: str, attrs: str = "") -> str:
    return f"<p{attrs}>{html.escape(text, quote=False)}</p>"


@dataclass
class Chapter:
    title: str | None
    content: str
    summary: str = ""
    notes: str = ""
    end_notes: str = ""


@dataclass
class Work:
    slug: str
    id: int
    title: str
    author: str
    tags: list[tuple[str, list[str]]]
    chapters: list[Chapter]
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    language: str = "English"
    series: tuple[int, str] | None = None
    published: str = "2019-03-02"
    completed: str = ""
    related: list[str] = field(default_factory=list)
    inspired: list[tuple[str, str]] = field(default_factory=list)
    chaptered: bool = True

    @property
    def url(self) -> str:
        return f"{SITE}/works/{self.id}"

    @property
    def words(self) -> int:
        return sum(len(re.sub(r"<[^>]+>", " ", c.content).split()) for c in self.chapters)


def preface(w: Work) -> str:
    rows = []
    for name, items in w.tags:
        plural = {"Category": "Categories", "Archive Warning": "Archive Warnings", "Fandom": "Fandoms", "Rating": "Ratings",
                  "Relationship": "Relationships", "Character": "Characters"}
        label = name if len(items) == 1 else plural.get(name, name)
        links = ", ".join(f'<a href="{SITE}/tags/{html.escape(i)}">{html.escape(i)}</a>' for i in items)
        rows.append(f"<dt>{label}:</dt>\n<dd>{links}</dd>")
    rows.append(f"<dt>Language:</dt>\n<dd>{w.language}</dd>")
    if w.series:
        rows.append(f'<dt>Series:</dt>\n<dd>Part {w.series[0]} of <a href="{SITE}/series/{w.id + 7}">{html.escape(w.series[1])}</a></dd>')
    n = len(w.chapters)
    done = f"\n  Completed: {w.completed}" if w.completed else ""
    rows.append(f"<dt>Stats:</dt>\n<dd>\n  Published: {w.published}{done}\n  Words: {w.words:,}\n  Chapters: {n}/{n}\n</dd>")
    out = ['<div id="preface">\n<h2 class="toc-heading">Preface</h2>',
           f'<p class="message">\n<b>{html.escape(w.title)}</b><br />\nPosted originally on the <a href="{SITE}/">Archive of Our Own</a> at <a href="{w.url}">{w.url}</a>.\n</p>',
           '<div class="meta">\n<dl class="tags">\n' + "\n".join(rows) + "\n</dl>",
           f"<h1>{html.escape(w.title)}</h1>",
           f'<div class="byline">by <a rel="author" href="{SITE}/users/{w.author}/pseuds/{w.author}">{w.author}</a></div>']
    out += summary_and_notes("", "work", "#endnotes", w.summary, w.notes, w.end_notes)
    if w.related:
        out.append("<ul>\n" + "\n".join(f"<li>\n{r}\n</li>" for r in w.related) + "\n</ul>")
    return "\n".join(out) + "\n</div>\n</div>"


def summary_and_notes(prefix: str, what: str, anchor: str, summary: str, notes: str, end_notes: str) -> list[str]:
    """The summary and notes block that _download_preface and _download_chapter both write."""
    out = [f'<p>{prefix}Summary</p>\n<blockquote class="userstuff">{summary}</blockquote>'] if summary else []
    if notes or end_notes:
        out.append(f"<p>{prefix}Notes</p>")
        if notes:
            out.append(f'<blockquote class="userstuff">{notes}</blockquote>')
        if end_notes:
            more = "more notes" if notes else "notes"
            out.append(f'<div class="endnote-link">\nSee the end of the {what} for <a href="{anchor}">{more}</a>\n</div>')
    return out


def chapter(n: int, c: Chapter) -> str:
    heading = f"Chapter {n}: {html.escape(c.title)}" if c.title else f"Chapter {n}"
    meta = [f'<div class="meta group">\n<h2 class="heading">\n{heading}\n</h2>']
    meta += summary_and_notes("Chapter ", "chapter", f"#endnotes{n}", c.summary, c.notes, c.end_notes)
    out = "\n".join(meta) + f'\n</div>\n\n<!--chapter content-->\n<div class="userstuff">\n{c.content}\n</div>\n<!--/chapter content-->'
    if c.end_notes:
        out += f'\n\n<div class="meta" id="endnotes{n}">\n<p>Chapter End Notes</p>\n<blockquote class="userstuff">{c.end_notes}</blockquote>\n</div>'
    return out


def afterword(w: Work) -> str:
    out = ['<div id="afterword">\n<h2 class="toc-heading">Afterword</h2>']
    if w.end_notes or w.inspired:
        out.append('<div class="meta">')
        if w.end_notes:
            out.append(f'<div id="endnotes">\n<p>End Notes</p>\n<blockquote class="userstuff">{w.end_notes}</blockquote>\n</div>')
        if w.inspired:
            dds = "\n".join(f'<dd>\n<a href="{SITE}/works/{w.id + 100 + i}">{html.escape(t)}</a> by <a href="{SITE}/users/{a}/pseuds/{a}">{a}</a>\n</dd>'
                            for i, (t, a) in enumerate(w.inspired))
            out.append(f"<dl>\n<dt>Works inspired by this one:</dt>\n{dds}\n</dl>")
        out.append("</div>")
    out.append(f'<p class="message">Please <a href="{w.url}/comments/new">drop by the Archive and comment</a> to let the creator know if you enjoyed their work!</p>\n</div>')
    return "\n".join(out)


def download(w: Work) -> str:
    if w.chaptered:
        chapters = "\n\n".join(chapter(n, c) for n, c in enumerate(w.chapters, 1))
    else:
        chapters = f'<h2 class="toc-heading">{html.escape(w.title)}</h2>\n<div class="userstuff">\n{w.chapters[0].content}\n</div>'
    return f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8"/>
<title>{html.escape(w.title)} - {w.author} - {w.tags[1][1][0]}  [Archive of Our Own]</title>
<style type="text/css">
body {{ font-family: serif; }} #chapters, #afterword {{ page-break-before: always; }}
.meta {{ border-bottom: 1px solid; }} .toc-heading {{ font-size: 1.2em; }}
</style>
</head>
<body>
{preface(w)}

<div id="chapters" class="userstuff">
{chapters}
</div>

{afterword(w)}
</body>
</html>
"""


def paras(texts: list[str]) -> str:
    return "\n".join(p(t) for t in texts)


def works() -> list[Work]:
    alice = alice_chapters()
    gen = [("Rating", ["General Audiences"]), ("Fandom", ["Alice in Wonderland - Lewis Carroll"])]
    out = []

    title, body = alice[6]  # A Mad Tea-Party, as a one-shot
    out.append(Work(
        "ao3-oneshot", 31337001, "Tea at Six", "dormousedreams",
        [gen[0], ("Archive Warning", ["No Archive Warnings Apply"]), ("Category", ["Gen"]), gen[1],
         ("Relationship", ["Alice & Mad Hatter"]), ("Character", ["Alice", "Mad Hatter", "March Hare", "Dormouse"]),
         ("Additional Tags", ["Canon Retelling", "Tea Parties"])],
        [Chapter(None, paras(body))], chaptered=False,
        summary=p("It is always six o'clock, and there is always room at the table."),
        notes=p("Written for the Wonderland Reread challenge.") + p("The text is Carroll's own; I only laid the table."),
        end_notes=p("Thank you for reading! Comments feed the Dormouse."),
        inspired=[("Treacle Well", "sisterlacie"), ("Twinkle, Twinkle", "batwing")]))

    out.append(Work(
        "ao3-chaptered", 31337002, "Down, Down, Down", "rabbitholeloops",
        [gen[0], ("Archive Warning", ["No Archive Warnings Apply"]), ("Category", ["F/M", "Gen"]), gen[1],
         ("Relationship", ["Alice/White Rabbit", "Alice & Dinah"]),
         ("Character", ["Alice", "White Rabbit", "Dinah", "Mouse", "Dodo"]),
         ("Additional Tags", ["Falling", "Size Changes", "Swimming"])],
        [Chapter(alice[i][0], paras(alice[i][1]),
                 summary=p("Alice follows a rabbit.") if i == 0 else "",
                 notes=p("Chapter two already! Thank you for the kudos.") if i == 1 else "",
                 end_notes=p("Next time: a race with no winner.") if i == 1 else "")
         for i in range(3)],
        summary=p("A girl, a rabbit, a hole, and a great deal of falling.") + p("Now complete!"),
        series=(1, "Wonderland Retold"), completed="2019-03-30",
        related=[f'Translation into Русский available: <a href="{SITE}/works/31337099">Вниз, вниз, вниз</a> by <a href="{SITE}/users/kroliki/pseuds/kroliki">kroliki</a>']))

    def spaced(ps: list[str], breaks: dict[int, str]) -> str:
        rows = []
        for i, t in enumerate(ps):
            if i in breaks:
                rows.append(breaks[i])
            rows.append(p(t))
        return "\n".join(rows)

    t4, b4 = alice[3]
    t5, b5 = alice[4]
    out.append(Work(
        "ao3-breaks", 31337003, "Small Changes", "caterpillarsmoke",
        [("Rating", ["Teen And Up Audiences"]), ("Archive Warning", ["No Archive Warnings Apply"]), ("Category", ["M/M"]), gen[1],
         ("Relationship", ["Bill the Lizard/White Rabbit"]), ("Character", ["Alice", "White Rabbit", "Bill the Lizard", "Caterpillar"]),
         ("Additional Tags", ["Scene Breaks", "Size Kink but not like that"])],
        [Chapter(t4, spaced(b4, {8: '<p align="center">* * *</p>', 20: "<hr />",
                                 30: '<p style="text-align: center;">~*~</p>'})),
         Chapter(t5, spaced(b5, {12: '<p>&nbsp;</p>\n<p style="text-align: center;"><strong>oOoOo</strong></p>\n<p>&nbsp;</p>',
                                 25: '<p> </p>\n<p align="center">* * *</p>\n<p>&nbsp;</p>'}))],
        summary=p("Alice is the wrong size, twice."), completed="2019-04-02"))

    t8, b8 = alice[7]
    t9, b9 = alice[8]
    out.append(Work(
        "ao3-ffnet-import", 31337004, "Off With Their Heads", "queenofhearts_ffn",
        [("Rating", ["Teen And Up Audiences"]), ("Archive Warning", ["Graphic Depictions Of Violence"]), ("Category", ["F/M"]), gen[1],
         ("Relationship", ["King of Hearts/Queen of Hearts"]), ("Character", ["Alice", "Queen of Hearts", "King of Hearts", "Cheshire Cat"]),
         ("Additional Tags", ["Imported from fanfiction.net", "Croquet"])],
        [Chapter(t8, p("A/N: Thank you so much for all the reviews on the last chapter, you guys are amazing!") +
                 "\n" + p("Disclaimer: I don't own Alice in Wonderland, Lewis Carroll does.") + "\n" + paras(b8) + "\n" +
                 p("Now. Review! Press that little button, it makes me write faster. :)")),
         Chapter(t9, p("AN: Sorry for the long wait, school has been crazy.") + "\n" + paras(b9) + "\n" +
                 p("Please review and tell me what you think! Next chapter: the Lobster Quadrille."))],
        summary=p("Alice plays croquet with the Queen. Nobody wins. Rated T for beheadings."),
        notes=p("Originally posted on fanfiction.net in 2008."), completed="2019-05-11"))

    verse = milton_book_one(130)
    out.append(Work(
        "ao3-verse", 31337005, "Things Unattempted Yet", "adamantinechains",
        [("Rating", ["General Audiences"]), ("Archive Warning", ["Creator Chose Not To Use Archive Warnings"]), ("Category", ["Gen"]),
         ("Fandom", ["Paradise Lost - John Milton"]), ("Character", ["Satan", "Beelzebub"]), ("Additional Tags", ["Poetry", "Blank Verse"])],
        [Chapter(None, "\n".join("<p>" + "<br />\n".join(html.escape(l) for l in lines) + "</p>" for lines in verse))],
        chaptered=False, summary=p("Sing, Heavenly Muse."), notes=p("Book I, the first verse paragraphs, set out as Milton set them.")))

    out.append(Work(
        "ao3-dutch", 31337006, "Het huis der Oblonskys", "stiva_vertaalt",
        [("Rating", ["General Audiences"]), ("Archive Warning", ["No Archive Warnings Apply"]), ("Category", ["Gen"]),
         ("Fandom", ["Анна Каренина | Anna Karenina - Leo Tolstoy"]), ("Character", ["Stepan Oblonsky", "Darya Oblonskaya"])],
        [Chapter(None, paras(karenina()))], chaptered=False, language="Nederlands",
        summary=p("Stipan Arkadiewitsch denkt na over zijn huwelijk."),
        related=[f'A translation of <a href="{SITE}/works/99">Anna Karenina</a> by <a href="{SITE}/users/ltolstoy/pseuds/ltolstoy">ltolstoy</a>']))
    return out


def main() -> None:
    from weasyprint import HTML

    MADE.mkdir(exist_ok=True)
    for w in works():
        source = download(w)
        (MADE / f"{w.slug}.html").write_text(source, encoding="utf-8")
        with tempfile.TemporaryDirectory() as tmp:
            pdf = Path(tmp) / "work.pdf"
            HTML(string=source).write_pdf(pdf)
            for suffix, flags in ((".pdf.txt", []), (".layout.txt", ["-layout"])):
                subprocess.run(["pdftotext", *flags, "-enc", "UTF-8", str(pdf), str(MADE / f"{w.slug}{suffix}")], check=True)
        print(w.slug, w.words)


if __name__ == "__main__":
    main()

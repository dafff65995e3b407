"""Line shapes plain-text stories use for structure: scene-break markers and chapter headings."""
from __future__ import annotations

import re
import unicodedata

# A line of decoration: stars, tildes, rules, "xxx", "oOo", "-x-", "&&", "#", "~*~"... and no words.
# Arabic-script texts rule a break with tatweel (ـــــ), the letter-joining stroke, drawn out.
_MARKER_CHARS = re.compile(r"^[\s*~#=_\-–—+•·°&§¤^|<>\\/.:oOxX0✦✧★☆❖◆◇♦♥♡❤※◎○●□■△▲▽▼〜～ـ]+$")
_MARKER_STRONG = re.compile(r"[*~#=_\-–—+•·°&§¤^|<>\\/✦✧★☆❖◆◇♦♥♡❤※◎○●□■△▲▽▼〜～ـ]")
_MARKER_LETTERS = re.compile(r"^(?:[xX]{3,}|[oO0][oO0]+[oO0]|[xX][oO][xX]|[oO][xX][oO]|[xX]{1}[oO0]+[xX]{1})$")
_MARKER_WORDS = re.compile(
    r"^\W*(?:(?:line|scene|page|time|pov)[\s-]*)?(?:break|change|skip)\W*$|^\W*(?:break|linebreak)\W*$",
    re.IGNORECASE)


def is_marker(text: str) -> bool:
    """A scene-break marker line ("* * *", "~~~", "xxx", "oOo", "-x-", "***", "#", "[line break]")."""
    t = unicodedata.normalize("NFKC", text).strip()  # full-width ＊＊＊ is *** too
    if not t or len(t) > 60:
        return False
    if _MARKER_WORDS.match(t):
        return True
    if not _MARKER_CHARS.match(t) or set(t) <= {".", " ", "…"} or t.replace(" ", "").isdigit():
        return False
    return bool(_MARKER_STRONG.search(t) or _MARKER_LETTERS.match(t.replace(" ", "")))


_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|first|second|"
    "third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final"
)
_NUMBER = rf"(?:\d+|[IVXLCDM]+|(?:{_NUMBER_WORDS})(?:[\s-](?:{_NUMBER_WORDS}))*)"
# The word for "chapter" in the languages fan fiction and public-domain texts come in.
_CHAPTER_WORDS = ("chapter|chap\\.?|ch\\.|part|book|section|volume|act|kapitel|teil|chapitre|partie|cap[ií]tulo|"
                  "capitolo|parte|hoofdstuk|deel|rozdzia[łl]|kapitola|luku|глава|часть|розділ")
_CHAPTER = re.compile(
    rf"^(?P<label>(?:{_CHAPTER_WORDS})\s+{_NUMBER}\.?)"
    rf"(?:\s*(?:[:.\-–—)|]|\s)\s*(?P<title>.+?))?\s*$",
    re.IGNORECASE)
_NAMED = re.compile(r"^(?P<label>prologue|epilogue|interlude|afterword|coda|foreword|preface)\.?"
                    r"(?:\s*[:.\-–—|]\s*(?P<title>.+?))?\s*$", re.IGNORECASE)
# Chinese and Japanese: 第一章, 第3話, 第十二回, 第２部, with the title after a space.
_CJK_CHAPTER = re.compile(r"^(?:[0-9０-９]+[.．]\s*)?(?P<label>第[0-9０-９一二三四五六七八九十百千〇零两]+[章話话回節节部幕巻卷篇])"
                          r"(?:[\s\u3000：:・.．、]+(?P<title>.+?))?\s*$")
_BARE_NUMERAL = re.compile(r"^(?P<label>[IVXLC]+|\d{1,3})\.?(?:\s+(?P<title>[A-Z].{0,60}))?$")


def chapter_heading(text: str) -> tuple[str, str | None] | None:
    """"Chapter Three: The Storm" -> ("Chapter Three", "The Storm"); None if not a heading.

    The heading as shown is the line itself (see `heading_text`); this only tells its parts."""
    t = text.strip().strip("*_~=#").strip()
    if not t or len(t) > 100:
        return None
    m = _CHAPTER.match(t) or _NAMED.match(t) or _CJK_CHAPTER.match(t)
    if not m:
        return None
    title = m.group("title")
    if title and (len(title.split()) > 12 or re.search(r"[.!?,]$", title) and len(title.split()) > 6):
        return None  # a sentence that happens to begin "Part two of the plan ...", not a heading
    return m.group("label").rstrip("."), (title.strip(" :.-–—*_") or None) if title else None


def bare_numeral(text: str) -> tuple[str, str | None] | None:
    """"IV." or "12" alone on a line: a chapter heading only when the story numbers them in order."""
    m = _BARE_NUMERAL.match(text.strip())
    return (m.group("label"), m.group("title")) if m else None


def numeral_value(label: str) -> int | None:
    if label.isdigit():
        return int(label)
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for i, ch in enumerate(label):
        v = values.get(ch)
        if v is None:
            return None
        total += -v if i + 1 < len(label) and values.get(label[i + 1], 0) > v else v
    return total


def heading_text(text: str) -> str:
    """The heading line as the author wrote it, less the decoration around it ("** Prologue **")."""
    return text.strip().strip("*_~=#").strip()

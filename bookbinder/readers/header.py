"""Front and back matter of a plain-text story: list[Unit] -> (body units, FieldSet, diagnostics).

Reads from the top (title line, byline, post timestamp, "Key: value" header block, author's
notes labelled or not, summary, credits) and from the bottom (site navigation, tag lines,
review pleas, end notes, "The End"), and stops at the first unit that is story. Nothing is
dropped silently: every unit taken out of the story is a diagnostic.
"""
from __future__ import annotations

import re

from ..model import Diagnostic, Note
from .inline import paragraph
from .fields import FieldSet, field_of, parse_date
from .patterns import chapter_heading, is_marker
from .segment import Unit

# A LiveJournal or fanfiction.net header line names a title, a rating, a pairing in a line of its own; a
# longer line that opens with "Title:" is story text (a paste that lost its line breaks), kept as such.
# A summary or a note may run long.
_FIELD_LINE = 300  # characters of a field's value
_LONG_FIELDS = frozenset({"summary", "notes"})
_KEY_VALUE = re.compile(r"^\s*(?P<key>[A-Za-z][\w ()'’/&.-]{0,40}?)\s*:\s*(?P<value>.*)$")
_LABELLED_NOTE = re.compile(
    r"^\s*[\[(*_~]*\s*(?P<label>a/n|a\.n\.|an|author'?s?'? ?notes?|authors? notes?|transcriber'?s?'? ?notes?|notes?|"
    r"disclaimer|dedication|"
    r"warnings?|spoilers?|beta'?d? by|beta|prompt|thanks)\s*[:\-–—]+\s*(?P<rest>.*)$",
    re.IGNORECASE)
_AN_BARE = re.compile(r"^\s*[\[(]?\s*(a/n|a\.n\.)\b[\s:]*(?P<rest>.*)$", re.IGNORECASE)
_CREDIT = re.compile(
    r"^\s*(inspired by|written for|written in response to|dedicated to|thanks to|for the prompt|prompt:|"
    r"title (is )?(taken )?from|title and (lyrics|quotes?) from|based on (the|a) (song|prompt))\b",
    re.IGNORECASE)
# "by X" under a title, in the languages the chapter headings know: von, par, por, di, door, автор,
# and the Persian and Arabic bylines (نوشته، به قلم، نویسنده، بقلم، تأليف), 作者 and 著 of CJK books.
_BYLINE = re.compile(r"^\s*(?:by|written by|author|von|par|por|di|door|автор|نوشته|نوشتهٔ|به قلم|نویسنده|بقلم|"
                     r"تأليف|作者|著者|作)\s*[:：]?\s*(?P<name>[^\s].{0,60})$", re.IGNORECASE)
_NAV = re.compile(
    r"^\W*(?:(?:«\s*)?previous (?:post|entry)\b.*|next (?:post|entry)\b.*|(?:link|reply|thread|parent|share|flag|"
    r"edit|tags?)(?:\s*\|\s*\w+)*|\d+ comments?\b.*|leave a comment\b.*|post a new comment\b.*|"
    r"add to memories\b.*|tell a friend\b.*|share this entry\b.*|track this\b.*|comments? \(\d+\)|"
    r"review this (?:chapter|story)\b.*|follow/fav\b.*|<\s*prev\b.*|next\s*>.*|back to top|"
    r"(?:posted|filed) (?:in|under)\b.{0,80}|current (?:mood|music|location)\s*:.{0,80}|"
    r"(?:this entry was )?originally posted at .{0,120}|you can comment (?:here|there).{0,80})\W*$",
    re.IGNORECASE)
_PLEA = re.compile(
    r"\b(?:r\s*(?:&|and)\s*r|read (?:and|&) review|please review|reviews? (?:are|is|make)|leave (?:a|your|me a) "
    r"(?:review|comment|thoughts|kudos)|let me know what you think|feedback (?:is|would be)|"
    r"(?:comments?|kudos|reviews?) (?:are|is) (?:love|appreciated|welcome)|drop (?:a|me a) (?:review|comment)|"
    r"please (?:comment|leave)|thoughts\?|click (?:the|that) (?:review|button))",
    re.IGNORECASE)
# Project Gutenberg transcribers list the printed book's errors after the text, keyed to marks in it.
_ERRATUM = re.compile(r"^\[[A-Z0-9]{1,3}:\s[^\[\]]+\]$")
_TRAILER = re.compile(
    r"^[\W_]*(?:the end|end|fin|finis|end file|end fic|end of (?:story|fic|fanfic)|owari|~?fin~?)[\W_]*$",
    re.IGNORECASE)
_META_WORDS = re.compile(
    r"\b(write|wrote|written|writing|fic|fics|fanfic|fanfiction|story|stories|post|posting|posted|chapter|"
    r"chapters|one-?shot|drabble|vignette|ficlet|pov|beta|betaed|prompt|inspired|inspiration|fandom|readers?|"
    r"reviews?|reviewers?|comments?|feedback|enjoy|ooc|canon|au|season|episode|spoilers?|disclaimer|angst|"
    r"fluff|smut|ship|shipping|lyrics|song|sequel|prequel|update|updated|word document|keyboard|muse)\b",
    re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(I|I'm|I’m|I've|I’ve|my|me|I'd|I’d)\b")
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")


def looks_like_note(text: str, threshold: int = 2) -> bool:
    """An unlabelled author's note: first person outside dialogue, talking about the writing."""
    prose = _QUOTED.sub(" ", text)
    if not _FIRST_PERSON.search(prose):
        return False
    return len({w.casefold() for w in _META_WORDS.findall(prose)}) >= threshold


def _looks_like_title(units: list[Unit]) -> bool:
    if len(units) < 2 or not units[0].single:
        return False
    if units[0].heading and sum(u.heading for u in units) > 1:
        return False  # the first of the headings the file's own markup marks (Aozora's 見出し): a chapter
    t = units[0].text
    if len(t) > 150 or len(t.split()) > 20 or not (t[0].isalnum() or t[0] in "\"“‘'"):
        return False
    if re.search(r"[.,;:、。]$", t) and not t.endswith("..."):
        return False
    if re.search(r"[.!?…][\"”’']?\s+\S|。.", t) or re.search(r"[.,!?…][\"”’」]$", t):
        return False  # more than one sentence, or a line of dialogue: story, not a title
    if (_KEY_VALUE.match(t) and field_of(_KEY_VALUE.match(t)["key"])) or _LABELLED_NOTE.match(t):
        return False
    return not (is_marker(t) or chapter_heading(t) or parse_date(t) or _CREDIT.match(t))


_PAREN = re.compile(r"^(?P<title>.*?\S)\s*[(\[](?P<inner>[^()\[\]]+)[)\]]\s*$")
_RATINGS = re.compile(r"^(?:G|PG|PG-?13|R|NC-?17|M|MA|T|K\+?|FR\d+|Teen|Mature|Explicit|General)$", re.IGNORECASE)


def _split_title(line: str, fs: FieldSet) -> str:
    """"Title (Mark, Mark/Lexie)" -> "Title", with the people and any rating recorded."""
    m = _PAREN.match(line)
    if not m:
        return line
    items = [i.strip() for i in m["inner"].split(",")]
    people = [i for i in items if not _RATINGS.match(i)]
    names_only = all(re.fullmatch(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}(?:\s*[/&]\s*[A-Z][\w'’. -]*)*", i)
                     for i in people)
    if not names_only or not (any(re.search(r"\w\s*[/&]\s*\w", i) for i in people) or len(items) >= 2):
        return line
    for item in items:
        fs.add("rating" if _RATINGS.match(item) else "people", item)
    return m["title"]


class Matter:
    """Walks the units of one story, moving front and back matter into a FieldSet."""

    def __init__(self, units: list[Unit]) -> None:
        self.units = units
        self.fields = FieldSet()
        self.diagnostics: list[Diagnostic] = []

    def note(self, code: str, message: str, dropped: str = "") -> None:
        self.diagnostics.append(Diagnostic(code, message, dropped))

    # ------------------------------------------------------------------ front
    def take_front(self, titled: bool = False) -> None:
        """`titled`: the title is stated elsewhere (front matter, a package), so a first heading
        is the text's own (its first chapter's), not a title line to take."""
        units, fs = self.units, self.fields
        i = 0
        if _looks_like_title(units) and not (titled and units[0].heading):
            fs.title = _split_title(units[0].text, fs)
            if fs.title != units[0].text:
                extra = units[0].text[len(fs.title):].strip()
                self.note("title-metadata", f"moved {extra!r} from the title line into metadata", extra)
            i = 1
            m = _BYLINE.match(units[1].text) if units[1].single else None
            if m and len(units) > 2:
                fs.authors.append(m["name"].strip())
                self.note("header-field", f"byline {units[1].text!r} read as the author", units[1].text)
                i = 2
        while i < len(units) - 1:
            step = self._front_unit(i)
            if not step:
                break
            i += step
        self.units = units[i:]

    def _front_unit(self, i: int) -> int:
        """How many units at `i` are front matter (0 when the story starts there)."""
        u = self.units[i]
        t = u.text
        if is_marker(t):
            self._edge_marker(t)
            return 1
        if u.single and parse_date(t):
            self.fields.published = self.fields.published or parse_date(t)
            self.note("timestamp-moved", f"post timestamp {t!r} read as the publication date", t)
            return 1
        kv = _KEY_VALUE.match(t) if u.single else None
        name = field_of(kv["key"]) if kv else None
        if kv and name and (name in _LONG_FIELDS or len(kv["value"]) <= _FIELD_LINE):
            return self._header_field(i, kv["key"].strip(), name, kv["value"])
        if _LABELLED_NOTE.match(t) or _AN_BARE.match(t) or _CREDIT.match(t):
            return self._take_notes(i, note_label(t), front=True)
        if looks_like_note(t) and any(not looks_like_note(v.text) for v in self.units[i + 1:]):
            return self._take_notes(i, "Author's Note", front=True)
        return 0

    def _edge_marker(self, text: str) -> None:
        if any(c.isalnum() for c in text):
            self.note("cruft-dropped", f"scene-break marker {text!r} before or after the story dropped", text)

    def _header_field(self, i: int, key: str, name: str, value: str) -> int:
        """A "Key: value" line, with continuation lines that follow it without a gap."""
        taken = 1
        extra = []
        while i + taken < len(self.units) - 1 and self.units[i + taken].gap == 0:
            nxt = self.units[i + taken].text
            kv = _KEY_VALUE.match(nxt)
            if (kv and field_of(kv["key"])) or is_marker(nxt):
                break
            extra.append(nxt)
            taken += 1
        if name == "summary" and not value.strip() and not extra and i + 1 < len(self.units) - 1:
            extra, taken = [self.units[i + 1].text], 2  # "Summary:" alone, the text below it
        if name in {"summary", "notes"}:
            blocks = tuple(paragraph(p) for p in [value, *extra] if p.strip())
            if name == "summary":
                self.fields.summary.extend(blocks)
            else:
                label = note_label(f"{key}: ") if is_note_start(f"{key}: x") else key
                self.fields.notes.append(Note(blocks, label))
            self.note(f"{name.rstrip('s')}-moved", f"{key!r} moved out of the story into the {name}",
                      "\n".join(u.text for u in self.units[i:i + taken]))
            return taken
        old_title = self.fields.title
        self.fields.add(name, " ".join([value, *extra]), key)
        if name == "title" and old_title and old_title != self.fields.title:
            self.note("title-replaced", f"the header's title replaces the first line {old_title!r}", old_title)
        self.note("header-field", f"header line {key!r} read into metadata",
                  "\n".join(u.text for u in self.units[i:i + taken]))
        return taken

    def _take_notes(self, i: int, label: str, front: bool) -> int:
        """A note, and the unlabelled paragraphs that carry it on."""
        texts = [strip_label(self.units[i].text)]
        taken = 1
        while front and i + taken < len(self.units) - 1 and looks_like_note(self.units[i + taken].text, 1):
            texts.append(self.units[i + taken].text)
            taken += 1
        blocks = tuple(paragraph(t) for t in texts if t)
        if blocks:
            (self.fields.notes if front else self.fields.end_notes).append(Note(blocks, label))
        self.note("note-moved", f"{label} {texts[0][:50]!r}… moved out of the story into the notes",
                  "\n".join(u.text for u in self.units[i:i + taken]))
        return taken

    # ------------------------------------------------------------------ back
    def take_back(self) -> None:
        while True:
            j = len(self.units)
            while j > 1:
                step = self._back_unit(j - 1)
                if not step:
                    break
                j -= step
            self.units = self.units[:j]
            if not self._take_end_notes():  # after end notes, a trailer ("The End") may show
                return

    def _back_unit(self, k: int) -> int:
        t = self.units[k].text
        if is_marker(t):
            self._edge_marker(t)
            return 1
        if _NAV.match(t):
            self.note("cruft-dropped", f"site navigation {t[:60]!r} dropped", t)
            return 1
        if self._tag_line(t):
            return 1
        # A transcriber's keyed correction after the text ("[A: Insitent]"), perhaps over two lines.
        taken = 1 if _ERRATUM.match(t) else 2 if k and _ERRATUM.match(f"{self.units[k - 1].text} {t}") else 0
        if taken:
            said = " ".join(u.text for u in self.units[k + 1 - taken:k + 1])
            self.fields.end_notes.insert(0, Note((paragraph(said),), "Transcriber's Note"))
            self.note("note-moved", f"transcriber's note {said[:60]!r} moved to the end notes", said)
            return taken
        if is_review_plea(t):  # the author's own words: kept, as an end note
            self.fields.end_notes.insert(0, Note((paragraph(t),), "Author's Note"))
            self.note("note-moved", f"review plea {t[:60]!r} moved to the end notes", t)
            return 1
        if _TRAILER.match(t):
            self.note("trailer-dropped", f"end marker {t!r} dropped", t)
            return 1
        if self.units[k].single and parse_date(t):
            self.fields.updated = self.fields.updated or parse_date(t)
            self.note("timestamp-moved", f"timestamp {t!r} at the end read as the update date", t)
            return 1
        return 0

    def _tag_line(self, text: str) -> bool:
        """An LJ tag line: "Tags: category: angst, pairing: mark/lexie, vignette" (or without "Tags:")."""
        m = re.match(r"^\s*(?:tags|labels|filed under)\s*:\s*(.*)$", text, re.IGNORECASE)
        body = m.group(1) if m else text
        items = [i.strip() for i in re.split(r",\s*", body) if i.strip()]
        keyed = [re.match(r"^([\w ()'’/-]{1,30}?)\s*:\s*(.+)$", i) for i in items]
        if not m and (len(items) < 2 or sum(1 for k in keyed if k and field_of(k[1])) < len(items) / 2):
            return False
        if not items or len(text) > 1500:
            return False
        for item, k in zip(items, keyed):
            name = field_of(k[1]) if k else None
            if name in {"categories", "people", "fandoms", "rating", "warnings", "tags", "series", "status", "authors"}:
                self.fields.add(name, k[2])
            else:
                self.fields.tags.append(item)
        self.note("tags-moved", f"tag line {text[:60]!r} read into metadata", text)
        return True

    def _take_end_notes(self) -> bool:
        """Labelled notes among the last units, with everything after them, are end notes."""
        last = len(self.units)
        for k in range(last - 1, max(0, last - 4), -1):
            t = self.units[k].text
            if is_note_start(t):
                if k == 0 or not all(_note_tail(u.text) for u in self.units[k + 1:]):
                    return False
                blocks = tuple(paragraph(strip_label(u.text)) for u in self.units[k:])
                self.fields.end_notes.insert(0, Note(blocks, note_label(t)))
                self.note("note-moved", f"end note {t[:50]!r}… moved out of the story into the end notes",
                          "\n".join(u.text for u in self.units[k:]))
                self.units = self.units[:k]
                self._merge_end_notes()
                return True
        return False

    def _merge_end_notes(self) -> None:
        notes = self.fields.end_notes
        if len(notes) > 1:
            blocks = tuple(b for n in notes for b in n.blocks)
            self.fields.end_notes = [Note(blocks, notes[0].label)]


def is_note_start(text: str) -> bool:
    """A paragraph that opens with a note label ("A/N:", "Author's Note:", "Disclaimer:")."""
    return bool(_LABELLED_NOTE.match(text) or _AN_BARE.match(text))


# fanfiction.net's habit, carried along when stories move to AO3 or are copied out: a chapter that
# ends by asking for reviews ("Review! Press that little button", "R&R please").
_ASK = re.compile(
    r"(?:^|[.!?:)]\s+|\bplease,?\s+|\bso\s+)(?:review|r\s*(?:&|and)\s*r)\b|\bread\s+(?:&|and)\s+review\b"
    r"|\bpress (?:that|the) (?:little |lovely |\w+ )?(?:\w+ )?button\b|\bleave (?:me )?a review\b"
    r"|\breviews? (?:make|are|keep|feed|motivate|inspire)s?\b|\bhit (?:that|the) review\b", re.IGNORECASE)


def is_review_plea(text: str) -> bool:
    """A short paragraph, not dialogue, that asks the reader for reviews."""
    if len(text.split()) > 60 or text.lstrip()[:1] in "\"“‘'«„":
        return False
    prose = _QUOTED.sub(" ", text)
    return bool(_ASK.search(prose) or (_PLEA.search(prose) and len(text.split()) <= 40))


def _note_tail(text: str) -> bool:
    """A paragraph that can follow an end note: more of the note, not story."""
    return looks_like_note(text, 1) or len(text.split()) < 25


def note_label(text: str) -> str:
    m = _LABELLED_NOTE.match(text)
    if not m:
        return "Notes" if _CREDIT.match(text) else "Author's Note"
    label = m["label"].casefold()
    if label.startswith("disclaimer"):
        return "Disclaimer"
    if label.startswith(("dedication", "prompt", "beta", "thanks")):
        return m["label"].strip().capitalize()
    if label.startswith("transcriber"):
        return "Transcriber's Note"
    return "Author's Note" if label not in {"note", "notes"} else "Notes"


def strip_label(text: str) -> str:
    """"A/N: Thanks!" -> "Thanks!"; "(A/N: Thanks!)" -> "Thanks!"."""
    m = _LABELLED_NOTE.match(text) or _AN_BARE.match(text)
    if not m:
        return text.strip()
    rest = m["rest"].strip()
    return rest[:-1].strip() if text.lstrip()[:1] in "([" and rest[-1:] in ")]" else rest


__all__ = ["Matter", "is_note_start", "looks_like_note", "note_label", "strip_label"]

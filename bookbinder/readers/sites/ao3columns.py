"""AO3's tag list as pdftotext prints it without -layout: lines -> (label, value) pairs.

AO3's PDF sets the tag list as a two-column table (otwarchive app/views/downloads/_download_preface:
a <dl> of "Rating:", "Archive Warning:", … beside their tags). `pdftotext` without `-layout` reads
the first column, then the second: every label, then every value, a long value wrapped over
several lines, and a table that runs over a page break restarts its labels there:

    Rating:                 Teen And Up Audiences
    Archive Warning:        Creator Chose Not To Use Archive Warnings
    Characters:             Sherlock Holmes, John Watson, Jim Moriarty, Sherlock Holmes (again),
                            Sarah Sawyer

What ties a value to its label is their order, so the value lines are cut into as many values as
there are labels, where the cuts fit best: a line that ends in a comma runs on (AO3 joins tags with
", "); a line the next word would have fitted on ended its value; and what AO3 allows under a label
anchors it: a rating is one of AO3's five, a warning one of its six, a category one of its six, a
language a name of one to three words, a relationship joins people with "/" or "&", the stats open
with "Published:" and a series with "Part".
"""
from __future__ import annotations

import re

from .ao3 import TAG_LABELS

_LABEL = re.compile(r"^(?P<label>[A-Z][A-Za-z ]{2,20}):\s*(?P<value>.*)$")
# otwarchive's fixed tags (config/config.yml: RATING_*, WARNING_*, CATEGORY_*), folded.
_RATINGS = {"general audiences", "teen and up audiences", "mature", "explicit", "not rated"}
_WARNINGS = {"creator chose not to use archive warnings", "no archive warnings apply", "graphic depictions of violence",
             "major character death", "rape/non-con", "underage", "underage sex"}
_CATEGORIES = {"f/f", "f/m", "gen", "m/m", "multi", "other"}
_SURE, _WRONG = 4.0, -6.0
_FIXED = {"rating", "warnings", "categories", "language", "stats", "series", "pairings"}  # the labels whose values AO3 shapes


def is_columns(text: list[str], i: int) -> bool:
    """The tag list at line `i` is printed as columns: a label alone, and the next line a label too."""
    labels = [t for t in text[i:i + 4] if t][:2]
    return len(labels) == 2 and all(_bare_label(t) for t in labels)


def _bare_label(t: str) -> str | None:
    m = _LABEL.match(t)
    return m["label"] if m and not m["value"] and m["label"].casefold() in TAG_LABELS else None


def tag_columns(text: list[str], i: int, title: str | None) -> tuple[list[tuple[str, list[str]]], list[str], int]:
    """The (label, value lines) pairs of a column-printed tag list from line `i`, the values left
    unread (a rating that is none of AO3's: unknown is null, never a neighbour's value), and the
    line after the list (the title repeated over the byline, or the byline). No pairs when the
    values cannot be matched to the labels (fewer values than labels)."""
    labels, values = [], []
    while i < len(text):
        t = text[i]
        if (t and t == title) or (t.startswith("by ") and i and not text[i - 1]):
            break
        if label := _bare_label(t):
            labels.append(label)
        elif t:
            values.append(t)
        i += 1
    cuts = _cuts(labels, values)
    if cuts is None:
        return [], [], i
    pairs, left = [], []
    for label, (a, b) in zip(labels, cuts):
        value = _joined(values[a:b])
        if _fits(label, values[a:b]) > _WRONG:
            pairs.append((label, [value]))
        else:
            left.append(f"{label} {value}")
    return pairs, left, i


def _joined(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        out += line if out.endswith("-") and not out.endswith(" -") else " " + line  # "Post-" "Coital"
    return out


def _cuts(labels: list[str], values: list[str]) -> list[tuple[int, int]] | None:
    """Where each label's value starts and ends among `values`: the best-scoring cut (dynamic
    programming over labels and lines)."""
    n, k = len(values), len(labels)
    if not k or n < k:
        return None
    width = max(len(v) for v in values)
    sums = [0.0]  # sums[i]: how sure it is that each of lines 1..i runs on from the line before
    for a, b in zip(values, values[1:]):
        sums.append(sums[-1] + _runs_on(a, b, width))
    best = {(0, 0): (0.0, None)}  # (labels placed, lines used) -> (score, where the last value started)
    for j in range(1, k + 1):
        for end in range(j, n - (k - j) + 1):
            options = []
            for start in range(j - 1, end):
                if (j - 1, start) in best:
                    score = best[(j - 1, start)][0] + _fits(labels[j - 1], values[start:end]) + sums[end - 1] - sums[start]
                    options.append((score, start))
            if options:
                best[(j, end)] = max(options)
    cuts, end = [], n
    for j in range(k, 0, -1):
        start = best[(j, end)][1]
        cuts.append((start, end))
        end = start
    return cuts[::-1]


def _runs_on(a: str, b: str, width: int) -> float:
    """How sure it is that line `b` continues the value on line `a` (negative: sure it does not)."""
    if a.endswith((",", ":", "&", "/")) or (a.endswith("-") and not a.endswith(" -")):
        return 3.0  # a list of tags, a stats field or a tag broken at its hyphen runs on
    if b[:1].islower() or b[:1] in "-(&/)":
        return 2.0  # no value opens in lower case or with a joiner ("- Character", "(Character)")
    if len(a) + 1 + len(b.split()[0]) < 0.8 * width:
        return -3.0  # the next word would have fitted on the line: the value ended there
    return 1.0 if len(a) >= 0.9 * width else 0.0  # a full line was wrapped


def _fits(label: str, lines: list[str]) -> float:
    """How well `lines` fit what AO3 allows under `label`."""
    kind = TAG_LABELS.get(label.casefold())
    if kind not in _FIXED:
        return 0.0
    if len(lines) > 4 and kind != "pairings":
        return _WRONG  # no fixed value runs over more than a few lines
    text = _joined(lines)
    items = [i.strip().casefold() for i in text.split(",")]
    if kind == "rating":
        return _SURE if len(lines) == 1 and text.casefold() in _RATINGS else _WRONG
    if kind == "warnings":
        return _SURE if all(i in _WARNINGS for i in items) else _WRONG
    if kind == "categories":
        return _SURE if all(i in _CATEGORIES for i in items) else _WRONG
    if kind == "language":
        return 1.0 if len(lines) == 1 and len(items) == 1 and len(text.split()) <= 3 else _WRONG
    if kind == "stats":
        return _SURE if text.startswith("Published:") else _WRONG
    if kind == "pairings":  # AO3's relationship tags join their people with "/" or "&"
        return 1.0 if all("/" in i or "&" in i for i in items) else _WRONG
    if kind == "series":
        return 1.0 if text.casefold().startswith("part ") else _WRONG
    return 0.0

"""Story -> Story holding no character an XML document cannot: controls, surrogates, noncharacters.

Any text can carry them: an HTML `&#x1;` or `&#xFFFF;`, a YAML `"\\ud800"` escape, a sidecar
value, an EPUB's package metadata. Readers remove what they see, but this pass runs last over
every string of the model, so that no story can make a book fail to serialize, and it reports
how many it removed. No word is lost: these characters are never part of a word.
"""
from __future__ import annotations

import dataclasses
import functools
import re

from ..model import Chapter, Image, Story

# XML 1.0 allows tab, LF, CR and everything from U+0020 but surrogates and U+FFFE/U+FFFF. C1
# controls and the other noncharacters are legal but never text (and EPUB checkers warn on them).
_NONCHARACTERS = "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0x10000, 0x110000, 0x10000))
_BMP_UNSAFE = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
UNSAFE = re.compile(f"[{_BMP_UNSAFE}{_NONCHARACTERS}]")
# UNSAFE and more: every character from U+1FFFE up, in one range. A class of a few ranges is scanned
# eight times faster than UNSAFE with its 32 astral noncharacters; emoji (U+1F600...) lie below
# the range, so almost every text is answered by this class alone.
_SUSPECT = re.compile(f"[{_BMP_UNSAFE}\U0001fffe-\U0010ffff]")


def unsafe_in(text: str) -> bool:
    """Whether `text` holds a character XML cannot (UNSAFE), at the speed of a simple class."""
    return _SUSPECT.search(text) is not None and UNSAFE.search(text) is not None


# A "<" or "&" just before a reference is text ("<&#xFFFF;b>" shows as "<b>" in a browser): removing the
# reference must not turn it into a tag or an entity, so it is escaped with it. The pattern opens on
# "&#" (so the scan jumps between ampersands), and the character before a match is looked at apart.
_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")
_ESCAPED = {"<": "&lt;", "&": "&amp;"}


def drop_unsafe_references(markup: str) -> tuple[str, int]:
    """HTML or Markdown source without numeric references to characters XML cannot hold (`&#x1;`,
    `&#xFFFF;`): parsers would put the characters themselves in the tree, where lxml refuses them.
    (markup, how many were dropped)."""
    dropped = 0
    for attempt in range(4):  # removing one can join the text around it into another ("&#xFF&#x1;FE;")
        if "&#" not in markup:
            break
        # a replacement character cannot join anything: the last attempt leaves one in each place
        markup, found = _drop_references(markup, "" if attempt < 3 else "\ufffd")
        dropped += found
        if not found:
            break
    return markup, dropped


def _drop_references(markup: str, replacement: str) -> tuple[str, int]:
    pieces: list[str] = []
    done = dropped = 0  # markup[:done] is in pieces
    for m in _REFERENCE.finditer(markup):
        code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        if code <= 0x10FFFF and not UNSAFE.match(chr(code)):
            continue
        start = m.start()
        before = markup[start - 1] if start > done else ""
        if before in _ESCAPED:
            pieces += [markup[done:start - 1], _ESCAPED[before], replacement]
        else:
            pieces += [markup[done:start], replacement]
        done, dropped = m.end(), dropped + 1
    if not dropped:
        return markup, 0
    pieces.append(markup[done:])
    return "".join(pieces), dropped


def xml_safe(text: str) -> str:
    """`text` without the characters XML cannot hold."""
    return UNSAFE.sub("", text) if unsafe_in(text) else text


def scrub(story: Story) -> Story:
    """Every string of the story (metadata, chapters, notes) made XML-safe, and a diagnostic if any changed."""
    removed = [0]
    meta = _clean(story.meta, removed)
    if unsafe_in(story.body_text):
        chapters = _clean(story.chapters, removed)
    else:  # the story text is clean (checked at C speed): only what body_text leaves out is walked
        chapters = tuple(_clean_edges(c, removed) for c in story.chapters)
        chapters = story.chapters if all(a is b for a, b in zip(chapters, story.chapters)) else chapters
    if not removed[0]:
        return story
    story = story.with_(meta=meta, chapters=chapters)
    return story.diagnose("control-characters-removed", f"{removed[0]} control characters or noncharacters "
                                                        "removed (an XML document cannot hold them)")


def _clean(value, removed: list[int]):
    """`value` with its strings cleaned; the very same object when nothing in it changed."""
    kind = type(value)
    if kind is str:
        if not unsafe_in(value):
            return value
        clean, found = UNSAFE.subn("", value)
        removed[0] += found
        return clean
    if kind is tuple:
        items = tuple(_clean(v, removed) for v in value)
        return value if all(a is b for a, b in zip(items, value)) else items
    names = _field_names(kind)
    if not names:
        return value
    changes = {}
    for name in names:
        old = getattr(value, name)
        new = _clean(old, removed)
        if new is not old:
            changes[name] = new
    return dataclasses.replace(value, **changes) if changes else value


def _clean_edges(chapter: Chapter, removed: list[int]) -> Chapter:
    """A chapter whose text is known clean: its heading, notes and image descriptions cleaned."""
    changes = {}
    for name in ("heading", "title", "label", "summary", "notes", "end_notes"):
        old = getattr(chapter, name)
        new = _clean(old, removed)
        if new is not old:
            changes[name] = new
    if any(isinstance(b, Image) for b in chapter.blocks):
        blocks = tuple(_clean(b, removed) if isinstance(b, Image) else b for b in chapter.blocks)
        if any(a is not b for a, b in zip(blocks, chapter.blocks)):
            changes["blocks"] = blocks
    return dataclasses.replace(chapter, **changes) if changes else chapter


@functools.lru_cache(maxsize=None)
def _field_names(kind: type) -> tuple[str, ...]:
    """The fields of a model dataclass that can hold text (cached: this pass runs on every story)."""
    if not dataclasses.is_dataclass(kind):
        return ()
    return tuple(f.name for f in dataclasses.fields(kind) if f.name not in {"data", "mtime"})

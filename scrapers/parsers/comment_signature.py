"""A comment's signature line: who wrote it and when, in one short line of text.

"Posted by Tom Baker on March 4, 2013 at 10:14 AM", "Ann Lee | 12 March 2013 10:02", "Hans Meier
schrieb am 24.07.2017 um 09:30", "Гость, 3 ноября 2022, 15:20": a date (any form the date reader
knows, in any language it has month names for) with a name before it, or after it ("… by NAME").
The name is, by preference, an inline element of the line that does not hold the date (a link, a
bold name); else the line's text beside the date without the joining words around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, tzinfo

from .dateparse import find_loose
from .text import Element, squash, text_of

SIGNATURE_LENGTH = 120  # characters: a signature is one short line, a comment's text is longer
NAME_LENGTH = 40  # characters of a name; a longer "name" is a sentence
_GLUED = re.compile(r"(?<=[^\W\d]\.)(?=\d)|(?<=[^\W\d])(?=\d{1,2}[./-]\d{1,2}[./-]\d)")
_CLOCK = re.compile(r"\b\d{1,2}:\d\d\b")
_DATE_HINT = re.compile(r"\d{4}|\d:\d\d|\d[./-]\d{1,2}[./-]\d")  # cheap test before reading a date
_POSTED = (
    r"(?:posted|written|submitted|published|comment(?:ed)?|geschrieben|veröffentlicht|publié|escrito|scritto|publicado"
    r"|pubblicato|opublikowano|написано|опубликовано)"
)
_BY = r"by|von|par|di|da|door|por|przez|от|av|af"
# Words that join a name to its date ("Posted by X on", "X schrieb am", "X wrote:"); the date's own
# joining words (at, um, à…) are the date reader's.
_LEAD = re.compile(
    rf"^\W*(?:{_POSTED}\s*)?(?:{_BY})\s*:?\s+",
    re.I,
)
_POSTED_BY = re.compile(rf"^\W*{_POSTED}\s+(?:{_BY})\s*:?\s+", re.I)  # "publicado por NAME" in a name element
_TRAIL = re.compile(
    r"(?:\s*(?:[|,:;·•—–\-/@]|\b(?:on|at|am|um|le|el|il|op|on|в|wrote|writes|said|says|replied|schrieb|schreibt|"
    r"écrit|a écrit|escribió|escribe|scrive|ha scritto|napisał|napisała|написал|написала|пишет|yazdı|said on)\b))+\s*$",
    re.I,
)
_ACTION = re.compile(
    r"^\W*(?:reply|respond|antworten|répondre|responder|rispondi|odpowiedz|ответить|cavab ver|report|quote|permalink"
    r"|post a (?:comment|reply)|add a comment|leave a (?:comment|reply)|like|share|flag)\W*$",
    re.I,
)
_INLINE_NAME = ("a", "b", "strong", "cite", "em", "span", "i")


@dataclass(frozen=True)
class Signature:
    author: str | None
    raw: str | None
    value: datetime | None


def read_signature(line: str, tz: tzinfo, element: Element | None = None) -> Signature | None:
    """The author and date of one short line, or None when it holds no date (or is no short line)."""
    if len(line) > SIGNATURE_LENGTH or not _DATE_HINT.search(line):
        return None
    found = find_loose(line, tz)
    if found is None:
        # Name and date in adjacent inline elements with no space between them in the markup
        # ("Ahmet Y.09.03.2013", which CSS spaces apart): read the line with a space before the date.
        spaced = _GLUED.sub(" ", line)
        if spaced != line:
            line, found = spaced, find_loose(spaced, tz)
    if found is None:
        return None
    before, after = line[: found.start], line[found.end :]
    author = _inline_name(element, line, found.raw) if element is not None else None
    if _LEAD.match(after):  # "Le mardi 4 mai 2010, 09:14 par Paul": the name follows its joining word
        author = author or clean_name(after) or clean_name(before)
    author = author or clean_name(before) or clean_name(after)
    return Signature(author, found.raw, found.value)


def clean_name(text: str) -> str | None:
    """A name without the words that join it to its date; None when what is left is no name."""
    name = _TRAIL.sub("", _LEAD.sub("", squash(text))).strip(" \"'“”()[]")
    name = _TRAIL.sub("", name).strip()
    if not name or len(name) > NAME_LENGTH or len(name.split()) > 5 or not re.search(r"[^\W\d_]", name):
        return None
    if _CLOCK.search(name):
        return None  # the rest of a date the date reader left ("om 10:26"), not a name
    return name


def _inline_name(element: Element, line: str, date: str) -> str | None:
    """A name element inside the signature line: short, no date in it."""
    for tag in element.iterdescendants(*_INLINE_NAME):
        text = squash(text_of(tag, " "))
        if text and text in line and date not in text and not _DATE_HINT.search(text) and len(text) <= NAME_LENGTH:
            name = clean_name(text)
            if name:
                return name  # else a number ("1.", "#3") or a mark: the next element may be the name
    return None


def without_posted_by(name: str) -> str:
    """A name element's text without "posted by" before it ("publicado por Rui")."""
    return _POSTED_BY.sub("", name).strip()


def looks_dated(text: str) -> bool:
    """Whether a text may hold a date (a cheap test: a year, a time, a numeric date)."""
    return bool(_DATE_HINT.search(text))


def is_excerpt(text: str) -> bool:
    """A text cut short with an ellipsis: a widget's excerpt of a comment or a post, not the text."""
    return squash(text).rstrip(" \"'”’»").endswith(("...", "…", "[…]", "[...]"))


def holds_date(text: str, tz: tzinfo) -> bool:
    return bool(_DATE_HINT.search(text)) and find_loose(text, tz) is not None


def is_action(line: str) -> bool:
    """A line that is a button, not text: "Reply", "Report", "Post a comment"."""
    return len(line) <= 40 and bool(_ACTION.match(line))

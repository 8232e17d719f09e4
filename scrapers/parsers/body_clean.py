"""The body's text once read: Unicode normalised, and ended where the page's own statement of it ends.

- Text is given in NFC (a page may write "é" as "e" and a combining accent: the archive's search and
  comparisons must see one letter), without soft hyphens (invisible unless a line breaks there, they
  split words) or word joiners.
- JSON-LD ``articleBody`` is the site's own statement of the text. It often lacks the lead or holds
  captions, so the page's text is kept; but where the statement's last paragraph is found in the
  page, what the page shows after it (an author box, a newsletter pitch, other stories) is not the
  article, nor are the short lines it leaves out (bylines, credits, labels).
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = re.compile("[\u00ad\u2060\u200b]")
_KEY_WORDS = 8  # the statement's last words looked for in the page ...
_COVER = 0.5  # the statement is evidence when it is at least this share of the page's text
_SPAN = 0.8  # the page's text up to its last paragraph is at least this share of the statement
_LINE = 100  # characters: a shorter paragraph of the page ...
_HELD = 0.5  # ... is kept when the statement holds this share of its words
_WORD = re.compile(r"\w+")
_SENTENCE = re.compile(r"[.!?…][\"'”’»)]?$")
_KEY_MIN = 30  # ... when they are this many characters at least (short lines recur: "Ende", a signature)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text))


def ends_with_statement(paragraphs: list[str], statement: str, headings: frozenset[str]) -> list[str]:
    """The page's paragraphs read against the site's statement of the text, where the statement is
    most of what the page shows: what follows its last paragraph is dropped, and so are the page's
    short lines that the statement does not hold and that are no sentence (a byline, a credit, a
    button's label), except the text's headings: statements often leave out headings and the lead."""
    if len(statement) < _COVER * sum(len(p) for p in paragraphs):
        return paragraphs  # a summary, or another text: no evidence of where this one ends
    words = set(_WORD.findall(statement.lower()))
    end = _last_of(paragraphs, statement)
    kept = paragraphs[: end + 1] if end is not None else paragraphs
    return [p for p in kept if len(p) >= _LINE or p in headings or _SENTENCE.search(p) or _held(p, words)]


def _last_of(paragraphs: list[str], statement: str) -> int | None:
    """The paragraph that holds the statement's last words, when what the page has up to it spans
    the statement (the statement does not end in the page's first lines). Words, not characters:
    the page may break a line or write a space differently."""
    last = statement.rsplit("\n\n", 1)[-1]
    key = " ".join(_WORD.findall(last.lower())[-_KEY_WORDS:])
    if len(key) < _KEY_MIN:
        return None
    for n in range(len(paragraphs) - 1, -1, -1):
        if key in " ".join(_WORD.findall(paragraphs[n].lower())):
            return n if sum(len(p) for p in paragraphs[: n + 1]) >= _SPAN * len(statement) else None
    return None


def _held(paragraph: str, words: set[str]) -> bool:
    tokens = _WORD.findall(paragraph.lower())
    return not tokens or sum(1 for t in tokens if t in words) >= _HELD * len(tokens)

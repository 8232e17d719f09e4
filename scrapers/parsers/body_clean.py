"""The body's text once read: Unicode normalised, and ended where the page's own statement of it ends.

- Text is given in NFC (a page may write "é" as "e" and a combining accent: the archive's search and
  comparisons must see one letter), without soft hyphens (invisible unless a line breaks there, they
  split words) or word joiners.
- JSON-LD ``articleBody`` is the site's own statement of the text. It often lacks the lead or holds
  captions, so the page's text is kept; but where the statement's last paragraph is found in the
  page, what the page shows after it (an author box, a newsletter pitch, other stories) is not the
  article.
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = re.compile("[\u00ad\u2060\u200b]")
_TAIL_KEY = 60  # characters of the statement's last paragraph looked for in the page
_SPAN = 0.8  # the page's text up to that paragraph is at least this share of the statement ...
_AT_MOST = 0.25  # ... and what it drops at most this share of what it keeps
_KEY_MIN = 30  # ... when it has at least this many (shorter lines recur: "Ende", a signature)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text))


def ends_with_statement(paragraphs: list[str], statement: str) -> list[str]:
    """``paragraphs`` up to the one holding the statement's last paragraph (all of them when none does)."""
    last = statement.rsplit("\n\n", 1)[-1].strip()
    if len(last) < _KEY_MIN:
        return paragraphs
    key = last[-_TAIL_KEY:]
    for n in range(len(paragraphs) - 1, -1, -1):
        if key in paragraphs[n]:
            kept = sum(len(p) for p in paragraphs[: n + 1])
            dropped = sum(len(p) for p in paragraphs[n + 1 :])
            # The statement spans the text kept (not a summary ending in its first lines), and what
            # follows it is a box or two, not more of the article.
            if kept >= _SPAN * len(statement) and dropped <= _AT_MOST * kept:
                return paragraphs[: n + 1]
            return paragraphs
    return paragraphs

"""What a comment system prints in every item besides the reader's text, told apart by repetition
and by what the item already says, not by words: a last line that ends most items alike (a toolbar:
"Reply · Report", "14 Reply Share" with only its counts changing), the author's name or the date
again as a paragraph of the text.

Not removed, though it looks like the system's: a first line shared by most items ("1. Says:", the
signature as shown, which the labels keep), and a comment with neither author nor date among signed
ones (a moderator's "This comment was removed" stub, but on real pages far more often a comment
whose signature was not read)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from .article import Comment
from .comment_signature import looks_dated

_SHORT = 40  # characters of a line a system repeats in each item
_REST = 20  # characters besides the date on a line that is the date (a badge: "Author", "#3")
_DIGITS = re.compile(r"\d+")


def tidy(comments: list[Comment], titles: frozenset[str] = frozenset()) -> list[Comment]:
    """``titles``: the items' headings, which are the readers' own (a forum post's "Re: SUBJECT")."""
    kept = comments
    texts = [_paragraphs(c) for c in kept]
    texts = _without_shared_ends(texts, titles)
    return [replace(c, text="\n\n".join(t)) for c, t in zip(kept, texts, strict=True) if t]


def _paragraphs(comment: Comment) -> list[str]:
    """The text's paragraphs, without a first or last one that is the author's name or the date."""
    found = [p for p in comment.text.split("\n\n") if p]
    for end in (0, -1):
        if len(found) < 2:
            break
        line = found[end]
        if line == comment.author or (comment.published_raw and _is_date_line(line, comment.published_raw)):
            del found[end]
    return found


def _is_date_line(line: str, raw: str) -> bool:
    return raw in line and len(line) - len(raw) <= _REST


def _without_shared_ends(texts: list[list[str]], titles: frozenset[str]) -> list[list[str]]:
    """Without the last line that most items of two paragraphs or more share (digits aside): their
    toolbar. A shared first line is kept: it is part of the signature as shown ("1. Says:")."""
    for end in (-1,):
        longer = [t for t in texts if len(t) >= 2]
        keys = Counter(_key(t[end]) for t in longer if _system_like(t[end], titles))
        shared = {k for k, n in keys.items() if n >= 2 and n >= 0.5 * len(longer)}
        if shared:
            texts = [_without(t, end) if len(t) >= 2 and _key(t[end]) in shared else t for t in texts]
    return texts


def _system_like(line: str, titles: frozenset[str]) -> bool:
    """Short, not a heading of the item, and no date (dates are alike in shape, not in value)."""
    return len(line) <= _SHORT and line not in titles and not looks_dated(line)


def _without(paragraphs: list[str], end: int) -> list[str]:
    return paragraphs[1:] if end == 0 else paragraphs[:-1]


def _key(line: str) -> str:
    return _DIGITS.sub("#", line.strip().lower())

"""A moderator's stub among comments ("This comment was removed", "[deleted]"): the system's line
in the place of a reader's comment, not a comment.

Told apart by structure, not by the words of one language:

- an unsigned item that lacks most of what the signed items around it all hold (their name, date,
  avatar and toolbar elements): the system printed a bare box. A real comment whose signature was not
  read still holds its siblings' elements (dropping every unsigned item among signed ones cost real
  comments on the dev set);
- a short text that is one italic or emphasised element alone (``<em>This comment was deleted.</em>``),
  a single bracketed word (``[removed]``), or a line that names a moderator: the one word for the
  role that most languages share (moderator, moderátor, modérateur, moderador, модератор). Not
  "admin": a site's answer under a comment names the administration as often.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from .article import Comment
from .text import Element, squash, text_of

_SHORT = 160  # characters: a system's line, not a comment that mentions one
_THIN = 0.5  # of the inner kinds every signed item holds: below this share, a bare box
_MIN_KINDS = 2  # inner kinds the signed items must share for a comparison to mean anything
_SAMPLE = 8  # signed items read for what they all hold: enough to tell, and a long list costs no more
_BRACKETED = re.compile(r"^\[[^\W\d_]+\]$")
_MODERATOR = re.compile(r"\bmod[eé]r[aá][tdcç]|\bмодер", re.I)
_EMPHASIS = ("i", "em")


def stub_indices(comments: list[Comment], elements: list[Element], own: list[Callable[[Element], bool]]) -> set[int]:
    """The positions of the stubs among ``comments`` (each read from ``elements[n]``; ``own[n]``
    tells the tags of that item from those of a reply nested in it)."""
    found = {n for n, c in enumerate(comments) if len(c.text) <= _SHORT and _stub_text(c.text, elements[n], own[n])}
    unsigned = [n for n, c in enumerate(comments) if not c.author and n not in found]
    signed = [n for n, c in enumerate(comments) if c.author and n not in found][:_SAMPLE]
    if not unsigned or len(signed) < 2:
        return found
    shared = set.intersection(*(_inner_kinds(elements[n], own[n]) for n in signed))
    if len(shared) < _MIN_KINDS:
        return found
    for n in unsigned:
        if len(_inner_kinds(elements[n], own[n]) & shared) < _THIN * len(shared):
            found.add(n)
    return found


def _inner_kinds(element: Element, own: Callable[[Element], bool]) -> set[tuple[str, str]]:
    """The kinds (tag and first class) of the elements of an item, its replies' aside."""
    found: set[tuple[str, str]] = set()
    for tag in element.iterdescendants():
        if isinstance(tag.tag, str) and own(tag):
            names = str(tag.get("class") or "").split()
            found.add((tag.tag, names[0] if names else ""))
    return found


def _stub_text(text: str, element: Element, own: Callable[[Element], bool]) -> bool:
    """A short text that is the system's line: a bracketed word may follow a line of the signature
    read as text (old Reddit's "[–][deleted] 2 points" over "[removed]"); the other signs must hold
    for the whole text (a blog's author answers inside a comment in italics, after the reader's text)."""
    if _BRACKETED.match(text.rsplit("\n\n", 1)[-1]):
        return True
    if "\n" in text:
        return False
    if _MODERATOR.search(text):
        return True
    return any(own(tag) and squash(text_of(tag, " ")) == text for tag in element.iterdescendants(*_EMPHASIS))


def drop_stubs(comments: list[Comment], found: set[int]) -> list[Comment]:
    """The comments without the stubs; a reply to a stub keeps no parent."""
    gone = {comments[n].comment_id for n in found}
    kept = [c for n, c in enumerate(comments) if n not in found]
    return [replace(c, parent_id=None) if c.parent_id in gone else c for c in kept]

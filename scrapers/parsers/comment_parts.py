"""A comment's author and date where the markup names them in its own words: ``comment__author``,
``wp-block-comment-author-name``, ``vf-username``, ``comment-nick``, ``fyre-comment-date``,
``time-ago``. Class names are read as parts (BEM ``__``, ``-``, ``_``, camelCase), not as exact
words, and the element must look like what it names: a name is short and holds no date; a date
element is short. Used only where the usual selectors (:mod:`.comments`) found nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC

from .comment_signature import NAME_LENGTH, holds_date, is_action, looks_dated
from .text import Element, blocks, classes, inline_text, never_text, squash, text_of

_AUTHOR = re.compile(
    r"auth?or|user_?name|user-name|user(?:$|\s)|nick|(?:^|[-_\s])name(?:$|[-_\s])|[a-z]Name(?:$|[-_A-Z\s])", re.I
)
# A class that ends in the author's name: the element itself ("Author", "Username", "comment-author"),
# not a box of its parts ("author_information", "author_statistics", "AuthorWrap").
_AUTHOR_ITSELF = re.compile(r"(?:^|[-_\s]|[a-z])(?:author|Author|user_?name|User_?name|nick|Nick)(?:$|\s)")
_NOT_AUTHOR = re.compile(
    r"avatar|photo|image|img|pic|icon|badge|rank|group|role|bio|count|about|info|link-list|reply|parent|fans"
    r"|follow|karma|points|score|stats|status",
    re.I,
)
_DATE = re.compile(r"date|time|stamp", re.I)
_NOT_DATE = re.compile(r"timeline|update|(?:^|[-_])times(?:$|[-_])", re.I)
_NAME_TAGS = ("a", "b", "strong", "cite", "span")
_NAMING = ("class", "data-hook", "data-testid", "data-qa")
_DATE_LENGTH = 60  # characters of a shown date ("6 de marzo de 2013 a las 12:31", "5 years ago")


def loose_author(parts: tuple[Element, ...], own: Callable[[Element], bool]) -> Element | None:
    """The first element of the comment (not of a reply in it) whose class names its author, with a
    short text that is no date and no button."""
    for tag in _named(parts, own, _AUTHOR):
        if any(_NOT_AUTHOR.search(_element_part(name)) for name in classes(tag) if _AUTHOR.search(name)):
            continue
        if _holds_named(tag, _AUTHOR_ITSELF):
            continue  # a wrapper of the author element ("AuthorWrap" > "Author"): the inner one comes next
        found = blocks(tag)
        if len(found) > 1 or (found and "\n" in found[0].text) or not _is_name(shown_name(tag)):
            # a box of more than the name (a title and "63 Fans", the date; a name, <br>, a rank): its name element
            tag = next((e for e in tag.iterdescendants(*_NAME_TAGS) if _is_name(shown_name(e))), tag)
        if _is_name(shown_name(tag)):
            return tag
    return None


def _element_part(name: str) -> str:
    """A BEM class's element ("username" of "tm-user-info__username"): what the element is, where
    the block's name ("user-info") says what it belongs to."""
    return name.rsplit("__", 1)[-1]


def _is_name(text: str) -> bool:
    """Short, no button, and no date in it: a year in a nickname ("ivan1972") is no date."""
    if not 1 < len(text) <= NAME_LENGTH or is_action(text):
        return False
    return not looks_dated(text) or not holds_date(text, UTC)


def names_author(tag: Element) -> bool:
    """Whether an element's class names an author ("username", "comment__author")."""
    return bool(_AUTHOR.search(str(tag.get("class") or "")))


def shown_name(tag: Element) -> str:
    """The name as shown, buttons included: comment widgets make the name a button that opens the
    reader's profile (``button.coral-username``, ``button.vf-user-link``)."""
    return squash(text_of(tag, " "))


def loose_date(parts: tuple[Element, ...], own: Callable[[Element], bool]) -> Element | None:
    """The first element of the comment whose class names a date or time, with a short text."""
    for tag in _named(parts, own, _DATE):
        if _NOT_DATE.search(_names(tag) or ""):
            continue
        if _holds_named(tag, _DATE):
            continue  # a box of the date and the buttons ("cmtx_date_and_action_area"): its date element
        if 1 < len(inline_text(tag)) <= _DATE_LENGTH:
            return tag
    return None


def _holds_named(tag: Element, pattern: re.Pattern[str]) -> bool:
    return any(
        pattern.search(_names(inner) or "") and not never_text(inner)
        for inner in tag.iterdescendants()
        if isinstance(inner.tag, str)
    )


def _named(parts: tuple[Element, ...], own: Callable[[Element], bool], pattern: re.Pattern[str]) -> Iterator[Element]:
    for part in parts:
        for tag in part.iterdescendants():
            names = _names(tag) if isinstance(tag.tag, str) else None
            # The names first: the cheap test that rules out nearly every element.
            if names and pattern.search(names) and not never_text(tag) and own(tag):
                yield tag


def _names(tag: Element) -> str | None:
    """The class, and the attributes that name a part where classes are generated hashes (Wix's
    ``data-hook="author-name"``, React's ``data-testid``, ``data-qa``)."""
    names = [tag.get(attr) for attr in _NAMING]
    return " ".join(str(n) for n in names if n) or None

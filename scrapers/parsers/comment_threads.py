"""A reply's parent where the markup does not nest it: a flat list whose items say their parent
(``data-parent-id="88121"``) or their depth in a class (``depth-2``, ``level-2``, ``coral-indent-1``,
``fyre-comment-depth-1``): the parent is the nearest earlier item one level up."""

from __future__ import annotations

import re

from .text import Element, classes

_DEPTH = re.compile(r"(?:depth|level|indent|lvl|nest(?:ed|ing)?)[-_]?(\d{1,2})$", re.I)
_OWN_ID = re.compile(r"^(?:id|data-(?:[a-z]+-)*id)$")
_PARENT = re.compile(r"^data-(?:[a-z]+-)*(?:parent|reply-?to|in-reply-to)(?:-?id)?$")


def flat_parents(elements: list[Element], ids: list[str], nested: list[str | None]) -> list[str | None]:
    """Each item's parent id: the nesting's where it has one, else the declared parent, else the
    parent its depth class gives."""
    own = {value: ident for element, ident in zip(elements, ids, strict=True) for value in _own_ids(element)}
    depths = [depth(e) for e in elements]
    known = [d for d in depths if d is not None]
    by_depth = len(known) >= 2 and len(set(known)) >= 2
    parents: list[str | None] = []
    for n, (element, parent) in enumerate(zip(elements, nested, strict=True)):
        if parent is None:
            parent = _declared(element, own)
        if parent is None and by_depth:
            parent = _by_depth(depths, ids, n)
        parents.append(parent if parent != ids[n] else None)
    return parents


def depth(element: Element) -> int | None:
    for name in classes(element):
        match = _DEPTH.search(name)
        if match:
            return int(match.group(1))
    return None


def _own_ids(element: Element) -> list[str]:
    return [str(v) for k, v in element.attrib.items() if _OWN_ID.match(str(k)) and v and not _PARENT.match(str(k))]


def _declared(element: Element, own: dict[str, str]) -> str | None:
    for key, value in element.attrib.items():
        if _PARENT.match(str(key)) and str(value) in own:
            return own[str(value)]
    return None


def _by_depth(depths: list[int | None], ids: list[str], n: int) -> str | None:
    mine = depths[n]
    if mine is None:
        return None
    for earlier in range(n - 1, -1, -1):
        other = depths[earlier]
        if other is not None and other < mine:
            return ids[earlier]
    return None

"""A reply's parent where the markup does not nest it: a flat list whose items say their parent
(``data-parent-id="88121"``, ``data-parentid="301"`` beside ``id="kmt-301"``) or their depth: in a
class (``depth-2``, ``level-2``, ``coral-indent-1``, ``fyre-comment-depth-1``; else a class that
the items share but for its number, ``b-tree-twig-2``), or in an inline indent (``margin-left:
30px``). The depth may sit on the item or on a wrapper of it that holds no earlier item (a thread
box around the comment and its replies). The parent is the nearest earlier item one level up."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from itertools import pairwise

from .text import Element, classes, squash, text_of

_DEPTH = re.compile(r"(?:depth|level|indent|lvl|nest(?:ed|ing)?)[-_]?(\d{1,2})$", re.I)
_NUMBERED = re.compile(r"^(.*[^\d\W]|.*[-_])(\d{1,2})$")  # "b-tree-twig-2": ("b-tree-twig-", 2)
_INDENT = re.compile(r"(?:margin|padding)-left\s*:\s*(\d+(?:\.\d+)?)\s*(px|em|rem)?", re.I)
_OWN_ID = re.compile(r"^(?:id|data-(?:[a-z]+-)*id)$")
_PARENT = re.compile(r"^data-(?:[a-z]+-)*(?:parent|reply-?to|in-reply-to)(?:-?id)?$")
_NUMBER = re.compile(r"(\d{2,})$")
_CLIMB = 4  # wrapper levels above an item where its depth may be written


def flat_parents(elements: list[Element], ids: list[str], nested: list[str | None]) -> list[str | None]:
    """Each item's parent id: the nesting's where it has one, else the declared parent, else the
    parent its depth gives."""
    own = _own_map(elements, ids)
    depths = _depths(elements)
    boxes: dict[int, list[int]] = defaultdict(list)
    for m, element in enumerate(elements):
        box = element.getparent()
        if box is not None:
            boxes[id(box)].append(m)
    parents: list[str | None] = []
    for n, (element, parent) in enumerate(zip(elements, nested, strict=True)):
        if parent is None:
            parent = _declared(element, own)
        if parent is None and depths:
            parent = _by_depth(depths, ids, n)
        if parent is None:
            parent = _boxed(elements, ids, n, boxes)
        parents.append(parent if parent != ids[n] else None)
    return parents


def depth(element: Element) -> int | None:
    for name in classes(element):
        match = _DEPTH.search(name)
        if match:
            return int(match.group(1))
    return None


def _depths(elements: list[Element]) -> list[int | None]:
    """Each item's depth, from the first source that gives two depths or more: depth classes, then
    classes numbered alike, then inline indents; [] when none does."""
    chains = _chains(elements)
    readers: tuple[Callable[[list[list[Element]]], list[int | None]], ...] = (_named, _numbered, _indented)
    for reader in readers:
        found = reader(chains)
        if len({d for d in found if d is not None}) >= 2:
            return found
    return []


def _chains(elements: list[Element]) -> list[list[Element]]:
    """Each item and its wrappers that hold no earlier item, nearest first."""
    seen: set[int] = set()  # the ancestors of earlier items
    chains: list[list[Element]] = []
    for element in elements:
        chain = [element]
        for parent in element.iterancestors():
            if len(chain) > _CLIMB or id(parent) in seen:
                break
            chain.append(parent)
        chains.append(chain)
        seen.update(id(p) for p in element.iterancestors())
    return chains


def _named(chains: list[list[Element]]) -> list[int | None]:
    return [next((d for e in chain if (d := depth(e)) is not None), None) for chain in chains]


def _numbered(chains: list[list[Element]]) -> list[int | None]:
    """Depths from a class the items share but for a number (``b-tree-twig-1``, ``kmt-child-2``)."""
    values: dict[str, dict[int, int]] = defaultdict(dict)  # class stem -> item -> number
    for n, chain in enumerate(chains):
        for element in chain:
            for name in classes(element):
                match = _NUMBERED.match(name)
                if match and n not in values[match.group(1)]:
                    values[match.group(1)][n] = int(match.group(2))
    usable = [v for v in values.values() if _like_depths(list(v.values()))]
    if not usable:
        return []
    best = max(usable, key=len)
    return [best.get(n) for n in range(len(chains))]


def _like_depths(numbers: list[int]) -> bool:
    """Numbers that read as depths, not as a count (``item-1``, ``item-2``…): some repeat, and each
    is at most one deeper than the one before it (a reply sits under the item just above it)."""
    steps_ok = all(b <= a + 1 for a, b in pairwise(numbers))
    return len(numbers) >= 2 and 2 <= len(set(numbers)) < len(numbers) and steps_ok


def _indented(chains: list[list[Element]]) -> list[int | None]:
    """Depths from inline left indents: the rank of each indent among the items' indents."""
    indents: list[float | None] = []
    for chain in chains:
        found = None
        for element in chain:
            match = _INDENT.search(str(element.get("style") or ""))
            if match:
                found = float(match.group(1))
                break
        indents.append(found)
    ranks = {value: rank for rank, value in enumerate(sorted({i for i in indents if i is not None}))}
    return [None if i is None else ranks[i] for i in indents]


def _own_map(elements: list[Element], ids: list[str]) -> dict[str, str]:
    """Each item's own ids, and their numbers where no two items share one (``kmt-301``: 301)."""
    own: dict[str, str] = {}
    numbers: dict[str, set[str]] = defaultdict(set)
    for element, ident in zip(elements, ids, strict=True):
        for value in _own_ids(element):
            own[value] = ident
            match = _NUMBER.search(value)
            if match:
                numbers[match.group(1)].add(ident)
    for number, owners in numbers.items():
        if len(owners) == 1:
            own.setdefault(number, next(iter(owners)))
    return own


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


def linked_parents(
    elements: list[Element], ids: list[str], authors: list[str | None], parents: list[str | None]
) -> list[str | None]:
    """Each item's parent, or where it has none, the earlier item that an in-page link of it names
    by that item's author ("válasz neki: <a href="#hsz-30211">bence</a>", "in reply to <a
    href="#comment-12">Ann</a>"): a link to another item for any other reason (a permalink, a quote's
    source) does not carry the other item's author as its text."""
    anchors: dict[str, int] = {}
    for n, element in enumerate(elements):
        for value in _own_ids(element):
            anchors.setdefault(value, n)
    if not anchors:
        return parents
    found = list(parents)
    for n, element in enumerate(elements):
        if found[n] is None:
            found[n] = _reply_link(element, n, anchors, ids, authors)
    return found


def _reply_link(
    element: Element, n: int, anchors: dict[str, int], ids: list[str], authors: list[str | None]
) -> str | None:
    for link in element.iterdescendants("a"):
        href = str(link.get("href") or "")
        target = anchors.get(href.rpartition("#")[2]) if "#" in href else None
        if target is None or target >= n:
            continue
        name = authors[target]
        if name and squash(text_of(link, " ")) == name:
            return ids[target]
    return None


def _boxed(elements: list[Element], ids: list[str], n: int, boxes: dict[int, list[int]]) -> str | None:
    """The earlier item whose own box (its parent element, holding no other item as a child) holds
    this one too: a thread box of a comment and a box of its replies beside it (Squarespace's
    ``comment-wrapper`` > ``div.comment`` + ``comment-replies``). A list's shared wrapper holds
    every item as a child, so it is no comment's box (``boxes``: the items each parent holds)."""
    for ancestor in elements[n].iterancestors():
        held = boxes.get(id(ancestor))
        if held is not None and len(held) == 1 and held[0] < n:
            return ids[held[0]]
    return None

"""CSS selection through an index of the page's tags.

soupsieve alone walks the whole tree for every selector, and a page is queried a few dozen times
(profile selectors, chrome, fallbacks). The index lists the tags by class, id, attribute and name
in one pass; soupsieve then only checks the candidates that the selector's last step names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import soupsieve
from bs4 import Tag

_KEY = re.compile(r"#(?P<id>[\w-]+)|\.(?P<cls>[\w-]+)|\[\s*(?P<attr>[\w:-]+)|^(?P<name>[a-zA-Z][\w-]*)")
_COMBINATORS = " >+~"


@lru_cache(maxsize=512)
def compiled(selector: str) -> Any:
    return soupsieve.compile(selector)


Key = tuple[str, str]  # ("cls", "author"), ("id", "main"), ("attr", "itemprop"), ("name", "a")


@dataclass(frozen=True)
class Part:
    """One comma-separated part: the key of its last step, and those of the steps it descends from."""

    last: Key
    ancestors: tuple[Key, ...]


@lru_cache(maxsize=512)
def plan(selector: str) -> tuple[Part, ...] | None:
    """How to find candidates for each part; None when a last step names nothing the index knows
    (``*``, a bare pseudo-class): soupsieve then walks the tree itself."""
    parts = []
    for text in _split(selector, ","):
        steps = _steps(text.strip())
        keys = [_key_of(compound) for compound, _ in steps]
        last = keys[-1]
        if last is None:
            return None
        ancestors: list[Key] = []
        for (_, combinator), key in zip(reversed(steps[1:]), reversed(keys[:-1]), strict=True):
            if combinator not in (" ", ">"):
                break  # a sibling step: what follows is not inside it
            if key is not None:
                ancestors.append(key)
        parts.append(Part(last, tuple(ancestors)))
    return tuple(parts)


def _split(text: str, separator: str) -> list[str]:
    """Splits at ``separator`` outside brackets and parentheses."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _steps(part: str) -> list[tuple[str, str]]:
    """The compounds of a complex selector, each with the combinator before it (" " for the first)."""
    steps: list[tuple[str, str]] = []
    depth, start, combinator = 0, 0, " "
    i = 0
    while i < len(part):
        char = part[i]
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char in _COMBINATORS and depth == 0:
            if part[start:i].strip():
                steps.append((part[start:i].strip(), combinator))
                combinator = " "
            while i < len(part) and part[i] in _COMBINATORS:
                if part[i] != " ":
                    combinator = part[i]
                i += 1
            start = i
            continue
        i += 1
    steps.append((part[start:].strip(), combinator))
    return steps


def _key_of(compound: str) -> tuple[str, str] | None:
    found: dict[str, str] = {}
    for match in _KEY.finditer(re.sub(r"\[[^\]]*\]|\([^)]*\)", _attr_only, compound)):
        for kind in ("id", "cls", "attr", "name"):
            if match[kind] and kind not in found:
                found[kind] = match[kind].lower() if kind in ("attr", "name") else match[kind]
    for kind in ("id", "cls", "attr", "name"):  # the rarest first
        if kind in found:
            return kind, found[kind]
    return None


def _attr_only(match: re.Match[str]) -> str:
    """Keeps an attribute's name ("[rel~=tag]" → "[rel"), drops what brackets and parentheses hold."""
    text = match.group(0)
    if text.startswith("["):
        name = re.match(r"\[\s*([\w:-]+)", text)
        return f"[{name.group(1)}]" if name else ""
    return ""


class TagIndex:
    """The tags of a tree in document order, by id, class, attribute name and tag name."""

    def __init__(self, root: Tag) -> None:
        self.root = root
        self.tags: list[Tag] = root.find_all(True)
        self.position: dict[int, int] = {}
        self.by: dict[str, dict[str, list[Tag]]] = {"id": {}, "cls": {}, "attr": {}, "name": {}}
        for position, tag in enumerate(self.tags):
            self.position[id(tag)] = position
            self.by["name"].setdefault(tag.name, []).append(tag)
            for attr, value in tag.attrs.items():
                self.by["attr"].setdefault(attr, []).append(tag)
                if attr == "class":
                    for name in value if isinstance(value, list) else str(value).split():
                        self.by["cls"].setdefault(name, []).append(tag)
                elif attr == "id" and isinstance(value, str):
                    self.by["id"].setdefault(value, []).append(tag)

    def select(self, selector: str, scope: Tag | None = None) -> list[Tag]:
        """What ``scope.select(selector)`` returns (in document order), checking only candidates."""
        parts = plan(selector)
        matcher = compiled(selector)
        if parts is None:
            return list(matcher.select(scope or self.root))
        seen: dict[int, Tag] = {}
        for part in parts:
            for tag in self._candidates(part):
                if id(tag) not in seen and matcher.match(tag) and _within(tag, scope):
                    seen[id(tag)] = tag
        return sorted(seen.values(), key=lambda t: self.position[id(t)])

    def _candidates(self, part: Part) -> list[Tag]:
        """The tags with the part's last key; when a step it descends from is rarer, only those
        inside that step's tags (".article .author a": the links of .author, not every link)."""
        last = self.by[part.last[0]].get(part.last[1], [])
        rarest = min(part.ancestors, key=lambda k: len(self.by[k[0]].get(k[1], ())), default=None)
        if rarest is None:
            return last
        anchors = self.by[rarest[0]].get(rarest[1], [])
        if len(anchors) >= len(last):
            return last
        return [tag for anchor in anchors for tag in anchor.find_all(True) if _has(tag, part.last)]


def _has(tag: Tag, key: Key) -> bool:
    kind, value = key
    if kind == "name":
        return tag.name == value
    if kind == "cls":
        return value in tag.get_attribute_list("class")
    if kind == "id":
        return tag.get("id") == value
    return tag.has_attr(value)


def _within(tag: Tag, scope: Tag | None) -> bool:
    if scope is None:
        return True
    return any(parent is scope for parent in tag.parents)

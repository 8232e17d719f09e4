"""CSS selection on the lxml tree: each selector is translated to XPath once (cssselect) and
evaluated by libxml2, so a page queried a few dozen times costs microseconds per query.

``select(selector, scope)`` answers what ``scope.select(selector)`` answers in BeautifulSoup
(soupsieve): the matching elements under ``scope`` (not ``scope`` itself), in document order;
without a scope, every matching element of the document, its root included.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cssselect import HTMLTranslator, SelectorError
from lxml import etree

from .text import Element

_TRANSLATOR = HTMLTranslator()
_SIMPLE = r"(?:\.[A-Za-z_][\w-]*|[a-z][a-z0-9]*)"  # a bare class (".post-body") or tag name ("h2")
_SIMPLE_GROUP = re.compile(rf"\s*{_SIMPLE}(?:\s*,\s*{_SIMPLE})*\s*")

__all__ = ["SelectorError", "compiled", "select", "simple_group"]


@lru_cache(maxsize=1024)
def compiled(selector: str) -> etree.XPath:
    """The selector as a compiled XPath from the context node down (raises ``SelectorError``)."""
    try:
        expression = _TRANSLATOR.css_to_xpath(selector, prefix="descendant-or-self::")
        return etree.XPath(expression)
    except etree.XPathSyntaxError as exc:
        raise SelectorError(str(exc)) from exc


def select(root: Element, selector: str, scope: Element | None = None) -> list[Element]:
    """The elements ``selector`` matches: under ``scope`` when given, else in the whole tree of ``root``."""
    found = compiled(selector)(scope if scope is not None else root)
    assert isinstance(found, list)
    if scope is None:
        return [e for e in found if isinstance(e, etree._Element)]
    return [e for e in found if isinstance(e, etree._Element) and e is not scope]


@lru_cache(maxsize=1024)
def simple_group(selector: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The class names and tag names of a group of bare class and tag selectors (".entry-content,
    .post-content", "h2, h3"), which a page answers from its indexes (:meth:`Page.select`) instead of
    an XPath that tests every element's class against each name; None for any other selector.
    Class names match case-sensitively, tag names are lower-case (as cssselect's HTML translation)."""
    if not _SIMPLE_GROUP.fullmatch(selector):
        return None
    parts = [part.strip() for part in selector.split(",")]
    return tuple(p[1:] for p in parts if p.startswith(".")), tuple(p for p in parts if not p.startswith("."))

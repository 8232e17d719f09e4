"""Text helpers shared by the extractors: the tree, whitespace, skipping rules and the paragraph walker.

Pages are parsed with lxml's HTML parser (libxml2, the parser BeautifulSoup's ``lxml`` builder drives),
which builds the tree about ten times faster than BeautifulSoup does. The walker turns an element
into paragraphs the way a reader sees them: block elements start a new paragraph, inline elements
flow into the current one, ``<br>`` starts a new line inside it.

``never_text``, ``is_hidden`` and ``is_text_string`` also accept BeautifulSoup tags and strings,
for the callers that still read a soup (the page-type check).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from bs4 import Tag
from bs4.element import CData, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction
from lxml import etree

Element = etree._Element

# Elements whose content is never reading text, wherever they are.
NEVER_TEXT = frozenset(
    {"script", "style", "noscript", "template", "svg", "math", "head", "title", "meta", "link"}
)  # fmt: skip
# Controls and embeds: not text either, but a broken page can leave one open around everything
# that follows it (an unclosed ``<button>``), so the generic path checks their size first.
CONTROLS = frozenset(
    {"iframe", "object", "embed", "canvas", "video", "audio", "select", "option", "button", "input",
     "textarea", "map"}
)  # fmt: skip
BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
        "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "nav", "ol", "p", "pre",
        "section", "summary", "table", "tbody", "thead", "tfoot", "tr", "ul", "menu", "caption",
    }
)  # fmt: skip
# Cells of one table row stay on one line, separated by a space.
CELL = frozenset({"td", "th"})
_NOT_TEXT_STRINGS = (Comment, Declaration, Doctype, CData, ProcessingInstruction)
SPACE = re.compile(r"[\s\u200b\u200c\u200d\ufeff]+")
# C0 and C1 control characters that are not whitespace (ESC, BEL, CSI...). A page can carry them as
# entities (``&#27;[31m``) that the HTML parser decodes; kept, they would reach a terminal as escape
# sequences (colours, OSC-8 links, a cleared screen). The whitespace ones (\t \n \r \v \f,
# \x1c-\x1f, \x85) are folded into spaces by `squash` instead.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
_LINE_BREAK = "\x1e"  # an internal marker for <br>; control characters do not occur in page text
_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True)
NO_TEXT_OF = frozenset({"script", "style", "template"})  # what BeautifulSoup's get_text() leaves out
_STREAMED = re.compile(r"^S:\d+$")
_CLOSE_PAGE = re.compile(r"</(?:body|html)\s*>", re.I)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

Skip = Callable[[Element], bool]


def make_tree(markup: str) -> Element:
    """The page's ``<html>`` element (an empty one for an empty page).

    ``</body>`` and ``</html>`` are dropped first, as browsers ignore them: libxml2 would otherwise
    drop whatever a page prints after a stray one (templates that close the page and go on).
    """
    data = _CLOSE_PAGE.sub("", _CONTROL_CHARS.sub("", markup)).encode("utf-8", errors="replace")
    root = etree.fromstring(data, _PARSER) if data.strip() else None
    if root is None:
        root = etree.fromstring(b"<html><body></body></html>", _PARSER)
    return root


def squash(text: str) -> str:
    """Collapses every run of whitespace (nbsp and zero-width spaces too) into one space and drops
    control characters."""
    if text.isprintable() and "  " not in text:
        return text.strip()  # no control characters, no whitespace but single spaces: most strings
    return SPACE.sub(" ", strip_controls(text)).strip()


def strip_controls(text: str) -> str:
    """`text` without its non-whitespace control characters (see CONTROL_CHARS)."""
    return CONTROL_CHARS.sub("", text)


def tag_name(tag: Any) -> str:
    """The element's name, for lxml elements and BeautifulSoup tags alike."""
    if isinstance(tag, Tag):
        return str(tag.name)
    name = tag.tag
    return name if isinstance(name, str) else ""


def classes(tag: Any) -> list[str]:
    """The class names of an lxml element or a BeautifulSoup tag."""
    if isinstance(tag, Tag):
        return [c for c in tag.get_attribute_list("class") if c]
    value = tag.get("class")
    return value.split() if value else []


def attr(tag: Element, name: str) -> str:
    value = tag.get(name)
    return value if isinstance(value, str) else ""


def is_text_string(node: object) -> bool:
    """A BeautifulSoup string that a reader sees (not a comment, doctype or CDATA)."""
    return isinstance(node, NavigableString) and not isinstance(node, _NOT_TEXT_STRINGS)


def is_hidden(tag: Any) -> bool:
    """Hidden from readers (``hidden``, ``display: none``). React's streamed segments
    (``<div hidden id="S:0">``) are not: the page's script shows them at once."""
    hidden = tag.has_attr("hidden") if isinstance(tag, Tag) else tag.get("hidden") is not None
    if hidden:
        ident = tag.get("id")
        return not (isinstance(ident, str) and _STREAMED.match(ident))
    style = tag.get("style")
    return isinstance(style, str) and "display:none" in style.replace(" ", "").lower()


def never_text(tag: Any) -> bool:
    name = tag_name(tag)
    return name in NEVER_TEXT or name in CONTROLS or is_hidden(tag)


def text_of(tag: Element, separator: str = "") -> str:
    """All the text under an element as written (no whitespace folding), without scripts and styles."""
    parts: list[str] = []
    _text_into(tag, parts)
    return separator.join(parts)


def _text_into(tag: Element, parts: list[str]) -> None:
    if tag.text and tag_name(tag) not in NO_TEXT_OF:
        parts.append(tag.text)
    for child in tag:
        _text_into(child, parts)
        if child.tail:
            parts.append(child.tail)


def inline_text(tag: Element, skip: Skip = never_text) -> str:
    """All the text of an element as one line (for titles, names, captions, dates)."""
    return squash(" ".join(paragraphs(tag, skip)))


@dataclass
class Block:
    """One paragraph as read: its text, how much of it is link text, and the element it came from."""

    text: str
    link_chars: int
    element: Element

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


def paragraphs(root: Element, skip: Skip = never_text) -> list[str]:
    """The reading text of ``root`` as paragraphs, skipping every element for which ``skip`` is true."""
    return [block.text for block in blocks(root, skip)]


def blocks(root: Element, skip: Skip = never_text) -> list[Block]:
    """Like :func:`paragraphs`, keeping for each paragraph its link text and its block element.

    As a browser shows them: the items of an ordered list are numbered ("1. …"), and the lines of
    preformatted text (``<pre>``: code, poems) stay lines."""
    out: list[Block] = []
    buffer: list[str] = []
    links = 0  # characters of link text in the buffer
    owners: list[Element] = [root]
    in_link = in_pre = 0
    numbers: dict[int, int] = {}  # the next number of each ordered list

    def flush() -> None:
        nonlocal links
        if buffer:
            joined = "".join(buffer)
            if _LINE_BREAK in joined:
                text = "\n".join(filter(None, map(squash, joined.split(_LINE_BREAK))))
            else:
                text = squash(joined)  # one line: most paragraphs
            if text:
                out.append(Block(text, min(links, len(text)), owners[-1]))
            buffer.clear()
        links = 0

    def add(text: str | None) -> None:
        nonlocal links
        if text:
            text = text.replace(_LINE_BREAK, " ")
            if in_pre:
                text = text.replace("\n", _LINE_BREAK)
            buffer.append(text)
            if in_link:
                links += len(squash(text)) + 1

    # (element, closing): an element is opened, its children walked, then it is closed.
    stack: list[tuple[Element, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        name = node.tag if isinstance(node.tag, str) else ""
        if closing:
            if name in BLOCK:
                flush()
                owners.pop()
            elif name == "a":
                in_link -= 1
            if name == "pre":
                in_pre -= 1
            if node is not root:
                add(node.tail)
            continue
        if node is not root and (not name or skip(node)):
            add(node.tail)
            continue
        if name == "br":
            buffer.append(_LINE_BREAK)
            if node is not root:
                add(node.tail)
            continue
        if name in BLOCK:
            flush()
            owners.append(node)
            if name == "li":
                number = _list_number(node, numbers)
                if number is not None:
                    buffer.append(f"{number}. ")
            elif name == "pre":
                in_pre += 1
        elif name == "a":
            in_link += 1
        elif name in CELL:
            buffer.append(" ")
        add(node.text)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    flush()
    return out


def blocks_under(found: list[Block], top: Element, element: Element, skip: Skip) -> list[Block] | None:
    """What ``blocks(element, skip)`` reads, taken from ``found``, which ``blocks(top, skip)`` read
    (one walk of the page serves both), or None when the walk from ``top`` may read ``element``
    otherwise than a walk from it: ``element`` must be a block (its text starts and ends paragraphs)
    but not a list item (numbered by its place in the list), and neither it nor an element between
    it and ``top`` may be skipped or be a link or preformatted text (which change how text is read)."""
    if element is top:
        return found
    if element.tag not in BLOCK or element.tag == "li":
        return None
    chain = [element]
    for parent in element.iterancestors():
        if parent is top:
            break
        chain.append(parent)
    else:
        return None  # not under top
    if any(e.tag in ("a", "pre") or skip(e) for e in chain):
        return None
    return [b for b in found if b.element is element or any(p is element for p in b.element.iterancestors())]


def _list_number(item: Element, numbers: dict[int, int]) -> int | None:
    """The number a browser shows before an item of an ordered list (None in other lists)."""
    parent = item.getparent()
    if parent is None or parent.tag != "ol":
        return None
    key = id(parent)
    if key not in numbers:
        start = parent.get("start") or "1"
        numbers[key] = int(start) if start.strip().lstrip("-").isdigit() else 1
    value = item.get("value")
    number = int(value) if value and value.strip().isdigit() else numbers[key]
    numbers[key] = number + 1
    return number


def text_nodes(root: Element, until: Element | None = None) -> Iterator[tuple[str, Element]]:
    """The strings of ``root`` in page order as XPath's ``text()`` finds them (an element's text, then
    each child's strings followed by the child's tail), each with the element that holds it (a tail
    is its element's parent's); with ``until``, only those before that element starts."""
    for event, node in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            if node is until:
                return
            if node.text and isinstance(node.tag, str):
                yield node.text, node
        elif node is not root and node.tail:
            parent = node.getparent()
            if parent is not None:
                yield node.tail, parent


def has_ancestor(element: Element, *names: str) -> bool:
    return next(element.iterancestors(*names), None) is not None

"""Text helpers shared by the extractors: whitespace, skipping rules and the paragraph walker.

The walker turns an element into paragraphs the way a reader sees them: block elements start a new
paragraph, inline elements flow into the current one, ``<br>`` starts a new line inside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag
from bs4.element import CData, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction

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
_SPACE = re.compile(r"[\s\u200b\u200c\u200d\ufeff]+")
_LINE_BREAK = "\x1e"  # an internal marker for <br>; control characters do not occur in page text

Skip = Callable[[Tag], bool]


def squash(text: str) -> str:
    """Collapses every run of whitespace (nbsp and zero-width spaces too) into one space."""
    return _SPACE.sub(" ", text).strip()


def is_text_string(node: object) -> bool:
    return isinstance(node, NavigableString) and not isinstance(node, _NOT_TEXT_STRINGS)


def is_hidden(tag: Tag) -> bool:
    if tag.has_attr("hidden"):
        return True
    style = tag.get("style")
    return isinstance(style, str) and "display:none" in style.replace(" ", "").lower()


def never_text(tag: Tag) -> bool:
    return tag.name in NEVER_TEXT or tag.name in CONTROLS or is_hidden(tag)


def inline_text(tag: Tag, skip: Skip = never_text) -> str:
    """All the text of an element as one line (for titles, names, captions, dates)."""
    return squash(" ".join(paragraphs(tag, skip)))


@dataclass
class Block:
    """One paragraph as read: its text, how much of it is link text, and the element it came from."""

    text: str
    link_chars: int
    element: Tag

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


def paragraphs(root: Tag, skip: Skip = never_text) -> list[str]:
    """The reading text of ``root`` as paragraphs, skipping every element for which ``skip`` is true."""
    return [block.text for block in blocks(root, skip)]


def blocks(root: Tag, skip: Skip = never_text) -> list[Block]:
    """Like :func:`paragraphs`, keeping for each paragraph its link text and its block element."""
    out: list[Block] = []
    buffer: list[str] = []
    links = [0]  # characters of link text in the buffer (a list so the closures can update it)
    owners: list[Tag] = [root]

    def flush() -> None:
        if buffer:
            lines = (squash(line) for line in "".join(buffer).split(_LINE_BREAK))
            text = "\n".join(line for line in lines if line)
            if text:
                out.append(Block(text, min(links[0], len(text)), owners[-1]))
            buffer.clear()
        links[0] = 0

    end, link_end = object(), object()  # mark the end of a block element and of a link on the stack
    in_link = 0
    stack: list[object] = [root]
    while stack:
        node = stack.pop()
        if node is end:
            flush()
            owners.pop()
        elif node is link_end:
            in_link -= 1
        elif isinstance(node, Tag):
            if node is not root and skip(node):
                continue
            if node.name == "br":
                buffer.append(_LINE_BREAK)
                continue
            if node.name in BLOCK:
                flush()
                owners.append(node)
                stack.append(end)
            elif node.name == "a":
                in_link += 1
                stack.append(link_end)
            elif node.name in CELL:
                buffer.append(" ")
            stack.extend(reversed(node.contents))
        elif is_text_string(node):
            text = str(node).replace(_LINE_BREAK, " ")
            buffer.append(text)
            if in_link:
                links[0] += len(squash(text)) + 1
    flush()
    return out


def make_soup(markup: str) -> BeautifulSoup:
    return BeautifulSoup(markup, "lxml")

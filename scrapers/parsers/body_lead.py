"""The article's lead (dek, standfirst, "chapo", "spot") when the page sets it outside the text block.

Many CMSs print the headline, then a sentence or two that sums the story up, then the byline, and
only then the block that holds the paragraphs (``field--name-body``, ``itemprop=articleBody``): the
lead is the text's first paragraph to a reader, but the text block does not hold it. Found by its
place, whatever the language: after the page's headline, before the text block, under an element
close above the block that holds both; the first line there that is written prose (several words,
few links), not a byline, a date or a label, and not inside page furniture.
"""

from __future__ import annotations

from .body_names import body_furniture, stem_furniture
from .boilerplate import Furniture
from .page import Page
from .text import Block, Element, blocks

_REACH = 3  # levels above the text block where the headline and the lead are looked for
_LOOK = 4  # lines after the headline among which the lead is
_WORDS = 8  # a lead has this many words at least ...
_CHARS = (60, 500)  # ... and this many characters
_LINKS = 0.2  # ... and few links
_OWNERS = frozenset({"p", "h2", "h3", "div", "section", "header"})


def lead_of(page: Page, text_block: Element) -> Block | None:
    """The lead printed between the headline and ``text_block``, or None."""
    position = page.position
    start = position.get(id(text_block))
    if start is None:
        return None
    headline = _headline_before(page, start)
    if headline is None:
        return None
    around = _common_ancestor(text_block, headline)
    if around is None:
        return None
    above = {id(a) for a in text_block.iterancestors()}
    after = position.get(id(headline), 0)
    found = [
        b
        for b in blocks(around, lambda tag: _skip(page, tag))
        if after < position.get(id(b.element), -1) < start and id(b.element) not in above
    ]
    for block in found[:_LOOK]:
        if _is_lead(block):
            return block
    return None


def _headline_before(page: Page, start: int) -> Element | None:
    before = [h for h in page.tags("h1") if page.position.get(id(h), start) < start]
    return before[-1] if before else None


def _common_ancestor(text_block: Element, headline: Element) -> Element | None:
    """The ancestor of the text block, a few levels up, that also holds the headline."""
    ancestors = {id(a) for a in headline.iterancestors()}
    for depth, node in enumerate(text_block.iterancestors(), start=1):
        if depth > _REACH or node.tag in ("body", "html"):
            return None
        if id(node) in ancestors:
            return node
    return None


def _skip(page: Page, tag: Element) -> bool:
    """Never-text, the headline itself, and furniture (a header's share bar, an author's box); the
    article's own header is where the lead is, so a header tag alone does not count."""
    if page.skip(tag) or tag.tag in ("h1", "figure", "figcaption", "form", "button"):
        return True
    kind = body_furniture(tag)
    if kind is Furniture.SURE or (kind is Furniture.LIKELY and tag.tag != "header"):
        return True
    return stem_furniture(tag)


def _is_lead(block: Block) -> bool:
    text = block.text
    if block.element.tag not in _OWNERS or not _CHARS[0] <= len(text) <= _CHARS[1]:
        return False
    return len(text.split()) >= _WORDS and block.link_density < _LINKS and "\n" not in text

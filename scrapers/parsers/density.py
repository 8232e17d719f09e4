"""Finding the article's text on a page nobody described: the block that holds the most prose.

Every paragraph gets a value: long, sentence-like, link-free text counts for it; short fragments
and link lists count against it. The container to keep is the element whose paragraphs add up to
the most, so a parent wins over its child only when what it adds is prose, not furniture.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .text import Block, Element

_SHORT = 25  # a paragraph this short is a label, a button or a byline, not article text
_LINK_WEIGHT = 2.5
_WIDEN = 1.25
_REACH = 3  # levels up where a wider container is looked for


def value(block: Block) -> float:
    text = block.text
    plain = len(text) - block.link_chars
    score = plain - _LINK_WEIGHT * block.link_chars - _SHORT
    if plain > 80 and any(mark in text for mark in ".!?。,;"):
        score += 0.25 * plain  # written sentences, not a list of names
    return score


def is_prose(block: Block) -> bool:
    return len(block.text) >= 80 and block.link_density < 0.3


@dataclass
class Scores:
    """The summed value and prose of the paragraphs under each element (keyed by the Element's id)."""

    value: dict[int, float] = field(default_factory=dict)
    prose: dict[int, int] = field(default_factory=dict)
    elements: dict[int, Element] = field(default_factory=dict)

    def of(self, element: Element) -> float:
        return self.value.get(id(element), 0.0)

    def prose_of(self, element: Element) -> int:
        return self.prose.get(id(element), 0)

    def best(self) -> Element | None:
        """The highest-valued element, widened to an ancestor that holds clearly more prose.

        Link lists inside an article (sources, changelogs) cost value and can leave a single
        paragraph on top; an ancestor a few levels up (wrappers in between) that adds a quarter
        more prose without losing most of the value is the article.
        """
        if not self.value:
            return None
        node = self.elements[max(self.value, key=lambda k: self.value[k])]
        while True:
            wider = self._wider(node)
            if wider is None:
                return node
            node = wider

    def _wider(self, node: Element) -> Element | None:
        prose = self.prose_of(node)
        for depth, parent in enumerate(node.iterancestors(), start=1):
            if depth > _REACH or id(parent) not in self.value:
                return None
            if self.prose_of(parent) >= _WIDEN * prose:
                return parent
        return None


def score_elements(found: list[Block], root: Element) -> Scores:
    scores = Scores()
    for block in found:
        gain, prose = value(block), len(block.text) if is_prose(block) else 0
        for element in _up_to(block.element, root):
            key = id(element)
            scores.elements[key] = element
            scores.value[key] = scores.value.get(key, 0.0) + gain
            scores.prose[key] = scores.prose.get(key, 0) + prose
    return scores


def _up_to(element: Element, root: Element) -> list[Element]:
    chain = [element]
    if element is root:
        return chain
    for parent in element.iterancestors():
        chain.append(parent)
        if parent is root:
            break
    return chain

"""Where an article ends and the page's other stories begin, by structure rather than by words.

Pages close an article with boxes of other stories under a short heading: "Related articles",
"Mehr zum Thema", "Lesen Sie auch", "Zobacz także", "Veja também", "Oxşar xəbərlər", "Читайте также".
A list of those headings is never complete, but the box always looks the same: a short line that is
no sentence, then the teasers, each a linked title with at most a line of excerpt, a date or an
author. So the end of the article is such a heading, once most of the text is read, followed by such
a run of teasers; whatever language the heading is in.
"""

from __future__ import annotations

import re

from .text import Block

_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_AFTER = 0.5  # the heading comes once this share of the text is read
_HEADING_CHARS = 60  # a heading is a short line ...
_HEADING_WORDS = 5  # ... of a few words ...
_LABEL_LINKS = 0.3  # a heading is mostly plain text
_SENTENCE_END = re.compile(r"[.!?;,…]\s*$")  # ... that is no sentence
_EXCERPTS = 0.35  # the unlinked text after the heading is at most this share of the text before it
_MIN_TEASERS = 2  # linked titles among them ...
_TEASER_SHARE = 1 / 3  # ... and this share of them at least
_EXCERPT = 250  # characters: the longest line of unlinked text a teaser has (an excerpt, a date)
_TITLE = 300  # characters: a linked title is shorter than this ...
_TITLE_LINKS = 0.6  # ... and mostly link text ...
_WORDS = re.compile(r"[^\W\d_]{2,}")
_TITLE_WORDS = 3  # ... of this many words at least; the titles in a run differ


def structural_end(found: list[Block]) -> int:
    """The index of the block where the article's text ends (``len(found)`` when it runs to the end)."""
    if len(found) < 4:
        return len(found)
    runs: _Runs | None = None  # counted when the first heading is met (most texts have none late)
    total = sum(len(b.text) for b in found)
    read = 0
    for n, block in enumerate(found):
        if read >= _AFTER * total and _is_heading(block):
            runs = runs or _Runs(found)
            if runs.teasers_from(n + 1, read):
                return n
        read += len(block.text)
    return len(found)


def _is_heading(block: Block) -> bool:
    """A box's heading: a short line of words, no sentence, not a link (a linked heading is a title:
    of a chapter in a table of contents, of a teaser)."""
    text = block.text
    if len(text) > _HEADING_CHARS or "\n" in text or _SENTENCE_END.search(text) or not _WORDS.search(text):
        return False
    if block.link_density >= _LABEL_LINKS:
        return False
    return len(text.split()) <= _HEADING_WORDS


def _is_title(block: Block) -> bool:
    """A teaser's linked title (or a menu's entry): a short line that is mostly link text, of a few
    words (not a "Reply" or "Thanks" button under each comment)."""
    if block.link_density <= _TITLE_LINKS or len(block.text) >= _TITLE:
        return False
    return len(_WORDS.findall(block.text)) >= _TITLE_WORDS


class _Runs:
    """What the blocks from each index to the end hold: titles (all, and distinct), and the
    unlinked text of the others (the longest, and all of it); counted once, from the end."""

    def __init__(self, found: list[Block]) -> None:
        size = len(found) + 1
        self.title = [_is_title(b) for b in found] + [False]
        self.titles, self.distinct, self.longest, self.plain = [0] * size, [0] * size, [0] * size, [0] * size
        seen: set[str] = set()
        for n in range(len(found) - 1, -1, -1):
            block, title = found[n], self.title[n]
            unlinked = 0 if title else len(block.text) - block.link_chars
            if title:
                seen.add(block.text)
            self.titles[n] = self.titles[n + 1] + title
            self.distinct[n] = len(seen)
            self.longest[n] = max(self.longest[n + 1], unlinked)
            self.plain[n] = self.plain[n + 1] + unlinked
        self.size = len(found)

    def teasers_from(self, start: int, read: int) -> bool:
        """The teasers start at once (a title right under the heading) and run to the end; nothing
        among them is a paragraph of the article's own prose, and their excerpts add up to little
        beside the article (its sections have more prose than a box of teasers)."""
        if start >= self.size or not self.title[start]:
            return False
        if self.distinct[start] < _MIN_TEASERS or self.titles[start] < _TEASER_SHARE * (self.size - start):
            return False
        return self.longest[start] < _EXCERPT and self.plain[start] <= _EXCERPTS * read

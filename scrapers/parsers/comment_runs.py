"""Comment lists whose markup never says "comment": runs of signed blocks after a heading.

A list of comments looks the same in every language: a heading ("Have your say", "Your views",
"Meinungen unserer Leser") or an anchor, then blocks of one kind, each signed with a short line that
holds a name and a date ("Posted by NAME on TIME", "NAME | DATE"). Two shapes:

- blocks: sibling elements of one kind (tag and first class), each holding its signature line and
  its text; a block of the same kind nested in one is a reply;
- segments: the signatures are siblings of the text, not its wrappers: ``<b>Name</b><br>text<hr>``
  runs, or a text paragraph followed by its "Posted by" footer paragraph.

What else looks like this is kept out by structure, not by words: teasers (a block holding a
heading), link lists, a live blog's updates or an interview's speakers (one or two names over and
over: comments come from different readers), hidden templates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import tzinfo
from itertools import pairwise
from typing import cast

from lxml import etree

from . import comment_signature as sign
from .article import Comment
from .comment_signature import SIGNATURE_LENGTH, Signature, clean_name, is_action, read_signature
from .dateparse import zone
from .page import Page
from .text import BLOCK, NEVER_TEXT, Element, blocks, inline_text, never_text, paragraphs, squash, text_of

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_ITEM_TAGS = frozenset({"div", "li", "article", "section", "dd", "p", "blockquote", "tr", "table"})
_STOPS = HEADINGS | {"hr", "form", "nav", "footer", "aside", "header"}
_MAX_BLOCK = 5000  # characters: a block longer than this is a layout wrapper, not one comment
_MIN_TEXT = 10  # characters of a comment's own text besides its signature
_HEADING_LENGTH = 80  # characters of a heading-like line ("Reader reactions (4)")
_CLIMB = 3  # levels above a run where its heading may sit
_MEMO = "comment_blocks"
_DATED_MEMO = "comment_dated"
_TEXTS = etree.XPath("//text()")  # every run of text, in one pass of libxml2
_DIGIT = re.compile(r"\d").search
_DATED_DEPTH = 8  # levels between a comment block and the date in its signature, at most
_TEXT_NODE = 300  # characters: a signature's date sits in a short run of text, not in a paragraph of prose
_DATED = re.compile(r"\d{4}|\d:\d\d")
_REVIEWS = re.compile(r"schema\.org/(?:Review|Product|[A-Za-z]*Rating)\b", re.I)


@dataclass(frozen=True)
class Run:
    """A run of signed blocks: the outermost blocks and their replies, in page order."""

    elements: list[Element]
    size: int


def kind(tag: Element) -> tuple[str, str]:
    names = str(tag.get("class") or "").split()
    return str(tag.tag), names[0] if names else ""


def comment_blocks(page: Page) -> list[Element]:
    """The signed blocks of the page's comment list whose markup never says "comment" (the blocks and
    their replies, in page order; none when there is no such list). For the body: these are readers'
    comments, never the article, though no class or id says so. Computed once per page; it does not
    use the body, so the body may call it."""
    if _MEMO not in page.memo:
        page.memo[_MEMO] = signed_blocks(page, zone(None))
    found: list[Element] = page.memo[_MEMO]
    return found


def signed_blocks(page: Page, tz: tzinfo) -> list[Element]:
    """The blocks (with their replies) of the largest run of signed blocks on the page."""
    best: Run | None = None
    with_dates = dated(page)
    for parent in list(with_dates.values()):
        if parent.tag in NEVER_TEXT or len(parent) < 2:
            continue
        for members in _groups(page, parent, with_dates):
            run = _run(page, members, tz)
            if run and (best is None or run.size > best.size):
                best = run
    return best.elements if best else []


def _groups(page: Page, parent: Element, with_dates: dict[int, Element]) -> Iterator[list[Element]]:
    """The children of each kind, where two of them or more hold a date, cut where a paragraph of
    another kind stands between two of them: comments follow one another, while quoted posts
    (embedded tweets) or dated boxes stand between the paragraphs of an article."""
    runs: dict[tuple[str, str], list[list[Element]]] = {}
    cut: set[tuple[str, str]] = set()  # the kinds that a paragraph of another kind followed
    for child in parent:
        if not isinstance(child.tag, str):
            continue
        own = kind(child) if child.tag in _ITEM_TAGS else None
        if own is not None:
            if own not in runs or own in cut:
                runs.setdefault(own, []).append([])
                cut.discard(own)
            runs[own][-1].append(child)
        if page.text_size(child) > _HEADING_LENGTH:
            cut |= {k for k in runs if k != own}
    found = (members for kinds in runs.values() for members in kinds)
    return (members for members in found if sum(id(m) in with_dates for m in members) >= 2)


def _run(page: Page, members: list[Element], tz: tzinfo) -> Run | None:
    signed = [(m, s) for m in members if (s := block_signature(page, m, tz)) is not None]
    if len(signed) < 2 or len(signed) < 0.6 * len(members):
        return None
    elements = [m for m, _ in signed]
    names = {s.author for _, s in signed if s.author}
    if not _different_readers([s for _, s in signed]) or not _plain_blocks(elements, names) or _excerpts(elements):
        return None
    if not after_heading(page, elements[0]) or _unseen(elements[0]) or is_review(elements[0]):
        return None
    threads = [e for m in elements for e in _with_replies(page, m, tz)]
    return Run(threads, sum(page.text_size(m) for m in elements))


def _with_replies(page: Page, block: Element, tz: tzinfo) -> Iterator[Element]:
    """The block and the blocks of its own named kind nested in it: its replies, signed or not (an
    unsigned one is a reply whose signature was not read, or a moderator's stub: either way it is
    not the text of the block around it)."""
    yield block
    own = kind(block)
    for nested in block.iterdescendants(block.tag):
        if kind(nested) == own and (
            block_signature(page, nested, tz) is not None or (own[1] and page.text_size(nested))
        ):
            yield nested


def dated(page: Page) -> dict[int, Element]:
    """The elements (by id) that hold a short run of text with a date-like number in it, a few levels
    down: where a signature line can be. One pass over the page's text; nothing else is read for one."""
    if _DATED_MEMO in page.memo:
        found: dict[int, Element] = page.memo[_DATED_MEMO]
        return found
    page.all_tags()  # the page holds every element, so an element's id() stays its own
    found = {}
    for text in cast("list[etree._ElementUnicodeResult]", _TEXTS(page.root)):
        if not _DIGIT(text) or len(text) > _TEXT_NODE or not sign.looks_dated(text):
            continue
        holder: Element | None = text.getparent()
        if holder is not None and text.is_tail:
            holder = holder.getparent()
        if holder is None or holder.tag in NEVER_TEXT:
            continue
        for _ in range(_DATED_DEPTH):
            if holder is None or id(holder) in found:
                break
            found[id(holder)] = holder
            holder = holder.getparent()
    page.memo[_DATED_MEMO] = found
    return found


def block_signature(page: Page, block: Element, tz: tzinfo) -> Signature | None:
    """The signature of a block that holds one (in its first or last two lines) and text besides."""
    size = page.text_size(block)
    if size < _MIN_TEXT + 6 or size > _MAX_BLOCK or not len(block) or id(block) not in dated(page):
        return None
    own = kind(block)

    def skip(tag: Element) -> bool:  # a reply nested in the block is not the block's text
        return never_text(tag) or (kind(tag) == own and bool(own[1] or tag.tag != "div"))

    lines = [(line, b.element) for b in blocks(block, skip) for line in b.text.split("\n")]
    if len(lines) < 2:
        return None
    ends = (*lines[:2], *lines[-2:])
    for n, (line, element) in enumerate(ends):
        found = read_signature(line, tz, element)
        if found is not None and not found.author:
            found = _name_beside(found, [text for text, _ in ends], n)
        if found is not None and found.author:
            rest = sum(len(text) for text, _ in lines if text not in (line, found.author) and not is_action(text))
            return found if rest >= _MIN_TEXT else None
    return None


def _name_beside(found: Signature, ends: list[str], n: int) -> Signature:
    """A date line without a name, whose name is the line just before or after it (a name cell and a
    date cell, ``<b>Name</b><br>date``): a short line that is a name and holds no date."""
    for other in (n - 1, n + 1):
        if 0 <= other < len(ends) and other // 2 == n // 2 and not sign.looks_dated(ends[other]):
            name = clean_name(ends[other])
            if name and not is_action(name) and len(name.split()) <= 3:
                return Signature(name, found.raw, found.value)
    return found


def _different_readers(signatures: list[Signature]) -> bool:
    """Comments come from several readers; one or two names over and over are a live blog's desk
    or an interview's speakers."""
    names = [s.author.lower() for s in signatures if s.author]
    return len(set(names)) >= min(3, max(2, len(names) // 2))


def _plain_blocks(elements: list[Element], names: set[str]) -> bool:
    """Written text, not teasers (a block holding a heading, other than its signature's name: some
    systems print the reader's name as an ``<h4>``) nor link lists."""
    for element in elements:
        if any(t.tag in HEADINGS and inline_text(t) not in names for t in element.iter(*HEADINGS)):
            return False
    found = [b for e in elements for b in blocks(e)]
    text = sum(len(b.text) for b in found)
    return text > 0 and sum(b.link_chars for b in found) < 0.5 * text


def _excerpts(elements: list[Element]) -> bool:
    """Most blocks cut short ("One pro tip is the use of QR c..."): a recent-comments or posts widget.
    The text's end is its last line without a date (the signature may come last)."""
    ends = [next((b.text for b in reversed(blocks(e)) if not _DATED.search(b.text)), "") for e in elements]
    return sum(sign.is_excerpt(end) for end in ends) >= 0.5 * len(elements)


def after_heading(page: Page, first: Element) -> bool:
    """Whether a heading or an anchor comes just before the run (or its wrapper, a few levels up)."""
    node: Element | None = first
    for _ in range(_CLIMB):
        if node is None:
            return False
        before = node.getprevious()
        while before is not None and not _heading_like(page, before) and not page.text_size(before):
            before = before.getprevious()
        if before is not None:
            return _heading_like(page, before)
        node = node.getparent()
    return False


def _heading_like(page: Page, tag: Element) -> bool:
    if not isinstance(tag.tag, str):
        return False
    if tag.tag in HEADINGS:
        return True
    if tag.tag == "a" and (tag.get("name") or tag.get("id")) and not page.text_size(tag):
        return True  # an anchor: <a name="comments"></a>
    if tag.tag in NEVER_TEXT or tag.tag in ("form", "a", "img") or not page.text_size(tag):
        return False
    if page.text_size(tag) <= 2 * _HEADING_LENGTH and any(t.tag in HEADINGS for t in tag.iterdescendants()):
        return True  # a header box: the heading with a line beside it ("Comments are the readers' own")
    if page.text_size(tag) > _HEADING_LENGTH:
        return False
    found = blocks(tag)
    return len(found) == 1 and found[0].link_chars < 0.5 * len(found[0].text)


def _unseen(element: Element) -> bool:
    return any(never_text(t) for t in (element, *element.iterancestors()))


def is_review(element: Element) -> bool:
    """A customer's review of a product (schema.org ``Review``, or an item of a ``Product``): signed
    and dated like a comment, but a verdict on the thing sold, not a reply to the article."""
    for tag in (element, *element.iterancestors()):
        if _REVIEWS.search(str(tag.get("itemtype") or "")) or tag.get("itemprop") in ("review", "reviews"):
            return True
    return False


# --- segments: signatures beside the text -------------------------------------------------------------


def signed_segments(page: Page, tz: tzinfo) -> list[Comment]:
    """Comments whose signatures are siblings of their text (``<b>Name</b><br>text<hr>`` runs, text
    paragraphs each followed by a "Posted by" footer)."""
    with_dates = dated(page)
    names = [b for name in ("b", "strong") for b in page.tags(name) if _next_is_break(b)]
    signs = [e for e in with_dates.values() if page.text_size(e) <= SIGNATURE_LENGTH]
    parents = {id(p): p for p in (e.getparent() for e in (*names, *signs)) if p is not None}
    best: list[Comment] = []
    for parent in parents.values():
        if parent.tag in NEVER_TEXT or len(parent) < 4:
            continue
        groups: dict[tuple[str, str], list[tuple[Element, Signature]]] = {}
        for child in parent:
            found = _signature_child(page, child, tz)
            if found is not None:
                groups.setdefault(kind(child), []).append((child, found))
        for signed in groups.values():
            comments = _segments(page, signed, tz) if len(signed) >= 2 else []
            if sum(len(c.text) for c in comments) > sum(len(c.text) for c in best):
                best = comments
    return best


def _signature_child(page: Page, child: Element, tz: tzinfo) -> Signature | None:
    if not isinstance(child.tag, str) or child.tag in NEVER_TEXT or child.tag in _STOPS:
        return None
    size = page.text_size(child)
    if not 2 <= size <= SIGNATURE_LENGTH:
        return None
    named = child.tag in ("b", "strong") and _next_is_break(child)
    if not named and id(child) not in dated(page):
        return None
    line = squash(text_of(child, " "))
    if named:
        name = None if line.endswith(":") else clean_name(line)  # "Q:", "Smith:" are speakers
        return Signature(name, None, None) if name else None
    found = read_signature(line, tz, child)
    return found if found is not None and found.author else None


def _next_is_break(tag: Element) -> bool:
    following = tag.getnext()
    return following is not None and following.tag == "br" and not (tag.tail or "").strip()


def _segments(page: Page, signed: list[tuple[Element, Signature]], tz: tzinfo) -> list[Comment]:
    signatures = [s for _, s in signed]
    if not _different_readers(signatures) or not after_heading(page, signed[0][0]) or _unseen(signed[0][0]):
        return []
    marks = [e for e, _ in signed]
    if signatures[0].raw is None and not all(_ruled(m, n) for m, n in pairwise(marks)):
        return []  # names alone sign a comment only in <b>Name</b><br>text<hr> runs, each ended by a rule
    after = _text_after(marks[-1], None)
    texts = [_text_after(m, n) for m, n in zip(marks, [*marks[1:], None], strict=True)] if after else []
    if not after:
        texts = [_text_before(m, p) for m, p in zip(marks, [None, *marks[:-1]], strict=True)]
    comments = [
        Comment(f"c{n}", None, s.author, s.value, s.raw, text)
        for n, (s, text) in enumerate(zip(signatures, texts, strict=True), start=1)
        if len(text) >= _MIN_TEXT
    ]
    if sum(sign.is_excerpt(c.text) or sign.holds_date(c.text, tz) for c in comments) >= 0.5 * len(comments):
        return []  # excerpts, or lists of dated entries (posts, tweets): a comment's text is not dated
    return comments if len(comments) >= 2 else []


def _ruled(mark: Element, following: Element) -> bool:
    """Whether a rule (``<hr>``) separates a signature from the next one."""
    node = mark.getnext()
    while node is not None and node is not following:
        if node.tag == "hr":
            return True
        node = node.getnext()
    return False


def _text_after(mark: Element, until: Element | None) -> str:
    """The text from a signature to the next one (or to a rule, heading or form)."""
    parts = [mark.tail or ""]
    node = mark.getnext()
    while node is not None and node is not until and not (isinstance(node.tag, str) and node.tag in _STOPS):
        parts.extend(_node_text(node))
        node = node.getnext()
    return _joined(parts)


def _text_before(mark: Element, since: Element | None) -> str:
    """The text from the previous signature (or a rule, heading or form) to this signature."""
    parts: list[str] = []
    node = mark.getprevious()
    while node is not None and node is not since and not (isinstance(node.tag, str) and node.tag in _STOPS):
        parts[:0] = _node_text(node)
        node = node.getprevious()
    if since is not None:
        parts.insert(0, since.tail or "")
    return _joined(parts)


def _node_text(node: Element) -> list[str]:
    """A sibling's text: a block on lines of its own, an inline element within the line."""
    if not isinstance(node.tag, str) or never_text(node):
        return [node.tail or ""]
    if node.tag == "br":
        return ["\n", node.tail or ""]
    if node.tag in BLOCK:
        return ["\n", "\n".join(paragraphs(node)), "\n", node.tail or ""]
    return [inline_text(node), node.tail or ""]


def _joined(parts: list[str]) -> str:
    lines = (squash(line) for line in "".join(parts).split("\n"))
    return "\n\n".join(line for line in lines if line and not is_action(line))

"""Finding reader comments on a page without a profile: which elements are the comment items.

In order: elements with ``id="comment-N"`` (WordPress and most blog engines; outermost per N), the
usual item classes (``li.comment``, schema.org ``Comment``), and last the repeated blocks of a
container named for comments (``#comments``, ``.discussion``). A comment in a ``<dl>`` is a pair:
the ``<dt>`` (who and when) and the ``<dd>`` (what).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import cast

from lxml import etree

from .body import body_root
from .comment_forum import forum_posts
from .comment_signature import SIGNATURE_LENGTH, read_signature
from .page import Page
from .text import NEVER_TEXT, Block, Element, blocks, classes, never_text, squash, text_of

# "comment-12", "li-comment-12", "div-comment-12", "comment_body_12", "Blog1_cmt-12", a database's hex key
# ("comment-5023c5aeeab8eaf833000003"), and Blogger's "c1234567"
_ID = re.compile(
    r"^(?:[a-z0-9]+_)?(?:li-|div-)?(?:comments?|cmt)[-_]?(?:[a-z]+[-_]){0,2}(?P<id>\d+|(?=[a-f]*\d)[0-9a-f]{12,})$"
    r"|^c(?P<blogger>\d{6,})$"
    r"|^com[-_]?(?P<short>\d+)$",  # "com12": a short name, so only followed by the number
    re.I,
)
_NOT_ITEM_WORDS = re.compile(r"form|reply|respond|count|link|button|nav|page|widget|most|recent|popular|latest", re.I)
ITEM_CLASSES = (
    "li.comment, article.comment, div.comment, [itemtype*='schema.org/Comment'], .comment-item,"
    " #disqus_thread li.post, #disqus_thread .post"
)
_ITEM_WORDS = ("omment", "disqus")  # what every selector of ITEM_CLASSES names ("comment", "Comment")
# An attribute naming the block's parent (comment_threads._PARENT's names), found in one pass of libxml2.
_PARENT_LINKED = etree.XPath(
    "//*[@*[starts-with(name(), 'data-') and (contains(name(), 'parent') or contains(name(), 'reply'))]]"
)
# Its literal "data-" prefix kept case-sensitive lets the scan skip ahead (8x faster on the dev pages
# than all of it under re.I, same pages found); markup writing the prefix in capitals is tested apart.
_PARENT_NAME = re.compile(r"data-(?i:(?:[a-z]+-)*(?:parent|reply-?to|in-reply-to)(?:[-_]?id)?=)").search
_PARENT_NAME_ANY_CASE = re.compile(r"data-(?:[a-z]+-)*(?:parent|reply-?to|in-reply-to)(?:[-_]?id)?=", re.I).search
_NAMED = etree.XPath("//*[@class or @id or @aria-label]")  # only these can be named for comments
# "Comment" as sites name it in their own languages (comentarios, Kommentare, komentarze, yorumlar,
# reacties; Diskussion, diskuse, dyskusja) and the widgets' words for a thread (OpenWeb's "conversation").
# Not "commentary" (a match's live commentary, an opinion column) nor "commentator": the writers' own.
_CONTAINER = re.compile(
    r"comment(?!ar(?:y|ies)|ator)|coment|komment|komentar|yorum|discussion|d[iy]skus|conversation|responses|replies|reacti|disqus"
    r"|messages(?:$|[-_\s])|message-?list"  # a forum thread's posts (XenForo "block--messages")
    r"|answers(?:$|[-_\s])",  # a Q&A page's answers to its question (the list: not an FAQ's "faq-answer")
    re.I,
)
_NOT_CONTAINER = re.compile(r"form|respond|reply-title|count|button|link|rss|feed|policy|closed|widget|recent", re.I)
_INVITATION = re.compile(
    r"(?:^|[-_\s])(?:cta|login|log-in|signin|sign-in|signup|sign-up|register|subscribe|paywall|members?-only)(?:$|[-_\s])",
    re.I,
)
_UNSEEN = frozenset({"hide", "hidden", "template", "hiddenbox", "is-hidden", "d-none", "invisible"})  # hiding classes
_ALTERNATION = frozenset(
    {"even", "odd", "alt", "first", "last", "Even", "Odd", "Alt", "First", "Last"}
)  # stripes and ends: one kind of block
_SIGNED = re.compile(r"author|date|time|user|name", re.I)
_DESCEND = 6  # how deep under a comment container the repeated items are looked for
_MIN_TEXT = 20  # characters: below this, a block is a label ("Reply", "View all"), not a comment
_FORM_WRAPPER = 200  # characters besides its form: a "Leave a reply" box; more is a list beside its form


@dataclass(frozen=True)
class Item:
    """One comment: ``element`` nests its replies; ``parts`` hold its author, date and text."""

    element: Element
    parts: tuple[Element, ...]
    key: str | None


def generic_items(page: Page) -> list[Item]:
    found = _by_id(page) or _by_class(page) or _by_container(page) or forum_posts(page) or _by_parent_link(page)
    elements = [e for e in found if not _unseen(e) and not _linkback(e)]
    partners = _partners(elements)
    return [_with_parts(e, partners.get(id(e))) for e in elements]


def _partners(elements: list[Element]) -> dict[int, Element]:
    """Text and signature in sibling elements (a text paragraph, then its "Posted by" footer): each
    item's next (or previous) sibling, when every item has one of one other kind, short, and not an
    item itself."""
    chosen = {id(e) for e in elements}
    for step in ("getnext", "getprevious"):
        found = {id(e): getattr(e, step)() for e in elements}
        siblings = [s for s in found.values() if s is not None and isinstance(s.tag, str)]
        if len(elements) < 2 or len(siblings) < len(elements) or any(id(s) in chosen for s in siblings):
            continue
        kinds = {_signature(s) for s in siblings}
        if len(kinds) == 1 and kinds != {_signature(elements[0])} and all(_short(s) for s in siblings):
            return {key: s for key, s in found.items() if s is not None}
    return {}


def _short(tag: Element) -> bool:
    size = _text_size([tag])
    return 0 < size <= SIGNATURE_LENGTH and tag.tag not in ("form", "h1", "h2", "h3", "h4", "h5", "h6")


def item_key(element: Element) -> str | None:
    """The comment's own id: the number of ``id="comment-N"``, or a ``data-comment-id``."""
    for attr in ("id", "data-comment-id", "data-id"):
        value = element.get(attr)
        if isinstance(value, str) and value:
            match = _ID.match(value)
            if match:
                return match["id"] or match["blogger"] or match["short"]
            if attr != "id":
                return value
    return None


def _by_id(page: Page) -> list[Element]:
    found: dict[str, Element] = {}
    for tag in page.with_id():
        key = item_key(tag) if _ID.match(str(tag.get("id", ""))) else None
        ident = str(tag.get("id"))
        if key is None or key in found or tag.tag in ("a", "span", "form", "input", "textarea"):
            continue
        if not page.text_size(tag):
            continue  # an empty placeholder of the comment ("comment_status_12"), not the comment
        if _NOT_ITEM_WORDS.search(ident.rsplit(key, 1)[0]):
            continue
        found[key] = tag
    return list(found.values())


def _by_class(page: Page) -> list[Element]:
    """Weaker evidence than an id: a menu entry can be ``li.comment`` too, so text must be prose."""
    if page.markup and not any(word in page.markup for word in _ITEM_WORDS):
        return []  # no selector of ITEM_CLASSES can match: skip the walk
    return [t for t in page.select(ITEM_CLASSES) if _is_comment_like(t) and not any(map(is_entry_form, t.iter("form")))]


def _by_parent_link(page: Page) -> list[Element]:
    """Sibling blocks of one kind that each name their parent in an attribute (``data-parent-id="0"``,
    ``data-reply-to="55102"``): a thread's items, whatever their class names say (``div.yrm-item``)."""
    if page.markup and not _names_a_parent(page.markup):
        return []  # no such attribute in the markup: skip the tree walk (a regex costs a fifth of it)
    groups: dict[tuple[int, tuple[str, str]], list[Element]] = {}
    for tag in cast("list[Element]", _PARENT_LINKED(page.root)):
        parent = tag.getparent()
        if parent is not None and tag.tag not in ("a", "button", "span", "form", "input", "textarea"):
            groups.setdefault((id(parent), _signature(tag)), []).append(tag)
    best = max(groups.values(), key=len, default=[])
    if len(best) < 2:
        return []
    return [t for t in best if _is_comment_like(t)] if all(_is_comment_like(t) for t in best[:2]) else []


def _names_a_parent(markup: str) -> bool:
    if _PARENT_NAME(markup):
        return True
    return ("DATA-" in markup or "Data-" in markup) and _PARENT_NAME_ANY_CASE(markup) is not None


def _unseen(element: Element) -> bool:
    """In a hidden block or a client-side template (a comment skeleton waiting for data)."""
    for tag in (element, *element.iterancestors()):
        if never_text(tag) or any(name.lower() in _UNSEEN for name in classes(tag)):
            return True
    return False


def _linkback(element: Element) -> bool:
    """WordPress pingbacks and trackbacks sit in the comment list but are links, not comments."""
    return bool({"pingback", "trackback"} & set(classes(element)))


def _by_container(page: Page) -> list[Element]:
    """The repeated blocks inside the outermost containers named for comments."""
    article = body_root(page).elements
    items: list[Element] = []
    for container in _containers(page):
        if any(container is e or any(container is p for p in e.iterancestors()) for e in article):
            continue  # a wrapper of the article and its comments: too wide to tell them apart
        items.extend(_repeated(container))
    return items


def _containers(page: Page) -> Iterator[Element]:
    """The outermost elements named for comments; where several are signed siblings of one kind,
    they are the comments themselves (``div.comentario`` in a box named otherwise), and their parent
    is the container."""
    chosen: list[Element] = []
    page.all_tags()  # the page holds every element (their ids stay theirs)
    for tag in filter(_is_container, cast("list[Element]", _NAMED(page.root))):
        if not any(c is p for c in chosen for p in tag.iterancestors()):
            chosen.append(tag)
    groups: dict[tuple[int, tuple[str, str]], list[Element]] = {}
    for tag in chosen:
        groups.setdefault((id(tag.getparent()), _signature(tag)), []).append(tag)
    items = {key for key, group in groups.items() if _are_comments(group)}
    given: set[int] = set()
    for tag in chosen:
        parent = tag.getparent()
        if parent is not None and (id(parent), _signature(tag)) in items:
            tag = parent
        if id(tag) not in given:
            given.add(id(tag))
            yield tag


def _are_comments(group: list[Element]) -> bool:
    """Sibling "containers" of one kind that are signed comments (the first two and the last)."""
    sample = (group[0], group[1], group[-1]) if len(group) >= 2 else ()  # reading each would cost
    return bool(sample) and all(_is_comment_like(t) and _is_signed(t) for t in sample)


def _is_container(tag: Element) -> bool:
    if tag.tag in NEVER_TEXT or tag.tag in ("form", "a", "span", "input", "textarea", "button", "body"):
        return False
    # The raw attributes, not names_of(): the same words (no pattern spans a space), read on every
    # element of the page without building lists.
    # The accessible name too: where classes are hashes (css-1ao4x7p), only it says what a region is.
    names = f"{tag.get('class') or ''} {tag.get('id') or ''} {tag.get('aria-label') or ''}"
    return bool(_CONTAINER.search(names)) and not _NOT_CONTAINER.search(names)


def _repeated(container: Element) -> list[Element]:
    """Children of one kind that hold most of the text: the items of a list of comments."""
    node = container
    for _ in range(_DESCEND):
        children = _content_children(node)
        if not children:
            return []
        pairs = _pairs(node, children)
        if pairs:
            return pairs
        groups: dict[tuple[str, str], list[Element]] = {}
        for child in children:
            groups.setdefault(_signature(child), []).append(child)
        best = max(groups.values(), key=_text_size)
        threads = _with_replies(node, best)
        if len(threads) >= 2 and _text_size(best) >= 0.5 * _text_size(children):
            return [c for c in _heads(threads) if _is_comment_like(c)]
        if len(children) == 1 and len(best) == 1 and _single(children[0]):
            return best  # one comment: a container named for comments holds it alone
        node = max(children, key=lambda c: _text_size([c]))
    return []


def _pairs(node: Element, children: list[Element]) -> list[Element]:
    """The definitions of a ``<dl>`` of one term and one definition a comment (Dotclear's ``dt`` "Le
    DATE par NAME", ``dd`` text), whatever their classes ("me odd first", "odd")."""
    if node.tag != "dl":
        return []
    terms = [c for c in children if c.tag == "dt"]
    definitions = [c for c in children if c.tag == "dd"]
    if len(terms) < 2 or len(definitions) != len(terms) or len(terms) + len(definitions) != len(children):
        return []
    return [d for d in definitions if _is_comment_like(d)]


_HEADS_SHARE = 0.5  # of the boxes' text: the comments and their replies hold most of it


def _heads(threads: list[Element]) -> list[Element]:
    """The comments of thread boxes that each hold a comment and a box of its replies, where no box
    sits in another (``div.thread`` > ``article`` + ``div.replies`` > ``article``): the blocks of
    one named kind in every box, more of them than boxes, none inside another; else the boxes."""
    if any(_holds_kind(t, _signature(t)) for t in threads):
        return threads  # boxes nested in boxes: the boxes are the comments (li.comment > ul > li.comment)
    counts: list[dict[tuple[str, str], list[Element]]] = []
    for thread in threads:
        found: dict[tuple[str, str], list[Element]] = {}
        for inner in thread.iterdescendants():
            if isinstance(inner.tag, str) and inner.get("class") and inner.tag not in NEVER_TEXT:
                found.setdefault(_signature(inner), []).append(inner)
        counts.append(found)
    # In page order, then the outermost first (a set's order would change from run to run).
    shared = [key for key in counts[0] if all(key in found for found in counts[1:])]
    for key in sorted(shared, key=lambda k: _depth(counts[0][k][0], threads[0])):
        heads = [e for c in counts for e in c[key]]
        if len(heads) <= len(threads) or any(_holds_kind(e, key) for e in heads):
            continue
        if _text_size(heads) < _HEADS_SHARE * _text_size(threads):
            continue  # a badge or a meta line each comment has ("Positive comment"), not the comments
        if all(_text_size([e]) >= _MIN_TEXT for e in heads):
            return heads
    return threads


def _holds_kind(tag: Element, key: tuple[str, str]) -> bool:
    """Whether a block holds another block of the given kind."""
    return any(_signature(inner) == key for inner in tag.iterdescendants(key[0]))


def _with_replies(node: Element, best: list[Element]) -> list[Element]:
    """The items and their replies: blocks of the items' own named kind anywhere under ``node``, in
    page order (a reply sits in its parent, or in a wrapper beside it: ``div.coral-indent``,
    ``ul.vf-comment-replies``). Blocks of a kind without a class name are only the items."""
    kind = _signature(best[0])
    if not kind[1]:
        return best
    return [tag for tag in node.iterdescendants(kind[0]) if _signature(tag) == kind]


def _single(tag: Element) -> bool:
    """One signed block (a name or date element, or a signature line, beside its text) that is not
    the wrapper of a list."""
    children = _content_children(tag)
    if not _is_comment_like(tag) or len(children) < 2 or _holds_list(tag):
        return False
    kinds = [_signature(c) for c in children if c.tag not in ("p", "br")]
    if any(kinds.count(k) >= 2 for k in kinds):
        return False  # a list inside (its paragraphs aside): descend
    return _is_signed(tag)


def _is_signed(tag: Element) -> bool:
    """A name or date element, or a signature line at the block's start or end."""
    lines = [line for b in blocks(tag) for line in b.text.split("\n")]
    return (
        _has(tag, "time")
        or any(_SIGNED.search(n) for e in tag.iterdescendants() for n in classes(e))
        or any(read_signature(line, UTC) is not None for line in (*lines[:2], *lines[-2:]))
    )


def _holds_list(tag: Element) -> bool:
    """Whether a block holds two blocks of one named kind that each hold text, at any depth (a
    widget's wrapper around its list of comments, not one comment)."""
    found: dict[tuple[str, str], list[Element]] = {}
    for inner in tag.iterdescendants():
        if isinstance(inner.tag, str) and inner.tag not in NEVER_TEXT and inner.get("class"):
            found.setdefault(_signature(inner), []).append(inner)
    # Text sizes only for the kinds seen twice (reading text is what costs).
    return any(sum(_text_size([e]) >= _MIN_TEXT for e in same) >= 2 for same in found.values() if len(same) >= 2)


def _signature(tag: Element) -> tuple[str, str]:
    names = classes(tag)
    if names and names[0] in _ALTERNATION:  # rare: the common case costs one set lookup
        names = [n for n in names if n not in _ALTERNATION]
    return str(tag.tag), names[0] if names else ""


def _text_size(tags: list[Element]) -> int:
    return sum(len(squash(text_of(t, " "))) for t in tags)


def _content_children(node: Element) -> list[Element]:
    children = [c for c in node if isinstance(c.tag, str)]
    kinds = [_signature(c) for c in children]
    # A comment with its own reply form is one of several blocks of one named kind (li.comment).
    named = [bool(k[1]) and kinds.count(k) >= 2 for k in kinds]
    return [c for c, repeated in zip(children, named, strict=True) if not _is_furniture_child(c, repeated)]


def _is_furniture_child(tag: Element, repeated: bool = False) -> bool:
    """Headings, navigation and the reply form. A block holding forms is the reply box ("Leave a
    reply", a tab for each way to sign in) when its forms are most of it; a wrapper of the form and
    the list is not, nor a comment with its own reply form (one of several blocks of its kind), nor a
    list of such comments. A call to sign in or subscribe ("Become a member to comment") is the
    system's box, not a comment."""
    if tag.tag in NEVER_TEXT or tag.tag in ("h1", "h2", "h3", "h4", "nav") or is_entry_form(tag):
        return True
    if not repeated and _INVITATION.search(f"{tag.get('class') or ''} {tag.get('id') or ''}"):
        return True
    forms = [form for form in tag.iterdescendants("form") if is_entry_form(form)]
    if not forms or repeated or _text_size([tag]) - _text_size(forms) >= _FORM_WRAPPER:
        return False
    return sum(_in_comment(form, tag) for form in forms) < 2


def is_entry_form(tag: Element) -> bool:
    """A form a reader writes in (a text field, a box, a list, a button); a form of hidden fields
    only is a wrapper of text (old Reddit holds each comment's text in its edit form)."""
    if tag.tag != "form":
        return False
    for control in tag.iterdescendants("textarea", "select", "button", "input"):
        if control.tag != "input" or str(control.get("type") or "text").lower() != "hidden":
            return True
    return False


def _in_comment(form: Element, top: Element) -> bool:
    """Whether a form sits in one of several blocks of one kind that hold text besides it."""
    for block in form.iterancestors():
        if block is top:
            return False
        parent = block.getparent()
        if parent is not None and sum(_signature(c) == _signature(block) for c in parent) >= 2:
            return _text_size([block]) - _text_size(list(block.iterdescendants("form"))) >= _MIN_TEXT
    return False


def _is_comment_like(tag: Element) -> bool:
    """Written text, not a list of links ("Recent comments: X on Y"), and either long enough to be
    more than a label ("Leave your comment") or signed (an author or a date inside)."""
    found = blocks(tag)
    text = sum(len(b.text) for b in found)
    links = sum(b.link_chars for b in found)
    if not text:
        return False
    if links >= 0.5 * text:
        return _prose(found) and _signed_by_markup(tag)  # a short comment among its linked name, date, buttons
    return text >= _MIN_TEXT or _signed_by_markup(tag)


def _signed_by_markup(tag: Element) -> bool:
    """A ``<time>``, or an element whose class names an author, a date or a user."""
    return _has(tag, "time") or any(_SIGNED.search(name) for e in tag.iterdescendants() for name in classes(e))


def _prose(found: list[Block]) -> bool:
    """A paragraph of written text without links ("X on Post title" lines of a widget have none)."""
    return any(len(b.text) - b.link_chars >= _MIN_TEXT and " " in b.text for b in found)


def _has(tag: Element, name: str) -> bool:
    """Whether an element holds a ``<name>`` element."""
    return next(tag.iterdescendants(name), None) is not None


def _with_parts(element: Element, partner: Element | None = None) -> Item:
    """A ``<dt>``/``<dd>`` pair is one comment, and so is an item with its signature sibling; anything
    else is its own element."""
    if partner is not None:
        pair: tuple[Element, ...] = (partner, element) if partner.getnext() is element else (element, partner)
        term = element.getprevious() if element.tag == "dd" else None
        if term is not None and term.tag == "dt" and term is not partner:
            pair = (term, *pair)  # Blogger's <dt>NAME said...</dt><dd>text</dd><dd>date</dd>
        return Item(element, pair, item_key(element))
    if element.tag == "dt":
        dd = element.getnext()
        parts = (element, dd) if dd is not None and dd.tag == "dd" else (element,)
        return Item(element, parts, item_key(element))
    dd = element if element.tag == "dd" else next(element.iterancestors("dd"), None)
    if dd is not None and (dd is element or _depth(element, dd) <= 2):
        dt = dd.getprevious()
        if dt is not None and dt.tag == "dt":
            return Item(dd, (dt, dd), item_key(element))
    return Item(element, (element,), item_key(element))


def _depth(element: Element, ancestor: Element) -> int:
    for depth, parent in enumerate(element.iterancestors(), start=1):
        if parent is ancestor:
            return depth
    return 0

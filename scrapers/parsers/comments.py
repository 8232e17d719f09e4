"""Reader comments as threads: each with its id, its parent's id, author, date and text.

Items come from the profile's selectors, else from the common markups: JSON-LD and microdata
``Comment``, elements with ``id="comment-N"`` (WordPress and most blog engines), ``li.comment``.
A reply's parent is the nearest item around it (``ul.children`` nesting). An item without text is
not a comment, so a page whose comment block is empty reports none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo

from .article import Comment
from .comment_items import Item, generic_items, is_entry_form, item_key
from .comment_parts import loose_author, loose_date, names_author, shown_name
from .comment_runs import comment_blocks, signed_segments
from .comment_signature import (
    NAME_LENGTH,
    SIGNATURE_LENGTH,
    clean_name,
    is_action,
    looks_dated,
    read_signature,
    without_posted_by,
)
from .comment_stubs import drop_stubs, stub_indices
from .comment_threads import flat_parents, linked_parents
from .comment_tidy import tidy
from .dateparse import parse_iso, relative_at, zone
from .dates import read_element
from .page import Page, jsonld_types
from .text import Block, Element, blocks, classes, inline_text, never_text, paragraphs, squash, text_of

# Most specific first: the first selector that matches inside an item wins.
GENERIC_TEXT = (
    "[itemprop=text]", ".comment-content", ".comment-text", ".comment_text", ".commentText",
    ".comment-body-text", ".comment-entry", ".comment-message", ".comment_body", ".post-message",
    ".postmsg",  # PunBB, FluxBB
)  # fmt: skip
GENERIC_AUTHOR = (
    "[itemprop=author] [itemprop=name]", "[itemprop=author]", ".comment-author .fn", ".fn",
    ".comment-author", ".comment_author", ".commentAuthor", ".post-byline .author", ".author", "cite",
    ".username", ".user-name", ".postleft dt",  # PunBB, FluxBB: the poster's column
)  # fmt: skip
GENERIC_DATE = (
    "[itemprop=dateCreated]", "[itemprop=datePublished]", "time", "abbr.published", ".comment-date",
    ".comment-metadata", ".commentmetadata", ".comment-meta", ".comment_date", ".commentDate", ".post-meta time",
    ".date", ".timestamp",
)  # fmt: skip
_META_WORDS = re.compile(
    r"(?:^|[-_\s])(author|vcard|fn|meta|metadata|commentmetadata|reply|avatar|says|date|time|permalink"
    r"|edit|actions|vote|votes|like|likes|rating|report|flag|byline|username|user|name|count|share|options|menu"
    r"|head|header|foot|footer|info|tools|toolbar|buttons|links|group|rank|signature|sig|profile|postprofile"
    r"|user[a-z]+|author[a-z]+)"  # compounds: "userinfo", "usertitle", "authorbox"
    r"(?:$|[-_\s])",
    re.I,
)


_LINKBACK = re.compile(r"^\W*(?:pingback|trackback|linkback)\s*:|\breblogged this on\b|\bping ?back from\b", re.I)
_NOTICE = re.compile(
    r"your comment (?:has been|could not|was|is awaiting|will)|comments? (?:are|is) (?:closed|moderated|disabled)"
    r"|open for comments|(?:sign|log) ?in (?:to|or)|you must be logged in|join the discussion|be the first to comment"
    r"|no comments yet|leave a (?:reply|comment)|post a comment|your participation|will not be published"
    r"|\(required\)|comments feed|rss feed|all rights reserved|^\W*(?:©|copyright)\b|^\W*recommend\?",
    re.I,
)
_LIST_NUMBER = re.compile(r"^\d+\.\s+")  # "1. " (not the "28." of "28.000 euros")
_TEXT_NAMES = re.compile(r"(?:^|[-_\s])(?:text|body|content|message)(?:$|[-_\s])", re.I)
_TEXT_END = re.compile(r"(?:^|[-_])(?:text|body|content|message)$", re.I)
_SAID_DOTS = re.compile(r"(?<=\S)\s+[^\W\d]+\s*(?:\.\.\.|…)$")
_ADDRESS = re.compile(r"\w\.\w|/|@")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_NAME_BOXES = frozenset({"span", "a", "b", "strong", "cite"})  # inline: a block beside the date is text
_CAMEL = re.compile(r"([a-z])([A-Z])")
_INITIAL = 1  # characters of a first paragraph that is an avatar's letter, not text ("So", "OT" are text)
_LEAVES = ("span", "time", "small", "a", "div", "p", "em", "i")
_RELATIVE_LENGTH = 30  # characters of a shown relative date ("vor 2 Stunden", "47 min temu")
_NUMBER_ONLY = re.compile(r"^(?:\d+\.|#\d+)$")  # a list's "1." or a permalink's "#1"
_REST_OF_LINE = 20  # characters after a date that are text, not the rest of the signature
_TOOLBAR = 40  # characters of a last line of links that is the item's toolbar, not its text
_BUTTON = 12  # characters of a last link alone on its line that is a button ("Thread", "Permalink")
_PARAGRAPH = 40  # characters of a paragraph of a comment's own text
_NOTICE_LENGTH = 200  # characters: a notice is a line or two, a comment that quotes one is longer


@dataclass(frozen=True)
class Parts:
    """Selectors for the parts of one comment item (the profile's, or the generic ones), in order."""

    author: tuple[str, ...]
    published: tuple[str, ...]
    text: tuple[str, ...]


def extract_comments(page: Page) -> list[Comment]:
    profile_items = page.select_profile("comments")
    if profile_items and page.profile:
        profile = page.profile
        parts = Parts(
            _one(profile.selector("comment_author")) or GENERIC_AUTHOR,
            _one(profile.selector("comment_published")) or GENERIC_DATE,
            _one(profile.selector("comment_text")),
        )
        return _from_items(page, [Item(e, (e,), item_key(e)) for e in profile_items], parts)
    jsonld = _from_jsonld(page)
    if jsonld:
        return jsonld
    parts = Parts(GENERIC_AUTHOR, GENERIC_DATE, GENERIC_TEXT)
    found = _from_items(page, generic_items(page), parts)
    if any(c.author or c.published_raw for c in found):
        return found
    # No markup names the comments: runs of signed blocks after a heading (comment_runs.py). They
    # also win over boxes that a name for comments gave where none is signed, when they hold more
    # text (the form's help lines, "Receive email when someone replies", in a box named for the
    # comments beside the real list).
    runs = comment_blocks(page)
    signed = _from_items(page, [Item(e, (e,), item_key(e)) for e in runs], parts) if runs else []
    if _size(signed) > _size(found):
        return signed
    return found or signed_segments(page, zone(None))


def _size(comments: list[Comment]) -> int:
    return sum(len(c.text) for c in comments)


def _one(selector: str | None) -> tuple[str, ...]:
    return (selector,) if selector else ()


def _from_items(page: Page, items: list[Item], parts: Parts) -> list[Comment]:
    tz = zone(page.profile.timezone if page.profile else None)
    ids = {id(item.element): item.key or f"c{n}" for n, item in enumerate(items, start=1)}
    bounds = {id(part) for item in items for part in (item.element, *item.parts)}
    comments: list[Comment] = []
    kept: list[Element] = []
    owners: list[Callable[[Element], bool]] = []
    for item in items:
        own = _owned_by(item, bounds)
        author_tag = _first_own_tag(page, parts.author, item, own)
        author = _author_name(inline_text(author_tag) if author_tag is not None else None)
        date_tag = _first_own_tag(page, parts.published, item, own)
        loose = (None, None) if page.profile else _loose(item, own, author, date_tag)
        text = _text(page, item, parts, own, {id(t) for t in (author_tag, *loose) if t is not None})
        if not text or (not page.profile and _not_a_comment(text)):
            continue
        author = author or _author_name(shown_name(loose[0]) if loose[0] is not None else None)
        date_tag = date_tag if date_tag is not None else loose[1]
        raw, published = _date(page, date_tag, tz)
        if not author and raw and not page.profile:
            author = _name_beside(date_tag)
        if author and raw and raw in author:  # a box of name and date ("by NAME » DATE"): the name
            author = _name_in(author_tag if author_tag is not None else loose[0], raw) or clean_name(
                author.replace(raw, " ")
            )
        if not page.profile:
            author, raw, published, text = _signed(item, own, Comment("", None, author, published, raw, text), tz)
        if not text:
            continue
        parent = next((ids[id(p)] for p in item.element.iterancestors() if id(p) in ids), None)
        comments.append(Comment(ids[id(item.element)], parent, author, published, raw, text))
        kept.append(item.element)
        owners.append(own)
    parents = flat_parents(kept, [c.comment_id for c in comments], [c.parent_id for c in comments])
    parents = linked_parents(kept, [c.comment_id for c in comments], [c.author for c in comments], parents)
    threaded = [replace(c, parent_id=p) if p != c.parent_id else c for c, p in zip(comments, parents, strict=True)]
    if page.profile:
        return threaded
    threaded = drop_stubs(threaded, stub_indices(threaded, kept, owners))
    return tidy(threaded, frozenset(inline_text(h) for e in kept for h in e.iter(*_HEADINGS)))


def _name_beside(date: Element | None) -> str | None:
    """The name in the inline element just before the date's, where no class names it (hashed
    class names: ``<span class="css-1rn6ksd">NAME</span><time>3h</time>``); the element after it
    is as often the text."""
    sibling = date.getprevious() if date is not None else None
    if sibling is None or not isinstance(sibling.tag, str) or sibling.tag not in _NAME_BOXES:
        return None
    text = inline_text(sibling)
    if not text or len(text) > NAME_LENGTH or looks_dated(text) or is_action(text):
        return None
    return None if "/" in text or "@" in text else clean_name(text)  # a link to a site is no name


def _name_in(box: Element | None, raw: str) -> str | None:
    """The name element inside a box that holds the name and the date."""
    if box is None:
        return None
    inner = list(box.iterdescendants("a", "b", "strong", "cite", "span"))
    for tag in sorted(inner, key=lambda t: not names_author(t)):  # a.username first
        name = inline_text(tag)
        if name and raw not in name and not looks_dated(name) and len(name) <= NAME_LENGTH:
            return clean_name(name)
    return None


def _loose(
    item: Item, own: Callable[[Element], bool], author: str | None, date: Element | None
) -> tuple[Element | None, Element | None]:
    """The author and date elements that only the markup's own class names name (comment_parts.py),
    where the usual selectors found none (or an author element without a name: an avatar's box)."""
    found = (
        loose_author(item.parts, own) if not author else None,
        loose_date(item.parts, own) if date is None else None,
    )
    if author or date is not None or found != (None, None):
        return found
    # Nothing named: a leaf that shows a relative date ("2 saat önce", "3 godz. temu") and the name
    # in the inline element just before it (utility or abbreviated classes: "text-xs", "yrm-zaman").
    shown = next((t for part in item.parts for t in part.iter(*_LEAVES) if own(t) and _relative_leaf(t)), None)
    if shown is None:
        return found
    name = shown.getprevious()
    return (name if name is not None and _name_beside(shown) else None), shown


def _relative_leaf(tag: Element) -> bool:
    if len(tag) or not tag.text:
        return False
    text = squash(tag.text)
    return len(text) <= _RELATIVE_LENGTH and relative_at(text) is not None


def _signed(
    item: Item, own: Callable[[Element], bool], found: Comment, tz: tzinfo
) -> tuple[str | None, str | None, datetime | None, str]:
    """Author and date from the item's signature line ("Posted by NAME on DATE", "NAME | DATE") where
    no element named them; the line leaves the text, and so do buttons ("Reply") at its ends."""
    author, raw, published = found.author, found.published_raw, found.published
    paragraphs_ = [[line for line in p.split("\n") if not is_action(line)] for p in found.text.split("\n\n")]
    if not (author and raw):

        def skip(tag: Element) -> bool:
            return never_text(tag) or not own(tag)

        lines = [(line, b.element) for part in item.parts for b in blocks(part, skip) for line in b.text.split("\n")]
        for line, element in (*lines[:2], *lines[-2:]):
            signature = read_signature(line, tz, element)
            if signature is not None and (signature.author or author):
                author, raw, published = author or signature.author, raw or signature.raw, published or signature.value
                paragraphs_ = _without_signature(paragraphs_, signature.raw or "")
                break
    if paragraphs_ and paragraphs_[0] and item.element.tag == "li":
        paragraphs_[0][0] = _LIST_NUMBER.sub("", paragraphs_[0][0])  # the "1." a browser shows
    first = paragraphs_[0] if paragraphs_ else []
    if len(paragraphs_) > 1 and len(first) == 1 and len(first[0]) <= _INITIAL and first[0].isalpha():
        paragraphs_ = paragraphs_[1:]  # an avatar's initial ("M") above the comment, not its text (a "1" is shown)
    text = "\n\n".join(line for line in ("\n".join(x for x in p if x) for p in paragraphs_) if line)
    return author, raw, published, text.strip()


def _without_signature(paragraphs_: list[list[str]], raw: str) -> list[list[str]]:
    """The text without its signature line (the first or last short line holding the date)."""
    lines = [(n, m) for n, p in enumerate(paragraphs_) for m in range(len(p))]
    for n, m in (*lines[:2], *lines[-2:]):
        line = paragraphs_[n][m]
        if raw and raw in line and len(line) <= SIGNATURE_LENGTH:
            rest = squash(line.replace(raw, " ", 1))
            if len(rest) >= _REST_OF_LINE and line.startswith(raw):
                # the date cell and the text cell of a table row read as one line: keep the text
                return [[rest if (i, k) == (n, m) else x for k, x in enumerate(p)] for i, p in enumerate(paragraphs_)]
            return [[x for k, x in enumerate(p) if (i, k) != (n, m)] for i, p in enumerate(paragraphs_)]
    return paragraphs_


def _owned_by(item: Item, bounds: set[int]) -> Callable[[Element], bool]:
    """Whether a tag belongs to this comment and not to a reply nested in it (``bounds``: every
    item's element and parts; a reply's <dd> sits in its parent's <dd>)."""
    mine = {id(part) for part in (item.element, *item.parts)}

    def own(tag: Element) -> bool:
        for parent in tag.iterancestors():
            if id(parent) in mine or id(parent) in bounds:
                return id(parent) in mine
        return True  # outside the element: the <dt> of a <dt>/<dd> pair

    return own


def _first_own_tag(
    page: Page, selectors: tuple[str, ...], item: Item, own: Callable[[Element], bool]
) -> Element | None:
    for selector in selectors:
        for part in item.parts:
            if part.tag == "dt" and part is not item.element and _matches(page, selector, part):
                return part  # the <dt class="comment-author"> of a <dt>/<dd> pair
            for tag in page.select(selector, part):
                if own(tag):
                    return tag
    return None


def _matches(page: Page, selector: str, tag: Element) -> bool:
    parent = tag.getparent()
    return parent is not None and any(found is tag for found in page.select(selector, parent))


def _text(page: Page, item: Item, parts: Parts, own: Callable[[Element], bool], named: set[int]) -> str:
    """The comment's paragraphs, without its author, date and toolbar (``named``: the elements that
    only their class names call author or date), nor the number a browser shows beside a reply
    (``<ol>`` items are numbered, and the reply's own text is not this comment's)."""
    holder = _first_own_tag(page, parts.text, item, own)
    if holder is not None:
        found = paragraphs(holder, lambda tag: never_text(tag) or id(tag) in named)
        return "\n\n".join(p for p in found if not _NUMBER_ONLY.match(p))
    if page.profile and parts.text:
        return ""  # the profile names the text element: an item without one has no text
    meta = {id(t) for part in item.parts for t in page.select(", ".join(parts.author + parts.published), part)}
    meta |= named

    def skip(tag: Element) -> bool:
        return never_text(tag) or not own(tag) or id(tag) in meta or _is_meta(tag)

    def skip_named(tag: Element) -> bool:
        return never_text(tag) or not own(tag) or id(tag) in meta

    kept = [part for part in item.parts if id(part) not in meta]  # a <dt> that is the author line
    for skipped in (skip, skip_named):
        shown = [b for part in kept for b in blocks(part, skipped) if not _NUMBER_ONLY.match(b.text)]
        while len(shown) > 1 and _toolbar(shown[-1]):
            shown.pop()  # a last line of links: the item's toolbar ("Like (7) Reply"), in any language
        if shown:
            break
        # The class words took every block: they named the whole item ("b-leaf-poster-user"), so
        # read it again with only the author and date elements left out.
    return "\n\n".join(b.text for b in shown)


def _toolbar(block: Block) -> bool:
    """A short line all of link text, and no address (a reader's signature link to their blog is
    their text): two words or more, or one short word (a button of a row of buttons, one a line)."""
    text = block.text
    if block.link_chars < 0.9 * len(text) or _ADDRESS.search(text):
        return False
    return len(text) <= _TOOLBAR if " " in text else len(text) <= _BUTTON  # "Reply Thread", "Link"


def _not_a_comment(text: str) -> bool:
    """What comment lists hold besides comments: linkbacks ("Pingback: …", "Reblogged this on …") and
    the system's own lines ("Your comment is awaiting moderation", "Sign in to join the discussion")."""
    return bool(_LINKBACK.search(text)) or (len(text) < _NOTICE_LENGTH and bool(_NOTICE.search(text)))


def _is_meta(tag: Element) -> bool:
    """An element around the text (author, date, toolbar); one that holds a paragraph of text is not
    (the comment's text can sit inside its author block), nor one that holds the element named for
    the text (``div.comment-box.avatar-indent`` around ``div.comment-body``)."""
    if tag.tag in ("nav", "footer", "header", "img") or is_entry_form(tag):
        return True
    parent = tag.getparent()
    if parent is not None and parent.tag in _HEADINGS:
        return False  # the comment's title, a link to the comment (Drupal's "permalink" heading)
    if _self_link(tag):
        return True
    names = _CAMEL.sub(r"\1 \2", " ".join(classes(tag)))  # "comment-inReplyTo": "in Reply To"
    if not names or not _META_WORDS.search(names) or any(map(_TEXT_END.search, classes(tag))):
        return False  # not meta, or a class ending in the text's name ("wall_reply_text", "reply-body")
    if any(_TEXT_NAMES.search(str(inner.get("class") or "")) for inner in tag.iterdescendants()):
        return False
    return not any(len(squash(text_of(p))) >= _PARAGRAPH for p in tag.iter("p"))


def _self_link(tag: Element) -> bool:
    """A link to itself or to a block around it (K2's ``<a href="#comment45" id="comment45">Link to
    comment</a>``): the comment's permalink, whatever its words."""
    shown = text_of(tag)
    if tag.tag != "a" or any(c.isdigit() for c in shown) or not any(c.isalpha() for c in shown):
        return False  # a permalink showing the date is the signature's; one showing a number is shown text
    target = str(tag.get("href") or "").rpartition("#")[2]
    if not target:
        return False
    return target in (tag.get("id"), tag.get("name")) or any(a.get("id") == target for a in tag.iterancestors())


def _date(page: Page, tag: Element | None, tz: tzinfo) -> tuple[str | None, datetime | None]:
    if tag is None:
        return None, None
    found = read_element(tag, page, tz)
    if found is None:
        return inline_text(tag) or None, None
    return found.raw, found.value


def _author_name(text: str | None) -> str | None:
    if not text:
        return None
    text = re.sub(r"\s*(?:says|said|wrote|пишет|написал)\s*:?\s*$", "", without_posted_by(text), flags=re.I).strip()
    text = _SAID_DOTS.sub("", text)  # Blogger's "NAME said..." in any language ("zei...", "sagte...")
    return text or None


def _from_jsonld(page: Page) -> list[Comment]:
    """Comments the page states in JSON-LD (``comment`` of the article, or ``Comment`` objects)."""
    value = page.jsonld_value("comment")
    objects = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
    if not objects:
        objects = [o for o in page.jsonld if "Comment" in jsonld_types(o)]
    tz = zone(page.profile.timezone if page.profile else None)
    comments: list[Comment] = []
    for n, obj in enumerate(objects, start=1):
        if not isinstance(obj, dict):
            continue
        text = obj.get("text") or obj.get("description")
        if not isinstance(text, str) or not squash(text):
            continue
        raw = obj.get("dateCreated") or obj.get("datePublished")
        raw = raw if isinstance(raw, str) else None
        author = obj.get("author")
        name = author.get("name") if isinstance(author, dict) else author
        ident = obj.get("@id") or obj.get("identifier")
        comments.append(
            Comment(
                comment_id=str(ident) if ident else f"c{n}",
                parent_id=None,
                author=name if isinstance(name, str) else None,
                published=parse_iso(raw, tz) if raw else None,
                published_raw=raw,
                text=squash(text),
            )
        )
    return comments

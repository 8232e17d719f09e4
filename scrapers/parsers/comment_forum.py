"""A forum thread printed under an article (vBulletin's ``li#post_51022``, Invision's
``div#post_id_2231``, any ``post-N``): sibling blocks whose ids number forum posts, each dated and
holding written text. An id ``post-N`` is also what blog engines give the article itself and the
teasers of other posts, so the blocks must hold no part of the article, and a heading in one must
be a name (a forum prints the poster's name as a heading; a teaser's heading is a title)."""

from __future__ import annotations

import re

from .body import body_root
from .comment_runs import dated
from .page import Page
from .text import Element, blocks, inline_text

_POST_ID = re.compile(r"^(?:post[-_]?(?:id[-_])?|p)\d+$", re.I)  # "p5120": phpBB 3, PunBB, FluxBB
_REPLY_SUBJECT = re.compile(r"^(?:re|ответ|aw|sv|vs)\s*(?:\[\d+\])?\s*:", re.I)  # a reply's subject line ("Re: TOPIC")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_NAME_WORDS = 3  # a heading of more words is a teaser's title, not a poster's name
_PROSE = 20  # characters of text outside links: a post's own writing


def forum_posts(page: Page) -> list[Element]:
    groups: dict[int, list[Element]] = {}
    for tag in page.with_id():
        if _POST_ID.match(str(tag.get("id"))):
            parent = tag.getparent()
            if parent is not None:
                groups.setdefault(id(parent), []).append(tag)
    best = max(groups.values(), key=len, default=[])
    if len(best) < 2:
        return []
    article = body_root(page).elements
    with_dates = dated(page)
    for post in best:
        if any(post is e or any(post is p for p in e.iterancestors()) for e in article):
            return []  # a block around the article: the blog's own post
        if id(post) not in with_dates or not _written(post) or not _named_headings(post):
            return []
    return best


def _written(post: Element) -> bool:
    return any(len(b.text) - b.link_chars >= _PROSE and " " in b.text for b in blocks(post))


def _named_headings(post: Element) -> bool:
    texts = (inline_text(h) for h in post.iter(*_HEADINGS))
    return all(len(text.split()) <= _NAME_WORDS or _REPLY_SUBJECT.match(text) for text in texts)

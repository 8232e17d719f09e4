"""Recognising page furniture (menus, share bars, related links, comment blocks) without a profile.

Elements are judged by their tag, role, class and id: ``share-buttons``, ``related-posts`` and
``comments-area`` are furniture, ``entry-content`` is not. State classes (``has-sidebar``,
``with-comments``) and BEM modifiers (``article--sidebar-right``) describe a layout, not a block,
and are ignored. Some words are sure signs (a comment list is never article text); others are
only hints (``content-nav-section`` can hold the article), and :func:`has_prose` decides.
"""

from __future__ import annotations

import re
from enum import Enum

from bs4 import Tag


class Furniture(Enum):
    SURE = "sure"
    LIKELY = "likely"


SURE_TAGS = frozenset({"nav", "footer", "menu", "dialog"})
LIKELY_TAGS = frozenset({"aside", "header", "form"})
SURE_WORDS = frozenset(
    {
        "share", "sharing", "sharer", "sharedaddy", "social", "socials", "newsletter", "subscribe",
        "subscription", "signup", "comment", "comments", "commentlist", "disqus", "respond",
        "replies", "sidebar", "breadcrumb", "breadcrumbs", "advert", "advertisement", "ad", "ads",
        "adslot", "sponsor", "sponsored", "outbrain", "taboola", "popup", "modal", "cookie",
        "cookies", "navbar", "footer", "pagination", "pager", "sr", "screenreader", "visually",
        "skiplink", "login", "paywall", "donate",
    }
)  # fmt: skip
LIKELY_WORDS = frozenset(
    {
        "related", "recommended", "recommendations", "tags", "taglist", "tagcloud", "promo",
        "banner", "navigation", "nav", "menu", "print", "toolbar", "byline", "caption", "readmore",
        "jump", "masthead", "trending", "popular", "author", "bio", "meta", "copyright", "credits",
        "rating", "slideshow", "toc",
    }
)  # fmt: skip
# Whole class names that mark the article's own text even when a word of them looks like furniture.
CONTENT_CLASSES = re.compile(
    r"^(?:entry|post|article|story|news|blog|single|main|page)[-_]?(?:content|body|text|entry)$"
    r"|^(?:articlebody|article__body|story-body|body-text|field-name-body|field--name-body)$",
    re.I,
)
_ROLES = {"navigation": Furniture.SURE, "menu": Furniture.SURE, "dialog": Furniture.SURE,
          "complementary": Furniture.LIKELY, "banner": Furniture.LIKELY, "contentinfo": Furniture.SURE}  # fmt: skip
_STATE_PREFIX = ("has-", "has_", "with-", "no-", "is-", "js-", "show-", "hide-on")
_WORD_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z0-9])")
_PROSE = 150  # characters: a paragraph this long is written text, not a menu or a label


def names_of(tag: Tag) -> list[str]:
    """The class names and id of an element."""
    names = list(tag.get_attribute_list("class"))
    ident = tag.get("id")
    if isinstance(ident, str):
        names.append(ident)
    return [n for n in names if n]


def furniture(tag: Tag) -> Furniture | None:
    """How sure it is that ``tag`` is page furniture (None: it is not)."""
    if tag.name in SURE_TAGS:
        return Furniture.SURE
    if tag.name in ("body", "main", "article", "html"):
        return None
    names = names_of(tag)
    if any(CONTENT_CLASSES.match(n) for n in names) or tag.get("itemprop") == "articleBody":
        return None
    role = tag.get("role")
    found = _ROLES.get(role) if isinstance(role, str) else None
    for name in names:
        words = _words(name)
        if words & SURE_WORDS:
            return Furniture.SURE
        if words & LIKELY_WORDS:
            found = found or Furniture.LIKELY
    if tag.name in LIKELY_TAGS:
        found = found or Furniture.LIKELY
    return found


def is_furniture(tag: Tag) -> bool:
    return furniture(tag) is not None


def _words(name: str) -> set[str]:
    name = name.split("--")[0]  # a BEM modifier describes the block it modifies, not its role
    lowered = name.lower()
    if lowered.startswith(_STATE_PREFIX):
        return set()
    words = {w.lower() for w in _WORD_SPLIT.split(name) if w}  # "relatedPosts" → related, posts
    words.add(lowered.replace("-", "").replace("_", ""))
    return words


def has_prose(tag: Tag) -> bool:
    """Whether an element holds at least one paragraph of written text (not only links)."""
    for p in tag.find_all(["p", "li", "blockquote"], limit=30):
        text = p.get_text()
        if len(text) >= _PROSE and any(mark in text for mark in ".!?,;"):
            links = sum(len(a.get_text()) for a in p.find_all("a"))
            if links < 0.3 * len(text):
                return True
    return False

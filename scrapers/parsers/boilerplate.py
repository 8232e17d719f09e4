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
from functools import lru_cache
from typing import Any

from bs4 import Tag

from .text import Element, classes, squash, tag_name, text_of


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
        "skiplink", "login", "paywall", "donate", "consent", "onetrust", "cookiebot", "didomi", "usercentrics",
        "gdpr", "cookielaw", "cookienotice", "cookieconsent", "truste", "trustarc", "quantcast",
        "bio", "authorbio",  # an author's bio box: written prose, but about the writer, not the story
        "disclosure", "disclaimer",  # the advertiser's or the lawyers' notice that pages print around stories
        "footnotes",  # the notes and sources listed under a text: apparatus, not its reading text
    }
)  # fmt: skip
LIKELY_WORDS = frozenset(
    {
        "related", "recommended", "recommendations", "tags", "taglist", "tagcloud", "promo",
        "banner", "navigation", "nav", "menu", "print", "toolbar", "byline", "caption", "readmore",
        "jump", "masthead", "trending", "popular", "author", "meta", "copyright", "credits",
        "rating", "slideshow", "toc",
    }
)  # fmt: skip
# With "author", words that name a box about the writer ("author-box", "author__info", "about-the-author").
AUTHOR_BOX_WORDS = frozenset({"box", "card", "info", "profile", "about", "detail", "details", "description"})
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


def names_of(tag: Any) -> list[str]:
    """The class names and id of an element (lxml, or a BeautifulSoup tag)."""
    names = classes(tag)
    ident = tag.get("id")
    if isinstance(ident, str) and ident:
        names.append(ident)
    return names


def furniture(tag: Any, names: list[str] | None = None) -> Furniture | None:
    """How sure it is that ``tag`` (lxml, or a BeautifulSoup tag) is page furniture (None: it is not);
    read from `names` instead of all the tag's class names and id when given."""
    name = tag_name(tag)
    if name in ("header", "footer") and _in_article(tag):
        return None  # an article's own header (headline, byline) or footer: HTML5 sectioning
    if name in SURE_TAGS:
        return Furniture.SURE
    if name in ("body", "main", "article", "html"):
        return None
    names = names_of(tag) if names is None else names
    if any(CONTENT_CLASSES.match(n) for n in names) or tag.get("itemprop") == "articleBody":
        return None
    role = tag.get("role")
    found = _ROLES.get(role) if isinstance(role, str) else None
    for value in names:
        said = _name_says(value)
        if said is Furniture.SURE:
            return said
        found = found or said
    if name in LIKELY_TAGS:
        found = found or Furniture.LIKELY
    return found


@lru_cache(maxsize=8192)
def _name_says(name: str) -> Furniture | None:
    """What one class name or id says of its element. Remembered, as :func:`words_of` is."""
    words = words_of(name)
    if words & SURE_WORDS or ("author" in words and words & AUTHOR_BOX_WORDS) or _consent_compound(words):
        return Furniture.SURE
    return Furniture.LIKELY if words & LIKELY_WORDS else None


def _consent_compound(words: frozenset[str]) -> bool:
    """A compound of "cookie" or "consent" ("cookiewall", "cookiebar", "consentbanner"): the consent
    dialog, named as the plain words are."""
    return any(w.startswith(("cookie", "consent")) for w in words)


READER_WORDS = frozenset({"comment", "comments", "commentlist", "disqus", "respond", "replies"})


def is_comments(tag: Element) -> bool:
    """A block of readers' comments (or the form to write one)."""
    return any(words_of(name) & READER_WORDS for name in names_of(tag))


# Consent managers' dialogs (their own names: OneTrust, Cookiebot, Didomi, …): never the article, however
# much legal text they hold. Plain "cookie" is not among them ("cookie-recipes").
CONSENT_WORDS = frozenset(
    {"consent", "onetrust", "cookiebot", "didomi", "usercentrics", "gdpr", "cookielaw", "cookienotice",
     "cookieconsent", "truste", "trustarc", "quantcast"}
)  # fmt: skip


def is_consent(tag: Element) -> bool:
    """A consent manager's dialog or banner."""
    return any(words_of(name) & CONSENT_WORDS for name in names_of(tag))


def _in_article(tag: Any) -> bool:
    if isinstance(tag, Tag):
        return tag.find_parent("article") is not None
    return next(tag.iterancestors("article"), None) is not None


def is_furniture(tag: Any) -> bool:
    return furniture(tag) is not None


@lru_cache(maxsize=8192)
def words_of(name: str) -> frozenset[str]:
    """The words of a class name or id ("relatedPosts" → related, posts, relatedposts). Remembered:
    a site's class names recur on every element and page that carries them."""
    name = name.split("--")[0]  # a BEM modifier describes the block it modifies, not its role
    lowered = name.lower()
    if lowered.startswith(_STATE_PREFIX):
        return frozenset()
    words = {w.lower() for w in _WORD_SPLIT.split(name) if w}  # "relatedPosts" → related, posts
    words.add(lowered.replace("-", "").replace("_", ""))
    return frozenset(words)


def has_prose(tag: Element) -> bool:
    """Whether an element holds at least one paragraph of written text (not only links)."""
    for n, p in enumerate(tag.iter("p", "li", "blockquote")):
        if n >= 30:
            break
        if p is tag:
            continue
        text = squash(text_of(p))
        if len(text) >= _PROSE and any(mark in text for mark in ".!?,;"):
            links = sum(len(squash(text_of(a))) for a in p.iter("a"))
            if links < 0.3 * len(text):
                return True
    return False

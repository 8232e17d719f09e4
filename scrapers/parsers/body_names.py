"""What an element's class names and id say about it, for the body's walk (issue 16).

:func:`boilerplate.furniture` matches whole words of a name ("share-buttons" → share). Pages also
write compounds (``shareblock``, ``authorbox``, ``relatedposts``), variants (``ratings``,
``tagged``) and synonyms (``teaser``, ``recirculation``, ``promotion``) that no list of whole words
keeps up with; and names that hold a furniture word while saying the opposite (``non-paywall``),
naming a script hook (``js_readmore``) or being no name at all (an id that is a URL). Here:

- names that say nothing of the element's role are set aside before the words are read;
- a word *part* that begins or ends with a furniture stem is read as furniture, but only as weak
  evidence: the walk skips such a block only while it holds less than half the article's prose
  (see ``FurnitureSkip``), so a stem match on the block that holds the prose changes nothing.
"""

from __future__ import annotations

import re

from .boilerplate import (
    CONTENT_CLASSES,
    Furniture,
    furniture,
    names_of,
    words_of,
)
from .text import Element

# Stems of the furniture words, as the beginning or the end of a word part: "shareblock", "sharebar",
# "authorbox", "relatedposts", "postratings", "newsteaser", "recirculation", "promotion", "donation".
STEMS = (
    "share", "social", "related", "relacionad", "newsletter", "subscribe(?!r)", "subscription", "signup",
    "promo", "teaser", "recirc", "rating", "tagged", "taglist", "sponsor", "advert", "donat", "paywall", "appstore",
    "authorbox", "authorinfo", "authorbio", "aboutauthor", "contactbox", "contactinfo", "mostread",
    "mostpopular", "popular", "trending", "readnext", "readalso", "seealso", "recommend", "pullquote",
    "keypoints", "ticker", "outbrain", "taboola", "breadcrumb", "pagination", "prevnext", "nextprev",
    # boxes at the end of a text: asks for contributions, readers' feedback
    # ("Is this page useful?"), and the channels of messengers sites point readers to
    "contribut", "feedback", "whatsapp", "telegram",
    # counters of readers a CMS prints under a text ("itemHits": "Czytany 412 razy", "post-views")
    "hits", "postviews", "pageviews", "viewcount",
)  # fmt: skip
_STEM_START = re.compile("^(?:" + "|".join(STEMS) + ")")
_STEM_END = re.compile("(?:" + "|".join(STEMS) + ")s?$")
_STEM_ANY = re.compile("|".join(STEMS))
_PARTS = re.compile(r"[^a-z0-9]+")
# A name that denies the word it holds ("non-paywall", "no-ads", "not-sponsored").
_NEGATED = re.compile(r"^(?:non|no|not|without)[-_]", re.I)
_MAYBE_MEANINGLESS = re.compile(r"/|(?:^|\s)(?:js|non|no|not|without)[-_]", re.I)
# A script hook ("js_readmore", "js-share"): it says what a script does, not what the block is.
_HOOK = re.compile(r"^js[-_]", re.I)
_NOT_ROLES = ("has-", "has_", "with-", "is-", "show-", "hide-on", "tag-", "category-", "format-", "type-", "status-")
# Words that name furniture of the body's text only (other readers of names, captions and comments,
# keep their own): a forum post's signature and its poster's profile ("Registered: …", "Posts: 1843"),
# sure; an image gallery's frame (its counter, "View gallery"), likely: its captions are no text of the body.
_BODY_SURE = frozenset({"signature", "postprofile", "userinfo", "userprofile"})
_ROLES = {"navigation": Furniture.SURE, "menu": Furniture.SURE, "dialog": Furniture.SURE,
          "complementary": Furniture.LIKELY, "banner": Furniture.LIKELY, "contentinfo": Furniture.SURE}  # fmt: skip
# Names of hidden blocks ("hidden", "d-none", "is-hidden", "visually-hidden" is for screen readers).
_ARIA_BLOCKS = frozenset({"div", "section", "aside", "ul", "ol", "p", "figure", "article"})
_SHOWN = ("d-sm-", "d-md-", "d-lg-", "d-xl-", "visible")
_HIDDEN_NAMES = frozenset({"hidden", "hide", "d-none", "is-hidden", "u-hidden", "hidden-xs-up", "invisible"})


def _meaningless(name: str) -> bool:
    """A name that says nothing of the block's role: a URL (an id "https://x.com/slideshow/12"), a
    script hook, or one that denies its own word."""
    return "/" in name or bool(_HOOK.match(name) or _NEGATED.match(name))


def body_furniture(tag: Element) -> Furniture | None:
    """Like :func:`boilerplate.furniture`, with names that say nothing set aside; an article's own
    footer (its tags, share buttons, credits) is likely furniture."""
    kind = furniture(tag)
    if tag.tag == "footer":
        return Furniture.LIKELY if kind is None else Furniture.SURE
    if kind is None:
        return _body_only(tag)  # names set aside can only take furniture words away
    raw = f"{tag.get('class') or ''} {tag.get('id') or ''}"
    if not _MAYBE_MEANINGLESS.search(raw):
        return kind  # most furniture: every name is read
    return furniture(tag, [n for n in names_of(tag) if not _meaningless(n)])


def _body_only(tag: Element) -> Furniture | None:
    raw = f"{tag.get('class') or ''} {tag.get('id') or ''}".lower()
    if "signature" not in raw and "profile" not in raw and "user" not in raw:
        return None  # most elements: no need to split their names into words
    words = {w for name in names_of(tag) if not _meaningless(name) for w in words_of(name)}
    return Furniture.SURE if words & _BODY_SURE else None


def holds_poster(post: Element) -> bool:
    """A forum's post: it carries its poster's profile or signature ("user_info", "postprofile",
    "signature"), as every post of a thread does and an article's paragraphs do not."""
    for element in post.iter("div", "ul", "dl", "section", "aside", "td"):
        raw = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
        if ("signature" in raw or "profile" in raw or "info" in raw) and _body_only(element) is Furniture.SURE:
            return True
    return False


_FRAME = 80  # characters: a gallery's frame holds a counter and a button's label, no more


def gallery_frame(tag: Element, size: int) -> bool:
    """An image gallery's frame set into the text ("Fotogalerie 14 fotografií", "View gallery"): its
    captions are no text of the body, its counter and buttons no more. Read in the article's text
    only: a landing page's "gallery" of cards may be the page's content."""
    raw = f"{tag.get('class') or ''} {tag.get('id') or ''}".lower()
    if "gallery" not in raw or size > _FRAME:
        return False  # most elements; and a gallery of cards with their text
    return any("gallery" in words_of(name) for name in names_of(tag) if not _meaningless(name))


def stem_furniture(tag: Element) -> bool:
    """A part of a class name or the id begins or ends with a furniture stem ("shareblock",
    "post-ratings", "newsTeaser"): weak evidence, for the walk to weigh by the prose the block holds."""
    raw = f"{tag.get('class') or ''} {tag.get('id') or ''}".lower()
    if not _STEM_ANY.search(raw) or tag.tag in ("body", "main", "article", "html"):
        return False  # most elements: no furniture stem anywhere in their names
    if tag.get("itemprop") == "articleBody":
        return False
    for value in names_of(tag):
        lowered = value.split("--")[0].lower()
        if not _STEM_ANY.search(lowered) or CONTENT_CLASSES.match(value) or _meaningless(value):
            continue  # most names: no furniture stem anywhere in them
        if lowered.startswith(_NOT_ROLES):
            continue  # a state of the layout, or the post's taxonomy ("tag-promotion", "category-social")
        parts = _PARTS.split(lowered)
        if any(_STEM_START.match(part) or _STEM_END.search(part) for part in (*parts, "".join(parts))):
            return True  # a part, or the name's parts joined ("read-also" → readalso)
    return False


def _one_of_panels(tag: Element) -> bool:
    """One of a set of tabs or slides (a sibling of its tag and first class): hidden until chosen,
    but as much the page's content as the panel shown."""
    kind = (tag.get("class") or "").split()[:1]
    parent = tag.getparent()
    if parent is None:
        return False
    return any(s is not tag and s.tag == tag.tag and (s.get("class") or "").split()[:1] == kind for s in parent)


def hidden_by_name(tag: Element) -> tuple[bool, bool]:
    """Whether the tag is hidden the way style sheets hide, by a class that says so; and whether it
    is that or a block hidden from screen readers (``aria-hidden="true"``: a ticker, a copy for
    another layout; on a link or an icon it only spares the reader a repeat, so it counts on blocks
    only, and not on one of a set of tabs)."""
    by_class = _hidden_class(tag.get("class"))
    if by_class or tag.tag not in _ARIA_BLOCKS or tag.get("aria-hidden") != "true":
        return by_class, by_class
    return False, not _one_of_panels(tag)


def _hidden_class(value: str | None) -> bool:
    if not value or ("hid" not in value and "invisible" not in value):
        return False  # most elements: no need to split their names
    names = value.lower().split()
    if _HIDDEN_NAMES.isdisjoint(names):
        return False
    # "hidden lg:block", "hidden d-md-block": hidden on phones only, shown on a desktop
    return not any(":" in n or n.startswith(_SHOWN) for n in names)

"""Where the article's pictures are: its text block, the lead picture above it, and not the furniture.

Class words are weak evidence around pictures. A body wrapper may be named ``l-sidebar-fixed``,
``content-main-sidebar`` or ``storyRelatedMedia``, a picture's wrapper ``pictureCaption``: such a
word marks furniture only when the element holds neither the article's prose nor pictures of its
own (pictures that are not links to other pages, as a related story's teaser is). Words that are
never the article (share, advert, comment, newsletter…) and furniture tags stay sure.

The lead picture often sits outside the text block: in the article's header, a masthead or hero
block just before the body. The blocks before the text block, up to two levels above it, are
searched too, unless they are furniture (the site's header with its logo is).
"""

from __future__ import annotations

from collections.abc import Iterator

from .body import body_root
from .boilerplate import LIKELY_TAGS, LIKELY_WORDS, SURE_TAGS, SURE_WORDS, furniture, has_prose, names_of, words_of
from .caption_images import PICTURES
from .page import Page
from .text import Element

# Furniture words that also name body and picture wrappers.
WEAK_WORDS = frozenset({"sidebar", "related", "caption", "slideshow", "masthead", "credits", "copyright", "banner"})
_FURNITURE_WORDS = SURE_WORDS | LIKELY_WORDS
_LEAD_REACH = 2  # levels above the text block whose earlier blocks may hold the lead picture
_NOT_A_PICTURE_PAGE = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif")


def article_region(page: Page) -> Element | None:
    elements = body_root(page).elements
    if not elements:
        return None
    root = elements[0]
    parent = root.getparent()
    if root.tag == "p" and parent is not None:  # a paragraph holds no figure: the block it stands in does
        root = parent
    holder = root if root.tag in ("article", "main") else next(root.iterancestors("article", "main"), None)
    return holder if holder is not None else root


def lead_blocks(region: Element) -> Iterator[Element]:
    """The blocks before the text block (and before its parent) that may hold its lead picture."""
    node = region
    for _ in range(_LEAD_REACH):
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return
        for sibling in node.itersiblings(preceding=True):
            if isinstance(sibling.tag, str) and _may_lead(sibling):
                yield sibling
        node = parent


def _may_lead(block: Element) -> bool:
    if furniture(block) is None:
        return True
    if block.tag == "header":  # the article's own header (its headline is there), not the site's
        return next(block.iter("h1"), None) is not None
    return not is_furniture_around_pictures(block)


def inside_furniture(page: Page, element: Element, region: Element) -> bool:
    known: dict[int, bool] = page.memo.setdefault("furniture_around_pictures", {})
    for parent in element.iterancestors():
        if parent is region:
            return False
        if id(parent) not in known:
            known[id(parent)] = is_furniture_around_pictures(parent)
        if known[id(parent)]:
            return True
    return False


def is_furniture_around_pictures(element: Element) -> bool:
    """Furniture, unless only weak words say so and it holds the article's prose or pictures."""
    if furniture(element) is None:
        return False
    if element.tag in SURE_TAGS or element.tag in LIKELY_TAGS or element.get("role"):
        return True
    words: set[str] = set()
    for name in names_of(element):
        words |= words_of(name)
    said = words & _FURNITURE_WORDS
    if not said or not said <= WEAK_WORDS:
        return True
    return not (has_own_pictures(element) or has_prose(element))


def has_own_pictures(element: Element) -> bool:
    """Whether a picture under ``element`` is the page's own, not a link to another page (a teaser)."""
    return any(not is_teaser_picture(img, element) for img in element.iter(*PICTURES))


def is_teaser_picture(img: Element, within: Element | None = None) -> bool:
    for parent in img.iterancestors():
        if parent.tag == "a":
            href = (parent.get("href") or "").strip().lower().split("?")[0]
            return bool(href) and not href.endswith(_NOT_A_PICTURE_PAGE)
        if parent is within:
            return False
    return False

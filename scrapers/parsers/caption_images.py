"""The address of a captioned picture, wherever the page keeps it.

``src`` is often not the picture: lazy loading leaves a placeholder there (a ``data:`` URI, a
1×1 gif, ``missing-image.svg``, a ``width="1"`` shim) and puts the real address in a ``data-*``
attribute whose name varies by script (``data-src``, ``data-hi-res-src``, ``data-original``…);
``<picture>`` may give it only in a ``<source srcset>``; some pages draw the picture as a ``div``
with ``data-src`` or a schema.org ``contentUrl``. The real address is taken, never the placeholder.

A picture may be a custom element (``<amp-img>``, Forbes's ``<progressive-image src>``, heise's
``<a-img>``): a tag with a hyphen whose name ends in "img" or "image" is one, on any page. A hero
picture may be a block's ``background-image`` (a block without text of its own, outside a link).
"""

from __future__ import annotations

import itertools
import re

from .page import Page
from .text import Element

PICTURES = ("img", "amp-img")
_CUSTOM_PICTURE_ENDS = ("img", "image")
_BACKGROUND = re.compile(r"background(?:-image)?\s*:[^;]*?url\(\s*(['\"]?)(?P<url>[^'\")]+)\1\s*\)", re.I)
_ATTRS = ("src", "data-src", "data-lazy-src", "data-original", "data-srcset", "srcset")
_LAZY_ATTRS = ("data-src", "data-lazy-src", "data-original", "data-srcset")
_PLACEHOLDER = re.compile(
    r"^data:|blank|spacer|placeholder|pixel|transparent|lazy|loading|missing|1x1|\.gif(?:$|\?)", re.I
)
_DESCRIPTOR = re.compile(r"^\d+(?:\.\d+)?[wx],?$")  # a srcset candidate's size: "640w", "2x,"
_ICON = 64  # pixels: a picture this small is an icon or a badge, not a photo with a caption
_IMAGE_ADDRESS = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg)(?:$|[?#\s])|/images?/|/img/|/photos?/", re.I)


def pictures(page: Page) -> tuple[str, ...]:
    """The tags of the page's pictures: ``img``, ``amp-img`` and the page's custom picture elements."""
    known = page.memo.get("picture_tags")
    if not isinstance(known, tuple):
        custom = (n for n in page.tag_names() if "-" in n and n.endswith(_CUSTOM_PICTURE_ENDS) and n not in PICTURES)
        known = page.memo["picture_tags"] = PICTURES + tuple(sorted(custom))
    return known


def backdrops(page: Page) -> list[tuple[Element, str]]:
    """Blocks drawn as a picture by their style's ``background-image``, with its address: no text of
    their own and no link around them (a teaser card's background is another story's)."""
    known = page.memo.get("backdrops")
    if not isinstance(known, list):
        known = page.memo["backdrops"] = []
        for element in page.all_tags():
            style = element.get("style")
            match = _BACKGROUND.search(style) if style and "url(" in style else None
            if match is None or page.text_size(element) or next(element.iterancestors("a"), None) is not None:
                continue
            url = page.absolute(match["url"].strip())
            if url and _IMAGE_ADDRESS.search(url):
                known.append((element, url))
                page.memo.setdefault("picture_urls", {})[id(element)] = url  # what picture_url gives for it
    return known


def image_url(page: Page, container: Element) -> str | None:
    """The address of the first picture in ``container`` that has a real one."""
    for img in container.iter(*pictures(page)):
        url = picture_url(page, img)
        if url is not None:
            return url
    for holder in container.iter("source", "div", "span", "a"):
        url = _first_of(page, holder, ("srcset", "data-srcset", "data-src")) if holder is not container else None
        if url is not None:
            return url
    tag = next(iter(page.select("[itemprop=contentUrl], [itemprop=url]", container)), None)
    if tag is not None:
        value = tag.get("content") or tag.get("href") or tag.get("src")
        return page.absolute(value if isinstance(value, str) else None)
    return None


def picture_url(page: Page, img: Element) -> str | None:
    """The picture's address: its lazy-loaded one when ``src`` is a placeholder, else its
    ``<picture>``'s source when it has none, the untyped one first (the format every browser reads,
    where the typed ones are WebP or AVIF copies), and of a ``srcset`` its largest picture (memoised
    per page: the search asks often)."""
    known: dict[int, str | None] = page.memo.setdefault("picture_urls", {})
    if id(img) not in known:
        known[id(img)] = _picture_url(page, img)
    return known[id(img)]


def picture_holders(page: Page) -> frozenset[int]:
    """The elements that hold a picture (keyed by ``id``), found once per page."""
    holders = page.memo.get("picture_holders")
    if not isinstance(holders, frozenset):
        found = {id(a) for name in pictures(page) for img in page.tags(name) for a in img.iterancestors()}
        holders = page.memo["picture_holders"] = frozenset(found)
    return holders


def _picture_url(page: Page, img: Element) -> str | None:
    src = (img.get("src") or "").strip()
    if src and not _is_placeholder(img, src):
        return _first_of(page, img, _ATTRS)
    url = _first_of(page, img, _LAZY_ATTRS) or _first_of(page, img, _image_data_attrs(img))
    parent = next(itertools.islice(img.iterancestors("picture"), 1), None)  # the parser may nest it in a <source>
    if url is None and parent is not None:
        sources = sorted(parent.iter("source"), key=lambda source: source.get("type") is not None)
        url = next((u for s in sources if (u := _first_of(page, s, ("srcset",)))), None)
    return url or _first_of(page, img, ("srcset", "src"))


def is_other_picture(page: Page, element: Element, image: Element) -> bool:
    """Whether ``element`` is a picture other than ``image`` that could have a caption of its own: not
    the same picture again (its ``<noscript>`` copy), not an icon or a badge (an SVG file, a few pixels)."""
    if element is image or element.tag not in pictures(page):
        return False
    if next(element.iterancestors("noscript"), None) is not None:
        return False
    url = picture_url(page, element)
    if url is None or url == picture_url(page, image) or url.lower().split("?")[0].endswith(".svg"):
        return False
    sizes = [element.get("width") or "", element.get("height") or ""]
    return not any(size.isdigit() and int(size) < _ICON for size in sizes)


def is_placeholder_address(url: str) -> bool:
    """An address that names a placeholder or a spacer ("blank.gif", "transparent.png", "grey-pixel.gif")."""
    return bool(_PLACEHOLDER.search(url))


def _is_placeholder(img: Element, src: str) -> bool:
    return bool(_PLACEHOLDER.search(src)) or (img.get("width") == "1" and img.get("height") == "1")


def _image_data_attrs(img: Element) -> tuple[str, ...]:
    """Other ``data-*`` attributes that hold a picture's address (each lazy-loading script names its own)."""
    return tuple(
        str(name) for name, value in img.attrib.items()
        if str(name).startswith("data-") and isinstance(value, str) and _IMAGE_ADDRESS.search(value)
    )  # fmt: skip


def _first_of(page: Page, element: Element, attrs: tuple[str, ...]) -> str | None:
    for attr in attrs:
        value = element.get(attr)
        if isinstance(value, str) and value.strip() and not value.strip().startswith("data:"):
            url = page.absolute(_largest_candidate(value) if attr.endswith("srcset") else _first_candidate(value))
            if url:
                return url
    return None


def _largest_candidate(srcset: str) -> str:
    """The largest picture of a ``srcset`` ("a-640.jpg 640w, a-1400.jpg 1400w"): the one a reader's
    full-size screen shows, and the picture itself rather than a thumbnail of it; the first where
    none says its size."""
    best, best_size = "", -1.0
    words = srcset.split()
    at = 0
    while at < len(words):
        url, size = words[at], 0.0
        at += 1
        if not url.endswith(",") and at < len(words) and _DESCRIPTOR.match(words[at]):
            size = float(words[at].rstrip(",")[:-1])
            at += 1
        if size > best_size:
            best, best_size = url.rstrip(","), size
    return best


def _first_candidate(srcset: str) -> str:
    """The first address of an attribute, a ``srcset`` ("a.jpg 1x, b.jpg 2x") too: an address runs to
    the first white space and may itself hold commas (``/fetch/w_1456,c_limit/…``)."""
    return srcset.strip().split()[0].rstrip(",")

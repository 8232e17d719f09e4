"""Images of the article with their captions and credits.

A caption is read once per image even where the page repeats it (``alt`` and a visible caption);
a trailing credit ("(Photo: Reuters)", "Фото: …", "Photo by …") is split from the caption, with the
link inside it when the credit is one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .article import Caption
from .body import body_root
from .boilerplate import is_furniture
from .page import Page
from .text import Element, classes, inline_text, squash

_LABEL = (
    r"(?:photo(?:graph)?s?|image|picture|pic|credits?|foto|фото|fotoğraf|şəkil|şəkillər|source"
    r"|kaynak|источник|bild|quelle)"
)
_CREDIT_PATTERNS = (
    re.compile(
        rf"\s*[(\[]\s*{_LABEL}(?:\s+(?:by|courtesy(?:\s+of)?))?\s*[:：]?\s*(?P<credit>[^()\[\]]+?)\s*[)\]]\s*$", re.I
    ),
    re.compile(
        rf"(?:^|(?<=[\s.|/–—-]))\s*{_LABEL}(?:\s+(?:by|courtesy(?:\s+of)?))?\s*[:：]\s*(?P<credit>[^:]+?)\s*$", re.I
    ),
    re.compile(
        r"(?:^|(?<=[\s.|/–—-]))\s*(?:photo|image|picture)\s+(?:by|courtesy(?:\s+of)?)\s+(?P<credit>.+?)\s*$", re.I
    ),
    re.compile(r"\s*(?:©|\(c\)|copyright)\s*(?P<credit>[^©]+?)\s*$", re.I),
)
GENERIC_CONTAINERS = "figure, .wp-caption, [itemtype*='schema.org/ImageObject']"
GENERIC_CAPTION_TEXT = "figcaption, .wp-caption-text, [itemprop=caption], [itemprop=description], .caption"
CREDIT_ELEMENTS = ".credit, .photo-credit, .image-credit, .copyright, [itemprop=copyrightHolder], [itemprop=creator]"
_IMAGE_ATTRS = ("src", "data-src", "data-lazy-src", "data-original", "data-srcset", "srcset")


@dataclass(frozen=True)
class Credit:
    text: str | None
    url: str | None


def extract_captions(page: Page) -> list[Caption]:
    """Captions in page order; a caption whose text (or image) was already read is a repeat of it
    (pages print the same figure for mobile and desktop, or in a lightbox)."""
    found: list[Caption] = []
    texts: set[str] = set()
    images: set[str] = set()
    for caption in _dom_captions(page) or _jsonld_captions(page):
        if caption.image_url in images or (caption.text and caption.text in texts):
            continue
        images.add(caption.image_url)
        texts.add(caption.text)
        found.append(caption)
    return found


def _dom_captions(page: Page) -> list[Caption]:
    profile_containers = page.select_profile("captions")
    if profile_containers:
        text_selector = page.profile.selector("caption_text") if page.profile else None
        return [c for e in profile_containers if (c := _caption(page, e, text_selector or GENERIC_CAPTION_TEXT))]
    return [c for e in _generic_containers(page) if (c := _caption(page, e, GENERIC_CAPTION_TEXT))]


def _generic_containers(page: Page) -> Iterator[Element]:
    region = _article_region(page)
    if region is None:
        return
    for element in page.select(GENERIC_CONTAINERS, region):
        if not _inside_furniture(element, region) and not any(
            "wp-caption" in classes(parent) for parent in element.iterancestors()
        ):
            yield element


def _article_region(page: Page) -> Element | None:
    elements = body_root(page).elements
    if not elements:
        return None
    root = elements[0]
    holder = root if root.tag in ("article", "main") else next(root.iterancestors("article", "main"), None)
    return holder if holder is not None else root


def _inside_furniture(element: Element, region: Element) -> bool:
    for parent in element.iterancestors():
        if parent is region:
            return False
        if is_furniture(parent):
            return True
    return False


def _caption(page: Page, container: Element, text_selector: str) -> Caption | None:
    image = image_url(page, container)
    holders = [t for t in page.select(text_selector, container) if t is not container]
    holder = holders[0] if holders else None
    if image is None or holder is None:
        return None
    text, credit = split_credit(holder, page)
    if not text and not credit.text:
        return None
    return Caption(image_url=image, text=text, credit=credit.text, credit_url=credit.url)


def image_url(page: Page, container: Element) -> str | None:
    img = next(container.iter("img"), None)
    if img is None:
        img = next(container.iter("source"), None)
    if img is not None:
        for attr in _IMAGE_ATTRS:
            value = img.get(attr)
            if isinstance(value, str) and value.strip():
                first = value.strip().split(",")[0].split()[0]  # srcset: "a.jpg 1x, b.jpg 2x"
                url = page.absolute(first)
                if url:
                    return url
    tag = next(iter(page.select("[itemprop=contentUrl], [itemprop=url]", container)), None)
    if tag is not None:
        value = tag.get("content") or tag.get("href") or tag.get("src")
        return page.absolute(value if isinstance(value, str) else None)
    return None


def split_credit(holder: Element, page: Page) -> tuple[str, Credit]:
    """The caption's text without its credit, and the credit (a marked element or a trailing phrase)."""
    marked = next(iter(page.select(CREDIT_ELEMENTS, holder)), None)
    full = inline_text(holder)
    if marked is not None:
        credit_text = _strip_label(inline_text(marked))
        text = squash(full.replace(inline_text(marked), " "))
        return _tidy(text), Credit(credit_text or None, _link_in(marked, page))
    for pattern in _CREDIT_PATTERNS:
        match = pattern.search(full)
        if match and match.start() > 0:
            credit_text = match["credit"].strip()
            return _tidy(full[: match.start()]), Credit(credit_text, _link_for(holder, credit_text, page))
    return _tidy(full), Credit(None, None)


def _strip_label(text: str) -> str:
    match = re.match(rf"^\s*[(\[]?\s*{_LABEL}(?:\s+by)?\s*[:：]?\s*(?P<rest>.*?)[)\]]?\s*$", text, re.I)
    return (match["rest"] if match else text).strip()


def _tidy(text: str) -> str:
    return text.strip().rstrip("|/–—-").strip()


def _link_for(holder: Element, credit: str, page: Page) -> str | None:
    for link in holder.iter("a"):
        if link.get("href") is not None and inline_text(link) and inline_text(link) in credit:
            return page.absolute(link.get("href"))
    return None


def _link_in(element: Element, page: Page) -> str | None:
    link = next((a for a in element.iter("a") if a.get("href") is not None), None)
    return page.absolute(link.get("href")) if link is not None else None


def _jsonld_captions(page: Page) -> list[Caption]:
    """Captions that only the page's JSON-LD states (its article image, with a caption)."""
    images = page.jsonld_value("image")
    found: list[Caption] = []
    for image in images if isinstance(images, list) else [images]:
        if isinstance(image, dict):
            url, caption = image.get("url") or image.get("contentUrl"), image.get("caption")
            if isinstance(url, str) and isinstance(caption, str) and caption.strip():
                credit = image.get("creditText") or image.get("copyrightHolder")
                found.append(
                    Caption(
                        image_url=page.absolute(url) or url,
                        text=squash(caption),
                        credit=credit if isinstance(credit, str) else None,
                    )
                )
    return found

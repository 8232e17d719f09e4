"""Images of the article with their captions and credits.

Where captions are, in the markup news sites use: ``<figure>`` with ``<figcaption>``, WordPress
(``.wp-caption``, block figures), schema.org ``ImageObject``, Blogger's caption tables, an image
followed by an element whose class says caption ("Photo: …" lines too), a lightbox's
``data-caption``, and an image's ``title`` inside a figure that has no other caption. A bare
``alt`` is no caption: it describes the picture for who cannot see it, and alone it is often a
file name or keywords. JSON-LD's image caption is the last resort, when the page shows none.

A caption is read once per image even where the page repeats it (mobile and desktop copies, a
lightbox); a credit is split from the caption: an element marked as one (``.credit``,
``itemprop=copyrightHolder``), else a phrase ("(Photo: Reuters)", "Фото: ТАСС", "Photo by …",
"© AFP", "Courtesy of …"), with the link inside it when the credit is one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .article import Caption
from .body import body_root
from .boilerplate import is_furniture, names_of, words_of
from .page import Page
from .text import Element, inline_text, squash

_LABEL = (
    r"(?:photo(?:graph)?s?|image|picture|pic|credits?|fotoğraf|fotos?|фото|şəkil|şəkillər|source|kaynak|источник"
    r"|bild|quelle|fuente|crédit|crédito)(?![^\W\d_])"
)
_CREDIT_PATTERNS = (
    re.compile(
        rf"\s*[(\[]\s*{_LABEL}(?:\s+(?:by|courtesy(?:\s+of)?))?\s*[:：]?\s*(?P<credit>[^()\[\]]+?)\s*[)\]]\s*$", re.I
    ),
    re.compile(r"\s*[(\[]\s*courtesy(?:\s+of)?\s+(?P<credit>[^()\[\]]+?)\s*[)\]]\s*$", re.I),
    re.compile(
        rf"(?:^|(?<=[\s.|/–—-]))\s*{_LABEL}(?:\s+(?:by|courtesy(?:\s+of)?))?\s*[:：]\s*(?P<credit>[^:]+?)\s*$", re.I
    ),
    re.compile(
        r"(?:^|(?<=[\s.|/–—-]))\s*(?:photo|image|picture)\s+(?:by|courtesy(?:\s+of)?)\s+(?P<credit>.+?)\s*$", re.I
    ),
    re.compile(r"(?:^|(?<=[\s.|/–—-]))\s*courtesy\s+of\s+(?P<credit>.+?)\s*$", re.I),
    re.compile(r"\s*(?:©|\(c\)|copyright)\s*(?P<credit>[^©]+?)\s*$", re.I),
)
# A line that is a credit and nothing else ("Photo: Harbour Board"), below a picture.
_CREDIT_LINE = re.compile(rf"^\s*[(\[]?\s*{_LABEL}\s*[:：]", re.I)
GENERIC_CONTAINERS = (
    "figure, .wp-caption, [itemtype*='schema.org/ImageObject'], table.tr-caption-container"
)
GENERIC_CAPTION_TEXT = (
    "figcaption, .wp-caption-text, [itemprop=caption], [itemprop=description], .caption, .tr-caption"
)
CREDIT_ELEMENTS = (
    ".credit, .photo-credit, .image-credit, [class*=credit], .copyright, [itemprop=copyrightHolder],"
    " [itemprop=creator]"
)
_IMAGES = ("img", "amp-img", "source")
_IMAGE_ATTRS = ("src", "data-src", "data-lazy-src", "data-original", "data-srcset", "srcset")
_LAZY_ATTRS = ("data-src", "data-lazy-src", "data-original", "data-srcset")
_PLACEHOLDER = re.compile(r"^data:|blank|spacer|placeholder|pixel|transparent|lazy|loading|\.gif(?:$|\?)", re.I)
_CAPTION_WORDS = frozenset({"caption", "captions", "legend", "cutline", "credit", "credits"})
_LOOSE_REACH = 3  # levels above a picture where its caption element is looked for
_LOOSE_TEXT = 400  # characters: a caption is a line or two, not a paragraph of the article


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
    region = _article_region(page)
    if region is None:
        return []
    found: list[tuple[int, Caption]] = []
    used: set[int] = set()
    for container in _generic_containers(page, region):
        caption = _caption(page, container, GENERIC_CAPTION_TEXT) or _titled(page, container)
        if caption is not None:
            found.append((page.position.get(id(container), 0), caption))
        used.update(id(img) for img in container.iter(*_IMAGES))
    for image in _loose_images(page, region, used):
        caption = _loose_caption(page, image, region)
        if caption is not None:
            found.append((page.position.get(id(image), 0), caption))
    return [caption for _, caption in sorted(found, key=lambda pair: pair[0])]


def _generic_containers(page: Page, region: Element) -> Iterator[Element]:
    for element in page.select(GENERIC_CONTAINERS, region):
        if not _inside_furniture(element, region) and not any(
            "wp-caption" in names_of(parent) or parent.tag == "figure" for parent in element.iterancestors()
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
    if credit.text is None:
        credit = _credit_beside(page, container, holder)
    if not text and not credit.text:
        return None
    return Caption(image_url=image, text=text, credit=credit.text, credit_url=credit.url)


def _credit_beside(page: Page, container: Element, holder: Element) -> Credit:
    """A credit printed next to the caption rather than inside it (``<p class="credit">`` in the figure)."""
    for marked in page.select(CREDIT_ELEMENTS, container):
        if marked is not holder and not any(p is holder for p in marked.iterancestors()):
            text = _strip_label(inline_text(marked))
            if text:
                return Credit(text, _link_in(marked, page))
    return Credit(None, None)


def _titled(page: Page, container: Element) -> Caption | None:
    """A figure without a caption element whose picture carries one in ``title`` or ``data-caption``."""
    if container.tag != "figure":
        return None
    img = next(container.iter("img", "amp-img"), None)
    image = image_url(page, container)
    if img is None or image is None:
        return None
    return _from_attribute(image, img.get("data-caption") or img.get("title"))


def _loose_images(page: Page, region: Element, used: set[int]) -> Iterator[Element]:
    for image in region.iter("img", "amp-img"):
        if id(image) not in used and not _inside_furniture(image, region) and not page.skip(image):
            yield image


def _loose_caption(page: Page, image: Element, region: Element) -> Caption | None:
    """The caption of a picture outside any figure: a lightbox's ``data-caption``, an element with a
    caption's class after it in its block, or a credit line right below it."""
    url = _image_of(page, image)
    if url is None:
        return None
    link = image.getparent()
    for owner in (image, link):
        if owner is not None and owner.get("data-caption"):
            return _from_attribute(url, owner.get("data-caption"))
    node = image
    for _ in range(_LOOSE_REACH):
        parent = node.getparent()
        if parent is None or parent is region:
            break
        holder = _caption_after(image, parent)
        if holder is not None:
            text, credit = split_credit(holder, page)
            return Caption(url, text, credit.text, credit.url) if text or credit.text else None
        node = parent
    following = node.getnext()
    if following is not None and _is_caption_line(following):
        text, credit = split_credit(following, page)
        return Caption(url, text, credit.text, credit.url) if text or credit.text else None
    return None


def _caption_after(image: Element, block: Element) -> Element | None:
    """The first element after the picture in ``block`` whose class says it is a caption."""
    seen = False
    for element in block.iter():
        if element is image:
            seen = True
            continue
        if not seen or not isinstance(element.tag, str) or element.tag in _IMAGES:
            continue
        if any(words_of(name) & _CAPTION_WORDS for name in names_of(element)):
            text = inline_text(element)
            if text and len(text) <= _LOOSE_TEXT and next(element.iter("img"), None) is None:
                return element
    return None


def _is_caption_line(element: Element) -> bool:
    text = inline_text(element)
    if not text or len(text) > _LOOSE_TEXT or next(element.iter("img"), None) is not None:
        return False
    return bool(_CREDIT_LINE.match(text)) or any(words_of(name) & _CAPTION_WORDS for name in names_of(element))


def _from_attribute(image: str, value: str | None) -> Caption | None:
    text, credit = split_credit_text(squash(value or ""))
    return Caption(image, text, credit) if text or credit else None


def image_url(page: Page, container: Element) -> str | None:
    img = next(container.iter("img", "amp-img"), None)
    if img is None:
        img = next(container.iter("source"), None)
    url = _image_of(page, img) if img is not None else None
    if url is not None:
        return url
    tag = next(iter(page.select("[itemprop=contentUrl], [itemprop=url]", container)), None)
    if tag is not None:
        value = tag.get("content") or tag.get("href") or tag.get("src")
        return page.absolute(value if isinstance(value, str) else None)
    return None


def _image_of(page: Page, img: Element) -> str | None:
    """The picture's address; a lazy-loaded one's real address, not its placeholder."""
    src = img.get("src") or ""
    attrs = _LAZY_ATTRS + _IMAGE_ATTRS if not src.strip() or _PLACEHOLDER.search(src) else _IMAGE_ATTRS
    for attr in attrs:
        value = img.get(attr)
        if isinstance(value, str) and value.strip() and not value.strip().startswith("data:"):
            first = value.strip().split(",")[0].split()[0]  # srcset: "a.jpg 1x, b.jpg 2x"
            url = page.absolute(first)
            if url:
                return url
    return None


def split_credit(holder: Element, page: Page) -> tuple[str, Credit]:
    """The caption's text without its credit, and the credit (a marked element or a trailing phrase)."""
    marked = next(iter(page.select(CREDIT_ELEMENTS, holder)), None)
    full = inline_text(holder)
    if marked is not None:
        credit_text = _strip_label(inline_text(marked))
        text = squash(full.replace(inline_text(marked), " "))
        return _tidy(text), Credit(credit_text or None, _link_in(marked, page))
    text, credit = split_credit_text(full)
    return text, Credit(credit, _link_for(holder, credit, page) if credit else None)


def split_credit_text(full: str) -> tuple[str, str | None]:
    """A caption line's text and its trailing credit phrase ("… (Photo: Reuters)")."""
    for pattern in _CREDIT_PATTERNS:
        match = pattern.search(full)
        if match and (match.start() > 0 or _CREDIT_LINE.match(full)):
            return _tidy(full[: match.start()]), match["credit"].strip() or None
    return _tidy(full), None


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
                if isinstance(credit, dict):
                    credit = credit.get("name")
                found.append(
                    Caption(
                        image_url=page.absolute(url) or url,
                        text=squash(caption),
                        credit=credit if isinstance(credit, str) else None,
                    )
                )
    return found

"""Captions that no name marks: what a picture's surroundings say of a line beside it.

A caption is often in an element named for nothing (an old CMS's table of a picture row and a caption
row, ``<div><img><p>Text</p></div>``, a caption above the picture, detik's loose text beside it) or
in the classic editor's ``<p><img></p><p><em>Text</em></p>``. The structure says it is the caption:
a small box holding only the picture and one short text, or a line set all in italics or small print
right after a picture's own block. Weak evidence, so never for an icon or a thumbnail, a box named
for furniture (an author's, an ad's), a line with a link (a teaser) or a label of a word or two.
A carousel's copies of its slides (made so that it can loop) are no pictures of their own.
"""

from __future__ import annotations

import itertools
import re

from .boilerplate import LIKELY_WORDS, SURE_WORDS, names_of, words_of
from .caption_credits import shown_text
from .caption_images import is_other_picture, is_placeholder_address, picture_url, pictures
from .page import Page
from .text import Element

_REACH = 3  # levels above a picture where its box is looked for
_LINE = 250  # characters: a box's text or a line longer than this is the article's, not a caption
_LABEL_WORDS = 2  # words: a line this short beside a picture is a label ("Anzeige", "Live"), not its caption
_PARAGRAPH = 60  # characters: a paragraph of the article's text beside a picture's box
_NOT_PHOTOS = (".svg", ".ico")
_DRAWINGS = (".png", ".gif", ".svg", ".ico")
_PHOTO_SIZE = 150  # pixels: a picture drawn smaller is an icon, a logo or a thumbnail
_EMPHASIS = frozenset({"em", "i", "small", "sub", "font"})  # a line set in these alone is printed apart
_COPY_WORDS = frozenset({"cloned", "clone", "duplicate"})
_FURNITURE_WORDS = (SURE_WORDS | LIKELY_WORDS) - {"caption"}
_NAMING_ATTRS = ("data-testid", "data-test", "data-qa", "data-component", "data-hook", "data-manual")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_WORDED = re.compile(r"[^\W_]")  # a letter or a digit
_LABEL_SIZE = 24  # characters: a label's; a caption in a script without spaces is longer
_CENTRED = re.compile(r"text-align\s*:\s*center", re.I)


def is_copy(element: Element, region: Element) -> bool:
    """A carousel's copy of a slide (slick's ``slick-cloned``, Swiper's ``swiper-slide-duplicate``, Owl's
    ``cloned``), made so the slides can loop: the slide itself is read where it stands in the order."""
    for parent in element.iterancestors():
        if parent is region:
            return False
        if any(words_of(name) & _COPY_WORDS for name in names_of(parent)):
            return True
    return False


def emphasised_line(page: Page, image: Element, region: Element) -> Element | None:
    """The short line right after a picture's own block set all in italics or small print (the
    classic editor's ``<p><img></p><p><em>Text</em></p>``): typography says caption in any language.
    Not for an icon or a thumbnail, nor a line with a link (a "Read more" teaser), nor one that ends
    in a colon or a comma (it opens what follows: "You can also find me here:")."""
    solo = image
    for parent in itertools.islice(image.iterancestors(), _REACH):
        if parent is region or page.text_size(parent) or parent.tag in ("td", "li"):
            break
        solo = parent
    line = next((s for s in solo.itersiblings() if isinstance(s.tag, str) and s.tag != "br"), None)
    if line is None or line.tag in _HEADINGS or not 0 < page.text_size(line) <= _LINE:
        return None
    if _is_small(page, image) or next(line.iter("a", *pictures(page)), None) is not None:
        return None
    if _named_furniture(line, region):
        return None
    if not _centred_apart(page, line, solo):
        plain = (line.text or "").strip() or any((c.tail or "").strip() for c in line if isinstance(c.tag, str))
        emphasised = [c for c in line if isinstance(c.tag, str) and c.tag in _EMPHASIS]
        if plain or not emphasised or any(page.text_size(c) for c in line if c.tag not in _EMPHASIS):
            return None
    text = shown_text(line)
    return line if not _is_label(text) and not text.endswith((":", ",")) else None


def _centred_apart(page: Page, line: Element, solo: Element) -> bool:
    """A centred line under a centred picture, followed by text that is not centred (Xinhua's
    ``<p style="text-align: center"><img></p><p style="text-align: center">Caption</p><p>Text``): set
    apart from the text as a caption is. Where the text is centred too (a blog's), it is the text."""
    if not (_centered(line) and _centered(solo)):
        return False
    following = next((s for s in line.itersiblings() if isinstance(s.tag, str) and page.text_size(s)), None)
    return following is not None and not _centered(following)


def _centered(element: Element) -> bool:
    """Set centred by its own markup (``align="center"``, ``style="text-align: center"``)."""
    if (element.get("align") or "").lower() == "center":
        return True
    return _CENTRED.search(element.get("style") or "") is not None


def _is_label(text: str) -> bool:
    """A word or two ("Anzeige", "- Reklam -"): a label, not a caption. Words are counted by their
    letters (dashes around a label are no words); a line of a script without spaces by its length."""
    words = [word for word in text.split() if _WORDED.search(word)]
    return len(words) <= _LABEL_WORDS and len(text) <= _LABEL_SIZE


def boxed_line(page: Page, image: Element, region: Element) -> Element | None:
    """The one short line that shares a small box with a picture and nothing else: the caption, under
    the picture or above it (``<div><img><p>Text</p></div>``, an old CMS's ``<table>`` of a picture
    row and a caption row, ``<div class="foto"><div>Text</div><img></div>``), whatever the names.
    The box is the picture's nearest ancestor with text, a few levels up at most; it holds no other
    picture, no link, no heading and no second paragraph, and its text is the caption: one line, or
    the lines and loose text beside the picture (detik's ``<div><div><img></div>Text (Foto: X)</div>``)."""
    near = itertools.islice(image.iterancestors(), _REACH)
    box = next((a for a in near if page.text_size(a)), None)
    if box is None or box is region or page.text_size(box) > _LINE or len(box.findall(".//p")) > 1:
        return None
    if _inside(region, box) or next(box.iter("a", *_HEADINGS), None) is not None or _is_small(page, image):
        return None
    if not _is_photo(page, image) or any(is_other_picture(page, o, image) for o in box.iter(*pictures(page))):
        return None
    branch = next(c for c in (image, *image.iterancestors()) if c.getparent() is box)
    if branch.tag == "figure" or next(branch.iterdescendants("figure"), None) is not None:
        return None  # a figure holds its own caption: without one, the text beside it is the page's (media and text)
    if page.text_size(branch) or _is_label(shown_text(box)) or _named_furniture(box, region):
        return None
    lines = [c for c in box if isinstance(c.tag, str) and page.text_size(c)]
    loose = (box.text or "") + "".join(c.tail or "" for c in box if isinstance(c.tag, str))
    if loose.strip() and branch is image:  # a picture among words (a smiley in a post), not beside them
        return None
    if _text_on_both_sides(page, box, branch) or not _among_paragraphs(page, box, region):
        return None
    if len(lines) == 1 and not loose.strip():
        return lines[0]
    return None if next(box.iter("p"), None) is not None else box  # a credit line and a paragraph are two things


def _text_on_both_sides(page: Page, box: Element, branch: Element) -> bool:
    """Text before and after the picture: it stands in a text, not over or under its caption."""
    children = [c for c in box if isinstance(c.tag, str)]
    at = children.index(branch)
    before = any(page.text_size(c) for c in children[:at]) or (box.text or "").strip()
    after = any(page.text_size(c) for c in children[at + 1 :]) or (branch.tail or "").strip()
    return bool(before and after)


def _is_small(page: Page, image: Element) -> bool:
    """An icon, a logo or a thumbnail: an SVG file, a spacer, or drawn smaller than a photo is in a text."""
    url = (picture_url(page, image) or "").lower().split("?")[0]
    sizes = (image.get("width") or "", image.get("height") or "")
    if url.endswith(_NOT_PHOTOS) or is_placeholder_address(url.rsplit("/", 1)[-1]):
        return True
    return any(size.isdigit() and int(size) < _PHOTO_SIZE for size in sizes)


def _is_photo(page: Page, image: Element) -> bool:
    """A photograph by its address: no drawing's or animation's format (PNG, GIF: screenshots, badges,
    smileys, avatars), and no icon."""
    url = (picture_url(page, image) or "").lower().split("?")[0]
    return not url.endswith(_DRAWINGS) and not _is_small(page, image)


def _among_paragraphs(page: Page, box: Element, region: Element) -> bool:
    """Whether the box stands in the article's running text: a paragraph of text just before or after
    it, or around the block it stands in (a product page's or a forum's boxes stand among boxes)."""
    node = box
    for _ in range(_REACH):
        if node is region:
            return False
        for siblings in (node.itersiblings(), node.itersiblings(preceding=True)):
            near = [s for s in itertools.islice(siblings, 2) if isinstance(s.tag, str)]
            if any(page.text_size(p) >= _PARAGRAPH for s in near for p in s.iter("p")):
                return True
        parent = node.getparent()
        if parent is None:
            return False
        node = parent
    return False


def _named_furniture(box: Element, region: Element) -> bool:
    """Whether the box, or a block around it in the text, is named for furniture (its class, id, test
    id or custom tag) or is a control (a button)."""
    for element in (box, *box.iterancestors()):
        if element is region:
            return False
        names = names_of(element) + [v for a in _NAMING_ATTRS if isinstance(v := element.get(a), str)]
        names.append(str(element.tag))  # a custom element's name (``amp-ad``)
        if any(words_of(name) & _FURNITURE_WORDS for name in names) or element.get("role") == "button":
            return True  # a control's label ("Press enter to view image in full size") is no caption
    return False


def _inside(element: Element, ancestor: Element) -> bool:
    return any(parent is ancestor for parent in element.iterancestors())

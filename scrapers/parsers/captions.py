"""Images of the article with their captions and credits.

Where captions are, in the markup news sites use: ``<figure>`` with ``<figcaption>`` or any element
whose class names a caption (``div.Figure-caption``, ``p.figure__caption``, ``captiontext``),
WordPress (``.wp-caption``, block figures), schema.org ``ImageObject``, Blogger's caption tables, a
picture followed by an element whose class says caption (compound names too: ``imagecaption``,
``td.imagecaption``) or by a credit line, a wrapper named for a caption that holds one picture and
its text (``pictureCaption``), a lightbox's ``data-caption``, and an image's ``title`` inside a figure
that has no other caption. A bare ``alt`` is no caption: it describes the picture for who cannot
see it, and alone it is often a file name or keywords. JSON-LD's image caption is the last resort,
when the page shows none. Pictures are looked for in the article's text block and in the blocks
just before it (the lead picture), see :mod:`.caption_places`; their addresses in
:mod:`.caption_images`; credits in :mod:`.caption_credits`.

A gallery (a figure of figures) gives each inner figure its own caption; a figure without a
caption element takes the caption that follows it in its block; a picture's description or title
by its class (``detail_picture_desc``, RIA's ``media__title``, never a card's) is its caption, and a
short line under a picture that ends with a credit ("The quay. Fot. X") is one too.

A caption belongs to the picture it follows: the search after a picture never passes another
picture (an uncaptioned picture does not take the next one's caption). A caption is read once per
image even where the page repeats it (mobile and desktop copies, a lightbox, a full and a truncated
copy of its text); a credit is split from the caption: an element marked as one, else a phrase
("(Photo: Reuters)", "Фото: ТАСС", "Photo / X", "© AFP"), with the link inside it when the credit is
one. A line under a picture that is only a credit is a caption with a credit and no text. A
caption's last element holding only names after a finished sentence is its credit (El País); a
link after the credit (a licensing shop's) is no part of the caption.

A credit line that closes a small block of lines makes the block the caption (iDNES's ``div.text``),
and a short unnamed line between a picture and its credit line is the caption that credit closes
(Sabah's italic lines). An element named both for a caption and for a credit is a caption unless one
name holds both words (CNN's ``image__caption attribution`` is its caption, ``Caption-credit`` a
credit). A heading after a picture is another story's or section's title: the search stops there, or
in a small card looks only for the picture's credit. A video's poster gives no caption (the caption is
the video's). A hero drawn as a ``background-image`` takes the caption line right after it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .article import Caption
from .boilerplate import names_of, words_of
from .caption_credits import (
    attribute_credit,
    caption_label,
    credit_text,
    element_names,
    is_credit_element,
    is_credit_line,
    is_names,
    jsonld_credit,
    last_line_credit,
    names_credit,
    names_tail,
    shown,
    shown_text,
    split_credit_text,
    strip_label,
    tidy,
)
from .caption_images import (
    PICTURES,
    backdrops,
    image_url,
    is_other_picture,
    picture_holders,
    picture_url,
    pictures,
)
from .caption_lines import boxed_line, emphasised_line, is_copy
from .caption_places import article_region, inside_furniture, is_teaser_picture, lead_blocks
from .page import Page
from .text import Element, inline_text, paragraphs, squash, text_of

GENERIC_CONTAINERS = "figure, .wp-caption, [itemtype*='schema.org/ImageObject'], table.tr-caption-container"
# Caption elements that say so by tag or property; others say so by their class (:func:`is_caption_named`).
GENERIC_CAPTION_TEXT = "figcaption, .wp-caption-text, [itemprop=caption], [itemprop=description], .tr-caption"
# A caption's name in class names: English on most sites, the page's language on many (Italian
# "didascalia", Spanish "leyenda", Portuguese/Italian/Polish "legenda", German "Bildunterschrift",
# "Bildtext", Dutch "bijschrift", Nordic "bildtekst", Finnish "kuvateksti", Slavic "podpis"/"potpis",
# Czech "popisek"), by design for the languages of the EU and its neighbours, not from the pages seen.
# The Slavic words only whole ("podpiska" is a subscription box).
_CAPTION_STEMS = (
    "caption", "cutline", "didascal", "leyenda", "legenda", "unterschrift", "bildtext", "bijschrift",
    "bildtekst", "kuvateksti",
)  # fmt: skip
_CAPTION_WORDS = frozenset({"legend", "podpis", "potpis", "popisek"})
_PICTURE_STEMS = ("picture", "image", "img", "photo", "foto", "media", "figure")
_LOOSE_REACH = 3  # levels above a picture where its caption element is looked for
_LOOSE_TEXT = 400  # characters: a caption is a line or two, not a paragraph of the article
_PROSE = 150  # characters of a paragraph that is the article's text: the search for a caption stops there
_SHORT_CREDIT = 3  # words: "dpa", "picture alliance / dpa" (names in lower case are credits too)
_CREDITED_LINE = 250  # characters: a line right under a picture that ends with a credit is its caption
_LABELLED_LINE = 80  # characters: a labelled line beside a caption that is its credit, not more text
_SENTENCE_ENDS = (".", "!", "?", "…", "»", "”", '"')
_WORDED = re.compile(r"[^\W_]")  # a letter or a digit
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.|\[…\])\s*$")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_PLAYER_NAMES = ("video", "player")
_PAREN_AT_END = re.compile(r"\s*[(（]\s*(?P<inside>[^()（）]{1,40}?)\s*[)）]\s*$")
_PARENTHESISED = "credits_in_parentheses"  # page memo: a caption of the page ends with its credit in parentheses


@dataclass(frozen=True)
class Credit:
    text: str | None
    url: str | None


def extract_captions(page: Page, dated: bool = True) -> list[Caption]:
    """Captions in page order; a caption whose text (or image) was already read is a repeat of it
    (pages print the same figure for mobile and desktop, or in a lightbox). Lines that no name marks
    as captions (:mod:`.caption_lines`) are read only on a ``dated`` page (one whose publication date
    was found): an article's; a product's or a landing page's boxes of a picture and a line are not."""
    found: list[Caption] = []
    texts: set[str] = set()
    images: set[str] = set()
    for caption in _parenthesised_names(page, _dom_captions(page, dated)) or _jsonld_captions(page):
        if not _WORDED.search(caption.text):  # "." or "–" left of a caption is no text
            caption = Caption(caption.image_url, "", caption.credit, caption.credit_url)
        if (
            caption.image_url in images
            or (caption.text and caption.text in texts)
            or not (caption.text or caption.credit)
        ):
            continue
        images.add(caption.image_url)
        texts.add(caption.text)
        found.append(caption)
    return found


def _parenthesised_names(page: Page, captions: list[Caption]) -> list[Caption]:
    """Where the page prints a credit in parentheses at a caption's end ("… lunes (EFE)"), names alone
    in parentheses at another caption's end are its credit too ("… Barcelona (Àlex Garcia)"): the
    site's convention, read from the page itself; alone, "(Hamburg)" is as likely a place."""
    if not page.memo.get(_PARENTHESISED):
        return captions
    found = []
    for caption in captions:
        match = _PAREN_AT_END.search(caption.text) if caption.credit is None else None
        if match and match.start() > 0 and is_names(match["inside"]) and not any(map(str.isdigit, match["inside"])):
            caption = Caption(caption.image_url, tidy(caption.text[: match.start()]), match["inside"])
        found.append(caption)
    return found


def _dom_captions(page: Page, dated: bool) -> list[Caption]:
    profile_containers = page.select_profile("captions")
    if profile_containers:
        text_selector = page.profile.selector("caption_text") if page.profile else None
        return [c for e in profile_containers if (c := _caption(page, e, text_selector))]
    region = article_region(page)
    if region is None:
        return []
    found: list[tuple[int, Caption]] = []
    used: set[int] = set()
    claimed: set[int] = set()  # caption elements already given to a picture
    for block, lead in [(region, False), *((b, True) for b in lead_blocks(region))]:
        for container in _generic_containers(page, block, lead):
            caption = _caption(page, container, None) or _titled(page, container)
            caption = caption or _beside(page, container, block, claimed, dated and not lead)
            if caption is not None:
                found.append((page.position.get(id(container), 0), caption))
            used.update(id(img) for img in container.iter(*pictures(page)))
        for image in _loose_images(page, block, used, lead):
            caption = _loose_caption(page, image, block, claimed, dated and not lead)
            if caption is not None:
                found.append((page.position.get(id(image), 0), caption))
        for backdrop, url in _backdrops_in(page, block, used):
            caption = _backdrop_caption(page, backdrop, url, block, claimed)
            if caption is not None:
                found.append((page.position.get(id(backdrop), 0), caption))
    return [caption for _, caption in sorted(found, key=lambda pair: pair[0])]


def _generic_containers(page: Page, region: Element, lead: bool) -> Iterator[Element]:
    candidates = page.select(GENERIC_CONTAINERS, region)
    if lead and region.tag == "figure":
        candidates.insert(0, region)
    for element in candidates:
        if (lead and all(is_teaser_picture(img) for img in element.iter(*PICTURES))) or _is_teaser(element):
            continue
        if _is_gallery(element) or inside_furniture(page, element, region) or _holds_poster(page, element):
            continue
        if is_copy(element, region):
            continue
        if not any(_is_single(parent) for parent in element.iterancestors()):
            yield element


def _holds_poster(page: Page, container: Element) -> bool:
    picture = next(container.iter(*pictures(page)), None)
    if picture is None:
        return False
    return _is_poster(picture) or (_names_player(container) and _has_play_control(container))


def _is_poster(picture: Element) -> bool:
    """A video's poster (its still before it plays): a picture in a player, whose caption is the
    video's. The player says so by its tag, or by the class of the picture's own wrapper (class names
    are English on any site) with a play button beside the picture; a class alone may be a layout's
    (Tailwind's ``aspect-video``) or say only that a video can replace the photo."""
    ancestors = list(itertools.islice(picture.iterancestors(), _LOOSE_REACH))
    if any(a.tag in ("video", "iframe") for a in ancestors):
        return True
    return bool(ancestors) and _names_player(ancestors[0]) and _has_play_control(ancestors[0])


def _names_player(element: Element) -> bool:
    return any(word in name for name in element_names(element) for word in _PLAYER_NAMES)


def _has_play_control(element: Element) -> bool:
    return next(element.iter("button"), None) is not None


def _is_single(element: Element) -> bool:
    """A container of one picture (a figure, a WordPress caption box) around its captioned picture."""
    return ("wp-caption" in names_of(element) or element.tag == "figure") and not _is_gallery(element)


def _is_gallery(element: Element) -> bool:
    """A figure of figures (a gallery block): each inner figure is a picture with its own caption."""
    if element.tag != "figure":
        return False
    inner = (f for f in element.iterdescendants("figure") if next(f.iter(*PICTURES), None) is not None)
    return next(inner, None) is not None and next(inner, None) is not None


def _is_teaser(container: Element) -> bool:
    """A figure that shows another story: its picture links to a page, and its text links there too."""
    pictures = list(container.iter(*PICTURES))
    if not pictures or not all(is_teaser_picture(img, container) for img in pictures):
        return False
    picture_links = {a.get("href") for img in pictures for a in img.iterancestors("a")}
    return any(a.get("href") in picture_links and not list(a.iter(*PICTURES)) for a in container.iter("a"))


def is_caption_named(element: Element) -> bool:
    """An element whose class or id names a caption ("caption", "Figure-caption", "imagecaption"), or
    a picture's description or title ("detail_picture_desc", "media__title", "photo-desc")."""
    names = element_names(element)
    if any(stem in name for name in names for stem in _CAPTION_STEMS):
        return True
    if _names_picture(names, ("desc",)):
        return True
    return any(words_of(name) & _CAPTION_WORDS for name in names_of(element))


def _names_picture(names: list[str], stems: tuple[str, ...]) -> bool:
    return any(p in name and d in name for name in names for p in _PICTURE_STEMS for d in stems)


def _is_picture_title(page: Page, element: Element, image: Element) -> bool:
    """A picture's title by name (RIA's ``media__title``) under a picture that is no card's: neither
    picture nor title links to a page (a product tile or a teaser has both), no icon (an SVG file)."""
    if not _names_picture(element_names(element), ("title",)) or next(element.iter("a"), None) is not None:
        return False
    url = (picture_url(page, image) or "").lower().split("?")[0]
    return not is_teaser_picture(image) and not url.endswith(".svg") and next(element.iterancestors("a"), None) is None


def _caption_holder(page: Page, container: Element, text_selector: str | None) -> Element | None:
    """The element holding the caption in a figure-like container."""
    holders = [t for t in page.select(text_selector or GENERIC_CAPTION_TEXT, container) if t is not container]
    if not holders and text_selector is None:
        holders = [
            e for e in container.iterdescendants()
            if isinstance(e.tag, str) and is_caption_named(e) and next(e.iter(*PICTURES), None) is None
        ]  # fmt: skip
    captions = [h for h in holders if not _is_credit_only(h)]  # CNN's figcaption holds only the credit
    return (captions or holders)[0] if holders else None


def _is_credit_only(element: Element) -> bool:
    """An element marked as a credit and not as a caption. A name that holds both says credit
    (``span.Caption-credit``, ``caption__credit``); else a name that says caption wins over one that
    says credit (CNN's ``div.image__caption.attribution`` is the caption)."""
    if not is_credit_element(element):
        return False
    names = element_names(element)
    captions = [name for name in names if any(stem in name for stem in _CAPTION_STEMS)]
    return not captions or any(names_credit(name) for name in captions)


def _caption(page: Page, container: Element, text_selector: str | None) -> Caption | None:
    image = image_url(page, container)
    if image is None:
        return None
    holder = _caption_holder(page, container, text_selector)
    if holder is None:
        credit = _credit_beside(page, container, None)
        return Caption(image_url=image, text="", credit=credit.text, credit_url=credit.url) if credit.text else None
    text, credit = split_credit(holder, page)
    if credit.text is None:
        credit = _credit_beside(page, container, holder)
    if not text and not credit.text:
        return None
    return Caption(image_url=image, text=text, credit=credit.text, credit_url=credit.url)


def _credit_beside(page: Page, container: Element, holder: Element | None) -> Credit:
    """A credit printed next to the caption rather than inside it (``<p class="credit">`` in the figure)."""
    for marked in container.iterdescendants():
        if not isinstance(marked.tag, str) or marked.tag == "source" or not _marks_credit(marked, holder):
            continue
        if holder is None or (marked is not holder and not any(p is holder for p in marked.iterancestors())):
            text = credit_text(marked)
            if text:
                return Credit(text, _link_in(marked, page))
    return Credit(None, None)


def _marks_credit(element: Element, holder: Element | None) -> bool:
    """A credit element, or beside a caption a short line after a label in the screen-reader form
    ("ŞƏKLİN MƏNBƏYİ, Getty Images"): a figure's line that is not its caption names its source."""
    if _is_credit_only(element):
        return True
    label = caption_label(element) if element is not holder and element.tag != "figcaption" else None
    if label is None or next(element.iter(*PICTURES), None) is not None:
        return False
    return len(shown_text(element)) <= _LABELLED_LINE


def _titled(page: Page, container: Element) -> Caption | None:
    """A figure without a caption element whose picture carries one in ``title`` or ``data-caption``."""
    if container.tag != "figure":
        return None
    img = next(container.iter(*PICTURES), None)
    image = image_url(page, container)
    if img is None or image is None:
        return None
    return _from_attribute(image, img.get("data-caption") or img.get("title"), img)


def _beside(page: Page, container: Element, block: Element, claimed: set[int], boxed: bool) -> Caption | None:
    """A figure without a caption of its own whose caption follows it, in the block around it
    (``<figure><img></figure><div class="media-news__caption">``): looked for as for a loose picture."""
    image = next((img for img in container.iter(*pictures(page)) if picture_url(page, img)), None)
    return _loose_caption(page, image, block, claimed, boxed) if image is not None else None


def _backdrops_in(page: Page, block: Element, used: set[int]) -> Iterator[tuple[Element, str]]:
    """Blocks drawn as pictures (a hero's ``background-image``) in ``block`` or being it."""
    for backdrop, url in backdrops(page):
        if id(backdrop) in used or not (backdrop is block or _inside(backdrop, block)):
            continue
        if backdrop is block or not inside_furniture(page, backdrop, block):
            used.add(id(backdrop))
            yield backdrop, url


def _backdrop_caption(page: Page, backdrop: Element, url: str, block: Element, claimed: set[int]) -> Caption | None:
    """A drawn picture's caption: the caption line right after it, or after the wrapper it ends. A
    background is often decoration (a parallax layer behind a title), so nothing further is searched."""
    node = backdrop
    for _ in range(_LOOSE_REACH):
        following = next((s for s in node.itersiblings() if isinstance(s.tag, str)), None)
        if following is not None:
            return _from_holder(page, url, following, None, claimed) if _is_caption_line(following) else None
        parent = node.getparent()
        if node is block or parent is None or parent is block:
            return None
        node = parent
    return None


def _loose_images(page: Page, region: Element, used: set[int], lead: bool) -> Iterator[Element]:
    for image in region.iter(*pictures(page)):
        if id(image) in used or page.skip(image) or (lead and is_teaser_picture(image)) or is_copy(image, region):
            continue
        if not inside_furniture(page, image, region):
            used.add(id(image))
            yield image


def _loose_caption(page: Page, image: Element, region: Element, claimed: set[int], boxed: bool) -> Caption | None:
    """The caption of a picture outside any figure: a lightbox's ``data-caption``, an element with a
    caption's class after it in its block (or a credit), or a caption or credit line right below it."""
    url = picture_url(page, image)
    if url is None or _is_poster(image) or _in_card(page, image):
        return None
    link = image.getparent()
    for owner in (image, link):
        if owner is not None and owner.get("data-caption"):
            return _from_attribute(url, owner.get("data-caption"), owner)
    node = image
    for _ in range(_LOOSE_REACH):
        parent = node.getparent()
        if parent is None or parent is region:
            break
        holder = _caption_after(page, image, parent)
        if holder is not None:
            return _from_holder(page, url, holder, parent, claimed, _line_before(page, holder, image))
        if any(is_other_picture(page, other, image) for other in parent.iter(*pictures(page))):
            break  # beyond this block, captions belong to the other picture
        node = parent
    following = node.getnext()
    if following is not None and _is_caption_line(following):
        return _from_holder(page, url, following, None, claimed)
    credit = following.getnext() if following is not None else None  # a line, then its credit line
    if credit is not None and _line_before(page, credit, image) is following:
        return _from_holder(page, url, credit, None, claimed, following)
    if not boxed:  # in the blocks above the text (a contact box) or on an undated page, only named captions
        return None
    line = boxed_line(page, image, region)
    line = line if line is not None else emphasised_line(page, image, region)
    return _from_holder(page, url, line, None, claimed) if line is not None else None


def _in_card(page: Page, image: Element) -> bool:
    """A picture in a link to another page that holds words too: a card for another story (the
    picture, its title, its credit), whose words are the other story's, not a caption of this one."""
    link = next(image.iterancestors("a"), None)
    return link is not None and is_teaser_picture(image) and page.text_size(link) > 0


def _from_holder(
    page: Page, url: str, holder: Element, block: Element | None, claimed: set[int], before: Element | None = None
) -> Caption | None:
    if id(holder) in claimed:
        return None
    claimed.add(id(holder))
    text, credit = split_credit(holder, page)
    if credit.text is None:  # beside a line under a picture, only the line right after it may be its credit
        credit = _credit_after(page, holder) if block is not None else _credit_next(page, holder)
    if before is not None and not text and id(before) not in claimed:
        claimed.add(id(before))
        text = shown_text(before)
    return Caption(url, text, credit.text, credit.url) if text or credit.text else None


def _line_before(page: Page, holder: Element, image: Element) -> Element | None:
    """The short line between a picture and the credit line under it ("<p><em>Text</em></p><p><em>
    Foto: X</em></p>" in a post's body): the caption the credit closes. Not a title, nor a link."""
    if is_caption_named(holder) or not (is_credit_element(holder) or _is_credit_line(holder)):
        return None
    line = next((s for s in holder.itersiblings(preceding=True) if isinstance(s.tag, str)), None)
    if line is None or page.position.get(id(line), 0) <= page.position.get(id(image), 0):
        return None
    if line.tag in _HEADINGS or next(line.iter("a", *pictures(page)), None) is not None:
        return None
    if line.get("class") and not is_caption_named(line):  # a named field of another kind ("span.license")
        return None
    return line if 0 < page.text_size(line) < _PROSE and shown_text(line) else None


def _credit_after(page: Page, holder: Element) -> Credit:
    """A credit element beside the caption in the picture's block (``div.article_image_source``), after
    it or between the picture and it; the innermost one where credits nest (a credit box with a
    "buy this picture" link beside the credit line)."""
    for siblings in (holder.itersiblings(), holder.itersiblings(preceding=True)):
        for sibling in siblings:
            if not isinstance(sibling.tag, str) or next(sibling.iter(*PICTURES), None) is not None:
                break
            if is_credit_element(sibling) or _is_credit_line(sibling):
                marked = _innermost_credit(sibling)
                text = credit_text(marked)
                if text:
                    return Credit(text, _link_in(marked, page))
    return Credit(None, None)


def _credit_next(page: Page, holder: Element) -> Credit:
    """The credit element right after a caption line (Gazeta.ru: ``div.…__descr`` then ``div.…__source``)."""
    following = next((s for s in holder.itersiblings() if isinstance(s.tag, str)), None)
    if following is None or not is_credit_element(following) or next(following.iter(*PICTURES), None) is not None:
        return Credit(None, None)
    marked = _innermost_credit(following)
    return Credit(credit_text(marked) or None, _link_in(marked, page))


def _innermost_credit(element: Element) -> Element:
    inner = [e for e in element.iterdescendants() if isinstance(e.tag, str) and is_credit_element(e)]
    return inner[0] if inner else element


def _caption_after(page: Page, image: Element, block: Element) -> Element | None:
    """The caption of the picture in ``block``: the block itself when it is a wrapper named for a
    caption around this one picture, else the first element after the picture whose class says
    caption or credit, or whose text is a credit line; never past another picture or the article's
    prose. A heading is a story's or a section's title: past it, in a small block (a card), only the
    picture's credit may follow; in a larger one, nothing of this picture does."""
    own = shown_text(block) if is_caption_named(block) else ""
    if own and len(own) <= _LOOSE_TEXT and all(other is image for other in block.iter(*pictures(page))):
        return block
    credit: Element | None = None
    titled = False
    holders = picture_holders(page)
    linked = is_teaser_picture(image)  # a picture that links to a page: a heading after it is that page's
    for element in _after(image, block):
        if is_other_picture(page, element, image):
            break
        if element.tag in _HEADINGS:
            if linked or page.text_size(block) > _LOOSE_TEXT:
                break
            titled = True
        size = page.text_size(element)
        if not size or id(element) in holders or (titled and credit is None and _inside_heading(element)):
            continue
        named = is_caption_named(element)
        if size > _LOOSE_TEXT or (element.tag == "p" and size >= _PROSE and not named):
            break
        if not titled and _is_caption_of(page, element, image, named):
            return element
        if element.tag == "cite":  # a credit inside a caption; after a picture as often a story's byline
            continue
        if credit is None and (is_credit_element(element) or _is_credit_line(element)):
            credit = element if shown_text(element) else None
        elif credit is not None and is_credit_element(element) and _inside(element, credit):
            credit = element  # the innermost of nested credit boxes (a credit beside a "buy" link)
    return _lines_with(page, credit, block) if credit is not None else None


def _is_caption_of(page: Page, element: Element, image: Element, named: bool) -> bool:
    if named and shown_text(element):
        return True
    return _ends_with_credit(element) or _is_picture_title(page, element, image)


def _inside_heading(element: Element) -> bool:
    return element.tag in _HEADINGS or any(parent.tag in _HEADINGS for parent in element.iterancestors())


def _lines_with(page: Page, credit: Element, block: Element) -> Element:
    """The block of short lines that holds ``credit`` as its first or last line, else the credit:
    under a picture, a wrapper of a line and a credit line (iDNES: ``<div><p>Text</p><p>foto: X</p>
    </div>``, or the credit first) is its caption. Not a card's (a link among its lines)."""
    parent = credit.getparent()
    if parent is None or parent is block or page.text_size(parent) > _LOOSE_TEXT:
        return credit
    if next(parent.iter(*pictures(page)), None) is not None:
        return credit
    if any(not _inside(a, credit) for a in parent.iter("a") if a is not credit):
        return credit
    lines = [c for c in parent if isinstance(c.tag, str) and page.text_size(c)]
    loose = (parent.text or "") + "".join(c.tail or "" for c in parent if isinstance(c.tag, str))
    if len(lines) < 2 or loose.strip() or credit not in (lines[0], lines[-1]):
        return credit
    return parent


def _inside(element: Element, ancestor: Element) -> bool:
    return any(parent is ancestor for parent in element.iterancestors())


def _is_credit_line(element: Element) -> bool:
    return is_credit_line(squash(text_of(element, " ")))


def _after(image: Element, block: Element) -> Iterator[Element]:
    """The elements after the picture in ``block``, in page order, without what no reader sees
    (scripts, styles, an SVG's insides, screen-reader labels)."""
    node: Element | None = image
    while node is not None and node is not block:
        for sibling in node.itersiblings():
            yield from _visible(sibling)
        node = node.getparent()


def _visible(element: Element) -> Iterator[Element]:
    stack = [element]
    while stack:
        node = stack.pop()
        if isinstance(node.tag, str) and not shown(node):
            yield node
            stack.extend(reversed(node))


def _is_caption_line(element: Element) -> bool:
    text = shown_text(element)
    if not text or len(text) > _LOOSE_TEXT or next(element.iter(*PICTURES), None) is not None:
        return False
    return (
        is_credit_line(text)
        or is_caption_named(element)
        or is_credit_element(element)
        or _ends_with_credit(element)
    )


def _ends_with_credit(element: Element) -> bool:
    """A short line that ends with a credit ("The quay at night. Fot. X"): under a picture, its caption."""
    line = shown_text(element)
    if len(line) > _CREDITED_LINE:
        return False
    text, credit = split_credit_text(line, barred=False)
    if not text.endswith(_SENTENCE_ENDS) or credit is None:  # "The quay at night. Fot. X", not "Video: X"
        return False
    return is_names(credit) or (len(credit.split()) <= _SHORT_CREDIT and not credit.endswith(_SENTENCE_ENDS))


def _from_attribute(image: str, value: str | None, owner: Element) -> Caption | None:
    text, credit = split_credit_text(squash(value or ""))
    credit = credit or attribute_credit(owner)
    return Caption(image, text, credit) if text or credit else None


def split_credit(holder: Element, page: Page) -> tuple[str, Credit]:
    """The caption's text without its credit, and the credit (a marked element or a trailing phrase);
    a holder marked as a credit is all credit."""
    if is_credit_element(holder) and not is_caption_named(holder):
        text, stated = split_credit_text(shown_text(holder))  # "caption | Photo by X" in a credit box
        if text and stated:
            return text, Credit(stated, _link_for(holder, stated, page))
        return "", Credit(credit_text(holder) or None, _link_in(holder, page))
    repeats = _truncated_copies(holder)
    marked = next((e for e in holder.iterdescendants() if isinstance(e.tag, str) and _is_credit_only(e)), None)
    for fallback in (_attribute_credit, _small_print_after, _names_after, names_tail, _credit_line_of):
        marked = marked if marked is not None else fallback(holder)

    label = caption_label(holder)

    def skip(tag: Element) -> bool:
        return shown(tag) or id(tag) in repeats or tag is marked or tag is label

    full = inline_text(holder, skip)
    if marked is not None:
        return tidy(full), Credit(credit_text(marked) or None, _link_in(marked, page))
    text, credit = split_credit_text(full)
    paren = _PAREN_AT_END.search(full) if credit else None
    if credit and paren and paren["inside"] == credit:  # bare ("(EFE)"), not labelled ("(Foto: X)")
        page.memo[_PARENTHESISED] = True
    lined = last_line_credit([line for p in paragraphs(holder, skip) for line in p.split("\n")]) if not credit else None
    if lined is not None:  # "Zagrebačka obala<br>Neva Žganec/PIXSELL"
        text, credit = lined
    after = _trailing_link(holder)
    if credit is None and after is not None:  # "… REUTERS/Name <a>Purchase Licensing Rights</a>"
        text, credit = split_credit_text(inline_text(holder, lambda tag: skip(tag) or tag is after))
        text = text if credit is not None else tidy(full)
    return text, Credit(credit, _link_for(holder, credit, page) if credit else None)


def _trailing_link(holder: Element) -> Element | None:
    """The link that ends a caption (nothing after it). Where the text before it ends with a credit,
    it is no part of the caption: a credit closes a caption, and what follows is a shop's link."""
    node = holder
    while True:
        children = [c for c in node if isinstance(c.tag, str) and not shown(c)]
        if not children or (children[-1].tail or "").strip():
            return None
        node = children[-1]
        if node.tag == "a":
            return node


def _attribute_credit(holder: Element) -> Element | None:
    """The caption's element that shows the credit its attributes state (Gannett's ``figcaption
    data-c-credit="X"`` around ``<span>X</span>``): the credit, whatever its class."""
    stated = [squash(v) for k, v in holder.attrib.items() if "credit" in str(k).lower() and isinstance(v, str)]
    stated = [value for value in stated if value]
    if not stated:
        return None
    return next((e for e in holder.iterdescendants() if isinstance(e.tag, str) and shown_text(e) in stated), None)


def _small_print_after(holder: Element) -> Element | None:
    """A caption's last element in small print after its text ("… vote. <small>X/Reuters</small>"): its credit."""
    children = [c for c in holder if isinstance(c.tag, str)]
    last = children[-1] if children else None
    if last is None or last.tag != "small" or (last.tail or "").strip():
        return None
    before = squash((holder.text or "") + "".join(shown_text(c) + (c.tail or "") for c in children[:-1]))
    return last if before and shown_text(last) else None


def _names_after(holder: Element) -> Element | None:
    """A caption made of lines in their own elements whose last line is only names after a finished
    sentence (El País: ``<span>… lunes.</span><span>Mònica Torres</span>``): that line is the credit."""
    children = [c for c in holder if isinstance(c.tag, str) and not shown(c)]
    loose = (holder.text or "") + "".join(c.tail or "" for c in holder if isinstance(c.tag, str))
    if len(children) < 2 or loose.strip():
        return None
    last, before = children[-1], squash(" ".join(shown_text(c) for c in children[:-1]))
    if next(last.iter("a", "h1", "h2", "h3", "h4", "h5", "h6"), None) is not None:
        return None  # a link or a heading: another story's title, not a photographer
    return last if before.endswith(_SENTENCE_ENDS) and is_names(shown_text(last)) else None


def _credit_line_of(holder: Element) -> Element | None:
    """A caption made of lines in their own elements whose first or last line is a credit line
    ("<p>Image: Move.org</p><p><em>You can get …</em></p>"): that line is the credit."""
    children = [c for c in holder if isinstance(c.tag, str) and not shown(c) and shown_text(c)]
    loose = (holder.text or "") + "".join(c.tail or "" for c in holder if isinstance(c.tag, str))
    if len(children) < 2 or loose.strip():
        return None
    return next((c for c in (children[0], children[-1]) if is_credit_line(shown_text(c))), None)


def _truncated_copies(holder: Element) -> set[int]:
    """Children that repeat the start of a sibling's text (a caption's truncated copy beside its full one)."""
    copies: set[int] = set()
    for parent in holder.iter():
        children = [c for c in parent if isinstance(c.tag, str)]
        if len(children) < 2:
            continue
        texts = [_ELLIPSIS.sub("", shown_text(c)) for c in children]
        for child, text in zip(children, texts, strict=True):
            if text and any(other != text and other.startswith(text) for other in texts):
                copies.add(id(child))
    return copies


def _link_for(holder: Element, credit: str, page: Page) -> str | None:
    for link in holder.iter("a"):
        said = shown_text(link)
        if link.get("href") is not None and said and (strip_label(said) in credit or said.endswith(credit)):
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
                found.append(Caption(page.absolute(url) or url, squash(caption), jsonld_credit(image)))
    return found

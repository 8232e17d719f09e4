"""Boxes inside an article's text that are not the article, told by their structure (issue 16).

Pages set into or under the text boxes of other stories and pitches whose class names say nothing
("c-interstitial", "box-leggi-anche", "a_ei") and whose labels come in every language ("Lesen Sie
auch", "Leggi anche", "اقرأ أيضاً", "Veja também"). What they hold is the same everywhere:

- a *box of links*: a short label on a line of its own, then lines that are links, two or more
  (the titles of other stories, topics); the link lines alone ``_keep`` drops, the label stays;
- a *pitch*: a little text around something to act on, a form's field or its submit button, a link
  to an app store or a donation platform (newsletter sign-ups, donation and app boxes).

- a *follow line*: a short line whose link is the site's page on a news aggregator or its messenger
  channel ("Obserwuj nas w Wiadomościach Google", "Folge uns auf WhatsApp");
- an *overlay*: a few lines and a labelled button that the page lays over itself, a direct child of
  ``<body>`` (consent bars and pop-ups named "kvkk-bar" or "rodo-box" as often as "cookie-banner").

Neither box is one of a run of boxes alike: a review's product cards ("See it at Amazon"), a round-up's
recipes and an accordion's steps are the article's items.

The body's walk (``FurnitureSkip``) reads these as furniture of the article's text, weighed like
the rest: a box holding a good part of the text or of its prose is kept.
"""

from __future__ import annotations

import re
from itertools import islice

from .boilerplate import Furniture, furniture
from .text import BLOCK, Block, Element, blocks, never_text, squash, text_of

_BOXES = frozenset({"div", "section", "aside", "dl"})  # blocks: a span sits in a sentence
_LABEL = 80  # characters: the label of a box of links is short ...
_LABEL_WORDS = 8  # ... in this many words at most
_LINKED = 0.6  # ... and the lines under it are mostly link text ...
_MIN_LINKS = 2  # ... two different ones at least
_BOX = 1200  # characters: a box of links or a pitch is short
_PITCH = 500  # characters: a pitch is shorter still
_RUN_REACH = 3  # the box and two ancestors: a card, its column, its row
_CONTROL_LABEL = 40  # characters: a button's label ("Sign up", "Jetzt spenden"), not an accordion's question
# Where a pitch sends its reader, whatever it says: an app store, a donation or membership platform.
_PITCH_HOSTS = re.compile(
    r"^https?://(?:[\w-]+\.)*(?:apps\.apple|itunes\.apple|play\.google|appgallery\.huawei|paypal|patreon"
    r"|ko-fi|buymeacoffee|liberapay|donorbox|steadyhq|opencollective)\.\w+(?:[/?#]|$)"
)
# Where a line asks its reader to follow the site: its page on a news aggregator, its channel on a
# messenger (the channel itself, "t.me/name", not one of its posts that a story cites, "t.me/name/123").
# (Google News itself is a subject of stories: only a publication's own page there is a follow link.)
_FOLLOW_HOSTS = re.compile(
    r"^https?://(?:news\.google\.\w+/(?:publications|s)/|(?:www\.)?whatsapp\.com/channel/"
    r"|(?:t|telegram)\.me/\w+/?(?:[?#]|$))"
)
_LINE = 250  # characters: a line that only asks to follow the site is short
_LETTER = re.compile(r"[^\W\d_]")


def is_overlay(tag: Element, size: int, prose: int) -> bool:
    """A bar or a box the page lays over itself, outside its layout: a direct child of ``<body>``
    holding a few lines and a button ("Kabul Et", "Akzeptieren", "Got it"), a consent notice, an
    app or newsletter pop-up, whatever the site names it ("kvkk-bar", "rodo-box")."""
    if tag.tag not in _BOXES or size == 0 or size > _PITCH or prose:
        return False
    parent = tag.getparent()
    if parent is None or parent.tag != "body":
        return False
    return any(_button(element) for element in tag.iter("button", "input"))


def _button(element: Element) -> bool:
    """A button whose label is words ("Kabul Et", "Aanmelden"): not a carousel's unlabelled dots
    and arrows, nor a toggle that holds a passage."""
    if element.tag == "input":
        if (element.get("type") or "").lower() not in ("button", "submit"):
            return False
        label = element.get("value") or ""
    else:
        label = squash(text_of(element))
    return len(label) <= _CONTROL_LABEL and bool(_LETTER.search(label))


def is_follow_line(tag: Element, size: int) -> bool:
    """A short paragraph or box whose link is the site's own page on a news aggregator or its
    messenger channel ("Obserwuj nas w Wiadomościach Google", "Folge uns auf WhatsApp"), whatever
    its words."""
    if (tag.tag not in _BOXES and tag.tag != "p") or size == 0 or size > _LINE:
        return False
    return any(_FOLLOW_HOSTS.match(a.get("href") or "") for a in tag.iter("a"))


def is_box(tag: Element, size: int, prose: int) -> bool:
    """Whether ``tag`` (holding ``size`` characters of text, ``prose`` of them written prose) is a box
    of links or a pitch. A pitch is one box, without prose: cards of a run (the products of a
    review, the recipes of a round-up, quotes) each with its "Buy" or "Get the recipe" button are
    the article's items."""
    if tag.tag not in _BOXES or size == 0 or size > _BOX:
        return False
    if _links_box(tag):
        return not one_of_a_run(tag, 1)  # one box, not the items of a list (a review's product cards)
    return size <= _PITCH and prose == 0 and _pitch(tag) and not one_of_a_run(tag, _RUN_REACH)


def one_of_a_run(tag: Element, reach: int) -> bool:
    """The box, or one of its nearest ancestors (``reach`` levels, the box included), has a sibling
    of its tag and first class."""
    node: Element | None = tag
    for _ in range(reach):
        parent = node.getparent() if node is not None else None
        if node is None or parent is None:
            return False
        kind = (node.get("class") or "").split()[:1]
        if any(s is not node and s.tag == node.tag and (s.get("class") or "").split()[:1] == kind for s in parent):
            return True
        node = parent
    return False


def _links_box(tag: Element) -> bool:
    """A label on a line of its own, then lines that are links (titles, topics; a date between
    them): what is left of such a box once the link lines are dropped is its label. A label and
    a link on one line ("Format: Open Textbook", "Best overall: the Acme 200") is a line of the
    text's own, weighed as one (``_keep``)."""
    if next(tag.iter("table", "pre"), None) is not None:
        return False  # a table's or a listing's label over its figures
    if not _may_hold_link_lines(tag):
        return False
    verdict = _label_over_links(blocks(tag))
    if verdict is None:  # lines of text among the links: read again without the box's own furniture
        verdict = _label_over_links(blocks(tag, _unread))
    return bool(verdict)


def _label_over_links(lines: list[Block]) -> bool | None:
    """Whether ``lines`` are a label over link lines; None when they would be but for one line of text."""
    if len(lines) < 1 + _MIN_LINKS or lines[0].link_chars or len(lines[0].text) > _LABEL:
        return False
    if len(lines[0].text.split()) > _LABEL_WORDS:
        return False
    links = {line.text for line in lines[1:] if line.link_density >= _LINKED}
    if len(links) < _MIN_LINKS:
        return False  # one link under a label: a card's "Best overall" over its product, a button
    stray = sum(1 for line in lines[1:] if line.text not in links and _LETTER.search(line.text))
    return True if not stray else None if stray == 1 else False  # one line of text: a note, maybe its own


def _unread(element: Element) -> bool:
    """A line of the box that the walk never keeps: a widget's own footer under its links ("We check 250
    million products for the best prices"). Read so only where the lines of text spoil a box of links:
    a box whose links themselves sit in furniture-named lines reads as one as it is."""
    return never_text(element) or furniture(element) is Furniture.SURE


def _may_hold_link_lines(tag: Element) -> bool:
    """Whether ``tag`` can read as two lines of link text: two links, or one that holds a line break
    or a block (a card's title and excerpt). Most blocks can't, and this spares reading their text."""
    links = list(islice(tag.iter("a"), _MIN_LINKS))
    if len(links) >= _MIN_LINKS:
        return True
    return any(next(link.iter(*BLOCK, "br"), None) is not None for link in links)


def _pitch(tag: Element) -> bool:
    """Something to act on: a form's field or its button, a link to an app store or to a donation
    platform. Not a link styled as a button, nor a plain button: product cards ("See it at Amazon"),
    recipe round-ups and accordions have them, and they are the article's (so do a video's "Play", a
    testimonial's and a product's feature list: issue 16's body4 measured a plain button's cost)."""
    return any(_actionable(element) for element in tag.iter("input", "button", "select", "a"))


def _actionable(element: Element) -> bool:
    if element.tag == "a":
        return bool(_PITCH_HOSTS.match(element.get("href") or ""))
    if element.tag == "input":
        return (element.get("type") or "text").lower() not in ("hidden", "checkbox", "radio")
    if element.tag == "select":
        return True
    # a form's button ("Sign up"); a plain one may be a toggle (an accordion's "Step 1")
    return (element.get("type") or "").lower() == "submit" and len(squash(text_of(element))) <= _CONTROL_LABEL

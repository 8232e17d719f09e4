"""The last resort for a page where our own reading finds no date at all: htmldate.

htmldate is a well-kept library made for exactly this (URL forms, scripts' JSON keys, footers such
as "Stand:" or "last edited", free text in many languages). It is asked for the original date
(first publication), never for a time after the page was fetched. Measured on the dev set's article
pages where we found nothing (issue 16), it helps where our rules are silent and costs nothing
elsewhere, because it is only asked there.

htmldate falls back to a bare year ("© 2026") as January 1: a year is not a day, so a January 1 is
kept only when the page writes that day out.
"""

from __future__ import annotations

import logging
from copy import deepcopy
from datetime import date, datetime, tzinfo

from htmldate import find_date
from lxml import etree

from .boilerplate import names_of, words_of
from .text import Element

SOURCE = "htmldate"  # the ``source`` of a date read here: a guess, no evidence of what the page is

# htmldate logs every page it cannot date; one page without a date is not news in a crawl's log.
logging.getLogger("htmldate").setLevel(logging.ERROR)

# Blocks whose dates are other people's or other stories': htmldate does not tell them apart, so
# they are cut from its copy of the page (a page footer stays: "last edited …" is the page's own).
_OTHERS = frozenset(
    {"comment", "comments", "commentlist", "reply", "replies", "related", "recommended", "teaser", "teasers",
     "promo", "trending", "popular", "sidebar", "widget", "morestories", "readnext", "alsoread"}
)  # fmt: skip


def fallback_date(root: Element, url: str, tz: tzinfo, fetched_at: datetime | None) -> tuple[datetime, str] | None:
    """The day htmldate reads as the page's first publication (midnight in ``tz``), with its text."""
    latest = fetched_at.date().isoformat() if fetched_at else None
    # Bytes, never a str: htmldate downloads a str that looks like a URL, and a page is scraped text.
    document = etree.tostring(_without_others(root), encoding="utf-8", method="html")
    found = find_date(document, url=url or None, original_date=True, extensive_search=True, max_date=latest)
    if not found:
        return None
    day = date.fromisoformat(found)
    if (day.month, day.day) == (1, 1) and not _writes_new_year(document, day.year):
        return None
    return datetime(day.year, day.month, day.day, tzinfo=tz), found


def _without_others(root: Element) -> Element:
    copy = deepcopy(root)
    doomed = [e for e in copy.iter() if isinstance(e.tag, str) and _others(e)]
    for element in doomed:
        parent = element.getparent()
        if parent is None:
            continue
        if element.tail:  # the text after the block is its parent's, and stays
            previous = element.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + element.tail
            else:
                parent.text = (parent.text or "") + element.tail
        parent.remove(element)
    return copy


def _others(element: Element) -> bool:
    """A block of other people's or stories' dates; never the page's frame nor the block that holds
    the headline ("comments-open" is a class WordPress gives the whole page). Scripts and styles go
    too (not JSON-LD): htmldate searches their text as page text, the most of its time on big pages;
    their date keys are read before htmldate is asked (``_Reader.script_keys``)."""
    if element.tag in ("style", "template", "svg") or (element.tag == "script" and not _is_jsonld(element)):
        return True
    if element.tag in ("html", "body", "main", "article", "head"):
        return False
    if element.tag not in ("nav", "aside") and not any(words_of(name) & _OTHERS for name in names_of(element)):
        return False
    return not element.xpath(".//h1")


def _is_jsonld(script: Element) -> bool:
    return "ld+json" in str(script.get("type") or "").lower()


def _writes_new_year(document: bytes, year: int) -> bool:
    forms = (f"{year}-01-01", f"{year}/01/01", f"01.01.{year}", f"01/01/{year}", f"1.1.{year}", f"{year}0101")
    return any(form.encode() in document for form in forms)

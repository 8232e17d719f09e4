"""Publication and modification dates, each with the string it was read from.

Sources, most trusted first: the profile's selector (read with its formats and timezone), JSON-LD,
meta tags, ``itemprop`` and ``<time>`` elements, the profile's dateline, a date in the URL, a date
written in a date-like element (``.post-date``, a byline), then one written just under the headline.
A source that gives only a day (a URL, a dateline) takes its time from a later source of the same day.
Dates without an offset are read in the profile's timezone, else UTC.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from .boilerplate import names_of
from .dateparse import parse_iso, parse_with_formats, search_loose, zone
from .page import Page
from .text import Element, classes, has_ancestor, inline_text, squash, texts_from


@dataclass(frozen=True)
class FoundDate:
    value: datetime
    raw: str

    @property
    def has_time(self) -> bool:
        return bool(self.value.hour or self.value.minute or ":" in self.raw)


@dataclass(frozen=True)
class Dates:
    published: FoundDate | None = None
    modified: FoundDate | None = None


PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "article:published", "og:published_time",
    "published_time", "datepublished", "dcterms.issued", "dc.date.issued", "dcterms.created",
    "dc.date.created", "dc.date", "dcterms.date", "dc.created", "citation_publication_date",
    "citation_date", "parsely-pub-date", "sailthru.date", "article.published", "publish-date",
    "publish_date", "publishdate", "pubdate", "og:pubdate", "originalpublicationdate",
    "article_date_original", "date", "datecreated", "created",
)  # fmt: skip
MODIFIED_META = (
    "article:modified_time", "og:article:modified_time", "og:updated_time", "article:modified",
    "modified_time", "datemodified", "dcterms.modified", "dc.date.modified", "last-modified",
    "parsely-updated", "article.updated", "lastmod",
)  # fmt: skip
_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>0?[1-9]|1[0-2])[/-](?P<d>0?[1-9]|[12]\d|3[01])(?:/|[-_.]|$)"
    r"|[/_-](?P<y2>20\d{2})(?P<m2>0[1-9]|1[0-2])(?P<d2>0[1-9]|[12]\d|3[01])(?:[/_.-]|$)"
)
_DATE_LIKE = re.compile(r"date|time|publish|posted|byline|dateline|timestamp|meta|updated", re.I)
_UPDATED = re.compile(r"updat|modif|edited", re.I)
_MAX_VISIBLE_CANDIDATES = 60
_HEADLINE_WINDOW = 300  # characters of text after the headline searched for a byline date

Source = Callable[[Page, tzinfo, str], FoundDate | None]


def extract_dates(page: Page, body: str = "") -> Dates:
    tz = zone(page.profile.timezone if page.profile else None)
    published = _first(PUBLISHED_SOURCES, page, tz, body)
    modified = _first(MODIFIED_SOURCES, page, tz, body)
    if modified and published and modified.value < published.value:
        modified = None  # an "update" before the publication is some other date of the page
    return Dates(published, modified)


def _first(sources: tuple[Source, ...], page: Page, tz: tzinfo, body: str) -> FoundDate | None:
    """The first source's date; a day without a time (a URL, a dateline) takes the time of a later
    source that agrees on the day."""
    best: FoundDate | None = None
    for source in sources:
        found = source(page, tz, body)
        if found is None:
            continue
        if best is None:
            best = found
            if best.has_time:
                return best
        elif found.has_time and found.value.date() == best.value.date():
            return found
    return best


def _read(raw: str | None, page: Page, tz: tzinfo) -> FoundDate | None:
    """A date string from anywhere: profile formats, then ISO, then the common written forms."""
    if not raw or not raw.strip():
        return None
    raw = squash(raw)
    formats = page.profile.date_formats if page.profile else ()
    value = parse_with_formats(raw, formats, tz) or parse_iso(raw, tz)
    if value:
        return FoundDate(value, raw)
    found = search_loose(raw, tz, _month_first(page))  # a date inside other words: keep only the date
    return FoundDate(*found) if found else None


def _month_first(page: Page) -> bool:
    lang = (page.html_lang or "").lower()
    return lang in ("", "en", "en-us")


# --- published -------------------------------------------------------------------------------
def _profile_published(page: Page, tz: tzinfo, body: str) -> FoundDate | None:
    return _from_elements(page.select_profile("published"), page, tz)


def _jsonld_published(page: Page, tz: tzinfo, body: str) -> FoundDate | None:
    return _read(_as_text(page.jsonld_value("datePublished")), page, tz) or _read(
        _as_text(page.jsonld_value("dateCreated")), page, tz
    )


def _meta_published(page: Page, tz: tzinfo, body: str) -> FoundDate | None:
    return _from_meta(page, PUBLISHED_META, tz)


def _itemprop_published(page: Page, tz: tzinfo, body: str) -> FoundDate | None:
    return _from_elements(page.select("[itemprop=datePublished]"), page, tz)


def _time_published(page: Page, tz: tzinfo, body: str) -> FoundDate | None:
    times = [t for t in page.tags("time") if not page.skip(t)]
    marked = [t for t in times if t.get("pubdate") is not None or _publish_class(t)]
    in_article = [t for t in times if has_ancestor(t, "article") and not _updated(t)]
    return (
        _from_elements(marked, page, tz)
        or _from_elements(in_article, page, tz)
        or _from_elements([t for t in times if not _updated(t)][:1], page, tz)
    )


def _dateline_published(page: Page, tz: tzinfo, body: str) -> FoundDate | None:
    profile = page.profile
    if not profile or not profile.dateline_pattern or not profile.dateline_date_format:
        return None
    match = profile.dateline_pattern.search(body)
    if not match or "date" not in match.groupdict():
        return None
    value = parse_with_formats(match["date"], (profile.dateline_date_format,), tz)
    return FoundDate(value, match["date"]) if value else None


def _url_published(page: Page, tz: tzinfo, body: str) -> FoundDate | None:
    match = _URL_DATE.search(page.url)
    if not match:
        return None
    year, month, day = (match["y"], match["m"], match["d"]) if match["y"] else (match["y2"], match["m2"], match["d2"])
    try:
        return FoundDate(datetime(int(year), int(month), int(day), tzinfo=tz), match.group(0).strip("/_-."))
    except ValueError:
        return None


def _visible_published(page: Page, tz: tzinfo, body: str) -> FoundDate | None:
    """A date written in an element whose class or id says it holds one (a byline, a post meta)."""
    for tag in _date_like_elements(page):
        text = inline_text(tag, page.skip)
        if 6 <= len(text) <= 120 and not _UPDATED.search(text):
            found = _read(text, page, tz)
            if found:
                return found
    return None


def _date_like_elements(page: Page) -> Iterator[Element]:
    seen = 0
    for tag in filter(_has_date_like_name, page.all_tags()):
        if page.skip(tag) or any(_not_the_articles(p) for p in tag.iterancestors()):
            continue
        seen += 1
        if seen > _MAX_VISIBLE_CANDIDATES:
            return
        yield tag


def _not_the_articles(tag: Element) -> bool:
    """Blocks whose dates belong to something else: menus, teasers, comments."""
    if tag.tag in ("nav", "footer", "aside"):
        return True
    return any("comment" in name.lower() for name in names_of(tag))


def _has_date_like_name(tag: Element) -> bool:
    if tag.tag in ("html", "body", "head", "meta", "script", "link", "style"):
        return False
    names = " ".join(classes(tag)) + " " + str(tag.get("id") or "")
    return bool(_DATE_LIKE.search(names))


def _near_headline_published(page: Page, tz: tzinfo, body: str) -> FoundDate | None:
    """A date written just under the headline, where bylines put it ("By X - Mar 27, 2024")."""
    h1 = next((h for h in page.tags("h1") if not page.skip(h)), None)
    if h1 is None:
        return None
    window: list[str] = []
    size = 0
    for string in texts_from(h1):
        if size > _HEADLINE_WINDOW:
            break
        text = squash(string)
        window.append(text)
        size += len(text)
    found = search_loose(" ".join(window), tz, _month_first(page))
    return FoundDate(*found) if found else None


# --- modified --------------------------------------------------------------------------------
def _profile_modified(page: Page, tz: tzinfo, body: str) -> FoundDate | None:
    return _from_elements(page.select_profile("modified"), page, tz)


def _jsonld_modified(page: Page, tz: tzinfo, body: str) -> FoundDate | None:
    return _read(_as_text(page.jsonld_value("dateModified")), page, tz)


def _meta_modified(page: Page, tz: tzinfo, body: str) -> FoundDate | None:
    return _from_meta(page, MODIFIED_META, tz)


def _itemprop_modified(page: Page, tz: tzinfo, body: str) -> FoundDate | None:
    return _from_elements(page.select("[itemprop=dateModified]"), page, tz)


# --- shared ----------------------------------------------------------------------------------
def _from_meta(page: Page, names: tuple[str, ...], tz: tzinfo) -> FoundDate | None:
    for name in names:
        for content in page.meta.get(name, ()):
            found = _read(content, page, tz)
            if found:
                return found
    return None


def _from_elements(tags: list[Element], page: Page, tz: tzinfo) -> FoundDate | None:
    """The first element with a readable date: its machine-readable attribute, else its text.

    The raw string is what the reader sees (the text), the value comes from the attribute when the
    element has one, since it carries the timezone the text leaves out.
    """
    for tag in tags:
        found = read_element(tag, page, tz)
        if found:
            return found
    return None


def read_element(tag: Element, page: Page, tz: tzinfo) -> FoundDate | None:
    text = inline_text(tag)
    for attr in ("datetime", "content"):
        value = tag.get(attr)
        found = _read(value if isinstance(value, str) else None, page, tz)
        if found:
            return FoundDate(found.value, text or found.raw)
    return _read(text, page, tz)


def _as_text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) else None


def _publish_class(tag: Element) -> bool:
    names = " ".join(classes(tag)).lower()
    return "publish" in names or "entry-date" in names or "post-date" in names


def _updated(tag: Element) -> bool:
    names = " ".join(classes(tag)) + str(tag.get("itemprop") or "")
    return bool(_UPDATED.search(names))


PUBLISHED_SOURCES: tuple[Source, ...] = (
    _profile_published, _jsonld_published, _meta_published, _itemprop_published, _time_published,
    _dateline_published, _url_published, _visible_published, _near_headline_published,
)  # fmt: skip
MODIFIED_SOURCES: tuple[Source, ...] = (_profile_modified, _jsonld_modified, _meta_modified, _itemprop_modified)

"""Finding a site's articles without a profile: robots.txt, sitemaps, feeds, URL patterns, dates.

Pure functions over fetched bytes (the generic spider does the requests). Sitemaps are read with
Scrapy's own utilities (``scrapy.utils.sitemap``); feeds (RSS 2.0, RSS 1.0/RDF, Atom) with lxml.
Every date found is kept, so ``--since`` can skip an item without fetching it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Literal
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

import lxml.etree
from parsel import Selector
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from scrapers.sites import SiteProfile

DocumentKind = Literal["sitemap", "feed", "html"]
GZIP_MAGIC = b"\x1f\x8b\x08"
UrlKind = Literal["article", "listing", "page"]
CLASSIFIED_PATHS = 50_000  # paths whose kind the classifier remembers (a few MB)

# Query parameters that never change what a page shows (tracking, share and reply links).
DROP_PARAMS = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|yclid|_ga|ref|ref_src|share|replytocom|amp|output"
    r"|preview|preview_id|nocache|cmpid|ito|at_medium|at_campaign)$",
    re.I,
)
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")
_ROOT = re.compile(rb"<(?!\?|!)([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>0?[1-9]|1[0-2])[/-](?P<d>0?[1-9]|[12]\d|3[01])(?:/|$)")


# --- what a fetched document is ---------------------------------------------------------------
def sniff(body: bytes, content_type: str | None = None) -> DocumentKind:
    """Sitemap, feed or HTML page, by the document's root element (and gzip magic)."""
    if body[:3] == GZIP_MAGIC:
        return "sitemap"
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    lowered = head.lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "html"
    stripped = re.sub(rb"<!--.*?-->", b"", head, flags=re.S)
    match = _ROOT.search(stripped)
    root = match.group(2).lower() if match else b""
    if root in (b"urlset", b"sitemapindex"):
        return "sitemap"
    if root in (b"rss", b"feed", b"rdf"):
        return "feed"
    return "html"


# --- dates -------------------------------------------------------------------------------------
def parse_date(text: str | None) -> datetime | None:
    """A sitemap (W3C datetime), Atom (RFC 3339) or RSS (RFC 822) date; without a zone, UTC."""
    text = (text or "").strip()
    if not text:
        return None
    value: datetime | None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            value = None
    if value is None:
        match = re.match(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$", text)  # W3C allows "2024-03"
        if not match:
            return None
        value = datetime(int(match[1]), int(match[2]), int(match[3] or 1))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def parse_since(text: str) -> datetime:
    """``--since``: a day (``2024-03-01``, the start of that day in UTC) or an ISO 8601 instant."""
    value = parse_date(text)
    if value is None:
        raise ValueError(f"not a date: {text!r} (expected YYYY-MM-DD or an ISO 8601 date and time)")
    return value


def url_date(url: str) -> date | None:
    """The day written in a URL's path (``/2024/03/05/``), if any."""
    match = _URL_DATE.search(urlsplit(url).path)
    if not match:
        return None
    try:
        return date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


@dataclass(frozen=True)
class Since:
    """Items last changed before ``cutoff`` are skipped without being fetched."""

    cutoff: datetime

    def too_old(self, when: datetime | None) -> bool:
        return when is not None and when < self.cutoff

    def url_too_old(self, url: str) -> bool:
        """A URL whose day is before the cutoff's (a day of margin for the site's timezone)."""
        day = url_date(url)
        return day is not None and day < (self.cutoff - timedelta(days=1)).date()


# --- robots.txt and sitemaps -------------------------------------------------------------------
def robots_sitemaps(body: bytes, robots_url: str) -> list[str]:
    return list(dict.fromkeys(sitemap_urls_from_robots(body, base_url=robots_url)))


@dataclass(frozen=True)
class Entry:
    """One URL found in a sitemap or a feed, with the newest date stated for it."""

    url: str
    date: datetime | None = None
    news: bool = False  # from a news sitemap (a news article by the site's own account)


class NewsSitemap(Sitemap):
    """Scrapy's Sitemap, also keeping the nested ``<news:publication_date>`` of news sitemaps."""

    def _process_sitemap_element(self, elem: lxml.etree._Element) -> dict[str, Any] | None:
        nested: dict[str, Any] = {}
        for child in elem.iter():
            name = self._get_tag_name(child)
            if name == "publication_date" and child.text:
                nested["publication_date"] = child.text.strip()
            elif name == "news":
                nested["news"] = True
        found = super()._process_sitemap_element(elem)
        if found is not None:
            found.update(nested)
        return found


class SitemapTooLarge(ValueError):
    """A compressed sitemap that expands past the size limit (a gzip bomb, or just too big)."""


def sitemap_body(body: bytes, max_size: int) -> bytes:
    """The XML of a sitemap, gunzipped when it came compressed (``sitemap.xml.gz``), at most
    `max_size` bytes of it (0: no limit): a 1 MB gzip bomb expands to gigabytes."""
    if body[:3] != GZIP_MAGIC:
        return body
    try:
        return gunzip(body, max_size=max_size)
    except ValueError:  # Scrapy's (private) _DecompressionMaxSizeExceeded is one
        raise SitemapTooLarge(f"more than {max_size} bytes when decompressed (DOWNLOAD_MAXSIZE)") from None


def read_sitemap(body: bytes, max_size: int = 0) -> tuple[str, list[Entry]]:
    """(``"sitemapindex"`` or ``"urlset"``, its entries with their dates). Raises SitemapTooLarge, and
    OSError or EOFError for a gzip stream that is not one."""
    sitemap = NewsSitemap(sitemap_body(body, max_size))
    entries = []
    for item in sitemap:
        url = str(item.get("loc", "")).strip()
        if not url:
            continue
        dates = [d for d in (parse_date(item.get("lastmod")), parse_date(item.get("publication_date"))) if d]
        entries.append(Entry(url, max(dates) if dates else None, bool(item.get("news"))))
    return str(sitemap.type), entries


# --- feeds -------------------------------------------------------------------------------------
def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def read_feed(body: bytes, base_url: str) -> list[Entry]:
    """Items of an RSS 2.0, RSS 1.0 (RDF) or Atom feed: link and newest date."""
    parser = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = lxml.etree.fromstring(body, parser)
    except lxml.etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    entries: list[Entry] = []
    for item in root.iter():
        if _local(item.tag) not in ("item", "entry"):
            continue
        link, dates = _item_link(item), []
        for child in item:
            if _local(child.tag) in ("pubdate", "date", "published", "updated", "issued", "modified"):
                found = parse_date(child.text)
                if found:
                    dates.append(found)
        if link:
            entries.append(Entry(urljoin(base_url, link), max(dates) if dates else None))
    return entries


def _item_link(item: lxml.etree._Element) -> str | None:
    about = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
    fallback: str | None = None
    for child in item:
        if _local(child.tag) != "link":
            continue
        href = child.get("href")
        if href is None:  # RSS: <link>URL</link>
            text = (child.text or "").strip()
            if text:
                return text
        elif child.get("rel", "alternate") == "alternate":
            return href.strip()
        else:
            fallback = fallback or href.strip()
    for child in item:
        if _local(child.tag) == "guid" and child.get("isPermaLink", "true") != "false" and child.text:
            return child.text.strip()
    return fallback or about


def autodiscovered_feeds(html: str, base_url: str) -> list[str]:
    """Feeds a page announces with ``<link rel="alternate" type="application/rss+xml" href=…>``."""
    found: list[str] = []
    for link in Selector(text=html).css("link[href]"):
        rel = (link.attrib.get("rel") or "").lower().split()
        kind = (link.attrib.get("type") or "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in FEED_TYPES:
            found.append(urljoin(base_url, link.attrib["href"].strip()))
    return list(dict.fromkeys(found))


# --- URLs --------------------------------------------------------------------------------------
def clean_url(url: str) -> str:
    """Without the fragment and the query parameters that do not change the page."""
    parts = urlsplit(url)
    # The kept parameters stay as written: re-encoding them makes another URL of ``?/topic/12-x/``
    # (Invision forums) or of ``?a=b%20c``, which the site may not answer.
    kept = [p for p in parts.query.split("&") if p and not DROP_PARAMS.match(unquote_plus(p.split("=", 1)[0]))]
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "&".join(kept), ""))


@dataclass(frozen=True)
class UrlClassifier:
    """Article, listing or ordinary page (None: not to be fetched), by URL alone.

    The site's own profile is asked first; where it matches nothing (and denies nothing), the
    generic patterns decide: deny, then listing, then article.
    """

    generic: SiteProfile
    profile: SiteProfile | None = None
    # Paths already classified: every page repeats its menus and teasers. Emptied when full.
    _known: dict[str, UrlKind | None] = field(default_factory=dict, compare=False, repr=False)

    def classify(self, url: str) -> UrlKind | None:
        path = urlsplit(url).path or "/"
        try:
            return self._known[path]
        except KeyError:
            pass
        if len(self._known) >= CLASSIFIED_PATHS:
            self._known.clear()
        kind = self._known[path] = self._classify(path)
        return kind

    def _classify(self, path: str) -> UrlKind | None:
        if self.profile is not None:
            if any(p.search(path) for p in self.profile.deny_patterns):
                return None
            match = self.profile.classify_path(path)
            if match is not None:
                return "article" if match.kind == "article" else "listing"
        generic = self.generic
        if any(p.search(path) for p in generic.deny_patterns):
            return None
        if any(p.search(path) for p in generic.listing_patterns):
            return "listing"
        if any(p.search(path) for p in generic.article_patterns):
            return "article"
        return "page"



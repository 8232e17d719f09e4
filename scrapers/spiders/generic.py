"""Any news site from a start URL: requests and following only (what to follow: scrapers/discovery.py).

A start URL may be a homepage, a sitemap (index, news sitemap) or a feed. From a homepage the
spider looks, cheapest first, at the sitemaps robots.txt names (else the usual sitemap paths), the
feeds the page announces (else the usual feed paths), then the site's own links. URLs that look
like articles (scrapers/sites/generic.toml, after the site's profile if one is given) are fetched
as article candidates; the page-type check confirms them (scrapers/pagetype_filter.py).

``since`` skips sitemap and feed items (and dated URLs) older than a date, without fetching them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path
from typing import Any, Self
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings
from twisted.python.failure import Failure

from scrapers.discovery import (
    Entry,
    Since,
    SitemapTooLarge,
    UrlClassifier,
    autodiscovered_feeds,
    clean_url,
    parse_since,
    read_feed,
    read_sitemap,
    robots_sitemaps,
    sniff,
)
from scrapers.failures import failure_reason
from scrapers.links import hrefs
from scrapers.offsite import same_site, site_host
from scrapers.sites import ProfileError, SiteProfile, load_profile
from scrapers.spiders.base import NewsSpider, as_list, beyond_depth, page_item

# Discovery documents first, then articles, then pages that only lead to articles.
PRIORITY = {"discovery": 30, "article": 10, "listing": 0, "page": 0}
# Links of the page's own content: not in menus, sidebars, widgets or the site's header and footer.
CONTENT_LINKS = (
    "//a[not(ancestor::aside or ancestor::nav or ancestor::footer[not(ancestor::article)]"
    " or ancestor::header[not(ancestor::article)] or ancestor::*[@role='complementary']"
    " or ancestor::*[contains(@class, 'widget') or contains(@class, 'sidebar')])]/@href"
)


def profile_start_urls(profile: SiteProfile, base_url: str | None = None) -> list[str]:
    """Where a crawl with this profile starts: its start URLs, or its base URL's start paths,
    feeds and sitemaps (``{lang}`` filled in); ``base_url`` moves them to another address."""
    base = (base_url or profile.base_url or "").rstrip("/")
    urls = [_rebase(u, base_url) for u in profile.start_urls]
    if base:
        for lang in profile.languages or ("",):
            for path in (*profile.start_paths, *profile.sitemaps, *profile.feeds):
                urls.append(urljoin(base + "/", path.format(lang=lang).lstrip("/")))
        if not urls:
            urls.append(base + "/")
    return list(dict.fromkeys(urls))


def _rebase(url: str, base_url: str | None) -> str:
    if not base_url:
        return url
    parts = urlsplit(url)
    return base_url.rstrip("/") + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class GenericSpider(NewsSpider):
    name = "generic"

    def __init__(
        self,
        *args: Any,
        start: str | Iterable[str] | None = None,
        profile: str | None = None,
        since: str | None = None,
        base_url: str | None = None,
        profile_dirs: tuple[Path, ...] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        dirs = tuple(Path(d) for d in profile_dirs)
        self.profile: SiteProfile | None = load_profile(profile, dirs) if profile else None
        self.classifier = UrlClassifier(load_profile("generic", dirs), self.profile)
        starts = as_list(start) or (profile_start_urls(self.profile, base_url) if self.profile else [])
        if not starts:
            raise ProfileError(
                f"no start URL: give --start URL, or a profile with start_urls or base_url"
                f"{f' ({self.profile.source})' if self.profile else ''}"
            )
        self.starts = [s if urlsplit(s).scheme else f"https://{s}" for s in starts]
        # The site's own hosts (www. or not, with their ports): nothing elsewhere is fetched (scrapers/offsite.py).
        self.hosts = {site_host(u) for u in self.starts}
        self.since = Since(parse_since(since)) if since else None
        self.probed: set[str] = set()  # sites whose robots.txt and feeds were looked up
        self.too_old: set[str] = set()
        self.max_size = 0  # DOWNLOAD_MAXSIZE (from_crawler): a compressed sitemap expands to no more

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        """The profile's politeness, below anything given on the command line. Runs before the
        crawl starts, so a broken profile or date is one line (``scrapy crawl`` prints it as a
        usage error) rather than a traceback."""
        super().update_settings(settings)
        name = settings.get("CRAWL_PROFILE")
        try:
            if name:
                dirs = tuple(Path(p) for p in settings.getlist("SITE_PROFILE_DIRS"))
                settings.setdict(load_profile(name, dirs).crawl_settings(), priority="spider")
            if settings.get("CRAWL_SINCE"):
                parse_since(str(settings.get("CRAWL_SINCE")))
        except ValueError as exc:  # ProfileError is one
            raise UsageError(str(exc)) from None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        settings = crawler.settings
        kwargs.setdefault("start", settings.getlist("CRAWL_START_URLS") or None)
        kwargs.setdefault("profile", settings.get("CRAWL_PROFILE"))
        kwargs.setdefault("since", settings.get("CRAWL_SINCE"))
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_size = settings.getint("DOWNLOAD_MAXSIZE")
        return spider

    # --- start -------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        for url in self.starts:
            yield scrapy.Request(url, callback=self.parse_start, errback=self.on_error,
                                 priority=PRIORITY["discovery"], meta={"page_kind": "listing", "site_start": True})

    def parse_start(self, response: Response) -> Iterator[Any]:
        kind = sniff(response.body, _content_type(response))
        if kind == "sitemap":
            yield from self.parse_sitemap(response)
        elif kind == "feed":
            yield from self.parse_feed(response)
        else:
            yield from self._discover(response)
            yield from self.parse_page(response)

    def _discover(self, response: Response) -> Iterator[scrapy.Request]:
        """robots.txt (for its sitemaps), the profile's sitemaps, and the feeds of the site."""
        root = urljoin(response.url, "/")
        if root in self.probed or not isinstance(response, TextResponse):
            return
        self.probed.add(root)
        yield self._discovery(root + "robots.txt", self.parse_robots)
        for path in self.profile.sitemaps if self.profile else ():
            yield self._discovery(urljoin(root, path), self.parse_sitemap)
        feeds = autodiscovered_feeds(response.text, response.url)
        if self.profile:
            feeds += [urljoin(root, p.format(lang=lang)) for lang in self.profile.languages or ("",)
                      for p in self.profile.feeds]
        self._count("discovery/feeds/announced", len(feeds))
        for url in feeds or [urljoin(root, p) for p in self.classifier.generic.feeds]:
            if same_site(url, self.hosts):
                yield self._discovery(url, self.parse_feed)

    # --- discovery documents -------------------------------------------------------------------
    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        sitemaps = robots_sitemaps(response.body, response.url)
        self._count("discovery/sitemaps/in_robots", len(sitemaps))
        for url in sitemaps or [urljoin(response.url, p) for p in self.classifier.generic.sitemaps]:
            if same_site(url, self.hosts):
                yield self._discovery(url, self.parse_sitemap)
            else:
                self._count("discovery/sitemaps/offsite")

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        if sniff(response.body) != "sitemap":
            self._count("discovery/sitemaps/invalid")
            return
        yield page_item(response, "sitemap")
        try:
            kind, entries = read_sitemap(response.body, int(response.meta.get("download_maxsize", self.max_size)))
        except (SitemapTooLarge, OSError, EOFError) as exc:
            too_large = isinstance(exc, SitemapTooLarge)
            self._count(f"discovery/sitemaps/{'too_large' if too_large else 'invalid'}")
            self.logger.warning("sitemap %s skipped: %s", response.url, exc if too_large else f"bad gzip ({exc})")
            return
        self._count(f"discovery/sitemaps/{kind}")
        for entry in entries:
            if not same_site(entry.url, self.hosts) or self._old(entry):
                continue
            if kind == "sitemapindex":
                yield self._discovery(entry.url, self.parse_sitemap)
            else:
                yield from self._candidate(entry.url, "sitemap", news=entry.news)

    def parse_feed(self, response: Response) -> Iterator[Any]:
        if sniff(response.body) != "feed":
            self._count("discovery/feeds/invalid")
            return
        yield page_item(response, "feed")
        for entry in read_feed(response.body, response.url):
            if same_site(entry.url, self.hosts) and not self._old(entry):
                yield from self._candidate(entry.url, "feed", news=True)

    # --- pages ---------------------------------------------------------------------------------
    def parse_page(self, response: Response) -> Iterator[Any]:
        if response.meta.get("redirect_urls") and self.classifier.classify(clean_url(response.url)) == "article":
            # A link that redirects to an article (a shortlink, a missing slash): an article candidate.
            response.meta["confirm_article"] = True
            yield from self.parse_article(response)
            return
        yield page_item(response, "listing")
        yield from self._follow(response)

    def parse_article(self, response: Response) -> Iterator[Any]:
        item = page_item(response, "article")
        item.url = response.url  # after a redirect, the article's own address (the page keeps both)
        yield item
        yield from self._follow(response)

    def on_discovery_error(self, failure: Failure) -> None:
        """A sitemap or feed that is not there is no failure of the crawl: counted, not archived."""
        reason, _, detail = failure_reason(failure)
        self._count(f"discovery/failed/{reason}")
        self.logger.debug("discovery: %s: %s", failure.request.url, detail)  # type: ignore[attr-defined]

    # --- following -----------------------------------------------------------------------------
    def _follow(self, response: Response) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse) or beyond_depth(response, self.depth_limit):
            return
        pages: list[str] = []
        articles: dict[str, bool] = {}  # article URL -> older than --since (by its URL's date)
        for href in dict.fromkeys(hrefs(response.text)):  # a link repeated on the page: looked at once
            if self.max_url_length and len(href) > self.max_url_length:  # Scrapy would drop its request
                self._count("discovery/skipped/url_too_long")
                continue
            url = clean_url(response.urljoin(href.strip()))
            if not same_site(url, self.hosts):
                continue
            kind = self.classifier.classify(url)
            if kind == "article":
                articles[url] = self.since is not None and self.since.url_too_old(url)
            elif kind is not None:
                pages.append(url)
        for url, old in articles.items():
            if old:
                self._skip_old(url)
            elif self.followed.first(url):
                yield self._request(url, "article")
        if self.since is not None and self._stale(response, articles):
            self._count("discovery/skipped/stale_page")
            return
        for url in pages:
            if self.followed.first(url):
                yield self._request(url, "listing")

    def _stale(self, response: TextResponse, articles: dict[str, bool]) -> bool:
        """With --since: a page whose own stories (menus and sidebars left out) are all older than
        the date leads only to older ones (the next page of a listing, an older archive)."""
        own = {clean_url(response.urljoin(h.strip())) for h in response.xpath(CONTENT_LINKS).getall()}
        judged = [old for url, old in articles.items() if url in own]
        return bool(judged) and all(judged)

    def _candidate(self, url: str, source: str, news: bool = False) -> Iterator[scrapy.Request]:
        """A URL from the site's own sitemap or feed: always requested (robots.txt aside), whatever
        its URL looks like; a URL that says listing or nothing is fetched all the same and the page
        decides. Evidence goes with it: a feed item, a news sitemap's entry is the site's own word
        that the page is an article; a URL that looks like a listing is evidence against."""
        url = clean_url(url)
        kind = self.classifier.classify(url)
        if self.since is not None and self.since.url_too_old(url):
            self._skip_old(url)
            return
        evidence = "news" if news else "listing_url" if kind in ("listing", None) else source
        self._count(f"discovery/{source}/candidates")
        if kind in ("listing", None):
            self._count(f"discovery/{source}/listing_url")  # requested anyway: the site listed it
        if self.followed.first(url):
            yield self._request(url, "article", evidence)

    def _old(self, entry: Entry) -> bool:
        if self.since is None or not self.since.too_old(entry.date):
            return False
        self._skip_old(entry.url)
        return True

    def _skip_old(self, url: str) -> None:
        if url not in self.too_old:  # count URLs, not the links to them
            self.too_old.add(url)
            self._count("discovery/skipped/since")

    def _request(self, url: str, kind: str, evidence: str = "link") -> scrapy.Request:
        article = kind == "article"
        meta: dict[str, Any] = {"page_kind": kind, "confirm_article": article}
        if article:
            meta["article_evidence"] = evidence  # what made it a candidate (scrapers/site_evidence.py)
        return scrapy.Request(
            url, callback=self.parse_article if article else self.parse_page, errback=self.on_error,
            priority=PRIORITY[kind], meta=meta,
        )

    def _discovery(self, url: str, callback: Any) -> scrapy.Request:
        # Sitemaps and feeds are not hops away from the start: --depth counts links only.
        return scrapy.Request(
            url, callback=callback, errback=self.on_discovery_error, priority=PRIORITY["discovery"],
            meta={"page_kind": "discovery", "depth_reset": True},
        )

    def _count(self, key: str, value: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(key, value)


def _content_type(response: Response) -> str | None:
    value = response.headers.get(b"Content-Type")
    return value.decode("latin-1") if value else None

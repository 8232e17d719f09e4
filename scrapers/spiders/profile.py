"""A spider driven by a site profile: it requests and follows, nothing else.

Start pages and feeds come from the profile; every link found is classified by the profile's
URL patterns into article, listing or ignored. Parsing happens in the pipelines.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar, Self
from urllib.parse import urlparse

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response

from scrapers.conditional import REVISIT_STATUSES, is_revisit, revisit_answer, revisit_meta_of
from scrapers.offsite import same_site, site_host
from scrapers.sites import SiteProfile, UrlMatch, load_profile
from scrapers.spiders.base import NewsSpider, as_list, beyond_depth, page_item, page_links


class ProfileSpider(NewsSpider):
    """Base for every site spider; subclasses name a profile and nothing more."""

    profile_name: ClassVar[str]

    def __init__(
        self,
        *args: Any,
        base_url: str | None = None,
        languages: str | Iterable[str] | None = None,
        sections: str | Iterable[str] | None = None,
        profile_dirs: tuple[Path, ...] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.profile: SiteProfile = load_profile(self.profile_name, profile_dirs)
        base = base_url or self.profile.base_url
        if not base:
            raise ValueError(f"profile {self.profile_name!r} has no base_url and none was given")
        self.base_url = base.rstrip("/")
        self.host = urlparse(self.base_url).hostname or ""
        self.allowed_domains = [self.host]
        self.hosts = {site_host(self.base_url)}  # nothing elsewhere is fetched (scrapers/offsite.py)
        self.languages = as_list(languages) or list(self.profile.languages)
        self.sections = set(as_list(sections))

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        kwargs.setdefault("languages", crawler.settings.get("CRAWL_LANGUAGES"))
        kwargs.setdefault("sections", crawler.settings.get("CRAWL_SECTIONS"))
        return super().from_crawler(crawler, *args, **kwargs)

    async def start(self) -> AsyncIterator[Any]:
        for lang in self.languages or [""]:
            for path in self.profile.start_paths:
                yield self._request(self.base_url + path.format(lang=lang), "listing")
            for path in self.profile.feeds:
                yield self._request(self.base_url + path.format(lang=lang), "feed")

    def parse_listing(self, response: Response) -> Iterator[Any]:
        yield page_item(response, "listing")
        yield from self._follow(response, page_links(response))

    def parse_feed(self, response: Response) -> Iterator[Any]:
        yield page_item(response, "feed")
        links = response.xpath(
            "//item/link/text() | //*[local-name()='entry']/*[local-name()='link']/@href"
        ).getall()
        yield from self._follow(response, [link.strip() for link in links])

    def parse_article(self, response: Response) -> Iterator[Any]:
        if response.status in REVISIT_STATUSES and is_revisit(response.request):
            answer = revisit_answer(response, self.profile, self.host, page_item(response, "article"))
            yield answer.item
            if answer.follow:  # moved: the re-visit goes on at the new URL, archived or not
                yield self.revisit_request(answer.follow, revisit_meta_of(response.meta))
            return
        yield page_item(response, "article")
        # Articles link to other articles (teasers, news line): a cheap second discovery path.
        yield from self._follow(response, page_links(response))

    def wanted(self, match: UrlMatch) -> bool:
        if self.languages and match.lang and match.lang not in self.languages:
            return False
        return not (self.sections and match.section and match.section not in self.sections)

    def _follow(self, response: Response, hrefs: Iterable[str]) -> Iterator[scrapy.Request]:
        if beyond_depth(response, self.depth_limit):
            # Scrapy's DepthMiddleware would drop these requests; remembered as followed, the same
            # links found later nearer the start would be skipped.
            return
        for href in hrefs:
            if self.max_url_length and len(href) > self.max_url_length:  # Scrapy would drop its request
                continue
            url = response.urljoin(href).split("#")[0]
            if not self.followed.first(url):
                continue
            if not same_site(url, self.hosts):
                continue
            parsed = urlparse(url)
            match = self.profile.classify_path(parsed.path)
            if match is not None and self.wanted(match):
                yield self._request(url, match.kind)

    def revisit_request(self, url: str, meta: dict[str, Any]) -> scrapy.Request:
        """A request for an archived article with the frontier's re-visit meta (scrapers/conditional.py)."""
        # After new articles and listings: the listings' 200s set the pace (AutoThrottle), and new
        # articles are worth more than a check of an old one.
        request = self._request(url, "article").replace(priority=-10)
        request.meta.update(meta)
        return request

    def _request(self, url: str, kind: str) -> scrapy.Request:
        callback = {"article": self.parse_article, "feed": self.parse_feed}.get(kind, self.parse_listing)
        # Articles first: keeps the queue short on sites with deep pagination.
        return scrapy.Request(
            url, callback=callback, errback=self.on_error,
            priority=10 if kind == "article" else 0, meta={"page_kind": kind},
        )

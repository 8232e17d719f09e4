"""A spider driven by a site profile: it requests and follows, nothing else.

Start pages and feeds come from the profile; every link found is classified by the profile's
URL patterns into article, listing or ignored. Parsing happens in the pipelines.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlparse

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from scrapers.conditional import REVISIT_STATUSES, is_revisit, revisit_answer, revisit_meta_of
from scrapers.failures import attempts_of, failure_reason
from scrapers.items import FailureItem, PageItem
from scrapers.links import hrefs
from scrapers.sites import SiteProfile, UrlMatch, load_profile


def _hrefs(response: Response) -> list[str]:
    """Every ``a[href]`` of the page, read by a scanner (scrapers/links.py), not a parse tree: a tree
    costs ten times as much on the crawl's one thread, and ``response.css`` would also keep it on the
    response while its item waits for a parse worker (~140 KB per page in flight)."""
    if not isinstance(response, TextResponse):  # not a page (an image, a PDF): nothing to follow
        return []
    return hrefs(response.text)


class Followed:
    """The links a spider already turned into requests: every article repeats the same teasers and
    menus, and dropping a repeat here is far cheaper than building a Request for the duplicate
    filter. Kept as hash(url) (an int, not the URL string: a third of the memory on a long crawl);
    two URLs with one 64-bit hash in one crawl are about as likely as n^2 / 2^65."""

    def __init__(self) -> None:
        self._keys: set[int] = set()

    def first(self, url: str) -> bool:
        """True the first time `url` is seen in this crawl (and remembers it)."""
        key = hash(url)
        if key in self._keys:
            return False
        self._keys.add(key)
        return True


def beyond_depth(response: Response, limit: int) -> bool:
    """Links on this page are more than DEPTH_LIMIT hops from the start (0: no limit)."""
    return bool(limit) and int(response.meta.get("depth", 0)) >= limit


def _as_list(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [v for v in value if v]


def page_item(response: Response, kind: str) -> PageItem:
    headers = {
        k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()
    }
    content_type = response.headers.get(b"Content-Type")
    original = response.request.meta.get("redirect_urls", [response.url])[0] if response.request else None
    return PageItem(
        url=original or response.url,
        final_url=response.url,
        status=response.status,
        headers=headers,
        body=response.body,
        fetched_at=datetime.now(UTC),
        kind=kind,
        content_type=content_type.decode("latin-1") if content_type else None,
    )


class ProfileSpider(scrapy.Spider):
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
        self.languages = _as_list(languages) or list(self.profile.languages)
        self.sections = set(_as_list(sections))
        self.followed = Followed()
        self.depth_limit = 0  # DEPTH_LIMIT (from_crawler): links found beyond it are not followed

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ProfileSpider:
        settings = crawler.settings
        kwargs.setdefault("base_url", settings.get("CRAWL_BASE_URL"))
        kwargs.setdefault("languages", settings.get("CRAWL_LANGUAGES"))
        kwargs.setdefault("sections", settings.get("CRAWL_SECTIONS"))
        kwargs.setdefault("profile_dirs", tuple(Path(p) for p in settings.getlist("SITE_PROFILE_DIRS")))
        spider: ProfileSpider = super().from_crawler(crawler, *args, **kwargs)
        spider.depth_limit = settings.getint("DEPTH_LIMIT")
        return spider

    async def start(self) -> AsyncIterator[Any]:
        for lang in self.languages or [""]:
            for path in self.profile.start_paths:
                yield self._request(self.base_url + path.format(lang=lang), "listing")
            for path in self.profile.feeds:
                yield self._request(self.base_url + path.format(lang=lang), "feed")

    def parse_listing(self, response: Response) -> Iterator[Any]:
        yield page_item(response, "listing")
        yield from self._follow(response, _hrefs(response))

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
        yield from self._follow(response, _hrefs(response))

    def on_error(self, failure: Failure) -> Iterator[FailureItem]:
        reason, status, detail = failure_reason(failure)
        request = failure.request  # type: ignore[attr-defined]
        page = None
        if isinstance(failure.value, HttpError):
            page = page_item(failure.value.response, request.meta.get("page_kind", "article"))
        self.logger.info("failed %s: %s", request.url, detail)
        # The URL the spider asked for, not the last hop of its redirects: that is what the frontier knows.
        url = request.meta.get("redirect_urls", [request.url])[0]
        yield FailureItem(
            url=url, reason=reason, status=status, detail=detail,
            fetched_at=datetime.now(UTC), page=page, attempts=attempts_of(failure),
        )

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
            url = response.urljoin(href).split("#")[0]
            if not self.followed.first(url):
                continue
            parsed = urlparse(url)
            if parsed.hostname != self.host or parsed.scheme not in ("http", "https"):
                continue
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

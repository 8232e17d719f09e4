"""What every spider of the project shares: the page item, the failure item of a failed request,
the set of links already followed and the depth limit. A spider only requests and follows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from scrapers.failures import attempts_of, failure_reason
from scrapers.items import FailureItem, PageItem
from scrapers.links import hrefs


def page_links(response: Response) -> list[str]:
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


def as_list(value: str | Iterable[str] | None) -> list[str]:
    """A setting or argument given as "a,b" or as a list."""
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


def failure_item(failure: Failure) -> FailureItem:
    """A failed request as the archive records it: the URL the spider asked for (not the last hop
    of its redirects: that is what the frontier knows) and every request sent for it (retries too)."""
    reason, status, detail = failure_reason(failure)
    request = failure.request  # type: ignore[attr-defined]
    page = None
    if isinstance(failure.value, HttpError):
        page = page_item(failure.value.response, request.meta.get("page_kind", "article"))
    return FailureItem(
        url=request.meta.get("redirect_urls", [request.url])[0], reason=reason, status=status, detail=detail,
        fetched_at=datetime.now(UTC), page=page, attempts=attempts_of(failure),
    )


class NewsSpider(scrapy.Spider):
    """Base of the project's spiders: the site's hosts, the followed links, DEPTH_LIMIT and
    URLLENGTH_LIMIT, and one errback."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.followed = Followed()  # links already turned into requests
        self.depth_limit = 0  # DEPTH_LIMIT (from_crawler): links found beyond it are not followed
        # URLLENGTH_LIMIT (from_crawler; Scrapy's 2,083): longer links are not followed nor classified.
        self.max_url_length = 0
        self.hosts: set[str] = set()  # the site's hosts: nothing elsewhere is fetched (scrapers/offsite.py)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        """Both spiders take the crawl's address and the user's profile folders from the settings."""
        kwargs.setdefault("base_url", crawler.settings.get("CRAWL_BASE_URL"))
        kwargs.setdefault("profile_dirs", tuple(Path(p) for p in crawler.settings.getlist("SITE_PROFILE_DIRS")))
        spider: Self = super().from_crawler(crawler, *args, **kwargs)
        spider.depth_limit = crawler.settings.getint("DEPTH_LIMIT")
        spider.max_url_length = crawler.settings.getint("URLLENGTH_LIMIT")
        return spider

    def on_error(self, failure: Failure) -> Iterator[FailureItem]:
        item = failure_item(failure)
        self.logger.info("failed %s: %s", failure.request.url, item.detail)  # type: ignore[attr-defined]
        yield item

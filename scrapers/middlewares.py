"""Spider middleware that decides which article URLs are worth a request (the crawl frontier)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import deferred_to_future
from twisted.internet import task
from w3lib.url import safe_url_string

from archive.frontier import KnownArticle, known_articles, recent_failures
from archive.store import Archive
from scrapers.conditional import REDIRECTS, is_revisit, revisit_meta
from scrapers.failures import TOO_LARGE_META, RefusedPage
from scrapers.offsite import on_site, redirect_allowed
from scrapers.sites.recrawl import RecrawlPolicy, build_policy, parse_ages, parse_duration

logger = logging.getLogger(__name__)


class ArchiveFrontierMiddleware:
    """Requests new articles; re-visits archived ones only when the re-crawl policy says they are
    due (conditionally, scheduled from the archive itself whether still listed or not); skips
    URLs that failed for good recently; stops scheduling past ``CRAWL_LIMIT``.

    The archive is the frontier: read once at start, it makes a re-run cheap, and after a crash
    (even ``kill -9``) only what was not yet written is fetched again.
    """

    def __init__(
        self,
        archive_path: str | None,
        limit: int,
        stats: StatsCollector,
        mode: str,
        ages: tuple[tuple[str, str], ...] | None,
        older: str | None,
        permanent_failures: tuple[str, ...],
        retry_failed_after: str,
    ):
        self.archive_path = archive_path
        self.limit = limit
        self.stats = stats
        self.mode = mode
        self.ages = ages
        self.older = older
        self.permanent_failures = permanent_failures
        self.retry_failed_after = parse_duration(retry_failed_after)
        self.policy: RecrawlPolicy = build_policy(mode, ages, older)
        self.spider: Any = None
        self.known: set[str] = set()
        self.due: list[KnownArticle] = []
        self.due_urls: set[str] = set()
        self.failed: set[str] = set()
        self.skipped: set[str] = set()
        self.scheduled = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        assert crawler.stats is not None
        mode = settings.get("RECRAWL_MODE")
        legacy = settings.get("CRAWL_SKIP_ARCHIVED")  # the old switch: True skips, False refetches
        if legacy is not None and legacy != "":
            mode = "skip" if settings.getbool("CRAWL_SKIP_ARCHIVED") else "refetch"
        ages = settings.get("RECRAWL_AGES")
        mw = cls(
            archive_path=settings.get("ARCHIVE_PATH"),
            limit=settings.getint("CRAWL_LIMIT"),
            stats=crawler.stats,
            mode=mode,
            ages=parse_ages(ages) if ages else None,
            older=settings.get("RECRAWL_OLDER") or None,
            permanent_failures=tuple(settings.getlist("RECRAWL_PERMANENT_FAILURES")),
            retry_failed_after=settings.get("RECRAWL_RETRY_FAILED_AFTER"),
        )
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        return mw

    def spider_opened(self, spider: Any) -> None:
        self.spider = spider
        profile = getattr(spider, "profile", None)
        if profile is not None:  # the settings win over the site's [recrawl]
            self.policy = build_policy(
                self.mode, self.ages or profile.recrawl_ages, self.older or profile.recrawl_older
            )
        if not (self.archive_path and Path(self.archive_path).exists()):
            return
        now = datetime.now(UTC)
        with Archive.open(self.archive_path, create=False, readonly=True) as archive:
            known = known_articles(archive, profile.name if profile else None)
            if self.permanent_failures:
                self.failed = recent_failures(archive, self.permanent_failures, now - self.retry_failed_after)
        self.plan(known, now)

    def plan(self, known: Iterable[KnownArticle], now: datetime, source: str = "the archive") -> None:
        """What to skip (every archived article), what to re-visit (the due ones, newest first)."""
        known = list(known)
        for article in sorted(known, key=lambda a: a.published or a.first_seen, reverse=True):
            self.known.add(article.url)
            if article.canonical_url:
                self.known.add(article.canonical_url)
            if article.url not in self.due_urls and self.policy.due(
                now, article.published, article.first_seen, article.last_visit
            ):
                self.due.append(article)
                self.due_urls.add(article.url)
        self.stats.set_value("frontier/archived", len(known))
        self.stats.set_value("frontier/due", len(self.due))
        logger.info(
            "frontier (from %s): %d articles archived, %d due for a re-visit (%s); %d URLs failed for good "
            "recently", source, len(known), len(self.due), self.policy.describe(), len(self.failed),
        )

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        """The spider's start requests, then the re-visits that are due (newest articles first)."""
        async for obj in start:
            yield obj
        make = getattr(self.spider, "revisit_request", None)
        if make is None:
            return
        for article in self.due:
            if not on_site(self.spider, article.url):  # archived from another address or site
                self.stats.inc_value("frontier/skipped/other_host")
                continue
            if self.limit and self.scheduled >= self.limit:
                self.stats.inc_value("frontier/skipped/limit")
                continue
            self.scheduled += 1
            self.stats.inc_value("frontier/revisits")
            yield make(article.url, revisit_meta(article.etag, article.last_modified,
                                                 conditional=self.policy.conditional))

    def _skip(self, url: str, reason: str) -> None:
        if url not in self.skipped:  # count articles, not the links that lead to them
            self.skipped.add(url)
            self.stats.inc_value(f"frontier/skipped/{reason}")

    def _keep(self, obj: Any) -> bool:
        if not isinstance(obj, Request):
            return True
        if self.limit and self.scheduled >= self.limit:
            self.stats.inc_value("frontier/skipped/limit")
            return False
        if obj.meta.get("page_kind") != "article":
            return True
        if obj.meta.get("revisit") is not None:  # a re-visit that followed its article to a new URL
            return True
        if obj.url in self.known:
            # Not due, or due and already scheduled from the archive (process_start).
            self._skip(obj.url, "revisit_scheduled" if obj.url in self.due_urls else "archived")
            return False
        if obj.url in self.failed:
            self._skip(obj.url, "failed_recently")
            return False
        self.scheduled += 1
        return True

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        return (obj for obj in result if self._keep(obj))

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for obj in result:
            if self._keep(obj):
                yield obj


# --- fault handling (issue 6): what a hostile server or page cannot do to a crawl ------------------

HTML_TYPES = ("text/html", "application/xhtml+xml")


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date); None if unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries (RETRY_TIMES, RETRY_HTTP_CODES), honouring ``Retry-After`` on a retried status
    (429, 503...): the retry waits what the server asks, at most ``RETRY_AFTER_MAX`` seconds."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX")

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        if wait:
            from twisted.internet import reactor  # the reactor Scrapy installed, not a default one

            if self.crawler.stats is not None:
                self.crawler.stats.inc_value("retry/retry_after")
            await deferred_to_future(task.deferLater(reactor, min(wait, self.retry_after_max), lambda: None))
        return retry


class RedirectGuardMiddleware:
    """Turns redirects the crawl must not follow into failures with a reason, instead of Scrapy's
    silent drops: a loop (``redirect_loop``: the dupe filter would drop it) and a redirect to another
    site (``redirected_offsite``: the offsite filter would drop it). Also marks downloads that outgrow
    ``DOWNLOAD_MAXSIZE``, which Scrapy cancels without a reason (``too_large``, scrapers/failures.py).
    Sits before (above) Scrapy's RedirectMiddleware."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.maxsize = crawler.settings.getint("DOWNLOAD_MAXSIZE")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        mw = cls(crawler)
        crawler.signals.connect(mw.bytes_received, signal=signals.bytes_received)
        return mw

    def bytes_received(self, data: bytes, request: Request, spider: Any) -> None:
        received = int(request.meta.get("download_bytes", 0)) + len(data)
        request.meta["download_bytes"] = received
        maxsize = int(request.meta.get("download_maxsize", self.maxsize) or 0)
        if maxsize and received > maxsize:
            request.meta[TOO_LARGE_META] = True

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        if (
            response.status not in REDIRECTS
            or request.meta.get("dont_redirect")
            or is_revisit(request)
            or response.status in request.meta.get("handle_httpstatus_list", ())
        ):
            return response
        location = response.headers.get(b"Location")
        if not location:
            return response
        # Escaped as Scrapy's RedirectMiddleware does: the site's bytes reach no log or terminal raw.
        target = safe_url_string(response.urljoin(location.decode("latin-1"))).split("#")[0]
        seen = [*request.meta.get("redirect_urls", []), request.url]
        if target in seen:
            raise RefusedPage("redirect_loop", f"redirect loop: {' -> '.join([*seen, target])}")
        if not redirect_allowed(self.crawler.spider, request, target):
            raise RefusedPage("redirected_offsite", f"redirected to another site: {target}")
        return response


class HtmlOnlyMiddleware:
    """Spider middleware: an article request answered with something that is not HTML (a PDF, an
    image) goes to the errback as ``not_html``, before any callback or parser sees it."""

    def process_spider_input(self, response: Response, spider: Any = None) -> None:
        request = response.request
        if request is None or request.meta.get("page_kind") != "article" or response.status != 200:
            return
        raw = response.headers.get(b"Content-Type")
        media = (raw.decode("latin-1") if raw else "").split(";")[0].strip().lower()
        if media in HTML_TYPES or (not media and isinstance(response, TextResponse)):
            return
        raise RefusedPage("not_html", f"not HTML: {media or 'no Content-Type'}, {len(response.body)} bytes")

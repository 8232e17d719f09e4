"""Spider middleware that decides which article URLs are worth a request (the crawl frontier)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self
from urllib.parse import urlparse

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from archive.frontier import KnownArticle, known_articles, recent_failures
from archive.store import Archive
from scrapers.conditional import revisit_meta
from scrapers.recrawl import RecrawlPolicy, build_policy, parse_ages, parse_duration

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
        mode: str = "age",
        ages: tuple[tuple[str, str], ...] | None = None,
        older: str | None = None,
        permanent_failures: tuple[str, ...] = ("http_404", "http_410"),
        retry_failed_after: str = "7d",
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
        mode = settings.get("RECRAWL_MODE") or "age"
        legacy = settings.get("CRAWL_SKIP_ARCHIVED")  # the old switch: True skips, False refetches
        if legacy is not None and legacy != "":
            mode = "skip" if settings.getbool("CRAWL_SKIP_ARCHIVED") else "refetch"
        ages = settings.get("RECRAWL_AGES")
        mw = cls(
            archive_path=settings.get("ARCHIVE_PATH"),
            limit=settings.getint("CRAWL_LIMIT", 0),
            stats=crawler.stats,
            mode=mode,
            ages=parse_ages(ages) if ages else None,
            older=settings.get("RECRAWL_OLDER") or None,
            permanent_failures=tuple(settings.getlist("RECRAWL_PERMANENT_FAILURES", ["http_404", "http_410"])),
            retry_failed_after=settings.get("RECRAWL_RETRY_FAILED_AFTER") or "7d",
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
            "frontier: %d articles archived, %d due for a re-visit (%s); %d URLs failed for good recently",
            len(known), len(self.due), self.policy.describe(), len(self.failed),
        )

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        """The spider's start requests, then the re-visits that are due (newest articles first)."""
        async for obj in start:
            yield obj
        make = getattr(self.spider, "revisit_request", None)
        if make is None:
            return
        host = getattr(self.spider, "host", None)
        for article in self.due:
            if host and urlparse(article.url).hostname != host:  # archived from another address
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

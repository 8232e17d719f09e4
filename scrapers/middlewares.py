"""Spider middleware that decides which discovered article URLs are worth a request."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path
from typing import Any, Self

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from archive.store import Archive

logger = logging.getLogger(__name__)


class ArchiveFrontierMiddleware:
    """Skips articles already in the archive and stops scheduling past ``CRAWL_LIMIT``.

    Reading the archive's known URLs once at start keeps a re-run cheap: after a crash, only
    what was not yet written is fetched again.
    """

    def __init__(self, archive_path: str | None, skip_archived: bool, limit: int, stats: StatsCollector):
        self.archive_path = archive_path
        self.skip_archived = skip_archived
        self.limit = limit
        self.stats = stats
        self.known: set[str] = set()
        self.scheduled = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        assert crawler.stats is not None
        mw = cls(
            archive_path=settings.get("ARCHIVE_PATH"),
            skip_archived=settings.getbool("CRAWL_SKIP_ARCHIVED", True),
            limit=settings.getint("CRAWL_LIMIT", 0),
            stats=crawler.stats,
        )
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        return mw

    def spider_opened(self, spider: Any) -> None:
        if not (self.skip_archived and self.archive_path and Path(self.archive_path).exists()):
            return
        with Archive.open(self.archive_path, create=False, readonly=True) as archive:
            self.known = archive.known_article_urls(getattr(spider, "profile", None) and spider.profile.name)
        logger.info("frontier: %d articles already archived will not be fetched again", len(self.known))

    def _keep(self, obj: Any) -> bool:
        if not isinstance(obj, Request):
            return True
        if self.limit and self.scheduled >= self.limit:
            self.stats.inc_value("frontier/skipped/limit")
            return False
        if obj.meta.get("page_kind") != "article":
            return True
        if obj.url in self.known:
            self.stats.inc_value("frontier/skipped/archived")
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

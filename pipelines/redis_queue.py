"""Distributed workers: items go to Redis for ``newsarchive ingest`` (the single archive writer).

Takes the archive writer's place when ``DISTRIBUTED_REDIS_URL`` is set (scrapers/distributed/addon.py):
the same pages, articles, failures and re-visit outcomes the writer would write, each as one
message (scrapers/distributed/messages.py), and also the pages that validation rejected, as failures with their
reason. It is the crawl-wide duplicate check too: an article (by key, or canonical URL) is sent once
per crawl whichever worker fetched it, decided in the same Redis step that sends it, so a worker
killed in between neither loses it nor sends it twice.

When more than ``DISTRIBUTED_ITEMS_MAX`` items wait for the ingester, the worker waits for it.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any, Self

from redis.exceptions import RedisError
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task

from archive.store import ArticleRecord, FailureRecord, RevisitRecord
from pipelines.archive_writer import page_record
from scrapers.conditional import RevisitItem
from scrapers.distributed.config import DistributedSettings
from scrapers.distributed.messages import article_message, failure_message, page_message, revisit_message
from scrapers.distributed.state import DUPLICATE, OVER, RedisCrawl
from scrapers.items import FailureItem, PageItem

logger = logging.getLogger(__name__)


class RedisItemQueuePipeline:
    def __init__(self, crawler: Crawler, stats: StatsCollector, config: DistributedSettings) -> None:
        self.crawler = crawler
        self.stats = stats
        self.config = config
        self._crawl: RedisCrawl | None = None
        self.waiting = 0  # items waiting for the ingester, as of the last send

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        config = DistributedSettings.from_settings(crawler.settings)  # NotConfigured: not distributed
        assert crawler.stats is not None
        pipeline = cls(crawler, crawler.stats, config)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        return pipeline

    def open_spider(self) -> None:
        crawl = getattr(self._scheduler(), "crawl", None)
        if not isinstance(crawl, RedisCrawl):
            raise RuntimeError("RedisItemQueuePipeline needs the Redis scheduler (DISTRIBUTED_REDIS_URL)")
        self._crawl = crawl  # the scheduler's: items name the crawl it joined

    @property
    def crawl(self) -> RedisCrawl:
        assert self._crawl is not None, "open_spider first"
        return self._crawl

    def message(self, item: Any) -> tuple[str, bytes, list[str]] | None:
        """(kind, message, dedupe keys) for an item, None for anything else."""
        if isinstance(item, PageItem):
            if item.article is not None:
                article = item.article
                record = ArticleRecord(article, page_record(item), item.fetched_at)
                return "article", article_message(record), [article.key, article.canonical_url or article.url]
            return "page", page_message(page_record(item)), []
        if isinstance(item, FailureItem):
            page = page_record(item.page) if item.page is not None else None
            failure = FailureRecord(item.url, item.reason, item.status, item.detail, item.fetched_at, item.attempts)
            self.stats.inc_value(f"archive/failed/{item.reason}")
            return "failure", failure_message(failure, page), []
        if isinstance(item, RevisitItem):
            page = page_record(item.page) if item.page is not None else None
            revisit = RevisitRecord(item.url, item.outcome, item.fetched_at, item.reason)
            return "revisit", revisit_message(revisit, page), []
        return None

    async def process_item(self, item: Any) -> Any:
        message = self.message(item)
        if message is None:
            return item
        if self.waiting > self.config.items_max and not self._broken():
            await self._wait_for_ingester()
        kind, data, dedupe = message
        self._send(kind, data, dedupe)
        return item

    def _send(self, kind: str, data: bytes, dedupe: list[str]) -> None:
        if self._broken():  # no new wait for each item: the request stays in flight in Redis
            self.stats.inc_value("distributed/items/unsent")
            raise DropItem("not sent: Redis is unreachable (the request is fetched again by another worker)",
                           log_level="INFO")
        try:
            waiting = self.crawl.push_item(data, dedupe)
        except RedisError as exc:
            self._failed(exc)  # said once, there; the request stays in flight in Redis, fetched again
            self.stats.inc_value("distributed/items/unsent")
            raise DropItem(f"not sent: Redis is unreachable ({exc})", log_level="INFO") from None
        if waiting == DUPLICATE:
            self.stats.inc_value("archive/dropped/duplicate")
            # INFO: after a worker is taken over, refetched articles are expected duplicates.
            raise DropItem("duplicate of an article already sent in this crawl", log_level="INFO")
        if waiting == OVER:
            self.stats.inc_value("distributed/items/crawl_over")
            raise DropItem("not sent: the crawl this worker joined is over", log_level="INFO")
        self.waiting = waiting
        self.stats.inc_value(f"distributed/items/{kind}")

    async def _wait_for_ingester(self) -> None:
        from twisted.internet import reactor

        said = False
        while True:
            try:
                self.waiting = self.crawl.items_waiting()
            except RedisError as exc:
                self._failed(exc)
                raise
            if self.waiting <= self.config.items_max // 2:
                return
            if not said:
                said = True
                self.stats.inc_value("distributed/waited_for_ingester")
                logger.warning("%d items wait for the ingester (DISTRIBUTED_ITEMS_MAX %d): waiting for it; is "
                               "`newsarchive ingest` running?", self.waiting, self.config.items_max)
            await maybe_deferred_to_future(
                task.deferLater(reactor, self.config.poll * 2, lambda: None)
            )

    def item_dropped(self, item: Any, response: Any, exception: BaseException, spider: Spider) -> None:
        """Rejected pages (pipelines/validate.py) still reach the archive, as failures with the page."""
        reason = getattr(exception, "reason", None)
        if not (reason and isinstance(item, PageItem)):
            return
        failure = FailureRecord(item.url, reason, item.status, str(exception), item.fetched_at)
        self.stats.inc_value(f"archive/failed/{reason}")
        # Redis unreachable (said by _failed): the request stays in flight in Redis and is fetched again.
        with contextlib.suppress(RedisError, DropItem):
            self._send("failure", failure_message(failure, page_record(item)), [])

    def _scheduler(self) -> Any:
        return self.crawler.engine.scheduler if self.crawler.engine is not None else None

    def _broken(self) -> bool:
        return bool(getattr(self._scheduler(), "broken", None))

    def _failed(self, exc: Exception) -> None:
        fail = getattr(self._scheduler(), "fail", None)
        if callable(fail):
            fail(exc)  # the worker stops, leaving its unfinished requests in Redis

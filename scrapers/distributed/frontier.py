"""The crawl frontier of a distributed worker, read from Redis instead of the archive.

A worker may run on a machine without the archive. ``newsarchive ingest`` publishes, when it opens
a crawl, what the single-process frontier reads from the archive (every archived article with its
validators and last visit, and the failed URLs); this middleware reads it back and applies the
same re-crawl policy. Within the crawl, the Redis duplicate filter stops any URL from being
requested twice, by any worker, also after a restart, so articles archived during the crawl are
not fetched again either.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any, Self

from redis.exceptions import RedisError
from scrapy.crawler import Crawler

from archive.store import fetch_time
from scrapers.distributed.config import DistributedSettings
from scrapers.distributed.state import RUNNING, RedisCrawl
from scrapers.middlewares import ArchiveFrontierMiddleware

logger = logging.getLogger(__name__)


class RedisFrontierMiddleware(ArchiveFrontierMiddleware):
    redis_crawl: RedisCrawl

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        config = DistributedSettings.from_settings(crawler.settings)  # NotConfigured: not distributed
        mw = super().from_crawler(crawler)
        mw.archive_path = None  # never read here: the crawl's frontier is in Redis
        mw.redis_crawl = config.crawl(crawler)
        return mw

    def spider_opened(self, spider: Any) -> None:
        super().spider_opened(spider)  # the re-crawl policy (no archive: nothing else)
        crawl = self.redis_crawl
        now = datetime.now(UTC)
        try:
            if crawl.status() != RUNNING:
                return  # the scheduler says why the worker stops
            known = list(crawl.frontier_articles())
            cutoff = fetch_time(now - self.retry_failed_after)
            reasons = set(self.permanent_failures)
            self.failed = {url for url, reason, at in crawl.frontier_failures() if reason in reasons and at >= cutoff}
        except RedisError as exc:
            logger.error("could not read the crawl's frontier from Redis: %s", exc)
            return
        self.plan(known, now, "Redis")

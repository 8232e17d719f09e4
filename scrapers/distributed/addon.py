"""Scrapy add-on that turns a crawl into a distributed worker when ``DISTRIBUTED_REDIS_URL`` is set.

Named in the default settings (``ADDONS``), so ``newsarchive crawl SITE --distributed URL`` and plain
``scrapy crawl SITE -s DISTRIBUTED_REDIS_URL=URL`` are the same worker. It swaps, after every other
setting is known:

- the scheduler for the Redis one (scheduler.py: shared queue and duplicate filter);
- the archive frontier for the one read from Redis (frontier.py);
- the archive writer for the pipeline that sends items to Redis (pipelines/redis_queue.py), which
  also takes over the duplicate check of pipelines/dedupe.py for the whole crawl;
- no job lock on an archive: a worker writes none (the ingester takes the archive's lock).

Without the setting it raises NotConfigured (silently) and changes nothing; it imports neither
redis nor scrapy-redis until it is needed.
"""

from __future__ import annotations

import importlib.util
from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings

SCHEDULER = "scrapers.distributed.scheduler.RedisScheduler"
# (setting, component to replace, replacement or None to remove)
SWAPS = (
    ("ITEM_PIPELINES", "pipelines.archive_writer.ArchiveWriterPipeline",
     "pipelines.redis_queue.RedisItemQueuePipeline"),
    ("ITEM_PIPELINES", "pipelines.dedupe.DeduplicatePipeline", None),
    ("SPIDER_MIDDLEWARES", "scrapers.middlewares.ArchiveFrontierMiddleware",
     "scrapers.distributed.frontier.RedisFrontierMiddleware"),
    ("EXTENSIONS", "scrapers.joblock.JobLockExtension", None),
)
NEEDS = ("redis", "scrapy_redis")


class DistributedCrawl:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.get("DISTRIBUTED_REDIS_URL"):
            raise NotConfigured  # not a distributed crawl: no message, nothing changes
        missing = [name for name in NEEDS if importlib.util.find_spec(name) is None]
        if missing:
            raise RuntimeError(f"distributed crawling needs {', '.join(missing)}: "
                               "pip install 'newsarchive[distributed]'")
        return cls()

    def update_settings(self, settings: BaseSettings) -> None:
        settings.set("SCHEDULER", SCHEDULER, priority=max(settings.getpriority("SCHEDULER") or 0, 15))
        for name, old, new in SWAPS:
            components = settings.getdict(name)
            priority = None
            for key in list(components):
                if (key if isinstance(key, str) else f"{key.__module__}.{key.__qualname__}") == old:
                    priority = components.pop(key)
            if new is not None:
                components[new] = priority if priority is not None else 900
            settings.set(name, components, priority=settings.getpriority(name) or 0)

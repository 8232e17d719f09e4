"""The ``DISTRIBUTED_*`` settings, read once for every distributed component of a worker."""

from __future__ import annotations

from dataclasses import dataclass

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings

from scrapers.distributed.state import RedisCrawl, connect
from scrapers.joblock import job_name


@dataclass(frozen=True)
class DistributedSettings:
    url: str  # DISTRIBUTED_REDIS_URL: redis://HOST:PORT/DB
    idle_close: float = 10.0  # DISTRIBUTED_IDLE_CLOSE: the crawl has had no work this long: finished
    heartbeat: float = 2.0  # DISTRIBUTED_HEARTBEAT: a worker says it is alive this often
    worker_timeout: float = 15.0  # DISTRIBUTED_WORKER_TIMEOUT: silent this long: gone, its requests taken over
    start_timeout: float = 60.0  # DISTRIBUTED_START_TIMEOUT: wait this long for `newsarchive ingest` to open
    redis_wait: float = 30.0  # DISTRIBUTED_REDIS_WAIT: Redis unreachable this long: the worker stops
    items_max: int = 10_000  # DISTRIBUTED_ITEMS_MAX: more items waiting for the ingester: workers wait
    poll: float = 0.5  # DISTRIBUTED_POLL: an idle worker looks at the queue this often
    prefetch: int = 8  # DISTRIBUTED_PREFETCH: requests taken from Redis at once (one round trip)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> DistributedSettings:
        """Raises NotConfigured when ``DISTRIBUTED_REDIS_URL`` is not set (not a distributed crawl)."""
        url = settings.get("DISTRIBUTED_REDIS_URL")
        if not url:
            raise NotConfigured("DISTRIBUTED_REDIS_URL is not set")
        config = cls(
            url=str(url),
            idle_close=settings.getfloat("DISTRIBUTED_IDLE_CLOSE", cls.idle_close),
            heartbeat=settings.getfloat("DISTRIBUTED_HEARTBEAT", cls.heartbeat),
            worker_timeout=settings.getfloat("DISTRIBUTED_WORKER_TIMEOUT", cls.worker_timeout),
            start_timeout=settings.getfloat("DISTRIBUTED_START_TIMEOUT", cls.start_timeout),
            redis_wait=settings.getfloat("DISTRIBUTED_REDIS_WAIT", cls.redis_wait),
            items_max=settings.getint("DISTRIBUTED_ITEMS_MAX", cls.items_max),
            poll=settings.getfloat("DISTRIBUTED_POLL", cls.poll),
            prefetch=max(1, settings.getint("DISTRIBUTED_PREFETCH", cls.prefetch)),
        )
        if config.worker_timeout <= config.heartbeat * 2:
            raise ValueError("DISTRIBUTED_WORKER_TIMEOUT must be more than twice DISTRIBUTED_HEARTBEAT")
        return config

    def crawl(self, crawler: Crawler) -> RedisCrawl:
        """A client on the crawl of this crawler's site (keys ``newsarchive:SITE:*``)."""
        return RedisCrawl(connect(self.url, self.redis_wait), job_name(crawler.settings, crawler.spidercls))

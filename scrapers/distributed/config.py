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
    """The ``DISTRIBUTED_*`` settings (defaults: scrapers/settings.py)."""

    url: str  # DISTRIBUTED_REDIS_URL: redis://HOST:PORT/DB
    idle_close: float  # DISTRIBUTED_IDLE_CLOSE: the crawl has had no work this long: finished
    heartbeat: float  # DISTRIBUTED_HEARTBEAT: a worker says it is alive this often
    worker_timeout: float  # DISTRIBUTED_WORKER_TIMEOUT: silent this long: gone, its requests taken over
    start_timeout: float  # DISTRIBUTED_START_TIMEOUT: wait this long for `newsarchive ingest` to open
    redis_wait: float  # DISTRIBUTED_REDIS_WAIT: Redis unreachable this long: the worker stops
    items_max: int  # DISTRIBUTED_ITEMS_MAX: more items waiting for the ingester: workers wait
    poll: float  # DISTRIBUTED_POLL: an idle worker looks at the queue this often
    prefetch: int  # DISTRIBUTED_PREFETCH: requests taken from Redis at once (one round trip)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> DistributedSettings:
        """Raises NotConfigured when ``DISTRIBUTED_REDIS_URL`` is not set (not a distributed crawl)."""
        url = settings.get("DISTRIBUTED_REDIS_URL")
        if not url:
            raise NotConfigured("DISTRIBUTED_REDIS_URL is not set")
        config = cls(
            url=str(url),
            idle_close=settings.getfloat("DISTRIBUTED_IDLE_CLOSE"),
            heartbeat=settings.getfloat("DISTRIBUTED_HEARTBEAT"),
            worker_timeout=settings.getfloat("DISTRIBUTED_WORKER_TIMEOUT"),
            start_timeout=settings.getfloat("DISTRIBUTED_START_TIMEOUT"),
            redis_wait=settings.getfloat("DISTRIBUTED_REDIS_WAIT"),
            items_max=settings.getint("DISTRIBUTED_ITEMS_MAX"),
            poll=settings.getfloat("DISTRIBUTED_POLL"),
            prefetch=max(1, settings.getint("DISTRIBUTED_PREFETCH")),
        )
        if config.worker_timeout <= config.heartbeat * 2:
            raise ValueError("DISTRIBUTED_WORKER_TIMEOUT must be more than twice DISTRIBUTED_HEARTBEAT")
        return config

    def crawl(self, crawler: Crawler) -> RedisCrawl:
        """A client on the crawl of this crawler's site (keys ``newsarchive:SITE:*``)."""
        return RedisCrawl(connect(self.url, self.redis_wait), job_name(crawler.settings, crawler.spidercls))

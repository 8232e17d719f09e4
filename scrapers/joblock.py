"""Scrapy extension: the (archive, site) job lock for the whole crawl (scrapers/lock.py).

Plain ``scrapy crawl`` and scrapyd jobs get the same guarantee as ``newsarchive crawl``: never two
jobs of one site on one archive. A second job does not start (LockBusyError, with who holds the
lock); a lock left by a killed job is taken over, with a warning.
"""

from __future__ import annotations

import logging
from typing import Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings

from scrapers.lock import JobLock

logger = logging.getLogger(__name__)


def job_name(settings: BaseSettings, spidercls: type[Spider]) -> str:
    """The site a job is locked for: its profile (as ``newsarchive crawl SITE`` names it), else
    the spider's name (all profile-less generic crawls of an archive share one lock)."""
    return str(settings.get("CRAWL_PROFILE") or getattr(spidercls, "profile_name", None) or spidercls.name)


class JobLockExtension:
    def __init__(self, lock: JobLock) -> None:
        self.lock = lock

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        path = settings.get("ARCHIVE_PATH")
        if not settings.getbool("JOBLOCK_ENABLED") or not path:
            raise NotConfigured("JOBLOCK_ENABLED is off or ARCHIVE_PATH is not set")
        # Taken before any component opens the archive; LockBusyError stops the crawl from starting.
        lock = JobLock(path, job_name(settings, crawler.spidercls)).acquire()
        if lock.taken_over is not None:
            logger.warning("%s: %s", lock.path, lock.taken_over)
        ext = cls(lock)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def engine_stopped(self) -> None:
        self.lock.release()

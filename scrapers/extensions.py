"""A one-line progress report for people watching a crawl in a terminal."""

from __future__ import annotations

import sys
import time
from typing import Self, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.extensions.closespider import CloseSpider
from scrapy.http import Request, Response
from scrapy.spiders import Spider
from scrapy.statscollectors import StatsCollector
from twisted.internet import task


def progress_line(stats: StatsCollector, elapsed: float) -> str:
    def get(key: str) -> int:
        return int(stats.get_value(key, 0) or 0)

    failed = sum(int(v) for k, v in stats.get_stats().items() if k.startswith("archive/failed/"))
    records = get("import/records")  # an import (scrapers/spiders/warc.py) reads records, fetches nothing
    pages = records or get("response_received_count") - get("media/responses")
    rate = pages / elapsed if elapsed > 0 else 0.0
    return (
        f"[{int(elapsed) // 60:02d}:{int(elapsed) % 60:02d}] {'records' if records else 'pages'} {pages} "
        f"({rate:.1f}/s) | "
        f"articles new {get('archive/articles/new')} changed {get('archive/articles/changed')} "
        f"unchanged {get('archive/articles/unchanged')} | already archived "
        f"{get('frontier/skipped/archived')} | errors {failed}"
    )


class CrawlProgress:
    def __init__(self, stats: StatsCollector, interval: float, stream: TextIO) -> None:
        self.stats = stats
        self.interval = interval
        self.stream = stream
        self.started = time.monotonic()
        self._task: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("PROGRESS_ENABLED"):
            raise NotConfigured("PROGRESS_ENABLED is off")
        assert crawler.stats is not None
        ext = cls(crawler.stats, crawler.settings.getfloat("PROGRESS_INTERVAL"), sys.stderr)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self) -> None:
        self.started = time.monotonic()
        self._task = task.LoopingCall(self.report)
        self._task.start(self.interval, now=False)

    def report(self) -> None:
        print(progress_line(self.stats, time.monotonic() - self.started), file=self.stream, flush=True)

    def spider_closed(self) -> None:
        if self._task is not None and self._task.running:
            self._task.stop()
        self.report()


class PageCloseSpider(CloseSpider):
    """Scrapy's CloseSpider, with CLOSESPIDER_PAGECOUNT (``--max-pages``) counting pages only: an
    article's photos (requests marked ``page_kind: media`` by pipelines/media.py) are not pages."""

    def page_count(self, response: Response, request: Request, spider: Spider) -> None:
        if request.meta.get("page_kind") == "media":
            return
        super().page_count(response, request, spider)

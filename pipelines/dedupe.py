"""Drops an article already seen in this run under another URL (same key or canonical URL)."""

from __future__ import annotations

from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from scrapers.items import PageItem


class DeduplicatePipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        # hash() of each key and canonical URL, not the strings: on a 100k-article crawl the strings
        # were ~25 MB of the crawl's growth; a 64-bit collision in one run is ~n^2 / 2^65.
        self.seen: set[int] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not (isinstance(item, PageItem) and item.article is not None):
            return item
        article = item.article
        keys = {hash(article.key), hash(article.canonical_url or article.url)}
        if item.captured:  # captures of one article at other times are its versions
            keys = {hash((k, item.fetched_at)) for k in keys}
        if keys & self.seen:
            self.stats.inc_value("archive/dropped/duplicate")
            raise DropItem(f"duplicate of an article already archived in this run: {item.url}", log_level="INFO")
        self.seen |= keys
        return item

"""Rejects parsed articles that are not worth archiving as articles, with a countable reason."""

from __future__ import annotations

import logging
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from scrapers.items import PageItem

logger = logging.getLogger(__name__)


class ItemRejected(DropItem):
    """A dropped page that is still recorded in the archive as a failure with ``reason``."""

    def __init__(self, reason: str, url: str) -> None:
        super().__init__(f"{reason}: {url}", log_level="INFO")  # our own warning says it once
        self.reason = reason


def rejection_reason(item: PageItem) -> str | None:
    article = item.article
    if article is None:
        return "not_parsed"
    if not article.url:
        return "no_url"
    if not article.body.strip():
        return "no_body"
    return None


class ValidateArticlePipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not (isinstance(item, PageItem) and item.kind == "article" and item.status == 200):
            return item
        reason = rejection_reason(item)
        if reason:
            self.stats.inc_value(f"archive/dropped/{reason}")
            logger.warning("dropped %s: %s", item.url, reason)
            raise ItemRejected(reason, item.url)
        return item

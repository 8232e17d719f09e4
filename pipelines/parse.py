"""Parses article pages into ``Article`` objects with the spider's site profile."""

from __future__ import annotations

import logging
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from scrapers.items import FailureItem, PageItem
from scrapers.parsers import parse_article
from scrapers.sites import SiteProfile

logger = logging.getLogger(__name__)


class ParseArticlePipeline:
    def __init__(self, crawler: Crawler, stats: StatsCollector) -> None:
        self.crawler = crawler
        self.stats = stats
        self.profile: SiteProfile | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(crawler, crawler.stats)

    def open_spider(self) -> None:
        self.profile = getattr(self.crawler.spider, "profile", None)

    def process_item(self, item: Any) -> Any:
        if not (isinstance(item, PageItem) and item.kind == "article" and item.status == 200):
            return item
        try:
            item.article = parse_article(item.body, item.url, self.profile, content_type=item.content_type)
        except Exception as exc:  # a parser bug must not lose the page: it is archived as a failure
            logger.exception("parse failed for %s", item.url)
            self.stats.inc_value("archive/failed/parse_error")
            return FailureItem(
                url=item.url, reason="parse_error", status=item.status,
                detail=f"{type(exc).__name__}: {exc}"[:500], fetched_at=item.fetched_at, page=item,
            )
        self.stats.inc_value("parse/articles")
        return item

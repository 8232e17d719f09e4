"""Spider middleware: an article candidate the page-type check does not confirm is kept as a page.

The generic spider guesses articles from their URLs and marks those requests ``confirm_article``;
after the fetch, :mod:`scrapers.parsers.pagetype` decides. A listing, tag, author or search page
found that way stays in ``pages`` (its links are followed all the same) and is counted in
``archive/dropped/not_article``; it is not parsed or archived as an article.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from scrapers.items import PageItem
from scrapers.parsers.pagetype import page_type

logger = logging.getLogger(__name__)


class PageTypeFilter:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("PAGETYPE_ENABLED", True):
            raise NotConfigured("PAGETYPE_ENABLED is off")
        assert crawler.stats is not None
        return cls(crawler.stats)

    def _check(self, response: Response, obj: Any) -> Any:
        if not (
            isinstance(obj, PageItem) and obj.kind == "article" and obj.status == 200
            and response.meta.get("confirm_article")
        ):
            return obj
        found = page_type(obj.body, obj.url, obj.content_type)
        if found.is_article:
            self.stats.inc_value("pagetype/article")
            return obj
        obj.kind = "listing" if found.kind == "listing" else "page"
        self.stats.inc_value("archive/dropped/not_article")
        logger.debug("not an article (%s, %.1f: %s): %s", found.kind, found.score, "; ".join(found.reasons), obj.url)
        return obj

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        return (self._check(response, obj) for obj in result)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for obj in result:
            yield self._check(response, obj)

"""Spider middleware: marks the generic spider's article candidates for the page-type check.

The generic spider guesses articles from their URLs and marks those requests ``confirm_article``.
This middleware passes the mark on to the page (``PageItem.confirm_article``); the parse pipeline
then runs :mod:`scrapers.parsers.pagetype` in its worker processes, on the same tree it parses the
article from (the check builds a whole tree: ~38 ms of CPU for a 260 KB page, which on the crawl's
own thread capped a generic crawl at ~26 pages/s). A listing, tag, author or search page found that
way stays in ``pages`` (its links are followed all the same) and is counted in
``archive/dropped/not_article``; it is not archived as an article. ``PAGETYPE_ENABLED = False``
turns the check off.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from scrapers.items import PageItem


class PageTypeFilter:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("PAGETYPE_ENABLED"):
            raise NotConfigured("PAGETYPE_ENABLED is off")
        return cls()

    def _check(self, response: Response, obj: Any) -> Any:
        if (
            isinstance(obj, PageItem) and obj.kind == "article" and obj.status == 200
            and response.meta.get("confirm_article")
        ):
            obj.confirm_article = True
            obj.evidence = response.meta.get("article_evidence")
        return obj

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        return (self._check(response, obj) for obj in result)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for obj in result:
            yield self._check(response, obj)

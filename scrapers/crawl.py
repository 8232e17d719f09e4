"""Library entry point for running one crawl in this process (the CLI's ``crawl`` uses it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings


class CrawlSetupError(ValueError):
    """The crawl could not start (unknown site, bad option)."""


@dataclass
class CrawlResult:
    finish_reason: str
    stats: dict[str, Any] = field(default_factory=dict)

    def count(self, key: str) -> int:
        return int(self.stats.get(key, 0) or 0)

    def failures_by_reason(self) -> dict[str, int]:
        prefix = "archive/failed/"
        return {k[len(prefix):]: int(v) for k, v in self.stats.items() if k.startswith(prefix)}


def crawl_settings(overrides: dict[str, Any]) -> Settings:
    settings = Settings()
    settings.setmodule("scrapers.settings", priority="project")
    settings.setdict({k: v for k, v in overrides.items() if v is not None}, priority="cmdline")
    return settings


def run_crawl(spider_name: str, overrides: dict[str, Any]) -> CrawlResult:
    """Runs the named spider to the end with the given settings; once per process (Twisted)."""
    process = CrawlerProcess(crawl_settings(overrides))
    names = process.spider_loader.list()
    if spider_name not in names:
        raise CrawlSetupError(f"unknown site {spider_name!r} (known: {', '.join(sorted(names))})")
    crawler = process.create_crawler(spider_name)
    process.crawl(crawler)
    process.start()
    assert crawler.stats is not None
    stats = crawler.stats.get_stats()
    return CrawlResult(str(stats.get("finish_reason", "unknown")), stats)

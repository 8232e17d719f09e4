"""A bare Scrapy spider: fetches a list of URLs and does nothing with them (the fetch-rate reference).

    .venv/bin/python bench/bare_spider.py URLS_FILE [-s NAME=VALUE ...]

URLS_FILE has one URL a line. The spider runs with the project's concurrency and politeness
settings (so the comparison with a real crawl is about what the crawl does with each page, not how
fast it may ask), but no pipelines, no spider or downloader middlewares of the project, no robots.txt
and no retries. Prints one JSON line: pages, seconds (Scrapy's own elapsed time, start to finish,
without interpreter start-up) and pages_per_s.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scrapers import settings as project  # noqa: E402

SETTINGS: dict[str, Any] = {
    "TWISTED_REACTOR": project.TWISTED_REACTOR,
    "CONCURRENT_REQUESTS": project.CONCURRENT_REQUESTS,
    "CONCURRENT_REQUESTS_PER_DOMAIN": project.CONCURRENT_REQUESTS_PER_DOMAIN,
    "CONCURRENT_ITEMS": project.CONCURRENT_ITEMS,
    "AUTOTHROTTLE_ENABLED": project.AUTOTHROTTLE_ENABLED,
    "AUTOTHROTTLE_START_DELAY": project.AUTOTHROTTLE_START_DELAY,
    "AUTOTHROTTLE_MAX_DELAY": project.AUTOTHROTTLE_MAX_DELAY,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": project.AUTOTHROTTLE_TARGET_CONCURRENCY,
    "DOWNLOAD_DELAY": project.DOWNLOAD_DELAY,
    "USER_AGENT": project.USER_AGENT,
    "ROBOTSTXT_OBEY": False,
    "RETRY_ENABLED": False,
    "HTTPERROR_ALLOW_ALL": True,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
}


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = urls

    async def start(self) -> Any:  # Scrapy 2.13+
        for url in self.urls:
            yield scrapy.Request(url, dont_filter=True)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        return iter(())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("urls", type=Path)
    parser.add_argument("-s", "--set", dest="sets", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    settings = dict(SETTINGS)
    for item in args.sets:
        name, _, value = item.partition("=")
        settings[name] = value
    urls = [line.strip() for line in args.urls.read_text().splitlines() if line.strip()]
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, urls=urls)
    process.start()
    assert crawler.stats is not None
    stats = crawler.stats.get_stats()
    pages = int(stats.get("response_received_count", 0))
    seconds = float(stats.get("elapsed_time_seconds", 0.0))
    print(json.dumps({"pages": pages, "seconds": seconds, "pages_per_s": pages / seconds if seconds else 0.0}))


if __name__ == "__main__":
    main()

"""Imports captures from WARC/ARC files: no network, the crawl's own pipelines do the rest.

The spider is given the records of one site (scrapers/importing.py groups them by the URL's host),
already sorted by capture time, and yields one ``PageItem`` per HTML response from ``start()``: the
parse workers, validation, deduplication and the archive writer then treat it exactly as a page the
crawl fetched, with the capture time as its fetch time. Two things keep versions in capture order
although parsing runs in parallel: captures are yielded in time order, and a URL's next capture is
held back until its previous one has left the pipelines (``_in_flight``). At most
``IMPORT_MAX_IN_FLIGHT`` items are in the pipelines at once (Scrapy applies no back-pressure to
items from ``start()``), which keeps memory flat however large the files.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any, BinaryIO

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from archive.store import Archive, fetch_time
from scrapers.archived_media import PhotoRecords
from scrapers.records import SKIP_ARCHIVED, SKIP_DUPLICATE, Capture, page_item, skip_reason
from scrapers.sites import SiteProfile
from scrapers.warcfiles import Entry, read_capture

_LATER = "SELECT 1 FROM pages WHERE url = ? AND last_fetched > ? LIMIT 1"
_ARCHIVED = (
    "SELECT 1 FROM pages WHERE url = ? AND content_hash = ? AND first_fetched <= ? AND last_fetched >= ? LIMIT 1"
)


class WarcImportSpider(scrapy.Spider):
    name = "warc-import"
    # Nothing is requested: the frontier has nothing to decide, robots.txt nothing to allow.
    custom_settings = {  # noqa: RUF012 (Scrapy's own attribute)
        "ROBOTSTXT_OBEY": False,
        "SPIDER_MIDDLEWARES": {"scrapers.middlewares.ArchiveFrontierMiddleware": None},
    }

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        # The pages come from files, and so do their photos (scrapers/archived_media.py): none is asked
        # of the live site, which may be gone (each one then cost retries: 77 s for 40 articles).
        # The whole dict at the spider's priority: CrawlerProcess.crawl() updates a crawler's settings
        # with its own (project priority), which would replace a dict left at that priority.
        middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
        middlewares["scrapers.archived_media.ArchivedMediaMiddleware"] = 10
        settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="spider")

    def __init__(
        self, *args: Any, records: list[tuple[str, Entry]] | None = None, profile: SiteProfile | None = None,
        archive_path: str = "", photo_records: PhotoRecords | None = None, **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.records = records or []  # (file path, entry), in capture order
        self.profile = profile
        self.archive_path = archive_path
        self.photo_records = photo_records or {}  # read by ArchivedMediaMiddleware
        self.max_in_flight = 32
        self._in_flight: Counter[str] = Counter()
        self._changed: asyncio.Event | None = None
        self._last: dict[int, int] = {}  # hash(url) -> hash of its previous capture's bytes

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> WarcImportSpider:
        kwargs.setdefault("archive_path", crawler.settings.get("ARCHIVE_PATH"))
        spider: WarcImportSpider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_in_flight = crawler.settings.getint("IMPORT_MAX_IN_FLIGHT")
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(spider._left_pipelines, signal=signal)
        return spider

    def _left_pipelines(self, item: Any, **_: Any) -> None:
        url = getattr(item, "url", None)
        if isinstance(url, str) and url in self._in_flight:
            self._in_flight[url] -= 1
            if self._in_flight[url] <= 0:
                del self._in_flight[url]
            if self._changed is not None:
                self._changed.set()

    async def _room_for(self, url: str) -> None:
        if self._changed is None:
            self._changed = asyncio.Event()
        while url in self._in_flight or self._in_flight.total() >= self.max_in_flight:
            self._changed.clear()
            await self._changed.wait()

    def _count(self, key: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(key)

    async def start(self) -> AsyncIterator[Any]:
        files: dict[str, BinaryIO] = {}
        archive = Archive.open(self.archive_path, readonly=True) if self.archive_path else None
        try:
            for path, entry in self.records:
                await self._room_for(entry.url)
                fh = files.get(path) or files.setdefault(path, open(path, "rb"))  # noqa: SIM115 (closed below)
                capture = read_capture(fh, entry.offset)
                self._count("import/records")
                reason = self._skip(capture, archive)
                if reason:
                    self._count(f"import/skipped/{reason}")
                    continue
                item = page_item(capture, self.profile)
                if archive is not None and self._older_than_archived(capture, archive):
                    # The archive holds a later fetch of this URL: as the article's current state this
                    # capture would put history backwards. Its raw page is kept (at its capture time).
                    item.kind = "page"
                    self._count("import/older_than_archived")
                self._in_flight[capture.url] += 1
                yield item
        finally:
            for fh in files.values():
                fh.close()
            if archive is not None:
                archive.close()

    def _older_than_archived(self, capture: Capture, archive: Archive) -> bool:
        when = fetch_time(capture.captured_at)
        return archive.conn.execute(_LATER, (capture.url, when)).fetchone() is not None

    def _skip(self, capture: Capture, archive: Archive | None) -> str | None:
        reason = skip_reason(capture)
        if reason:
            return reason
        digest = hashlib.sha256(capture.body).hexdigest()
        url_key, body_key = hash(capture.url), hash(digest)
        if self._last.get(url_key) == body_key:  # the same bytes as the URL's previous capture: nothing new
            return SKIP_DUPLICATE
        self._last[url_key] = body_key
        when = fetch_time(capture.captured_at)
        if archive is not None and archive.conn.execute(_ARCHIVED, (capture.url, digest, when, when)).fetchone():
            return SKIP_ARCHIVED  # imported before (or crawled with these very bytes at that time)
        return None

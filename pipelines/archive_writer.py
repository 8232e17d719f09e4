"""The single archive writer: buffers pages, articles and failures and writes them in batches.

One transaction per batch keeps FTS upkeep cheap; a crash loses at most the batch being written
and the one filling, which the next run fetches again because they are not in the archive.

Batches are written in a thread of their own (``ARCHIVE_WRITE_THREAD``, on by default), one at a
time, in order: SQLite, the full-text tokenizer and zlib release the GIL, so most of a batch's
work no longer takes the crawl thread's time (it was a fifth of it in a profile of a replica
crawl). While a batch is being written the next one fills up; the connection is only ever used by
one thread at a time (the crawl thread touches it again only once the writes are done).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector
from twisted.internet import task

from archive.cdx_progress import CdxProgress
from archive.errors import ArchiveError
from archive.media import MediaRecord
from archive.store import Archive, ArticleRecord, BatchResult, FailureRecord, PageRecord, RevisitRecord
from scrapers.conditional import RevisitItem
from scrapers.health import (
    EXIT_COULD_NOT_RUN,
    HealthSettings,
    Verdict,
    Yield,
    previous_yields,
    verdict,
    yield_drops,
)
from scrapers.items import FailureItem, PageItem
from scrapers.joblock import job_name
from scrapers.lock import holds

logger = logging.getLogger(__name__)
HOOK_ERROR = "parser_hook_error"  # a profile's parser hook raised: the page is archived with the profile's fields


def page_record(item: PageItem) -> PageRecord:
    return PageRecord(
        url=item.url, status=item.status, headers=item.headers, body=item.body,
        fetched_at=item.fetched_at, final_url=item.final_url, content_type=item.content_type,
    )


# Article pages that reached no article at all: they count against the extraction yield.
UNREADABLE = ("archive/dropped/no_body", "archive/dropped/not_parsed", "archive/failed/parse_error")
# BatchResult fields summed per run, and the stats that mirror them.
TOTALS = {
    "articles_new": "archive/articles/new", "articles_changed": "archive/articles/changed",
    "articles_unchanged": "archive/articles/unchanged", "pages_new": "archive/pages/new",
    "not_modified": "archive/articles/not_modified", "gone": "archive/articles/gone",
    "comments_new": "archive/comments/new", "comments_edited": "archive/comments/edited",
    "with_date": "archive/yield/with_date", "with_author": "archive/yield/with_author",
    "media_new": "archive/media/new", "media_bytes": "archive/media/bytes",
}


class ArchiveWriterPipeline:
    def __init__(
        self,
        crawler: Crawler,
        stats: StatsCollector,
        path: str,
        batch_size: int,
        flush_seconds: float,
        health: HealthSettings,
        write_thread: bool,
        media_dir: Path | None,
        media_buffer_bytes: int,
    ) -> None:
        self.crawler = crawler
        self.stats = stats
        self.path = path
        self.batch_size = batch_size
        self.flush_seconds = flush_seconds
        self.archive: Archive | None = None
        self.run_id: int | None = None
        self.pages: list[PageRecord] = []
        self.articles: list[ArticleRecord] = []
        self.failures: list[FailureRecord] = []
        self.revisits: list[RevisitRecord] = []
        # Image bytes ride in the batch of the article that first showed them (pipelines/media.py);
        # past media_buffer_bytes the batch is written early, so memory stays bounded.
        self.media: list[MediaRecord] = []
        self.media_bytes = 0
        self.media_dir = media_dir
        self.media_buffer_bytes = media_buffer_bytes
        # Where a CDX listing stands (scrapers/spiders/cdx.py): written with the captures before it.
        self.progress: list[CdxProgress] = []
        self.health = health
        self.site = "?"
        self.failed_by_reason: Counter[str] = Counter()
        self.totals: Counter[str] = Counter()
        self._flusher: task.LoopingCall | None = None
        self.write_error: str | None = None  # set when a batch could not be written: the crawl stops
        self.unwritten = 0  # items of the failed batch and everything after it
        self.write_thread = write_thread
        self._executor: ThreadPoolExecutor | None = None
        self._writing: Future[BatchResult] | None = None  # the batch in the writer thread
        self._writing_items = 0
        self._loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        path = settings.get("ARCHIVE_PATH")
        if not path:
            raise NotConfigured("ARCHIVE_PATH is not set")
        assert crawler.stats is not None
        writer = cls(
            crawler, crawler.stats, path,
            batch_size=settings.getint("ARCHIVE_BATCH_SIZE"),
            flush_seconds=settings.getfloat("ARCHIVE_FLUSH_SECONDS"),
            health=HealthSettings.from_settings(settings),
            write_thread=settings.getbool("ARCHIVE_WRITE_THREAD"),
            media_dir=Path(settings["MEDIA_DIR"]) if settings.get("MEDIA_DIR") else None,
            media_buffer_bytes=settings.getint("MEDIA_BUFFER_BYTES"),
        )
        crawler.signals.connect(writer.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(writer.spider_closed, signal=signals.spider_closed)
        return writer

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.archive = Archive.open(self.path)
        site = getattr(getattr(spider, "profile", None), "name", None) or (spider.name if spider else "?")
        self.site = site
        if spider is not None and holds(self.path, job_name(self.crawler.settings, type(spider))):
            # Holding the job lock, no other run of the site is alive: any still "running" was killed.
            for run_id in self.archive.interrupt_running_runs(site):
                logger.warning("run %d of %s was interrupted (its job is gone): marked so", run_id, site)
        self.run_id = self.archive.start_run(site, self._run_args(spider))
        self.stats.set_value("run/id", self.run_id)
        if self.write_thread:
            try:
                self._loop = asyncio.get_running_loop()
            except RuntimeError:  # not under the asyncio reactor: written on the crawl's thread
                logger.info("no asyncio loop: archive batches are written on the crawl's thread")
            else:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="archive-writer")
        self._flusher = task.LoopingCall(self.flush)
        self._flusher.start(self.flush_seconds, now=False)

    def _run_args(self, spider: Spider | None) -> dict[str, Any]:
        keys = ("CRAWL_BASE_URL", "CRAWL_LANGUAGES", "CRAWL_SECTIONS", "CRAWL_LIMIT", "RECRAWL_MODE")
        args: dict[str, Any] = {k: self.crawler.settings.get(k) for k in keys}
        args["spider"] = spider.name if spider else None
        return args

    def process_item(self, item: Any) -> Any:
        if isinstance(item, PageItem):
            self._add_page(item)
        elif isinstance(item, FailureItem):
            self._add_failure(item.url, item.reason, item.status, item.detail, item, item.attempts)
        elif isinstance(item, RevisitItem):
            self.revisits.append(RevisitRecord(item.url, item.outcome, item.fetched_at, item.reason))
            if item.page is not None:  # a takedown's 404 page is kept as evidence
                self.pages.append(page_record(item.page))
        elif isinstance(item, CdxProgress):
            self.progress.append(item)
        if self._buffered() >= self.batch_size or self.media_bytes >= self.media_buffer_bytes:
            self.flush()
        return item

    def _add_page(self, item: PageItem) -> None:
        if item.article is not None:
            self.articles.append(ArticleRecord(item.article, page_record(item), item.fetched_at, list(item.media)))
            if item.article.hook_error:
                self._hook_failed(item, item.article.hook_error)
        else:
            self.pages.append(page_record(item))
        self.media.extend(item.media_records)
        self.media_bytes += sum(len(m.data) for m in item.media_records)
        for f in item.media_failures:  # the article is archived; its broken images are failures
            self._add_failure(f.url, f.reason, f.status, f.detail, f)

    def _hook_failed(self, item: PageItem, error: str) -> None:
        """The profile's parser hook failed on the page: archived with the profile's fields, and the
        failure recorded (dated now, after the fetch, so the article written with it does not settle it)."""
        logger.warning("parser hook failed on %s: %s", item.url, error)
        self.failures.append(FailureRecord(item.url, HOOK_ERROR, item.status, error[:500], datetime.now(UTC)))
        self.failed_by_reason[HOOK_ERROR] += 1
        self.stats.inc_value(f"archive/failed/{HOOK_ERROR}")

    def _add_failure(
        self, url: str, reason: str, status: int | None, detail: str | None, item: FailureItem | PageItem,
        attempts: int = 1,
    ) -> None:
        page = item.page if isinstance(item, FailureItem) else item
        if page is not None:
            self.pages.append(page_record(page))
        self.failures.append(FailureRecord(url, reason, status, detail, item.fetched_at, attempts))
        self.failed_by_reason[reason] += 1
        self.stats.inc_value(f"archive/failed/{reason}")

    def item_dropped(self, item: Any, response: Any, exception: BaseException, spider: Spider) -> None:
        # Rejected pages are not articles, but the URL must still end up recorded with its reason.
        reason = getattr(exception, "reason", None)
        if reason and isinstance(item, PageItem):
            self._add_failure(item.url, reason, item.status, str(exception), item)

    def _buffered(self) -> int:
        return (len(self.pages) + len(self.articles) + len(self.failures) + len(self.revisits) + len(self.media)
                + len(self.progress))

    def flush(self) -> None:
        """Writes the buffers as one batch: handed to the writer thread (unless one is being written,
        then they wait for the next flush), or written here when there is no thread."""
        if self.archive is None or not self._buffered() or self._writing is not None:
            return
        if self.write_error is not None:  # the crawl is stopping: nothing more is written
            self._drop_buffers()
            return
        batch = (self.pages, self.articles, self.failures, self.revisits, self.media, self.progress)
        items = self._buffered()
        self.pages, self.articles, self.failures, self.revisits, self.media, self.progress = [], [], [], [], [], []
        self.media_bytes = 0
        if self._executor is None:
            try:
                result = self._write(*batch)
            except ArchiveError as exc:  # a full disk, a read-only file: the batch rolled back as a whole
                self._write_failed(exc, items)
                return
            self._count(result)
            return
        self._writing, self._writing_items = self._executor.submit(self._write, *batch), items
        self._writing.add_done_callback(self._written_soon)

    def _write(
        self, pages: list[PageRecord], articles: list[ArticleRecord], failures: list[FailureRecord],
        revisits: list[RevisitRecord], media: list[MediaRecord], progress: list[CdxProgress],
    ) -> BatchResult:
        assert self.archive is not None
        return self.archive.write_batch(
            pages, articles, failures, run_id=self.run_id, revisits=revisits, media=media, media_dir=self.media_dir,
            progress=progress,
        )

    def _written_soon(self, future: Future[BatchResult]) -> None:
        # Called in the writer thread: the outcome is handled on the crawl's thread.
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._written, future)

    def _written(self, future: Future[BatchResult]) -> None:
        if future is not self._writing:  # already handled by close_spider
            return
        self._writing = None
        try:
            result = future.result()
        except ArchiveError as exc:
            self._write_failed(exc, self._writing_items)
            return
        except Exception as exc:  # a bug, not the disk: the same stop, with the traceback in the log
            logger.exception("archive write failed", exc_info=exc)
            self._write_failed(ArchiveError(f"{type(exc).__name__}: {exc}"), self._writing_items)
            return
        self._count(result)
        if self._buffered() >= self.batch_size or self.media_bytes >= self.media_buffer_bytes:
            self.flush()

    def _count(self, result: BatchResult) -> None:
        for name, stat in TOTALS.items():
            value = getattr(result, name)
            self.totals[name] += value
            self.stats.inc_value(stat, value)

    def _drop_buffers(self) -> None:
        self.unwritten += self._buffered()
        self.pages, self.articles, self.failures, self.revisits, self.media, self.progress = [], [], [], [], [], []
        self.media_bytes = 0

    def _write_failed(self, exc: ArchiveError, items: int) -> None:
        """No silent loss: the crawl stops at once with the reason, exit 4; the archive keeps every
        batch written before, and the next run fetches again what this one could not write."""
        self.write_error = str(exc)
        self.unwritten += items
        self._drop_buffers()
        self.stats.set_value("run/write_error", self.write_error)
        logger.error("archive write failed, stopping the crawl: %s", exc)
        from scrapy.utils.defer import deferred_from_coro

        deferred_from_coro(self._stop_crawl())

    async def _stop_crawl(self) -> None:
        engine = self.crawler.engine
        if engine is None:
            return
        try:
            await engine.close_spider_async(reason="archive_write_failed")
        except RuntimeError as exc:  # the failed write was the final one: the crawl is closing already
            logger.info("crawl already closing (%s)", exc)

    def _judge(self, reason: str, pages: int) -> tuple[Yield | None, Verdict]:
        """This run's extraction yield and its verdict against the site's previous runs."""
        assert self.archive is not None and self.run_id is not None
        unreadable = sum(int(self.stats.get_value(key, 0) or 0) for key in UNREADABLE)
        stored = self.totals["articles_new"] + self.totals["articles_changed"]
        result = Yield.of(stored, self.totals["with_date"], self.totals["with_author"], unreadable)
        previous = previous_yields(self.archive, self.site, self.run_id, self.health)
        drops = yield_drops(result, previous, self.health)
        # A broken photo is the site's problem, not the crawl's: page failures alone make the verdict.
        page_failures = {k: v for k, v in self.failed_by_reason.items() if not k.startswith("media_")}
        return result, verdict(reason, pages, page_failures, drops, self.health)

    def close_spider(self) -> None:
        """The last batches, written before the crawl closes (and before the run record is)."""
        if self._flusher is not None and self._flusher.running:
            self._flusher.stop()
        while True:  # the batch in the thread, then what came in meanwhile
            self.flush()
            if self._writing is None:
                break
            wait([self._writing])
            self._written(self._writing)
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.archive is None or self.run_id is None:
            return
        if self.write_error is not None:
            self._close_after_write_error(reason)
            return
        # Photos are not pages: a run's page count (and the share of failed requests) leaves them out.
        # An import's pages are the records it read (scrapers/spiders/warc.py): no response at all.
        received = int(self.stats.get_value("response_received_count", 0))
        pages = (received - int(self.stats.get_value("media/responses", 0))
                 + int(self.stats.get_value("import/records", 0)))
        counts = {
            "pages": pages,
            "articles_new": self.totals["articles_new"],
            "articles_changed": self.totals["articles_changed"],
            "articles_unchanged": self.totals["articles_unchanged"],
            "failed": sum(self.failed_by_reason.values()),
            "failed_by_reason": dict(self.failed_by_reason),
            "not_modified": self.totals["not_modified"],
            "gone": self.totals["gone"],
            "comments_new": self.totals["comments_new"],
        }
        result, judged = self._judge(reason, int(pages))
        if result is not None:
            counts.update(yield_articles=result.articles, yield_body=result.body, yield_date=result.date,
                          yield_author=result.author)
            self.stats.set_value("run/yield", result.describe())
        counts.update(outcome=judged.outcome, exit_code=judged.exit_code, message=judged.message)
        for key in ("outcome", "exit_code", "message"):
            self.stats.set_value(f"run/{key}", counts[key])
        if judged.exit_code:
            logger.warning("run %s: %s", self.run_id, judged.message)
        self.archive.finish_run(self.run_id, reason, counts)
        self.archive.close()
        self.archive = None

    def _close_after_write_error(self, reason: str) -> None:
        assert self.archive is not None and self.run_id is not None
        message = (f"archive write failed: {self.write_error}; {self.unwritten} item(s) not written "
                   "(the archive keeps what was written before; a later run fetches the rest)")
        self.stats.set_value("archive/unwritten", self.unwritten)
        for key, value in (("outcome", "write_failed"), ("exit_code", EXIT_COULD_NOT_RUN), ("message", message)):
            self.stats.set_value(f"run/{key}", value)
        try:  # may fail too (the disk is still full): the run then stays "running", then "interrupted"
            self.archive.finish_run(self.run_id, "write_failed", {
                "outcome": "write_failed", "exit_code": EXIT_COULD_NOT_RUN, "message": message,
            })
        except ArchiveError as exc:
            logger.error("could not record the end of run %s: %s", self.run_id, exc)
        self.archive.close()
        self.archive = None

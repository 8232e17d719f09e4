"""Parses article pages into ``Article`` objects with the spider's site profile, off the reactor.

Parsing is CPU-bound and Scrapy runs every stage of a crawl on one thread, so parsing there takes
that thread's time from fetching and writing. Pages are parsed in worker processes instead
(``PARSE_WORKERS``, default one per core; ``0`` parses in the crawl's own process), driven straight
from the asyncio loop: one pipe per worker, a page is pickled onto it and the loop is told when the
answer is there (``loop.add_reader``). No helper threads (``concurrent.futures.ProcessPoolExecutor``
has two, whose GIL hand-offs cost the crawl's thread more than they saved), and each page's worker
is known, so a stuck one can be killed alone.

Two limits keep one hostile page from stalling the crawl; the page becomes a ``FailureItem`` (its raw
bytes are still archived) and the crawl goes on:

- ``PARSE_MAX_BYTES``: a larger body is not parsed at all: reason ``too_large``.
- ``PARSE_TIMEOUT`` (seconds): a parse that takes longer: reason ``parse_timeout``. Its worker is
  killed (SIGKILL) and replaced by a new one; the other workers go on. In-process
  (``PARSE_WORKERS=0``) a running parse cannot be stopped: the limit is only applied afterwards.

A worker that dies on its own (a crash, the OOM killer) is replaced too, and its page is a
``parse_error``.

This module imports no Scrapy at run time, so the workers only load the parsers. Workers start
through multiprocessing's forkserver, which imports the main module again: a script that runs a
crawl itself (rather than ``newsarchive crawl`` or ``scrapy crawl``) must keep its top level under
``if __name__ == "__main__":``, as with any use of multiprocessing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import time
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import urlsplit

from scrapers import settings as defaults
from scrapers.items import FailureItem, PageItem
from scrapers.parsers import parse_article
from scrapers.parsers.article import Article
from scrapers.parsers.pagetype import PageType
from scrapers.parsers.parse import parse_candidate
from scrapers.site_evidence import SiteEvidence
from scrapers.sites import SiteProfile

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

# Reasons recorded for pages that are not parsed (tests and the fault-tolerance suite rely on them).
TOO_LARGE = "too_large"
PARSE_TIMEOUT = "parse_timeout"
PARSE_ERROR = "parse_error"

# --- the worker side: runs in its own process -------------------------------------------------------


def parse_page(
    body: bytes, url: str, profile: SiteProfile | None, content_type: str | None, confirm: bool
) -> Article | PageType:
    """The Article, or for a candidate the page-type check does not confirm, its PageType."""
    if confirm:
        return parse_candidate(body, url, profile, content_type=content_type)
    return parse_article(body, url, profile, content_type=content_type)


def _serve(conn: Connection, profile: SiteProfile | None) -> None:
    """A worker's life: a page in, ("ok", Article | PageType) or ("error", message) out, until the pipe
    closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the crawl's to handle, not the workers'
    while True:
        try:
            body, url, content_type, confirm = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer: tuple[str, Any] = ("ok", parse_page(body, url, profile, content_type, confirm))
        except Exception as exc:
            answer = ("error", f"{type(exc).__name__}: {exc}")
        conn.send(answer)


# --- the crawl side -------------------------------------------------------------------------------


def default_workers() -> int:
    return os.cpu_count() or 1


def _workers_setting(value: Any) -> int:
    if value is None or value == "":
        return default_workers()
    workers = int(value)
    if workers < 0:
        raise ValueError(f"PARSE_WORKERS must be 0 or more, not {workers}")
    return workers


class WorkerDiedError(RuntimeError):
    pass


class _Worker:
    def __init__(self, context: Any, profile: SiteProfile | None) -> None:
        self.conn, child = multiprocessing.Pipe()
        self.process: BaseProcess = context.Process(target=_serve, args=(child, profile), daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class ParsePool:
    """Worker processes fed from the asyncio loop; ``restarts`` counts the workers killed or lost."""

    def __init__(self, workers: int, profile: SiteProfile | None) -> None:
        self.workers = workers
        self.profile = profile
        self.restarts = 0
        # forkserver: workers do not inherit the crawl's threads, sockets or memory.
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["scrapers.parsers"])
        self._all: list[_Worker] = [_Worker(self._context, profile) for _ in range(workers)]
        self._idle: asyncio.Queue[_Worker] | None = None

    def pids(self) -> list[int]:
        return [w.process.pid for w in self._all if w.process.pid is not None]

    def _replace(self, worker: _Worker, why: str) -> _Worker:
        worker.kill()
        self.restarts += 1
        logger.warning("parse worker %s killed (%s); starting a new one", worker.process.pid, why)
        fresh = _Worker(self._context, self.profile)
        self._all[self._all.index(worker)] = fresh
        return fresh

    async def parse(
        self, body: bytes, url: str, content_type: str | None, timeout: float, confirm: bool = False
    ) -> Article | PageType:
        """Parses one page in an idle worker (:func:`parse_page`); TimeoutError after `timeout` s (that
        worker is replaced)."""
        loop = asyncio.get_running_loop()
        if self._idle is None:  # created in the running loop
            self._idle = asyncio.Queue()
            for w in self._all:
                self._idle.put_nowait(w)
        worker = await self._idle.get()
        answer: asyncio.Future[tuple[str, Any]] = loop.create_future()

        def readable() -> None:
            loop.remove_reader(worker.conn.fileno())
            try:
                message = worker.conn.recv()
            except (EOFError, OSError) as exc:
                if not answer.done():
                    answer.set_exception(WorkerDiedError(f"the parse worker died ({type(exc).__name__})"))
                return
            if not answer.done():
                answer.set_result(message)

        keep: _Worker | None = worker
        try:
            try:
                worker.conn.send((body, url, content_type, confirm))
            except OSError as exc:
                raise WorkerDiedError(f"the parse worker is gone ({exc})") from None
            loop.add_reader(worker.conn.fileno(), readable)
            kind, value = await asyncio.wait_for(answer, timeout)
        except BaseException as exc:  # timeout, a dead worker, or the crawl cancelled: this worker is suspect
            with contextlib.suppress(OSError, ValueError):
                loop.remove_reader(worker.conn.fileno())
            keep = self._replace(worker, f"{type(exc).__name__} on {url}")
            raise
        finally:
            if keep is not None:
                self._idle.put_nowait(keep)
        if kind == "error":
            raise RuntimeError(value)
        assert isinstance(value, Article | PageType)
        return value

    def close(self) -> None:
        for worker in self._all:
            with contextlib.suppress(OSError, ValueError):
                worker.conn.close()  # the worker sees EOF and ends
        for worker in self._all:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout=5)


class ParseArticlePipeline:
    def __init__(
        self,
        crawler: Crawler | None,
        stats: StatsCollector | None,
        workers: int = 0,
        timeout: float = defaults.PARSE_TIMEOUT,
        max_bytes: int = defaults.PARSE_MAX_BYTES,
        min_confidence: float = defaults.PAGETYPE_MIN_CONFIDENCE,
        template_articles: int = defaults.PAGETYPE_TEMPLATE_ARTICLES,
    ) -> None:
        self.crawler = crawler
        # A candidate less sure than this to be an article is not archived as one (counted, logged).
        self.min_confidence = min_confidence
        self.evidence = SiteEvidence(template_articles)
        self.stats = stats
        self.workers = workers
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.profile: SiteProfile | None = None
        self.pool: ParsePool | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        settings = crawler.settings
        return cls(
            crawler,
            crawler.stats,
            workers=_workers_setting(settings.get("PARSE_WORKERS")),
            timeout=settings.getfloat("PARSE_TIMEOUT"),
            max_bytes=settings.getint("PARSE_MAX_BYTES"),
            min_confidence=settings.getfloat("PAGETYPE_MIN_CONFIDENCE"),
            template_articles=settings.getint("PAGETYPE_TEMPLATE_ARTICLES"),
        )

    def open_spider(self) -> None:
        spider = self.crawler.spider if self.crawler is not None else None
        self.profile = getattr(spider, "profile", None)
        if self.workers > 0:
            self.pool = ParsePool(self.workers, self.profile)
        logger.info("parsing in %s", f"{self.workers} worker process(es)" if self.workers else "the crawl's process")

    def close_spider(self) -> None:
        if self.pool is not None:
            if self.stats is not None:
                self.stats.set_value("parse/pool_restarts", self.pool.restarts)
            self.pool.close()
            self.pool = None

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)

    def _failure(self, item: PageItem, reason: str, detail: str) -> FailureItem:
        return FailureItem(
            url=item.url, reason=reason, status=item.status, detail=detail[:500], fetched_at=item.fetched_at, page=item,
        )

    async def process_item(self, item: Any) -> Any:
        if not (isinstance(item, PageItem) and item.kind == "article" and item.status == 200):
            return item
        if len(item.body) > self.max_bytes:
            logger.warning("not parsed, %d bytes > PARSE_MAX_BYTES %d: %s", len(item.body), self.max_bytes, item.url)
            return self._failure(item, TOO_LARGE, f"{len(item.body)} bytes; PARSE_MAX_BYTES is {self.max_bytes}")
        try:
            parsed = await (self._in_pool(item) if self.pool is not None else self._in_process(item))
        except TimeoutError:
            logger.warning("parse took over PARSE_TIMEOUT %.1f s: %s", self.timeout, item.url)
            return self._failure(item, PARSE_TIMEOUT, f"parse took over {self.timeout:g} s (PARSE_TIMEOUT)")
        except Exception as exc:  # a parser bug must not lose the page: it is archived as a failure
            logger.error("parse failed for %s: %s: %s", item.url, type(exc).__name__, exc)
            self._inc("archive/failed/parse_error")
            return self._failure(item, PARSE_ERROR, f"{type(exc).__name__}: {exc}")
        if isinstance(parsed, PageType):  # an article candidate that is surely something else
            return self._not_article(item, parsed.kind, f"{parsed.veto or parsed.kind} ({parsed.score:+.1f}: "
                                     f"{'; '.join(parsed.reasons)})")
        if item.confirm_article and not self._confirmed(item, parsed):
            return self._not_article(item, parsed.page_type, f"confidence {parsed.confidence:.2f} below "
                                     f"PAGETYPE_MIN_CONFIDENCE {self.min_confidence:g}")
        item.article = parsed
        self._inc("parse/articles")
        return item

    def _off_template(self, url: str) -> bool:
        """The profile declares the site's article URLs, and this is none of them."""
        patterns = self.profile.article_patterns if self.profile is not None else ()
        path = urlsplit(url).path
        return bool(patterns) and not any(p.search(path) for p in patterns)

    def _confirmed(self, item: PageItem, article: Article) -> bool:
        """A candidate's confidence, as what its site says changes it (scrapers/site_evidence.py); False
        when it is too low to archive the page as an article."""
        confidence, why = self.evidence.confidence(item.url, article.confidence, item.evidence,
                                                   off_template=self._off_template(item.url))
        if why:
            logger.debug("confidence %.2f -> %.2f, %s: %s", article.confidence, confidence, why, item.url)
            self._inc("pagetype/changed_by_site")
            article.confidence = confidence
        if article.confidence < self.min_confidence:
            return False
        self.evidence.learn(item.url, article.confidence)
        self._inc("pagetype/article" if article.confidence >= self.evidence.sure else "pagetype/probable_article")
        return True

    def _not_article(self, item: PageItem, kind: str, why: str) -> PageItem:
        """Kept as a page (its links were followed all the same), not archived as an article."""
        item.kind = "listing" if kind == "listing" else "page"
        self._inc("archive/dropped/not_article")
        logger.info("not an article: %s: %s", why, item.url)
        return item

    async def _in_process(self, item: PageItem) -> Article | PageType:
        started = time.perf_counter()
        parsed = parse_page(item.body, item.url, self.profile, item.content_type, item.confirm_article)
        if time.perf_counter() - started > self.timeout:
            raise TimeoutError
        return parsed

    async def _in_pool(self, item: PageItem) -> Article | PageType:
        assert self.pool is not None
        args = (item.body, item.url, item.content_type, self.timeout, item.confirm_article)
        try:
            return await self.pool.parse(*args)
        except WorkerDiedError:  # it may have died before this page (killed while idle): once more
            return await self.pool.parse(*args)

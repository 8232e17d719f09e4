"""A site's history from another web archive: list its captures through a CDX API, fetch each one's
original bytes, and hand them to the crawl's pipelines as the article's versions at capture time.

``newsarchive crawl SITE --from wayback`` (the Wayback Machine, or any pywb with ``--cdx URL``) or
``--from commoncrawl --collection CC-MAIN-…``. Plain Scrapy requests, not a CDX client library: the
project's downloader already does what a polite archive client needs (retries, 429 and 503 with
``Retry-After`` and backoff, robots.txt, AutoThrottle, download limits), and every fetch then shares
the crawl's failure accounting; the CDX protocol itself is three query parameters and two answer
shapes (scrapers/cdx.py).

How it goes, one CDX page at a time (``CDX_PAGE_SIZE`` rows, ``showResumeKey``):

- rows that are not the site's article URLs (the profile's patterns), not HTML, revisits, or the
  same bytes as the URL's previous capture are counted and skipped; so are captures already in the
  archive (a page of that URL fetched at that time): a re-run after ``kill -9`` fetches only the rest;
- a capture of a redirect or an error page is recorded as a failure (``capture_redirect``,
  ``capture_error``) with its status, never fetched nor archived as an article; a soft 404 (a 200
  that is no article) is dropped by validation like a live one, and recorded so;
- each URL's captures are fetched in time order, the next only once the previous has left the
  pipelines, so versions come out in capture order;
- once every capture of a page is through, the next page is asked for, and the listing's place
  (``archive/cdx_progress.py``) goes to the writer as an item: it is committed with those captures.
  A complete listing records its newest capture: the next run asks only from there (incremental).
"""

from __future__ import annotations

import io
from collections import deque
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro
from twisted.python.failure import Failure

from archive.cdx_progress import CdxProgress, read_progress
from archive.store import Archive, fetch_time
from scrapers.cdx import CdxError, CdxRow, CdxSource, listing_url, parse_listing, replay_url, url_pattern
from scrapers.failures import failure_reason
from scrapers.items import FailureItem, PageItem
from scrapers.offsite import site_host
from scrapers.records import (
    HTML_TYPES,
    SKIP_ARCHIVED,
    SKIP_DUPLICATE,
    SKIP_NOT_HTML,
    SKIP_REVISIT,
    Capture,
    cdx_timestamp,
    page_item,
    parse_capture_time,
    skip_reason,
)
from scrapers.sites import SiteProfile, load_profile
from scrapers.warcfiles import TRANSFER_HEADERS, read_capture

_DONE = "SELECT 1 FROM pages WHERE url = ? AND first_fetched <= ? AND last_fetched >= ? LIMIT 1"
SKIP_NOT_ARTICLE = "not_article_url"
CAPTURE_REDIRECT, CAPTURE_ERROR = "capture_redirect", "capture_error"


ORIGINAL_PREFIX = "x-archive-orig-"


def original_headers(response: Response) -> dict[str, str]:
    """The captured response's own headers: a replay server (the Wayback Machine, pywb) hands them on
    as ``X-Archive-Orig-*`` beside its own (Date, Memento-Datetime, Link...), which are not the site's."""
    headers = {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
    original = {k[len(ORIGINAL_PREFIX):]: v for k, v in headers.items() if k.lower().startswith(ORIGINAL_PREFIX)}
    if not original:
        return headers
    original = {k: v for k, v in original.items() if k.lower() not in TRANSFER_HEADERS}
    content_type = headers.get("Content-Type")
    return {**original, "Content-Type": content_type} if content_type else original


class CdxSpider(scrapy.Spider):
    name = "cdx"
    custom_settings = {  # noqa: RUF012 (Scrapy's own attribute)
        # Nothing for the live frontier to decide; archives are asked a few times a second at most.
        "SPIDER_MIDDLEWARES": {"scrapers.middlewares.ArchiveFrontierMiddleware": None},
        # Captures are the site's past: its photos are not asked of the live site (--images overrides).
        "MEDIA_IMAGES": "none",
        "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
        "DOWNLOAD_DELAY": 0.25,
        # A capture of a redirect or an error page is the site's history, not this crawl's failure.
        "HEALTH_IGNORE_FAILURES": ["http_404", "http_410", CAPTURE_REDIRECT, CAPTURE_ERROR],
    }

    def __init__(self, *args: Any, profile: SiteProfile, source: CdxSource, base_url: str | None = None,
                 since: str | None = None, until: str | None = None, page_size: int = 5000,
                 archive_path: str = "", languages: list[str] | None = None,
                 sections: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.source = source
        base = base_url or profile.base_url
        if not base:
            raise ValueError(f"profile {profile.name!r} has no base_url and none was given")
        self.pattern = url_pattern(base)
        self.listing = source.key(self.pattern)
        self.since, self.until, self.page_size = since, until, page_size
        self.archive_path = archive_path
        # The hosts requests may go to (scrapers/offsite.py): the CDX server and where captures are.
        self.hosts = {site_host(source.endpoint), site_host(source.replay)}
        self.languages, self.sections = set(languages or ()), set(sections or ())
        self.queues: dict[str, deque[CdxRow]] = {}
        self.outstanding = 0  # items of the current CDX page not yet through the pipelines
        self.next_key: str | None = None
        self.newest: str | None = None
        self.pages_listed = 0
        self.fetch_failed = False
        self._last_digest: dict[str, str] = {}
        self._archive: Archive | None = None
        self._listed_failures: set[int] = set()  # id() of failures made from CDX rows (no fetch)
        self.dispatching = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> CdxSpider:
        s = crawler.settings
        dirs = tuple(Path(p) for p in s.getlist("SITE_PROFILE_DIRS"))
        kwargs.setdefault("profile", load_profile(str(s.get("CRAWL_PROFILE")), dirs))
        kwargs.setdefault("source", CdxSource.make(str(s.get("CDX_SOURCE")), s.get("CDX_SERVER"),
                                                   s.get("CDX_COLLECTION"), s.get("CDX_REPLAY")))
        kwargs.setdefault("base_url", s.get("CRAWL_BASE_URL"))
        kwargs.setdefault("since", s.get("CDX_SINCE"))
        kwargs.setdefault("until", s.get("CDX_UNTIL"))
        kwargs.setdefault("page_size", s.getint("CDX_PAGE_SIZE"))
        kwargs.setdefault("archive_path", s.get("ARCHIVE_PATH"))
        kwargs.setdefault("languages", s.getlist("CRAWL_LANGUAGES"))
        kwargs.setdefault("sections", s.getlist("CRAWL_SECTIONS"))
        spider: CdxSpider = super().from_crawler(crawler, *args, **kwargs)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(spider._left_pipelines, signal=signal)
        crawler.signals.connect(spider._closed, signal=signals.spider_closed)
        return spider

    # --- the listing ----------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        self._archive = Archive.open(self.archive_path, readonly=True) if self.archive_path else None
        done = read_progress(self._archive.conn, self.listing) if self._archive else None
        resume = None
        if done is not None and not done.complete:  # a listing cut short: on from its last safe key
            self.since, resume = done.since, done.resume_key
            self.logger.warning("resuming the listing of %s from %s", self.listing,
                                f"resume key {resume}" if resume else "its start (captures done are skipped)")
        elif done is not None and done.newest:
            # Incremental: only captures after the newest one listed (`from` counts whole seconds and
            # includes its own: a second later, or that capture's skipped duplicates would come back).
            after = cdx_timestamp(parse_capture_time(done.newest) + timedelta(seconds=1))
            self.since = max(after, self.since or "")
        yield self._listing_request(resume)

    def _listing_request(self, resume_key: str | None, limit: int | None = None,
                         checkpoint: CdxProgress | None = None) -> scrapy.Request:
        url = listing_url(self.source.endpoint, self.pattern, self.since, self.until,
                          self.page_size if limit is None else limit, resume_key)
        return scrapy.Request(url, callback=self.parse_listing, errback=self.listing_failed, priority=20,
                              dont_filter=True, meta={"checkpoint": checkpoint, "limit": limit})

    def parse_listing(self, response: Response) -> Iterator[Any]:
        if response.meta.get("checkpoint") is not None:
            yield response.meta["checkpoint"]
        try:
            page = parse_listing(response.body)
        except CdxError as exc:
            self._stop(f"the CDX server's answer is unreadable: {exc} ({response.url})")
            return
        self.pages_listed += 1
        self._count("cdx/rows", len(page.rows))
        limit = response.meta.get("limit")
        if page.resume_key is None and limit != 0 and self.page_size and len(page.rows) >= self.page_size:
            # A full page and no resume key: the server does not page that way (pywb): all at once.
            self.logger.info("the CDX server gave no resume key: asking for the whole listing at once")
            yield self._listing_request(None, limit=0)
            return
        self.next_key = page.resume_key
        self.dispatching = True  # items may leave the pipelines before the last row is dispatched
        yield from self._dispatch_page(page.rows)
        self.dispatching = False
        if self.outstanding == 0:
            yield self._after_page()

    def _dispatch_page(self, rows: list[CdxRow]) -> Iterator[Any]:
        for row in rows:
            if self.newest is None or row.timestamp > self.newest:
                self.newest = row.timestamp
            reason = self._skip(row)
            if reason:
                self._count(f"cdx/skipped/{reason}")
                continue
            self.outstanding += 1
            if row.status != "200":
                failure = self._capture_failure(row)
                self._listed_failures.add(id(failure))
                yield failure
            elif row.url in self.queues:
                self.queues[row.url].append(row)
            else:
                self.queues[row.url] = deque()
                yield self._capture_request(row)

    def _skip(self, row: CdxRow) -> str | None:
        parts = urlsplit(row.url)
        match = self.profile.classify_path(parts.path)
        if match is None or match.kind != "article" or parts.query:
            return SKIP_NOT_ARTICLE
        if (self.languages and match.lang and match.lang not in self.languages) or (
                self.sections and match.section and match.section not in self.sections):
            return SKIP_NOT_ARTICLE
        if row.status in ("-", "") or "revisit" in row.mime:
            return SKIP_REVISIT
        if row.status == "200" and row.mime and row.mime.split(";")[0].strip().lower() not in HTML_TYPES:
            return SKIP_NOT_HTML
        if row.digest and self._last_digest.get(row.url) == row.digest:
            return SKIP_DUPLICATE
        if row.digest:
            self._last_digest[row.url] = row.digest
        when = fetch_time(parse_capture_time(row.timestamp))
        if self._archive is not None and self._archive.conn.execute(_DONE, (row.url, when, when)).fetchone():
            return SKIP_ARCHIVED
        return None

    def _after_page(self) -> scrapy.Request | CdxProgress:
        """Every capture of the page is through: the next page carrying the place reached, or at the
        end the listing's last place, for the writer."""
        if self.next_key:
            key, self.next_key = self.next_key, None
            return self._listing_request(key, checkpoint=CdxProgress(self.listing, self.since, key, None))
        # A fetch that failed (the archive answered 503 to the end...) keeps the listing open: the next run
        # lists it again and fetches what is missing.
        return CdxProgress(self.listing, self.since, None, self.newest, complete=not self.fetch_failed)

    def listing_failed(self, failure: Failure) -> None:
        reason, _, detail = failure_reason(failure)
        self._stop(f"the CDX server did not answer ({reason}: {detail}) at {failure.request.url}")  # type: ignore[attr-defined]

    def _stop(self, message: str) -> None:
        """One line, and the listing stays where its last complete page left it."""
        assert self.crawler.stats is not None
        self.logger.error("%s", message)
        self.crawler.stats.set_value("cdx/error", message)
        self.crawler.stats.set_value("cdx/error_exit", 4 if self.pages_listed == 0 else 3)

    # --- the captures ---------------------------------------------------------------------------

    def _capture_request(self, row: CdxRow) -> scrapy.Request:
        headers = {}
        if self.source.kind == "commoncrawl" and row.offset is not None and row.length:
            headers["Range"] = f"bytes={row.offset}-{row.offset + row.length - 1}"
        return scrapy.Request(replay_url(self.source, row), headers=headers, callback=self.parse_capture,
                              errback=self.capture_failed, dont_filter=True, priority=10,
                              meta={"row": row, "dont_redirect": True})

    def parse_capture(self, response: Response) -> Iterator[Any]:
        row: CdxRow = response.meta["row"]
        try:
            capture = self._capture_of(response, row)
        except Exception as exc:  # a damaged record in a WARC byte range: recorded, the crawl goes on
            yield self._failure(row, "capture_unreadable", None, f"{type(exc).__name__}: {exc}"[:300])
            return
        reason = skip_reason(capture)
        if reason:
            status = capture.status
            yield self._failure(row, CAPTURE_REDIRECT if 300 <= status < 400 else CAPTURE_ERROR, status,
                                f"the capture is {reason} ({status}, {capture.media_type or 'no type'})",
                                page_item(capture, self.profile))
            return
        yield page_item(capture, self.profile)

    def _capture_of(self, response: Response, row: CdxRow) -> Capture:
        if self.source.kind == "commoncrawl":
            body = response.body
            if response.status == 200 and row.offset is not None and row.length:  # the server ignored Range
                body = body[row.offset: row.offset + row.length]
            return read_capture(io.BytesIO(body), 0)
        return Capture(url=row.url, captured_at=parse_capture_time(row.timestamp), status=response.status,
                       headers=original_headers(response), body=response.body)

    def _capture_failure(self, row: CdxRow) -> FailureItem:
        status = int(row.status) if row.status.isdigit() else None
        reason = CAPTURE_REDIRECT if status and 300 <= status < 400 else CAPTURE_ERROR
        capture = Capture(row.url, parse_capture_time(row.timestamp), status or 0,
                          {"Content-Type": row.mime} if row.mime else {}, b"")
        return self._failure(row, reason, status, f"captured as HTTP {row.status} ({self.source.kind})",
                             page_item(capture, self.profile))

    def _failure(self, row: CdxRow, reason: str, status: int | None, detail: str,
                 page: PageItem | None = None) -> FailureItem:
        return FailureItem(url=row.url, reason=reason, status=status, detail=detail,
                           fetched_at=parse_capture_time(row.timestamp), page=page)

    def capture_failed(self, failure: Failure) -> Iterator[FailureItem]:
        row: CdxRow = failure.request.meta["row"]  # type: ignore[attr-defined]
        reason, status, detail = failure_reason(failure)
        self.fetch_failed = True
        self.logger.warning("capture %s %s not fetched: %s", row.timestamp, row.url, detail)
        yield self._failure(row, reason, status, f"{detail} from {self.source.kind}")

    # --- bookkeeping ----------------------------------------------------------------------------

    def _left_pipelines(self, item: Any, **_: Any) -> None:
        if isinstance(item, CdxProgress) or not isinstance(getattr(item, "url", None), str):
            return
        self.outstanding -= 1
        engine = self.crawler.engine
        assert engine is not None and self.crawler.stats is not None
        if id(item) in self._listed_failures:  # recorded from its CDX row: nothing was fetched
            self._listed_failures.discard(id(item))
        elif item.url in self.queues:  # a fetched capture is through: that URL's next one
            queue = self.queues[item.url]
            if queue:
                engine.crawl(self._capture_request(queue.popleft()))
            else:
                del self.queues[item.url]
        if self.outstanding == 0 and not self.dispatching and not self.crawler.stats.get_value("cdx/error"):
            after = self._after_page()
            if isinstance(after, scrapy.Request):
                engine.crawl(after)
            else:  # no response to yield it from: handed to the pipelines as a start() item would be
                deferred_from_coro(engine.scraper.start_itemproc_async(after, response=None))

    def _count(self, key: str, n: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(key, n)

    def _closed(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._archive = None

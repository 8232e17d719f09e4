"""Article photos, fetched with Scrapy's own FilesPipeline and kept in the archive (MEDIA_IMAGES).

The requests are Scrapy's (``FilesPipeline`` downloads through the engine): the crawl's politeness
(AutoThrottle, per-domain concurrency, delays), retries and robots.txt apply to them as to pages.
What is ours:

- which images (``scrapers/media_policy.py``: captioned or all, from allowed hosts only);
- the checks on the bytes (``archive/imageinfo.py``: type from magic numbers, dimensions from the
  header, truncation, decompression bombs, active SVG); the cap is Scrapy's ``download_maxsize``
  per request (``MEDIA_MAX_BYTES``), so an endless response is cut there and memory stays bounded;
- the store, ``ArchiveMediaStore`` (pipelines/media_store.py, Scrapy's ``FilesStoreProtocol``):
  ``stat_file`` asks the archive whether the URL is already stored (then it is not fetched again: a
  re-crawl fetches an image only when the article's image URL changed, or, past
  ``MEDIA_REVALIDATE_DAYS``, when a conditional request says it changed); ``persist_file`` stages
  the checked bytes, which then travel with their article to the archive's single writer
  (pipelines/archive_writer.py) and are written in the article's batch transaction. Nothing here
  writes to the archive.

A refused or failed image becomes a failure of its URL (``media_<reason>``, in ``failures``); the
article is archived all the same. Off for distributed workers (their items go through Redis).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from io import BytesIO
from typing import Any, ClassVar, NoReturn, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError, NotConfigured
from scrapy.http import Request, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.pipelines.files import FilesPipeline, FilesStoreProtocol
from scrapy.pipelines.media import FileException, FileInfo, FileInfoOrError, MediaPipeline
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from archive.imageinfo import MediaProblem, check
from archive.media import MediaLink, sha256_of
from pipelines.media_store import URL_PATH, ArchiveMediaStore
from scrapers.failures import TOO_LARGE_META, failure_reason
from scrapers.items import FailureItem, PageItem
from scrapers.media_policy import POLICIES, HostPolicy, wanted_images

logger = logging.getLogger(__name__)

class MediaFailed(FileException):
    """An image not archived, with its countable reason (``http_404``, ``not_image``, ``too_large``...)."""

    def __init__(self, reason: str, status: int | None, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.status = status
        self.detail = detail


def _quiet_refusals(record: logging.LogRecord) -> bool:
    """Scrapy's media pipeline logs every failed download with its traceback; a refused photo already
    has its one line (MediaFailed, logged by _fail), so Scrapy's copy of it is dropped."""
    exc = record.exc_info[1] if record.exc_info else None
    if isinstance(record.msg, Failure):
        exc = record.msg.value
    return not isinstance(exc, MediaFailed)


class ArchiveMediaPipeline(FilesPipeline):
    STORE_SCHEMES: ClassVar[dict[str, type[FilesStoreProtocol]]] = {
        **FilesPipeline.STORE_SCHEMES, "archive": ArchiveMediaStore,
    }
    store: ArchiveMediaStore

    def __init__(
        self, store_uri: str, *, crawler: Crawler, policy: str, hosts: tuple[str, ...], max_bytes: int,
        max_pixels: int, revalidate_days: int,
    ) -> None:
        super().__init__(store_uri, crawler=crawler)
        self.policy = policy
        self.extra_hosts = hosts
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        self.hosts = HostPolicy(())
        # FilesPipeline's expiry, in days: a stored photo older than this is asked again, conditionally.
        self.expires = revalidate_days if revalidate_days >= 0 else self.expires
        self.store.revalidate = revalidate_days >= 0
        self._requested: dict[int, list[tuple[int | None, str]]] = {}
        self._failed_urls: set[int] = set()  # hash() of image URLs already recorded as failed this run

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        policy = str(settings.get("MEDIA_IMAGES"))
        if policy not in POLICIES:
            raise ValueError(f"MEDIA_IMAGES: {policy!r} is not one of {', '.join(POLICIES)}")
        if policy == "none":
            raise NotConfigured("MEDIA_IMAGES is none: no photos fetched")
        if settings.get("DISTRIBUTED_REDIS_URL"):
            raise NotConfigured("photos are not fetched by distributed workers")
        path = settings.get("ARCHIVE_PATH")
        if not path:
            raise NotConfigured("ARCHIVE_PATH is not set")
        hosts = tuple(str(h).strip().lower() for h in settings.getlist("MEDIA_HOSTS") if str(h).strip())
        return cls(
            f"archive://{path}", crawler=crawler, policy=policy, hosts=hosts,
            max_bytes=settings.getint("MEDIA_MAX_BYTES"), max_pixels=settings.getint("MEDIA_MAX_PIXELS"),
            revalidate_days=settings.getint("MEDIA_REVALIDATE_DAYS"),
        )

    def open_spider(self, spider: Any = None) -> None:
        super().open_spider()
        logging.getLogger("scrapy.pipelines.media").addFilter(_quiet_refusals)
        spider = self.crawler.spider
        profile = getattr(spider, "profile", None)
        site = [getattr(profile, "domain", None), getattr(spider, "host", None)]
        site += list(getattr(spider, "allowed_domains", None) or [])
        self.hosts = HostPolicy(tuple(str(h).lower() for h in site if h), self.extra_hosts)

    def close_spider(self, spider: Any = None) -> None:
        logging.getLogger("scrapy.pipelines.media").removeFilter(_quiet_refusals)
        self.store.close()

    # --- which requests -----------------------------------------------------------------------

    def get_media_requests(self, item: Any, info: MediaPipeline.SpiderInfo) -> list[Request]:
        if not (isinstance(item, PageItem) and item.article is not None and item.kind == "article"):
            return []
        requested: list[tuple[int | None, str]] = []
        requests = []
        for position, url in wanted_images(item.article, self.policy):
            refusal = self.hosts.refusal(url, item.url)
            if refusal:
                self._fail(item, url, MediaFailed(refusal, None, f"not fetched: {refusal.replace('_', ' ')}"))
                continue
            requested.append((position, url))
            requests.append(Request(
                url, callback=NO_CALLBACK, headers={"Referer": item.url},
                # allow_offsite: our host policy decides (CDNs are other domains).
                meta={"download_maxsize": self.max_bytes, "download_warnsize": 0, "allow_offsite": True,
                      "page_kind": "media"},
            ))
        if requests:
            self._requested[id(item)] = requested
        return requests

    def file_path(
        self, request: Request, response: Response | None = None, info: MediaPipeline.SpiderInfo | None = None,
        *, item: Any = None,
    ) -> str:
        """Before the download: the URL (looked up in the archive); after: the bytes' SHA-256."""
        return URL_PATH + request.url if response is None else sha256_of(response.body)

    def media_to_download(
        self, request: Request, info: MediaPipeline.SpiderInfo, *, item: Any = None
    ) -> Deferred[FileInfo | None] | None:
        """FilesPipeline's look-up; a stored photo past its expiry is asked with its validators."""
        looked_up = super().media_to_download(request, info, item=item)
        if looked_up is None:
            return None

        def conditional(result: FileInfo | None) -> FileInfo | None:
            known = self.store.known.get(request.url)
            if result is None and known is not None:
                if known.etag:
                    request.headers.setdefault(b"If-None-Match", known.etag.encode("latin-1"))
                if known.last_modified:
                    request.headers.setdefault(b"If-Modified-Since", known.last_modified.encode("latin-1"))
            else:
                self.store.known.pop(request.url, None)
            return result

        return looked_up.addCallback(conditional)

    # --- the bytes ----------------------------------------------------------------------------

    async def media_downloaded(
        self, response: Response, request: Request, info: MediaPipeline.SpiderInfo, *, item: Any = None
    ) -> FileInfo:
        """FilesPipeline's, with a reason for each refusal (and one log line, ours, in _fail)."""
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("media/responses")  # the crawl's page counts leave these out
        known = self.store.known.pop(request.url, None)
        if response.status == 304 and known is not None:  # asked conditionally: the stored bytes stand
            self.inc_stats("uptodate")
            return {"url": request.url, "path": known.sha256, "checksum": known.sha256, "status": "uptodate"}
        if response.status != 200:
            raise MediaFailed(f"http_{response.status}", response.status, f"HTTP {response.status}")
        page_url = item.url if isinstance(item, PageItem) else request.url
        refusal = self.hosts.address_refusal(str(response.ip_address) if response.ip_address else None, page_url)
        if refusal:
            raise MediaFailed(refusal, None, f"{request.url} resolved to {response.ip_address}")
        status = "cached" if "cached" in response.flags else "downloaded"
        self.inc_stats(status)
        checksum = self.file_downloaded(response, request, info, item=item)
        return {"url": request.url, "path": checksum, "checksum": checksum, "status": status}

    def file_downloaded(
        self, response: Response, request: Request, info: MediaPipeline.SpiderInfo, *, item: Any = None
    ) -> str:
        data = response.body
        if self.max_bytes and len(data) > self.max_bytes:
            raise MediaFailed("too_large", None, f"{len(data)} bytes, over MEDIA_MAX_BYTES ({self.max_bytes})")
        raw_type = response.headers.get(b"Content-Type")
        declared = raw_type.decode("latin-1").split(";")[0].strip().lower() if raw_type else None
        try:
            found = check(data, declared, self.max_pixels)
        except MediaProblem as exc:
            raise MediaFailed(exc.reason, None, f"{exc.detail} (served as {declared or 'no type'})") from None
        sha = sha256_of(data)
        etag, modified = response.headers.get(b"ETag"), response.headers.get(b"Last-Modified")
        meta = {
            "url": request.url, "content_type": found.content_type, "declared_type": declared,
            "width": found.width, "height": found.height, "fetched_at": datetime.now(UTC),
            "etag": etag.decode("latin-1") if etag else None,
            "last_modified": modified.decode("latin-1") if modified else None,
        }
        self.store.persist_file(sha, BytesIO(data), info, meta=meta)
        return sha

    def media_failed(self, failure: Failure, request: Request, info: MediaPipeline.SpiderInfo) -> NoReturn:
        self.store.known.pop(request.url, None)
        exc = failure.value
        for candidate in (exc, getattr(exc, "__cause__", None)):
            if isinstance(candidate, MediaFailed):
                raise candidate
        if isinstance(exc, DownloadCancelledError) or request.meta.get(TOO_LARGE_META):
            # A photo download is cancelled for one reason: its size (declared or received) passed the cap.
            raise MediaFailed("too_large", None, f"cut at MEDIA_MAX_BYTES ({self.max_bytes} bytes)")
        reason, status, detail = failure_reason(failure)
        raise MediaFailed(reason, status, detail)

    # --- results to the item --------------------------------------------------------------------

    def item_completed(self, results: list[FileInfoOrError], item: Any, info: MediaPipeline.SpiderInfo) -> Any:
        requested = self._requested.pop(id(item), [])
        stats = self.crawler.stats
        assert stats is not None
        for (position, url), (ok, value) in zip(requested, results, strict=True):
            if ok:
                sha = str(value["checksum"])  # type: ignore[index]
                record = self.store.take(sha)
                if record is not None:
                    item.media_records.append(record)
                item.media.append(MediaLink(url, sha, position))
                stats.inc_value(f"media/{value['status']}")  # type: ignore[index]
                continue
            exc = value.value  # type: ignore[union-attr]
            failed = exc if isinstance(exc, MediaFailed) else MediaFailed("error", None, str(exc)[:300])
            self._fail(item, url, failed)
        return item

    def _fail(self, item: PageItem, url: str, failed: MediaFailed) -> None:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(f"media/failed/{failed.reason}")
        if hash(url) in self._failed_urls:  # a second article showing the same broken image
            return
        self._failed_urls.add(hash(url))
        logger.warning("photo not archived (%s): %s: %s", failed.reason, url, failed.detail)
        item.media_failures.append(FailureItem(
            url, f"media_{failed.reason}", datetime.now(UTC), status=failed.status, detail=failed.detail[:500],
        ))

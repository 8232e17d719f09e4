"""Photos of an import come from the imported files, never from the live site.

A WARC written by a browser, wget or our own export holds the images the pages showed. The media
pipeline asks for each captioned photo as in a crawl (requests marked ``page_kind: media``); this
downloader middleware, enabled by the import spider only, answers them from the files' own image
records: the newest 200 capture of the URL. A photo the files do not hold is a failure of that photo
(``media_not_in_archive``), not a request to a site that may be gone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import BinaryIO, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response

from scrapers.failures import RefusedPage
from scrapers.records import Capture
from scrapers.warcfiles import read_photo

NOT_IN_ARCHIVE = "not_in_archive"
TOO_LARGE = "too_large"

# url -> [(capture time, file path, record offset)], oldest capture first
PhotoRecords = Mapping[str, Sequence[tuple[str, str, int]]]


class ArchivedMediaMiddleware:
    def __init__(self, crawler: Crawler, max_bytes: int) -> None:
        self.crawler = crawler
        self.max_bytes = max_bytes
        self._files: dict[str, BinaryIO] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = cls(crawler, crawler.settings.getint("MEDIA_MAX_BYTES"))
        crawler.signals.connect(middleware.close, signal=signals.spider_closed)
        return middleware

    def close(self) -> None:
        for fh in self._files.values():
            fh.close()
        self._files.clear()

    def _records(self) -> PhotoRecords:
        return getattr(self.crawler.spider, "photo_records", None) or {}

    def process_request(self, request: Request) -> Response | None:
        if request.meta.get("page_kind") != "media":
            return None
        capture = self._newest(request.url, hops=2)
        if capture is None:
            raise RefusedPage(NOT_IN_ARCHIVE, "the imported files hold no 200 capture of this photo")
        if len(capture.body) > self.max_bytes:
            raise RefusedPage(TOO_LARGE, f"the archived photo is over MEDIA_MAX_BYTES ({self.max_bytes} bytes)")
        return Response(request.url, status=200, headers=capture.headers, body=capture.body, request=request,
                        flags=["archived"])

    def _newest(self, url: str, hops: int) -> Capture | None:
        """The newest 200 capture of `url`, following a revisit to the URL it refers to (once)."""
        for _, path, offset in reversed(self._records().get(url, ())):
            fh = self._files.get(path) or self._files.setdefault(path, open(path, "rb"))  # noqa: SIM115 (closed in close)
            found = read_photo(fh, offset, self.max_bytes)
            if isinstance(found, str):
                original = self._newest(found, hops - 1) if hops > 1 and found and found != url else None
                if original is not None:
                    return original
            elif found.status == 200:
                return found
        return None

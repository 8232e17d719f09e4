"""The crawl as WARC files too (``newsarchive crawl ... --warc DIR``, setting ``WARC_DIR``).

A downloader middleware that sits next to the downloader (above Scrapy's decompression, retry and
redirect middlewares), so it records every response exactly as the crawl received it: gzip'd
bodies still gzip'd with their Content-Encoding, redirects, errors, robots.txt, responses retried
later.  Each becomes a ``request`` and a ``response`` record (warcio's writer), dated when it
arrived.  Files rotate past ``WARC_MAX_SIZE`` bytes; each starts with a ``warcinfo`` record and
is named ``.open`` while it is written (so a killed crawl's last file is recognisable), renamed to
``PREFIX-YYYYmmddHHMMSS-NNNNN.warc.gz`` when closed.

Two things are not as on the wire: Twisted has already removed the chunked transfer coding, so a
``Transfer-Encoding`` header is left out and ``Content-Length`` added when missing; the status line's
reason phrase is the standard one (Scrapy does not keep the server's).  A WARC write that fails
(a full disk) stops the crawl (finish reason ``warc_write_failed``, stat ``warc/errors``): a crawl
asked to keep a web archive does not go on without it.
"""

from __future__ import annotations

import http
import io
import logging
import os
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, BinaryIO, Self
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

logger = logging.getLogger(__name__)
OPEN_SUFFIX = ".open"


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


class RotatingWarc:
    """WARC files in `folder`, a new one (with its warcinfo record) past `max_size` bytes."""

    def __init__(self, folder: Path, prefix: str, max_size: int, info: dict[str, str]) -> None:
        self.folder, self.prefix, self.max_size, self.info = folder, prefix, max_size, info
        self.serial = 0
        self.started = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        self.file: BinaryIO | None = None
        self.writer: Any = None
        self.path: Path | None = None
        self.closed: list[Path] = []

    def _open(self) -> None:
        self.serial += 1
        name = f"{self.prefix}-{self.started}-{self.serial:05d}.warc.gz"
        self.path = self.folder / name
        self.file = (self.folder / (name + OPEN_SUFFIX)).open("xb")
        self.writer = WARCWriter(self.file, gzip=True, warc_version="1.1")
        self.writer.write_record(self.writer.create_warcinfo_record(name, self.info))

    def write_pair(self, request: Any, response: Any) -> None:
        if self.file is None:
            self._open()
        self.writer.write_request_response_pair(request, response)
        assert self.file is not None
        if self.file.tell() >= self.max_size:
            self.close()

    def record(self, *args: Any, **kwargs: Any) -> Any:
        """A record built by warcio's writer (opening the first file if need be)."""
        if self.file is None:
            self._open()
        return self.writer.create_warc_record(*args, **kwargs)

    def close(self) -> None:
        if self.file is None or self.path is None:
            return
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        os.replace(self.path.with_name(self.path.name + OPEN_SUFFIX), self.path)
        self.closed.append(self.path)
        self.file = None


def _headers(headers: Any) -> list[tuple[str, str]]:
    """Scrapy Headers as (name, value) pairs, a repeated header (Set-Cookie) once per value."""
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, values in headers.items() for v in values]


def response_headers(response: Response) -> StatusAndHeaders:
    pairs = [(k, v) for k, v in _headers(response.headers) if k.lower() != "transfer-encoding"]
    if not any(k.lower() == "content-length" for k, _ in pairs):
        pairs.append(("Content-Length", str(len(response.body))))
    try:
        phrase = http.HTTPStatus(response.status).phrase
    except ValueError:
        phrase = "Unknown"
    protocol = getattr(response, "protocol", None) or "HTTP/1.1"
    return StatusAndHeaders(f"{response.status} {phrase}", pairs, protocol=protocol)


def request_headers(request: Request) -> StatusAndHeaders:
    parts = urlsplit(request.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    pairs = _headers(request.headers)
    if not any(k.lower() == "host" for k, _ in pairs):
        pairs.insert(0, ("Host", parts.netloc))
    return StatusAndHeaders(f"{request.method} {target} HTTP/1.1", pairs, is_http_request=True)


class WarcRecorderMiddleware:
    """Writes every response of the crawl, with its request, to rotating WARC files."""

    def __init__(self, crawler: Crawler, files: RotatingWarc) -> None:
        self.crawler = crawler
        self.files = files
        self.failed: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        folder = crawler.settings.get("WARC_DIR")
        if not folder:
            raise NotConfigured("WARC_DIR is not set")
        path = Path(folder)
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # `newsarchive crawl --warc` checks this before starting; plain scrapy gets a log
            logger.error("no WARC files: cannot make WARC_DIR %s: %s", path, exc.strerror)
            raise NotConfigured(f"WARC_DIR {path}: {exc.strerror}") from None
        info = {
            "software": f"newsarchive/{_version('newsarchive')} (Scrapy/{_version('scrapy')}, "
                        f"warcio/{_version('warcio')})",
            "format": "WARC File Format 1.1",
            "robots": "obey" if crawler.settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "http-header-user-agent": str(crawler.settings.get("USER_AGENT") or ""),
        }
        files = RotatingWarc(path, crawler.settings.get("WARC_PREFIX") or "newsarchive",
                             crawler.settings.getint("WARC_MAX_SIZE"), info)
        mw = cls(crawler, files)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        if self.failed is None:
            try:
                self._write(request, response)
            except OSError as exc:
                self._fail(exc)
        return response

    def _write(self, request: Request, response: Response) -> None:
        extra = {"WARC-IP-Address": str(response.ip_address)} if response.ip_address else {}
        record = self.files.record(
            response.url, "response", payload=io.BytesIO(response.body), length=len(response.body),
            http_headers=response_headers(response), warc_headers_dict=extra,
        )
        asked = self.files.record(
            request.url, "request", payload=io.BytesIO(request.body), length=len(request.body),
            http_headers=request_headers(request),
        )
        self.files.write_pair(asked, record)
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value("warc/records", 2)
            stats.set_value("warc/files", self.files.serial)

    def _fail(self, exc: OSError) -> None:
        self.failed = f"{self.files.path}: {exc.strerror or exc}"
        logger.error("WARC write failed, stopping the crawl: %s", self.failed)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("warc/errors")
            self.crawler.stats.set_value("run/warc_error", self.failed)
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason="warc_write_failed"))

    def spider_closed(self) -> None:
        try:
            self.files.close()
        except OSError as exc:
            self._fail(exc)
        if self.files.closed:
            logger.info("WARC files written: %s", ", ".join(str(p) for p in self.files.closed))

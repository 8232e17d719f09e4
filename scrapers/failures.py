"""Turns a failed request into a short, countable reason (``http_404``, ``timeout``...)."""

from __future__ import annotations

import zlib

from scrapy import exceptions as scrapy_exc
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as net_error
from twisted.python.failure import Failure


class RefusedPage(scrapy_exc.IgnoreRequest):
    """A page the crawl refuses on purpose, with its reason (raised by scrapers/middlewares.py):
    ``not_html``, ``redirect_loop``, ``redirected_offsite``. An IgnoreRequest, so Scrapy calls the
    request's errback and logs no traceback."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


# Set by the download-size guard (scrapers/middlewares.py) on a request whose body outgrew
# DOWNLOAD_MAXSIZE: Scrapy then cancels the download without saying why.
TOO_LARGE_META = "download_too_large"

# Scrapy >= 2.13 wraps download errors in its own exceptions; Twisted's stay for older paths.
_REASONS: tuple[tuple[type[BaseException], str], ...] = (
    (scrapy_exc.DownloadTimeoutError, "timeout"),
    (net_error.TimeoutError, "timeout"),
    (scrapy_exc.CannotResolveHostError, "dns"),
    (net_error.DNSLookupError, "dns"),
    (scrapy_exc.DownloadConnectionRefusedError, "connection_refused"),
    (net_error.ConnectionRefusedError, "connection_refused"),
    (scrapy_exc.ResponseDataLossError, "data_loss"),
    (scrapy_exc.DownloadCancelledError, "cancelled"),
    (scrapy_exc.DownloadFailedError, "download_failed"),
    (net_error.ConnectionLost, "connection_lost"),
    (net_error.ConnectionDone, "connection_lost"),
    (zlib.error, "bad_encoding"),  # Content-Encoding that does not decode (corrupt gzip, deflate)
    (scrapy_exc.IgnoreRequest, "ignored"),
)


# Failures that got no response: a run's responses do not count them, so its requests are the two
# summed (else a crawl nothing answered reads "6 of 0 requests failed").
NO_RESPONSE_REASONS = frozenset(
    {"timeout", "dns", "connection_refused", "data_loss", "cancelled", "download_failed", "connection_lost"}
)


def failure_reason(failure: Failure) -> tuple[str, int | None, str]:
    """Returns (reason, HTTP status or None, one-line detail) for a request's failure."""
    exc = failure.value
    if isinstance(exc, HttpError):
        status = exc.response.status
        return f"http_{status}", status, f"HTTP {status}"
    detail = f"{type(exc).__name__}: {exc}".strip()[:500]
    if isinstance(exc, RefusedPage):
        return exc.reason, None, detail
    if isinstance(exc, scrapy_exc.IgnoreRequest) and "robots.txt" in str(exc):
        return "robots_disallowed", None, detail
    if isinstance(exc, scrapy_exc.IgnoreRequest) and "DOWNLOAD_MAXSIZE" in str(exc):  # a compression bomb
        return "too_large", None, detail
    if isinstance(exc, scrapy_exc.IgnoreRequest) and "max redirections" in str(exc):
        return "too_many_redirects", None, detail
    if isinstance(exc, scrapy_exc.DownloadCancelledError):
        request = getattr(failure, "request", None)
        if "max size" in str(exc) or (request is not None and request.meta.get(TOO_LARGE_META)):
            return "too_large", None, detail if str(exc) else f"{detail} larger than DOWNLOAD_MAXSIZE"
    for exc_type, reason in _REASONS:
        if isinstance(exc, exc_type):
            return reason, None, detail
    return f"error_{type(exc).__name__.lower()}", None, detail


def attempts_of(failure: Failure) -> int:
    """How many times the failed request was sent in this run (the first try and its retries)."""
    request = getattr(failure, "request", None)
    return 1 + int(request.meta.get("retry_times", 0)) if request is not None else 1

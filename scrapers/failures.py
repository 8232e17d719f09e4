"""Turns a failed request into a short, countable reason (``http_404``, ``timeout``...)."""

from __future__ import annotations

from scrapy import exceptions as scrapy_exc
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as net_error
from twisted.python.failure import Failure

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
    (scrapy_exc.IgnoreRequest, "ignored"),
)


def failure_reason(failure: Failure) -> tuple[str, int | None, str]:
    """Returns (reason, HTTP status or None, one-line detail) for a request's failure."""
    exc = failure.value
    if isinstance(exc, HttpError):
        status = exc.response.status
        return f"http_{status}", status, f"HTTP {status}"
    detail = f"{type(exc).__name__}: {exc}".strip()[:500]
    if isinstance(exc, scrapy_exc.IgnoreRequest) and "robots.txt" in str(exc):
        return "robots_disallowed", None, detail
    for exc_type, reason in _REASONS:
        if isinstance(exc, exc_type):
            return reason, None, detail
    return f"error_{type(exc).__name__.lower()}", None, detail

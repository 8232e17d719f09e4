"""The scheduler's memory queue, holding waiting requests compactly (``SCHEDULER_MEMORY_QUEUE``)."""

from __future__ import annotations

import logging
import pickle
import sys
import tempfile
from typing import IO, Any, Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.utils.request import request_from_dict

from scrapers import settings as defaults

# The attributes a Request is made of (Request.attributes); one this code does not know of (a newer
# Scrapy) turns compaction off rather than lose it.
_REQUEST_ATTRIBUTES = frozenset({
    "url", "callback", "method", "headers", "body", "cookies", "meta", "encoding", "priority",
    "dont_filter", "errback", "flags", "cb_kwargs",
})
_COMPACT = set(Request.attributes) <= _REQUEST_ATTRIBUTES
# url, callback and errback names ("": none), priority, dont_filter, Referer ("": none),
# meta as (key, value, key, value, ...)
_Compact = tuple[str, str, str, int, bool, str, tuple[Any, ...]]

logger = logging.getLogger(__name__)


class CompactLifoMemoryQueue:
    """``SCHEDULER_MEMORY_QUEUE``: Scrapy's LIFO memory queue, holding each plain request as a tuple
    instead of a ``Request`` object.

    The frontier of a long crawl is large: on the replica, article pages link to articles not yet
    fetched faster than they are fetched, so a 100k-article crawl has tens of thousands of requests
    waiting. A waiting ``Request`` costs ~0.9 KB (its ``__dict__``, its meta dict, Scrapy's live-object
    tracking); the tuple of its URL, callback names, priority and meta costs about a third of that.
    A popped request is rebuilt as ``Request.replace`` would copy it (a new meta dict with the same
    values). Requests that are not plain (a body, a header other than the ``Referer`` Scrapy's
    RefererMiddleware adds, cookies, flags, cb_kwargs, another method or encoding, a callback that is
    not a method of the spider, a Request subclass) are kept as they are.
    """

    def __init__(self, crawler: Crawler, spill_after: int = defaults.SCHEDULER_SPILL_AFTER) -> None:
        self.crawler = crawler
        self.q: list[Request | _Compact] = []
        self.spill_after = spill_after
        self._file: IO[bytes] | None = None
        self._chunks: list[tuple[int, int]] = []  # (offset, entries) of each spilled chunk, bottom first
        self._spilled = 0
        self._unpicklable = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        return cls(crawler, crawler.settings.getint("SCHEDULER_SPILL_AFTER"))

    def _name(self, spider: Any, method: Any) -> str | None:
        """The spider method's name; "" for no callback; None when it is not one of the spider's."""
        if method is None:
            return ""
        name = getattr(method, "__name__", None)
        if name and getattr(method, "__self__", None) is spider and getattr(spider, name, None) == method:
            return str(name)
        return None

    def _compact(self, request: Request) -> Request | _Compact:
        spider = self.crawler.spider
        if not _COMPACT or spider is None or type(request) is not Request:
            return request
        if (request.method != "GET" or request.body or request.cookies or request.flags or request.cb_kwargs
                or request.encoding != "utf-8"):
            return request
        headers = request.headers
        referer = ""
        if headers:
            values = headers.getlist(b"Referer")
            if len(headers) != 1 or len(values) != 1:
                return request
            # Interned: the requests found on one page share their referer.
            referer = sys.intern(values[0].decode("latin-1"))
        callback, errback = self._name(spider, request.callback), self._name(spider, request.errback)
        if callback is None or errback is None:
            return request
        meta = tuple(x for pair in request.meta.items() for x in pair)
        return request.url, callback, errback, request.priority, request.dont_filter, referer, meta

    def _expand(self, item: Request | _Compact) -> Request:
        if isinstance(item, Request):
            return item
        url, callback, errback, priority, dont_filter, referer, meta = item
        spider = self.crawler.spider
        return Request(
            url, callback=getattr(spider, callback) if callback else None,
            errback=getattr(spider, errback) if errback else None, priority=priority, dont_filter=dont_filter,
            headers={b"Referer": referer.encode("latin-1")} if referer else None,
            meta=dict(zip(meta[::2], meta[1::2], strict=True)),
        )

    # --- spilling the bottom of the stack to a temporary file ---------------------------------------
    # A LIFO queue only ever needs its top, so past `spill_after` entries its older half goes to disk as
    # one pickled chunk, and chunks come back last first when the memory part runs out: the order is
    # Scrapy's, the memory is bounded. The file is unlinked at creation (gone even after kill -9);
    # a crawl without JOBDIR loses its waiting requests at exit anyway (the archive is its memory).

    def _spill(self) -> None:
        half = self.spill_after // 2
        chunk = self.q[:half]
        try:
            # A request that is not plain is stored the way Scrapy's own disk queues store it.
            stored = [x if isinstance(x, tuple) else x.to_dict(spider=self.crawler.spider) for x in chunk]
            data = pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL)
        except (ValueError, pickle.PicklingError, TypeError, AttributeError) as exc:
            # A callback that is not the spider's, or a meta value pickle cannot store: stay in memory.
            self._unpicklable = True
            logger.warning("scheduler queue not spilled to disk (kept in memory): %s", exc)
            return
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="newsarchive-queue-")  # noqa: SIM115 (closed in close())
        offset = self._file.seek(0, 2)
        self._file.write(data)
        self._chunks.append((offset, len(chunk)))
        self._spilled += len(chunk)
        del self.q[:half]
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("scheduler/spilled", len(chunk))

    def _unspill(self) -> None:
        assert self._file is not None
        offset, entries = self._chunks.pop()
        self._file.seek(offset)
        stored: list[_Compact | dict[str, Any]] = pickle.loads(self._file.read())
        assert len(stored) == entries
        self._file.truncate(offset)
        self._spilled -= entries
        spider = self.crawler.spider
        self.q = [x if isinstance(x, tuple) else request_from_dict(x, spider=spider) for x in stored]

    def push(self, request: Request) -> None:
        self.q.append(self._compact(request))
        if self.spill_after > 1 and len(self.q) > self.spill_after and not self._unpicklable:
            self._spill()

    def pop(self) -> Request | None:
        if not self.q and self._chunks:
            self._unspill()
        return self._expand(self.q.pop()) if self.q else None

    def peek(self) -> Request | None:
        if not self.q and self._chunks:
            self._unspill()
        return self._expand(self.q[-1]) if self.q else None

    def close(self) -> None:
        self.q = []
        self._chunks = []
        self._spilled = 0
        if self._file is not None:
            self._file.close()
            self._file = None

    def __len__(self) -> int:
        return len(self.q) + self._spilled

"""The scheduler of a distributed worker: scrapy-redis's request queue and duplicate filter, made
safe to kill, with explicit idle handling.

scrapy-redis 0.9.1 works with Scrapy 2.19 as it is, with three gaps this subclass closes:

- it pickles requests by default: here they are JSON (bytes as base64), and a request read back
  must be one the spider could have made (``check_queued``: an http(s) URL on the site, a plain GET,
  public methods of the spider, allowed meta keys and headers only): whoever can write to Redis
  cannot make a worker fetch a ``file:`` URL, another host, or through a proxy;
- a request it pops is gone from Redis, so a worker killed with requests in flight loses them;
  and its duplicate filter marks a request seen before queueing it, in two steps. Here taking a
  request also notes it in the worker's in-flight hash, in one Lua step (state.py), and it leaves
  that hash only once Scrapy is entirely done with it (its items sent, its links queued). A worker
  whose heartbeat expires has its in-flight requests put back in the queue by the others;
- with a plain spider it closes as soon as its own engine is idle, and ``SCHEDULER_IDLE_BEFORE_CLOSE``
  does nothing for the priority queue. Here a worker stays while any request is queued or in flight
  anywhere, and closes once the whole crawl has had no work for ``DISTRIBUTED_IDLE_CLOSE`` seconds,
  marking the crawl finished.

Two Scrapy internals are read, both checked at start: ``engine._slot.inprogress`` (the requests
the engine has not finished with) and ``engine._slot.nextcall`` (to look at the queue every
``DISTRIBUTED_POLL`` seconds rather than every 5 s when idle).
"""

from __future__ import annotations

import base64
import inspect
import json
import logging
import os
import socket
import time
from collections import deque
from datetime import UTC, datetime
from typing import Any, Self

from redis.exceptions import RedisError
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from scrapy.utils.request import request_from_dict
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task
from twisted.internet.defer import Deferred

from scrapers.distributed.config import DistributedSettings
from scrapers.distributed.state import (
    FINISHED,
    INGESTED,
    OVER,
    RUNNING,
    RedisCrawl,
    redact,
    sha1_hex,
    worker_id,
)
from scrapers.offsite import on_site

logger = logging.getLogger(__name__)

# Exit codes of a worker (`newsarchive crawl --distributed`), by its finish reason.
NO_CRAWL = "no_crawl"  # no crawl was opened in time
CRAWL_DONE = "crawl_finished"  # the crawl was already finished when the worker came
REDIS_UNAVAILABLE = "redis_unavailable"


# --- requests as JSON -----------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, bytes):
        return {"$b": base64.b64encode(value).decode("ascii")}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {"$d": [[_encode(k), _encode(v)] for k, v in value.items()]}
    raise TypeError(f"cannot send a {type(value).__name__} through Redis")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        if "$b" in value:
            return base64.b64decode(value["$b"])
        if "$d" in value:
            return {_decode(k): _decode(v) for k, v in value["$d"]}
        return {k: _decode(v) for k, v in value.items()}
    return value


class JsonSerializer:
    """``loads``/``dumps`` for scrapy-redis queues: JSON, never pickle (other machines write here)."""

    def dumps(self, obj: dict[str, Any]) -> bytes:
        return json.dumps(_encode(obj), separators=(",", ":"), ensure_ascii=False).encode()

    def loads(self, data: bytes) -> dict[str, Any]:
        value = _decode(json.loads(data))
        if not isinstance(value, dict):
            raise ValueError("a queued request must be a JSON object")
        return value


def _method_name(spider: Spider, func: Any) -> str | None:
    if func is None or isinstance(func, str):
        return func
    name = getattr(func, "__name__", "")
    bound = getattr(spider, name, None) if name else None
    if bound is not None and getattr(bound, "__func__", None) is getattr(func, "__func__", object()):
        return name
    raise ValueError(f"{func!r} is not a method of the spider: a distributed crawl can only queue those")


def _check_method(spider: Spider, name: Any) -> None:
    if name is None:
        return
    if not isinstance(name, str) or name.startswith("_") or not inspect.ismethod(getattr(spider, name, None)):
        raise RefusedRequest(f"{name!r:.100} is not a public method of the spider")


# What a queued request may carry: whoever can write to Redis must not choose where or how it is
# fetched (``proxy``, ``download_maxsize``, ``dont_obey_robotstxt``, ``bindaddress``...). The spiders'
# and the frontier's own meta, and Scrapy's bookkeeping of redirects, retries and depth.
QUEUED_META = frozenset({
    "page_kind", "confirm_article", "depth_reset", "revisit", "dont_redirect", "handle_httpstatus_list",
    "depth", "redirect_urls", "redirect_times", "redirect_ttl", "redirect_reasons", "retry_times",
})
QUEUED_HEADERS = frozenset({"referer", "accept", "accept-language", "if-none-match", "if-modified-since"})
QUEUED_METHODS = ("GET", "HEAD")


class RefusedRequest(ValueError):
    """A queued request this crawl does not make (off the site, another scheme, method or class)."""


def check_queued(spider: Spider, data: dict[str, Any]) -> dict[str, Any]:
    """`data` (a queued request) if the spider could have made it: an http(s) URL on the spider's
    site (scrapers/offsite.py), GET or HEAD with no body, a plain Request, a public method of the
    spider as callback; its meta and headers cut down to the allowed ones."""
    url = data.get("url")
    if not isinstance(url, str) or not on_site(spider, url):
        raise RefusedRequest(f"not an http(s) URL on the site: {url!r:.200}")
    if "_class" in data:
        raise RefusedRequest(f"request class {data['_class']!r:.100} (only plain requests are queued)")
    if data.get("method", "GET") not in QUEUED_METHODS or data.get("body"):
        raise RefusedRequest(f"method {data.get('method')!r:.20} or a body (only GET and HEAD are queued)")
    _check_method(spider, data.get("callback"))
    _check_method(spider, data.get("errback"))
    meta, headers = data.get("meta") or {}, data.get("headers") or {}
    if not isinstance(meta, dict) or not isinstance(headers, dict):
        raise RefusedRequest("meta and headers must be JSON objects")
    data["meta"] = {k: v for k, v in meta.items() if k in QUEUED_META}
    data["headers"] = {k: v for k, v in headers.items() if isinstance(k, str | bytes) and _header(k) in QUEUED_HEADERS}
    data.pop("cb_kwargs", None)  # our callbacks take none
    return data


def _header(name: str | bytes) -> str:
    return (name.decode("latin-1") if isinstance(name, bytes) else name).lower()


class RequestQueue(PriorityQueue):  # type: ignore[misc]  # scrapy-redis is untyped
    """scrapy-redis's priority queue (a sorted set by -priority) with JSON requests. Taking a request
    goes through RedisCrawl.pop_requests (with in-flight tracking), not through ``pop``."""

    def __init__(self, server: Any, spider: Spider, key: str, serializer: JsonSerializer, stats: Any) -> None:
        super().__init__(server, spider, key, serializer)
        self.stats = stats
        self._warned: set[str] = set()

    def _encode_request(self, request: Request) -> bytes:
        data: dict[str, Any] = {
            "url": request.url,
            "callback": _method_name(self.spider, request.callback),
            "errback": _method_name(self.spider, request.errback),
            "headers": dict(request.headers),
        }
        for attr in request.attributes:
            data.setdefault(attr, getattr(request, attr))
        if type(request) is not Request:
            raise ValueError(f"a {type(request).__name__}: only plain requests are queued")
        data["meta"] = self._meta(request.meta)
        return bytes(self.serializer.dumps(data))

    def _meta(self, meta: dict[str, Any]) -> dict[str, Any]:
        """The request's meta that may be queued (QUEUED_META; the rest is the downloader's state of
        this fetch), less what cannot travel as JSON (dropped, counted, said once)."""
        kept = {}
        for key, value in meta.items():
            if key not in QUEUED_META:
                continue
            try:
                _encode(value)
            except TypeError as exc:
                self.stats.inc_value(f"distributed/meta_dropped/{key}")
                if key not in self._warned:
                    self._warned.add(key)
                    logger.warning("request meta %r not sent through Redis: %s", key, exc)
                continue
            kept[key] = value
        return kept

    def _decode_request(self, encoded_request: bytes) -> Request:
        return request_from_dict(check_queued(self.spider, self.serializer.loads(encoded_request)), spider=self.spider)


# --- the scheduler --------------------------------------------------------------------------------


async def _sleep(seconds: float) -> None:
    from twisted.internet import reactor

    await maybe_deferred_to_future(task.deferLater(reactor, seconds, lambda: None))


class RedisScheduler(Scheduler):  # type: ignore[misc]  # scrapy-redis is untyped
    """Takes requests from, and queues them in, the crawl's Redis; see the module docstring."""

    def __init__(self, crawler: Crawler, crawl: RedisCrawl, config: DistributedSettings) -> None:
        super().__init__(
            server=crawl.redis, persist=True, queue_key=crawl.keys.requests, queue_cls=RequestQueue,
            dupefilter=RFPDupeFilter(crawl.redis, key=crawl.keys.dupefilter), dupefilter_key=crawl.keys.dupefilter,
            idle_before_close=0, serializer=JsonSerializer(),
        )
        assert crawler.stats is not None
        self.crawler = crawler
        self.stats = crawler.stats
        self.crawl = crawl
        self.config = config
        self.worker = worker_id()
        self.inflight: dict[str, Request] = {}  # in-flight id -> the request the engine is working on
        # Taken from Redis (in flight there) but not yet handed to the engine.
        self.prefetched: deque[tuple[str, Request]] = deque()
        # Fingerprints (and plain GET URLs) known to be in the crawl's duplicate filter, which only
        # grows during a crawl: a link seen again is dropped here, without asking Redis.
        self.seen: set[str] = set()
        self.seen_urls: set[str] = set()
        self.broken: str | None = None  # why Redis is given up on
        self.joined = False
        self.started = datetime.now(UTC).isoformat(timespec="seconds")
        self._loops: list[task.LoopingCall] = []
        self._drained_since: float | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        config = DistributedSettings.from_settings(crawler.settings)
        scheduler = cls(crawler, config.crawl(crawler), config)
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    # --- opening: wait for the crawl, join it ---

    def open(self, spider: Spider) -> Deferred[None]:
        self.spider = spider
        self.queue = RequestQueue(self.server, spider, self.crawl.keys.requests, self.serializer, self.stats)
        return deferred_from_coro(self._open())

    async def _open(self) -> None:
        slot = getattr(self.crawler.engine, "_slot", None)
        if not (hasattr(slot, "inprogress") and hasattr(slot, "nextcall")):
            raise RuntimeError("this Scrapy version is not supported by the distributed scheduler "
                               "(the engine has no _slot.inprogress / _slot.nextcall)")
        try:
            await self._wait_for_crawl()
            self.crawl.beat(self.worker, self._info(), self.config.worker_timeout)
            self.joined = True
            taken = self.crawl.reap(exclude=self.worker, grace=self.config.worker_timeout)
            logger.warning(
                "worker %s joined the crawl of %s (run %s) in %s: %d requests queued, %d workers%s", self.worker,
                self.crawl.site, self.crawl.run_id, redact(self.config.url), self.crawl.queued(),
                len(self.crawl.workers()),
                f"; took over the requests of {len(taken)} stopped worker(s)" if taken else "",
            )
        except RedisError as exc:
            self.fail(exc, closing=False)
            raise CloseSpider(REDIS_UNAVAILABLE) from None
        self.stats.set_value("distributed/worker", self.worker)
        for interval, step in ((self.config.poll, self._tick), (self.config.heartbeat, self._beat)):
            loop = task.LoopingCall(step)
            loop.start(interval, now=False)
            self._loops.append(loop)

    async def _wait_for_crawl(self) -> None:
        deadline = time.monotonic() + self.config.start_timeout
        said = False
        while True:
            if self.crawl.join() is not None:
                return
            status = self.crawl.status()
            if time.monotonic() >= deadline:
                done = status in (FINISHED, INGESTED)
                message = (
                    f"the crawl of {self.crawl.site} in {redact(self.config.url)} is "
                    + ("finished" if done else "not open")
                    + f" and no new one was opened in {self.config.start_timeout:.0f} s: start "
                    f"`newsarchive ingest {self.crawl.site} --redis URL --db PATH` (it opens the crawl)"
                )
                self.stats.set_value("distributed/message", message)
                logger.error("%s", message)
                raise CloseSpider(CRAWL_DONE if done else NO_CRAWL)
            if not said:
                said = True
                logger.warning("waiting for the crawl of %s to be opened in %s (status: %s); "
                               "`newsarchive ingest` opens it", self.crawl.site, redact(self.config.url),
                               status or "none")
            await _sleep(min(1.0, self.config.start_timeout))

    # --- the engine's interface ---

    def enqueue_request(self, request: Request) -> bool:
        if self.broken:
            return False
        plain = None if request.dont_filter or request.method != "GET" or request.body else request.url
        if plain is not None and plain in self.seen_urls:
            self.stats.inc_value("dupefilter/filtered")
            return False
        fingerprint = None if request.dont_filter else self.df.request_fingerprint(request)
        if fingerprint is not None and fingerprint in self.seen:
            queued = 0
        else:
            try:
                data = self.queue._encode_request(request)
            except (TypeError, ValueError) as exc:
                logger.error("cannot queue %s in Redis: %s", request, exc)
                self.stats.inc_value("distributed/requests/unsendable")
                return False
            try:
                queued = self.crawl.push_request(fingerprint, -request.priority, data)
            except RedisError as exc:
                self.fail(exc)
                return False
            if queued == OVER:
                self.stats.inc_value("distributed/requests/crawl_over")
                return False
            if fingerprint is not None:
                self.seen.add(fingerprint)
        if plain is not None:
            self.seen_urls.add(plain)
        if not queued:
            self.df.log(request, self.spider)
            self.stats.inc_value("dupefilter/filtered")
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        if self.broken or not self.joined:
            return None
        if not self.prefetched:
            try:
                self._prefetch()
            except RedisError as exc:
                self.fail(exc)
                return None
        if not self.prefetched:
            return None
        ident, request = self.prefetched.popleft()
        self.inflight[ident] = request  # from now on the engine has it
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def _prefetch(self) -> None:
        unreadable = []
        for data in self.crawl.pop_requests(self.worker, self.config.prefetch):
            ident = sha1_hex(data)
            try:
                self.prefetched.append((ident, self.queue._decode_request(data)))
            except RefusedRequest as exc:  # someone else's request: not made
                logger.warning("refused a request from the queue: %s", exc)
                self.stats.inc_value("distributed/requests/refused")
                unreadable.append(ident)
            except Exception as exc:  # a damaged or foreign entry must not stop the worker
                logger.error("dropped an unreadable request from the queue: %s", exc)
                self.stats.inc_value("distributed/requests/unreadable")
                unreadable.append(ident)
        self.crawl.ack(self.worker, unreadable)

    def has_pending_requests(self) -> bool:
        if self.broken or not self.joined:
            return False
        if self.prefetched:
            return True
        try:
            return self.crawl.queued() > 0
        except RedisError as exc:
            self.fail(exc)
            return False

    def __len__(self) -> int:
        return len(self.prefetched) + (self.crawl.queued() if self.joined and not self.broken else 0)

    # --- in flight, heartbeat, idle ---

    def _inprogress(self) -> set[Request]:
        slot = getattr(self.crawler.engine, "_slot", None)
        return set(getattr(slot, "inprogress", ()))

    def _ack_done(self) -> None:
        """Requests the engine is done with (items sent, links queued) leave the in-flight hash."""
        if not self.inflight:
            return
        busy = self._inprogress()
        done = [ident for ident, request in self.inflight.items() if request not in busy]
        if done:
            self.crawl.ack(self.worker, done)
            for ident in done:
                del self.inflight[ident]
            self.stats.inc_value("distributed/requests/finished", len(done))

    def _tick(self) -> None:
        if self.broken:
            return
        try:
            self._ack_done()
        except RedisError as exc:
            self.fail(exc)
            return
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None and slot.closing is None:
            slot.nextcall.schedule()  # an idle engine looks at the queue again now, not in 5 s

    def _beat(self) -> None:
        if self.broken:
            return
        try:
            self.crawl.beat(self.worker, self._info(), self.config.worker_timeout)
            self._take_over()
        except RedisError as exc:
            self.fail(exc)

    def _info(self) -> dict[str, Any]:
        return {"pid": os.getpid(), "host": socket.gethostname(), "started": self.started,
                "pages": self.stats.get_value("response_received_count", 0), "in_flight": len(self.inflight)}

    def _take_over(self) -> None:
        for worker, n in self.crawl.reap(exclude=self.worker, grace=self.config.worker_timeout).items():
            self.stats.inc_value("distributed/requests/taken_over", n)
            logger.warning("worker %s is gone (no heartbeat for %.0f s): its %d unfinished request(s) are "
                           "queued again", worker, self.config.worker_timeout, n)

    def spider_idle(self, spider: Spider) -> None:
        """Keeps the worker while the crawl has work anywhere; closes it (and marks the crawl finished)
        once nothing has been queued or in flight for DISTRIBUTED_IDLE_CLOSE seconds."""
        if self.broken:
            raise DontCloseSpider  # closing already, with its own reason
        if not self.joined:
            return
        try:
            self._ack_done()
            orphans = (self.crawl.in_flight_ids(self.worker) - set(self.inflight)
                       - {ident for ident, _ in self.prefetched})
            if orphans:  # taken in Redis but the answer never reached us (a cut connection)
                self.crawl.requeue(self.worker, orphans)
            self._take_over()
            if not self.crawl.still_running():
                logger.warning("the crawl of %s (run %s) is over: this worker stops", self.crawl.site,
                               self.crawl.run_id)
                return
            if not self.crawl.drained():
                self._drained_since = None
                raise DontCloseSpider
            now = time.monotonic()
            if self._drained_since is None:
                self._drained_since = now
            if now - self._drained_since < self.config.idle_close:
                raise DontCloseSpider
            if self.crawl.mark(RUNNING, FINISHED):
                logger.warning("the crawl of %s is finished: nothing queued or in flight for %.0f s",
                               self.crawl.site, self.config.idle_close)
        except RedisError as exc:
            self.fail(exc)
            raise DontCloseSpider from None

    def fail(self, exc: Exception, *, closing: bool = True) -> None:
        """Redis stayed unreachable past DISTRIBUTED_REDIS_WAIT: this worker stops. What it had in
        flight stays in Redis, where the next worker takes it over."""
        if self.broken:
            return
        self.broken = str(exc)
        message = (f"Redis at {redact(self.config.url)} unreachable for more than {self.config.redis_wait:.0f} s "
                   f"({exc}): this worker stops; its unfinished requests stay in Redis and are taken over "
                   f"by the next worker (start it again once Redis is back)")
        logger.error("%s", message)
        self.stats.set_value("distributed/message", message)
        engine = self.crawler.engine
        if closing and engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason=REDIS_UNAVAILABLE))

    def close(self, reason: str) -> None:
        for loop in self._loops:
            if loop.running:
                loop.stop()
        if self.broken or not self.joined:
            return
        try:
            self._ack_done()  # the engine has finished every request it took
            self.prefetched.clear()
            back = self.crawl.requeue(self.worker)  # prefetched, or never delivered: queued again
            self.crawl.leave(self.worker)
        except RedisError as exc:
            logger.error("could not leave the crawl cleanly (%s); the other workers take over", exc)
            return
        if back:
            self.stats.inc_value("distributed/requests/requeued", back)
        logger.info("worker %s left the crawl of %s (%s)", self.worker, self.crawl.site, reason)

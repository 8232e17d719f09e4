"""A distributed crawl's state in Redis: key names, the connection and every atomic step.

No Scrapy here: the workers (scheduler.py, frontier.py, pipelines/redis_queue.py) and the ingester
(scrapers/distributed/ingest.py) share it. Everything a crawl knows lives under ``newsarchive:SITE:``:

=====================  ======  =================================================================
key                    type    what
=====================  ======  =================================================================
``state``              hash    ``status`` (running, finished, ingested), ``run_id``, ``archive``…
``requests``           zset    the request queue (scrapy-redis ``PriorityQueue``: score -priority)
``dupefilter``         set     fingerprints of every request ever queued in this crawl
``inflight:WORKER``    hash    requests a worker took and has not finished: sha1 -> "score\\ndata"
``workers``            set     worker ids; ``worker:WORKER`` (string, expires) is its heartbeat
``items``              list    items for the ingester (JSON, scrapers/distributed/ingest.py), oldest first
``ingesting``          list    the batch the ingester is writing (kept until it is committed)
``seen``               set     article keys sent in this crawl (one copy of an article per crawl)
``frontier:articles``  hash    the archive's articles when the crawl opened (url -> JSON)
``frontier:failures``  hash    the archive's failed URLs when the crawl opened (url -> JSON)
``ingester``           string  the live ingester (expires): one ingester per crawl
=====================  ======  =================================================================

Every step that moves a request or an item between keys is one Lua script, so a process killed
at any instant leaves each request either queued, in flight (taken over when its worker's
heartbeat expires) or finished, and each item either waiting, being ingested, or in the archive.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit, urlunsplit

import redis
from redis.backoff import ConstantBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

from archive.frontier import KnownArticle

logger = logging.getLogger(__name__)
T = TypeVar("T")

RUNNING, FINISHED, INGESTED = "running", "finished", "ingested"
OVER, DUPLICATE = -1, -2  # answers of push_request / push_item
_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def sha1_hex(data: bytes) -> str:
    """The in-flight id of a serialised request (the same as Lua's ``redis.sha1hex``)."""
    return hashlib.sha1(data).hexdigest()


def redact(url: str) -> str:
    """A Redis URL fit for logs, summaries and run records: its scheme, host, port and database only.
    A password can sit in the user info (``redis://:PW@host``, ``redis://PW@host``) or the query
    (``?password=PW``); neither, nor any other query or fragment, is kept."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    netloc = host + (f":{port}" if port is not None else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def worker_id() -> str:
    import os
    import secrets

    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass(frozen=True)
class CrawlKeys:
    """The Redis keys of the crawl of one site (``newsarchive:turan:requests``…)."""

    site: str

    @property
    def prefix(self) -> str:
        return f"newsarchive:{_SAFE.sub('_', self.site)}:"

    def _key(self, name: str) -> str:
        return self.prefix + name

    state = property(lambda self: self._key("state"))
    requests = property(lambda self: self._key("requests"))
    dupefilter = property(lambda self: self._key("dupefilter"))
    workers = property(lambda self: self._key("workers"))
    items = property(lambda self: self._key("items"))
    ingesting = property(lambda self: self._key("ingesting"))
    seen = property(lambda self: self._key("seen"))
    ingester = property(lambda self: self._key("ingester"))
    frontier_articles = property(lambda self: self._key("frontier:articles"))
    frontier_failures = property(lambda self: self._key("frontier:failures"))

    def heartbeat(self, worker: str) -> str:
        return self._key(f"worker:{worker}")

    def inflight(self, worker: str) -> str:
        return self._key(f"inflight:{worker}")

    def fixed(self) -> list[str]:
        """Every key of the crawl but the per-worker ones."""
        return [self.state, self.requests, self.dupefilter, self.workers, self.items, self.ingesting, self.seen,
                self.ingester, self.frontier_articles, self.frontier_failures]


class _Outage:
    """This process's view of Redis being unreachable. redis-py nests retries (a command's, and its
    connection's), so the outage is noted once here, not once per retry loop."""

    def __init__(self) -> None:
        self.since: float | None = None
        self.recovered_at = float("-inf")

    def failed(self, url: str, error: Exception, wait: float) -> None:
        if self.since is None:
            self.since = time.monotonic()
            logger.warning("Redis at %s unreachable (%s): retrying for up to %.0f s", url, error, wait)

    def succeeded(self, url: str) -> None:
        if self.since is not None:
            logger.warning("Redis at %s is back after %.1f s", url, time.monotonic() - self.since)
            self.since = None
            self.recovered_at = time.monotonic()


OUTAGE = _Outage()


def recovered_within(seconds: float) -> bool:
    """Whether Redis came back (after an outage) less than `seconds` ago, in this process."""
    return time.monotonic() - OUTAGE.recovered_at < seconds


class WaitingRetry(Retry):
    """Retries a Redis command on connection errors for up to `wait` seconds (a restart, a network
    blip), saying so once in the log, then gives up with the last error."""

    def __init__(self, wait: float, url: str, step: float = 0.25) -> None:
        super().__init__(ConstantBackoff(step), -1, (RedisConnectionError, RedisTimeoutError, socket.timeout))
        self.wait = wait
        self.step = step
        self.url = redact(url)

    def call_with_retry(
        self,
        do: Callable[[], T],
        fail: Callable[..., Any],
        is_retryable: Callable[[Exception], bool] | None = None,
        with_failure_count: bool = False,
    ) -> T:
        started: float | None = None
        failures = 0
        while True:
            try:
                result = do()
            except self._supported_errors as error:
                if is_retryable and not is_retryable(error):
                    raise
                failures += 1
                if with_failure_count:
                    fail(error, failures)
                else:
                    fail(error)
                OUTAGE.failed(self.url, error, self.wait)
                now = time.monotonic()
                started = now if started is None else started
                if now - started >= self.wait:
                    raise
                time.sleep(self.step)
            else:
                OUTAGE.succeeded(self.url)
                return result


def connect(url: str, wait: float = 30.0) -> redis.Redis:
    """A client for `url` (redis://HOST:PORT/DB) that rides out a Redis restart of up to `wait` s.

    Raises ValueError for a URL that is not a Redis URL."""
    if urlsplit(url).scheme not in ("redis", "rediss", "unix"):
        raise ValueError(f"not a Redis URL: {redact(url)!r} (expected redis://HOST:PORT/DB)")
    return redis.Redis.from_url(
        url, socket_connect_timeout=5, socket_timeout=60, retry=WaitingRetry(wait, url),
        retry_on_error=[RedisConnectionError, RedisTimeoutError],
    )


# --- the atomic steps -----------------------------------------------------------------------------

# Every step a worker takes names the crawl it joined (its run id): once that crawl is over (or
# replaced by the next one), a worker that was frozen or cut off can no longer queue, take or put
# back anything in it. Returns -1 then. KEYS[#KEYS] is the state hash, ARGV[1] the run id.
_SAME_CRAWL = """
local st = redis.call('HMGET', KEYS[#KEYS], 'status', 'run_id')
if st[2] ~= ARGV[1] or (st[1] ~= 'running' and not (ALLOW_FINISHED and st[1] == 'finished')) then
  return -1
end
"""
# A new request: queued only if its fingerprint is new to the crawl (ARGV[2] '' = dont_filter).
# One step: a worker killed between "seen" and "queued" would otherwise lose the request for good.
_PUSH_REQUEST = _SAME_CRAWL.replace("ALLOW_FINISHED", "false") + """
if ARGV[2] ~= '' and redis.call('SADD', KEYS[1], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
return 1
"""
# Take the best ARGV[2] requests and note them as in flight for this worker, in one step.
_POP_REQUESTS = _SAME_CRAWL.replace("ALLOW_FINISHED", "false") + """
local found = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1, 'WITHSCORES')
local taken = {}
for i = 1, #found, 2 do
  redis.call('ZREM', KEYS[1], found[i])
  redis.call('HSET', KEYS[2], redis.sha1hex(found[i]), found[i + 1] .. '\\n' .. found[i])
  taken[#taken + 1] = found[i]
end
return taken
"""
# Put in-flight requests back in the queue (ARGV[2..]: their ids; none: all of them).
_REQUEUE = _SAME_CRAWL.replace("ALLOW_FINISHED", "false") + """
local ids = {unpack(ARGV, 2)}
if #ids == 0 then ids = redis.call('HKEYS', KEYS[1]) end
local n = 0
for _, id in ipairs(ids) do
  local entry = redis.call('HGET', KEYS[1], id)
  if entry then
    local nl = string.find(entry, '\\n', 1, true)
    redis.call('ZADD', KEYS[2], tonumber(string.sub(entry, 1, nl - 1)), string.sub(entry, nl + 1))
    redis.call('HDEL', KEYS[1], id)
    n = n + 1
  end
end
return n
"""
# No request queued and none in flight at any worker.
_DRAINED = """
if redis.call('ZCARD', KEYS[1]) > 0 then return 0 end
for _, w in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if redis.call('HLEN', ARGV[1] .. w) > 0 then return 0 end
end
return 1
"""
_IN_FLIGHT = """
local n = 0
for _, w in ipairs(redis.call('SMEMBERS', KEYS[1])) do n = n + redis.call('HLEN', ARGV[1] .. w) end
return n
"""
# An item for the ingester; with dedupe keys (an article), only if none was sent before in this crawl
# (-2 then). Also while the crawl is finished but not yet ingested: the ingester is still draining.
_PUSH_ITEM = _SAME_CRAWL.replace("ALLOW_FINISHED", "true") + """
for i = 3, #ARGV do
  if redis.call('SISMEMBER', KEYS[2], ARGV[i]) == 1 then return -2 end
end
for i = 3, #ARGV do redis.call('SADD', KEYS[2], ARGV[i]) end
return redis.call('RPUSH', KEYS[1], ARGV[2])
"""
# The ingester's next batch: moved, not removed, until it is committed to the archive.
_TAKE_ITEMS = """
local taken = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
if #taken > 0 then
  redis.call('LTRIM', KEYS[1], #taken, -1)
  redis.call('RPUSH', KEYS[2], unpack(taken))
end
return taken
"""
_MARK = """
local st = redis.call('HMGET', KEYS[1], 'status', 'run_id')
if st[1] ~= ARGV[1] or (ARGV[5] ~= '' and st[2] ~= ARGV[5]) then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[2], ARGV[3], ARGV[4])
return 1
"""


@dataclass
class Counts:
    """How a crawl stands (for progress lines)."""

    status: str | None
    queued: int
    in_flight: int
    workers: int
    items: int


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.decode() if isinstance(value, bytes) else str(value)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class RedisCrawl:
    """One crawl's keys on one Redis client, with the steps the workers and the ingester take."""

    def __init__(self, client: redis.Redis, site: str) -> None:
        self.redis = client
        self.keys = CrawlKeys(site)
        self.site = site
        self.run_id = ""  # the crawl a worker joined (its run id): every step it takes names it
        self._push_request = client.register_script(_PUSH_REQUEST)
        self._pop_requests = client.register_script(_POP_REQUESTS)
        self._requeue = client.register_script(_REQUEUE)
        self._drained = client.register_script(_DRAINED)
        self._in_flight = client.register_script(_IN_FLIGHT)
        self._push_item = client.register_script(_PUSH_ITEM)
        self._take_items = client.register_script(_TAKE_ITEMS)
        self._mark = client.register_script(_MARK)

    # --- the run state ---

    def state(self) -> dict[str, str]:
        raw = cast(dict[bytes, bytes], self.redis.hgetall(self.keys.state))
        return {k.decode(): v.decode() for k, v in raw.items()}

    def status(self) -> str | None:
        return _text(self.redis.hget(self.keys.state, "status"))

    def set_state(self, **fields: str | int) -> None:
        self.redis.hset(self.keys.state, mapping={k: str(v) for k, v in fields.items()})

    def mark(self, expected: str, new: str) -> bool:
        """Moves the status from `expected` to `new` (and stamps the time); False if it was not `expected`."""
        return bool(self._mark(keys=[self.keys.state], args=[expected, new, f"{new}_at", _now(), self.run_id]))

    def reset(self) -> None:
        """Forgets the previous crawl (its queue, seen requests, workers, frontier), keeping any items."""
        keep = {self.keys.items, self.keys.ingesting, self.keys.ingester}
        doomed = [k for k in self.keys.fixed() if k not in keep]
        for pattern in ("inflight:*", "worker:*"):
            doomed += [_text(k) or "" for k in self.redis.scan_iter(match=self.keys.prefix + pattern, count=500)]
        if doomed:
            self.redis.delete(*doomed)

    # --- requests (workers) ---

    def current(self) -> tuple[str | None, str | None]:
        """(status, run id) of the crawl in Redis."""
        status, run_id = self.redis.hmget(self.keys.state, ["status", "run_id"])
        return _text(status), _text(run_id)

    def join(self) -> str | None:
        """The run id of the crawl open in Redis (None: none is running); later steps name it."""
        status, run_id = self.current()
        if status != RUNNING or not run_id:
            return None
        self.run_id = run_id
        return run_id

    def still_running(self) -> bool:
        """Whether the crawl joined is still the one running."""
        return self.current() == (RUNNING, self.run_id)

    def push_request(self, fingerprint: str | None, score: float, data: bytes) -> int:
        """Queues a serialised request unless its fingerprint was queued before (None: always).
        Returns 1 (queued), 0 (queued before) or -1 (the crawl joined is over)."""
        return int(self._push_request(keys=[self.keys.dupefilter, self.keys.requests, self.keys.state],
                                      args=[self.run_id, fingerprint or "", score, data]))

    def pop_requests(self, worker: str, n: int = 1) -> list[bytes]:
        """The best `n` queued requests (or fewer), now in flight for `worker`; none when the queue is
        empty (or the crawl joined is over)."""
        found = self._pop_requests(keys=[self.keys.requests, self.keys.inflight(worker), self.keys.state],
                                   args=[self.run_id, n])
        return list(found) if isinstance(found, list) else []

    def ack(self, worker: str, ids: Iterable[str]) -> None:
        ids = list(ids)
        if ids:
            self.redis.hdel(self.keys.inflight(worker), *ids)

    def requeue(self, worker: str, ids: Iterable[str] = ()) -> int:
        """Puts `worker`'s in-flight requests (`ids`, or all) back in the queue; returns how many."""
        return max(0, int(self._requeue(keys=[self.keys.inflight(worker), self.keys.requests, self.keys.state],
                                        args=[self.run_id, *ids])))

    def in_flight_ids(self, worker: str) -> set[str]:
        return {_text(k) or "" for k in cast(list[bytes], self.redis.hkeys(self.keys.inflight(worker)))}

    def queued(self) -> int:
        return int(self.redis.zcard(self.keys.requests))

    def drained(self) -> bool:
        return bool(self._drained(keys=[self.keys.requests, self.keys.workers], args=[self.keys.prefix + "inflight:"]))

    # --- workers ---

    def beat(self, worker: str, info: dict[str, Any], timeout: float) -> None:
        pipe = self.redis.pipeline(transaction=True)
        pipe.sadd(self.keys.workers, worker)
        pipe.set(self.keys.heartbeat(worker), json.dumps(info), px=int(timeout * 1000))
        pipe.execute()

    def leave(self, worker: str) -> None:
        pipe = self.redis.pipeline(transaction=True)
        pipe.delete(self.keys.heartbeat(worker))
        pipe.srem(self.keys.workers, worker)
        pipe.execute()

    def workers(self) -> list[str]:
        return sorted(_text(w) or "" for w in cast(set[bytes], self.redis.smembers(self.keys.workers)))

    def alive(self) -> dict[str, dict[str, Any]]:
        """The workers whose heartbeat has not expired, with what they last said."""
        names = self.workers()
        if not names:
            return {}
        beats = cast(list[bytes | None], self.redis.mget([self.keys.heartbeat(w) for w in names]))
        return {w: json.loads(b) for w, b in zip(names, beats, strict=True) if b is not None}

    def reap(self, exclude: str | None = None, grace: float = 0.0) -> dict[str, int]:
        """Takes over the requests of workers whose heartbeat expired (killed, or cut off): back in
        the queue, worker forgotten. Returns {worker: requests requeued}.

        Not within `grace` seconds of Redis coming back: every heartbeat may have expired during the
        outage, and the live workers need a moment to say so again."""
        if recovered_within(grace):
            return {}
        alive = self.alive()
        taken: dict[str, int] = {}
        for worker in self.workers():
            if worker == exclude or worker in alive:
                continue
            taken[worker] = self.requeue(worker)
            self.redis.srem(self.keys.workers, worker)
        return taken

    def counts(self) -> Counts:
        pipe = self.redis.pipeline(transaction=False)
        pipe.hget(self.keys.state, "status")
        pipe.zcard(self.keys.requests)
        pipe.llen(self.keys.items)
        status, queued, items = pipe.execute()
        in_flight = int(self._in_flight(keys=[self.keys.workers], args=[self.keys.prefix + "inflight:"]))
        return Counts(_text(status), int(queued), in_flight, len(self.alive()), int(items))

    # --- items (workers -> ingester) ---

    def push_item(self, payload: bytes, dedupe: Iterable[str] = ()) -> int:
        """Sends an item; with `dedupe` keys, only if none of them was sent before in this crawl.
        Returns the number of items waiting, or DUPLICATE, or OVER (the crawl joined is over)."""
        return int(self._push_item(keys=[self.keys.items, self.keys.seen, self.keys.state],
                                   args=[self.run_id, payload, *dedupe]))

    def items_waiting(self) -> int:
        return int(self.redis.llen(self.keys.items))

    def take_items(self, n: int) -> list[bytes]:
        return cast(list[bytes], self._take_items(keys=[self.keys.items, self.keys.ingesting], args=[n]))

    def ingesting(self) -> list[bytes]:
        """A batch taken but not committed (the ingester stopped): to write again."""
        return cast(list[bytes], self.redis.lrange(self.keys.ingesting, 0, -1))

    def committed(self) -> None:
        self.redis.delete(self.keys.ingesting)

    def claim_ingester(self, me: str, ttl: float) -> str | None:
        """Becomes (or stays) the crawl's one ingester; returns the other live holder, if any."""
        if self.redis.set(self.keys.ingester, me, nx=True, px=int(ttl * 1000)):
            return None
        holder = _text(self.redis.get(self.keys.ingester))
        if holder == me:
            self.redis.pexpire(self.keys.ingester, int(ttl * 1000))
            return None
        if holder is None:
            return self.claim_ingester(me, ttl)
        return holder

    def release_ingester(self, me: str) -> None:
        if _text(self.redis.get(self.keys.ingester)) == me:
            self.redis.delete(self.keys.ingester)

    # --- the frontier (ingester publishes, workers read) ---

    def publish_frontier(self, articles: Iterable[KnownArticle], failures: Iterable[tuple[str, str, str]]) -> int:
        """Stores what the archive knows for the crawl's frontier; returns the number of articles."""
        self.redis.delete(self.keys.frontier_articles, self.keys.frontier_failures)
        n = 0
        for chunk in _chunks(((a.url, json.dumps(_known_row(a))) for a in articles), 2000):
            self.redis.hset(self.keys.frontier_articles, mapping=dict(chunk))
            n += len(chunk)
        for chunk in _chunks(((url, json.dumps([reason, at])) for url, reason, at in failures), 2000):
            self.redis.hset(self.keys.frontier_failures, mapping=dict(chunk))
        return n

    def frontier_articles(self) -> Iterator[KnownArticle]:
        for url, row in self.redis.hscan_iter(self.keys.frontier_articles, count=2000):
            yield _known_article(url.decode(), json.loads(row))

    def frontier_failures(self) -> Iterator[tuple[str, str, str]]:
        """(url, reason, last failed as stored in the archive) of the archive's failed URLs."""
        for url, row in self.redis.hscan_iter(self.keys.frontier_failures, count=2000):
            reason, at = json.loads(row)
            yield url.decode(), str(reason), str(at)


def _chunks(pairs: Iterable[tuple[str, str]], size: int) -> Iterator[list[tuple[str, str]]]:
    chunk: list[tuple[str, str]] = []
    for pair in pairs:
        chunk.append(pair)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _known_row(a: KnownArticle) -> list[Any]:
    return [a.canonical_url, _iso(a.published), _iso(a.first_seen), _iso(a.last_visit), a.etag, a.last_modified,
            a.gone]


def _known_article(url: str, row: list[Any]) -> KnownArticle:
    canonical, published, first_seen, last_visit, etag, last_modified, gone = row
    first = _when(first_seen) or datetime.now(UTC)
    return KnownArticle(url=url, canonical_url=canonical, published=_when(published), first_seen=first,
                        last_visit=_when(last_visit) or first, etag=etag, last_modified=last_modified,
                        gone=bool(gone))

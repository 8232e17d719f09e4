"""The single archive writer of a distributed crawl: items from Redis into ``Archive.write_batch``.

Workers (``newsarchive crawl SITE --distributed URL``, pipelines/redis_queue.py) send each fetched
page, parsed article, failed URL and re-visit outcome as one JSON message (raw bodies zlib +
base64, never pickle); the ingester takes them in batches and writes them with the same call the
single-process pipeline uses, so the archive keeps one writer and its raw pages and versions.

One ingest is one crawl and one run record: it continues the crawl in Redis if one is open (after
a stop or a crash), else opens a new one, publishing the archive's frontier for the workers; it
stops once the workers have marked the crawl finished and every item is written. A batch is moved
to ``ingesting`` in Redis, not removed, until its transaction has committed: a crash writes it
again, which the archive takes as the same fetch (idempotent).
"""

from __future__ import annotations

import logging
import os
import socket
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from archive.errors import ArchiveError
from archive.frontier import known_articles
from archive.store import Archive, BatchResult
from scrapers.distributed.messages import Batch
from scrapers.distributed.state import FINISHED, INGESTED, RUNNING, RedisCrawl, redact
from scrapers.health import HealthSettings, Verdict, Yield, previous_yields, verdict, yield_drops

logger = logging.getLogger(__name__)

# Failures that mean an article page yielded no article: they count against the extraction yield.
UNREADABLE = ("no_body", "not_parsed", "parse_error")
TOTALS = (
    "items", "articles_new", "articles_changed", "articles_unchanged", "pages_new", "not_modified", "gone",
    "comments_new", "comments_edited", "with_date", "with_author", "failures", "unreadable", "dead_letters",
)


class IngestError(ArchiveError):
    """The ingest cannot run: another ingester, another archive, or an unreadable crawl state."""


def item_fault(exc: BaseException) -> bool:
    """An error writing a batch that comes from what an item holds, not from the archive (a full disk,
    a lock): the batch is then written item by item, and the item that fails set aside."""
    cause = exc.__cause__ if isinstance(exc, ArchiveError) else exc
    if isinstance(cause, sqlite3.OperationalError) or cause is None:
        return False
    return isinstance(cause, sqlite3.Error | TypeError | ValueError | AttributeError | KeyError | OverflowError)


@dataclass
class IngestSettings:
    batch_size: int = 200
    poll: float = 0.2  # seconds between looks at an empty queue
    progress: float = 0.0  # seconds between progress lines; 0: none
    lease: float = 15.0  # the ingester's claim on the crawl expires this long after its last renewal
    health: HealthSettings = field(default_factory=HealthSettings.defaults)


@dataclass
class IngestResult:
    run_id: int
    outcome: str  # finished (the crawl is over and written) or stopped (the ingest was stopped)
    totals: Counter[str]
    failed_by_reason: Counter[str]
    seconds: float
    resumed: bool
    frontier: int  # archived articles published for the workers (a new crawl), else 0
    judged: Verdict | None = None
    yield_: Yield | None = None

    @property
    def exit_code(self) -> int:
        return self.judged.exit_code if self.judged is not None else 1


def _ingester_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Ingester:
    """Writes one distributed crawl of `crawl.site` into `archive` (see the module docstring)."""

    def __init__(self, crawl: RedisCrawl, archive: Archive, url: str, settings: IngestSettings | None = None,
                 report: Callable[[str], None] | None = None) -> None:
        self.crawl = crawl
        self.archive = archive
        self.url = url
        self.settings = settings or IngestSettings()
        self.report = report
        self.name = _ingester_name()
        self.stop = threading.Event()
        self.run_id: int | None = None
        self.resumed = False
        self.frontier = 0
        self._claimed = 0.0

    # --- opening ---

    def _claim(self) -> None:
        holder = self.crawl.claim_ingester(self.name, self.settings.lease)
        if holder is not None:
            raise IngestError(f"another ingester ({holder}) is writing the crawl of {self.crawl.site} "
                              f"in {redact(self.url)}")
        self._claimed = time.monotonic()

    def open(self) -> int:
        """Continues the crawl open in Redis, or opens a new one; returns its run id."""
        self._claim()
        state = self.crawl.state()
        path = str(self.archive.path.resolve())
        if state.get("status") in (RUNNING, FINISHED):
            if state.get("archive") != path:
                raise IngestError(
                    f"the crawl of {self.crawl.site} in {redact(self.url)} is written into "
                    f"{state.get('archive')}, not {path}: ingest it there (or use another Redis database)")
            run_id = int(state.get("run_id", "0"))
            row = self.archive.conn.execute("SELECT site FROM crawl_runs WHERE id = ?", (run_id,)).fetchone()
            if row is None or row[0] != self.crawl.site:
                raise IngestError(f"the crawl's run {run_id} is not a run of {self.crawl.site} in {path}")
            self.resumed = True
            logger.info("continuing the crawl of %s (run %d, %s)", self.crawl.site, run_id, state.get("status"))
        else:
            run_id = self._open_new(path)
        self.run_id = run_id
        return run_id

    def _open_new(self, path: str) -> int:
        self.crawl.reset()
        site = None if self.crawl.site == "generic" else self.crawl.site
        articles = known_articles(self.archive, site)
        failures = [(str(u), str(r), str(t)) for u, r, t in
                    self.archive.conn.execute("SELECT url, reason, last_failed FROM failures")]
        self.frontier = self.crawl.publish_frontier(articles, failures)
        run_id = self.archive.start_run(self.crawl.site, {"distributed": redact(self.url), "spider": self.crawl.site})
        # Last: the workers start when they see "running", and the frontier is there by then.
        self.crawl.set_state(status=RUNNING, run_id=run_id, archive=path, site=self.crawl.site,
                             opened_at=datetime.now().astimezone().isoformat(timespec="seconds"))
        logger.info("opened the crawl of %s (run %d): %d archived articles in its frontier",
                    self.crawl.site, run_id, self.frontier)
        return run_id

    # --- writing ---

    def run(self) -> IngestResult:
        """Ingests until the crawl is finished and drained (or ``stop`` is set)."""
        if self.run_id is None:
            self.open()
        assert self.run_id is not None
        started = time.monotonic()
        last_report = started
        leftover = self.crawl.ingesting()
        if leftover:  # the previous ingester stopped before committing this batch
            logger.info("writing again %d items of an uncommitted batch", len(leftover))
            self._write(leftover)
        outcome = "stopped"
        while not self.stop.is_set():
            if time.monotonic() - self._claimed > self.settings.lease / 3:
                self._claim()
            taken = self.crawl.take_items(self.settings.batch_size)
            if taken:
                self._write(taken)
            else:
                status = self.crawl.status()
                if status == FINISHED and self.crawl.items_waiting() == 0:
                    outcome = "finished"
                    break
                if status not in (RUNNING, FINISHED):
                    raise IngestError(f"the crawl of {self.crawl.site} was reset while being ingested "
                                      f"(status: {status or 'none'})")
                self.stop.wait(self.settings.poll)
            now = time.monotonic()
            if self.report is not None and self.settings.progress and now - last_report >= self.settings.progress:
                last_report = now
                self.report(self.progress_line(now - started))
        return self._finish(outcome, time.monotonic() - started)

    def _write(self, messages: Sequence[bytes]) -> None:
        assert self.run_id is not None
        batch = Batch.of(messages)
        try:
            result = self._write_batch(batch)
        except Exception as exc:
            if not item_fault(exc):
                raise
            logger.warning("a batch of %d items could not be written (%s): writing them one by one", len(messages),
                           type(exc.__cause__ or exc).__name__)
            batch, result = self._write_one_by_one(messages)
        self.archive.add_dead_letters(self.run_id, batch.dead)  # idempotent: a batch may be written again
        self.crawl.committed()
        counts: Counter[str] = Counter(items=len(messages), dead_letters=len(batch.dead),
                                       failures=len(batch.failures))
        for name in ("articles_new", "articles_changed", "articles_unchanged", "pages_new", "not_modified", "gone",
                     "comments_new", "comments_edited", "with_date", "with_author"):
            counts[name] = getattr(result, name)
        counts["unreadable"] = sum(1 for f in batch.failures if f.reason in UNREADABLE)
        for f in batch.failures:
            counts[f"failed:{f.reason}"] += 1
        pipe = self.crawl.redis.pipeline(transaction=True)
        for name, value in counts.items():
            if value:
                pipe.hincrby(self.crawl.keys.state, f"t:{name}", value)
        pipe.execute()

    def _write_batch(self, batch: Batch) -> BatchResult:
        return self.archive.write_batch(batch.pages, batch.articles, batch.failures, run_id=self.run_id,
                                        revisits=batch.revisits)

    def _write_one_by_one(self, messages: Sequence[bytes]) -> tuple[Batch, BatchResult]:
        """Each message in its own transaction; one the archive refuses is set aside (write_failed)."""
        written, total = Batch(), BatchResult()
        for data in messages:
            one = Batch.of([data])
            try:
                result = self._write_batch(one) if one.size else BatchResult()
            except Exception as exc:
                if not item_fault(exc):
                    raise
                one = Batch()
                one.set_aside(data, "write_failed", f"the archive refused it ({type(exc.__cause__ or exc).__name__})")
            for name in (f.name for f in fields(BatchResult)):
                setattr(total, name, getattr(total, name) + getattr(result, name))
            for name in ("failures", "dead"):
                getattr(written, name).extend(getattr(one, name))
        return written, total

    def totals(self) -> tuple[Counter[str], Counter[str]]:
        """The crawl's totals so far (over every ingester of it), and its failures by reason."""
        state = self.crawl.state()
        totals: Counter[str] = Counter({name: int(state.get(f"t:{name}", 0)) for name in TOTALS})
        failed: Counter[str] = Counter({k[len("t:failed:"):]: int(v) for k, v in state.items()
                                        if k.startswith("t:failed:")})
        return totals, failed

    def progress_line(self, elapsed: float) -> str:
        totals, failed = self.totals()
        c = self.crawl.counts()
        return (f"[{int(elapsed) // 60:02d}:{int(elapsed) % 60:02d}] ingested {totals['items']} items | articles new "
                f"{totals['articles_new']} changed {totals['articles_changed']} | errors {sum(failed.values())} | "
                f"waiting: {c.items} items, {c.queued} requests queued, {c.in_flight} in flight, {c.workers} workers")

    def _finish(self, outcome: str, seconds: float) -> IngestResult:
        assert self.run_id is not None
        totals, failed = self.totals()
        result = IngestResult(self.run_id, outcome, totals, failed, seconds, self.resumed, self.frontier)
        if outcome != "finished":
            self.crawl.release_ingester(self.name)
            return result  # the run stays open: the next ingest of the crawl continues it
        health = self.settings.health
        stored = totals["articles_new"] + totals["articles_changed"]
        result.yield_ = Yield.of(stored, totals["with_date"], totals["with_author"], totals["unreadable"])
        previous = previous_yields(self.archive, self.crawl.site, self.run_id, health)
        drops = yield_drops(result.yield_, previous, health)
        result.judged = verdict("finished", totals["items"], failed, drops, health)
        counts: dict[str, Any] = {"outcome": result.judged.outcome, "exit_code": result.judged.exit_code,
                                  "message": result.judged.message}
        if result.yield_ is not None:
            counts.update(yield_articles=result.yield_.articles, yield_body=result.yield_.body,
                          yield_date=result.yield_.date, yield_author=result.yield_.author)
        self.archive.finish_run(self.run_id, "finished", counts)
        # The crawl is written: free its Redis keys (queue, seen requests, frontier), note it ingested.
        self.crawl.reset()
        self.crawl.set_state(status=INGESTED, run_id=self.run_id, archive=str(self.archive.path.resolve()),
                             site=self.crawl.site)
        self.crawl.release_ingester(self.name)
        return result

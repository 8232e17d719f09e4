"""Distributed crawling end to end: a real redis-server (started here, on a free 127.0.0.1 port, in
a temporary folder), the real replica, and the real commands in their own processes:
`newsarchive ingest` (the one archive writer) and `newsarchive crawl --distributed` workers.

Every distributed archive is compared with a single-process crawl of the same replica: the same
articles (keys and content hashes), each once, the same pages and failures, a clean `check`.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("redis", reason="the 'distributed' extra is not installed (pip install -e '.[test]')")
pytest.importorskip("scrapy_redis", reason="the 'distributed' extra is not installed (pip install -e '.[test]')")

import redis

from replica.server import ReplicaURL, running_replica
from scrapers.distributed.local import LocalRedis, find_redis_server
from scrapers.distributed.state import CrawlKeys
from tests.conftest import ROOT, newsarchive

pytestmark = pytest.mark.crawl

ARTICLES = 1000  # the three-worker crawl
SMALL = 400  # the crawls that kill a worker or restart Redis
SEED = 21
# Quick to notice a dead worker and to finish: the defaults (2 s / 15 s / 10 s) suit real crawls.
FAST = ("-s", "DISTRIBUTED_HEARTBEAT=0.5", "-s", "DISTRIBUTED_WORKER_TIMEOUT=3", "-s", "DISTRIBUTED_IDLE_CLOSE=2")


@dataclass
class Archive:
    articles: dict[str, str]  # key -> content hash
    article_rows: int
    pages: set[tuple[str, str]]  # (url, content hash)
    failures: dict[str, str]  # url -> reason
    comments: int
    runs: list[tuple[str, str, int]]


def read_archive(db: Path) -> Archive:
    with sqlite3.connect(db) as conn:
        return Archive(
            articles=dict(conn.execute("SELECT key, content_hash FROM articles")),
            article_rows=conn.execute("SELECT count(*) FROM articles").fetchone()[0],
            pages=set(conn.execute("SELECT url, content_hash FROM pages")),
            failures=dict(conn.execute("SELECT url, reason FROM failures")),
            comments=conn.execute("SELECT count(*) FROM comments").fetchone()[0],
            runs=list(conn.execute("SELECT site, status, articles_new FROM crawl_runs ORDER BY id")),
        )


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalRedis]:
    if find_redis_server() is None:
        pytest.skip("redis-server not found: install it (Debian: apt-get install redis-server; .ci/run does)")
    with LocalRedis(folder=tmp_path_factory.mktemp("redis")) as server:
        yield server


def single_process_crawl(base: ReplicaURL, db: Path) -> Archive:
    """The single-process crawl of a replica: what every distributed crawl of it must end as."""
    result = newsarchive("crawl", "turan", "--base-url", base, "--db", str(db), "--quiet")
    assert result.returncode == 0, result.stdout + result.stderr
    return read_archive(db)


@pytest.fixture(scope="module")
def replica() -> Iterator[ReplicaURL]:
    with running_replica(articles=ARTICLES, seed=SEED) as base:
        yield base


@pytest.fixture(scope="module")
def reference(replica: ReplicaURL, tmp_path_factory: pytest.TempPathFactory) -> Archive:
    archive = single_process_crawl(replica, tmp_path_factory.mktemp("single") / "archive.db")
    assert archive.article_rows > 900
    return archive


@pytest.fixture(scope="module")
def small_replica() -> Iterator[ReplicaURL]:
    with running_replica(articles=SMALL, seed=SEED) as base:
        yield base


@pytest.fixture(scope="module")
def small_reference(small_replica: ReplicaURL, tmp_path_factory: pytest.TempPathFactory) -> Archive:
    archive = single_process_crawl(small_replica, tmp_path_factory.mktemp("single") / "archive.db")
    assert archive.article_rows > 350
    return archive


class Proc:
    """A `newsarchive` command in its own process; its output goes to a file (a pipe nobody reads
    while waiting for another process would fill up and freeze it)."""

    counter = 0

    def __init__(self, folder: Path, *args: str) -> None:
        Proc.counter += 1
        self.log = folder / f"{args[0]}-{Proc.counter}.log"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("NEWSARCHIVE_DB", None)
        with self.log.open("w") as out:
            self.popen: subprocess.Popen[str] = subprocess.Popen(
                [sys.executable, "-m", "newsarchive", *args], cwd=ROOT, env=env, text=True, stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.command = " ".join(args[:2])

    @property
    def output(self) -> str:
        return self.log.read_text()

    def finish(self, timeout: float = 120) -> tuple[int, str]:
        try:
            code = self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
            pytest.fail(f"{self.command} did not end in {timeout} s:\n{self.output[-3000:]}")
        return code, self.output


def ingest(url: str, db: Path, *extra: str) -> Proc:
    return Proc(db.parent, "ingest", "turan", "--redis", url, "--db", str(db), "--quiet", *extra)


def worker(url: str, base: str, folder: Path, *extra: str) -> Proc:
    return Proc(folder, "crawl", "turan", "--distributed", url, "--base-url", base, "--quiet", *FAST, *extra)


def wait_until(what: str, condition: Callable[[], bool], procs: list[Proc], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        ended = [p for p in procs if p.popen.poll() is not None]
        if ended or time.monotonic() > deadline:
            for p in procs:
                p.popen.kill()
                p.popen.wait()
            outputs = "\n".join(f"{p.command}: {p.popen.returncode}\n{p.output[-2000:]}" for p in procs)
            pytest.fail(f"never got to {what}:\n{outputs}")
        time.sleep(0.05)


def articles_sent(url: str) -> int:
    """Articles sent to the ingester so far (two keys each in the crawl's `seen` set)."""
    return int(redis.Redis.from_url(url).scard(CrawlKeys("turan").seen)) // 2


def busy_workers(url: str) -> int:
    """Workers holding requests they took and have not finished (their `inflight:WORKER` hashes)."""
    client = redis.Redis.from_url(url)
    return sum(1 for key in client.scan_iter(match=CrawlKeys("turan").inflight("*")) if client.hlen(key))


def article_fetches(base: ReplicaURL, since: int) -> Counter[str]:
    paths = {t["url"][len(base):] for t in base.site.ground_truth(base)}
    return Counter(path for method, path, status in base.server.requests[since:] if path in paths and status == 200)


def check(db: Path) -> None:
    result = newsarchive("check", "--db", str(db))
    assert result.returncode == 0 and "no problems" in result.stdout, result.stdout + result.stderr


def assert_same_archive(db: Path, reference: Archive) -> None:
    got = read_archive(db)
    missing = set(reference.articles) - set(got.articles)
    extra = set(got.articles) - set(reference.articles)
    assert not missing and not extra, f"{len(missing)} articles missing, {len(extra)} extra, e.g. {sorted(missing)[:3]}"
    assert got.article_rows == len(got.articles), "an article is archived twice"
    differ = [k for k, h in reference.articles.items() if got.articles[k] != h]
    assert not differ, f"{len(differ)} articles differ from the single-process crawl, e.g. {differ[:3]}"
    assert got.pages == reference.pages
    assert got.failures == reference.failures
    assert got.comments == reference.comments
    assert [(site, status) for site, status, _ in got.runs] == [("turan", "finished")]
    assert got.runs[0][2] == len(reference.articles)
    check(db)


def test_three_workers_make_the_single_process_archive(
    redis_server: LocalRedis, replica: ReplicaURL, reference: Archive, tmp_path: Path
) -> None:
    url, db = redis_server.url(1), tmp_path / "archive.db"
    seen = len(replica.server.requests)
    ingester = ingest(url, db)
    workers = [worker(url, replica, tmp_path) for _ in range(3)]
    outputs = [w.finish() for w in workers]
    code, ingested = ingester.finish()
    for rc, out in outputs:
        assert rc == 0, out
        assert "status: ok: the crawl is finished (exit 0" in out
    assert code == 0, ingested
    assert f"{len(reference.articles)} new" in ingested and "status: ok (exit 0" in ingested
    assert_same_archive(db, reference)
    # Each article fetched once by the three workers together, and all three did their share.
    fetches = article_fetches(replica, seen)
    assert len(fetches) == len(reference.articles) and set(fetches.values()) == {1}
    shares = [int(re.search(r"(\d+) pages \(", out)[1]) for _, out in outputs]  # type: ignore[index]
    assert all(share > 50 for share in shares), shares
    # Nothing is left behind in Redis but the crawl's verdict.
    client = redis.Redis.from_url(url, decode_responses=True)
    assert client.keys("*") == ["newsarchive:turan:state"]
    assert client.hget("newsarchive:turan:state", "status") == "ingested"

    # The next crawl (a new ingest opens it, with the archive's frontier): no archived article is
    # fetched again, and the archive gains no row but the run's.
    first = read_archive(db)
    seen = len(replica.server.requests)
    ingester, again = ingest(url, db), worker(url, replica, tmp_path)
    (rc, out), (code, ingested) = again.finish(), ingester.finish()
    assert rc == 0 and code == 0, out + ingested
    assert article_fetches(replica, seen) == Counter()
    assert re.search(r"[1-9]\d* already archived", out), out
    assert f"opened; {len(reference.articles)} archived articles in its frontier" in ingested
    second = read_archive(db)
    assert (second.articles, second.pages, second.failures) == (first.articles, first.pages, first.failures)
    assert [(site, status) for site, status, _ in second.runs] == [("turan", "finished")] * 2


def test_a_killed_worker_loses_nothing_and_a_new_one_joins(
    redis_server: LocalRedis, small_replica: ReplicaURL, small_reference: Archive, tmp_path: Path
) -> None:
    url, db = redis_server.url(2), tmp_path / "archive.db"
    seen = len(small_replica.server.requests)
    ingester = ingest(url, db)
    a, b = worker(url, small_replica, tmp_path), worker(url, small_replica, tmp_path)
    # Killed while both workers hold requests in flight, so the take-over has something to take
    # (killed a moment later, the first worker may have had nothing left: timing, not a result).
    wait_until("100 articles sent, both workers busy",
               lambda: articles_sent(url) >= 100 and busy_workers(url) >= 2, [ingester, a, b])
    os.kill(a.popen.pid, signal.SIGKILL)
    assert a.popen.wait(10) == -signal.SIGKILL
    c = worker(url, small_replica, tmp_path)
    (rc_b, out_b), (rc_c, out_c) = b.finish(), c.finish()
    code, ingested = ingester.finish()
    assert rc_b == 0 and rc_c == 0, out_b + out_c
    assert code == 0, ingested
    assert_same_archive(db, small_reference)
    # The killed worker's unfinished requests were queued again by the others, not lost...
    taken = sum(int(n) for out in (out_b, out_c) for n in re.findall(r"(\d+) taken over from stopped workers", out))
    assert taken > 0, out_b + out_c
    # ...and fetched again: only what it had in flight (taken, not yet acknowledged) is fetched twice.
    # How much that is depends on timing: up to the responses held behind its parse pool
    # (SCRAPER_SLOT_MAX_ACTIVE_SIZE) besides those being downloaded; a fixed bound would be flaky.
    fetches = article_fetches(small_replica, seen)
    assert set(fetches) == {t["url"][len(small_replica):] for t in small_replica.site.ground_truth(small_replica)}
    twice = sum(n - 1 for n in fetches.values())
    assert twice <= taken, f"{twice} articles fetched twice, {taken} taken over:\n{out_b[-3000:]}\n{out_c[-3000:]}"


def test_redis_restarted_mid_crawl_then_gone_for_good(
    redis_server: LocalRedis, small_replica: ReplicaURL, small_reference: Archive, tmp_path: Path
) -> None:
    """A restart: everyone waits and goes on. A longer outage: the workers stop with a clear error,
    the ingester waits; started again once Redis is back, the workers finish the crawl."""
    url, db = redis_server.url(3), tmp_path / "archive.db"
    ingester = ingest(url, db, "--redis-wait", "120")
    wait_five = ("-s", "DISTRIBUTED_REDIS_WAIT=5")
    first = [worker(url, small_replica, tmp_path, *wait_five) for _ in range(2)]
    wait_until("80 articles sent", lambda: articles_sent(url) >= 80, [ingester, *first])
    redis_server.restart(down=1.0)
    wait_until("200 articles sent", lambda: articles_sent(url) >= 200, [ingester, *first])
    redis_server.stop()
    outputs = [w.finish(timeout=60) for w in first]
    for rc, out in outputs:
        assert rc == 1, out
        assert "unreachable for more than 5 s" in out and "start it again once Redis is back" in out
        assert "is back after" in out  # the restart before was ridden out
    assert ingester.popen.poll() is None  # still waiting for Redis
    time.sleep(1.0)
    redis_server.start()
    second = [worker(url, small_replica, tmp_path) for _ in range(2)]
    for w in second:
        rc, out = w.finish()
        assert rc == 0, out
    code, ingested = ingester.finish()
    assert code == 0, ingested
    assert "(continued)" not in ingested  # one ingest from start to end
    assert_same_archive(db, small_reference)


def test_workers_wait_for_the_crawl_and_say_how_to_open_it(redis_server: LocalRedis, replica: ReplicaURL) -> None:
    result = newsarchive("crawl", "turan", "--distributed", redis_server.url(4), "--base-url", replica, "--quiet",
                         "-s", "DISTRIBUTED_START_TIMEOUT=1", timeout=60)
    assert result.returncode == 4, result.stdout + result.stderr
    assert "newsarchive ingest turan --redis URL --db PATH" in result.stdout + result.stderr


def test_unreachable_redis_is_one_line_and_exit_4(replica: ReplicaURL, tmp_path: Path) -> None:
    from scrapers.distributed.local import free_port

    url = f"redis://127.0.0.1:{free_port()}/0"
    crawl = newsarchive("crawl", "turan", "--distributed", url, "--base-url", replica, "-s", "DISTRIBUTED_REDIS_WAIT=0",
                        timeout=60)
    assert crawl.returncode == 4 and "could not run" in crawl.stdout + crawl.stderr, crawl.stdout + crawl.stderr
    result = newsarchive("ingest", "turan", "--redis", url, "--db", str(tmp_path / "a.db"), "--redis-wait", "0")
    assert result.returncode == 4 and "could not run" in result.stderr, result.stdout + result.stderr
    assert "Traceback" not in crawl.stderr + result.stderr

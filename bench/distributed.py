"""Pages per second of a distributed crawl with 1, 2 and 4 workers, against one process.

    .venv/bin/python bench/distributed.py --articles 3000

Serves the replica on 127.0.0.1 and starts a throwaway redis-server (scrapers/distributed/local.py).
For each row: a fresh archive, `newsarchive ingest turan` and N `newsarchive crawl turan --distributed`
workers (the real commands, each in its own process), all on this machine; the single-process row
is plain `newsarchive crawl turan`. "fetch s" runs from the start of the processes to the replica's
last answer, so it leaves out the workers' idle close (DISTRIBUTED_IDLE_CLOSE, set to 1 s here) and
the ingester's last batch; "done s" is until every article is in the archive. Every row must end
with the same articles in its archive (checked).

On a 2-core machine the workers, the ingester and the replica share two cores: the numbers say
what a second process buys on one machine, not what more machines would.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from replica.server import ReplicaURL, running_replica  # noqa: E402
from scrapers.distributed.local import LocalRedis  # noqa: E402


@dataclass
class Row:
    label: str
    workers: int
    pages: int
    fetch_seconds: float
    done_seconds: float
    articles: int
    cpu_seconds: float  # of every process of the row (workers, ingester), not the replica's


def newsarchive(*args: str) -> tuple[subprocess.Popen[str], Path, str]:
    """The command in its own process, its output in a file (no pipe left unread to freeze it)."""
    log = Path(tempfile.mkstemp(prefix="newsarchive-bench-", suffix=".log")[1])
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "newsarchive", *args], cwd=ROOT, stdout=out,
                                stderr=subprocess.STDOUT, text=True)
    return proc, log, " ".join(args[:2])


def watch(base: ReplicaURL, stop: threading.Event, last: list[float]) -> None:
    """Notes when the replica last answered a request."""
    seen = len(base.server.requests)
    while not stop.is_set():
        now = len(base.server.requests)
        if now != seen:
            seen, last[0] = now, time.perf_counter()
        time.sleep(0.05)


def run(base: ReplicaURL, db: Path, workers: int, redis_url: str | None) -> Row:
    first = len(base.server.requests)
    cpu = _children_cpu()
    started = time.perf_counter()
    last = [started]
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(base, stop, last), daemon=True)
    watcher.start()
    if redis_url is None:
        procs = [newsarchive("crawl", "turan", "--base-url", base, "--db", str(db), "--quiet")]
    else:
        procs = [newsarchive("ingest", "turan", "--redis", redis_url, "--db", str(db), "--quiet")]
        procs += [newsarchive("crawl", "turan", "--distributed", redis_url, "--base-url", base, "--quiet",
                              "-s", "DISTRIBUTED_IDLE_CLOSE=1") for _ in range(workers)]
    for proc, log, command in procs:
        code = proc.wait(timeout=3600)
        output = log.read_text()
        log.unlink()
        if code != 0:
            sys.exit(f"newsarchive {command} failed ({code}):\n{output}")
    done = time.perf_counter() - started
    stop.set()
    watcher.join()
    with sqlite3.connect(db) as conn:
        articles = int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    label = "single process (crawl)" if redis_url is None else f"distributed, {workers} worker(s) + ingest"
    return Row(label, workers, len(base.server.requests) - first, last[0] - started, done, articles,
               _children_cpu() - cpu)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", default="1,2,4", help="comma-separated worker counts")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    rows: list[Row] = []
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp, LocalRedis() as redis_server, \
            running_replica(articles=args.articles, seed=args.seed) as base:
        rows.append(run(base, Path(tmp) / "single.db", 1, None))
        for i, n in enumerate(counts):
            rows.append(run(base, Path(tmp) / f"workers{n}.db", n, redis_server.url(i)))
    if len({r.articles for r in rows}) != 1:
        sys.exit(f"the archives differ in their article counts: {[(r.label, r.articles) for r in rows]}")
    one = next((r for r in rows if r.workers == 1 and r.label.startswith("distributed")), rows[0])
    print(f"replica: {args.articles} articles (seed {args.seed}); {os.cpu_count()} cores; "
          f"python {sys.version.split()[0]}")
    print(f"load average before: {', '.join(f'{x:.2f}' for x in load)} (other processes share the cores)")
    print(f"{'run':<36} {'pages':>6} {'fetch s':>8} {'pages/s':>8} {'vs 1 worker':>11} {'done s':>7} "
          f"{'CPU s':>6} {'pages/CPU s':>11} {'articles':>8}")
    for r in rows:
        rate = r.pages / r.fetch_seconds
        print(f"{r.label:<36} {r.pages:>6} {r.fetch_seconds:>8.1f} {rate:>8.1f} "
              f"{rate / (one.pages / one.fetch_seconds):>10.2f}x {r.done_seconds:>7.1f} {r.cpu_seconds:>6.1f} "
              f"{r.pages / r.cpu_seconds:>11.1f} {r.articles:>8}")


if __name__ == "__main__":
    main()

"""A generic crawl (no profile: `newsarchive crawl --start URL`) of the WordPress-style replica:
its rate and the CPU each page costs, the crawl's own thread apart.

    .venv/bin/python bench/generic.py                 # 600 posts
    .venv/bin/python bench/generic.py --posts 2000 --runs 3

Each run is the real command in its own process against the replica on 127.0.0.1; the rate is the
crawl's own time from its run record, CPU is sampled from /proc (bench/run.py's sampler).
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import MemorySampler, _stamp  # noqa: E402
from replica.wordpress import running_wordpress  # noqa: E402


def crawl_once(posts: int, seed: int, tmp: Path) -> str:
    db = tmp / "generic.db"
    db.unlink(missing_ok=True)
    with running_wordpress(posts=posts, seed=seed) as base:
        command = [sys.executable, "-m", "newsarchive", "crawl", "--start", base + "/", "--db", str(db), "--quiet"]
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        with MemorySampler(process.pid) as sampler:
            output, _ = process.communicate()
        if process.returncode != 0:
            sys.exit(f"crawl failed ({process.returncode}):\n{output}")
    with sqlite3.connect(db) as conn:
        started, finished, pages = conn.execute("SELECT started, finished, pages FROM crawl_runs").fetchone()
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    seconds = (_stamp(finished) - _stamp(started)).total_seconds()
    return (f"{pages:,} pages, {articles:,} articles in {seconds:.1f} s ({pages / seconds:.0f} pages/s); CPU a "
            f"page: {1000 * sampler.tree_cpu / pages:.2f} ms (crawl and parse workers), Scrapy's thread "
            f"{1000 * sampler.thread_cpu / pages:.2f} ms; peak memory {sampler.peak_tree / 2**20:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=600, help="replica size (600 posts)")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsarchive-bench-") as tmp:
        for run in range(1, args.runs + 1):
            print(f"run {run}: {crawl_once(args.posts, args.seed, Path(tmp))}", flush=True)


if __name__ == "__main__":
    main()

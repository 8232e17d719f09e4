"""How long the reading pages take to render (issue 19): search pages first and deep, grouped by
story, and an article page with its versions and history, served by `newsarchive serve`.

    .venv/bin/python bench/reading.py --articles 20000 [--db /tmp/reading.db] [--repeat 5]

The archive is the replica's ground truth (its articles, comments and captions) with each
article's hreflang versions as the replica's pages declare them; it is built once and reused.
Prints the median time of each page over --repeat requests, and the load average: compare pages
of one run with each other, not with another run's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.store import Archive, ArticleRecord  # noqa: E402
from replica.site import ReplicaSite  # noqa: E402
from tests.test_web_ui import free_port, truth_article, wait_http  # noqa: E402

BASE = "https://turan.az"
FETCHED = datetime(2025, 3, 1, tzinfo=UTC)


def build(path: Path, articles: int) -> float:
    start = time.perf_counter()
    site = ReplicaSite(seed=19, articles=articles)
    versions = {BASE + e.path: {o.lang: BASE + o.path for o in site.translations(e)} for e in site.articles()}
    batch: list[ArticleRecord] = []
    with Archive.open(path) as archive:
        for truth in site.ground_truth(BASE):
            article = truth_article(truth)
            article.alternates = versions[article.url]
            batch.append(ArticleRecord(article, None, FETCHED))
            if len(batch) == 2000:
                archive.write_batch(articles=batch)
                batch = []
        archive.write_batch(articles=batch)
    return time.perf_counter() - start


def timed(url: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=60) as r:
            r.read()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    db = args.db or Path(f"/tmp/newsarchive-reading-{args.articles}.db")
    if not db.exists():
        print(f"building {db}: {args.articles} articles in {build(db, args.articles):.1f} s")
    with Archive.open(db, create=False, readonly=True) as archive:
        n = archive.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        article = archive.conn.execute(
            "SELECT article_id FROM article_alternates GROUP BY article_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "newsarchive", "serve", "--db", str(db), "--port", str(port)],
                            cwd=ROOT, env={**os.environ}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/{db.stem}"
    try:
        wait_http(f"http://127.0.0.1:{port}/-/versions.json")
        pages = {
            "search, page 1": "/search?q=Aliyev",
            "search, page 11 (offset 200)": "/search?q=Aliyev&offset=200",
            "search JSON, page 1": "/search.json?q=Aliyev&_shape=array",
            "grouped, page 1": "/search?q=Aliyev&group=1",
            "grouped, page 11 (offset 200)": "/search?q=Aliyev&group=1&offset=200",
            "article with versions and history": f"/articles/{article}",
        }
        print(f"{n} articles; load average {Path('/proc/loadavg').read_text().split()[:3]}")
        for name, path in pages.items():
            print(f"{name:<36} {timed(base + path, args.repeat):8.1f} ms  {path}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()

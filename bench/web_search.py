"""The web search page at scale (issue 19): the page as served (ranked by the library: the top-k
index for broad queries) against the same page with ``&exact=1`` (FTS5 ranking every match, what
every page did before), in one run, with bench/search.py's queries.

    .venv/bin/python bench/web_search.py --db /tmp/search-1m.db [--queries 8] [--runs 2]

In process (Datasette's own test client, no HTTP): the time of rendering the page, its count and
its 20 results with snippets.  Prints p50/p95 per class and how many pages said "approximate".
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from search import percentile, queries  # noqa: E402

from archive.web import build  # noqa: E402


async def _time(datasette: Any, url: str, runs: int) -> tuple[list[float], str]:
    response = await datasette.client.get(url)  # warm
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = await datasette.client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return timings, response.text


async def run(db: Path, per_class: int, runs: int) -> None:
    datasette = build(db)
    await datasette.invoke_startup()
    name = datasette.urls.database(next(n for n in datasette.databases if n != "_internal"))
    print(f"{'class':<16}{'queries':>8}{'p50':>8}{'p95':>8}{'exact p50':>11}{'exact p95':>11}{'approx.':>9}"
          f"   (ms; load {os.getloadavg()[0]:.1f})")
    for cls, qs in queries(db, per_class, 1).items():
        served: list[float] = []
        exact: list[float] = []
        approximate = 0
        for q in qs:
            url = f"{name}/search?q={urllib.parse.quote(q)}"
            timings, page = await _time(datasette, url, runs)
            served += timings
            approximate += 'class="na-approximate"' in page
            exact += (await _time(datasette, url + "&exact=1", runs))[0]
        print(f"{cls:<16}{len(qs):>8}{statistics.median(served):>8.0f}{percentile(served, 0.95):>8.0f}"
              f"{statistics.median(exact):>11.0f}{percentile(exact, 0.95):>11.0f}{approximate:>9}")
    print(f"load {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True, help="an archive with its top-k index in step")
    parser.add_argument("--queries", type=int, default=8, help="queries per class (default 8)")
    parser.add_argument("--runs", type=int, default=2, help="timed requests per page (default 2)")
    args = parser.parse_args()
    asyncio.run(run(args.db, args.queries, args.runs))


if __name__ == "__main__":
    main()

"""Cost of an unchanged re-crawl against the first crawl, on a generated replica.

    .venv/bin/python bench/recrawl.py --articles 5000

Serves the replica on 127.0.0.1, crawls it into a fresh archive with `newsarchive crawl turan`
(the real command, in its own process), then crawls it again unchanged, twice: with the default
re-crawl policy (by age: the replica's articles are all older than the policy's re-visit ages,
and were all just visited, so none is due) and with `--recrawl always` (every archived article
re-visited with a conditional request: a 304 each). Prints time and requests of each run, and
their ratios to the first crawl.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from replica.server import running_replica  # noqa: E402


def crawl(base: str, db: Path, *extra: str) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "newsarchive", "crawl", "turan", "--base-url", base, "--db", str(db), "--quiet", *extra],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"crawl failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, running_replica(articles=args.articles, seed=args.seed) as base:
        db = Path(tmp) / "archive.db"
        rows = []
        for label, extra in (("first crawl", ()), ("unchanged re-crawl (age policy, default)", ()),
                             ("unchanged re-crawl (--recrawl always: 304s)", ("--recrawl", "always"))):
            seen = len(base.server.requests)
            seconds = crawl(base, db, *extra)
            statuses = Counter(status for _, _, status in base.server.requests[seen:])
            rows.append((label, seconds, sum(statuses.values()), statuses))
    first_s, first_n = rows[0][1], rows[0][2]
    print(f"replica: {args.articles} articles (seed {args.seed}); python {sys.version.split()[0]}")
    print(f"{'run':<46} {'seconds':>8} {'requests':>9} {'time ratio':>10} {'req ratio':>9}  statuses")
    for label, seconds, requests, statuses in rows:
        shown = ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
        ratios = f"{seconds / first_s:>10.3f} {requests / first_n:>9.3f}"
        print(f"{label:<46} {seconds:>8.1f} {requests:>9} {ratios}  {shown}")


if __name__ == "__main__":
    main()

"""Archive size per article against the gzip'd raw HTML of the same article pages, table by table.

    .venv/bin/python bench/size.py                      # crawl a 2,000-article replica and measure it
    .venv/bin/python bench/size.py --articles 500 --keep /tmp/a.db
    .venv/bin/python bench/size.py --db /tmp/a.db       # measure an archive already crawled

The crawl is the real command (``newsarchive crawl turan``, its own process) against the replica
served on 127.0.0.1 (``replica.server.running_replica``), as in bench/run.py. The archive is measured
after ``VACUUM INTO`` a copy (no free pages, no WAL); the reference is ``gzip -6`` of each article's
raw page, summed. The per-table breakdown comes from SQLite's ``dbstat`` virtual table (indexes and
FTS shadow tables are their own rows) when this SQLite has it.
"""

from __future__ import annotations

import argparse
import gzip
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.store import Archive  # noqa: E402
from replica.model import WEIGHTS  # noqa: E402
from replica.server import running_replica  # noqa: E402


def crawl(base: str, db: Path) -> None:
    command = [sys.executable, "-m", "newsarchive", "crawl", "turan", "--base-url", base, "--db", str(db), "--quiet"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode not in (0, 3):  # 3: finished with some failed URLs, still measurable
        sys.exit(f"crawl failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")


def vacuumed(db: Path, tmp: Path) -> Path:
    copy = tmp / "vacuumed.db"
    copy.unlink(missing_ok=True)
    with sqlite3.connect(db) as conn:
        conn.execute("VACUUM INTO ?", (str(copy),))
    return copy


def by_table(db: Path) -> list[tuple[str, int]]:
    """(table or index name, bytes) from dbstat, largest first; empty when dbstat is missing."""
    with sqlite3.connect(db) as conn:
        try:
            rows = conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC").fetchall()
        except sqlite3.OperationalError:
            return []
    return [(str(name), int(size)) for name, size in rows]


def raw_and_gzip(db: Path) -> tuple[int, int, int]:
    """(raw bytes, gzip'd bytes, pages) of the article pages, each page once."""
    raw = gz = n = 0
    with Archive.open(db, create=False, readonly=True) as archive:
        rows = archive.conn.execute("SELECT DISTINCT page_hash FROM articles WHERE page_hash IS NOT NULL")
        for (page_hash,) in rows.fetchall():
            body = archive.page_body(page_hash)
            raw += len(body)
            gz += len(gzip.compress(body, 6))
            n += 1
    return raw, gz, n


def report(db: Path, tmp: Path) -> None:
    with sqlite3.connect(db) as conn:
        articles = int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        bodies = conn.execute("SELECT compression, count(*), sum(size), sum(length(body)) FROM page_bodies "
                              "GROUP BY 1 ORDER BY 1").fetchall()
    copy = vacuumed(db, tmp)
    size = copy.stat().st_size
    tables = by_table(copy)
    copy.unlink()
    raw, gz, pages = raw_and_gzip(db)
    per = size / articles
    gz_per = gz / max(pages, 1)
    print(f"articles {articles:,}; article pages {pages:,}")
    print(f"raw HTML per article page   {raw / max(pages, 1):>10,.0f} B")
    print(f"gzip -6 per article page    {gz_per:>10,.0f} B")
    print(f"archive (vacuumed) per article {per:>7,.0f} B  ({size:,} B in all)")
    print(f"ratio archive / gzip        {per / gz_per:>10.2f} x   (target <= 1.2 x)")
    for compression, count, raw_sum, stored in bodies:
        print(f"  page_bodies {compression}: {count:,} bodies, {raw_sum:,} B raw -> {stored:,} B stored "
              f"({stored / max(raw_sum, 1):.1%})")
    if not tables:
        print("(this SQLite has no dbstat: no breakdown by table)")
        return
    print("| table or index | bytes | per article | share |")
    print("|---|---:|---:|---:|")
    for name, bytes_ in tables:
        print(f"| {name} | {bytes_:,} | {bytes_ / articles:,.0f} | {bytes_ / size:.1%} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000, help="replica size to crawl (2,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--weight", choices=WEIGHTS, default="light",
                        help="replica page weight: light (~16 KB pages) or real (~86 KB, a real news page's)")
    parser.add_argument("--db", type=Path, help="measure this archive instead of crawling one")
    parser.add_argument("--keep", type=Path, help="keep the crawled archive at this path")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsarchive-size-") as name:
        tmp = Path(name)
        db = args.db or args.keep or tmp / "archive.db"
        if not args.db:
            print(f"crawling a {args.articles:,}-article replica into {db} ...", flush=True)
            with running_replica(articles=args.articles, seed=args.seed, weight=args.weight) as base:
                crawl(base, db)
        report(db, tmp)


if __name__ == "__main__":
    main()

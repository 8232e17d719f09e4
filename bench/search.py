"""Search latency and index size on a generated archive (a benchmark, not a test).

Builds an archive of N articles straight from the replica's ground truth through the archive's
write API (no crawl: the same rows a perfect crawl would write), then times 2-word queries with
snippets, the way `newsarchive search` runs them, and prints a table:

    .venv/bin/python bench/search.py                       # 20,000 articles
    .venv/bin/python bench/search.py --articles 100000 --db /tmp/bench-100k.db --keep

Queries: pairs of words drawn (seeded) from the generated titles, so they match like a
researcher's would: "rare" pairs (both words in under 1 % of articles), "mid", and "common"
(both words in over 5 %), plus cross-language forms (Aliyev, Алиев, переговоры).  Each query runs
once to warm the page cache, then `--runs` times; p50/p95 are over all timed runs of a class.

Issue 19: the default search (the top-k index beside the archive, archive/search/topk.py, built
first when it is not in step; `--topk off`: FTS5 alone) is timed next to exact FTS5 (`--exact`) in
the same run, then the top-10 agreement of every query with exact bm25 is printed per class, and the
`--count` / `--facets` times.  A 1M archive of distinct articles: bench/build_search_archive.py
(see bench/README.md); `--grow-to` copies, which tie in bm25 and hide what a bounded ranking changes.

`--grow-to N` then copies the archive's articles (new ids, keys and URLs; their index entries
copied as they are, comments left behind) until it holds N: generating 1M articles through the write
path takes ~1 h 45 min on 2 cores, copying ~15 min. The copies have the same words, so the posting
lists, the match counts and the ranking work grow as with N distinct articles; snippets do not change.

Size: the archive file per article, and what the language-aware index costs, found by copying
the archive without it (VACUUM INTO, then dropping the index tables and vacuuming again).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.search import count, facets, fts_query, search, search_info  # noqa: E402
from archive.search import topk as topk_index  # noqa: E402
from archive.search.index import ARTICLES_FTS, COMMENTS_FTS, PENDING, TOPK_QUEUE, TOPK_TOKEN  # noqa: E402
from archive.store import Archive, ArticleRecord  # noqa: E402
from replica.site import ReplicaSite  # noqa: E402
from scrapers.parsers.article import Article, Caption, Comment  # noqa: E402

FETCHED = datetime(2025, 3, 1, tzinfo=UTC)
WORD = re.compile(r"[^\W\d_]{4,}")


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def truth_article(t: dict[str, Any]) -> Article:
    """A ground-truth record (replica/truth.py) as the parser would have returned it."""
    return Article(
        url=t["url"], canonical_url=t["canonical_url"], site=t["site"], article_id=t["article_id"],
        language=t["language"], section=t["section"], title=t["title"], authors=list(t["authors"]),
        published=_dt(t["published"]), published_raw=t["published_raw"], modified=_dt(t["modified"]),
        body=t["body"], tags=list(t["tags"]), is_partial=t["is_partial"],
        captions=[Caption(c["image_url"], c["text"], c["credit"], c["credit_url"]) for c in t["captions"]],
        comments=[
            Comment(c["comment_id"], c["parent_id"], c["author"], _dt(c["published"]), c["published_raw"], c["text"])
            for c in t["comments"]
        ],
    )


def truth(articles: int, seed: int) -> Iterator[dict[str, Any]]:
    return ReplicaSite(seed=seed, articles=articles).ground_truth("https://turan.az")


def build(path: Path, articles: int, seed: int, batch: int = 500) -> tuple[int, float]:
    """Writes the replica's articles into a new archive at `path`: (articles, seconds)."""
    start, n = time.perf_counter(), 0
    with Archive.open(path) as archive:
        pending: list[ArticleRecord] = []
        for t in truth(articles, seed):
            pending.append(ArticleRecord(truth_article(t), None, FETCHED))
            if len(pending) >= batch:
                archive.write_batch(articles=pending)
                n += len(pending)
                pending = []
                print(f"\r  written {n:,} articles ({n / (time.perf_counter() - start):,.0f}/s)", end="", flush=True)
        if pending:
            archive.write_batch(articles=pending)
            n += len(pending)
        archive.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print()
    return n, time.perf_counter() - start


def grow(path: Path, target: int, chunk: int = 20_000) -> tuple[int, float]:
    """Copies the archive's generated articles until it holds `target`: (articles, seconds).

    Both full-text indexes follow: ``articles_fts`` through its triggers, the language-aware index by
    copying the originals' keys (what ``search_index.flush`` would compute again, slowly).
    """
    start = time.perf_counter()
    conn = sqlite3.connect(path, isolation_level=None)
    (originals,) = conn.execute("SELECT max(id) FROM articles").fetchone()
    (n,) = conn.execute("SELECT count(*) FROM articles").fetchone()
    columns = [r[1] for r in conn.execute("PRAGMA table_info(articles)") if r[1] not in ("id", "key", "url")]
    select_list = ", ".join("0" if c == "comment_count" else c for c in columns)
    while n < target:
        (top,) = conn.execute("SELECT max(id) FROM articles").fetchone()
        offset = (top - 1) // originals * originals  # copy number offset / originals is under way
        if top - offset == originals:
            offset += originals
        done = top - offset  # originals copied so far in this copy
        take = min(chunk, target - n, originals - done)
        conn.execute("BEGIN")
        conn.execute(
            f"INSERT INTO articles (id, key, url, {', '.join(columns)}) "
            f"SELECT id + ?1, key || '#copy' || ?1, url || '?copy=' || ?1, {select_list} "
            "FROM articles WHERE id > ?2 AND id <= ?3 ORDER BY id",
            (offset, done, done + take),
        )
        conn.execute(
            f"INSERT INTO {ARTICLES_FTS} (rowid, title, body, captions, comments, authors) "
            f"SELECT rowid + ?1, title, body, captions, '', authors FROM {ARTICLES_FTS} "
            "WHERE rowid > ?2 AND rowid <= ?3",
            (offset, done, done + take),
        )
        conn.execute(f"DELETE FROM {PENDING} WHERE kind = 'article' AND id > ?", (originals,))
        conn.execute("COMMIT")
        (n,) = conn.execute("SELECT count(*) FROM articles").fetchone()
        print(f"\r  {n:,} articles ({time.perf_counter() - start:,.0f} s)", end="", flush=True)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    print()
    return n, time.perf_counter() - start


def title_sample(path: Path, sample: int = 5000, seed: int = 1) -> tuple[list[list[str]], Counter[str]]:
    """Words of a sample of titles (the same for the same seed), and their document frequency in it."""
    with sqlite3.connect(path) as conn:
        (top,) = conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()
        ids = random.Random(seed).sample(range(1, top + 1), min(sample, top))
        rows = conn.execute("SELECT title FROM articles WHERE id IN (SELECT value FROM json_each(?))",
                            (json.dumps(ids),)).fetchall()
    titles = [sorted({w.lower() for w in WORD.findall(title or "")}) for (title,) in rows]
    df: Counter[str] = Counter(w for words in titles for w in words)
    return [t for t in titles if len(t) >= 2], df


def queries(path: Path, per_class: int, seed: int) -> dict[str, list[str]]:
    """Two words of one title (so the pair occurs), classed by how common the rarer one is:
    rare (in under 0.5 % of articles), mid, common (both in 3 % or more)."""
    titles, df = title_sample(path, seed=seed)
    n = sum(1 for _ in titles) or 1
    rng = random.Random(seed)
    classes: dict[str, list[str]] = {"rare": [], "mid": [], "common": []}
    for _ in range(200_000):
        if all(len(v) >= per_class for v in classes.values()):
            break
        words = rng.choice(titles)
        a, b = sorted(rng.sample(words, 2), key=lambda w: -df[w]) if rng.random() < 0.5 else sorted(
            words, key=lambda w: -df[w])[:2]
        share = min(df[a], df[b]) / n
        cls = "rare" if share < 0.005 else "common" if share >= 0.03 else "mid"
        query = f"{a} {b}"
        if len(classes[cls]) < per_class and query not in classes[cls]:
            classes[cls].append(query)
    classes["cross-language"] = ["Aliyev Putin", "Алиев переговоры", "Əliyev Bakı", "Eliyev Baki",
                                 "Erdogan visit", "переговоры Москве", "Pashinyan talks", "Şuşa Qarabağ"]
    return classes


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


Row = tuple[str, int, float, float, float, float]


def _timed(run: Any, runs: int, first: list[float] | None = None) -> tuple[list[float], Any]:
    """`runs` timings of `run` after a first, warming call (its time appended to `first`)."""
    t0 = time.perf_counter()
    result = run()  # warm
    if first is not None:
        first.append((time.perf_counter() - t0) * 1000)
    timings = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = run()
        timings.append((time.perf_counter() - t0) * 1000)
    return timings, result


def time_queries(path: Path, classes: dict[str, list[str]], runs: int, limit: int, exact: bool = False) -> list[Row]:
    """p50/p95/max of `search` per class (exact: FTS5 ranking every match, as before issue 19), and
    the p95 of each query's first run (what a process pays the first time it meets the query's words:
    the top-k path keeps their row counts until the archive changes, archive/search/bm25.py)."""
    rows = []
    with Archive.open(path, create=False, readonly=True) as archive:
        for cls, qs in classes.items():
            timings: list[float] = []
            first: list[float] = []
            for q in qs:
                timings += _timed(lambda q=q: search(archive, q, limit=limit, exact=exact), runs, first)[0]
            rows.append((cls, len(qs), statistics.median(timings), percentile(timings, 0.95), max(timings),
                         percentile(first, 0.95)))
    return rows


def agreement(path: Path, classes: dict[str, list[str]], limit: int, threshold: int) -> list[str]:
    """Per class: the default answer's top `limit` against exact bm25's (FTS5 ranking every match):
    results in common on average, queries identical (ids and order), and whether every query with
    fewer than `threshold` matches is identical; how many answers were approximate."""
    lines = []
    with Archive.open(path, create=False, readonly=True) as archive:
        for cls, qs in classes.items():
            common, identical, small, small_identical, approximate = [], 0, 0, 0, 0
            for q in qs:
                hits, info = search_info(archive, q, limit=limit)
                exact = [h.id for h in search(archive, q, limit=limit, exact=True)]
                ids = [h.id for h in hits]
                common.append(len(set(ids) & set(exact)) if exact else limit)
                identical += ids == exact
                approximate += not info.exact
                if count(archive, q) < threshold:
                    small += 1
                    small_identical += ids == exact
            lines.append(f"{cls:<16}{statistics.mean(common):>9.2f}/{limit}{identical:>6}/{len(qs):<4}"
                         f"{small_identical:>9}/{small:<6}{approximate:>8}")
    return lines


def time_counts(path: Path, classes: dict[str, list[str]], runs: int) -> list[str]:
    """p95 of `--count` and of `--facets` (count and facets), per class; the facets also by the SQL
    over every match (exact=True, as before the index counted them) in the same run, and how many
    queries' facets were the same both ways."""
    lines = []
    with Archive.open(path, create=False, readonly=True) as archive:
        for cls, qs in classes.items():
            counts: list[float] = []
            faceted: list[float] = []
            sql: list[float] = []
            matches: list[int] = []
            same = 0
            for q in qs:
                timings, n = _timed(lambda q=q: count(archive, q), runs)
                counts += timings
                matches.append(n)
                timings, fast = _timed(lambda q=q: (count(archive, q), facets(archive, q)), runs)
                faceted += timings
                timings, exact = _timed(
                    lambda q=q: (count(archive, q, exact=True), facets(archive, q, exact=True)), runs)
                sql += timings
                same += [list(f.items()) for f in fast[1].values()] == [list(f.items()) for f in exact[1].values()]
            lines.append(f"{cls:<16}{statistics.median(matches):>12,.0f}{max(matches):>12,}"
                         f"{percentile(counts, 0.95):>12.1f}{percentile(faceted, 0.95):>12.1f}"
                         f"{percentile(sql, 0.95):>12.1f}{same:>8}/{len(qs)}")
    return lines


def build_topk(path: Path) -> tuple[int, float]:
    start = time.perf_counter()
    with Archive.open(path, create=True) as archive:  # migrates to schema v9 if it must
        n = topk_index.rebuild(archive.conn, threads=2)
    return n, time.perf_counter() - start


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def bounded_ranking(path: Path, classes: dict[str, list[str]], windows: list[int], limit: int) -> list[str]:
    """What ranking only the newest `window` matches (by rowid, i.e. archive order) would cost and
    change: the ranking query's p95 alone (no snippets), and the share of the exact top `limit` kept.
    A measure for the decision of bounding the ranking; `newsarchive search` ranks every match."""
    exact_sql = (f"SELECT rowid FROM {ARTICLES_FTS} WHERE {ARTICLES_FTS} MATCH ? ORDER BY rank LIMIT ?")
    cutoff_sql = (f"SELECT rowid FROM {ARTICLES_FTS} WHERE {ARTICLES_FTS} MATCH ? "
                  "ORDER BY rowid DESC LIMIT 1 OFFSET ?")
    bounded_sql = (f"SELECT rowid FROM {ARTICLES_FTS} WHERE {ARTICLES_FTS} MATCH ? AND rowid >= ? "
                   "ORDER BY rank LIMIT ?")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    matches = [fts_query(q) for qs in classes.values() for q in qs]

    def timed(run: Any) -> tuple[float, Any]:
        run()  # warm
        start = time.perf_counter()
        result = run()
        return (time.perf_counter() - start) * 1000, result

    exact = [timed(lambda m=m: [r[0] for r in conn.execute(exact_sql, (m, limit))]) for m in matches]
    lines = [f"exact ranking: p95 {percentile([t for t, _ in exact], 0.95):.1f} ms (ranking alone, no snippets)"]
    def bounded(m: str, window: int) -> list[int]:
        row = conn.execute(cutoff_sql, (m, window - 1)).fetchone()
        return [r[0] for r in conn.execute(bounded_sql, (m, row[0] if row else 0, limit))]

    for window in windows:
        runs = [timed(lambda m=m, w=window: bounded(m, w)) for m in matches]
        kept = [len(set(b) & set(e)) / len(e) for (_, b), (_, e) in zip(runs, exact, strict=True) if e]
        lines.append(f"newest {window:,} matches ranked: p95 {percentile([t for t, _ in runs], 0.95):.1f} ms; "
                     f"exact top {limit} kept: {statistics.mean(kept):.0%} on average, "
                     f"all {limit} on {sum(k == 1 for k in kept)} of {len(kept)} queries")
    conn.close()
    return lines


def size_without_index(path: Path) -> int:
    """The archive's size once the language-aware index is dropped (on a vacuumed copy)."""
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        copy = Path(tmp) / "copy.db"
        with sqlite3.connect(path) as conn:
            conn.execute("VACUUM INTO ?", (str(copy),))
        conn = sqlite3.connect(copy)
        for table in (ARTICLES_FTS, COMMENTS_FTS, PENDING, TOPK_QUEUE, TOPK_TOKEN):
            conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.commit()
        conn.execute("VACUUM")
        conn.close()
        return copy.stat().st_size


def vacuumed_size(path: Path) -> int:
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        copy = Path(tmp) / "copy.db"
        with sqlite3.connect(path) as conn:
            conn.execute("VACUUM INTO ?", (str(copy),))
        return copy.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20_000, help="archive size (default 20,000)")
    parser.add_argument("--db", type=Path, help="archive file (reused if it exists; default: a temporary file)")
    parser.add_argument("--keep", action="store_true", help="keep the archive file")
    parser.add_argument("--queries", type=int, default=30, help="queries per class (default 30)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per query (default 3)")
    parser.add_argument("--limit", type=int, default=10, help="results per query (default 10)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--grow-to", type=int, help="then copy articles until the archive holds this many")
    parser.add_argument("--rank-windows", default="", help="e.g. 10000,20000: also measure ranking only the "
                        "newest N matches (cost and change against the exact ranking)")
    parser.add_argument("--no-size", action="store_true", help="skip the size figures (two copies of the file)")
    parser.add_argument("--topk", choices=("build", "use", "off"), default="build",
                        help="the top-k index: build it when it is not in step (default), use it as it is, or "
                        "time FTS5 alone")
    parser.add_argument("--threshold", type=int, default=20_000, help="SEARCH_TOPK_THRESHOLD (agreement column)")
    parser.add_argument("--no-counts", action="store_true", help="skip the --count/--facets timings")
    parser.add_argument("--count-queries", type=int, default=10, help="queries per class timed for counts and "
                        "facets (default 10; facets read every match: ~1 s each at 1M)")
    args = parser.parse_args()

    tmp = None
    if args.db is None:
        tmp = Path(tempfile.mkdtemp(prefix="newsarchive-bench-"))
        args.db = tmp / "bench.db"
    try:
        if args.db.exists():
            with sqlite3.connect(args.db) as conn:
                n = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            print(f"reusing {args.db}: {n:,} articles")
        else:
            print(f"building {args.db} from the replica's ground truth ({args.articles:,} articles requested)")
            n, seconds = build(args.db, args.articles, args.seed)
            print(f"  {n:,} articles in {seconds:.0f} s ({n / seconds:,.0f} articles/s, both full-text indexes)")
        if args.grow_to and args.grow_to > n:
            print(f"growing it to {args.grow_to:,} articles by copying (see --grow-to)")
            n, seconds = grow(args.db, args.grow_to)
            print(f"  {n:,} articles after {seconds:.0f} s")
        if args.topk == "build":
            with Archive.open(args.db, create=False) as archive:
                fresh = topk_index.fresh_index(archive.conn) is not None
            if not fresh:
                print("building the top-k index from the archive (newsarchive search-index rebuild)")
                built, seconds = build_topk(args.db)
                print(f"  {built:,} articles in {seconds:.0f} s")
        classes = queries(args.db, args.queries, args.seed)
        header = (f"{'class':<16}{'queries':>8}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'1st p95':>9}"
                  f"{'exact p50':>11}{'exact p95':>11}{'exact max':>11}")
        exact_rows = time_queries(args.db, classes, args.runs, args.limit, exact=True)
        rows = exact_rows if args.topk == "off" else time_queries(args.db, classes, args.runs, args.limit)
        print(f"\n2-word queries, top {args.limit} with snippets, {n:,} articles, {args.runs} runs each "
              f"(SQLite {sqlite3.sqlite_version}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}): "
              "the default search (top-k index when in step) against exact FTS5 (--exact), same run")
        print(header)
        for (cls, count_, p50, p95, worst, first), (_, _, e50, e95, eworst, _) in zip(rows, exact_rows, strict=True):
            print(f"{cls:<16}{count_:>8}{p50:>10.1f}{p95:>10.1f}{worst:>10.1f}{first:>9.1f}"
                  f"{e50:>11.1f}{e95:>11.1f}{eworst:>11.1f}")
        print(f"\ntop-{args.limit} agreement with exact bm25 (the same queries):")
        print(f"{'class':<16}{'in common':>12}{'identical':>11}{' under ' + format(args.threshold, ','):>15}"
              f"{'approx.':>8}")
        for line in agreement(args.db, classes, args.limit, args.threshold):
            print(line)
        if not args.no_counts:
            print(f"\ncounts and facets (the first {args.count_queries} queries of each class, {args.runs} runs each):")
            print(f"{'class':<16}{'median hits':>12}{'max hits':>12}{'count p95':>12}{'facets p95':>12}"
                  f"{'SQL facets':>12}{'same':>10}")
            sample = {cls: qs[:args.count_queries] for cls, qs in classes.items()}
            for line in time_counts(args.db, sample, args.runs):
                print(line)
        if args.rank_windows:
            print(f"\nbounded ranking (the same queries, top {args.limit}):")
            windows = [int(w) for w in args.rank_windows.split(",")]
            for line in bounded_ranking(args.db, classes, windows, args.limit):
                print("  " + line)
        if args.no_size:
            return
        with_index = vacuumed_size(args.db)
        without = size_without_index(args.db)
        print(f"\narchive size (vacuumed): {with_index / n:,.0f} bytes/article with the language-aware index, "
              f"{without / n:,.0f} without; the index costs {(with_index - without) / n:,.0f} bytes/article "
              f"(+{(with_index - without) / without:.0%})")
        topk_dir = topk_index.index_dir(args.db)
        if topk_dir.exists():
            print(f"the top-k index ({topk_dir}): {dir_size(topk_dir) / n:,.0f} bytes/article more, beside the file")
    finally:
        if tmp is not None and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"archive kept at {args.db}")


if __name__ == "__main__":
    main()

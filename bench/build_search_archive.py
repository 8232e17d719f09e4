"""Builds a search benchmark archive of N DISTINCT articles, fast (a benchmark tool, not a test).

Every article is the replica's own (replica/: its model, its text generator, its ground truth),
written as the archive's write path writes a new article (`archive.store.article_row`; the
articles, captions and comments rows; both full-text indexes, the language-aware one with the keys
of `archive.search.index`). What makes it fast (~10x `bench/search.py`'s build):

- the photos' bytes are not generated (the ground truth hashes every photo; the search needs only
  the captions), which was ~85 % of `bench/search.py`'s build time;
- the articles, their rows and their index keys are made in worker processes (forked after the
  replica's model is built); the parent only inserts them, in batches of `--batch`, and empties
  the index queue that `flush` would have emptied (no versions: every article is new).

    nice -n 10 .venv/bin/python bench/build_search_archive.py --articles 1000000 --db /tmp/search-1m.db

Unlike `bench/search.py --grow-to` (copies), no two articles are copies: their term frequencies and
lengths differ, so bm25 ties do not hide what a bounded ranking changes (issue 19).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import random
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.search.index import ARTICLES_FTS, COMMENTS_FTS, PENDING, article_keys  # noqa: E402
from archive.search.normalize import normalize_text  # noqa: E402
from archive.store import Archive, ArticleRecord, article_row  # noqa: E402
from bench.search import truth_article  # noqa: E402
from replica.content import Figure  # noqa: E402
from replica.site import ReplicaSite  # noqa: E402
from replica.truth import article_truth  # noqa: E402

FETCHED = datetime(2025, 3, 1, tzinfo=UTC)
BASE = "https://turan.az"
_SITE: ReplicaSite | None = None  # the model, built once in the parent and shared by fork


class _NoPhotoBytes:
    """The replica's photo host, except that every photo reads as "not generated": the ground
    truth then skips rendering and hashing its bytes (replica/truth.py `_image`)."""

    cdn_base: str | None = None

    def __init__(self, site: ReplicaSite) -> None:
        self.site = site

    def image_url(self, fig: Figure, base: str) -> str:
        return self.site.image_url(fig, base)

    def image_fault(self, image_id: int, lead: bool) -> str | None:
        return "not generated"


Rows = tuple[list[dict[str, Any]], list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]],
             list[tuple[Any, ...]]]


def _generate(indexes: list[int]) -> Rows:
    """The rows of replica articles `indexes` (ids: index + 1): articles, captions, comments,
    the language-aware keys of each article and of each comment (ids: article id * 100 + n)."""
    site = _SITE
    assert site is not None
    host = _NoPhotoBytes(site)
    articles, captions, comments, keys, comment_keys = [], [], [], [], []
    for idx in indexes:
        a = truth_article(article_truth(site.entries[idx], site.content(idx), BASE, host))
        row = article_row(ArticleRecord(a, None, FETCHED))
        aid = idx + 1
        articles.append({**row, "id": aid, "comment_count": len(a.comments)})
        captions += [(aid, n, c.image_url, c.text, c.credit, c.credit_url) for n, c in enumerate(a.captions)]
        for n, c in enumerate(a.comments):
            cid = aid * 100 + n
            published = c.published.isoformat() if c.published else None
            comments.append((cid, aid, c.comment_id, c.parent_id, c.author, published, c.published_raw, c.text,
                             row["first_seen"]))
            comment_keys.append((cid, normalize_text(c.text, a.language), normalize_text(c.author, a.language)))
        keys.append((aid, *article_keys(a.language, a.title, a.body, row["captions_text"],
                                        [c.text for c in a.comments], row["authors"])))
    return articles, captions, comments, keys, comment_keys


def _insert(conn: Any, rows: Rows) -> None:
    articles, captions, comments, keys, comment_keys = rows
    if not articles:
        return
    columns = list(articles[0])
    conn.executemany(f"INSERT INTO articles ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})",
                     articles)
    conn.executemany("INSERT INTO captions (article_id, position, image_url, text, credit, credit_url) "
                     "VALUES (?, ?, ?, ?, ?, ?)", captions)
    conn.executemany("INSERT INTO comments (id, article_id, comment_id, parent_id, author, published, "
                     "published_raw, text, first_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", comments)
    conn.executemany(f"INSERT INTO {ARTICLES_FTS} (rowid, title, body, captions, comments, authors) "
                     "VALUES (?, ?, ?, ?, ?, ?)", keys)
    conn.executemany(f"INSERT INTO {COMMENTS_FTS} (rowid, text, author) VALUES (?, ?, ?)", comment_keys)
    conn.execute(f"DELETE FROM {PENDING}")  # what flush would have indexed: indexed above


def _chunks(site: ReplicaSite, size: int, after: int) -> Iterator[list[int]]:
    chunk: list[int] = []
    for entry in site.articles():
        if entry.idx + 1 <= after:  # written by an interrupted build (ids are indexes + 1, in order)
            continue
        chunk.append(entry.idx)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def build(path: Path, articles: int, seed: int, batch: int, workers: int) -> tuple[int, float]:
    """Writes the replica's live articles into a new archive at `path`: (articles, seconds)."""
    global _SITE
    start = time.perf_counter()
    _SITE = ReplicaSite(seed=seed, articles=articles)
    print(f"  replica model: {len(_SITE.entries):,} pages in {time.perf_counter() - start:.0f} s", flush=True)
    with Archive.open(path) as archive, multiprocessing.get_context("fork").Pool(workers) as pool:
        conn = archive.conn
        after = conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
        n = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        for rows in pool.imap(_generate, _chunks(_SITE, batch, after)):
            conn.execute("BEGIN IMMEDIATE")
            _insert(conn, rows)
            conn.execute("COMMIT")
            n += len(rows[0])
            elapsed = time.perf_counter() - start
            print(f"\r  written {n:,} articles ({n / elapsed:,.0f}/s, {elapsed:,.0f} s)", end="", flush=True)
        archive.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print()
    return n, time.perf_counter() - start


# --- recombined articles (--recombine-to) ------------------------------------------------------

_COPIED = ("site", "language", "section", "authors", "published", "published_raw", "captions_text", "tags",
           "extractor_version", "first_seen", "last_seen")


def _paragraph_pool(conn: Any, sources: int) -> dict[str, list[tuple[str, str]]]:
    """Paragraphs of `sources` generated articles per language, each with its keys (normalised
    once here, as `flush` would)."""
    pool: dict[str, list[tuple[str, str]]] = {}
    rows = conn.execute("SELECT language, body FROM articles WHERE key NOT LIKE 'recombined:%' "
                        "ORDER BY random() LIMIT ?", (sources,)).fetchall()
    for lang, body in rows:
        for text in str(body or "").split("\n\n"):
            if text.strip():
                pool.setdefault(lang, []).append((text, normalize_text(text, lang)))
    return pool


def recombine(path: Path, target: int, sources: int, seed: int, chunk: int = 10_000) -> tuple[int, float]:
    """Adds articles until the archive holds `target`: each the title, metadata, captions and
    authors of one generated article (chosen at random) and a body of 3-7 paragraphs drawn from
    other generated articles of its language, in a new order.  No two are the same text (the
    paragraphs and their number differ), so bm25 does not tie as copies would; the title words,
    weighted 10, still repeat about target/generated times.  Written as `_insert` writes, keys
    included (the body's keys are its paragraphs' keys: FTS5 tokenises across them alike)."""
    start, rng = time.perf_counter(), random.Random(seed)
    with Archive.open(path) as archive:
        conn = archive.conn
        pool = _paragraph_pool(conn, sources)
        (generated,) = conn.execute("SELECT max(id) FROM articles WHERE key NOT LIKE 'recombined:%'").fetchone()
        (n,) = conn.execute("SELECT count(*) FROM articles").fetchone()
        (top,) = conn.execute("SELECT max(id) FROM articles").fetchone()
        columns = ", ".join(_COPIED)
        while n < target:
            take = min(chunk, target - n)
            picks = [rng.randint(1, generated) for _ in range(take)]
            src = {r[0]: r for r in conn.execute(
                f"SELECT a.id, {columns}, a.title, c.c0, c.c2, c.c4 FROM articles AS a "
                f"JOIN {ARTICLES_FTS}_content AS c ON c.id = a.id WHERE a.id IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(set(picks))),))}
            articles, keys = [], []
            for pick in picks:
                row = src.get(pick)
                if row is None or row[2] not in pool:  # a gap in the ids (a missing replica page)
                    continue
                top += 1
                paragraphs = rng.sample(pool[row[2]], min(len(pool[row[2]]), rng.randint(3, 7)))
                body = "\n\n".join(p for p, _ in paragraphs)
                values = dict(zip(_COPIED, row[1:len(_COPIED) + 1], strict=True))
                title, title_keys, caption_keys, author_keys = row[len(_COPIED) + 1:]
                digest = hashlib.sha256(body.encode()).hexdigest()
                articles.append({**values, "id": top, "key": f"recombined:{top}", "url": f"https://turan.az/bench/{top}",
                                 "title": title, "body": body, "content_hash": digest, "comment_count": 0})
                keys.append((top, title_keys, " ".join(k for _, k in paragraphs if k), caption_keys, "", author_keys))
            conn.execute("BEGIN IMMEDIATE")
            _insert(conn, (articles, [], [], keys, []))
            conn.execute("COMMIT")
            n += len(articles)
            elapsed = time.perf_counter() - start
            print(f"\r  {n:,} articles ({elapsed:,.0f} s)", end="", flush=True)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print()
    return n, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000, help="replica pages to generate (~98 %% live)")
    parser.add_argument("--db", type=Path, required=True, help="the new archive file (must not exist)")
    parser.add_argument("--resume", action="store_true", help="go on with an interrupted build of the same archive")
    parser.add_argument("--recombine-to", type=int, help="then add recombined articles (see `recombine`) up to this")
    parser.add_argument("--sources", type=int, default=30_000, help="generated articles whose paragraphs recombine")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=1000, help="articles per write transaction")
    parser.add_argument("--workers", type=int, default=2, help="generating processes (default 2)")
    args = parser.parse_args()
    if args.db.exists() and not (args.resume or args.recombine_to):
        parser.error(f"{args.db} exists: choose a new file")
    if not args.db.exists() or args.resume:
        n, seconds = build(args.db, args.articles, args.seed, args.batch, args.workers)
        print(f"{n:,} distinct articles in {seconds:,.0f} s ({n / seconds:,.0f}/s) -> {args.db}")
    if args.recombine_to:
        n, seconds = recombine(args.db, args.recombine_to, args.sources, args.seed)
        print(f"{n:,} articles after recombining for {seconds:,.0f} s -> {args.db}")


if __name__ == "__main__":
    main()

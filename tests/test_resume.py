"""Resume after ``kill -9``: a crawl killed at seeded random moments, three times, then run to its
end, leaves the same archive, row for row, as a crawl never interrupted; and no resumed run
fetches an article that was already archived."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from random import Random
from typing import Any

import pytest

from archive.read import check
from archive.store import Archive
from replica.server import ReplicaURL, running_replica
from tests.conftest import ROOT, newsarchive

pytestmark = pytest.mark.crawl  # every test here starts a real crawl (or a browser)

ARTICLES = 220
SEED = 20240501
KILLS = 3
# Small, frequent batches: a killed run has archived something (what a kill loses is one batch).
FAST = ("-s", "ARCHIVE_FLUSH_SECONDS=0.2", "-s", "ARCHIVE_BATCH_SIZE=10")

# Each table compared on its natural key and content: surrogate ids, timestamps, run ids and fetch
# counters (listings are read again by every run, by design) are left out.
SNAPSHOT = {
    "articles": "SELECT key, url, canonical_url, site, article_id, language, section, title, authors, published, "
                "published_raw, modified, modified_raw, body, captions_text, tags, is_partial, extractor_version, "
                "content_hash, page_hash, comment_count, etag, http_last_modified, gone_since, gone_reason, version "
                "FROM articles",
    "comments": "SELECT a.key, c.comment_id, c.parent_id, c.author, c.published, c.published_raw, c.text "
                "FROM comments c JOIN articles a ON a.id = c.article_id",
    "captions": "SELECT a.key, c.position, c.image_url, c.text, c.credit, c.credit_url "
                "FROM captions c JOIN articles a ON a.id = c.article_id",
    "pages": "SELECT url, final_url, status, content_type, content_hash FROM pages",
    # The bytes stored depend on which pages built the site's compression dictionary (crawl order):
    # the content is compared by its hash, and every body is read back below.
    "page_bodies": "SELECT hash, size FROM page_bodies",
    "failures": "SELECT url, reason, status, detail, attempts FROM failures",
    "article_versions": "SELECT a.key, v.version, v.content_hash FROM article_versions v "
                        "JOIN articles a ON a.id = v.article_id",
}


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(db) as conn:
        return {table: sorted(conn.execute(sql).fetchall(), key=repr) for table, sql in SNAPSHOT.items()}


def archived_urls(db: Path) -> set[str]:
    if not db.exists():
        return set()
    with sqlite3.connect(db, timeout=10) as conn:
        return {row[0] for row in conn.execute("SELECT url FROM articles")}


def start_crawl(base: str, db: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("NEWSARCHIVE_DB", None)
    return subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "crawl", "turan", "--base-url", base, "--db", str(db), "--quiet", *FAST],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def kill_after(proc: subprocess.Popen[str], base: ReplicaURL, requests: int, extra: float) -> None:
    """kill -9 once the server has answered `requests` more requests, `extra` seconds later."""
    target = len(base.server.requests) + requests
    deadline = time.monotonic() + 120
    while len(base.server.requests) < target:
        assert proc.poll() is None, "the crawl ended before it could be killed"
        assert time.monotonic() < deadline, "the crawl made no progress"
        time.sleep(0.01)
    time.sleep(extra)
    assert proc.poll() is None, "the crawl ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)


def article_paths(base: ReplicaURL, urls: set[str]) -> set[str]:
    return {url[len(base):] for url in urls}


def test_killed_crawls_resume_to_the_same_archive(tmp_path: Path) -> None:
    whole, resumed = tmp_path / "whole.db", tmp_path / "resumed.db"
    rng = Random(SEED)
    with running_replica(articles=ARTICLES, seed=5) as base:
        total = sum(1 for _ in base.site.articles())
        done = newsarchive("crawl", "turan", "--base-url", base, "--db", str(whole), "--quiet", *FAST)
        assert done.returncode == 0, done.stderr
        pages = {url[len(base):] for url in [*(t["url"] for t in base.site.ground_truth(base)),
                                             *base.site.missing_urls(base)]}
        # Every run reads the listings (the captions' photos, fetched with their articles, are not listings).
        listings = sum(1 for _, path, _ in base.server.requests
                       if path not in pages and not path.startswith("/resized/media/"))

        # Kill points: each run is killed after reading the listings and a random share of what
        # is left, plus a random wait of up to 50 ms.
        refetched: list[set[str]] = []
        for _ in range(KILLS):
            before = archived_urls(resumed)
            seen = len(base.server.requests)
            proc = start_crawl(base, resumed)
            share = rng.uniform(0.2, 0.6)
            kill_after(proc, base, listings + int(share * (total - len(before))), rng.uniform(0.0, 0.05))
            requested = {path for _, path, _ in base.server.requests[seen:]}
            refetched.append(requested & article_paths(base, before))
        before = archived_urls(resumed)
        assert 0 < len(before) < total, "the kills left nothing to resume"
        seen = len(base.server.requests)
        last = newsarchive("crawl", "turan", "--base-url", base, "--db", str(resumed), "--quiet", *FAST)
        assert last.returncode == 0, last.stdout + last.stderr
        refetched.append({p for _, p, _ in base.server.requests[seen:]} & article_paths(base, before))

    assert refetched == [set()] * (KILLS + 1), "a resumed run fetched an article already archived"
    assert "took over the lock of a job that is gone" in last.stderr
    assert snapshot(resumed) == snapshot(whole)
    with Archive.open(resumed, create=False) as archive:
        assert check(archive) == []
        for (digest,) in archive.conn.execute("SELECT hash FROM page_bodies"):
            archive.page_body(digest)  # raises unless the bytes match their SHA-256
        runs = [r[0] for r in archive.conn.execute("SELECT status FROM crawl_runs ORDER BY id")]
    assert runs == ["interrupted"] * KILLS + ["finished"]

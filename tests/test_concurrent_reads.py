"""Reads while a crawl writes (issue 6): searches and `stats` run against the archive a crawl is
writing, in small frequent batches, without errors and without waiting on the writer (WAL: readers
never block on the writer; every write is one short transaction).

Each read opens the archive as a command would, with SQLite's busy timeout at 0: a read that had to
wait for the writer would fail at once instead of waiting, so no clock is needed to tell. The CLI
itself is run too, for errors only."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from archive.errors import ArchiveError
from archive.read import check, stats
from archive.search import count, search
from archive.store import Archive
from replica.server import running_replica
from tests.conftest import ROOT, newsarchive

ARTICLES = 300
READS: tuple[tuple[str, Callable[[Archive], int]], ...] = (
    ("search", lambda a: len(search(a, "Aliyev OR Baku", limit=20))),
    ("count", lambda a: count(a, "Aliyev")),
    ("comments", lambda a: len(search(a, "the", target="comments", limit=5))),
    ("stats", lambda a: int(stats(a)["articles"])),
)
FAST = ("-s", "ARCHIVE_FLUSH_SECONDS=0.2", "-s", "ARCHIVE_BATCH_SIZE=10", "-s", "AUTOTHROTTLE_ENABLED=False")


@pytest.mark.crawl
def test_searches_and_stats_run_while_a_crawl_writes(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    Archive.open(db).close()  # readers need a set-up archive; the crawl then writes into it
    done_reads: Counter[str] = Counter()
    seen_counts: list[int] = []
    cli_runs = 0
    with running_replica(articles=ARTICLES, seed=3) as base:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("NEWSARCHIVE_DB", None)
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsarchive", "crawl", "turan", "--base-url", base, "--db", str(db), "--quiet",
             *FAST],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            while proc.poll() is None:
                for name, read in READS:
                    with Archive.open(db, create=False, readonly=True) as archive:
                        # A read that had to wait on the writer fails at once ("database is locked").
                        archive.conn.execute("PRAGMA busy_timeout = 0")
                        value = read(archive)
                    done_reads[name] += 1
                    if name == "stats":
                        seen_counts.append(value)
                if cli_runs < 3 and done_reads["stats"] % 10 == 5:  # the commands, as a user types them
                    for args in (("search", "Aliyev", "--limit", "3"), ("stats",)):
                        done = newsarchive(*args, "--db", str(db), timeout=60)
                        assert done.returncode == 0, done.stderr
                        assert "Traceback" not in done.stderr
                    cli_runs += 1
            out, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == 0, out + err
    reads = sum(done_reads.values())
    assert reads >= 40, f"only {reads} reads happened during the crawl"
    assert len(set(seen_counts)) >= 3, f"reads did not overlap the writes: {sorted(set(seen_counts))}"
    assert cli_runs >= 1
    with Archive.open(db, create=False) as archive:
        assert check(archive) == []


def test_a_read_only_reader_never_blocks_the_writer(tmp_path: Path) -> None:
    """A reader holding a read transaction open (a slow Datasette page) does not stop a batch."""
    db = tmp_path / "archive.db"
    Archive.open(db).close()
    with Archive.open(db, create=False, readonly=True) as reader, Archive.open(db) as writer:
        reader.conn.execute("BEGIN")
        reader.conn.execute("SELECT count(*) FROM articles").fetchone()  # a snapshot is now held
        writer.conn.execute("PRAGMA busy_timeout = 0")  # waiting for the reader would fail at once
        run_id = writer.start_run("turan", {})
        writer.finish_run(run_id, "finished", {})
        reader.conn.execute("COMMIT")
    try:
        with Archive.open(db, create=False, readonly=True) as reader:
            assert reader.conn.execute("SELECT count(*) FROM crawl_runs").fetchone()[0] == 1
    except ArchiveError as exc:  # pragma: no cover - a failure message, not a path
        raise AssertionError(str(exc)) from exc

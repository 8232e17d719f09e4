"""kill -9 at seeded random points, 20+ times (issue 6): after every kill `newsarchive check` finds a
consistent archive (SQLite integrity, both full-text indexes and the language-aware index, no orphan
comments or captions, no duplicate articles), and each series of killed runs, once run to its end,
leaves the same archive, row for row, as a crawl never interrupted.

Kill points are of two kinds, drawn from one seeded generator: a moment after the process started
(while it imports, migrates, opens the archive or crawls), and a number of server answers plus a few
milliseconds (mid-crawl, often mid-batch: batches are small and frequent here)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from random import Random

import pytest

from archive.store import Archive
from replica.server import ReplicaURL, running_replica
from tests.conftest import ROOT, newsarchive
from tests.test_resume import FAST, snapshot

pytestmark = pytest.mark.crawl  # every test here starts a real crawl (or a browser)

ARTICLES = 60
SEED = 6006
KILLS = 20
KILLS_PER_SERIES = 10  # then the series is run to its end and compared; a fresh archive starts the next


def start_crawl(base: str, db: Path) -> subprocess.Popen[str]:
    """The crawl in its own process group: kill -9 takes its parse workers down with it, as a crash
    of the machine or an OOM kill of the service would."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("NEWSARCHIVE_DB", None)
    return subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "crawl", "turan", "--base-url", base, "--db", str(db), "--quiet", *FAST],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )


def kill_at_random_point(base: ReplicaURL, db: Path, rng: Random) -> bool:
    """Starts a crawl and kill -9s it at a random point; False when it finished first (no kill)."""
    seen = len(base.server.requests)
    proc = start_crawl(base, db)
    started = time.monotonic()
    if rng.random() < 0.4:
        wait_until = started + rng.uniform(0.05, 1.8)
        while time.monotonic() < wait_until and proc.poll() is None:
            time.sleep(0.005)
    else:
        target = seen + rng.randint(1, 60)
        deadline = started + 60
        while len(base.server.requests) < target and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(rng.uniform(0.0, 0.03))
    if proc.poll() is not None:
        proc.communicate(timeout=30)
        return False
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    return True


def assert_consistent(db: Path) -> None:
    if not db.exists() or db.stat().st_size == 0:
        # Killed before the archive's first commit: SQLite had only created the file. Nothing to
        # check (read commands refuse an empty file); the next crawl makes it an archive.
        return
    checked = newsarchive("check", "--db", str(db))
    assert checked.returncode == 0 and checked.stdout.startswith("ok"), checked.stdout + checked.stderr


def test_twenty_kills_leave_consistent_archives_that_finish_equal(tmp_path: Path) -> None:
    rng = Random(SEED)
    whole = tmp_path / "whole.db"
    with running_replica(articles=ARTICLES, seed=5) as base:
        done = newsarchive("crawl", "turan", "--base-url", base, "--db", str(whole), "--quiet", *FAST)
        assert done.returncode == 0, done.stdout + done.stderr
        expected = snapshot(whole)
        kills = series = attempts = 0
        while kills < KILLS:
            series += 1
            db = tmp_path / f"killed-{series}.db"
            in_series = 0
            while in_series < KILLS_PER_SERIES and kills < KILLS:
                attempts += 1
                assert attempts < KILLS * 3, "the crawls keep finishing before they can be killed"
                if not kill_at_random_point(base, db, rng):
                    break  # it finished on its own: the series is complete
                kills += 1
                in_series += 1
                assert_consistent(db)
            last = newsarchive("crawl", "turan", "--base-url", base, "--db", str(db), "--quiet", *FAST)
            assert last.returncode == 0, last.stdout + last.stderr
            assert_consistent(db)
            assert snapshot(db) == expected, f"series {series} did not end equal to an uninterrupted crawl"
    assert kills >= KILLS


@contextmanager
def small_filesystem(where: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted at `where` (root only); skips the test when mounting is not allowed."""
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill ({mounted.stderr.strip() or 'not root'})")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


def test_full_disk_and_read_only_archive_stop_with_a_clear_error(tmp_path: Path) -> None:
    with small_filesystem(tmp_path / "small", "4m") as small, running_replica(articles=300, seed=5) as base:
        db = small / "archive.db"
        Archive.open(db).close()
        before = snapshot(db)
        filler = small / "filler"
        free = shutil.disk_usage(small).free
        filler.write_bytes(b"\0" * max(0, free - 160 * 1024))  # about 160 KB left: a run record fits, a batch not
        full = newsarchive("crawl", "turan", "--base-url", base, "--db", str(db), "--quiet",
                           "-s", "ARCHIVE_BATCH_SIZE=60", "-s", "ARCHIVE_FLUSH_SECONDS=600")
        assert full.returncode == 4, full.stdout + full.stderr
        line = [x for x in full.stderr.splitlines() if x.startswith("newsarchive crawl: stopped")]
        assert len(line) == 1 and "full" in line[0], full.stderr
        assert "archive write failed" in full.stdout
        filler.unlink()
        assert_consistent(db)
        assert snapshot(db) == before, "a failed batch must leave the archive as it was"

        # The same archive seen through a read-only mount: refused before anything runs.
        ro_dir = tmp_path / "read-only"
        ro_dir.mkdir()
        subprocess.run(["mount", "--bind", str(small), str(ro_dir)], check=True)
        try:
            subprocess.run(["mount", "-o", "remount,bind,ro", str(ro_dir)], check=True)
            content = db.read_bytes()
            ro = newsarchive("crawl", "turan", "--base-url", base, "--db", str(ro_dir / "archive.db"), "--quiet")
            assert ro.returncode == 4, ro.stdout + ro.stderr
            lines = [x for x in ro.stderr.splitlines() if x.startswith("newsarchive crawl:")]
            assert len(lines) == 1 and "Read-only file system" in lines[0], ro.stderr
            assert db.read_bytes() == content
        finally:
            subprocess.run(["umount", "-l", str(ro_dir)], capture_output=True, check=False)

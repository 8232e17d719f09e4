"""One job at a time per (archive, site): the lock file, a busy second job, a killed job's lock."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from archive.errors import ArchiveError
from replica.server import running_replica
from scrapers.health import EXIT_COULD_NOT_RUN
from scrapers.lock import JobLock, LockBusyError, holds, lock_path
from tests.conftest import ROOT, newsarchive

HOLD = """
import sys, time
from scrapers.lock import JobLock
lock = JobLock(sys.argv[1], sys.argv[2]).acquire()
print("locked", flush=True)
time.sleep(float(sys.argv[3]))
"""


def hold_elsewhere(db: Path, site: str, seconds: float = 30) -> subprocess.Popen[str]:
    """Another process holding the lock (flock is per open file: it must be another process)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db), site, str(seconds)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_lock_file_says_who_holds_it(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with JobLock(db, "turan") as lock:
        assert lock.path == tmp_path / "archive.db.turan.lock" == lock_path(db, "turan")
        info = json.loads(lock.path.read_text())
        assert info["pid"] == os.getpid() and info["site"] == "turan" and info["started"]
        assert holds(db, "turan") and not holds(db, "other")
        with JobLock(db, "turan"):  # re-entrant in one process
            pass
        assert holds(db, "turan")
    assert not holds(db, "turan")
    assert not lock.path.exists()  # released: removed (issue 18: no lock files left beside an archive)
    assert lock.taken_over is None


def test_second_holder_is_refused_at_once(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    proc = hold_elsewhere(db, "turan")
    try:
        with pytest.raises(LockBusyError, match=r"busy: another crawl of 'turan'.*pid \d+") as exc:
            JobLock(db, "turan").acquire()
        assert proc.poll() is None  # refused while the holder still holds it: acquire does not wait
        assert exc.value.holder["pid"] == proc.pid
        with JobLock(db, "other-site"):  # other sites of the same archive are free
            pass
    finally:
        proc.kill()
        proc.wait()


def test_a_killed_holders_lock_is_taken_over(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    proc = hold_elsewhere(db, "turan")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with JobLock(db, "turan") as lock:
        assert lock.taken_over is not None and lock.taken_over.holder["pid"] == proc.pid
        assert "took over the lock of a job that is gone" in str(lock.taken_over)


def test_lock_file_that_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ArchiveError, match="cannot create the lock file"):
        JobLock(blocker / "archive.db", "turan").acquire()


@pytest.mark.crawl
def test_crawl_exits_busy_while_another_job_runs(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    proc = hold_elsewhere(db, "turan")
    try:
        busy = newsarchive("crawl", "turan", "--base-url", "http://127.0.0.1:9", "--db", str(db))
        assert busy.returncode == EXIT_COULD_NOT_RUN
        assert proc.poll() is None  # it did not wait for the holder to finish
        assert "busy: another crawl of 'turan'" in busy.stderr and f"pid {proc.pid}" in busy.stderr
        assert not db.exists()  # it touched nothing
        # Plain scrapy (and scrapyd) jobs are guarded by the extension.
        scrapy = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "turan", "-s", f"ARCHIVE_PATH={db}",
             "-s", "CRAWL_BASE_URL=http://127.0.0.1:9", "-s", "LOG_LEVEL=ERROR"],
            cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
        )
        assert scrapy.returncode != 0 and "busy: another crawl of 'turan'" in scrapy.stderr
        assert not db.exists()
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.crawl
def test_two_jobs_started_together(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with running_replica(articles=80, seed=4) as base:
        args = [sys.executable, "-m", "newsarchive", "crawl", "turan", "--base-url", base, "--db", str(db), "--quiet"]
        env = {k: v for k, v in os.environ.items() if k != "NEWSARCHIVE_DB"}
        jobs = [subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
        results = [(job.wait(timeout=180), *job.communicate()) for job in jobs]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, EXIT_COULD_NOT_RUN], results
    busy = next(err for code, _, err in results if code == EXIT_COULD_NOT_RUN)
    assert "busy" in busy and "exit 4" in busy
    with_runs = subprocess.run([sys.executable, "-m", "newsarchive", "stats", "--db", str(db), "--json"],
                               cwd=ROOT, capture_output=True, text=True, check=True)
    runs = json.loads(with_runs.stdout)["runs"]
    assert [r["status"] for r in runs] == ["finished"]  # the busy job left no run behind


@pytest.mark.crawl
def test_other_reasons_a_crawl_could_not_run(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not an archive\n" * 20)
    bad_archive = newsarchive("crawl", "turan", "--base-url", "http://127.0.0.1:9", "--db", str(notes))
    assert bad_archive.returncode == EXIT_COULD_NOT_RUN and "not a SQLite database" in bad_archive.stderr
    db = str(tmp_path / "a.db")
    bad_policy = newsarchive("crawl", "turan", "--db", db, "-s", "RECRAWL_AGES=2d:often")
    assert bad_policy.returncode == EXIT_COULD_NOT_RUN and "bad duration 'often'" in bad_policy.stderr
    unknown = newsarchive("crawl", "no-such-site", "--db", db)
    assert unknown.returncode == EXIT_COULD_NOT_RUN and "unknown site" in unknown.stderr

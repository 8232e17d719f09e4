"""The fault matrix (issue 6): the real turan spider crawls the hostile site (replica/hostile.py),
whose every article triggers one fault, twice. Each fault must end archived or in `failures` with
its reason, attempts and last try; the crawl goes on past all of them; retries happen where they
make sense (Retry-After honoured, within RETRY_AFTER_MAX); the next run asks again what failed."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from archive.read import check
from archive.store import Archive
from replica.hostile import FAULTS, WORDS, Fault, HostileServer, by_slug, fault_path, running_hostile
from tests.conftest import newsarchive

pytestmark = pytest.mark.crawl  # every test here starts a real crawl (or a browser)

# Short limits keep the suite fast: 3 tries (RETRY_TIMES=2), a 3 s download timeout, Retry-After
# capped at 2 s. DOWNLOAD_MAXSIZE (20 MiB) and PARSE_MAX_BYTES stay at their defaults on purpose.
SETTINGS = ("-s", "RETRY_TIMES=2", "-s", "DOWNLOAD_TIMEOUT=3", "-s", "RETRY_AFTER_MAX=2",
            "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "ARCHIVE_FLUSH_SECONDS=0.5")
TRIES = 3
# A page the parser must not be allowed to spend unbounded time or memory on: cut off with one of these.
PARSE_CUT_OFF = {"parse_error", "parse_timeout", "too_large"}


@dataclass
class Run:
    returncode: int
    output: str
    asked: dict[str, int]  # requests per fault path during this run
    failures: dict[str, dict[str, Any]]  # failures table after the run, by URL
    articles: dict[str, dict[str, Any]]  # articles after the run, by URL and by canonical URL


@dataclass
class Crawls:
    base: str
    db: Path
    server: HostileServer
    first: Run
    second: Run


def _rows(db: Path, sql: str) -> list[dict[str, Any]]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql)]


def _crawl(server: HostileServer, db: Path) -> Run:
    before = {fault_path(f): server.asked(fault_path(f)) for f in FAULTS}
    done = newsarchive("crawl", "turan", "--base-url", server.base_url, "--lang", "en", "--db", str(db),
                       "--quiet", *SETTINGS, timeout=240)
    articles: dict[str, dict[str, Any]] = {}
    for row in _rows(db, "SELECT * FROM articles"):
        articles[row["url"]] = row
        if row["canonical_url"]:
            articles.setdefault(row["canonical_url"], row)
    return Run(
        returncode=done.returncode, output=done.stdout + done.stderr,
        asked={p: server.asked(p) - n for p, n in before.items()},
        failures={r["url"]: r for r in _rows(db, "SELECT * FROM failures")}, articles=articles,
    )


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawls]:
    db = tmp_path_factory.mktemp("faults") / "archive.db"
    with running_hostile() as server:
        first = _crawl(server, db)
        second = _crawl(server, db)
        yield Crawls(server.base_url, db, server, first, second)


@pytest.mark.parametrize("fault", FAULTS, ids=[f.slug for f in FAULTS])
def test_each_fault_ends_archived_or_recorded_with_its_reason(crawls: Crawls, fault: Fault) -> None:
    url = crawls.base + fault_path(fault)
    run = crawls.first
    if fault.expect == "archived":
        assert url in run.articles, f"{fault.slug}: not archived; failure: {run.failures.get(url)}"
        assert url not in run.failures, "an archived article's failure is settled"
        body = run.articles[url]["body"]
        assert "\x00" not in body and body.strip()
        if fault.slug in WORDS and fault.slug != "broken-entities":
            assert WORDS[fault.slug] in body, f"{fault.slug}: text decoded wrongly: {body[:120]!r}"
        return
    assert url not in run.articles
    failure = run.failures.get(url)
    assert failure is not None, f"{fault.slug}: lost: neither archived nor in failures"
    if fault.expect == "parse_limit":
        assert failure["reason"] in PARSE_CUT_OFF, failure
    else:
        assert failure["reason"] == fault.expect, failure
    assert failure["last_failed"] and failure["first_failed"] and failure["detail"]
    assert failure["attempts"] == (TRIES if fault.retried else 1), failure


@pytest.mark.parametrize("fault", [f for f in FAULTS if f.retried], ids=[f.slug for f in FAULTS if f.retried])
def test_transient_faults_are_retried_within_the_run(crawls: Crawls, fault: Fault) -> None:
    asked = crawls.first.asked[fault_path(fault)]
    assert asked == (min(fault.fails + 1, TRIES) if fault.fails else TRIES)


@pytest.mark.parametrize("fault", [f for f in FAULTS if not f.retried and f.expect != "robots_disallowed"],
                         ids=[f.slug for f in FAULTS if not f.retried and f.expect != "robots_disallowed"])
def test_permanent_faults_are_asked_once(crawls: Crawls, fault: Fault) -> None:
    assert crawls.first.asked[fault_path(fault)] == 1


def test_retry_after_is_honoured_within_its_cap(crawls: Crawls) -> None:
    short = crawls.server.times(fault_path(by_slug("http-429-retry-after")))
    huge = crawls.server.times(fault_path(by_slug("http-429-retry-after-huge")))
    assert short[1] - short[0] >= 0.95, "Retry-After: 1 not honoured"
    assert 1.95 <= huge[1] - huge[0] < 10, "Retry-After: 3600 must wait RETRY_AFTER_MAX (2 s), no more"


def test_robots_disallowed_section_is_never_fetched(crawls: Crawls) -> None:
    assert crawls.server.asked(fault_path(by_slug("robots-disallowed"))) == 0


def test_the_crawl_goes_on_and_reports_every_reason(crawls: Crawls) -> None:
    run = crawls.first
    assert run.returncode == 3, run.output  # partly failed, by design of the site
    assert all(n >= 1 for p, n in run.asked.items() if "/private/" not in p), run.asked
    reasons = {f["reason"] for f in run.failures.values()}
    with sqlite3.connect(crawls.db) as conn:
        by_run = json.loads(conn.execute("SELECT failed_by_reason FROM crawl_runs ORDER BY id LIMIT 1").fetchone()[0])
    assert reasons <= set(by_run), "every failure reason is counted in the run record"
    assert all(f"{reason} " in run.output for reason in reasons), run.output
    stats = newsarchive("stats", "--json", "--db", str(crawls.db))  # after both runs
    now = {f["reason"] for f in crawls.second.failures.values()}
    assert set(json.loads(stats.stdout)["failures"]["by_reason"]) == now


def test_the_next_run_retries_what_failed(crawls: Crawls) -> None:
    first, second = crawls.first, crawls.second
    whole_run = crawls.base + fault_path(by_slug("http-503-whole-run"))
    assert whole_run in second.articles and whole_run not in second.failures, "a transient failure stays failed"
    for url, failure in first.failures.items():
        path = url[len(crawls.base):]
        if failure["reason"] == "robots_disallowed":
            continue
        assert second.asked[path] >= 1, f"{failure['reason']} not retried on the next run: {url}"
        if url in second.failures:
            assert second.failures[url]["attempts"] > failure["attempts"]
            assert second.failures[url]["last_failed"] > failure["last_failed"]
    assert set(first.articles) <= set(second.articles), "nothing archived is lost"


def test_archive_is_consistent_after_the_hostile_crawls(crawls: Crawls) -> None:
    with Archive.open(crawls.db, create=False) as archive:
        assert check(archive) == []

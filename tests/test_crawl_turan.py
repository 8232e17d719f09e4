"""End to end: the real turan spider crawls the replica on 127.0.0.1 into a real archive, and the
archive is compared with the replica's own ground truth, field by field."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from archive.read import check, get_article
from archive.store import Archive
from replica.server import running_replica
from tests.conftest import ROOT, newsarchive

pytestmark = pytest.mark.crawl  # every test here starts a real crawl (or a browser)

ARTICLES = 160
TABLES = ("articles", "comments", "captions", "pages", "page_bodies", "failures")
CHROME = ("Leave a review", "Follow us on social networks", "News Line", "Want to say", "Rəy yaz",
          "Xəbər lenti", "Лента новостей", "Please login or subscribe", "—0—")


@dataclass
class Crawl:
    db: Path
    base: str
    truth: list[dict[str, Any]]
    missing: list[str]
    first_output: str
    second_output: str
    counts_first: dict[str, int]
    counts_second: dict[str, int]
    second_requests: list[tuple[str, str, int]]


def table_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    db = tmp_path_factory.mktemp("crawl") / "archive.db"
    with running_replica(articles=ARTICLES, seed=7) as base:
        args = ("crawl", "turan", "--base-url", base, "--db", str(db))
        first = newsarchive(*args)
        assert first.returncode == 0, first.stdout + first.stderr
        counts_first = table_counts(db)
        seen = len(base.server.requests)
        second = newsarchive(*args)
        assert second.returncode == 0, second.stdout + second.stderr
        yield Crawl(
            db=db, base=base, truth=list(base.site.ground_truth(base)), missing=base.site.missing_urls(base),
            first_output=first.stdout + first.stderr, second_output=second.stdout + second.stderr,
            counts_first=counts_first, counts_second=table_counts(db),
            second_requests=list(base.server.requests[seen:]),
        )


@pytest.fixture(scope="module")
def archived(crawl: Crawl) -> dict[str, dict[str, Any]]:
    with Archive.open(crawl.db, create=False) as archive:
        urls = [row[0] for row in archive.conn.execute("SELECT url FROM articles")]
        found = {url: get_article(archive, url) for url in urls}
    return {url: article for url, article in found.items() if article is not None}


def test_every_article_archived_exactly_once(crawl: Crawl, archived: dict[str, dict[str, Any]]) -> None:
    expected = {t["url"] for t in crawl.truth}
    assert len(crawl.truth) > 100
    assert set(archived) == expected
    with sqlite3.connect(crawl.db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == len(expected)
        assert conn.execute("SELECT count(DISTINCT key) FROM articles").fetchone()[0] == len(expected)


def _same_instant(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is b
    return datetime.fromisoformat(a) == datetime.fromisoformat(b)


def _comments(comments: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    flat: list[tuple[Any, ...]] = []
    for c in comments:
        flat.append((c["comment_id"], c["parent_id"], c["author"], c["published_raw"], c["text"]))
        flat.extend(_comments(c.get("replies", [])))
    return sorted(flat)


FIELDS = ("canonical_url", "site", "article_id", "language", "section", "title", "authors", "tags",
          "published_raw", "body", "is_partial")


def _mismatches(truth: dict[str, Any], got: dict[str, Any]) -> list[str]:
    wrong = [f for f in FIELDS if truth[f] != got[f]]
    wrong += [f for f in ("published", "modified") if not _same_instant(truth[f], got[f])]
    captions = [{k: c[k] for k in ("image_url", "text", "credit", "credit_url")} for c in got["captions"]]
    if captions != truth["captions"]:
        wrong.append("captions")
    if _comments(got["comments"]) != _comments(truth["comments"]):
        wrong.append("comments")
    return wrong


def test_every_field_matches_ground_truth(crawl: Crawl, archived: dict[str, dict[str, Any]]) -> None:
    problems = {}
    for truth in crawl.truth:
        got = archived.get(truth["url"])
        if got is None:
            continue  # reported by the exactly-once test
        wrong = _mismatches(truth, got)
        if wrong:
            problems[truth["url"]] = {f: (truth.get(f), got.get(f)) for f in wrong}
    sample = dict(list(problems.items())[:3])
    assert not problems, f"{len(problems)} articles differ from ground truth, e.g. {sample}"


def test_the_replica_has_every_kind_of_page(crawl: Crawl) -> None:
    """Guards the comparison above: it must cover threads, paywalls, legacy and id-less pages."""
    truth = crawl.truth
    assert any(c["parent_id"] for t in truth for c in t["comments"])
    assert any(t["is_partial"] for t in truth)
    assert any("/ext/news/" in t["url"] for t in truth)
    assert any(t["article_id"] is None for t in truth)
    assert any(t["captions"] and t["captions"][0]["credit"] for t in truth)
    assert {t["language"] for t in truth} == {"az", "en", "ru"}
    assert crawl.missing


def test_bodies_carry_no_page_chrome(archived: dict[str, dict[str, Any]]) -> None:
    for url, article in archived.items():
        for chrome in CHROME:
            assert chrome not in article["body"], f"{chrome!r} in the body of {url}"


def test_missing_pages_are_recorded_as_failures(crawl: Crawl) -> None:
    with sqlite3.connect(crawl.db) as conn:
        failures = dict(conn.execute("SELECT url, reason FROM failures").fetchall())
    for url in crawl.missing:
        assert failures.get(url) == "http_404"


def test_second_crawl_adds_no_rows_and_fetches_no_article(crawl: Crawl) -> None:
    assert crawl.counts_second == crawl.counts_first
    article_paths = {t["url"][len(crawl.base):] for t in crawl.truth}
    refetched = [path for _, path, _ in crawl.second_requests if path in article_paths]
    assert refetched == []
    assert "already archived" in crawl.second_output


def test_runs_are_recorded(crawl: Crawl) -> None:
    with sqlite3.connect(crawl.db) as conn:
        runs = conn.execute("SELECT site, status, articles_new FROM crawl_runs ORDER BY id").fetchall()
    assert runs == [("turan", "finished", len(crawl.truth)), ("turan", "finished", 0)]


def test_archive_is_consistent(crawl: Crawl) -> None:
    with Archive.open(crawl.db, create=False) as archive:
        assert check(archive) == []


def test_progress_and_summary_are_shown(crawl: Crawl) -> None:
    assert "pages" in crawl.first_output and "/s)" in crawl.first_output
    assert f"{len(crawl.truth)} new" in crawl.first_output


def test_search_finds_crawled_articles(crawl: Crawl) -> None:
    title = crawl.truth[0]["title"]
    result = newsarchive("search", f'"{title}"', "--db", str(crawl.db), "--json")
    assert result.returncode == 0, result.stderr
    assert crawl.truth[0]["url"] in result.stdout


def test_plain_scrapy_crawl_works(tmp_path: Path) -> None:
    import subprocess
    import sys

    db = tmp_path / "scrapy.db"
    with running_replica(articles=30, seed=3) as base:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "turan", "-s", f"ARCHIVE_PATH={db}",
             "-s", f"CRAWL_BASE_URL={base}", "-s", "CRAWL_LANGUAGES=en", "-s", "LOG_LEVEL=WARNING"],
            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        )
        expected = {t["url"] for t in base.site.ground_truth(base) if t["language"] == "en"}
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        urls = {row[0] for row in conn.execute("SELECT url FROM articles")}
    assert urls == expected

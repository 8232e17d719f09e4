"""Incremental re-crawls, end to end: crawl the replica, change it as a live site changes (two
edits, new comments, a takedown, new stories), crawl again, and check with the server's own request
log that only what was needed was fetched in full, and with the archive that every change is kept."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from archive.history import article_history
from archive.read import check, get_article
from archive.store import Archive
from replica.server import ReplicaURL, running_replica
from tests.conftest import ROOT, newsarchive

pytestmark = pytest.mark.crawl  # every test here starts a real crawl (or a browser)

ARTICLES = 150


@dataclass
class Scenario:
    db: Path
    base: ReplicaURL
    before: dict[str, dict[str, Any]]  # ground truth before the changes, by URL
    after: dict[str, dict[str, Any]]
    edited: list[str]
    commented: str
    new_comment_ids: list[str]
    removed: str
    added: list[str]
    first: subprocess.CompletedProcess[str]
    second: subprocess.CompletedProcess[str]
    log: list[tuple[str, str, int]]  # the second crawl's requests


def _pick(base: ReplicaURL) -> tuple[list[int], int, int]:
    """Two full articles to edit, one with comments to comment on, one to take down."""
    site = base.site
    full = [e for e in site.articles() if not e.paywalled and e.kind == "current"]
    with_comments = next(e for e in full[4:] if e.comment_count >= 2)
    return [full[0].idx, full[1].idx], with_comments.idx, full[2].idx


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    db = tmp_path_factory.mktemp("incremental") / "archive.db"
    with running_replica(articles=ARTICLES, seed=11) as base:
        site = base.site
        args = ("crawl", "turan", "--base-url", base, "--db", str(db), "--quiet")
        first = newsarchive(*args)
        assert first.returncode == 0, first.stdout + first.stderr
        before = {t["url"]: t for t in site.ground_truth(base)}
        edited, commented, removed = _pick(base)
        for idx in edited:
            site.edit_article(idx)
        new_ids = site.add_comments(commented, 3)
        site.remove_article(removed)
        added = site.add_articles(4)
        seen = len(base.server.requests)
        second = newsarchive(*args, "--recrawl", "always")
        assert second.returncode == 0, second.stdout + second.stderr

        def url(idx: int) -> str:
            return str(base + site.entries[idx].path)

        yield Scenario(
            db=db, base=base, before=before, after={t["url"]: t for t in site.ground_truth(base)},
            edited=[url(i) for i in edited], commented=url(commented), new_comment_ids=[str(i) for i in new_ids],
            removed=url(removed), added=[url(i) for i in added], first=first, second=second,
            log=list(base.server.requests[seen:]),
        )


def _article_requests(s: Scenario) -> dict[str, list[int]]:
    articles = set(s.before) | set(s.after)
    found: dict[str, list[int]] = {}
    for _, path, status in s.log:
        url = s.base + path
        if url in articles:
            found.setdefault(url, []).append(status)
    return found


def test_only_what_changed_is_fetched_in_full(scenario: Scenario) -> None:
    requests = _article_requests(scenario)
    assert all(len(statuses) == 1 for statuses in requests.values()), "an article was requested twice"
    full = {url for url, statuses in requests.items() if statuses == [200]}
    assert full == {*scenario.edited, scenario.commented, *scenario.added}
    assert requests[scenario.removed] == [404]
    unchanged = set(scenario.before) - {*scenario.edited, scenario.commented, scenario.removed}
    assert {url: requests.get(url) for url in unchanged} == {url: [304] for url in unchanged}
    # The listings and feeds were read again (that is how new articles are found).
    assert any(path.startswith("/en/politics") for _, path, _ in scenario.log)


def test_unchanged_revisits_cost_no_write(scenario: Scenario) -> None:
    with sqlite3.connect(scenario.db) as conn:
        run = conn.execute(
            "SELECT articles_new, articles_changed, articles_unchanged, not_modified, gone, outcome, exit_code "
            "FROM crawl_runs ORDER BY id DESC LIMIT 1"
        ).fetchone()
        versions = conn.execute("SELECT count(*) FROM article_versions").fetchone()[0]
    unchanged = len(scenario.before) - 4  # two edited, one commented on, one removed
    assert run == (4, 2, 1, unchanged, 1, "ok", 0)
    assert versions == 2
    status = Counter(s for _, _, s in scenario.log)
    assert status[304] == unchanged
    assert "not modified (304)" in scenario.second.stdout


def test_edits_keep_the_old_version(scenario: Scenario) -> None:
    with Archive.open(scenario.db, create=False) as archive:
        for url in scenario.edited:
            now = get_article(archive, url)
            assert now is not None
            assert (now["title"], now["body"]) == (scenario.after[url]["title"], scenario.after[url]["body"])
            assert datetime.fromisoformat(now["modified"]) == datetime.fromisoformat(scenario.after[url]["modified"])
            row = archive.conn.execute(
                "SELECT version, title, body, modified FROM article_versions WHERE article_id = ?", (now["id"],)
            ).fetchone()
            old = scenario.before[url]
            assert row[:3] == (1, old["title"], old["body"])
            assert now["version"] == 2
            history = article_history(archive, url)
            changed = [e for e in history.events if e.what == "changed"]
            assert len(changed) == 1
            diff = "\n".join(changed[0].lines)
            assert "title:" in diff and "{+(" in diff  # the title gained "(updated)"
            assert "+ ¶" in diff  # the update paragraph


def test_new_comments_are_added_not_duplicated(scenario: Scenario) -> None:
    url = scenario.commented
    with Archive.open(scenario.db, create=False) as archive:
        article = get_article(archive, url)
        assert article is not None
        rows = archive.conn.execute(
            "SELECT comment_id, count(*) FROM comments WHERE article_id = ? GROUP BY comment_id", (article["id"],)
        ).fetchall()
        firsts = dict(archive.conn.execute(
            "SELECT comment_id, first_seen FROM comments WHERE article_id = ?", (article["id"],)
        ).fetchall())
    assert all(n == 1 for _, n in rows)
    expected = {c["comment_id"] for c in scenario.after[url]["comments"]}
    assert {cid for cid, _ in rows} == expected
    assert len(expected) == len(scenario.before[url]["comments"]) + 3
    old = {c["comment_id"] for c in scenario.before[url]["comments"]}
    assert max(firsts[c] for c in old) < min(firsts[c] for c in scenario.new_comment_ids)
    assert article["comment_count"] == len(expected)


def test_takedown_is_flagged_and_its_text_kept(scenario: Scenario) -> None:
    url = scenario.removed
    with Archive.open(scenario.db, create=False) as archive:
        article = get_article(archive, url)
    assert article is not None
    assert article["gone_since"] and article["gone_reason"] == "http_404"
    assert article["body"] == scenario.before[url]["body"]
    out = newsarchive("history", url, "--db", str(scenario.db))
    assert out.returncode == 0 and "taken down (http_404)" in out.stdout


def test_new_articles_are_archived(scenario: Scenario) -> None:
    with Archive.open(scenario.db, create=False) as archive:
        for url in scenario.added:
            article = get_article(archive, url)
            assert article is not None, url
            assert (article["title"], article["body"]) == (scenario.after[url]["title"], scenario.after[url]["body"])
        assert check(archive) == []


def test_history_command_shows_the_changes(scenario: Scenario) -> None:
    out = newsarchive("history", scenario.edited[0], "--db", str(scenario.db))
    assert out.returncode == 0, out.stderr
    assert "first archived" in out.stdout and "changed: version 1 → 2" in out.stdout
    comments = newsarchive("history", scenario.commented, "--db", str(scenario.db))
    assert "3 comments added" in comments.stdout
    missing = newsarchive("history", "https://nowhere.example/x", "--db", str(scenario.db))
    assert missing.returncode == 1 and "no article" in missing.stderr


def test_age_policy_revisits_only_recent_articles(scenario: Scenario) -> None:
    """RECRAWL_AGES by settings (plain scrapy): articles younger than the cutoff are re-visited
    (every 0s: always due), older ones never."""
    with sqlite3.connect(scenario.db) as conn:
        rows = [(url, datetime.fromisoformat(p)) for url, p in conn.execute("SELECT url, published FROM articles")]
    now = datetime.now(UTC)
    ages = sorted((now - published).total_seconds() for _, published in rows)
    middle = len(ages) // 2
    cutoff = (ages[middle - 1] + ages[middle]) / 2  # between two articles: nobody sits on the boundary
    due = {url for url, published in rows if (now - published).total_seconds() < cutoff}
    seen = len(scenario.base.server.requests)
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "turan", "-s", f"ARCHIVE_PATH={scenario.db}",
         "-s", f"CRAWL_BASE_URL={scenario.base}", "-s", f"RECRAWL_AGES={int(cutoff)}s:0s",
         "-s", "RECRAWL_OLDER=never", "-s", "LOG_LEVEL=WARNING"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    archived = {url for url, _ in rows}
    requested = {scenario.base + path for _, path, _ in scenario.base.server.requests[seen:]} & archived
    assert requested == due
    assert 0 < len(due) < len(archived)

"""The archive keeps every change: article and comment versions, re-visit outcomes (304, takedown),
validators, run records, and the history built from them (archive/versions.py, archive/history.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from archive.frontier import known_articles, recent_failures
from archive.history import article_history, render
from archive.read import check
from archive.store import Archive, ArticleRecord, FailureRecord, PageRecord, RevisitRecord
from scrapers.parsers.article import Article, Caption, Comment

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
URL = "https://news.example/en/politics/story-1"


def article(**fields: Any) -> Article:
    values: dict[str, Any] = {
        "url": URL, "site": "example", "article_id": "1", "language": "en", "section": "politics",
        "title": "Budget passes", "authors": ["Ann Writer"], "published": T0 - timedelta(days=1),
        "body": "First paragraph.\n\nSecond paragraph about the budget.",
        "captions": [Caption("https://img.example/1.jpg", "Parliament at dawn", "AP", None)],
        "comments": [Comment("c1", None, "Bob", None, None, "First!")],
    }
    values.update(fields)
    return Article(**values)


def record(a: Article, at: datetime, etag: str = '"v1"') -> ArticleRecord:
    headers = {"Content-Type": "text/html", "Etag": etag, "Last-Modified": "Sat, 01 Mar 2025 08:00:00 GMT"}
    page = PageRecord(a.url, 200, headers, f"<html>{a.title}{a.body}</html>".encode(), at)
    return ArticleRecord(a, page, at)


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive.open(tmp_path / "a.db") as a:
        yield a


def one(archive: Archive, sql: str, *params: Any) -> Any:
    return archive.conn.execute(sql, params).fetchone()


def test_a_change_keeps_the_old_state_as_a_version(archive: Archive) -> None:
    archive.write_batch(articles=[record(article(), T0)])
    edited = article(title="Budget passes (updated)", body="First paragraph.\n\nSecond paragraph, amended.",
                     captions=[Caption("https://img.example/1.jpg", "Parliament at night", "AP", None)],
                     modified=T0 + timedelta(hours=1))
    result = archive.write_batch(articles=[record(edited, T0 + timedelta(hours=2), '"v2"')])
    assert (result.articles_changed, result.with_date, result.with_author) == (1, 1, 1)
    row = one(archive, "SELECT version, title, body, captions, valid_from, replaced FROM article_versions")
    assert row[:3] == (1, "Budget passes", "First paragraph.\n\nSecond paragraph about the budget.")
    assert '"Parliament at dawn"' in row[3]
    assert row[4].startswith("2025-03-01T12:00") and row[5].startswith("2025-03-01T14:00")
    assert one(archive, "SELECT version, title, etag FROM articles") == (2, "Budget passes (updated)", '"v2"')
    # The same content again: no new version, only last_seen moves.
    archive.write_batch(articles=[record(edited, T0 + timedelta(hours=3), '"v2"')])
    assert one(archive, "SELECT count(*) FROM article_versions")[0] == 1
    history = article_history(archive, URL)
    text = render(history)
    assert history.versions == 2
    assert "changed: version 1 → 2" in text
    assert "title: Budget passes {+(updated)+}" in text
    assert "~ ¶2: Second [-paragraph about the budget.-] {+paragraph, amended.+}" in text
    assert "modified: (none)  →  2025-03-01T13:00:00+00:00" in text
    assert "captions:" in text and "Parliament at [-dawn-] {+night+} (AP)" in text
    assert check(archive) == []


def test_comments_added_later_and_edited(archive: Archive) -> None:
    archive.write_batch(articles=[record(article(), T0)])
    later = article(comments=[Comment("c1", None, "Bob", None, None, "First! (edited)"),
                              Comment("c2", "c1", "Eve", None, None, "A reply")])
    result = archive.write_batch(articles=[record(later, T0 + timedelta(hours=1))])
    assert (result.articles_unchanged, result.comments_new, result.comments_edited) == (1, 1, 1)
    assert one(archive, "SELECT count(*), max(comment_count) FROM comments, articles") == (2, 2)
    assert one(archive, "SELECT comment_id, text FROM comment_versions") == ("c1", "First!")
    again = archive.write_batch(articles=[record(later, T0 + timedelta(hours=2))])
    assert (again.comments_new, again.comments_edited) == (0, 0)
    text = render(article_history(archive, URL))
    assert "1 comment archived with the article" in text
    assert "1 comment added" in text and "+ #c2 Eve: A reply" in text
    assert "comment #c1 edited" in text and "~ First! {+(edited)+}" in text


def test_not_modified_is_only_a_touch(archive: Archive) -> None:
    archive.write_batch(articles=[record(article(), T0)])
    before = one(archive, "SELECT * FROM articles")
    changes = archive.conn.total_changes
    result = archive.write_batch(revisits=[RevisitRecord(URL, "not_modified", T0 + timedelta(days=1))])
    assert result.not_modified == 1
    assert archive.conn.total_changes - changes == 1  # one row touched, nothing else written
    after = one(archive, "SELECT * FROM articles")
    names = [d[1] for d in archive.conn.execute("PRAGMA table_info(articles)")]
    moved = {n for n, a, b in zip(names, before, after, strict=True) if a != b}
    assert moved == {"last_seen", "last_checked"}
    assert one(archive, "SELECT count(*) FROM pages")[0] == 1


def test_takedown_is_flagged_once_and_cleared_when_back(archive: Archive) -> None:
    archive.write_batch(articles=[record(article(), T0)])
    gone = [RevisitRecord(URL, "gone", T0 + timedelta(days=1), "http_404")]
    assert archive.write_batch(revisits=gone).gone == 1
    again = [RevisitRecord(URL, "gone", T0 + timedelta(days=2), "http_410")]
    assert archive.write_batch(revisits=again).gone == 0
    row = one(archive, "SELECT gone_since, gone_reason, body FROM articles")
    assert row[0].startswith("2025-03-02") and row[1] == "http_404" and row[2].startswith("First paragraph")
    archive.write_batch(articles=[record(article(), T0 + timedelta(days=3))])
    assert one(archive, "SELECT gone_since, gone_reason FROM articles") == (None, None)


def test_unknown_revisit_outcome_is_refused(archive: Archive) -> None:
    from archive.errors import ArchiveError

    with pytest.raises(ArchiveError, match="unknown re-visit outcome"):
        archive.write_batch(revisits=[RevisitRecord(URL, "vanished", T0)])


def test_frontier_reads_validators_and_visits(archive: Archive) -> None:
    archive.write_batch(articles=[record(article(), T0)])
    archive.write_batch(revisits=[RevisitRecord(URL, "moved", T0 + timedelta(hours=5))])
    (known,) = known_articles(archive, "example")
    assert (known.url, known.etag, known.last_modified) == (URL, '"v1"', "Sat, 01 Mar 2025 08:00:00 GMT")
    assert known.last_visit == T0 + timedelta(hours=5) and known.published == T0 - timedelta(days=1)
    assert known_articles(archive, "other") == []
    archive.write_batch(failures=[FailureRecord("https://news.example/dead", "http_404", 404, None, T0)])
    assert recent_failures(archive, ["http_404"], T0 - timedelta(days=7)) == {"https://news.example/dead"}
    assert recent_failures(archive, ["http_404"], T0 + timedelta(days=1)) == set()


def test_runs_record_health_and_interrupted_runs(archive: Archive) -> None:
    run = archive.start_run("example", {})
    archive.write_batch(revisits=[RevisitRecord(URL, "not_modified", T0)], run_id=run)
    archive.finish_run(run, "finished", {"yield_articles": 30, "yield_body": 1.0, "yield_date": 0.9,
                                         "yield_author": 0.3, "outcome": "ok", "exit_code": 0, "message": "ok"})
    row = one(archive, "SELECT not_modified, yield_articles, yield_author, outcome, exit_code FROM crawl_runs")
    assert row == (1, 30, 0.3, "ok", 0)
    killed = archive.start_run("example", {})
    other = archive.start_run("another-site", {})
    assert archive.interrupt_running_runs("example") == [killed]
    statuses = dict(archive.conn.execute("SELECT id, status FROM crawl_runs"))
    assert statuses == {run: "finished", killed: "interrupted", other: "running"}

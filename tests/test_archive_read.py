"""Read side: one article with its captions and comment threads, statistics, health checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from archive.read import check, comment_threads, get_article, stats
from archive.store import Archive, ArticleRecord, FailureRecord, PageRecord
from scrapers.parsers.article import Article, Caption, Comment

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
BAKU = timezone(timedelta(hours=4))


def make_article(n: int = 1, **fields: Any) -> Article:
    values: dict[str, Any] = {
        "url": f"https://news.example/en/story-{n}?utm=x",
        "canonical_url": f"https://news.example/en/story-{n}",
        "site": "example",
        "article_id": str(n),
        "language": "en",
        "section": "politics",
        "title": f"Story {n}",
        "authors": ["Ann Writer", "Ələsgər Məmmədov"],
        "published": datetime(2024, 4, 30, 9, 0, tzinfo=BAKU),
        "published_raw": "30 April 2024, 09:00",
        "body": "First paragraph.\n\nSecond paragraph.",
        "captions": [
            Caption("https://img.example/1.jpg", "The square", "AP", "https://ap.example"),
            Caption("https://img.example/2.jpg", "The river"),
        ],
        "comments": [
            Comment("1", None, "Bob", datetime(2024, 5, 1, 8, 0, tzinfo=BAKU), "1 May 08:00", "Top level"),
            Comment("2", "1", "Eve", None, "yesterday", "Reply to Bob"),
            Comment("3", "2", "Bob", None, None, "Reply to Eve"),
            Comment("4", "99", "Zed", None, None, "Parent never archived"),
        ],
        "tags": ["elections"],
    }
    values.update(fields)
    return Article(**values)


@pytest.fixture
def archive(tmp_path: Path) -> Any:
    with Archive.open(tmp_path / "archive.db") as a:
        yield a


def test_get_article_by_id_key_url_and_canonical_url(archive: Archive) -> None:
    art = make_article()
    archive.write_batch(articles=[ArticleRecord(art, None, T0)])
    for ref in (1, "1", "example:1:en", art.url, art.canonical_url):
        assert ref is not None
        found = get_article(archive, ref)
        assert found is not None and found["id"] == 1, ref
    assert get_article(archive, "https://nowhere.example/") is None
    assert get_article(archive, 999) is None


def test_get_article_has_everything(archive: Archive) -> None:
    archive.write_batch(articles=[ArticleRecord(make_article(), None, T0)])
    a = get_article(archive, 1)
    assert a is not None
    assert a["authors"] == ["Ann Writer", "Ələsgər Məmmədov"] and a["tags"] == ["elections"]
    assert a["published"] == "2024-04-30T09:00:00+04:00" and a["published_raw"] == "30 April 2024, 09:00"
    assert a["is_partial"] is False
    assert [(c["position"], c["text"], c["credit"]) for c in a["captions"]] == [
        (0, "The square", "AP"),
        (1, "The river", None),
    ]
    top = a["comments"]
    assert [c["comment_id"] for c in top] == ["1", "4"]
    assert top[0]["replies"][0]["comment_id"] == "2"
    assert top[0]["replies"][0]["replies"][0]["text"] == "Reply to Eve"
    assert top[0]["published_raw"] == "1 May 08:00"


def test_comment_threads_survive_cycles() -> None:
    comments = [
        {"comment_id": "a", "parent_id": "b"},
        {"comment_id": "b", "parent_id": "a"},
        {"comment_id": "c", "parent_id": "c"},
    ]
    roots = comment_threads(comments)

    def ids(nodes: list[dict[str, Any]]) -> list[str]:
        return [n["comment_id"] for n in nodes] + [i for n in nodes for i in ids(n["replies"])]

    assert sorted(ids(roots)) == ["a", "b", "c"]  # nothing lost, nothing twice


def test_stats(archive: Archive) -> None:
    run = archive.start_run("example", {})
    page = PageRecord("https://news.example/en/story-1?utm=x", 200, {}, b"<html>1</html>", T0)
    archive.write_batch(
        articles=[
            ArticleRecord(make_article(1), page, T0),
            ArticleRecord(make_article(2, language="az", section=None), None, T0),
        ],
        failures=[FailureRecord("https://news.example/x", "http_404", 404, None, T0)],
        run_id=run,
    )
    archive.finish_run(run, "finished", {})
    s = stats(archive)
    assert s["articles"] == 2
    assert s["by_site"] == {"example": 2}
    assert s["by_language"] == {"az": 1, "en": 1}
    assert s["by_section"] == {"(none)": 1, "politics": 1}
    assert s["by_month"] == {"2024-04": 2}
    assert s["comments"] == 8 and s["captions"] == 4
    assert s["pages"] == {"versions": 1, "fetches": 1, "urls": 1}
    assert s["failures"] == {"total": 1, "by_reason": {"http_404": 1}}
    assert s["runs"][0]["status"] == "finished" and s["runs"][0]["articles_new"] == 2


def test_check_healthy_archive(archive: Archive) -> None:
    archive.write_batch(articles=[ArticleRecord(make_article(n), None, T0) for n in range(3)])
    archive.write_batch(articles=[ArticleRecord(make_article(1, body="changed"), None, T0)])
    assert check(archive) == []


def test_check_finds_a_stale_full_text_index(archive: Archive) -> None:
    archive.write_batch(articles=[ArticleRecord(make_article(), None, T0)])
    archive.conn.execute("DROP TRIGGER articles_au")
    archive.conn.execute("UPDATE articles SET body = 'something else entirely'")
    problems = check(archive)
    assert any(p.startswith("articles_fts:") for p in problems), problems


def test_check_finds_orphans_and_index_gaps(archive: Archive) -> None:
    archive.write_batch(articles=[ArticleRecord(make_article(), None, T0)])
    archive.conn.execute("PRAGMA foreign_keys = OFF")
    archive.conn.execute("DROP TRIGGER articles_ad")
    archive.conn.execute("DROP TRIGGER comments_ad")
    archive.conn.execute("DELETE FROM articles")
    problems = check(archive)
    assert "4 comments whose article is missing" in problems
    assert "2 captions whose article is missing" in problems
    assert "articles_fts indexes 1 rows but articles has 0" in problems


def test_check_on_a_read_only_archive_says_what_it_could_not_check(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Archive.open(path) as a:
        a.write_batch(articles=[ArticleRecord(make_article(), None, T0)])
    with Archive.open(path, readonly=True) as a:
        problems = check(a)
    assert len(problems) == 4 and all("could not run" in p for p in problems)

"""``newsarchive reparse`` on a real archive from a real crawl of the replica: idempotent, counts
changes, keeps versions and the full-text index right."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import scrapers.reparse as reparse_module
from archive.read import check
from archive.search import search
from archive.store import Archive
from replica.server import running_replica
from scrapers.parsers import parse_article
from scrapers.parsers.article import EXTRACTOR_VERSION, Article
from scrapers.reparse import reparse
from tests.conftest import newsarchive

pytestmark = pytest.mark.crawl  # every test here starts a real crawl (or a browser)

ARTICLES = 40


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("reparse") / "archive.db"
    with running_replica(articles=ARTICLES, seed=11) as base:
        result = newsarchive("crawl", "turan", "--base-url", base, "--db", str(db), "--quiet")
    assert result.returncode == 0, result.stdout + result.stderr
    return db


@pytest.fixture
def db(crawled: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "archive.db"
    with sqlite3.connect(crawled) as conn:
        conn.execute("VACUUM INTO ?", (str(copy),))
    return copy


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("articles", "article_versions", "comments", "comment_versions", "captions", "pages")
        }


def patched(change: Callable[[Article], None]) -> Callable[..., Article]:
    def parse(*args: Any, **kwargs: Any) -> Article:
        article = parse_article(*args, **kwargs)
        change(article)
        return article

    return parse


def test_reparse_of_an_unchanged_parser_changes_nothing_twice(db: Path) -> None:
    before = counts(db)
    first = reparse(db, workers=2)
    assert first.articles == before["articles"] > 0
    assert (first.changed, first.unchanged, first.restamped, dict(first.skipped)) == (0, first.articles, 0, {})
    second = reparse(db, workers=2)
    assert (second.changed, second.unchanged) == (0, second.articles)
    assert counts(db) == before
    with Archive.open(db, create=False) as archive:
        assert check(archive) == []


def test_a_changed_parser_output_is_counted_versioned_and_searchable(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = counts(db)

    def retitle(article: Article) -> None:
        article.title = f"{article.title} Zyxwvut"

    monkeypatch.setattr(reparse_module, "parse_article", patched(retitle))
    changed = reparse(db, workers=0)
    assert changed.changed == changed.articles == before["articles"]
    after = counts(db)
    assert after["article_versions"] == before["article_versions"] + before["articles"]
    assert after["articles"] == before["articles"]
    with Archive.open(db, create=False) as archive:
        assert len(search(archive, "Zyxwvut", limit=1000)) == before["articles"]
        assert check(archive) == []
    again = reparse(db, workers=0)  # idempotent with the new parser too
    assert (again.changed, again.unchanged) == (0, again.articles)

    monkeypatch.undo()  # the real parser again: every article goes back, one more version each
    back = reparse(db, workers=1)
    assert back.changed == before["articles"]
    with Archive.open(db, create=False) as archive:
        assert search(archive, "Zyxwvut", limit=10) == []


def test_a_new_extractor_version_restamps_and_since_version_selects(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    current, following = EXTRACTOR_VERSION, str(int(EXTRACTOR_VERSION) + 1)

    def bump(article: Article) -> None:
        article.extractor_version = following

    monkeypatch.setattr(reparse_module, "parse_article", patched(bump))
    assert reparse(db, workers=0, since_version=current).articles == 0  # all were parsed by this version
    stamped = reparse(db, workers=0, since_version=following)
    assert stamped.articles == counts(db)["articles"]
    assert (stamped.changed, stamped.restamped) == (0, stamped.articles)  # same content, new stamp
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT DISTINCT extractor_version FROM articles").fetchall() == [(following,)]
    assert reparse(db, workers=0, since_version=following).articles == 0
    assert reparse(db, workers=0, site="nosuchsite").articles == 0


def test_the_command(db: Path) -> None:
    result = newsarchive("reparse", "--db", str(db), "--workers", "2", "--site", "turan", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(result.stdout)
    assert figures["changed"] == 0 and figures["unchanged"] == figures["articles"] > 0
    text = newsarchive("--db", str(db), "reparse", "--workers", "0")
    assert text.returncode == 0 and "0 changed" in text.stdout, text.stdout + text.stderr
    missing = newsarchive("reparse", "--db", str(db.parent / "none.db"))
    assert missing.returncode != 0 and "no archive" in missing.stderr


def test_a_missing_or_damaged_page_body_is_skipped_not_fatal(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        damaged, missing = (r[0] for r in conn.execute("SELECT page_hash FROM articles ORDER BY id LIMIT 2"))
        conn.execute("UPDATE page_bodies SET body = zeroblob(10), compression = 'none' WHERE hash = ?", (damaged,))
        conn.execute("DELETE FROM page_bodies WHERE hash = ?", (missing,))
    result = reparse(db, workers=0)
    assert result.skipped == {"page_missing": 1, "page_damaged": 1}  # its own reason (issue 18)
    assert result.unchanged == result.articles - 2

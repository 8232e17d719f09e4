"""Web archives in (issue 14): WARC files written by Debian's wget, replayed by pywb, imported and
crawled `--from wayback`, each compared field by field with a direct crawl of the same replica.

Two captures of the replica a second apart, with one article edited between them, give the versions
test: whatever order the files come in, the article's versions come out in capture order."""

from __future__ import annotations

import html
import sqlite3
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from replica.server import running_replica
from tests.conftest import newsarchive
from tests.webarchives import articles, differences, fetches, running_pywb, table_counts, wget_warc

pytestmark = pytest.mark.crawl
ARTICLES = 60


@dataclass
class Captures:
    base: str
    direct: Path  # the archive of a direct crawl, before the edit
    exported: Path  # `newsarchive export warc` of it
    first: Path  # wget's WARC before the edit
    second: Path  # ... and after it
    edited: str  # the URL of the article edited between them
    title_before: str
    title_after: str
    tmp: Path
    requests: list[tuple[str, str, int]]  # the replica's request log, live


@pytest.fixture(scope="module")
def captures(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Captures]:
    tmp = tmp_path_factory.mktemp("webarchives")
    with running_replica(articles=ARTICLES, seed=5) as base:
        site = base.site
        direct = tmp / "direct.db"
        crawled = newsarchive("crawl", "turan", "--base-url", base, "--db", str(direct), "--quiet")
        assert crawled.returncode == 0, crawled.stdout + crawled.stderr
        exported = tmp / "exported.warc.gz"
        done = newsarchive("export", "warc", "-o", str(exported), "--db", str(direct))
        assert done.returncode == 0, done.stdout + done.stderr
        first = wget_warc(base, tmp / "first")
        entry = next(e for e in site.articles() if not e.paywalled and e.kind == "current")
        before = {t["url"]: t["title"] for t in site.ground_truth(base)}
        time.sleep(1.1)  # WARC-Date and CDX timestamps count seconds: the two captures must differ
        site.edit_article(entry.idx)
        url = str(base + site.entries[entry.idx].path)
        after = {t["url"]: t["title"] for t in site.ground_truth(base)}
        second = wget_warc(base, tmp / "second")
        yield Captures(str(base), direct, exported, first, second, url, before[url], after[url], tmp,
                       base.server.requests)


def _import(db: Path, c: Captures, *files: Path) -> str:
    done = newsarchive("import", *map(str, files), "--db", str(db), "--site", "turan", "--base-url", c.base,
                       "--quiet")
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _versions(db: Path, url: str) -> list[tuple[str, str]]:
    """(title, valid from) of every state of the article, oldest first, the current one last."""
    with sqlite3.connect(db) as conn:
        (article_id,) = conn.execute("SELECT id FROM articles WHERE url = ?", (url,)).fetchone()
        old = conn.execute("SELECT title, valid_from FROM article_versions WHERE article_id = ? ORDER BY version",
                           (article_id,)).fetchall()
        now = conn.execute("SELECT title, coalesce(version_since, first_seen) FROM articles WHERE id = ?",
                           (article_id,)).fetchall()
    return [(str(t), str(v)) for t, v in [*old, *now]]


def test_import_of_wgets_warc_equals_the_direct_crawl(captures: Captures) -> None:
    db = captures.tmp / "imported.db"
    out = _import(db, captures, captures.first)
    want = articles(captures.direct)
    assert len(want) > 40
    assert differences(articles(db), want) == []
    assert "not_a_response" in out and "records/s" in out  # wget's request records, counted by kind


def photos(db: Path) -> set[tuple[str, str, str]]:
    """(article URL, photo URL, SHA-256) of every stored photo of the archive."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT a.url, l.url, l.sha256 FROM media_links l JOIN articles a ON a.id = l.article_id "
                            "JOIN media m ON m.sha256 = l.sha256")
        return {(a, u, h) for a, u, h in rows}


def test_import_of_the_crawls_own_export_equals_it_photos_included(captures: Captures) -> None:
    db = captures.tmp / "reimported.db"
    asked = len(captures.requests)
    _import(db, captures, captures.exported)
    assert differences(articles(db), articles(captures.direct)) == []
    # The photos come from the WARC's own image records: the site is asked nothing.
    assert captures.requests[asked:] == []
    want = photos(captures.direct)
    assert len(want) > 20 and photos(db) == want
    # The run record counts the records read as its pages (an import gets no response but photos).
    with sqlite3.connect(db) as conn:
        (pages,) = conn.execute("SELECT pages FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
    assert pages >= len(articles(db))


def test_importing_the_same_file_twice_adds_nothing(captures: Captures) -> None:
    db = captures.tmp / "twice.db"
    _import(db, captures, captures.first)
    counts = table_counts(db)
    again = _import(db, captures, captures.first)
    assert table_counts(db) == counts
    assert "0 new, 0 changed" in again and "already_archived" in again


def test_versions_come_out_in_capture_order_not_file_order(captures: Captures) -> None:
    db = captures.tmp / "versions.db"
    _import(db, captures, captures.second, captures.first)  # the later capture named first
    states = _versions(db, captures.edited)
    assert [title for title, _ in states] == [captures.title_before, captures.title_after]
    assert states[0][1] < states[1][1]
    assert captures.title_before != captures.title_after


def test_an_older_capture_imported_later_does_not_turn_history_back(captures: Captures) -> None:
    db = captures.tmp / "later-first.db"
    _import(db, captures, captures.second)
    out = _import(db, captures, captures.first)  # a separate, later import of the earlier captures
    assert [title for title, _ in _versions(db, captures.edited)] == [captures.title_after]
    assert "older than the archived copy" in out and " 0 older" not in out


def test_pywb_replays_a_page_of_the_warc(captures: Captures) -> None:
    with (running_pywb(captures.tmp / "pywb-replay", [captures.first]) as pywb,
          urllib.request.urlopen(f"{pywb}/coll/2030mp_/{captures.edited}", timeout=30) as answer):
        page = answer.read().decode("utf-8")  # replayed: the page as captured, its links rewritten into pywb
    assert captures.title_before in html.unescape(page)
    assert f"{pywb}/coll/" in page and "_wb_" in page


def test_crawl_from_wayback_equals_the_direct_crawl_and_is_incremental(captures: Captures) -> None:
    db = captures.tmp / "wayback.db"
    with running_pywb(captures.tmp / "pywb-one", [captures.exported]) as pywb:  # the crawl, as WARC
        args = ("crawl", "turan", "--from", "wayback", "--cdx", f"{pywb}/coll/cdx", "--base-url", captures.base,
                "--db", str(db), "--quiet", "-s", "DOWNLOAD_DELAY=0")
        first = newsarchive(*args)
        assert first.returncode == 0, first.stdout + first.stderr
        assert differences(articles(db), articles(captures.direct)) == []
        counts = table_counts(db)
        log = captures.tmp / "pywb-one" / "wayback.log"
        fetched, replayed = fetches(db), log.read_text().count("id_/")
        second = newsarchive(*args)
        assert second.returncode == 0, second.stdout + second.stderr
        lines = log.read_text().splitlines()
    assert table_counts(db) == counts
    assert "0 new, 0 changed" in second.stdout
    assert fetches(db) == fetched and replayed > 0 and sum("id_/" in line for line in lines) == replayed
    listings = [line for line in lines if "/coll/cdx?" in line]
    assert "from=" not in listings[0] and "from=" in listings[-1]  # the second run asks from its newest


def test_crawl_from_wayback_two_captures_are_two_versions_in_order(captures: Captures) -> None:
    db = captures.tmp / "wayback-versions.db"
    with running_pywb(captures.tmp / "pywb-two", [captures.second, captures.first]) as pywb:
        done = newsarchive("crawl", "turan", "--from", "wayback", "--cdx", f"{pywb}/coll/cdx", "--base-url",
                           captures.base, "--db", str(db), "--quiet", "-s", "DOWNLOAD_DELAY=0")
    assert done.returncode == 0, done.stdout + done.stderr
    states = _versions(db, captures.edited)
    assert [title for title, _ in states] == [captures.title_before, captures.title_after]
    assert states[0][1] < states[1][1]

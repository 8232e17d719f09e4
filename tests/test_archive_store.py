"""The archive's write API and schema: upsert semantics, FTS upkeep, pages, failures, runs, migrations."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from archive import schema, store
from archive.errors import ArchiveError, NotAnArchiveError, SchemaTooNewError
from archive.store import Archive, ArticleRecord, FailureRecord, PageRecord
from scrapers.parsers.article import Article, Caption, Comment

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
BAKU = timezone(timedelta(hours=4))
TABLES = ("articles", "captions", "comments", "pages", "page_bodies", "failures", "crawl_runs")


def make_article(n: int = 1, **fields: Any) -> Article:
    values: dict[str, Any] = {
        "url": f"https://news.example/en/politics/story-{n}",
        "site": "example",
        "article_id": str(n),
        "language": "en",
        "section": "politics",
        "title": f"Story number {n}",
        "authors": ["Ann Writer"],
        "published": datetime(2024, 4, 30, 9, 0, tzinfo=BAKU),
        "published_raw": "30.04.2024 09:00",
        "body": f"Body of story {n} about parliament and budgets.",
        "captions": [Caption("https://img.example/1.jpg", "A harbour at dawn", "AP", "https://ap.example")],
        "tags": ["economy"],
    }
    values.update(fields)
    return Article(**values)


def page_for(article: Article, at: datetime = T0, body: bytes | None = None) -> PageRecord:
    html = body if body is not None else f"<html><body>{article.body}</body></html>".encode()
    return PageRecord(article.url, 200, {"content-type": "text/html"}, html, at, content_type="text/html")


def record(article: Article, at: datetime = T0, with_page: bool = True) -> ArticleRecord:
    return ArticleRecord(article, page_for(article, at) if with_page else None, at)


def counts(archive: Archive) -> dict[str, int]:
    out = {t: archive.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    for fts in ("articles_fts", "comments_fts"):
        out[fts] = archive.conn.execute(f"SELECT count(*) FROM {fts}_docsize").fetchone()[0]
    return out


def fts_ok(archive: Archive) -> None:
    for fts in ("articles_fts", "comments_fts"):
        archive.conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)")


def matches(archive: Archive, word: str) -> list[int]:
    rows = archive.conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", (f'"{word}"',))
    return [r[0] for r in rows]


@pytest.fixture
def archive(tmp_path: Path) -> Any:
    with Archive.open(tmp_path / "archive.db") as a:
        yield a


# --- opening and schema -----------------------------------------------------------------------


def test_open_creates_folder_file_and_schema(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "archive.db"
    with Archive.open(path) as a:
        assert a.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert a.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        meta = a.conn.execute("SELECT app, schema_version FROM _newsarchive_meta").fetchone()
        assert meta == ("newsarchive", schema.SCHEMA_VERSION)
        assert set(TABLES) <= set(a.db.table_names())
    assert path.exists()


def test_fts_follows_sqlite_utils_conventions(archive: Archive) -> None:
    # What Datasette and sqlite-utils look for: <table>_fts with content=<table>, <table>_a[idu] triggers.
    assert archive.db["articles"].detect_fts() == "articles_fts"
    assert archive.db["comments"].detect_fts() == "comments_fts"
    triggers = {t.name for t in archive.db["articles"].triggers}
    assert {"articles_ai", "articles_ad", "articles_au"} <= triggers
    assert "remove_diacritics 2" in archive.db["articles_fts"].schema
    archive.write_batch(articles=[record(make_article())])
    assert [r["id"] for r in archive.db["articles"].search("parliament")] == [1]


def test_reopen_keeps_data_and_version(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Archive.open(path) as a:
        a.write_batch(articles=[record(make_article())])
    with Archive.open(path, create=False) as a:
        assert a.db["articles"].count == 1
        assert a.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION


def test_newer_schema_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    Archive.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE _newsarchive_meta SET schema_version = 99")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaTooNewError, match="newer than this newsarchive"):
        Archive.open(path)


def test_foreign_sqlite_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    with pytest.raises(NotAnArchiveError, match="not a newsarchive archive"):
        Archive.open(path)
    # ...and left untouched.
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["customers"]
    conn.close()


def test_non_sqlite_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello, I am not a database\n" * 10)
    with pytest.raises(NotAnArchiveError, match="not a SQLite database"):
        Archive.open(path)


@pytest.mark.parametrize("kwargs", [{"create": False}, {"readonly": True}])
def test_missing_file_without_create(tmp_path: Path, kwargs: dict[str, bool]) -> None:
    with pytest.raises(ArchiveError, match="no archive at"):
        Archive.open(tmp_path / "missing.db", **kwargs)
    assert not (tmp_path / "missing.db").exists()


def test_directory_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="is a directory"):
        Archive.open(tmp_path)


def test_migrations_apply_in_order_to_an_old_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.db"
    with Archive.open(path) as a:
        a.write_batch(articles=[record(make_article())])
    v2 = schema.Migration(
        schema.SCHEMA_VERSION + 1,
        "a future table",
        ("CREATE TABLE future_table (id INTEGER PRIMARY KEY, article_id INTEGER)",),
    )
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, v2))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", v2.version)
    with pytest.raises(ArchiveError, match="open it once read-write"):
        Archive.open(path, readonly=True)
    with Archive.open(path) as a:
        assert "future_table" in a.db.table_names()
        assert a.conn.execute("PRAGMA user_version").fetchone()[0] == v2.version
        assert a.conn.execute("SELECT schema_version, migrated FROM _newsarchive_meta").fetchone()[0] == v2.version
        assert a.db["articles"].count == 1


def test_readonly_archive_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    Archive.open(path).close()
    with Archive.open(path, readonly=True) as a, pytest.raises(ArchiveError, match="read-only"):
        a.write_batch(articles=[record(make_article())])


# --- articles ---------------------------------------------------------------------------------


def test_new_article_is_stored_with_everything(archive: Archive) -> None:
    article = make_article(comments=[Comment("c1", None, "Bob", T0, "1 May", "First!")])
    result = archive.write_batch(articles=[record(article)])
    assert (result.articles_new, result.pages_new) == (1, 1)
    row = next(archive.db["articles"].rows)
    assert row["key"] == "example:1:en"
    assert row["published"] == "2024-04-30T09:00:00+04:00"
    assert row["published_raw"] == "30.04.2024 09:00"
    assert row["first_seen"] == row["last_seen"] == "2024-05-01T12:00:00.000+00:00"
    assert row["captions_text"] == "A harbour at dawn"
    assert row["comment_count"] == 1
    assert row["page_hash"] == store.sha256_hex(page_for(article).body)
    assert matches(archive, "parliament") == [row["id"]]
    assert matches(archive, "harbour") == [row["id"]]
    fts_ok(archive)


def test_rewriting_unchanged_articles_adds_no_rows(archive: Archive) -> None:
    articles = [make_article(n, comments=[Comment(f"c{n}", None, "Bob", None, None, "hi")]) for n in range(5)]
    archive.write_batch(articles=[record(a) for a in articles])
    before = counts(archive)
    later = T0 + timedelta(days=1)
    result = archive.write_batch(articles=[record(a, later) for a in articles])
    assert (result.articles_new, result.articles_changed, result.articles_unchanged) == (0, 0, 5)
    assert (result.pages_new, result.pages_seen) == (0, 5)
    assert counts(archive) == before
    row = archive.db["articles"].get(1)
    assert row["last_seen"].startswith("2024-05-02") and row["first_seen"].startswith("2024-05-01")
    assert archive.conn.execute("SELECT max(fetch_count) FROM pages").fetchone()[0] == 2
    fts_ok(archive)


def test_replaying_the_same_batch_is_idempotent(archive: Archive) -> None:
    batch = [record(make_article(n)) for n in range(3)]
    archive.write_batch(articles=batch)
    pages_before = list(archive.db["pages"].rows)
    archive.write_batch(articles=batch)
    assert list(archive.db["pages"].rows) == pages_before


def test_changed_body_updates_the_index(archive: Archive) -> None:
    archive.write_batch(articles=[record(make_article(body="The zeppelin landed."))])
    result = archive.write_batch(
        articles=[record(make_article(body="The submarine surfaced."), T0 + timedelta(hours=1))]
    )
    assert result.articles_changed == 1
    assert matches(archive, "zeppelin") == []
    assert matches(archive, "submarine") == [1]
    assert archive.db["articles"].count == 1
    fts_ok(archive)


def test_changed_article_replaces_its_captions(archive: Archive) -> None:
    archive.write_batch(articles=[record(make_article())])
    new_captions = [
        Caption("https://img.example/2.jpg", "Volcano", None),
        Caption("https://img/3", "Glacier"),
    ]
    archive.write_batch(articles=[record(make_article(captions=new_captions), T0 + timedelta(hours=1))])
    texts = [r["text"] for r in archive.db["captions"].rows_where(order_by="position")]
    assert texts == ["Volcano", "Glacier"]
    assert matches(archive, "harbour") == [] and matches(archive, "glacier") == [1]
    fts_ok(archive)


def test_unchanged_article_is_not_reindexed(archive: Archive) -> None:
    # Re-indexing would append FTS segments even for identical text; touching last_seen must not.
    archive.write_batch(articles=[record(make_article())])
    index_before = archive.conn.execute("SELECT * FROM articles_fts_data").fetchall()
    archive.write_batch(articles=[record(make_article(), T0 + timedelta(hours=1))])
    assert archive.conn.execute("SELECT * FROM articles_fts_data").fetchall() == index_before


def test_raw_date_strings_alone_do_not_make_a_change(archive: Archive) -> None:
    archive.write_batch(articles=[record(make_article(published_raw="5 minutes ago"))])
    result = archive.write_batch(articles=[record(make_article(published_raw="7 minutes ago"))])
    assert result.articles_unchanged == 1


def test_partial_copy_never_replaces_a_complete_one(archive: Archive) -> None:
    archive.write_batch(articles=[record(make_article(body="The whole story, every word."))])
    result = archive.write_batch(articles=[record(make_article(body="The whole", is_partial=True))])
    assert result.articles_unchanged == 1
    assert archive.db["articles"].get(1)["body"] == "The whole story, every word."


def test_same_key_twice_in_one_batch(archive: Archive) -> None:
    first, second = make_article(body="alpha"), make_article(body="omega")
    result = archive.write_batch(articles=[record(first), record(second, T0 + timedelta(minutes=1))])
    assert (result.articles_new, result.articles_changed) == (1, 1)
    assert archive.db["articles"].get(1)["body"] == "omega"
    fts_ok(archive)


def test_comments_added_later_are_added_not_duplicated(archive: Archive) -> None:
    c1 = Comment("c1", None, "Bob", None, None, "First comment")
    c2 = Comment("c2", "c1", "Eve", None, None, "A reply with walrus")
    archive.write_batch(articles=[record(make_article(comments=[c1]))])
    result = archive.write_batch(articles=[record(make_article(comments=[c1, c2]), T0 + timedelta(hours=1))])
    assert result.articles_unchanged == 1
    assert [r["comment_id"] for r in archive.db["comments"].rows] == ["c1", "c2"]
    assert archive.db["articles"].get(1)["comment_count"] == 2
    # An article fetched again without its comments keeps the ones archived.
    archive.write_batch(articles=[record(make_article(), T0 + timedelta(hours=2))])
    assert archive.db["comments"].count == 2
    hits = archive.conn.execute("SELECT rowid FROM comments_fts WHERE comments_fts MATCH 'walrus'").fetchall()
    assert len(hits) == 1
    fts_ok(archive)


def test_edited_comment_is_updated_in_the_index(archive: Archive) -> None:
    archive.write_batch(
        articles=[record(make_article(comments=[Comment("c1", None, "Bob", None, None, "teapot")]))]
    )
    edited = make_article(comments=[Comment("c1", None, "Bob", None, None, "kettle")])
    archive.write_batch(articles=[record(edited, T0 + timedelta(hours=1))])
    match = "SELECT count(*) FROM comments_fts WHERE comments_fts MATCH ?"
    assert archive.conn.execute(match, ("teapot",)).fetchone()[0] == 0
    assert archive.conn.execute(match, ("kettle",)).fetchone()[0] == 1
    fts_ok(archive)


def test_article_without_page(archive: Archive) -> None:
    archive.write_batch(articles=[record(make_article(), with_page=False)])
    assert archive.db["articles"].get(1)["page_hash"] is None
    assert archive.db["pages"].count == 0


def test_batch_is_one_transaction(archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: Any) -> None:
        raise sqlite3.IntegrityError("boom")

    monkeypatch.setattr(store, "_write_round", explode)
    failure = FailureRecord("https://news.example/x", "http_500", 500, None, T0)
    with pytest.raises(ArchiveError, match="boom"):
        archive.write_batch(
            pages=[page_for(make_article())], articles=[record(make_article())], failures=[failure]
        )
    assert all(n == 0 for n in counts(archive).values())


# --- pages, failures, runs --------------------------------------------------------------------


def test_page_bodies_are_stored_once_and_read_back(archive: Archive) -> None:
    body = b"<html>" + b"x" * 50_000 + b"</html>"
    pages = [PageRecord(f"https://news.example/list?p={n}", 200, {}, body, T0) for n in range(3)]
    result = archive.write_batch(pages=pages)
    assert (result.pages_new, archive.db["pages"].count, archive.db["page_bodies"].count) == (3, 3, 1)
    stored = next(archive.db["page_bodies"].rows)
    assert stored["size"] == len(body) and len(stored["body"]) < len(body)
    assert archive.page_body(stored["hash"]) == body
    with pytest.raises(ArchiveError, match="no page body"):
        archive.page_body("0" * 64)


def test_refetch_with_new_content_adds_a_page_version(archive: Archive) -> None:
    url = "https://news.example/"
    archive.write_batch(pages=[PageRecord(url, 200, {}, b"v1", T0)])
    archive.write_batch(pages=[PageRecord(url, 200, {}, b"v1", T0 + timedelta(hours=1))])
    archive.write_batch(pages=[PageRecord(url, 200, {}, b"v2", T0 + timedelta(hours=2))])
    rows = list(archive.db["pages"].rows_where(order_by="id"))
    assert [(r["fetch_count"], r["last_fetched"][:13]) for r in rows] == [
        (2, "2024-05-01T13"),
        (1, "2024-05-01T14"),
    ]


def test_failures_are_recorded_counted_and_cleared(archive: Archive) -> None:
    article = make_article()
    fail = FailureRecord(article.url, "timeout", None, "TimeoutError", T0)
    archive.write_batch(failures=[fail])
    archive.write_batch(
        failures=[FailureRecord(article.url, "http_503", 503, "HTTP 503", T0 + timedelta(minutes=5))]
    )
    row = archive.db["failures"].get(article.url)
    assert (row["attempts"], row["reason"], row["status"]) == (2, "http_503", 503)
    archive.write_batch(articles=[record(article, T0 + timedelta(hours=1))])
    assert archive.db["failures"].count == 0


def test_failure_newer_than_the_article_stays(archive: Archive) -> None:
    article = make_article()
    later = FailureRecord(article.url, "http_500", 500, None, T0 + timedelta(hours=2))
    archive.write_batch(articles=[record(article, T0)], failures=[later])
    assert archive.db["failures"].count == 1


def test_runs_count_batches_and_finish(archive: Archive) -> None:
    run = archive.start_run("example", {"limit": 5, "langs": ["en"]})
    archive.write_batch(articles=[record(make_article(1)), record(make_article(2))], run_id=run)
    archive.write_batch(failures=[FailureRecord("https://x/1", "timeout", None, None, T0)], run_id=run)
    row = archive.db["crawl_runs"].get(run)
    assert (row["status"], row["pages"], row["articles_new"], row["failed"]) == ("running", 2, 2, 1)
    assert row["failed_by_reason"] == '{"timeout": 1}'
    archive.finish_run(run, "finished", {"pages": 7})
    row = archive.db["crawl_runs"].get(run)
    assert (row["status"], row["pages"], row["articles_new"]) == ("finished", 7, 2)
    assert row["finished"] is not None
    assert next(archive.db["pages"].rows)["run_id"] == run


def test_run_errors(archive: Archive) -> None:
    with pytest.raises(ArchiveError, match="unknown crawl run id"):
        archive.write_batch(articles=[record(make_article())], run_id=42)
    with pytest.raises(ArchiveError, match="unknown crawl run id"):
        archive.finish_run(42, "finished", {})
    run = archive.start_run("example", {})
    with pytest.raises(ArchiveError, match="unknown count"):
        archive.finish_run(run, "finished", {"pagez": 1})


def test_known_article_urls(archive: Archive) -> None:
    archive.write_batch(
        articles=[
            record(make_article(1, canonical_url="https://news.example/c/1")),
            record(make_article(2, site="other", is_partial=True)),
        ]
    )
    one = make_article(1)
    assert archive.known_article_urls("example") == {one.url, "https://news.example/c/1"}
    assert len(archive.known_article_urls()) == 3
    assert len(archive.known_article_urls(complete_only=True)) == 2


def test_a_reader_sees_committed_batches_while_a_writer_is_open(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Archive.open(path) as writer, Archive.open(path, readonly=True) as reader:
        writer.write_batch(articles=[record(make_article())])
        assert reader.known_article_urls() == {make_article().url}

"""The archive: one SQLite file (WAL mode) and the small write API every feeder calls.

Feeders (the Scrapy pipeline, a reparse, a Redis ingest) hand over plain records; the archive
decides what is new, changed or unchanged.  Each ``write_batch`` is one short ``BEGIN IMMEDIATE``
transaction built from ``executemany`` statements, so a crash loses at most that batch and other
processes (search, Datasette) keep reading while it runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import sqlite_utils

from archive.cdx_progress import CdxProgress, write_progress
from archive.compression import by_site, compress_body, dictionary_for, read_body
from archive.errors import ArchiveError, BodyDamagedError, NotAnArchiveError
from archive.media import MediaLink, MediaRecord, write_links, write_media
from archive.schema import check_version
from archive.search import index as search_index
from archive.search import topk as search_topk
from archive.translations import write_alternates
from archive.versions import save_article_versions, save_comment_versions
from scrapers.parsers.article import Article, Caption, Comment

BUSY_TIMEOUT_MS = 10_000
RUN_COUNT_FIELDS = (
    "pages", "articles_new", "articles_changed", "articles_unchanged", "failed", "not_modified", "gone",
    "comments_new",
)
# Set once, when a run ends (see scrapers/health.py): the extraction yield and the verdict.
RUN_HEALTH_FIELDS = (
    "yield_articles", "yield_body", "yield_date", "yield_author", "outcome", "exit_code", "message",
)
# What a re-visit of an archived article found out (see RevisitRecord).
REVISIT_OUTCOMES = ("not_modified", "gone", "moved")


@dataclass
class PageRecord:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    final_url: str | None = None
    content_type: str | None = None

    @cached_property
    def sha256(self) -> str:
        """Hex SHA-256 of the raw body: the page's content hash (computed once per record)."""
        return sha256_hex(self.body)


@dataclass
class ArticleRecord:
    article: Article
    page: PageRecord | None
    fetched_at: datetime
    # The images the article showed (archive/media.py); their bytes come in write_batch(media=...).
    media: list[MediaLink] = field(default_factory=list)


@dataclass
class FailureRecord:
    url: str
    reason: str
    status: int | None
    detail: str | None
    failed_at: datetime
    attempts: int = 1  # requests sent for the URL (a first try and its retries); summed over runs


@dataclass
class RevisitRecord:
    """The answer to a re-visit of an archived article that carried no new copy of it.

    outcome: ``not_modified`` (304: only ``last_seen`` moves), ``gone`` (404/410 or redirected
    away: the article is flagged, never deleted; `reason` says how) or ``moved`` (redirected to
    another article URL, which is fetched on its own).
    """

    url: str
    outcome: str
    at: datetime
    reason: str | None = None


@dataclass
class DeadLetter:
    """An item of a distributed crawl that could not be ingested (archive/ingest.py): the message as
    received, a short reason (scrapers/distributed/itemcheck.py REASONS) and where it was wrong."""

    data: bytes
    reason: str
    detail: str


DEAD_LETTER_KEEP = 64 * 1024  # bytes of a dead letter's message kept


@dataclass
class BatchResult:
    pages_new: int = 0
    pages_seen: int = 0
    articles_new: int = 0
    articles_changed: int = 0
    articles_unchanged: int = 0
    failures: int = 0
    not_modified: int = 0  # re-visits answered 304
    gone: int = 0  # archived articles newly found taken down
    comments_new: int = 0
    comments_edited: int = 0
    with_date: int = 0  # of the new and changed articles: the extraction yield's numerators
    with_author: int = 0
    media_new: int = 0  # images stored for the first time (by SHA-256)
    media_bytes: int = 0  # their bytes


# --- values as stored -------------------------------------------------------------------------


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def to_json(value: Any) -> str:
    # ensure_ascii=False keeps Cyrillic/Azerbaijani names as letters, which FTS can tokenize.
    return json.dumps(value, ensure_ascii=False)


def fetch_time(dt: datetime) -> str:
    """UTC, fixed width, so that stored fetch times compare correctly as strings."""
    aware = dt if dt.tzinfo else dt.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="milliseconds")


def iso(dt: datetime | None) -> str | None:
    """A publication date as the site meant it: ISO 8601, keeping its own UTC offset."""
    return dt.isoformat() if dt else None


def captions_text(captions: Sequence[Caption]) -> str:
    return "\n".join(c.text for c in captions if c.text)


def content_hash(article: Article) -> str:
    """Hash of the normalised content; raw date strings and the URL fetched are left out on
    purpose, so "5 minutes ago" or a tracking parameter never make an article look changed."""
    fields = {
        "canonical_url": article.canonical_url,
        "site": article.site,
        "article_id": article.article_id,
        "language": article.language,
        "section": article.section,
        "title": article.title,
        "authors": article.authors,
        "published": iso(article.published),
        "modified": iso(article.modified),
        "body": article.body,
        "captions": [[c.image_url, c.text, c.credit, c.credit_url] for c in article.captions],
        "tags": article.tags,
        "is_partial": article.is_partial,
    }
    return sha256_hex(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode())


ARTICLE_CONTENT_COLUMNS = (
    "url",
    "canonical_url",
    "site",
    "article_id",
    "language",
    "section",
    "title",
    "authors",
    "published",
    "published_raw",
    "modified",
    "modified_raw",
    "body",
    "captions_text",
    "tags",
    "is_partial",
    "extractor_version",
    "content_hash",
)


def article_row(record: ArticleRecord) -> dict[str, Any]:
    a = record.article
    seen = fetch_time(record.fetched_at)
    return {
        "key": a.key,
        "url": a.url,
        "canonical_url": a.canonical_url,
        "site": a.site,
        "article_id": a.article_id,
        "language": a.language,
        "section": a.section,
        "title": a.title,
        "authors": to_json(a.authors),
        "published": iso(a.published),
        "published_raw": a.published_raw,
        "modified": iso(a.modified),
        "modified_raw": a.modified_raw,
        "body": a.body,
        "captions_text": captions_text(a.captions),
        "tags": to_json(a.tags),
        "is_partial": int(a.is_partial),
        "extractor_version": a.extractor_version,
        "content_hash": content_hash(a),
        "page_type": a.page_type,
        "confidence": round(a.confidence, 3),
        "page_hash": record.page.sha256 if record.page else None,
        "first_seen": seen,
        "last_seen": seen,
        "etag": header(record.page, "ETag"),
        "http_last_modified": header(record.page, "Last-Modified"),
    }


def header(page: PageRecord | None, name: str) -> str | None:
    """A response header of a fetched page (names compared without case), None when absent."""
    if page is None:
        return None
    wanted = name.lower()
    return next((v for k, v in page.headers.items() if k.lower() == wanted and v), None)


def comment_row(article_id: int, comment: Comment, seen: str) -> tuple[Any, ...]:
    return (
        article_id,
        comment.comment_id,
        comment.parent_id,
        comment.author,
        iso(comment.published),
        comment.published_raw,
        comment.text,
        seen,
    )


# --- SQL --------------------------------------------------------------------------------------

_INSERT_BODY = "INSERT OR IGNORE INTO page_bodies (hash, compression, size, body, dict_id) VALUES (?, ?, ?, ?, ?)"
# A replay of a fetch already recorded (same URL, content and time) changes nothing, so a
# re-sent batch or a reparse is idempotent; a later fetch only moves last_fetched/fetch_count.
_UPSERT_PAGE = """
INSERT INTO pages (url, final_url, status, headers, content_type, content_hash,
                   first_fetched, last_fetched, fetch_count, run_id)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
ON CONFLICT (url, content_hash) DO UPDATE SET
    first_fetched = min(pages.first_fetched, excluded.first_fetched),
    last_fetched = max(pages.last_fetched, excluded.last_fetched),
    fetch_count = pages.fetch_count + 1
WHERE excluded.last_fetched > pages.last_fetched OR excluded.first_fetched < pages.first_fetched
"""
_ARTICLE_COLUMNS = (
    "key", *ARTICLE_CONTENT_COLUMNS, "page_hash", "first_seen", "last_seen", "etag", "http_last_modified"
)
# A fetched page (page_hash set) brings fresh validators and shows the article is not gone; a
# record without a page (a reparse) leaves both as they are.
_FETCH_STATE = (
    "etag = CASE WHEN :page_hash IS NULL THEN etag ELSE :etag END, "
    "http_last_modified = CASE WHEN :page_hash IS NULL THEN http_last_modified ELSE :http_last_modified END, "
    "gone_since = CASE WHEN :page_hash IS NULL THEN gone_since END, "
    "gone_reason = CASE WHEN :page_hash IS NULL THEN gone_reason END"
)
_INSERT_ARTICLE = (
    f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}) "
    f"VALUES ({', '.join(':' + c for c in _ARTICLE_COLUMNS)})"
)
_UPDATE_ARTICLE = (
    f"UPDATE articles SET {', '.join(f'{c} = :{c}' for c in ARTICLE_CONTENT_COLUMNS)}, "
    "page_hash = coalesce(:page_hash, page_hash), last_seen = max(last_seen, :last_seen), "
    f"version = version + 1, version_since = :last_seen, {_FETCH_STATE} WHERE id = :id"
)
_SET_PAGE_TYPE = "UPDATE articles SET page_type = :page_type, confidence = :confidence WHERE key = :key"
_TOUCH_ARTICLE = f"UPDATE articles SET last_seen = max(last_seen, :last_seen), {_FETCH_STATE} WHERE id = :id"
# Re-visits that brought no copy: a 304 is a last-seen touch; a takedown only sets the flag.
_REVISIT_SEEN = (
    "UPDATE articles SET last_seen = max(last_seen, :at), last_checked = max(coalesce(last_checked, ''), :at), "
    "gone_since = NULL, gone_reason = NULL WHERE url = :url OR canonical_url = :url"
)
_REVISIT_GONE = (
    "UPDATE articles SET gone_since = :at, gone_reason = :reason WHERE (url = :url OR canonical_url = :url) "
    "AND gone_since IS NULL"
)
_REVISIT_CHECKED = (
    "UPDATE articles SET last_checked = max(coalesce(last_checked, ''), :at) WHERE url = :url OR canonical_url = :url"
)
_INSERT_CAPTION = (
    "INSERT INTO captions (article_id, position, image_url, text, credit, credit_url) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
# Only a comment whose content moved is rewritten, so the comments_fts trigger stays idle otherwise.
_UPSERT_COMMENT = """
INSERT INTO comments (article_id, comment_id, parent_id, author, published, published_raw, text, first_seen)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (article_id, comment_id) DO UPDATE SET
    parent_id = excluded.parent_id, author = excluded.author, published = excluded.published,
    published_raw = excluded.published_raw, text = excluded.text
WHERE comments.text IS NOT excluded.text OR comments.author IS NOT excluded.author
   OR comments.parent_id IS NOT excluded.parent_id OR comments.published IS NOT excluded.published
   OR comments.published_raw IS NOT excluded.published_raw
"""
_COUNT_COMMENTS = (
    "UPDATE articles SET comment_count = (SELECT count(*) FROM comments WHERE article_id = articles.id) "
    "WHERE id = ?"
)
_UPSERT_FAILURE = """
INSERT INTO failures (url, reason, status, detail, attempts, first_failed, last_failed, run_id)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (url) DO UPDATE SET
    reason = excluded.reason, status = excluded.status, detail = excluded.detail,
    attempts = failures.attempts + excluded.attempts, last_failed = max(failures.last_failed, excluded.last_failed),
    run_id = coalesce(excluded.run_id, failures.run_id)
"""
_CLEAR_FAILURE = "DELETE FROM failures WHERE url = ? AND last_failed <= ?"


def _json_list(values: Iterable[str]) -> str:
    """One bound parameter for a whole IN list (via json_each): no SQLite variable limit."""
    return json.dumps(list(values))


# --- the batch writer -------------------------------------------------------------------------


def _write_bodies(conn: sqlite3.Connection, pages: Sequence[PageRecord]) -> None:
    by_hash = {p.sha256: p.body for p in pages}
    known = {
        r[0]
        for r in conn.execute(
            "SELECT hash FROM page_bodies WHERE hash IN (SELECT value FROM json_each(?))",
            (_json_list(by_hash),),
        )
    }
    # Compressing is the costly part, so bodies already stored are not compressed again.
    new: dict[str, tuple[str, str, bytes]] = {}
    for p in pages:
        if p.sha256 not in known:
            new.setdefault(p.sha256, (p.url, p.sha256, p.body))  # a body's site: the first URL that brought it
    rows = []
    for host, bodies in by_site(new.values()):
        # The site's dictionary, built here once the site has enough pages (archive/compression.py).
        zdict = dictionary_for(conn, host, [b for _, b in bodies])
        for h, b in bodies:
            stored = compress_body(b, zdict)
            rows.append((h, stored.compression, len(b), stored.blob, stored.dict_id))
    if rows:  # nothing new: the statement is not even prepared (an archive being migrated has no dict_id yet)
        conn.executemany(_INSERT_BODY, rows)


def _existing_pages(conn: sqlite3.Connection, pages: Sequence[PageRecord]) -> set[tuple[str, str]]:
    pairs = [[p.url, p.sha256] for p in pages]
    rows = conn.execute(
        "SELECT url, content_hash FROM pages WHERE (url, content_hash) IN "
        "(SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))",
        (json.dumps(pairs),),
    )
    return {(str(r[0]), str(r[1])) for r in rows}


def _write_pages(
    conn: sqlite3.Connection, pages: Sequence[PageRecord], run_id: int | None, result: BatchResult
) -> None:
    if not pages:
        return
    _write_bodies(conn, pages)
    seen = _existing_pages(conn, pages)
    rows = []
    for p in pages:
        pair = (p.url, p.sha256)
        if pair in seen:
            result.pages_seen += 1
        else:
            result.pages_new += 1
            seen.add(pair)
        t = fetch_time(p.fetched_at)
        rows.append((p.url, p.final_url, p.status, to_json(p.headers), p.content_type, pair[1], t, t, run_id))
    conn.executemany(_UPSERT_PAGE, rows)


def _rounds(records: Sequence[ArticleRecord]) -> list[list[ArticleRecord]]:
    """Splits a batch so that each key appears once per round (a key twice in one batch is
    then compared with its own earlier version, exactly as if it had come in the next batch)."""
    rounds: list[list[ArticleRecord]] = []
    counts: Counter[str] = Counter()
    for record in records:
        n = counts[record.article.key]
        counts[record.article.key] += 1
        if n == len(rounds):
            rounds.append([])
        rounds[n].append(record)
    return rounds


@dataclass
class _Existing:
    id: int
    content_hash: str
    is_partial: bool


def _existing_articles(conn: sqlite3.Connection, keys: Iterable[str]) -> dict[str, _Existing]:
    rows = conn.execute(
        "SELECT key, id, content_hash, is_partial FROM articles "
        "WHERE key IN (SELECT value FROM json_each(?))",
        (_json_list(keys),),
    )
    return {str(r[0]): _Existing(int(r[1]), str(r[2]), bool(r[3])) for r in rows}


def _keeps_old(old: _Existing, row: Mapping[str, Any]) -> bool:
    # A partial copy (paywall, truncated fetch) never replaces a complete one already archived.
    return old.content_hash == row["content_hash"] or (bool(row["is_partial"]) and not old.is_partial)


def _write_round(
    conn: sqlite3.Connection, records: Sequence[ArticleRecord], result: BatchResult, run_id: int | None = None
) -> None:
    rows = [article_row(r) for r in records]
    existing = _existing_articles(conn, (row["key"] for row in rows))
    new = [row for row in rows if row["key"] not in existing]
    changed = [
        {**row, "id": existing[row["key"]].id}
        for row in rows
        if row["key"] in existing and not _keeps_old(existing[row["key"]], row)
    ]
    unchanged = [
        {**row, "id": existing[row["key"]].id}
        for row in rows
        if row["key"] in existing and _keeps_old(existing[row["key"]], row)
    ]
    conn.executemany(_INSERT_ARTICLE, new)
    # The state about to be overwritten becomes a version (archive/versions.py).
    save_article_versions(conn, [row["id"] for row in changed], [row["last_seen"] for row in changed], run_id)
    conn.executemany(_UPDATE_ARTICLE, changed)
    conn.executemany(_TOUCH_ARTICLE, unchanged)
    # Written apart, and only where they are not the columns' defaults (a sure article): rows of
    # profile crawls never touch them (nor an archive written before migration 5, as in its tests).
    unsure = [row for row in rows if (row["page_type"], row["confidence"]) != ("article", 1.0)]
    if unsure:  # executemany prepares its statement even for no rows
        conn.executemany(_SET_PAGE_TYPE, unsure)
    result.articles_new += len(new)
    result.articles_changed += len(changed)
    result.articles_unchanged += len(unchanged)
    for row in (*new, *changed):
        result.with_date += row["published"] is not None
        result.with_author += row["authors"] != "[]"

    ids = {k: e.id for k, e in existing.items()}
    ids.update({k: e.id for k, e in _existing_articles(conn, (row["key"] for row in new)).items()})
    rewritten = {row["key"] for row in new} | {row["key"] for row in changed}
    _write_captions(conn, [r for r in records if r.article.key in rewritten], ids)
    _write_media_links(conn, records, ids)
    # Every fetch, changed or not: a translation published later shows up in an unchanged page.
    write_alternates(
        conn, [(ids[r.article.key], lang, url) for r in records for lang, url in r.article.alternates.items()]
    )
    _write_comments(conn, records, ids, result, run_id)
    _clear_failures(conn, records)


def _write_captions(
    conn: sqlite3.Connection, records: Sequence[ArticleRecord], ids: Mapping[str, int]
) -> None:
    conn.executemany("DELETE FROM captions WHERE article_id = ?", ((ids[r.article.key],) for r in records))
    conn.executemany(
        _INSERT_CAPTION,
        (
            (ids[r.article.key], pos, c.image_url, c.text, c.credit, c.credit_url)
            for r in records
            for pos, c in enumerate(r.article.captions)
        ),
    )


def _write_media_links(conn: sqlite3.Connection, records: Sequence[ArticleRecord], ids: Mapping[str, int]) -> None:
    rows = [
        (ids[r.article.key], link.position, link.url, link.sha256, fetch_time(r.fetched_at), fetch_time(r.fetched_at))
        for r in records
        for link in r.media
    ]
    if rows:  # an archive being migrated has no media_links yet
        write_links(conn, rows)


def _write_comments(
    conn: sqlite3.Connection,
    records: Sequence[ArticleRecord],
    ids: Mapping[str, int],
    result: BatchResult | None = None,
    run_id: int | None = None,
) -> None:
    with_comments = [r for r in records if r.article.comments]
    rows = [
        comment_row(ids[r.article.key], c, fetch_time(r.fetched_at))
        for r in with_comments
        for c in r.article.comments
    ]
    # Edited comments keep their old text in comment_versions; new ones are counted.
    changes = save_comment_versions(conn, rows, run_id)
    if result is not None:
        result.comments_new += changes.new
        result.comments_edited += changes.edited
    conn.executemany(_UPSERT_COMMENT, rows)
    conn.executemany(_COUNT_COMMENTS, ((ids[r.article.key],) for r in with_comments))


def _clear_failures(conn: sqlite3.Connection, records: Sequence[ArticleRecord]) -> None:
    """An archived article settles the failures of every URL it was reached by, unless the
    failure is more recent than the fetch that produced the article."""
    rows = set()
    for r in records:
        urls = {r.article.url, r.article.canonical_url}
        if r.page:
            urls |= {r.page.url, r.page.final_url}
        rows |= {(u, fetch_time(r.fetched_at)) for u in urls if u}
    conn.executemany(_CLEAR_FAILURE, rows)


def _write_failures(
    conn: sqlite3.Connection, failures: Sequence[FailureRecord], run_id: int | None, result: BatchResult
) -> None:
    conn.executemany(
        _UPSERT_FAILURE,
        (
            (f.url, f.reason, f.status, f.detail, max(1, f.attempts), fetch_time(f.failed_at),
             fetch_time(f.failed_at), run_id)
            for f in failures
        ),
    )
    result.failures += len(failures)


def _write_revisits(conn: sqlite3.Connection, revisits: Sequence[RevisitRecord], result: BatchResult) -> None:
    """304: a last-seen touch and nothing else; gone: the flag with the date (first time only);
    every outcome counts as a visit for the re-crawl policy (last_checked)."""
    unknown = {r.outcome for r in revisits} - set(REVISIT_OUTCOMES)
    if unknown:
        raise ArchiveError(f"unknown re-visit outcome(s): {', '.join(sorted(unknown))}")
    rows = [{"url": r.url, "at": fetch_time(r.at), "reason": r.reason, "outcome": r.outcome} for r in revisits]
    conn.executemany(_REVISIT_SEEN, [r for r in rows if r["outcome"] == "not_modified"])
    gone = [r for r in rows if r["outcome"] == "gone"]
    before = conn.total_changes
    conn.executemany(_REVISIT_GONE, gone)
    result.gone += conn.total_changes - before
    conn.executemany(_REVISIT_CHECKED, [r for r in rows if r["outcome"] != "not_modified"])
    result.not_modified += sum(1 for r in rows if r["outcome"] == "not_modified")


def _count_run(
    conn: sqlite3.Connection, run_id: int, result: BatchResult, failures: Sequence[FailureRecord]
) -> None:
    """Keeps the run's counters current batch by batch, so a run that crashes still says what it did."""
    row = conn.execute("SELECT failed_by_reason FROM crawl_runs WHERE id = ?", (run_id,)).fetchone()
    by_reason = Counter(json.loads(row[0])) + Counter(f.reason for f in failures)
    conn.execute(
        "UPDATE crawl_runs SET pages = pages + ?, articles_new = articles_new + ?, "
        "articles_changed = articles_changed + ?, articles_unchanged = articles_unchanged + ?, "
        "failed = failed + ?, failed_by_reason = ?, not_modified = not_modified + ?, gone = gone + ?, "
        "comments_new = comments_new + ? WHERE id = ?",
        (
            result.pages_new + result.pages_seen + result.not_modified,
            result.articles_new,
            result.articles_changed,
            result.articles_unchanged,
            result.failures,
            to_json(dict(by_reason)),
            result.not_modified,
            result.gone,
            result.comments_new,
            run_id,
        ),
    )


def _unique_pages(pages: Sequence[PageRecord], articles: Sequence[ArticleRecord]) -> list[PageRecord]:
    """All pages of the batch, each fetch once even when given both alone and with its article."""
    out: dict[tuple[str, str, str], PageRecord] = {}
    for p in [*pages, *(a.page for a in articles if a.page)]:
        out.setdefault((p.url, p.sha256, fetch_time(p.fetched_at)), p)
    return list(out.values())


# --- opening ----------------------------------------------------------------------------------


def _check_file(path: Path, *, create: bool, readonly: bool) -> None:
    """Refuses what SQLite must never be handed: a FIFO (opening it blocks), a device (SQLite
    writes a journal beside it), a directory; and, when nothing is to be created (read commands),
    an empty file, which SQLite would otherwise take for a new database and we would set up."""
    if path.is_dir():
        raise ArchiveError(f"{path} is a directory, not an archive file")
    try:
        found: os.stat_result | None = path.stat()  # follows a symlink: a link to an archive is fine
    except FileNotFoundError:
        found = None
    except OSError as exc:
        raise ArchiveError(f"cannot open {path}: {exc.strerror}") from None
    if found is not None and not stat.S_ISREG(found.st_mode):
        raise ArchiveError(f"{path} is not a regular file (a FIFO, socket or device), not an archive")
    if found is not None and not create and found.st_size == 0:
        raise NotAnArchiveError(f"{path} is empty, not a newsarchive archive")
    if found is None:
        if readonly or not create:
            raise ArchiveError(f"no archive at {path}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ArchiveError(f"cannot create folder {path.parent}: {exc.strerror}") from None
        return
    # The header is NOT read here with a plain open(): closing any descriptor of the file drops every
    # POSIX lock this process holds on it, including the SHARED lock a live connection (the crawl's
    # writer) keeps in WAL mode; another process closing the archive then believes it is the last
    # one, checkpoints and deletes the WAL under the writer (readers saw "database disk image is
    # malformed"; tests/test_concurrent_reads.py). SQLite itself says when a file is not a database.


def _connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    target, uri = (path.resolve().as_uri() + "?mode=ro", True) if readonly else (str(path), False)
    # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE), never opened behind our back.
    conn = sqlite3.connect(
        target, uri=uri, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if readonly:
        conn.execute("PRAGMA query_only = ON")
    return conn


def _use_wal(conn: sqlite3.Connection) -> None:
    """WAL, once the file is known to be ours: a foreign file must not be switched to WAL."""
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")  # durable enough in WAL mode, much faster


class Archive:
    """An open archive.  Use ``Archive.open(...)``; one thread at a time (writes are serialised)."""

    def __init__(self, conn: sqlite3.Connection, path: Path, *, readonly: bool) -> None:
        self.conn = conn
        self.path = path
        self.readonly = readonly
        self.db = sqlite_utils.Database(conn, execute_plugins=False)
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, readonly: bool = False) -> Archive:
        """Opens (by default creating, with its folder) and migrates the archive at `path`."""
        path = Path(path)
        _check_file(path, create=create, readonly=readonly)
        conn: sqlite3.Connection | None = None
        try:
            conn = _connect(path, readonly=readonly)
            check_version(conn, str(path), readonly=readonly, create=create)
            if not readonly:
                _use_wal(conn)
        except ArchiveError:
            if conn is not None:
                conn.close()
            raise
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            if getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB" or "not a database" in str(exc):
                raise NotAnArchiveError(f"{path} is not a SQLite database (so not a newsarchive archive)") from None
            raise ArchiveError(f"cannot open {path}: {exc}") from None
        return cls(conn, path, readonly=readonly)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _transaction(self, what: str) -> Iterator[sqlite3.Connection]:
        if self.readonly:
            raise ArchiveError(f"{self.path} is open read-only; cannot {what}")
        with self._lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")  # take the write lock now: no deadlock later
            except sqlite3.Error as exc:
                raise ArchiveError(f"cannot {what} in {self.path}: {exc}") from None
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException as exc:
                if self.conn.in_transaction:  # some errors make SQLite roll back by itself
                    self.conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise ArchiveError(f"cannot {what} in {self.path}: {exc}") from exc
                raise

    def write_batch(
        self,
        pages: Sequence[PageRecord] = (),
        articles: Sequence[ArticleRecord] = (),
        failures: Sequence[FailureRecord] = (),
        run_id: int | None = None,
        revisits: Sequence[RevisitRecord] = (),
        media: Sequence[MediaRecord] = (),
        media_dir: Path | None = None,
        progress: Sequence[CdxProgress] = (),
    ) -> BatchResult:
        """Writes fetched pages, parsed articles, failed URLs and re-visit outcomes in ONE transaction.

        Articles are matched by ``Article.key``: new ones are inserted, a different content hash
        keeps the old state as a version and updates the row (and its FTS entry and captions), the
        same hash only moves ``last_seen``. Comments are upserted by (article, comment_id), edited
        ones keeping their old text; failures come before articles, so an article archived in the
        same batch settles its URL's failure. Images (`media`) are stored once per SHA-256, in the
        archive or, with `media_dir`, as files there (written before the transaction commits);
        the articles' ``media`` links point at them.
        """
        result = BatchResult()
        with self._transaction("write a batch") as conn:
            if (
                run_id is not None
                and not conn.execute("SELECT 1 FROM crawl_runs WHERE id = ?", (run_id,)).fetchone()
            ):
                raise ArchiveError(f"unknown crawl run id {run_id}")
            _write_pages(conn, _unique_pages(pages, articles), run_id, result)
            if media:
                result.media_new, result.media_bytes = write_media(
                    conn, media, [fetch_time(m.fetched_at) for m in media], self.path, media_dir
                )
            _write_failures(conn, failures, run_id, result)
            for round_ in _rounds(articles):
                _write_round(conn, round_, result, run_id)
            _write_revisits(conn, revisits, result)
            write_progress(conn, tuple(progress))  # after the captures it vouches for, in their transaction
            if run_id is not None:
                _count_run(conn, run_id, result, failures)
            search_index.flush(conn)  # the language-aware index follows in the same transaction
        with self._lock:
            search_topk.sync_after_write(self.conn)  # the top-k index follows once it is committed
        return result

    def add_dead_letters(self, run_id: int | None, letters: Sequence[DeadLetter]) -> None:
        """Sets items aside with their reasons; one already set aside (the same bytes) is not added twice."""
        if not letters:
            return
        now = fetch_time(datetime.now(UTC))
        rows = [(hashlib.sha1(d.data).hexdigest(), run_id, now, d.reason, d.detail, len(d.data),
                 d.data[:DEAD_LETTER_KEEP]) for d in letters]
        with self._transaction("set items aside") as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO dead_letters (sha1, run_id, received, reason, detail, size, item) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def start_run(self, site: str, args: Mapping[str, Any]) -> int:
        """Records the start of a crawl and returns its id (to pass to write_batch/finish_run)."""
        with self._transaction("start a run") as conn:
            cur = conn.execute(
                "INSERT INTO crawl_runs (site, started, args) VALUES (?, ?, ?)",
                (
                    site,
                    fetch_time(datetime.now(UTC)),
                    json.dumps(dict(args), default=str, ensure_ascii=False),
                ),
            )
            assert cur.lastrowid is not None
            return cur.lastrowid

    def finish_run(self, run_id: int, status: str, counts: Mapping[str, Any]) -> None:
        """Closes a run.  `counts` may set pages, articles_new/changed/unchanged, failed and
        failed_by_reason (and the other RUN_COUNT_FIELDS); what it sets replaces what write_batch
        counted, the rest stays.  It may also set the RUN_HEALTH_FIELDS (yield and verdict)."""
        unknown = set(counts) - {*RUN_COUNT_FIELDS, *RUN_HEALTH_FIELDS, "failed_by_reason"}
        if unknown:
            raise ArchiveError(f"finish_run: unknown count(s) {', '.join(sorted(unknown))}")
        sets = ["finished = ?", "status = ?"]
        params: list[Any] = [fetch_time(datetime.now(UTC)), status]
        for name in RUN_COUNT_FIELDS:
            if name in counts:
                sets.append(f"{name} = ?")  # name is from our own constant list
                params.append(int(counts[name]))
        if "failed_by_reason" in counts:
            sets.append("failed_by_reason = ?")
            params.append(to_json(dict(counts["failed_by_reason"])))
        for name in RUN_HEALTH_FIELDS:
            if name in counts:
                sets.append(f"{name} = ?")  # name is from our own constant list
                params.append(counts[name])
        with self._transaction("finish a run") as conn:
            cur = conn.execute(f"UPDATE crawl_runs SET {', '.join(sets)} WHERE id = ?", (*params, run_id))
            if cur.rowcount == 0:
                raise ArchiveError(f"unknown crawl run id {run_id}")

    def interrupt_running_runs(self, site: str, status: str = "interrupted") -> list[int]:
        """Closes the runs of `site` still marked running: call it only while holding the site's
        job lock (scrapers/lock.py), when no other run of the site can be alive.  Returns their ids."""
        with self._transaction("close interrupted runs") as conn:
            ids = [
                int(r[0])
                for r in conn.execute("SELECT id FROM crawl_runs WHERE site = ? AND status = 'running'", (site,))
            ]
            conn.executemany(
                "UPDATE crawl_runs SET status = ?, outcome = ?, finished = coalesce(finished, ?) WHERE id = ?",
                ((status, status, fetch_time(datetime.now(UTC)), run_id) for run_id in ids),
            )
        return ids

    def known_article_urls(self, site: str | None = None, *, complete_only: bool = False) -> set[str]:
        """URLs and canonical URLs of archived articles (of `site`), for the spider to skip.

        complete_only=True leaves out partial articles, so that they get fetched again.
        """
        sql = "SELECT url, canonical_url FROM articles WHERE (? IS NULL OR site = ?)"
        if complete_only:
            sql += " AND NOT is_partial"
        urls: set[str] = set()
        for url, canonical in self.conn.execute(sql, (site, site)):
            urls.add(url)
            if canonical:
                urls.add(canonical)
        return urls

    def page_body(self, content_hash: str) -> bytes:
        """The raw bytes of a fetched page, as they came from the server (for reparsing);
        BodyDamagedError when what is stored does not give them back (bounded: see compression)."""
        body = read_body(self.conn, content_hash)
        if body is None:
            raise ArchiveError(f"no page body with hash {content_hash}")
        if sha256_hex(body) != content_hash:
            raise BodyDamagedError(f"page body {content_hash} is damaged (its hash does not match)")
        return body

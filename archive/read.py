"""Read-side queries: one article with everything attached, archive statistics, health checks."""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
from pathlib import Path
from typing import Any, TypeVar

from archive.errors import BodyDamagedError
from archive.media import attach_photos, media_counts
from archive.search import DEFAULT_MIN_CONFIDENCE
from archive.search import index as search_index
from archive.store import Archive

_JSON_COLUMNS = ("authors", "tags")
# What a terminal would act on: C0 controls but newline and tab, DEL, and C1 (CSI, OSC as one
# character). Parsers drop them since issue 18, but archives written before still hold them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f]")  # json.dumps escapes C0 itself, not these
T = TypeVar("T")


def _replacement(match: re.Match[str]) -> str:
    return " " if match.group() == "\r" else "\ufffd"


def printable(value: T) -> T:
    """`value` (a string, or lists, dicts and dataclasses of them) safe to print on a terminal: each
    control character replaced by one character ("\ufffd"; a space for \r), so highlight ranges
    computed on the stored text still fit."""
    if isinstance(value, str):
        return _CONTROL.sub(_replacement, value)  # type: ignore[return-value]
    if isinstance(value, list):
        return [printable(v) for v in value]  # type: ignore[return-value]
    if isinstance(value, dict):
        return {printable(k): printable(v) for k, v in value.items()}  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: printable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value


def printable_json(data: Any) -> str:
    """`data` as indented JSON with every control character escaped (C1 too), for a terminal."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _rows(archive: Archive, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    cur = archive.conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _find_article_id(archive: Archive, url_or_id: str | int) -> int | None:
    text = str(url_or_id).strip()
    if text.isdigit():
        row = archive.conn.execute("SELECT id FROM articles WHERE id = ?", (int(text),)).fetchone()
        if row:
            return int(row[0])
    # Key first (unique), then the URL fetched, then the canonical URL; oldest article wins a tie.
    for column in ("key", "url", "canonical_url"):
        row = archive.conn.execute(
            f"SELECT id FROM articles WHERE {column} = ? ORDER BY id LIMIT 1", (text,)
        ).fetchone()
        if row:
            return int(row[0])
    return None


def find_article_id(archive: Archive, url_or_id: str | int) -> int | None:
    """The id of the article with this numeric id, key, URL or canonical URL (None: no such article)."""
    return _find_article_id(archive, url_or_id)


def comment_threads(comments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Nests comments under their parents (`replies`), keeping their order; a comment whose
    parent is not archived becomes a top-level one rather than disappearing."""
    by_id = {c["comment_id"]: {**c, "replies": []} for c in comments}
    roots: list[dict[str, Any]] = []
    for c in by_id.values():
        parent = by_id.get(c["parent_id"]) if c["parent_id"] is not None else None
        if parent is None or parent is c or _is_ancestor(by_id, c, parent):
            roots.append(c)
        else:
            parent["replies"].append(c)
    return roots


def _is_ancestor(by_id: dict[str, dict[str, Any]], node: dict[str, Any], start: dict[str, Any]) -> bool:
    """True when `node` is above `start` in the parent chain (a cycle in scraped parent ids)."""
    seen: set[str] = set()
    current: dict[str, Any] | None = start
    while current is not None and current["comment_id"] not in seen:
        if current is node:
            return True
        seen.add(current["comment_id"])
        parent_id = current["parent_id"]
        current = by_id.get(parent_id) if parent_id is not None else None
    return False


def get_article(archive: Archive, url_or_id: str | int) -> dict[str, Any] | None:
    """An article by numeric id, key, URL or canonical URL, with its captions and its comments
    nested as threads; None when there is no such article."""
    article_id = _find_article_id(archive, url_or_id)
    if article_id is None:
        return None
    article = _rows(archive, "SELECT * FROM articles WHERE id = ?", (article_id,))[0]
    for column in _JSON_COLUMNS:
        article[column] = json.loads(article[column])
    article["is_partial"] = bool(article["is_partial"])
    article["captions"] = _rows(
        archive,
        "SELECT position, image_url, text, credit, credit_url FROM captions "
        "WHERE article_id = ? ORDER BY position",
        (article_id,),
    )
    attach_photos(archive.conn, article)
    comments = _rows(
        archive,
        "SELECT comment_id, parent_id, author, published, published_raw, text, first_seen FROM comments "
        "WHERE article_id = ? ORDER BY id",  # insertion order is the page order
        (article_id,),
    )
    article["comments"] = comment_threads(comments)
    return article


def _counts(archive: Archive, sql: str, params: tuple[Any, ...] = ()) -> dict[str, int]:
    return {str(k) if k is not None else "(none)": int(n) for k, n in archive.conn.execute(sql, params)}


def stats(archive: Archive, min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> dict[str, Any]:
    """Counts for a quick look at what the archive holds and how the crawls went. Articles less sure
    than ``min_confidence`` to be articles are counted apart (``articles_below``), not in the rest."""
    one = archive.conn.execute
    pages = one("SELECT count(*), coalesce(sum(fetch_count), 0), count(DISTINCT url) FROM pages").fetchone()
    # The per-site compression dictionaries count as stored bytes: the bodies cannot be read without them.
    bodies = one(
        "SELECT count(*), coalesce(sum(size), 0), "
        "coalesce(sum(length(body)), 0) + (SELECT coalesce(sum(length(dict)), 0) FROM compression_dicts) "
        "FROM page_bodies"
    ).fetchone()
    sure = (min_confidence,)
    by = "SELECT {c}, count(*) FROM articles WHERE confidence >= ? GROUP BY 1 ORDER BY 2 DESC, 1"
    return {
        "articles": one("SELECT count(*) FROM articles WHERE confidence >= ?", sure).fetchone()[0],
        "articles_partial": one("SELECT count(*) FROM articles WHERE is_partial AND confidence >= ?",
                                sure).fetchone()[0],
        "min_confidence": min_confidence,
        "min_confidence_default": DEFAULT_MIN_CONFIDENCE,
        "articles_below": _counts(
            archive, "SELECT page_type, count(*) FROM articles WHERE confidence < ? GROUP BY 1 ORDER BY 2 DESC, 1",
            sure,
        ),
        "by_site": _counts(archive, by.format(c="site"), sure),
        "by_language": _counts(archive, by.format(c="language"), sure),
        "by_section": _counts(archive, by.format(c="section"), sure),
        "by_month": _counts(
            archive, "SELECT substr(published, 1, 7), count(*) FROM articles WHERE confidence >= ? GROUP BY 1 "
            "ORDER BY 1", sure,
        ),
        "comments": one("SELECT count(*) FROM comments").fetchone()[0],
        "captions": one("SELECT count(*) FROM captions").fetchone()[0],
        "media": media_counts(archive.conn),
        "pages": {"versions": pages[0], "fetches": pages[1], "urls": pages[2]},
        "page_bodies": {"count": bodies[0], "raw_bytes": bodies[1], "stored_bytes": bodies[2]},
        "failures": {
            "total": one("SELECT count(*) FROM failures").fetchone()[0],
            "by_reason": _counts(
                archive, "SELECT reason, count(*) FROM failures GROUP BY 1 ORDER BY 2 DESC, 1"
            ),
        },
        "dead_letters": _counts(archive, "SELECT reason, count(*) FROM dead_letters GROUP BY 1 ORDER BY 2 DESC, 1"),
        "runs": _runs(archive),
    }


def _runs(archive: Archive, last: int = 10) -> list[dict[str, Any]]:
    runs = _rows(archive, "SELECT * FROM crawl_runs ORDER BY id DESC LIMIT ?", (last,))
    for run in runs:
        run["args"] = json.loads(run["args"])
        run["failed_by_reason"] = json.loads(run["failed_by_reason"])
    return runs


def _fts_problem(archive: Archive, table: str) -> str | None:
    # rank = 1 compares the index with the content table itself, not only its own structure.
    try:
        archive.conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")
    except sqlite3.OperationalError as exc:  # e.g. read-only: FTS5 runs its check as an INSERT
        return f"{table}: could not run the full-text integrity-check ({exc})"
    except sqlite3.DatabaseError as exc:
        return f"{table}: full-text index does not match its table ({exc}); rebuild it"
    return None


# (description, SQL returning a count of offending rows)
_ROW_CHECKS: tuple[tuple[str, str], ...] = (
    (
        "comments whose article is missing",
        "SELECT count(*) FROM comments WHERE article_id NOT IN (SELECT id FROM articles)",
    ),
    (
        "captions whose article is missing",
        "SELECT count(*) FROM captions WHERE article_id NOT IN (SELECT id FROM articles)",
    ),
    (
        "duplicate article keys",
        "SELECT count(*) FROM (SELECT key FROM articles GROUP BY key HAVING count(*) > 1)",
    ),
    (
        "articles whose page body is missing",
        "SELECT count(*) FROM articles WHERE page_hash IS NOT NULL "
        "AND page_hash NOT IN (SELECT hash FROM page_bodies)",
    ),
    (
        "pages whose body is missing",
        "SELECT count(*) FROM pages WHERE content_hash IS NOT NULL "
        "AND content_hash NOT IN (SELECT hash FROM page_bodies)",
    ),
    (
        "page bodies whose compression dictionary is missing",
        "SELECT count(*) FROM page_bodies WHERE compression = 'zlib-dict' "
        "AND (dict_id IS NULL OR dict_id NOT IN (SELECT id FROM compression_dicts))",
    ),
    (
        "photo links whose article is missing",
        "SELECT count(*) FROM media_links WHERE article_id NOT IN (SELECT id FROM articles)",
    ),
    (
        "photo links whose image is missing",
        "SELECT count(*) FROM media_links WHERE sha256 NOT IN (SELECT sha256 FROM media)",
    ),
    (
        "comment counts that disagree with the comments stored",
        "SELECT count(*) FROM articles WHERE comment_count != "
        "(SELECT count(*) FROM comments WHERE comments.article_id = articles.id)",
    ),
)


def check(archive: Archive) -> list[str]:
    """Problems found in the archive (an empty list when it is healthy)."""
    problems = [
        f"integrity_check: {row[0]}"
        for row in archive.conn.execute("PRAGMA integrity_check")
        if row[0] != "ok"
    ]
    fts_tables = ("articles_fts", "comments_fts", search_index.ARTICLES_FTS, search_index.COMMENTS_FTS)
    problems += [p for p in (_fts_problem(archive, t) for t in fts_tables) if p]
    for description, sql in _ROW_CHECKS:
        count = int(archive.conn.execute(sql).fetchone()[0])
        if count:
            problems.append(f"{count} {description}")
    for table in ("articles", "comments"):
        rows = archive.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        indexed = archive.conn.execute(f"SELECT count(*) FROM {table}_fts_docsize").fetchone()[0]
        if rows != indexed:
            problems.append(f"{table}_fts indexes {indexed} rows but {table} has {rows}")
    # The language-aware index (archive/search/index.py): one row per article and comment, same ids,
    # and nothing left waiting in its queue (every write flushes it in the same transaction).
    for table, fts in (("articles", search_index.ARTICLES_FTS), ("comments", search_index.COMMENTS_FTS)):
        missing, extra = archive.conn.execute(
            f"SELECT (SELECT count(*) FROM {table} WHERE id NOT IN (SELECT rowid FROM {fts})), "
            f"(SELECT count(*) FROM {fts} WHERE rowid NOT IN (SELECT id FROM {table}))"
        ).fetchone()
        if missing or extra:
            problems.append(f"{fts}: {missing} {table} not indexed, {extra} index rows without their row")
    missing_files = [
        str(path) for (path,) in archive.conn.execute("SELECT path FROM media WHERE path IS NOT NULL")
        if not (Path(path) if Path(path).is_absolute() else archive.path.parent / path).is_file()
    ]
    if missing_files:
        problems.append(f"{len(missing_files)} photo files missing from the media folder, e.g. {missing_files[0]}")
    waiting = search_index.pending(archive.conn)
    if waiting:
        problems.append(f"{search_index.PENDING}: {waiting} rows wait to be indexed")
    damaged = damaged_bodies(archive)
    if damaged:
        first, reason = damaged[0]
        problems.append(f"{len(damaged)} stored page bodies are damaged (first: {first}: {reason})")
    return problems


def damaged_bodies(archive: Archive) -> list[tuple[str, str]]:
    """(hash, why) of every stored page body that does not give back the bytes it was stored as;
    each is decompressed (bounded) and hashed, one at a time."""
    found = []
    for (content_hash,) in archive.conn.execute("SELECT hash FROM page_bodies ORDER BY rowid").fetchall():
        try:
            archive.page_body(str(content_hash))
        except BodyDamagedError as exc:
            found.append((str(content_hash), str(exc)))
    return found

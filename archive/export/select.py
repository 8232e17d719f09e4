"""What an export takes: the articles a search's filters (and query) select, and their raw pages.

The filtering is the search module's own (``archive.search.selection``): an export with
``--lang en --since 2024 --query Aliyev`` takes exactly the articles ``newsarchive search`` would
find, all of them, in id order.  Pages are read with their stored bodies in one streaming query
(a cursor, never a list), each body decoded by archive/compression.py and checked against its hash.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from archive.compression import decompress_body
from archive.errors import ArchiveError
from archive.search import Filters, register_functions, selection
from archive.store import Archive, sha256_hex


@dataclass(frozen=True)
class Selection:
    """Which articles to export: those `query` matches (None: all) that `filters` let through."""

    query: str | None = None
    filters: Filters = field(default_factory=Filters)

    @property
    def everything(self) -> bool:
        return not (self.query or "").strip() and self.filters == Filters()

    def article_ids(self, conn: sqlite3.Connection) -> tuple[str, dict[str, Any]]:
        """(SQL, parameters) giving the ids of the selected articles, oldest first."""
        register_functions(conn)  # the query's SQL calls newsarchive_match
        return selection(self.query, self.filters)


def connection(source: Archive | sqlite3.Connection) -> sqlite3.Connection:
    return source.conn if isinstance(source, Archive) else source


@contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction for a whole export (unless the caller holds one already): a crawl
    writing meanwhile does not change what is exported halfway through."""
    mine = not conn.in_transaction
    if mine:
        conn.execute("BEGIN")
    try:
        yield
    finally:
        if mine and conn.in_transaction:
            conn.execute("COMMIT")


@dataclass
class StoredPage:
    """One row of `pages` with its raw body (None when the body is missing or damaged: `problem`)."""

    url: str
    final_url: str | None
    status: int
    headers: dict[str, str]
    content_type: str | None
    content_hash: str | None
    first_fetched: str
    last_fetched: str
    fetch_count: int
    body: bytes | None
    problem: str | None = None

    @property
    def target(self) -> str:
        """The URL the bytes came from (after redirects)."""
        return self.final_url or self.url


_PAGE_COLUMNS = (
    "p.url, p.final_url, p.status, p.headers, p.content_type, p.content_hash, p.first_fetched, "
    "p.last_fetched, p.fetch_count, b.compression, b.body, b.dict_id, b.size"
)
_ALL_PAGES = (
    f"SELECT {_PAGE_COLUMNS} FROM pages AS p LEFT JOIN page_bodies AS b ON b.hash = p.content_hash ORDER BY p.id"
)
# The pages of the selected articles: every fetch of their URLs, and the pages their current and
# earlier versions were parsed from (found by body hash, whatever URL brought them).
_SELECTED_PAGES = """WITH chosen AS ({ids}),
hashes AS (
  SELECT page_hash AS h FROM articles WHERE id IN (SELECT id FROM chosen) AND page_hash IS NOT NULL
  UNION SELECT page_hash FROM article_versions WHERE article_id IN (SELECT id FROM chosen) AND page_hash IS NOT NULL
),
urls AS (
  SELECT url AS u FROM articles WHERE id IN (SELECT id FROM chosen)
  UNION SELECT url FROM article_versions WHERE article_id IN (SELECT id FROM chosen)
)
SELECT {columns} FROM pages AS p LEFT JOIN page_bodies AS b ON b.hash = p.content_hash
WHERE p.content_hash IN (SELECT h FROM hashes) OR p.url IN (SELECT u FROM urls)
ORDER BY p.id"""


def pages_query(conn: sqlite3.Connection, chosen: Selection) -> tuple[str, dict[str, Any]]:
    if chosen.everything:
        return _ALL_PAGES, {}
    ids, params = chosen.article_ids(conn)
    return _SELECTED_PAGES.format(ids=ids, columns=_PAGE_COLUMNS), params


class _Dictionaries:
    """The per-site compression dictionaries, read once each (a handful per archive, 32 KB each)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.known: dict[int, bytes | None] = {}

    def get(self, dict_id: int | None) -> bytes | None:
        if dict_id is None:
            return None
        if dict_id not in self.known:
            row = self.conn.execute("SELECT dict FROM compression_dicts WHERE id = ?", (dict_id,)).fetchone()
            self.known[dict_id] = None if row is None else bytes(row[0])
        return self.known[dict_id]


def _body(row: sqlite3.Row | tuple[Any, ...], dicts: _Dictionaries) -> tuple[bytes | None, str | None]:
    content_hash, compression, blob, dict_id, size = row[5], row[9], row[10], row[11], row[12]
    if content_hash is None or blob is None:
        return None, "no stored body"
    try:  # bounded by the recorded size: an archive file may come from someone else
        body = decompress_body(str(compression), bytes(blob), dicts.get(dict_id), size=int(size))
    except ArchiveError as exc:
        return None, str(exc)
    if sha256_hex(body) != content_hash:
        return None, "stored body is damaged (its hash does not match)"
    return body, None


def _headers(text: str | None) -> dict[str, str]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def iter_pages(conn: sqlite3.Connection, chosen: Selection) -> Iterator[StoredPage]:
    """The selected pages in the order they were first stored, each with its decoded body."""
    sql, params = pages_query(conn, chosen)
    dicts = _Dictionaries(conn)
    for row in conn.execute(sql, params):
        body, problem = _body(row, dicts)
        yield StoredPage(
            url=str(row[0]), final_url=row[1], status=int(row[2]), headers=_headers(row[3]), content_type=row[4],
            content_hash=row[5], first_fetched=str(row[6]), last_fetched=str(row[7]), fetch_count=int(row[8]),
            body=body, problem=problem,
        )

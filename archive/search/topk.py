"""A second index, for top-k retrieval: tantivy (block-max WAND) over the same keys, beside the archive.

FTS5 ranks a query by scoring EVERY match with bm25 before ``ORDER BY rank LIMIT 10``: 1.4-1.6 µs
a match, 120 ms for the 79,000 matches of a broad query at 1M articles.  This index only picks
CANDIDATES: tantivy's top `candidates` documents for the same query over the same keys (one field
a row, each column written as many times as its bm25 weight, so that tantivy's BM25 approaches
FTS5's; still not the same: tantivy's idf formula, its lengths rounded to a byte, and a title ten
times longer in the row's length).  The candidates are then scored with FTS5's own bm25 (`bm25.py`,
the global statistics of the FTS5 index: the same doubles FTS5 computes), so their order is exact;
the answer is exact unless one of the exact top results is not among the candidates, and it says
so (``SearchInfo.exact`` False, ``ranked_among``, ``matches``).

SQLite stays the one source of truth.  The index lives in the folder ``ARCHIVE.db.topk/`` and is
used only when it is in step:

- ``search_topk`` (one row, schema v9) holds the token of the index built for this archive; the
  folder's ``state.json`` holds the same token (an index copied beside another archive, or left
  from an older build, does not match);
- `flush` (the archive's write transaction) queues every re-indexed article in
  ``search_topk_pending`` while there is a token; `sync`, after the commit, applies the queue to
  the index and empties what it applied.  A queue that is not empty means "stale": searches use
  exact FTS5 until a `sync` (the next write, or ``newsarchive search-index sync``) catches up.
- One process at a time writes the index (tantivy's lock); a writer that finds it locked leaves
  the queue to the next `sync`.
"""

from __future__ import annotations

import json
import logging
import math
import secrets
import shutil
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy

from archive.search.facet_fields import SQL_COLUMNS as FACET_COLUMNS
from archive.search.facet_fields import add_fields, add_values
from archive.search.index import ARTICLE_COLUMNS, ARTICLES_FTS, DEFAULT_MIN_CONFIDENCE, TOPK_QUEUE, TOPK_TOKEN
from archive.search.query import Node, Not, Or, Term, term_sequences

log = logging.getLogger(__name__)

SUFFIX = ".topk"
STATE_FILE = "state.json"
FORMAT = 3  # 1: a field per column; 2: one row field; 3: with the facet fields (facet_fields.py)
TOKEN_TABLE, QUEUE = TOPK_TOKEN, TOPK_QUEUE
WRITER_HEAP = 50_000_000
BUILD_CHUNK = 5_000
ROW = "row"
# Times each column is written into ROW: its bm25 weight, rounded up to a whole time (captions
# 0.5 and comments 0.25 count once: they must still match).
REPEAT = {column: max(1, round(weight)) for column, weight in ARTICLE_COLUMNS}


@dataclass(frozen=True)
class TopK:
    """How searches use the index (SEARCH_TOPK_* settings, scrapers/settings.py)."""

    enabled: bool = True
    candidates: int = 300  # re-scored exactly; the answer is approximate only beyond them
    threshold: int = 2_000  # queries with fewer matches are ranked by FTS5 alone (exact)


def index_dir(db_path: str | Path) -> Path:
    """Where the index of the archive at `db_path` lives: ``ARCHIVE.db.topk/`` beside it."""
    return Path(str(db_path) + SUFFIX)


def db_path(conn: sqlite3.Connection) -> Path | None:
    """The main database file of `conn` (None for an in-memory one)."""
    for _, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return Path(file) if file else None
    return None


# --- the tantivy schema -------------------------------------------------------------------------


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=False, indexed=True, fast=True)
    # The keys are already what FTS5 holds (lower case, space separated): split on white space.
    # Frequencies without positions: phrases and prefixes go to FTS5 (see `to_query`).
    builder.add_text_field(ROW, stored=False, tokenizer_name="whitespace", index_option="freq")
    add_fields(builder)
    return builder.build()


def _document(article_id: int, keys: Sequence[str], facets: Sequence[object] = ()) -> tantivy.Document:
    """One field for the whole row, each column repeated by its weight: a term's frequency is then
    FTS5's weighted frequency (sum of weight x occurrences) and tantivy's BM25 (k1 1.2, b 0.75, as
    FTS5's) saturates it as FTS5 does.  Per-column fields scored apart ranked too differently: at
    1M articles only 4 of FTS5's top 10 were among their 300 best for mid and common queries."""
    doc = tantivy.Document()
    doc.add_integer("id", article_id)
    doc.add_text(ROW, "\n".join(
        "\n".join([text] * REPEAT[column]) for (column, _), text in zip(ARTICLE_COLUMNS, keys, strict=True) if text
    ))
    if facets:
        add_values(doc, facets)
    return doc


# The articles a default search shows (sure enough to be articles): the index holds them alone.
_KEYS_SQL = (
    f"SELECT f.rowid, {', '.join('f.' + c for c, _ in ARTICLE_COLUMNS)}, {', '.join(FACET_COLUMNS)} "
    f"FROM {ARTICLES_FTS} AS f "
    f"JOIN articles AS a ON a.id = f.rowid WHERE a.confidence >= {DEFAULT_MIN_CONFIDENCE!r}"
)


def _split(row: Sequence[Any]) -> tuple[int, Sequence[str], Sequence[object]]:
    """A row of _KEYS_SQL: the id, the columns' keys, the facet values."""
    n = len(ARTICLE_COLUMNS)
    return int(row[0]), row[1:1 + n], row[1 + n:]


# --- state --------------------------------------------------------------------------------------


def _token(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute(f"SELECT token FROM {TOKEN_TABLE} WHERE id = 1").fetchone()
    except sqlite3.OperationalError:  # an archive older than schema v9, opened read-only
        return None
    return str(row[0]) if row else None


def _dir_token(path: Path) -> str | None:
    try:
        state = json.loads((path / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        return None
    token = state.get("token")
    return token if isinstance(token, str) else None


def queued(conn: sqlite3.Connection) -> int:
    try:
        return int(conn.execute(f"SELECT count(*) FROM {QUEUE}").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


@dataclass(frozen=True)
class Status:
    path: Path
    built: bool  # an index for this archive exists
    queued: int  # articles written since, not yet in it
    documents: int

    @property
    def fresh(self) -> bool:
        return self.built and self.queued == 0


def status(conn: sqlite3.Connection) -> Status:
    path = index_dir(db_path(conn) or "")
    token = _token(conn)
    built = token is not None and _dir_token(path) == token
    try:
        docs = _open(path).searcher().num_docs if built else 0
    except (OSError, ValueError):  # the folder is damaged: not an index
        built, docs = False, 0
    return Status(path, built, queued(conn), docs)


# --- opening (cached per process: opening reads the segments' metadata) --------------------------

_OPEN: dict[Path, tantivy.Index] = {}
_OPEN_LOCK = threading.Lock()


def _open(path: Path) -> tantivy.Index:
    with _OPEN_LOCK:
        index = _OPEN.get(path)
        if index is None:
            index = tantivy.Index.open(str(path))  # never creates one: a missing index is an error
            _OPEN[path] = index
        return index


def _forget(path: Path) -> None:
    with _OPEN_LOCK:
        _OPEN.pop(path, None)


def fresh_index(conn: sqlite3.Connection) -> tantivy.Index | None:
    """The archive's index when it is in step with the archive as `conn` sees it, else None."""
    path = db_path(conn)
    if path is None:
        return None
    token = _token(conn)
    if token is None or queued(conn) or _dir_token(index_dir(path)) != token:
        return None
    try:
        index = _open(index_dir(path))
        index.reload()  # the latest commit (a writer commits the index before it empties the queue)
    except (OSError, ValueError) as exc:  # a damaged folder: searches are exact, and say nothing wrong
        log.warning("search index %s unreadable (searches are exact): %s", index_dir(path), exc)
        return None
    return index


# --- building and keeping in step ----------------------------------------------------------------


def _rows(conn: sqlite3.Connection, chunk: int) -> Iterator[list[tuple[Any, ...]]]:
    last = 0
    while True:
        rows = conn.execute(f"{_KEYS_SQL} AND f.rowid > ? ORDER BY f.rowid LIMIT ?", (last, chunk)).fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def rebuild(conn: sqlite3.Connection, threads: int = 1) -> int:
    """(Re)builds the archive's index from SQLite; returns how many articles it holds.

    `conn`: the archive's connection, outside a transaction.  A new token is set first (from then on
    writers queue what they change), the index is built in a new folder from one read snapshot,
    put in place of the old one, and the queue is then applied (`sync`).
    """
    path = db_path(conn)
    if path is None:
        raise ValueError("an in-memory archive has no index folder")
    target, token = index_dir(path), secrets.token_hex(16)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(f"INSERT OR REPLACE INTO {TOKEN_TABLE} (id, token) VALUES (1, ?)", (token,))
    conn.execute(f"DELETE FROM {QUEUE}")
    conn.execute("COMMIT")
    building = target.with_name(target.name + ".new")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    index = tantivy.Index(_schema(), str(building))
    writer = index.writer(heap_size=WRITER_HEAP * max(1, threads), num_threads=threads)
    n = 0
    conn.execute("BEGIN")  # one snapshot: what is written after it is queued, and applied below
    try:
        for rows in _rows(conn, BUILD_CHUNK):
            for row in rows:
                writer.add_document(_document(*_split(row)))
            n += len(rows)
    finally:
        conn.execute("COMMIT")
    writer.commit()
    writer.wait_merging_threads()
    (building / STATE_FILE).write_text(json.dumps({"format": FORMAT, "token": token}), encoding="utf-8")
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    building.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    _forget(target)
    sync(conn)
    return n


def sync(conn: sqlite3.Connection) -> int:
    """Applies the queue to the index (after the writer's commit); returns how many articles.

    Does nothing when no index was built; leaves the queue (the index stale, searches exact) when
    the folder is not this archive's or another process holds the index's lock."""
    path = db_path(conn)
    token = _token(conn) if path is not None else None
    if path is None or token is None or conn.in_transaction:
        return 0
    row = conn.execute(f"SELECT max(seq) FROM {QUEUE}").fetchone()
    if row[0] is None:
        return 0
    target = index_dir(path)
    if _dir_token(target) != token:
        log.warning("search index %s is not this archive's: searches are exact until "
                    "`newsarchive search-index rebuild`", target)
        return 0
    last = int(row[0])
    ids = [int(r[0]) for r in conn.execute(f"SELECT DISTINCT id FROM {QUEUE} WHERE seq <= ?", (last,))]
    try:
        writer = _open(target).writer(heap_size=WRITER_HEAP, num_threads=1)
    except ValueError as exc:  # locked by another writer: it, or the next sync, applies the queue
        log.info("search index %s busy (%s): left for the next sync", target, exc)
        return 0
    for i in ids:
        writer.delete_documents_by_term("id", i)
    for start in range(0, len(ids), BUILD_CHUNK):
        part = json.dumps(ids[start:start + BUILD_CHUNK])
        for r in conn.execute(f"{_KEYS_SQL} AND f.rowid IN (SELECT value FROM json_each(?))", (part,)):
            writer.add_document(_document(*_split(r)))
    writer.commit()
    writer.wait_merging_threads()
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(f"DELETE FROM {QUEUE} WHERE seq <= ?", (last,))
    conn.execute("COMMIT")
    return len(ids)


def sync_after_write(conn: sqlite3.Connection) -> None:
    """`sync` after the archive's write path committed: the write stands whatever happens here; an
    index that cannot follow stays stale (its queue kept), so searches are exact until it does."""
    try:
        sync(conn)
    except (OSError, ValueError, sqlite3.Error) as exc:
        log.warning("search index not updated (searches stay exact until it is): %s", exc)
        if conn.in_transaction:
            conn.execute("ROLLBACK")


# --- queries ---------------------------------------------------------------------------------------


def to_query(tree: Node, schema: tantivy.Schema, boosts: Mapping[str, float] | None = None) -> tantivy.Query | None:
    """The tantivy query matching the same articles as the FTS5 query of `tree` (query.py's
    `_render`); None when it has a prefix, a phrase of several keys (positions are not indexed) or
    a field (title:...): those go to FTS5.  `boosts`: a factor per key (see `candidates`)."""
    if isinstance(tree, Term):
        if tree.prefix or tree.field is not None:
            return None
        seqs = sorted(term_sequences(tree))
        if not seqs or any(len(s) != 1 for s in seqs):
            return None
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, _term(schema, s[0], boosts)) for s in seqs]
        )
    if isinstance(tree, Not):
        return None
    parts: list[tuple[tantivy.Occur, tantivy.Query]] = []
    for item in tree.items:
        negated = isinstance(item, Not)
        query = to_query(item.item if isinstance(item, Not) else item, schema, boosts)
        if query is None:
            return None
        occur = tantivy.Occur.MustNot if negated else tantivy.Occur.Must
        parts.append((tantivy.Occur.Should if isinstance(tree, Or) else occur, query))
    return tantivy.Query.boolean_query(parts)


def _term(schema: tantivy.Schema, key: str, boosts: Mapping[str, float] | None) -> tantivy.Query:
    query = tantivy.Query.term_query(schema, ROW, key)
    boost = None if boosts is None else boosts.get(key)
    return query if boost is None else tantivy.Query.boost_query(query, boost)


def _boosts(searcher: tantivy.Searcher, weights: Mapping[str, float]) -> dict[str, float]:
    """Factors that turn tantivy's idf of each key into FTS5's (`weights`): FTS5's idf is near 0
    for a word in over half the rows, tantivy's never, so unboosted a common word ranked the
    candidates and FTS5's best were not among them (1 of 10 in common on a common-words query)."""
    n_docs = searcher.num_docs
    out = {}
    for key, weight in weights.items():
        n = searcher.doc_freq(ROW, key)
        if n:
            out[key] = weight / math.log(1.0 + (n_docs - n + 0.5) / (n + 0.5))
    return out


@dataclass(frozen=True)
class Candidates:
    ids: list[int]  # tantivy's best, best first
    matches: int  # how many articles match the query (all of them, counted by tantivy)


def candidates(index: tantivy.Index, tree: Node, limit: int, weights: Mapping[str, float] | None = None,
               ) -> Candidates | None:
    """The `limit` best articles for `tree` by tantivy's BM25, and the match count; None when the
    query cannot be put to tantivy.  `weights`: FTS5's idf of the query's keys, which tantivy's
    scores then use in place of its own."""
    searcher = index.searcher()
    query = to_query(tree, index.schema, None if weights is None else _boosts(searcher, weights))
    if query is None:
        return None
    result = searcher.search(query, limit, count=True)
    ids = searcher.fast_field_values("id", [addr for _, addr in result.hits])
    matches = getattr(result, "count", None)  # asked for (count=True): always there
    return Candidates([int(i) for i in ids if i is not None], int(matches or 0))


def count(index: tantivy.Index, tree: Node) -> int | None:
    """How many articles match `tree` (None when the query cannot be put to tantivy)."""
    query = to_query(tree, index.schema)
    if query is None:
        return None
    return int(getattr(index.searcher().search(query, 1, count=True), "count", None) or 0)

"""The normalised full-text index: language-aware keys of every article and comment (schema v3).

Two FTS5 tables hold the keys of archive/search/normalize.py, not the words themselves:

- ``articles_norm_fts`` (rowid = articles.id): title, body, captions, comments (all of the
  article's comments), authors; ranked by bm25 with title > authors > body > captions > comments.
- ``comments_norm_fts`` (rowid = comments.id): text, author.

The keys come from Python (Snowball stemmers, transliteration), which SQLite triggers cannot call
without a function every writer would have to register.  So plain SQL triggers only queue what
changed in ``norm_fts_pending`` (kind, id), whoever wrote it, and ``flush`` (called by the
archive's write path at the end of every batch, inside its transaction, and by the migration that
creates the tables) re-indexes the queued rows.  The FTS tables keep their own copy of the keys
(not contentless), so a row is replaced by rowid and FTS5's integrity-check works; snippets are
still cut from the original text (archive/search/__init__.py).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from archive.search.normalize import normalize_text, normalize_texts

ARTICLES_FTS = "articles_norm_fts"
COMMENTS_FTS = "comments_norm_fts"
PENDING = "norm_fts_pending"
# Keys are already folded and lower case; "ə" (the Azerbaijani vowel marker) must stay as it is.
TOKENIZER = "unicode61 remove_diacritics 0"
ARTICLE_COLUMNS: tuple[tuple[str, float], ...] = (
    ("title", 10.0),
    ("body", 1.0),
    ("captions", 0.5),
    ("comments", 0.25),
    ("authors", 3.0),
)
COMMENT_COLUMNS: tuple[tuple[str, float], ...] = (("text", 1.0), ("author", 2.0))
CHUNK = 500
# The top-k index beside the archive (archive/search/topk.py, schema v9): its token (a row while
# one was built) and the articles re-indexed since it last caught up.
TOPK_TOKEN = "search_topk"
TOPK_QUEUE = "search_topk_pending"
# Readers (search, stats, the web UI) show articles at least this sure to be articles unless told
# otherwise (`--min-confidence 0` shows every one). The confidences: scrapers/parsers/pagetype.py.
# The top-k index holds these articles only, so its counts are the default search's.
DEFAULT_MIN_CONFIDENCE = 0.5
TOPK_STATEMENTS: tuple[str, ...] = (
    f"CREATE TABLE {TOPK_TOKEN} (id INTEGER PRIMARY KEY CHECK (id = 1), token TEXT NOT NULL)",
    f"CREATE TABLE {TOPK_QUEUE} (seq INTEGER PRIMARY KEY AUTOINCREMENT, id INTEGER NOT NULL)",
    # A new confidence moves an article in or out of the index; flush queues the rest.
    f"CREATE TRIGGER articles_topk_confidence AFTER UPDATE OF confidence ON articles "
    f"WHEN old.confidence IS NOT new.confidence AND EXISTS (SELECT 1 FROM {TOPK_TOKEN}) "
    f"BEGIN INSERT INTO {TOPK_QUEUE} (id) VALUES (new.id); END",
)


def _fts(name: str, columns: Sequence[tuple[str, float]]) -> tuple[str, str]:
    cols = ", ".join(c for c, _ in columns)
    weights = ", ".join(f"{w:.2f}" for _, w in columns)
    return (
        f"CREATE VIRTUAL TABLE {name} USING fts5({cols}, tokenize='{TOKENIZER}')",
        f"INSERT INTO {name} ({name}, rank) VALUES ('rank', 'bm25({weights})')",
    )


def _queue(kind: str, ref: str) -> str:
    # NOT EXISTS rather than INSERT OR IGNORE: an outer upsert (comments) overrides the conflict
    # policy of the statements its triggers run, and a duplicate would then abort the write.
    return (
        f"INSERT INTO {PENDING} (kind, id) SELECT '{kind}', {ref} WHERE {ref} IS NOT NULL AND NOT EXISTS "
        f"(SELECT 1 FROM {PENDING} WHERE kind = '{kind}' AND id = {ref});"
    )


STATEMENTS: tuple[str, ...] = (
    *_fts(ARTICLES_FTS, ARTICLE_COLUMNS),
    *_fts(COMMENTS_FTS, COMMENT_COLUMNS),
    f"CREATE TABLE {PENDING} (kind TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID",
    f"CREATE TRIGGER articles_norm_ai AFTER INSERT ON articles BEGIN {_queue('article', 'new.id')} END",
    "CREATE TRIGGER articles_norm_au AFTER UPDATE OF title, body, captions_text, authors, language "
    f"ON articles BEGIN {_queue('article', 'new.id')} "
    f"INSERT INTO {PENDING} (kind, id) SELECT 'comment', id FROM comments "
    "WHERE article_id = new.id AND old.language IS NOT new.language "
    f"AND id NOT IN (SELECT id FROM {PENDING} WHERE kind = 'comment'); END",
    f"CREATE TRIGGER articles_norm_ad AFTER DELETE ON articles BEGIN {_queue('article', 'old.id')} END",
    "CREATE TRIGGER comments_norm_ai AFTER INSERT ON comments BEGIN "
    f"{_queue('comment', 'new.id')} {_queue('article', 'new.article_id')} END",
    "CREATE TRIGGER comments_norm_au AFTER UPDATE OF text, author, article_id ON comments BEGIN "
    f"{_queue('comment', 'new.id')} {_queue('article', 'new.article_id')} {_queue('article', 'old.article_id')} END",
    "CREATE TRIGGER comments_norm_ad AFTER DELETE ON comments BEGIN "
    f"{_queue('comment', 'old.id')} {_queue('article', 'old.article_id')} END",
    # Backfill: everything already archived is queued, then indexed by `flush` (see MIGRATIONS).
    f"INSERT INTO {PENDING} (kind, id) SELECT 'article', id FROM articles",
    f"INSERT INTO {PENDING} (kind, id) SELECT 'comment', id FROM comments",
)


def _authors(value: str | None) -> list[str]:
    try:
        names = json.loads(value or "[]")
    except ValueError:
        return [value or ""]
    return [str(n) for n in names] if isinstance(names, list) else [str(names)]


def _flush_articles(conn: sqlite3.Connection, ids: list[int]) -> None:
    ids_json = json.dumps(ids)
    rows = conn.execute(
        "SELECT id, language, title, body, captions_text, authors FROM articles "
        "WHERE id IN (SELECT value FROM json_each(?))",
        (ids_json,),
    ).fetchall()
    comments: dict[int, list[str]] = {}
    for article_id, text in conn.execute(
        "SELECT article_id, text FROM comments WHERE article_id IN (SELECT value FROM json_each(?)) "
        "ORDER BY article_id, id",
        (ids_json,),
    ):
        comments.setdefault(int(article_id), []).append(str(text or ""))
    conn.executemany(f"DELETE FROM {ARTICLES_FTS} WHERE rowid = ?", ((i,) for i in ids))
    conn.executemany(
        f"INSERT INTO {ARTICLES_FTS} (rowid, title, body, captions, comments, authors) VALUES (?, ?, ?, ?, ?, ?)",
        (
            (article_id, *article_keys(lang, title, body, captions, comments.get(int(article_id), []), authors))
            for article_id, lang, title, body, captions, authors in rows
        ),
    )


def article_keys(
    lang: str | None, title: str | None, body: str | None, captions_text: str | None, comments: Sequence[str],
    authors_json: str | None,
) -> tuple[str, str, str, str, str]:
    """The index's columns of one article (title, body, captions, comments, authors), as keys."""
    return (
        normalize_text(title, lang),
        normalize_text(body, lang),
        normalize_texts(str(captions_text or "").split("\n"), lang),
        normalize_texts(comments, lang),
        normalize_texts(_authors(authors_json), lang),
    )


def _flush_comments(conn: sqlite3.Connection, ids: list[int]) -> None:
    rows = conn.execute(
        "SELECT c.id, a.language, c.text, c.author FROM comments AS c JOIN articles AS a ON a.id = c.article_id "
        "WHERE c.id IN (SELECT value FROM json_each(?))",
        (json.dumps(ids),),
    ).fetchall()
    conn.executemany(f"DELETE FROM {COMMENTS_FTS} WHERE rowid = ?", ((i,) for i in ids))
    conn.executemany(
        f"INSERT INTO {COMMENTS_FTS} (rowid, text, author) VALUES (?, ?, ?)",
        ((cid, normalize_text(text, lang), normalize_text(author, lang)) for cid, lang, text, author in rows),
    )


def flush(conn: sqlite3.Connection) -> int:
    """Re-indexes every queued article and comment; call inside the writer's transaction.

    Returns how many rows were re-indexed.  Rows deleted since they were queued only lose their
    index entries.
    """
    done = 0
    topk = _topk_built(conn)
    for kind, reindex in (("article", _flush_articles), ("comment", _flush_comments)):
        while True:
            ids = [int(r[0]) for r in conn.execute(
                f"SELECT id FROM {PENDING} WHERE kind = ? ORDER BY id LIMIT ?", (kind, CHUNK)
            )]
            if not ids:
                break
            reindex(conn, ids)
            if topk and kind == "article":  # the top-k index follows after the commit (topk.sync)
                conn.executemany(f"INSERT INTO {TOPK_QUEUE} (id) VALUES (?)", ((i,) for i in ids))
            conn.executemany(f"DELETE FROM {PENDING} WHERE kind = ? AND id = ?", ((kind, i) for i in ids))
            done += len(ids)
    return done


def _topk_built(conn: sqlite3.Connection) -> bool:
    """Whether a top-k index was built for this archive (before schema v9: no table, no index)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (TOPK_TOKEN,)).fetchone():
        return False
    return conn.execute(f"SELECT 1 FROM {TOPK_TOKEN}").fetchone() is not None


def pending(conn: sqlite3.Connection) -> int:
    """How many rows wait to be indexed (0 after every write through the archive)."""
    return int(conn.execute(f"SELECT count(*) FROM {PENDING}").fetchone()[0])

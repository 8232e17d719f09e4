"""The archive's tables, indexes, full-text indexes and triggers, and the migrations that build them.

The schema only ever moves forward through ``MIGRATIONS``, applied in order from the first, each
in its own transaction together with the version bump, so a crash leaves the file at a known
version.  ``PRAGMA user_version`` is the version SQLite itself keeps; ``_newsarchive_meta`` says
in a readable table that the file is ours (Datasette shows it), and the two must agree.

Full-text search follows sqlite-utils' conventions so that Datasette and ``sqlite-utils`` find it
as is: an FTS5 table ``<table>_fts`` with ``content="<table>"`` and the triggers ``<table>_ai``,
``<table>_ad``, ``<table>_au``.  One deliberate difference: the update trigger fires only
``AFTER UPDATE OF`` the indexed columns, so bumping ``last_seen`` on an unchanged article does
not re-index its 8 KB body (re-upserts would otherwise run at FTS speed, see PERFORMANCE-NOTES).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from archive.errors import ArchiveError, NotAnArchiveError, SchemaTooNewError
from archive.search import facet_fields
from archive.search import index as search_index

APP = "newsarchive"
META_TABLE = "_newsarchive_meta"
TOKENIZER = "unicode61 remove_diacritics 2"

# FTS columns and their bm25 weights, in index order: a hit in the title outranks one in an
# author name, which outranks the body, which outranks an image caption.
ARTICLE_FTS_COLUMNS: tuple[tuple[str, float], ...] = (
    ("title", 10.0),
    ("body", 1.0),
    ("captions_text", 0.5),
    ("authors", 3.0),
)
COMMENT_FTS_COLUMNS: tuple[tuple[str, float], ...] = (("text", 1.0), ("author", 2.0))


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]
    # Python work after the statements, in the same transaction (e.g. backfilling an index).
    then: Callable[[sqlite3.Connection], object] | None = None


def _quote(identifier: str) -> str:
    """Double-quoted identifier, as sqlite-utils writes them (Datasette's FTS detection relies on it)."""
    return '"' + identifier.replace('"', '""') + '"'


def fts_statements(table: str, columns: Sequence[tuple[str, float]]) -> tuple[str, ...]:
    """The FTS5 table, its sqlite-utils-named triggers and its weighted `rank`, for `table`."""
    fts = _quote(f"{table}_fts")
    names = [name for name, _ in columns]
    cols = ", ".join(_quote(c) for c in names)
    old = ", ".join(f"old.{_quote(c)}" for c in names)
    new = ", ".join(f"new.{_quote(c)}" for c in names)
    weights = ", ".join(f"{w:.1f}" for _, w in columns)
    return (
        f"CREATE VIRTUAL TABLE {fts} USING FTS5 (\n    {cols},\n    tokenize='{TOKENIZER}',\n"
        f"    content={_quote(table)}\n)",
        f"CREATE TRIGGER {_quote(table + '_ai')} AFTER INSERT ON {_quote(table)} BEGIN\n"
        f"  INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new});\nEND",
        f"CREATE TRIGGER {_quote(table + '_ad')} AFTER DELETE ON {_quote(table)} BEGIN\n"
        f"  INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES('delete', old.rowid, {old});\nEND",
        f"CREATE TRIGGER {_quote(table + '_au')} AFTER UPDATE OF {cols} ON {_quote(table)} BEGIN\n"
        f"  INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES('delete', old.rowid, {old});\n"
        f"  INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new});\nEND",
        # Persisted in the FTS config, so `ORDER BY rank` (the fast path) uses these weights.
        f"INSERT INTO {fts} ({fts}, rank) VALUES ('rank', 'bm25({weights})')",
    )


_V1_TABLES = (
    f"""CREATE TABLE {META_TABLE} (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    app TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    created TEXT NOT NULL,
    migrated TEXT
)""",
    """CREATE TABLE crawl_runs (
    id INTEGER PRIMARY KEY,
    site TEXT,
    started TEXT NOT NULL,
    finished TEXT,
    status TEXT NOT NULL DEFAULT 'running',
    args TEXT NOT NULL DEFAULT '{}',
    pages INTEGER NOT NULL DEFAULT 0,
    articles_new INTEGER NOT NULL DEFAULT 0,
    articles_changed INTEGER NOT NULL DEFAULT 0,
    articles_unchanged INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    failed_by_reason TEXT NOT NULL DEFAULT '{}'
)""",
    """CREATE TABLE page_bodies (
    hash TEXT PRIMARY KEY,
    compression TEXT NOT NULL,
    size INTEGER NOT NULL,
    body BLOB NOT NULL
)""",
    """CREATE TABLE pages (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    final_url TEXT,
    status INTEGER NOT NULL,
    headers TEXT NOT NULL DEFAULT '{}',
    content_type TEXT,
    content_hash TEXT REFERENCES page_bodies(hash),
    first_fetched TEXT NOT NULL,
    last_fetched TEXT NOT NULL,
    fetch_count INTEGER NOT NULL DEFAULT 1,
    run_id INTEGER REFERENCES crawl_runs(id),
    UNIQUE (url, content_hash)
)""",
    "CREATE INDEX pages_content_hash ON pages (content_hash)",
    """CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    canonical_url TEXT,
    site TEXT,
    article_id TEXT,
    language TEXT,
    section TEXT,
    title TEXT,
    authors TEXT NOT NULL DEFAULT '[]',
    published TEXT,
    published_raw TEXT,
    modified TEXT,
    modified_raw TEXT,
    body TEXT NOT NULL DEFAULT '',
    captions_text TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    is_partial INTEGER NOT NULL DEFAULT 0,
    extractor_version TEXT,
    content_hash TEXT NOT NULL,
    page_hash TEXT REFERENCES page_bodies(hash),
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    comment_count INTEGER NOT NULL DEFAULT 0
)""",
    "CREATE INDEX articles_site_language_section ON articles (site, language, section)",
    "CREATE INDEX articles_published ON articles (published)",
    "CREATE INDEX articles_url ON articles (url)",
    "CREATE INDEX articles_canonical_url ON articles (canonical_url)",
    "CREATE INDEX articles_page_hash ON articles (page_hash)",
    """CREATE TABLE captions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    position INTEGER NOT NULL,
    image_url TEXT,
    text TEXT NOT NULL DEFAULT '',
    credit TEXT,
    credit_url TEXT,
    UNIQUE (article_id, position)
)""",
    """CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    comment_id TEXT NOT NULL,
    parent_id TEXT,
    author TEXT,
    published TEXT,
    published_raw TEXT,
    text TEXT NOT NULL DEFAULT '',
    first_seen TEXT,
    UNIQUE (article_id, comment_id)
)""",
    """CREATE TABLE failures (
    url TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    status INTEGER,
    detail TEXT,
    attempts INTEGER NOT NULL DEFAULT 1,
    first_failed TEXT NOT NULL,
    last_failed TEXT NOT NULL,
    run_id INTEGER REFERENCES crawl_runs(id)
)""",
    "CREATE INDEX failures_reason ON failures (reason)",
)

# Version 2: scheduled crawls.  Conditional-request validators, re-visit and takedown state on
# articles; the previous states of articles and comments (history); more figures per run.
_V2_STATEMENTS = (
    "ALTER TABLE articles ADD COLUMN etag TEXT",
    "ALTER TABLE articles ADD COLUMN http_last_modified TEXT",
    "ALTER TABLE articles ADD COLUMN last_checked TEXT",  # last re-visit, whatever its answer (304, 404...)
    "ALTER TABLE articles ADD COLUMN gone_since TEXT",  # taken down (404/410/redirected away) since
    "ALTER TABLE articles ADD COLUMN gone_reason TEXT",
    "ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE articles ADD COLUMN version_since TEXT",  # when this version was first fetched
    "CREATE INDEX articles_gone_since ON articles (gone_since) WHERE gone_since IS NOT NULL",
    """CREATE TABLE article_versions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    url TEXT NOT NULL,
    canonical_url TEXT,
    section TEXT,
    title TEXT,
    authors TEXT NOT NULL DEFAULT '[]',
    published TEXT,
    published_raw TEXT,
    modified TEXT,
    modified_raw TEXT,
    body TEXT NOT NULL DEFAULT '',
    captions TEXT NOT NULL DEFAULT '[]',
    tags TEXT NOT NULL DEFAULT '[]',
    is_partial INTEGER NOT NULL DEFAULT 0,
    extractor_version TEXT,
    page_hash TEXT REFERENCES page_bodies(hash),
    valid_from TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    replaced TEXT NOT NULL,
    run_id INTEGER REFERENCES crawl_runs(id),
    UNIQUE (article_id, version)
)""",
    """CREATE TABLE comment_versions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    comment_id TEXT NOT NULL,
    parent_id TEXT,
    author TEXT,
    published TEXT,
    published_raw TEXT,
    text TEXT NOT NULL DEFAULT '',
    first_seen TEXT,
    replaced TEXT NOT NULL,
    run_id INTEGER REFERENCES crawl_runs(id)
)""",
    "CREATE INDEX comment_versions_article ON comment_versions (article_id, comment_id)",
    "ALTER TABLE crawl_runs ADD COLUMN not_modified INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE crawl_runs ADD COLUMN gone INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE crawl_runs ADD COLUMN comments_new INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE crawl_runs ADD COLUMN yield_articles INTEGER",
    "ALTER TABLE crawl_runs ADD COLUMN yield_body REAL",
    "ALTER TABLE crawl_runs ADD COLUMN yield_date REAL",
    "ALTER TABLE crawl_runs ADD COLUMN yield_author REAL",
    "ALTER TABLE crawl_runs ADD COLUMN outcome TEXT",  # ok, partly_failed, yield_dropped, interrupted
    "ALTER TABLE crawl_runs ADD COLUMN exit_code INTEGER",
    "ALTER TABLE crawl_runs ADD COLUMN message TEXT",
    "CREATE INDEX crawl_runs_site ON crawl_runs (site, id)",
)

# Version 4: per-site preset dictionaries for page bodies (archive/compression.py).  Old bodies keep
# compression 'zlib' and no dict_id; bodies compressed against a dictionary say 'zlib-dict' and
# which one, so a dictionary can never be dropped while a body needs it (foreign keys are on).
_V4_STATEMENTS = (
    """CREATE TABLE compression_dicts (
    id INTEGER PRIMARY KEY,
    host TEXT NOT NULL,
    created_at TEXT NOT NULL,
    size INTEGER NOT NULL,
    sample_count INTEGER NOT NULL,
    dict BLOB NOT NULL
)""",
    "CREATE INDEX compression_dicts_host ON compression_dicts (host, id)",
    "ALTER TABLE page_bodies ADD COLUMN dict_id INTEGER REFERENCES compression_dicts(id)",
)

# Version 5: items of a distributed crawl that could not be ingested (archive/ingest.py), set aside
# with their reason instead of stopping the ingester: the dead-letter list `stats` shows. `item` keeps
# the first 64 KiB of the message as received, for a look by hand; `sha1` makes a batch written twice
# (after a crash) set each item aside once.
_V5_STATEMENTS = (
    """CREATE TABLE dead_letters (
    id INTEGER PRIMARY KEY,
    sha1 TEXT NOT NULL UNIQUE,
    run_id INTEGER REFERENCES crawl_runs(id),
    received TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT,
    size INTEGER NOT NULL,
    item BLOB NOT NULL
)""",
)

# Version 6: what a generic crawl's page is and how sure the page-type check was that it is an
# article (issue 15): a probable article is archived, never dropped, and readers filter on it
# (`--min-confidence`). Existing rows were confirmed articles: 'article', 1.0.
_V6_STATEMENTS = (
    "ALTER TABLE articles ADD COLUMN page_type TEXT NOT NULL DEFAULT 'article'",
    "ALTER TABLE articles ADD COLUMN confidence REAL NOT NULL DEFAULT 1.0",
    "CREATE INDEX articles_unsure ON articles (confidence) WHERE confidence < 1.0",
)

# Version 7: article photos (archive/media.py).  One row per distinct image (SHA-256), its bytes in
# `data` or, with a media folder, in the file `path`; `media_links` says which article (and which of
# its captions, by position) showed it under which URL.  `media_links.sha256` is no foreign key on
# purpose: a link and the image it names may come in different batches of one run; readers join.
_V7_STATEMENTS = (
    """CREATE TABLE media (
    sha256 TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    content_type TEXT NOT NULL,
    declared_type TEXT,
    size INTEGER NOT NULL,
    width INTEGER,
    height INTEGER,
    data BLOB,
    path TEXT,
    first_fetched TEXT NOT NULL,
    last_fetched TEXT NOT NULL,
    etag TEXT,
    http_last_modified TEXT,
    CHECK ((data IS NULL) <> (path IS NULL))
)""",
    """CREATE TABLE media_links (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    position INTEGER,
    url TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    UNIQUE (article_id, url)
)""",
    "CREATE INDEX media_links_url ON media_links (url)",
    "CREATE INDEX media_links_sha256 ON media_links (sha256)",
)

# Version 8: where a listing of another archive's captures (`crawl --from wayback|commoncrawl`,
# scrapers/spiders/cdx.py) stands: its CDX resume key while it runs, the newest capture once complete
# (the next run asks only for newer ones). Written in the same transaction as the captures it covers.
_V8_STATEMENTS = (
    """CREATE TABLE cdx_progress (
    source TEXT PRIMARY KEY,
    since TEXT,
    resume_key TEXT,
    newest TEXT,
    complete INTEGER NOT NULL DEFAULT 0,
    updated TEXT NOT NULL
)""",
)

# Version 9: what links an article's language versions (archive/translations.py).  `article_alternates`:
# the other-language versions each article's page declared (hreflang), by URL, rewritten with every
# fetch (a translation published later appears); readers join on the URL.  The (site, article_id)
# index serves the profiles whose story id is shared across languages ([translations] shared_id).
_V9_STATEMENTS = (
    """CREATE TABLE article_alternates (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    language TEXT NOT NULL,
    url TEXT NOT NULL,
    PRIMARY KEY (article_id, language)
)""",
    "CREATE INDEX article_alternates_url ON article_alternates (url)",
    "CREATE INDEX articles_site_article_id ON articles (site, article_id)",
)

# Append only: never edit a released migration, add the next one (e.g. `article_versions`).
MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "articles, captions, comments, pages, page bodies, failures, crawl runs, full-text search",
        _V1_TABLES
        + fts_statements("articles", ARTICLE_FTS_COLUMNS)
        + fts_statements("comments", COMMENT_FTS_COLUMNS),
    ),
    Migration(
        2,
        "re-crawl state, takedowns, article and comment versions, run health",
        _V2_STATEMENTS,
    ),
    Migration(
        3,
        "language-aware search: normalised full-text indexes of articles and comments, backfilled",
        search_index.STATEMENTS,
        then=search_index.flush,
    ),
    Migration(4, "page bodies compressed with a preset dictionary per site", _V4_STATEMENTS),
    Migration(5, "dead letters: distributed-crawl items that could not be ingested", _V5_STATEMENTS),
    Migration(6, "page type and article confidence of each article", _V6_STATEMENTS),
    Migration(7, "article photos, stored once per SHA-256, and the articles that show them", _V7_STATEMENTS),
    Migration(8, "where listings of other archives' captures (CDX) stand", _V8_STATEMENTS),
    Migration(9, "the language versions each article links (hreflang), found by URL or story id", _V9_STATEMENTS),
    Migration(10, "the top-k search index's token and the articles it has still to take", search_index.TOPK_STATEMENTS),
    Migration(11, "an article whose date or section changes goes back to the top-k index",
              facet_fields.TRIGGER_STATEMENTS),
)
# Applied in version order even if a migration is appended out of order.
SCHEMA_VERSION = max(m.version for m in MIGRATIONS)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _user_tables(conn: sqlite3.Connection) -> set[str]:
    """Tables, and views, triggers and indexes: a file holding only a view is someone else's too."""
    rows = conn.execute("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
    return {str(r[0]) for r in rows}


def current_version(conn: sqlite3.Connection, where: str) -> int:
    """The archive's schema version (0 for an empty file); raises if the file is not ours."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    tables = _user_tables(conn)
    if META_TABLE not in tables:
        if tables or version:
            raise NotAnArchiveError(f"{where} is a SQLite database but not a newsarchive archive")
        return 0
    row = conn.execute(f"SELECT app, schema_version FROM {META_TABLE} WHERE id = 1").fetchone()
    if row is None or row[0] != APP or int(row[1]) != version:
        raise NotAnArchiveError(
            f"{where} has a damaged newsarchive header (meta table and user_version disagree)"
        )
    if version > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"{where} has schema version {version}, newer than this newsarchive supports "
            f"({SCHEMA_VERSION}); upgrade newsarchive"
        )
    return version


def _apply(conn: sqlite3.Connection, migration: Migration) -> None:
    for statement in migration.statements:
        conn.execute(statement)
    if migration.then is not None:
        migration.then(conn)
    conn.execute(
        f"INSERT INTO {META_TABLE} (id, app, schema_version, created) VALUES (1, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET schema_version = excluded.schema_version, migrated = ?",
        (APP, migration.version, _now(), _now()),
    )
    # PRAGMA takes no parameters; the version is our own integer, never user input.
    conn.execute(f"PRAGMA user_version = {int(migration.version)}")


def migrate(conn: sqlite3.Connection, where: str) -> int:
    """Applies the missing migrations, each atomically; safe when two processes open at once.

    `conn` must be in autocommit mode (isolation_level=None): each step is its own
    BEGIN IMMEDIATE ... COMMIT, and the version is read again under the write lock so a
    concurrent opener that migrated first is noticed rather than repeated.
    """
    for migration in sorted(MIGRATIONS, key=lambda m: m.version):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if current_version(conn, where) < migration.version:
                _apply(conn, migration)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # some errors make SQLite roll back by itself
                conn.execute("ROLLBACK")
            raise
    return current_version(conn, where)


def check_version(conn: sqlite3.Connection, where: str, *, readonly: bool, create: bool = True) -> int:
    """Validates the file and brings its schema up to date (or refuses, when read-only).

    Without `create` (read commands) an empty database is refused rather than set up."""
    version = current_version(conn, where)
    if version == SCHEMA_VERSION:
        return version
    if version == 0 and not create:
        raise NotAnArchiveError(f"{where} is an empty SQLite database, not a newsarchive archive")
    if readonly:
        state = "empty" if version == 0 else f"at schema version {version} (current: {SCHEMA_VERSION})"
        raise ArchiveError(f"{where} is {state}; open it once read-write to set it up")
    return migrate(conn, where)

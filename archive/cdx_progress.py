"""Where a listing of another archive's captures stands (``crawl --from wayback|commoncrawl``).

A listing is one CDX query (its ``source``: the server and what is asked). While it runs, each page
of results whose captures have all been archived moves its ``resume_key`` on (the CDX server's
``showResumeKey``), in the same write transaction as those captures, so a run killed at any point
goes on from a key whose captures are in the archive. Once the listing is complete, ``newest`` is
the newest capture it listed, and the next run asks only for captures from then on.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class CdxProgress:
    source: str
    since: str | None  # the listing's `from` (a CDX timestamp), kept so a resumed listing asks the same
    resume_key: str | None  # None: from the start (or complete)
    newest: str | None  # the newest capture listed (CDX timestamp)
    complete: bool = False


_UPSERT = """
INSERT INTO cdx_progress (source, since, resume_key, newest, complete, updated) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (source) DO UPDATE SET since = excluded.since, resume_key = excluded.resume_key,
    newest = max(coalesce(cdx_progress.newest, ''), coalesce(excluded.newest, '')),
    complete = excluded.complete, updated = excluded.updated
"""


def write_progress(conn: sqlite3.Connection, records: list[CdxProgress] | tuple[CdxProgress, ...]) -> None:
    if not records:  # most batches: not even prepared (an archive opened at an older schema has no table)
        return
    now = datetime.now(UTC).isoformat(timespec="seconds")
    conn.executemany(_UPSERT, ((p.source, p.since, p.resume_key, p.newest, int(p.complete), now) for p in records))


def read_progress(conn: sqlite3.Connection, source: str) -> CdxProgress | None:
    row = conn.execute(
        "SELECT since, resume_key, nullif(newest, ''), complete FROM cdx_progress WHERE source = ?", (source,)
    ).fetchone()
    if row is None:
        return None
    return CdxProgress(source, row[0], row[1], row[2], bool(row[3]))

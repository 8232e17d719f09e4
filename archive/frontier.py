"""What a crawl needs to know of the archive before it starts: the frontier.

The archive itself is the crawl's memory between runs (and after a ``kill -9``): every archived
article with its validators (ETag, Last-Modified) and when it was last visited, and the URLs that
failed for good recently. Nothing here writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from archive.store import Archive, fetch_time


@dataclass(frozen=True)
class KnownArticle:
    url: str
    canonical_url: str | None
    published: datetime | None
    first_seen: datetime
    last_visit: datetime  # the latest of a fetch (last_seen) and a re-visit of any answer (last_checked)
    etag: str | None
    last_modified: str | None  # the Last-Modified header as the server sent it
    gone: bool


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def known_articles(archive: Archive, site: str | None) -> list[KnownArticle]:
    """Every archived article of `site` (all sites when None)."""
    rows = archive.conn.execute(
        "SELECT url, canonical_url, published, first_seen, max(last_seen, coalesce(last_checked, '')), "
        "etag, http_last_modified, gone_since IS NOT NULL FROM articles WHERE (? IS NULL OR site = ?)",
        (site, site),
    )
    known = []
    for url, canonical, published, first_seen, last_visit, etag, last_modified, gone in rows:
        first = _when(first_seen) or datetime.now(UTC)
        known.append(
            KnownArticle(
                url=url, canonical_url=canonical, published=_when(published), first_seen=first,
                last_visit=_when(last_visit) or first, etag=etag, last_modified=last_modified, gone=bool(gone),
            )
        )
    return known


def recent_failures(archive: Archive, reasons: Iterable[str], since: datetime) -> set[str]:
    """URLs whose last failure, for one of `reasons` (e.g. http_404), is not older than `since`."""
    rows = archive.conn.execute(
        "SELECT url FROM failures WHERE reason IN (SELECT value FROM json_each(?)) AND last_failed >= ?",
        (json.dumps(list(reasons)), fetch_time(since)),
    )
    return {str(r[0]) for r in rows}


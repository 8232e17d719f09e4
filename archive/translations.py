"""An article's other-language versions, and search results grouped one per story.

Two signals link versions, both data rather than code about a site:

- hreflang: the page's ``<link rel="alternate" hreflang=…>`` (scrapers/parsers/alternates.py), kept
  in ``article_alternates`` by URL at write time.  Either side's link is enough: an article fetched
  before its translation was published does not name it, but the translation names it back.
- a shared story id: a profile that declares ``[translations] shared_id = true`` (turan publishes
  one story id in az, en and ru) links the articles of its site with the same ``article_id``.

A story is an article with its versions; its key is the smallest article id among them, so every
version of a story (each linking the others) gets the same key.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from archive.search import Archive, Filters, SearchHit, articles_sql, fts_query, ranked_hits, register_functions
from scrapers.sites import ProfileError, load_profile

# The most results one grouped page walks through (offset included): a page of stories deep in a
# broad match set costs this many ranked hits at most, and says so when it stops there.
MAX_GROUP_SCAN = 2000
_CHUNK = 100
# Every article the given one links or is linked by (hreflang), by its URL or canonical URL.
_LINKED = """
SELECT a.id FROM article_alternates AS l JOIN articles AS a ON a.url = l.url WHERE l.article_id = :id
UNION SELECT a.id FROM article_alternates AS l JOIN articles AS a ON a.canonical_url = l.url WHERE l.article_id = :id
UNION SELECT l.article_id FROM article_alternates AS l JOIN articles AS me ON l.url = me.url WHERE me.id = :id
UNION SELECT l.article_id FROM article_alternates AS l JOIN articles AS me ON l.url = me.canonical_url
  WHERE me.id = :id"""
_SAME_STORY_ID = """
SELECT a.id FROM articles AS me JOIN articles AS a ON a.site = me.site AND a.article_id = me.article_id
WHERE me.id = :id AND me.article_id IS NOT NULL"""
_VERSION = "SELECT id, language, title, url FROM articles WHERE id = ?"


@dataclass(frozen=True)
class Version:
    """One language version of a story."""

    id: int
    language: str | None
    title: str | None
    url: str


@dataclass
class Story:
    """A search result grouped with its other-language versions: `hit` is the best-ranked one."""

    hit: SearchHit
    versions: list[Version] = field(default_factory=list)  # the others, by language
    matched: list[int] = field(default_factory=list)  # ids of the others that match the query too

    @property
    def key(self) -> int:
        return min([self.hit.id, *(v.id for v in self.versions)])


@dataclass
class StoryPage:
    """One page of grouped results: `stories[offset:offset+limit]` of the ranked match list."""

    stories: list[Story]
    offset: int
    limit: int
    more: bool  # a next page has at least one story
    scanned: int  # ranked hits read to build it
    capped: bool  # stopped at MAX_GROUP_SCAN hits: later pages are not reached


def write_alternates(conn: sqlite3.Connection, rows: Sequence[tuple[int, str, str]]) -> None:
    """(article id, language, URL) of each declared version.  Kept, never dropped: a version a page
    stopped linking (taken down) was still its version."""
    # An archive held at an older schema (migration tests write at version 3) has no table to write.
    if rows and _has_table(conn, "article_alternates"):
        conn.executemany(
            "INSERT OR REPLACE INTO article_alternates (article_id, language, url) VALUES (?, ?, ?)", rows
        )


@cache
def _shares_ids(site: str) -> bool:
    try:
        return load_profile(site).translations_shared_id
    except ProfileError:  # a generic crawl's site (a host name) has no profile
        return False


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def versions_of(
    conn: sqlite3.Connection, article_id: int, shares_ids: Callable[[str], bool] = _shares_ids
) -> list[Version]:
    """The article's other-language versions, one per language (the oldest row when several), by
    language; [] when it has none or is unknown."""
    me = conn.execute("SELECT site, language FROM articles WHERE id = ?", (article_id,)).fetchone()
    if me is None:
        return []
    site, language = me
    ids: set[int] = set()
    if _has_table(conn, "article_alternates"):
        ids.update(r[0] for r in conn.execute(_LINKED, {"id": article_id}))
    if site and shares_ids(site):
        ids.update(r[0] for r in conn.execute(_SAME_STORY_ID, {"id": article_id}))
    ids.discard(article_id)
    by_language: dict[str | None, Version] = {}
    for other in sorted(ids):
        row = conn.execute(_VERSION, (other,)).fetchone()
        if row is not None and row[1] != language and row[1] not in by_language:
            by_language[row[1]] = Version(*row)
    return sorted(by_language.values(), key=lambda v: v.language or "")


def _ranked_ids(
    archive: Archive, query: str, filters: Filters, sort: str, limit: int, offset: int
) -> list[tuple[int, float]]:
    """(id, score) of the ranked hits offset..offset+limit: the search's own SQL, its snippets never
    asked for (SQLite computes no column the outer query does not read), so a scan costs no snippet."""
    fts_query(query, "articles", filters.author)  # QueryError before any SQL runs
    register_functions(archive.conn)
    params = {"q": query, **filters.params(), "limit": limit, "offset": offset}
    sql = f"SELECT id, score FROM ({articles_sql(sort, filters.filtered)})"
    return [(int(r[0]), float(r[1])) for r in archive.conn.execute(sql, params)]


def _group(conn: sqlite3.Connection, ids: Iterable[int], seen: dict[int, int], leads: list[tuple[int, int]],
           matched: dict[int, list[int]], start: int) -> None:
    """Each id becomes a story lead (with its rank) or, when a version of an earlier lead, one of its matches."""
    for rank, article_id in enumerate(ids, start=start):
        if article_id in seen:
            matched[seen[article_id]].append(article_id)
            continue
        leads.append((rank, article_id))
        matched[article_id] = []
        for member in (article_id, *(v.id for v in versions_of(conn, article_id))):
            seen.setdefault(member, article_id)


def grouped_search(
    archive: Archive, query: str, filters: Filters, *, limit: int = 10, offset: int = 0, sort: str = "relevance"
) -> StoryPage:
    """One page of search results with each story once, placed where its best-ranked version is,
    its other versions listed.  Reads the ranked ids from the top (a story's place depends on every
    hit before it), at most MAX_GROUP_SCAN of them; snippets only for the page's stories."""
    seen: dict[int, int] = {}
    leads: list[tuple[int, int]] = []
    matched: dict[int, list[int]] = {}
    scores: dict[int, float] = {}
    scanned, exhausted = 0, False
    while len(leads) <= offset + limit and scanned < MAX_GROUP_SCAN and not exhausted:
        ranked = _ranked_ids(archive, query, filters, sort, _CHUNK, scanned)
        scores.update(ranked)
        _group(archive.conn, [i for i, _ in ranked], seen, leads, matched, scanned)
        scanned += len(ranked)
        exhausted = len(ranked) < _CHUNK
    capped = not exhausted and len(leads) <= offset + limit
    shown = leads[offset:offset + limit]
    # the page's leads with their snippets, in the order (and with the scores) just ranked
    hits = {h.id: h for h in ranked_hits(archive, query, filters, [(i, scores[i]) for _, i in shown], len(shown))}
    stories = [Story(hits[i], versions_of(archive.conn, i), matched[i]) for _, i in shown if i in hits]
    return StoryPage(stories, offset, limit, len(leads) > offset + limit, scanned, capped)

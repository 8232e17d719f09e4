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

from archive.search import Archive, Filters, SearchHit, search
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
    if rows:  # an archive written before migration 9 (in its tests) has no table to write
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


def _stories(conn: sqlite3.Connection, hits: Iterable[SearchHit], seen: dict[int, Story], out: list[Story]) -> None:
    """Adds each hit to `out` as a new story, or to the story it is a version of (as matched)."""
    for hit in hits:
        if hit.id in seen:
            seen[hit.id].matched.append(hit.id)
            continue
        story = Story(hit, versions_of(conn, hit.id))
        out.append(story)
        for member in (hit.id, *(v.id for v in story.versions)):
            seen.setdefault(member, story)


def grouped_search(
    archive: Archive, query: str, filters: Filters, *, limit: int = 10, offset: int = 0, sort: str = "relevance"
) -> StoryPage:
    """One page of search results with each story once, placed where its best-ranked version is,
    its other versions listed.  Reads the ranked hits from the top (a story's place depends on
    every hit before it), at most MAX_GROUP_SCAN of them."""
    seen: dict[int, Story] = {}
    stories: list[Story] = []
    scanned, exhausted = 0, False
    while len(stories) <= offset + limit and scanned < MAX_GROUP_SCAN and not exhausted:
        hits = search(archive, query, filters, limit=_CHUNK, offset=scanned, sort=sort)
        scanned += len(hits)
        exhausted = len(hits) < _CHUNK
        _stories(archive.conn, hits, seen, stories)
    capped = not exhausted and len(stories) <= offset + limit
    return StoryPage(stories[offset:offset + limit], offset, limit, len(stories) > offset + limit, scanned, capped)

"""What the reading pages add to Datasette's: the search page's paging (a count, the range shown,
next and previous links), its results grouped one per story, and an article's other-language
versions and history.  Built from the library (archive/search, archive/translations.py,
archive/history.py) on Datasette's own read connection; the templates escape every string.

The articles search page (``search``, by relevance) is ranked by the library's `search_info`, as
the command line ranks it: a broad query through the top-k index when it is in step (saying so
when the answer may differ from ranking every match, with a link that ranks them all).  Its canned
query's SQL then returns nothing for the page (the ``_newsarchive_library`` magic parameter,
plugin.py): FTS5 does not rank every match a second time.  Its JSON stays the canned SQL's.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datasette.utils import path_with_replaced_args

from archive.errors import ArchiveError, QueryError
from archive.history import History, article_history
from archive.search import DEFAULT_MIN_CONFIDENCE, Filters, SearchHit, SearchInfo, count, query_error, search_info
from archive.search.topk import TopK
from archive.store import Archive
from archive.translations import StoryPage, Version, grouped_search, versions_of
from archive.words import language_name, plural

DEFAULT_LIMIT = 20  # the canned queries' own default (archive/search: LIMIT coalesce(:limit, 20))
MAX_LIMIT = 1000  # Datasette returns at most this many rows (max_returned_rows)
# canned query -> what its count counts (archive.search.count_sql's target)
COUNTED = {"search": "articles", "search_by_date": "articles", "search_comments": "comments",
           "search_captions": "articles"}
_FILTER_ARGS = ("lang", "site", "section", "since", "until", "author")
RANKED_HERE = "search"  # the canned query whose page the library ranks (see the module)
PLUGIN = "newsarchive"  # archive.web.PLUGIN (not imported: archive.web imports this module's plugin)


@dataclass(frozen=True)
class Paging:
    """Where a page of results stands: results first..last (1-based) of total."""

    total: int
    offset: int
    limit: int
    shown: int  # rows on this page

    @property
    def first(self) -> int:
        return min(self.offset + 1, self.total)

    @property
    def last(self) -> int:
        return min(self.offset + self.shown, self.total)

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    @property
    def has_next(self) -> bool:
        return self.offset + self.limit < self.total


def _int_arg(request: Any, name: str, default: int, low: int, high: int) -> int:
    """A paging argument as the canned query reads it; what is not a number is the default."""
    value = (request.args.get(name) or "").strip()
    return max(low, min(high, int(value))) if value.isdigit() else default


def _filters(request: Any) -> Filters | None:
    """The search's filters from the request, None when one is malformed (the page says which)."""
    lang, site, section, since, until, author = ((request.args.get(n) or "").strip() or None for n in _FILTER_ARGS)
    confidence = (request.args.get("min_confidence") or "").strip()
    try:
        return Filters(lang, site, section, since, until, author, bool(request.args.get("has_comments")),
                       float(confidence) if confidence else DEFAULT_MIN_CONFIDENCE)
    except (QueryError, ValueError):
        return None


def page_links(request: Any, paging: Paging) -> dict[str, str | None]:
    """The URLs of the first, previous and next pages (None where there is none): same query, offset moved."""
    previous = max(0, paging.offset - paging.limit)
    return {
        "first": path_with_replaced_args(request, {"offset": "0"}) if paging.offset else None,
        "previous": path_with_replaced_args(request, {"offset": str(previous)}) if paging.has_previous else None,
        "next": path_with_replaced_args(request, {"offset": str(paging.offset + paging.limit)})
        if paging.has_next else None,
    }


def topk_settings(datasette: Any) -> TopK:
    """The SEARCH_TOPK_* settings the server was started with (TopK's own defaults otherwise)."""
    config = (datasette.plugin_config(PLUGIN) or {}).get("topk") or {}
    return TopK(**{k: v for k, v in config.items() if k in TopK.__dataclass_fields__})


def ranked_by_library(request: Any) -> bool:
    """Whether this request is the HTML page of an articles search the library ranks: a query (or
    an author), well-formed filters, not grouped by story."""
    if request.url_vars.get("table") != RANKED_HERE or request.url_vars.get("format") or request.args.get("_format"):
        return False
    q, author = request.args.get("q") or "", request.args.get("author") or ""
    return bool(q or author) and not request.args.get("group") and _filters(request) is not None \
        and query_error(q, author, "articles") is None


def _archive(conn: sqlite3.Connection, path: str) -> Archive:
    return Archive(conn, Path(path), readonly=True)


def _count(conn: sqlite3.Connection, path: str, name: str, q: str, filters: Filters, topk: TopK) -> int:
    return count(_archive(conn, path), q, filters, COUNTED[name], settings=topk)


def _row(hit: SearchHit) -> dict[str, Any]:
    """A hit as the canned query's row (its snippet as the JSON newsarchive_snippet returns)."""
    snippet = {"text": hit.snippet, "highlights": hit.highlights, "field": hit.field,
               "title": hit.title, "title_highlights": hit.title_highlights}
    return {"id": hit.id, "key": hit.key, "url": hit.url, "title": hit.title, "published": hit.published,
            "language": hit.language, "section": hit.section, "site": hit.site, "comment_count": hit.comment_count,
            "score": hit.score, "snippet": json.dumps(snippet, ensure_ascii=False)}


def _ranked(conn: sqlite3.Connection, path: str, q: str, filters: Filters, limit: int, offset: int, exact: bool,
            topk: TopK) -> tuple[list[dict[str, Any]], SearchInfo]:
    hits, info = search_info(_archive(conn, path), q, filters, limit=limit, offset=offset, exact=exact, settings=topk)
    return [_row(h) for h in hits if isinstance(h, SearchHit)], info


def _grouped(conn: sqlite3.Connection, path: str, q: str, filters: Filters, limit: int, offset: int,
             sort: str) -> StoryPage:
    return grouped_search(_archive(conn, path), q, filters, limit=limit, offset=offset, sort=sort)


async def search_page(datasette: Any, database: str, name: str, request: Any) -> dict[str, Any]:
    """Template variables of a search page: newsarchive_paging (and _links, _total_text), and for
    ``group=1`` on an article search, newsarchive_stories (a StoryPage)."""
    q, author = request.args.get("q") or "", request.args.get("author") or ""
    filters = _filters(request)
    if name not in COUNTED or not (q or author) or filters is None or query_error(q, author, COUNTED[name]):
        return {}
    db = datasette.get_database(database)
    limit = _int_arg(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _int_arg(request, "offset", 0, 0, 10**9)
    topk = topk_settings(datasette)
    total = await db.execute_fn(lambda conn: _count(conn, db.path, name, q, filters, topk))
    out: dict[str, Any] = {"newsarchive_total_text": plural(total, "matching article" if COUNTED[name] == "articles"
                                                             else "matching comment")}
    if ranked_by_library(request):
        exact = bool(request.args.get("exact"))
        rows, info = await db.execute_fn(lambda conn: _ranked(conn, db.path, q, filters, limit, offset, exact, topk))
        out["newsarchive_rows"], out["newsarchive_search"] = rows, info
        out["newsarchive_exact_link"] = None if info.exact else path_with_replaced_args(request, {"exact": "1"})
    if request.args.get("group") and name in ("search", "search_by_date"):
        sort = "date" if name == "search_by_date" else "relevance"
        stories = await db.execute_fn(lambda conn: _grouped(conn, db.path, q, filters, limit, offset, sort))
        out["newsarchive_stories"] = stories
        # Stories are not counted (that would group every match): a next page exactly when one exists.
        paging = Paging(offset + limit + 1 if stories.more else offset + len(stories.stories), offset, limit,
                        len(stories.stories))
    else:
        paging = Paging(total, offset, limit, min(limit, max(0, total - offset)))
    return {**out, "newsarchive_paging": paging, "newsarchive_links": page_links(request, paging)}


@dataclass(frozen=True)
class Reading:
    """An article page's versions: its other languages and its history."""

    languages: list[dict[str, Any]]
    history: History | None
    history_error: str | None = None


def _reading(conn: sqlite3.Connection, path: str, article_id: int) -> Reading:
    languages = [_language(v) for v in versions_of(conn, article_id)]
    try:
        history = article_history(Archive(conn, Path(path), readonly=True), article_id)
    except (ArchiveError, sqlite3.Error) as exc:  # an archive older than its history tables: said, not hidden
        return Reading(languages, None, f"history not available: {exc}")
    return Reading(languages, history)


def _language(version: Version) -> dict[str, Any]:
    return {"id": version.id, "language": version.language, "name": language_name(version.language),
            "title": version.title, "url": version.url}


async def article_reading(datasette: Any, database: str, article_id: int) -> Reading:
    db = datasette.get_database(database)
    return await db.execute_fn(lambda conn: _reading(conn, str(db.path), article_id))  # type: ignore[no-any-return]

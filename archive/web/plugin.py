"""The Datasette plugin: search SQL functions, a month facet, the article page's data, safe marking.

Everything scraped is untrusted.  It reaches HTML only through Jinja's autoescape or through
`marked`, which escapes every piece of text itself and adds nothing but ``<mark>`` elements.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from datasette import hookimpl as _hookimpl
from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from archive.errors import ArchiveError
from archive.imageinfo import SVG
from archive.media import article_media, media_bytes
from archive.read import comment_threads
from archive.search import DEFAULT_MIN_CONFIDENCE, highlight_ranges, query_error, register_functions
from archive.web.captured import ROUTE, captured
from archive.web.reading import article_reading, ranked_by_library, search_page
from archive.words import language_name, plural

F = TypeVar("F", bound=Callable[..., Any])
hookimpl: Callable[[F], F] = _hookimpl
META_TABLE = "_newsarchive_meta"
_PARAGRAPH = re.compile(r"\n\s*\n|\n")
# canned query -> (what it searches, its sort), for the templates
SEARCHES: dict[str, tuple[str, str]] = {
    "search": ("articles", "relevance"),
    "search_by_date": ("articles", "date"),
    "search_comments": ("comments", "relevance"),
    "search_captions": ("captions", "relevance"),
}
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# A photo is served as what its bytes are (the type read from them at crawl time), never sniffed,
# in a sandbox that runs nothing and loads nothing; an SVG only as a download (never inline).
MEDIA_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    "Cache-Control": "public, max-age=31536000, immutable",  # named by its hash: never changes
    "Cross-Origin-Resource-Policy": "same-origin",
}


def marked(text: str | None, ranges: Sequence[Sequence[int]] = ()) -> Markup:
    """`text` as HTML: escaped, with each [start, end) range in <mark>."""
    text = text or ""
    out, pos = [], 0
    for start, end in sorted((int(a), int(b)) for a, b in ranges):
        if start < pos or end > len(text) or start >= end:
            continue
        out += [escape(text[pos:start]), Markup("<mark>"), escape(text[start:end]), Markup("</mark>")]
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def _snippet(value: str | None) -> dict[str, Any]:
    try:
        data = json.loads(value or "{}")
    except ValueError:
        data = {}
    return data if isinstance(data, dict) else {}


def _highlighted(text: str | None, query: str, lang: str | None, column: str) -> Markup:
    return marked(text, highlight_ranges(query, lang, column, text))


def _paragraphs(text: str | None, query: str, lang: str | None, column: str) -> list[Markup]:
    """Body text as paragraphs (blank lines or line breaks), the query's words marked."""
    return [_highlighted(p.strip(), query, lang, column) for p in _PARAGRAPH.split(text or "") if p.strip()]


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    register_functions(conn)


def _library(key: str, request: Any) -> str:
    """``:_newsarchive_library``: "1" on the search page the library ranks (archive/web/reading.py),
    where the canned query's SQL returns nothing; "" elsewhere (its JSON, CSV: the SQL's rows)."""
    if key != "library" or request is None:
        raise KeyError(key)
    return "1" if ranked_by_library(request) else ""


@hookimpl
def register_magic_parameters() -> list[tuple[str, Callable[[str, Any], str]]]:
    return [("newsarchive", _library)]


@hookimpl
def register_routes() -> list[tuple[str, Callable[..., Any]]]:
    """/DB/-/captured/HASH: a stored page as captured, sandboxed (archive/web/captured.py); and
    /-/media/DB/SHA256: an archived photo (media_view)."""
    return [(ROUTE, captured), (r"^/-/media/(?P<database>[^/]+)/(?P<sha256>[^/]+)$", media_view)]


@hookimpl
def prepare_jinja2_environment(env: Any) -> None:
    env.filters["newsarchive_snippet"] = _snippet
    env.globals["newsarchive_marked"] = marked
    env.globals["newsarchive_query_error"] = query_error
    env.globals["newsarchive_searches"] = SEARCHES
    env.globals["newsarchive_min_confidence"] = DEFAULT_MIN_CONFIDENCE
    env.globals["newsarchive_plural"] = plural
    env.globals["newsarchive_language_name"] = language_name


async def _is_archive(datasette: Any, database: str | None) -> bool:
    if not database:
        return False
    try:
        db = datasette.get_database(database)
    except KeyError:
        return False
    return bool(await db.table_exists(META_TABLE))


def _comment_html(comments: list[dict[str, Any]], query: str, lang: str | None) -> list[dict[str, Any]]:
    for c in comments:
        c["text_html"] = _paragraphs(c["text"], query, lang, "comments")
        _comment_html(c["replies"], query, lang)
    return comments


async def _article(datasette: Any, database: str, pk: str, query: str) -> dict[str, Any] | None:
    if not pk.isdigit():
        return None
    db = datasette.get_database(database)
    rows = (await db.execute("SELECT * FROM articles WHERE id = ?", [int(pk)])).rows
    if not rows:
        return None
    article = dict(rows[0])
    lang = article.get("language")
    for column in ("authors", "tags"):
        try:
            article[column] = json.loads(article[column] or "[]")
        except ValueError:
            article[column] = []
    article["title_html"] = _highlighted(article["title"], query, lang, "title")
    article["body_html"] = _paragraphs(article["body"], query, lang, "body")
    captions = (
        await db.execute(
            "SELECT position, image_url, text, credit, credit_url FROM captions WHERE article_id = ? ORDER BY position",
            [int(pk)],
        )
    ).rows
    photos = await _photos(db, database, int(pk))
    article["captions"] = [
        {**dict(c), "text_html": _highlighted(c["text"], query, lang, "captions"), "photo": photos.get(c["position"])}
        for c in captions
    ]
    comments = (
        await db.execute(
            "SELECT comment_id, parent_id, author, published, published_raw, text FROM comments "
            "WHERE article_id = ? ORDER BY id",
            [int(pk)],
        )
    ).rows
    article["comment_threads"] = _comment_html(comment_threads([dict(c) for c in comments]), query, lang)
    article["comment_total"] = len(comments)
    return article


async def _photos(db: Any, database: str, article_id: int) -> dict[int | None, dict[str, Any]]:
    """The article's archived photos by caption position, each with the URL the archive serves it at."""
    if not await db.table_exists("media_links"):
        return {}
    found = await db.execute_fn(lambda conn: article_media(conn, article_id))
    return {p["position"]: {**p, "src": f"/-/media/{database}/{p['sha256']}"} for p in found}


async def media_view(datasette: Any, request: Any) -> Response:
    """/-/media/DATABASE/SHA256: one archived photo, from the archive (or its media folder)."""
    database, sha = request.url_vars["database"], request.url_vars["sha256"]
    if not _SHA256.match(sha) or not await _is_archive(datasette, database):
        return Response.text("not found", status=404)
    db = datasette.get_database(database)
    if not await db.table_exists("media"):
        return Response.text("not found", status=404)
    try:
        found = await db.execute_fn(lambda conn: media_bytes(conn, Path(db.path), sha))
    except ArchiveError as exc:  # a damaged row, a media file gone: said, not served
        return Response.text(str(exc), status=500)
    if found is None:
        return Response.text("not found", status=404)
    stored, data = found
    disposition = "attachment" if stored.content_type == SVG else "inline"
    extension = stored.content_type.rsplit("/", 1)[-1].split("+")[0]
    headers = {**MEDIA_HEADERS, "Content-Disposition": f'{disposition}; filename="{sha}.{extension}"'}
    return Response(data, status=200, headers=headers, content_type=stored.content_type)


@hookimpl
def extra_template_vars(
    template: str, database: str | None, table: str | None, view_name: str, request: Any, datasette: Any
) -> Callable[[], Any]:
    async def inner() -> dict[str, Any]:
        if request is None or not await _is_archive(datasette, database):
            return {}
        if template == "query.html":
            name = request.url_vars.get("table") or request.path.rstrip("/").rsplit("/", 1)[-1]
            return await search_page(datasette, str(database), str(name), request)
        if template != "row.html" or table != "articles":
            return {}
        query = request.args.get("q") or ""
        article = await _article(datasette, str(database), str(request.url_vars.get("pks", "")), query)
        if not article:
            return {}
        reading = await article_reading(datasette, str(database), int(article["id"]))
        return {"newsarchive_article": article, "newsarchive_q": query, "newsarchive_reading": reading}

    return inner


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any) -> Markup | None:
    """Search results shown as a table (canned query, no custom template): the snippet marked."""
    if column == "snippet" and table is None and isinstance(value, str) and value.startswith("{"):
        data = _snippet(value)
        if "text" in data:
            return marked(data.get("text"), data.get("highlights") or [])
    return None


class MonthFacet(Facet):  # type: ignore[misc]
    """``{"month": "published"}``: counts per YYYY-MM of an ISO date column, newest first;
    a value filters with ``column__startswith=YYYY-MM``."""

    type = "month"

    async def suggest(self) -> list[Any]:
        return []

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        results: list[dict[str, Any]] = []
        timed_out: list[str] = []
        args = dict(self.get_querystring_pairs())
        size = self.get_facet_size()
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            column = config.get("column") or config["simple"]
            col = escape_sqlite(column)
            sql = (
                f"select substr({col}, 1, 7) as value, count(*) as count from ({self.sql}) "
                f"where {col} glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' "
                f"group by value order by value desc limit {size + 1}"
            )
            try:
                rows = await self.ds.execute(
                    self.database, sql, self.params, truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                )
            except Exception as exc:  # QueryInterrupted: the facet is skipped, the page still shows
                if type(exc).__name__ != "QueryInterrupted":
                    raise
                timed_out.append(column)
                continue
            key = f"{column}__startswith"
            values = []
            for row in rows.rows[:size]:
                selected = args.get(key) == row["value"]
                toggle = (
                    path_with_removed_args(self.request, {key: row["value"]})
                    if selected
                    else path_with_added_args(self.request, {key: row["value"]})
                )
                values.append({
                    "value": row["value"], "label": row["value"], "count": row["count"],
                    "toggle_url": self.ds.absolute_url(self.request, toggle), "selected": selected,
                })
            results.append({
                "name": column, "type": self.type, "results": values,
                "hideable": source_and_config["source"] != "metadata",
                "toggle_url": path_with_removed_args(self.request, {"_facet_month": column}),
                "truncated": len(rows.rows) > size,
            })
        return results, timed_out


@hookimpl
def register_facet_classes() -> list[type]:
    return [MonthFacet]

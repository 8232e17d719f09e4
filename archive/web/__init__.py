"""The archive in Datasette: configuration, the plugin and the templates that make it readable.

`build(path)` returns a Datasette instance for one archive file, read-only (``mode=ro``, or
``immutable`` for a finished archive), with:

- the articles table faceted by site, language, section and month (a small ``month`` facet
  type, see plugin.py), newest first, Datasette's own full-text search box on it;
- canned queries ``search``, ``search_by_date``, ``search_comments``, ``search_captions``,
  ``search_count``, ``search_facets`` and ``search_check``: the very SQL of the command line
  (archive/search/__init__.py), so ``/archive/search.json?q=Aliyev&lang=en`` is the CLI's search over HTTP;
- a search page and an article page (templates/): body, captions and threaded comments, the
  query's words marked, every scraped string escaped by Jinja's autoescape (no ``|safe``).
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from archive.search import (
    FACETS,
    articles_sql,
    captions_sql,
    comments_sql,
    count_sql,
    facets_sql,
)
from archive.search.topk import TopK

PLUGIN = "newsarchive"  # the plugin's name: its configuration is {"topk": the SEARCH_TOPK_* settings}
TEMPLATES = Path(__file__).parent / "templates"
FILTER_PARAMS = ("lang", "site", "section", "since", "until", "author", "min_confidence")
SETTINGS: dict[str, Any] = {
    # Only the canned queries: arbitrary SQL reads every table (raw pages, crawl runs) and can keep
    # the server busy. An owner turns it on with `newsarchive serve --allow-sql` (ALLOW_SQL below).
    "default_allow_sql": False,
    "sql_time_limit_ms": 5000,
    "facet_time_limit_ms": 1000,
    "default_page_size": 50,
    "truncate_cells_html": 160,
    "allow_download": False,
}
ALLOW_SQL: dict[str, Any] = {"default_allow_sql": True}
# The store's own tables: compressed raw pages, dictionaries, the index queue, items that failed their
# checks (untrusted by definition). Not listed, and not served either (Datasette's table "allow").
HIDDEN = ("page_bodies", "compression_dicts", "norm_fts_pending", "_newsarchive_meta", "dead_letters",
          "search_topk", "search_topk_pending")  # the top-k index's token and queue (archive/search/topk.py)

SYNTAX_HTML = (
    "<p>Words (all must match), <code>\"exact phrases\"</code>, <code>prefix*</code>, "
    "<code>AND</code> / <code>OR</code> / <code>NOT</code>, <code>-word</code>, <code>(groups)</code> and "
    "fields <code>title:</code> <code>body:</code> <code>captions:</code> <code>comments:</code> "
    "<code>author:</code>. Azerbaijani, English and Russian spellings meet: <em>Aliyev</em> finds "
    "Əliyev and Алиев, <em>переговоры</em> finds переговорах.</p>"
)


def _query(sql: str, title: str, params: tuple[str, ...]) -> dict[str, Any]:
    return {"sql": sql, "title": title, "params": list(params), "hide_sql": True, "description_html": SYNTAX_HTML}


def canned_queries() -> dict[str, dict[str, Any]]:
    """The searches, as Datasette canned queries (also JSON: add .json to the URL)."""
    page = ("limit", "offset")
    article = ("q", *FILTER_PARAMS, "has_comments", *page)
    other = ("q", *FILTER_PARAMS, *page)
    return {
        # Its HTML page is ranked by the library (archive/web/reading.py): the SQL returns nothing there.
        "search": _query(f"SELECT * FROM ({articles_sql('relevance')})\nWHERE :_newsarchive_library = ''",
                         "Search articles", article),
        "search_by_date": _query(articles_sql("date"), "Search articles, newest first", article),
        "search_comments": _query(comments_sql("relevance"), "Search reader comments", other),
        "search_captions": _query(captions_sql("relevance"), "Search image captions", article),
        "search_count": _query(count_sql("articles"), "Count matching articles", ("q", *FILTER_PARAMS, "has_comments")),
        "search_facets": _query(
            facets_sql(), f"Matching articles per {', '.join(FACETS)}", ("q", *FILTER_PARAMS, "has_comments")
        ),
        "search_check": _query(
            "SELECT newsarchive_error(:q, :author, 'articles') AS error, "
            "newsarchive_match(:q, :author, 'articles') AS fts_query",
            "Check a query (error is null when it is well formed)",
            ("q", "author"),
        ),
    }


def metadata(database: str, topk: TopK | None = None) -> dict[str, Any]:
    """Datasette metadata for the archive served as `database`; `topk`: the SEARCH_TOPK_* settings
    its search page ranks with (archive/web/reading.py)."""
    tables: dict[str, Any] = {
        "articles": {
            "facets": ["site", "language", "section", {"month": "published"}],
            "sort_desc": "published",
            "label_column": "title",
            "description": "Every archived article; open one to read it with its captions and comments.",
        },
        "comments": {"label_column": "author", "facets": ["author"]},
        "captions": {"label_column": "text"},
        **{name: {"hidden": True, "allow": False} for name in HIDDEN},
    }
    return {
        "title": "newsarchive",
        # The search box itself is in templates/ (index.html, database.html): it needs Datasette's
        # URL of the database, and the name (from the file name) must be escaped like any text.
        "description_html": SYNTAX_HTML,
        "plugins": {PLUGIN: {"topk": asdict(topk or TopK())}},
        "databases": {
            database: {
                "title": f"newsarchive: {database}",
                "description_html": SYNTAX_HTML,
                "tables": tables,
                "queries": canned_queries(),
            }
        },
    }


def build(
    path: str | Path, *, immutable: bool = False, settings: dict[str, Any] | None = None, topk: TopK | None = None
) -> Any:
    """A Datasette for the archive at `path`, read-only, with this package's plugin registered;
    `topk`: how its search page uses the top-k index (the SEARCH_TOPK_* settings)."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    from archive.web import plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name=PLUGIN)
    path = Path(path)
    files = [] if immutable else [str(path)]
    immutables = [str(path)] if immutable else []
    return Datasette(
        files=files,
        immutables=immutables,
        metadata=metadata(path.stem, topk),
        template_dir=str(TEMPLATES),
        settings={**SETTINGS, **(settings or {})},
    )

"""`newsarchive serve`: the archive in Datasette, read-only, configured by archive/web/.

Kept out of newsarchive/cli/__init__.py so the other commands start fast and work without Datasette.
"""

from __future__ import annotations

import click

from archive.errors import ArchiveError
from archive.read import printable
from archive.store import Archive
from newsarchive.cli.common import archive_path, db_option
from newsarchive.cli.search import topk_settings


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True, help="Port to listen on.")
@click.option(
    "--immutable", is_flag=True,
    help="Treat the file as finished (faster; do not use while a crawl writes to it).",
)
@click.option(
    "--allow-sql", is_flag=True,
    help="Let anyone who can reach the server run their own read-only SQL (off: only the searches).",
)
@click.option("-s", "--set", "sets", multiple=True, metavar="NAME=VALUE",
              help="A SEARCH_TOPK_* setting for the search page, e.g. -s SEARCH_TOPK_CANDIDATES=1000 (repeatable).")
@click.pass_context
def serve(
    ctx: click.Context, db: str | None, host: str, port: int, immutable: bool, allow_sql: bool, sets: tuple[str, ...]
) -> None:
    """Browse and search the archive in Datasette (read-only): full-text search with highlights,
    facets by site, language, section and month, readable article pages with threaded comments,
    and every search as JSON (e.g. /archive/search.json?q=Aliyev).

    \b
    Example:
      newsarchive serve --db data/archive.db --port 8001
    """
    import asyncio

    import uvicorn

    from archive.web import ALLOW_SQL, build

    settings = topk_settings(sets)  # a bad -s is said before anything starts
    path = archive_path(ctx, db)
    # Opening read-write once brings an older archive up to date (e.g. builds the search index);
    # Datasette itself only ever reads.
    try:
        Archive.open(path, create=False).close()
    except ArchiveError:  # e.g. a read-only copy: served as it is if it is already up to date
        Archive.open(path, create=False, readonly=True).close()
    datasette = build(path, immutable=immutable, settings=ALLOW_SQL if allow_sql else None, topk=settings)
    asyncio.run(datasette.invoke_startup())
    name = next(iter(n for n in datasette.databases if n != "_internal"))
    url = datasette.urls.database(name)  # the name escaped as Datasette has it in URLs (dots too)
    # A file name is the user's, but may have come from elsewhere: no control character reaches the terminal.
    click.echo(printable(f"Serving {path} read-only at http://{host}:{port}{url}  (search: {url}/search?q=...)"))
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on")

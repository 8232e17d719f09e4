"""``newsarchive search-index``: the top-k index beside the archive (archive/search/topk.py)."""

from __future__ import annotations

import time

import click

from archive.search import topk
from archive.store import Archive
from newsarchive.cli.common import archive_path, db_option


@click.group("search-index")
def search_index() -> None:
    """The top-k index (ARCHIVE.db.topk/) that ranks broad searches quickly.

    \b
    SQLite is the source of truth: the index is rebuilt from it, kept in step by every write
    (crawls, imports, reparse), and ignored (searches ranked exactly by FTS5) while it is stale.
    """


def _open(ctx: click.Context, db: str | None) -> Archive:
    return Archive.open(archive_path(ctx, db), create=False)  # migrates to the schema it needs


@search_index.command("rebuild")
@click.option("--threads", type=click.IntRange(1, 16), default=1, show_default=True, help="Indexing threads.")
@db_option
@click.pass_context
def rebuild_cmd(ctx: click.Context, threads: int, db: str | None) -> None:
    """Build the index from the archive again (writers may go on meanwhile)."""
    started = time.monotonic()
    with _open(ctx, db) as archive:
        n = topk.rebuild(archive.conn, threads=threads)
        path = topk.index_dir(archive.path)
    click.echo(f"{n:,} articles indexed in {path} in {time.monotonic() - started:.1f} s")


@search_index.command("sync")
@db_option
@click.pass_context
def sync_cmd(ctx: click.Context, db: str | None) -> None:
    """Apply what was written since the index last caught up (each write does it too)."""
    with _open(ctx, db) as archive:
        n = topk.sync(archive.conn)
        state = topk.status(archive.conn)
    click.echo(f"{n:,} articles applied; {'in step' if state.fresh else 'stale: searches are exact'}")


@search_index.command("status")
@db_option
@click.pass_context
def status_cmd(ctx: click.Context, db: str | None) -> None:
    """Whether the index is there and in step (else searches are ranked exactly, by FTS5)."""
    with _open(ctx, db) as archive:
        state = topk.status(archive.conn)
    if not state.built:
        click.echo(f"no index for this archive at {state.path} (newsarchive search-index rebuild)")
    elif state.queued:
        click.echo(f"{state.path}: {state.documents:,} articles, {state.queued:,} writes not yet applied "
                   "(stale: searches are exact until `newsarchive search-index sync`)")
    else:
        click.echo(f"{state.path}: {state.documents:,} articles, in step")

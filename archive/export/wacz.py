"""The export as WACZ 1.1 (Webrecorder's package, opened by ReplayWeb.page), made by the ``wacz``
package (py-wacz, the format's reference implementation) from our WARC.

Steps, in a temporary folder beside the target: the WARC (archive/export/warc.py), a
``pages.jsonl`` listing each selected article's page (its URL, capture time, title and publication
date), then ``wacz create`` indexes the WARC (CDXJ, ``indexes/index.cdx.gz``), matches the pages to
their captures and writes ``datapackage.json`` with SHA-256 hashes of every file.
"""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wacz.main import main as wacz_main

from archive.export.atomic import ExportError, atomic_path, describe
from archive.export.select import Selection, connection, snapshot
from archive.export.warc import Progress, WarcResult, describe_selection, warc_date, write_selection
from archive.search import Filters
from archive.store import Archive

WARC_NAME = "data.warc.gz"
# The page each selected article was parsed from: its first stored fetch.
_ARTICLE_PAGES = """WITH chosen AS ({ids})
SELECT a.id, a.title, a.published, a.language,
       (SELECT coalesce(p.final_url, p.url) FROM pages AS p WHERE p.content_hash = a.page_hash ORDER BY p.id LIMIT 1),
       (SELECT p.first_fetched FROM pages AS p WHERE p.content_hash = a.page_hash ORDER BY p.id LIMIT 1)
FROM chosen JOIN articles AS a ON a.id = chosen.id WHERE a.page_hash IS NOT NULL"""


@dataclass
class WaczResult:
    warc: WarcResult
    pages_listed: int


def page_entries(conn: sqlite3.Connection, chosen: Selection) -> Iterator[dict[str, Any]]:
    """pages.jsonl lines (json-pages-1.0): one per selected article whose page is archived."""
    ids, params = chosen.article_ids(conn)
    for article_id, title, published, language, url, fetched in conn.execute(_ARTICLE_PAGES.format(ids=ids), params):
        if url is None or fetched is None:
            continue
        entry = {"id": f"article-{article_id}", "url": url, "ts": warc_date(fetched), "title": title or url}
        if published:
            entry["published"] = published
        if language:
            entry["language"] = language
        yield entry


def _write_pages_list(path: Path, entries: Iterator[dict[str, Any]]) -> int:
    listed = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "Archived articles"}) + "\n")
        for entry in entries:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
            listed += 1
    return listed


def _package(part: Path, warc: Path, pages: Path, title: str) -> None:
    """`wacz create` into `part`; its chatter (stdout) is kept and shown only if it fails."""
    said = io.StringIO()
    args = ["create", "-o", str(part), str(warc), "--pages", str(pages), "--hash-type", "sha256", "--title", title]
    with contextlib.redirect_stdout(said):
        code = wacz_main(args)
    if code:
        last = said.getvalue().strip().splitlines()[-1:] or ["no reason given"]
        raise ExportError(f"cannot package {part.name} as WACZ: {last[0]}")


def export_wacz(
    source: Archive | sqlite3.Connection, path: str | Path, filters: Filters | None = None, *,
    query: str | None = None, progress: Progress | None = None,
) -> WaczResult:
    """Writes the pages `query` and `filters` select (all by default) as the WACZ file `path`; the
    file appears only when complete.  ExportError when it cannot be written."""
    conn = connection(source)
    chosen = Selection(query, filters or Filters())
    target = Path(path)
    try:
        work = tempfile.TemporaryDirectory(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {describe(exc)}") from None
    with work as folder, atomic_path(target) as part, snapshot(conn):
        warc, pages = Path(folder) / WARC_NAME, Path(folder) / "pages.jsonl"
        try:
            with warc.open("wb") as out:
                result = write_selection(out, conn, chosen, WARC_NAME, progress)
                result.bytes = out.tell()
            listed = _write_pages_list(pages, page_entries(conn, chosen))
        except OSError as exc:
            raise ExportError(f"cannot write {target}: {describe(exc)}; nothing was written") from None
        _package(part, warc, pages, f"newsarchive: {describe_selection(chosen)}")
    return WaczResult(result, listed)

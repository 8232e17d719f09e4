"""Articles as JSON Lines (one article a line, captions and comment threads nested) or CSV (one row
an article, flat, with counts), for pandas, R and spreadsheets.

Both stream: one cursor over the selected articles, and per article two indexed look-ups (its
captions, its comments), so memory does not grow with the archive.  Values are written as
archived; CSV cells are not altered to defuse spreadsheet formulas (a cell starting with ``=`` is
data, and a spreadsheet should import the file as text).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from archive.export.atomic import output
from archive.export.select import Selection, connection, snapshot
from archive.media import attach_photos
from archive.read import comment_threads
from archive.search import Filters
from archive.store import Archive

Progress = Callable[[int], None]
FORMATS = ("jsonl", "csv")
_JSON_COLUMNS = ("authors", "tags")
# CSV columns: the article's own fields, lists joined with "; ", then counts.
CSV_COLUMNS = (
    "id", "key", "url", "canonical_url", "site", "article_id", "language", "section", "title", "authors",
    "published", "published_raw", "modified", "modified_raw", "tags", "is_partial", "version", "first_seen",
    "last_seen", "gone_since", "gone_reason", "caption_count", "comment_count", "comment_thread_count",
    "body_chars", "body",
)
_CAPTIONS = "SELECT position, image_url, text, credit, credit_url FROM captions WHERE article_id = ? ORDER BY position"
_COMMENTS = (
    "SELECT comment_id, parent_id, author, published, published_raw, text, first_seen FROM comments "
    "WHERE article_id = ? ORDER BY id"  # insertion order is the page order
)
_LEAVE_OUT = ("content_hash", "page_hash", "extractor_version", "captions_text", "etag", "http_last_modified",
              "last_checked", "version_since")


# Control characters but tab and line ends: shown as \xNN when the export goes to a terminal.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class Sink(Protocol):
    def write(self, data: bytes, /) -> int: ...


def terminal_safe(text: str) -> str:
    """`text` with control characters (escape sequences) made visible, for a terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


@dataclass
class ArticlesResult:
    articles: int = 0
    bytes: int = 0


def _dicts(cur: sqlite3.Cursor) -> Iterator[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    for row in cur:
        yield dict(zip(names, row, strict=True))


def iter_articles(conn: sqlite3.Connection, chosen: Selection) -> Iterator[dict[str, Any]]:
    """The selected articles, oldest id first, each with `captions` and `comments` (nested threads)."""
    ids, params = chosen.article_ids(conn)
    cur = conn.execute(f"WITH chosen AS ({ids}) SELECT a.* FROM chosen JOIN articles AS a ON a.id = chosen.id", params)
    for article in _dicts(cur):
        for column in _JSON_COLUMNS:
            article[column] = json.loads(article[column] or "[]")
        article["is_partial"] = bool(article["is_partial"])
        for column in _LEAVE_OUT:
            article.pop(column, None)
        article["captions"] = list(_dicts(conn.execute(_CAPTIONS, (article["id"],))))
        attach_photos(conn, article)  # each caption's photo (hash, type, size), as show prints it
        article["comments"] = comment_threads(list(_dicts(conn.execute(_COMMENTS, (article["id"],)))))
        yield article


def _count(threads: list[dict[str, Any]]) -> int:
    return sum(1 + _count(c["replies"]) for c in threads)


def csv_row(article: dict[str, Any]) -> list[Any]:
    flat = {
        **article,
        "authors": "; ".join(article["authors"]),
        "tags": "; ".join(article["tags"]),
        "is_partial": int(article["is_partial"]),
        "caption_count": len(article["captions"]),
        "comment_count": _count(article["comments"]),
        "comment_thread_count": len(article["comments"]),
        "body_chars": len(article["body"] or ""),
    }
    return ["" if flat.get(c) is None else flat[c] for c in CSV_COLUMNS]


def _csv_line(values: list[Any]) -> str:
    line = io.StringIO()
    csv.writer(line, lineterminator="\r\n").writerow(values)
    return line.getvalue()


def write_articles(out: Sink, articles: Iterator[dict[str, Any]], fmt: str, progress: Progress | None = None,
                   *, for_terminal: bool = False, result: ArticlesResult | None = None) -> ArticlesResult:
    """Writes `articles` to `out` as `fmt` (jsonl or csv), counting them in `result` as it goes;
    `progress(n)` every 1,000 articles.  `for_terminal`: control characters in scraped text are
    shown escaped, never sent raw."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    result = result if result is not None else ArticlesResult()
    if fmt == "csv":
        out.write(_csv_line(list(CSV_COLUMNS)).encode())
    for article in articles:
        text = _csv_line(csv_row(article)) if fmt == "csv" else json.dumps(article, ensure_ascii=False) + "\n"
        out.write((terminal_safe(text) if for_terminal else text).encode())
        result.articles += 1
        if progress is not None and result.articles % 1000 == 0:
            progress(result.articles)
    return result


def export_articles(
    source: Archive | sqlite3.Connection, path: str | Path, fmt: str, filters: Filters | None = None, *,
    query: str | None = None, progress: Progress | None = None, for_terminal: bool = False,
) -> ArticlesResult:
    """Writes the articles `query` and `filters` select (all by default) to `path` ('-': standard
    output) as JSON Lines or CSV.  A file appears only when complete; one read transaction."""
    conn = connection(source)
    chosen = Selection(query, filters or Filters())
    result = ArticlesResult()  # filled as it goes: a reader that stops early (`| head`) still gets a count
    with output(path) as out, snapshot(conn):
        counted = _Counting(out, result)
        write_articles(counted, iter_articles(conn, chosen), fmt, progress, for_terminal=for_terminal, result=result)
    return result


class _Counting:
    """Passes bytes on to `out` and counts them (standard output cannot say where it is)."""

    def __init__(self, out: Sink, result: ArticlesResult) -> None:
        self.out = out
        self.result = result

    def write(self, data: bytes, /) -> int:
        self.out.write(data)
        self.result.bytes += len(data)
        return len(data)

"""The archive's raw pages as a WARC file (ISO 28500, WARC/1.1), written by warcio.

For each stored page (a URL with one body): a ``request`` and a ``response`` record dated its first
fetch; when the same URL gave the same bytes again (``fetch_count`` > 1), a ``request`` and a
``revisit`` record (identical-payload-digest) dated its LAST fetch.  One ``warcinfo`` record first
names the tool, its version and what the archive cannot tell (below).

What the archive does not keep, and what is written instead (also in the warcinfo record):
- the HTTP version and the server's reason phrase: the status line is ``HTTP/1.1 <status>
  <standard phrase>`` (Scrapy speaks HTTP/1.1 by default);
- the bytes as transferred: bodies are stored decoded, so ``Content-Encoding`` and
  ``Transfer-Encoding`` are left out and ``Content-Length`` is the stored body's length;
- the request headers: a request record holds the method, the target and ``Host`` only;
- the time of each fetch of a page fetched more than twice: only the first and last fetch times
  and a count are stored, so the fetches in between have no record;
- redirects: the response is recorded under the URL it came from (``final_url``); the hops before
  it were not stored.
"""

from __future__ import annotations

import http
import io
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.export.atomic import atomic_file
from archive.export.select import Selection, StoredPage, connection, iter_pages, snapshot
from archive.media import StoredMedia, iter_media, media_aliases
from archive.search import Filters
from archive.store import Archive

# Headers that describe the bytes as they were transferred, not as they are stored (decoded).
_TRANSFER_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})
NOTES = (
    "status lines say HTTP/1.1 and the standard reason phrase (the archive keeps neither the HTTP version nor the "
    "server's phrase); bodies are stored decoded, so Content-Encoding and Transfer-Encoding are left out and "
    "Content-Length is the body's length; request records hold the method, target and Host only; a page fetched "
    "again with the same bytes has one revisit record dated its last fetch (the fetches in between are counted, "
    "not dated, in the archive); responses are recorded under the URL they came from after redirects"
)

Progress = Callable[[int], None]


def software() -> str:
    def of(package: str) -> str:
        try:
            return version(package)
        except PackageNotFoundError:
            return "unknown"

    return f"newsarchive/{of('newsarchive')} (warcio/{of('warcio')})"


@dataclass
class WarcResult:
    """What an export wrote: pages, records by type, and the pages left out (with why)."""

    pages: int = 0
    photos: int = 0
    records: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    bytes: int = 0

    def count(self, kind: str) -> None:
        self.records[kind] = self.records.get(kind, 0) + 1


def warc_date(stored: str) -> str:
    """A stored fetch time (ISO 8601, UTC, milliseconds) as a WARC-Date (UTC, 'Z')."""
    moment = datetime.fromisoformat(stored.replace("Z", "+00:00"))
    moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    return text + (f".{moment.microsecond // 1000:03d}Z" if moment.microsecond else "Z")


def status_line(status: int) -> str:
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = "Unknown"
    return f"{status} {phrase}"


def response_headers(page: StoredPage, body: bytes) -> StatusAndHeaders:
    headers = [(k, v) for k, v in page.headers.items() if k.lower() not in _TRANSFER_HEADERS]
    headers.append(("Content-Length", str(len(body))))
    return StatusAndHeaders(status_line(page.status), headers, protocol="HTTP/1.1")


def request_headers(url: str) -> StatusAndHeaders:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return StatusAndHeaders(f"GET {target} HTTP/1.1", [("Host", parts.netloc)], is_http_request=True)


class PageWriter:
    """Writes stored pages as WARC records through one warcio writer."""

    def __init__(self, out: BinaryIO, filename: str, description: str = "") -> None:
        self.writer = WARCWriter(out, gzip=True, warc_version="1.1")
        self.result = WarcResult()
        info = {
            "software": software(),
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "description": description,
            "notes": NOTES,
        }
        self._write(self.writer.create_warcinfo_record(filename, info))

    def _write(self, record: Any) -> None:
        self.writer.write_record(record)
        self.result.count(str(record.rec_type))

    def _pair(self, request_url: str, record: Any) -> None:
        request = self.writer.create_warc_record(
            request_url, "request", http_headers=request_headers(request_url),
            warc_headers_dict={"WARC-Date": record.rec_headers.get_header("WARC-Date")},
        )
        self.writer.write_request_response_pair(request, record)
        self.result.count("request")
        self.result.count(str(record.rec_type))

    def page(self, page: StoredPage) -> None:
        if page.body is None:
            reason = page.problem or "no body"
            self.result.skipped[reason] = self.result.skipped.get(reason, 0) + 1
            return
        url, date = page.target, warc_date(page.first_fetched)
        response = self.writer.create_warc_record(
            url, "response", payload=io.BytesIO(page.body), length=len(page.body),
            http_headers=response_headers(page, page.body), warc_headers_dict={"WARC-Date": date},
        )
        self._pair(url, response)
        self.result.pages += 1
        if page.fetch_count > 1 and page.last_fetched != page.first_fetched:
            digest = response.rec_headers.get_header("WARC-Payload-Digest")
            revisit = self.writer.create_revisit_record(
                url, digest, url, date, http_headers=response_headers(page, page.body),
                warc_headers_dict={"WARC-Date": warc_date(page.last_fetched)},
            )
            self._pair(url, revisit)


    def photo(self, photo: StoredMedia, aliases: Sequence[str] = ()) -> None:
        """A stored photo as the response its fetch got (200, its checked content type), dated its
        first fetch: the bytes are the same for every article that showed it (stored once). Other
        URLs that gave the same bytes (`aliases`) are revisit records referring to it, so a replay
        or an import finds every image the pages showed."""
        if photo.data is None:
            self.result.skipped["photo without bytes"] = self.result.skipped.get("photo without bytes", 0) + 1
            return
        headers = StatusAndHeaders(status_line(200), [("Content-Type", photo.content_type),
                                                      ("Content-Length", str(len(photo.data)))], protocol="HTTP/1.1")
        response = self.writer.create_warc_record(
            photo.url, "response", payload=io.BytesIO(photo.data), length=len(photo.data), http_headers=headers,
            warc_headers_dict={"WARC-Date": warc_date(photo.first_fetched)},
        )
        self._pair(photo.url, response)
        self.result.photos += 1
        digest = response.rec_headers.get_header("WARC-Payload-Digest")
        date = response.rec_headers.get_header("WARC-Date")
        for alias in aliases:
            revisit = self.writer.create_revisit_record(
                alias, digest, photo.url, date, http_headers=headers,
                warc_headers_dict={"WARC-Date": date},
            )
            self._pair(alias, revisit)


def write_pages(
    out: BinaryIO, pages: Iterable[StoredPage], filename: str, description: str = "",
    progress: Progress | None = None,
) -> PageWriter:
    """Writes `pages` as one WARC (gzip per record) to `out`; calls `progress(n)` every 1,000 pages.
    The writer is returned open: more records (the photos) may follow."""
    writer = PageWriter(out, filename, description)
    for n, page in enumerate(pages, start=1):
        writer.page(page)
        if progress is not None and n % 1000 == 0:
            progress(n)
    return writer


def write_selection(
    out: BinaryIO, conn: sqlite3.Connection, chosen: Selection, filename: str, progress: Progress | None = None,
) -> WarcResult:
    """The pages of the chosen articles, then the photos they showed (issue 20), as one WARC."""
    writer = write_pages(out, iter_pages(conn, chosen), filename, describe_selection(chosen), progress)
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'media'").fetchone():
        articles = None if chosen.everything else chosen.article_ids(conn)
        for photo in iter_media(conn, archive_file(conn), articles=articles):
            writer.photo(photo, media_aliases(conn, photo, articles=articles))
    return writer.result


def archive_file(conn: sqlite3.Connection) -> Path:
    """The archive's own file: photos kept in a media folder are found beside it."""
    row = conn.execute("SELECT file FROM pragma_database_list WHERE name = 'main'").fetchone()
    return Path(row[0] if row and row[0] else ".")


def describe_selection(chosen: Selection) -> str:
    parts = [f"{k}={v}" for k, v in chosen.filters.params().items() if v]
    if (chosen.query or "").strip():
        parts.insert(0, f"query={chosen.query}")
    return "pages of the articles selected by " + ", ".join(parts) if parts else "every archived page"


def export_warc(
    source: Archive | sqlite3.Connection, path: str | Path, filters: Filters | None = None, *,
    query: str | None = None, progress: Progress | None = None,
) -> WarcResult:
    """Writes the archived pages (all, or those of the articles `query` and `filters` select) to the
    WARC file `path` (gzip'd records; the name should end in .warc.gz).  The file appears only when
    complete (archive/export/atomic.py); ExportError when it cannot be written.  One read
    transaction: a crawl writing meanwhile does not change what is exported."""
    conn = connection(source)
    chosen = Selection(query, filters or Filters())
    target = Path(path)
    with atomic_file(target) as out, snapshot(conn):
        result = write_selection(out, conn, chosen, target.name, progress)
        result.bytes = out.tell()
    return result

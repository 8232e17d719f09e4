"""Article photos in the archive: stored once per SHA-256, linked to the captions and articles using them.

``media`` has one row per distinct image (its bytes in ``data``, or in a file of the media folder
named by ``path`` when the crawl ran with ``--media-dir``); ``media_links`` says which article (and
which caption of it, by position) showed it under which URL. The bytes are written by the archive's
single writer (``Archive.write_batch(media=...)``), in the batch's transaction; a file in the media
folder is written (atomically, named by its hash) before the transaction that points at it commits.

Reading: ``iter_media`` (for exports, e.g. WARC), ``article_media`` (the web page, ``show``),
``media_bytes`` (serving one image) and ``media_counts`` (``stats``).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from archive.errors import ArchiveError


@dataclass
class MediaRecord:
    """A fetched image that passed the checks (archive/imageinfo.py), ready to store."""

    sha256: str
    url: str
    content_type: str  # from the bytes (magic numbers), never the server's word alone
    declared_type: str | None  # what the server said it was
    data: bytes
    width: int | None
    height: int | None
    fetched_at: datetime
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class MediaLink:
    """An article showed the image `sha256` under `url`; `position` is its caption's (None: no caption)."""

    url: str
    sha256: str
    position: int | None


@dataclass(frozen=True)
class StoredMedia:
    sha256: str
    url: str
    content_type: str
    size: int
    width: int | None
    height: int | None
    first_fetched: str
    last_fetched: str
    path: str | None  # in the media folder (relative to the archive's folder, or absolute)
    data: bytes | None  # None unless asked for (iter_media(with_bytes=True))


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- writing (called by Archive.write_batch, inside its transaction) ---------------------------

_INSERT_MEDIA = """
INSERT INTO media (sha256, url, content_type, declared_type, size, width, height, data, path,
                   first_fetched, last_fetched, etag, http_last_modified)
VALUES (:sha256, :url, :content_type, :declared_type, :size, :width, :height, :data, :path,
        :fetched, :fetched, :etag, :http_last_modified)
"""
# An image fetched again (same bytes) only moves its dates.
_TOUCH_MEDIA = """
UPDATE media SET first_fetched = min(first_fetched, :fetched), last_fetched = max(last_fetched, :fetched)
WHERE sha256 = :sha256
"""
# A link already there only moves last_seen; a changed image under the same URL points it anew.
_UPSERT_LINK = """
INSERT INTO media_links (article_id, position, url, sha256, first_seen, last_seen)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (article_id, url) DO UPDATE SET
    position = excluded.position, sha256 = excluded.sha256, last_seen = max(media_links.last_seen, excluded.last_seen)
"""


def media_file(media_dir: Path, sha256: str) -> Path:
    """Where the bytes of `sha256` live in a media folder: ``ab/abcdef…`` (no extension: never executed)."""
    return media_dir / sha256[:2] / sha256


def _write_file(media_dir: Path, record: MediaRecord) -> Path:
    target = media_file(media_dir, record.sha256)
    if target.is_file() and target.stat().st_size == len(record.data):
        return target  # named by its hash: same name, same bytes
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(record.data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)  # atomic: a reader or a crash never sees half a file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _stored_path(target: Path, archive_path: Path) -> str:
    try:
        return str(target.resolve().relative_to(archive_path.resolve().parent))
    except ValueError:
        return str(target.resolve())


def write_media(
    conn: sqlite3.Connection,
    media: Sequence[MediaRecord],
    fetched: Sequence[str],
    archive_path: Path,
    media_dir: Path | None,
) -> tuple[int, int]:
    """Stores each image once per hash (its bytes in the row, or a file of `media_dir`); returns
    how many were new and their bytes. `fetched` are the records' fetch times, formatted as the archive stores them."""
    known = {
        r[0]
        for r in conn.execute(
            "SELECT sha256 FROM media WHERE sha256 IN (SELECT value FROM json_each(?))",
            (_json_list(m.sha256 for m in media),),
        )
    }
    new: list[dict[str, Any]] = []
    seen: list[dict[str, Any]] = []
    for record, at in zip(media, fetched, strict=True):
        row = {"sha256": record.sha256, "fetched": at}
        if record.sha256 in known:
            seen.append(row)
            continue
        known.add(record.sha256)
        path = None
        if media_dir is not None:
            try:
                path = _stored_path(_write_file(media_dir, record), archive_path)
            except OSError as exc:
                raise ArchiveError(f"cannot write {record.sha256} in {media_dir}: {exc.strerror or exc}") from exc
        new.append({
            **row, "url": record.url, "content_type": record.content_type, "declared_type": record.declared_type,
            "size": len(record.data), "width": record.width, "height": record.height,
            "data": None if path else record.data, "path": path, "etag": record.etag,
            "http_last_modified": record.last_modified,
        })
    conn.executemany(_INSERT_MEDIA, new)
    conn.executemany(_TOUCH_MEDIA, seen)
    return len(new), sum(int(r["size"]) for r in new)


def write_links(conn: sqlite3.Connection, rows: Sequence[tuple[int, int | None, str, str, str, str]]) -> None:
    """(article_id, position, url, sha256, first_seen, last_seen) rows."""
    conn.executemany(_UPSERT_LINK, rows)


def _json_list(values: Any) -> str:
    return json.dumps(list(values))


# --- reading ------------------------------------------------------------------------------------

_COLUMNS = "sha256, url, content_type, size, width, height, first_fetched, last_fetched, path"


def _stored(row: Sequence[Any], data: bytes | None) -> StoredMedia:
    return StoredMedia(
        sha256=row[0], url=row[1], content_type=row[2], size=int(row[3]), width=row[4], height=row[5],
        first_fetched=row[6], last_fetched=row[7], path=row[8], data=data,
    )


def _file_bytes(archive_path: Path, path: str) -> bytes:
    target = Path(path) if Path(path).is_absolute() else archive_path.parent / path
    try:
        return target.read_bytes()
    except OSError as exc:
        raise ArchiveError(f"media file {target} cannot be read: {exc.strerror or exc}") from None


def media_bytes(conn: sqlite3.Connection, archive_path: Path, sha256: str) -> tuple[StoredMedia, bytes] | None:
    """One image and its bytes, checked against its hash; None when the archive has no such image."""
    row = conn.execute(f"SELECT {_COLUMNS}, data FROM media WHERE sha256 = ?", (sha256,)).fetchone()
    if row is None:
        return None
    data = bytes(row[9]) if row[9] is not None else _file_bytes(archive_path, str(row[8]))
    if sha256_of(data) != sha256:
        raise ArchiveError(f"media {sha256} is damaged (its hash does not match)")
    return _stored(row, None), data


def iter_media(
    conn: sqlite3.Connection, archive_path: Path, *, article_id: int | None = None,
    articles: tuple[str, dict[str, Any]] | None = None, with_bytes: bool = True,
) -> Iterator[StoredMedia]:
    """Every stored image, oldest first, one at a time (bytes read per image, never all at once):
    what an export (WARC) writes as its responses.  Only those of one article (`article_id`), or
    of the articles an SQL query selects (`articles`: its text and named parameters), when given."""
    sql = f"SELECT {_COLUMNS} FROM media"
    params: dict[str, Any] = {}
    if article_id is not None:
        articles = ("SELECT :article_id", {"article_id": article_id})
    if articles is not None:
        sql += f" WHERE sha256 IN (SELECT sha256 FROM media_links WHERE article_id IN ({articles[0]}))"
        params = dict(articles[1])
    for row in conn.execute(sql + " ORDER BY first_fetched, sha256", params):
        data = None
        if with_bytes:
            found = media_bytes(conn, archive_path, str(row[0]))
            data = found[1] if found else None
        yield _stored(row, data)


def article_media(conn: sqlite3.Connection, article_id: int) -> list[dict[str, Any]]:
    """The images an article showed, in caption order, with their caption's position (or None)."""
    rows = conn.execute(
        "SELECT l.position, l.url, m.sha256, m.content_type, m.size, m.width, m.height "
        "FROM media_links l JOIN media m ON m.sha256 = l.sha256 WHERE l.article_id = ? "
        "ORDER BY l.position IS NULL, l.position, l.id",
        (article_id,),
    ).fetchall()
    keys = ("position", "url", "sha256", "content_type", "size", "width", "height")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def attach_photos(conn: sqlite3.Connection, article: dict[str, Any]) -> None:
    """Adds to an article (with its `captions`) each caption's archived `photo` (None: not archived)
    and all its `photos`: what show, the web page and the exports print."""
    photos = article_media(conn, int(article["id"]))
    by_position = {p["position"]: p for p in photos}
    for caption in article["captions"]:
        caption["photo"] = by_position.get(caption["position"])
    article["photos"] = photos


def media_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Images stored, their bytes, how many live in the media folder, and article links."""
    count, size, in_files = conn.execute(
        "SELECT count(*), coalesce(sum(size), 0), count(path) FROM media"
    ).fetchone()
    links = conn.execute("SELECT count(*) FROM media_links").fetchone()[0]
    return {"media": int(count), "media_bytes": int(size), "media_in_files": int(in_files), "media_links": int(links)}


def media_aliases(
    conn: sqlite3.Connection, photo: StoredMedia, *, articles: tuple[str, dict[str, Any]] | None = None,
) -> list[str]:
    """The other URLs that gave these very bytes (stored once, under the first URL), among the links
    of the articles an SQL query selects (`articles`, as for iter_media) or of every article."""
    sql = "SELECT DISTINCT url FROM media_links WHERE sha256 = :_sha AND url != :_url"
    params: dict[str, Any] = {"_sha": photo.sha256, "_url": photo.url}
    if articles is not None:
        sql += f" AND article_id IN ({articles[0]})"
        params.update(articles[1])
    return [str(url) for (url,) in conn.execute(sql + " ORDER BY url", params)]

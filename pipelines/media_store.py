"""The photos pipeline's store (Scrapy's ``FilesStoreProtocol``) over the archive, ``archive://PATH``.

``stat_file`` asks the archive (its own read-only connection: the writer's connection stays the
writer's) whether an image URL is stored already; ``persist_file`` stages checked bytes, which then
travel with their article to the archive's single writer (pipelines/archive_writer.py). It never
writes to the archive itself.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from scrapy.pipelines.files import StatInfo
from scrapy.pipelines.media import MediaPipeline

from archive.errors import ArchiveError
from archive.media import MediaRecord
from archive.store import Archive

logger = logging.getLogger(__name__)

URL_PATH = "url:"  # file_path() of a request not yet downloaded: the store looks the URL up
_KNOWN_URL = (
    "SELECT l.sha256, m.last_fetched, m.etag, m.http_last_modified FROM media_links l "
    "JOIN media m ON m.sha256 = l.sha256 WHERE l.url = ? ORDER BY l.last_seen DESC LIMIT 1"
)


@dataclass(frozen=True)
class Known:
    """An image URL the archive has: its bytes' hash and the validators of the response that brought them."""

    sha256: str
    etag: str | None
    last_modified: str | None


class ArchiveMediaStore:
    """FilesStoreProtocol over the archive (``archive://PATH``): looks up, and stages for the writer."""

    def __init__(self, basedir: str) -> None:
        self.archive_path = Path(basedir.removeprefix("archive://"))
        self.staged: dict[str, MediaRecord] = {}
        self.known: dict[str, Known] = {}  # URLs looked up, until their request is answered
        self.revalidate = False  # True: stat_file reports the real fetch time, so old photos expire
        self._reader: Archive | None = None
        self._unreadable = False

    def persist_file(
        self, path: str, buf: BytesIO, info: MediaPipeline.SpiderInfo, meta: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """`path` is the SHA-256 of the bytes; `meta` the rest of the MediaRecord."""
        self.staged[path] = MediaRecord(sha256=path, data=buf.getvalue(), **(meta or {}))

    def stat_file(self, path: str, info: MediaPipeline.SpiderInfo) -> StatInfo:
        """An image URL already in the archive is up to date: its checksum is its SHA-256."""
        if not path.startswith(URL_PATH):
            return {}
        reader = self._open()
        if reader is None:
            return {}
        url = path.removeprefix(URL_PATH)
        row = reader.conn.execute(_KNOWN_URL, (url,)).fetchone()
        if row is None:
            return {}
        self.known[url] = Known(str(row[0]), row[2], row[3])
        # Without revalidation: "modified now", so it never expires (a changed URL is what fetches anew).
        fetched = datetime.fromisoformat(str(row[1])).timestamp() if self.revalidate else time.time()
        return {"checksum": str(row[0]), "last_modified": fetched}

    def take(self, sha256: str) -> MediaRecord | None:
        """The staged record of `sha256`, once (the first article that shows it carries the bytes)."""
        return self.staged.pop(sha256, None)

    def _open(self) -> Archive | None:
        if self._reader is None and not self._unreadable and self.archive_path.exists():
            try:  # read-only, its own connection: the writer's connection stays the writer's
                self._reader = Archive.open(self.archive_path, create=False, readonly=True)
            except ArchiveError as exc:
                self._unreadable = True  # said once; the photos are then fetched as if new
                logger.warning("photos: cannot read %s (%s): every image is fetched", self.archive_path, exc)
        return self._reader

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

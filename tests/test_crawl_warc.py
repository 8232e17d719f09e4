"""`newsarchive crawl turan --warc DIR`: a real crawl of the replica also writes WARC files, checked
by warcio's own checker, with a response record for every response the replica server sent."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.store import Archive
from replica.server import running_replica
from tests.conftest import newsarchive

BIN = Path(sys.executable).parent
MAX_SIZE = 60_000  # bytes: small, so that the crawl's records fill several files (~300 KB in all)


@pytest.mark.crawl
def test_crawl_writes_rotated_warc_files_with_every_response(tmp_path: Path) -> None:
    db, folder = tmp_path / "archive.db", tmp_path / "warc"
    with running_replica(articles=40, seed=4) as base:
        result = newsarchive("crawl", "turan", "--base-url", base, "--db", str(db), "--warc", str(folder),
                             "-s", f"WARC_MAX_SIZE={MAX_SIZE}", "--quiet")
        served = list(base.server.requests)
    assert result.returncode == 0, result.stdout + result.stderr
    files = sorted(folder.iterdir())
    assert len(files) >= 3 and all(f.name.endswith(".warc.gz") for f in files), files  # none left ".open"
    responses: Counter[tuple[str, int]] = Counter()
    bodies: dict[str, bytes] = {}
    for path in files:
        check = subprocess.run([str(BIN / "warcio"), "check", str(path)], capture_output=True, text=True,
                               check=False)
        assert check.returncode == 0, check.stdout + check.stderr
        with path.open("rb") as fh:
            records = list(_read(fh))
        assert records[0][0] == "warcinfo" and [r[0] for r in records].count("warcinfo") == 1
        assert [r[0] for r in records[1:]].count("request") == [r[0] for r in records[1:]].count("response")
        for kind, url, status, payload in records[1:]:
            if kind == "response":
                responses[(url, status)] += 1
                bodies[url] = payload
    for path in files[:-1]:
        assert path.stat().st_size >= MAX_SIZE  # rotated only once past the size
    assert responses == Counter((base + path, status) for _, path, status in served)
    with Archive.open(db, create=False, readonly=True) as archive:
        pages = archive.conn.execute("SELECT coalesce(final_url, url), content_hash FROM pages").fetchall()
        assert len(pages) > 40
        for url, content_hash in pages:
            assert bodies[url] == archive.page_body(content_hash)  # the very bytes the archive keeps


def _read(fh: object) -> list[tuple[str, str, int, bytes]]:
    out = []
    for record in ArchiveIterator(fh):
        url = record.rec_headers.get_header("WARC-Target-URI") or ""
        status = int(record.http_headers.get_statuscode()) if record.rec_type == "response" else 0
        out.append((record.rec_type, url, status, record.content_stream().read()))
    return out


@pytest.mark.crawl
def test_warc_folder_that_cannot_be_made_stops_the_crawl_before_it_starts(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = newsarchive("crawl", "turan", "--base-url", "http://127.0.0.1:9", "--db", str(tmp_path / "a.db"),
                         "--warc", str(blocker / "warc"))
    assert result.returncode == 4 and "cannot make the WARC folder" in result.stderr, result.stderr

"""Web archives in (issue 14): Common Crawl's path offline (a CDX index and WARC byte ranges served
from 127.0.0.1), resuming after kill -9, and bad input: damaged WARCs, a file that is no WARC, an ARC
file, a WACZ without its index, a CDX server answering 429, 503, garbage or nothing."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from replica.server import running_replica
from tests.conftest import ROOT, newsarchive
from tests.webarchives import CommonCrawlLike, articles, differences, serving, table_counts, wget_warc

pytestmark = pytest.mark.crawl
ARTICLES = 40


@dataclass
class Site:
    base: str
    direct: Path
    warc: Path
    tmp: Path
    responses: list[tuple[int, str]]  # (offset, URL) of each 200 HTML response record, in file order


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("faults")
    with running_replica(articles=ARTICLES, seed=3) as base:
        direct = tmp / "direct.db"
        done = newsarchive("crawl", "turan", "--base-url", base, "--db", str(direct), "--quiet")
        assert done.returncode == 0, done.stdout + done.stderr
        warc = wget_warc(base, tmp / "site")
    responses = []
    with warc.open("rb") as fh:
        iterator = ArchiveIterator(fh)
        for record in iterator:
            if record.rec_type == "response" and record.http_headers.get_statuscode() == "200":
                responses.append((iterator.get_record_offset(), record.rec_headers.get_header("WARC-Target-URI")))
    yield Site(str(base), direct, warc, tmp, responses)


def _import(s: Site, db: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    return newsarchive("import", *map(str, files), "--db", str(db), "--site", "turan", "--base-url", s.base,
                       "--quiet")


def _complaints(done: subprocess.CompletedProcess[str]) -> list[str]:
    assert "Traceback" not in done.stderr, done.stderr
    return [line for line in done.stderr.splitlines() if line.startswith("newsarchive")]


def _articles_before(s: Site, offset: int) -> set[str]:
    """The direct crawl's articles that have a response record before `offset` in the WARC."""
    urls = {url for at, url in s.responses if at < offset}
    return set(articles(s.direct)) & urls


def _member(s: Site, index: int) -> tuple[int, int]:
    """(offset, length) of the gzip member holding the index-th 200 response (in the file's middle)."""
    offset = s.responses[index][0]
    following = [at for at, _ in s.responses if at > offset]
    return offset, (following[0] if following else s.warc.stat().st_size) - offset


def test_a_corrupt_gzip_member_stops_that_file_there(site: Site) -> None:
    offset, _ = _member(site, len(site.responses) // 2)
    data = bytearray(site.warc.read_bytes())
    data[offset + 40: offset + 80] = b"\xff" * 40
    bad = site.tmp / "corrupt.warc.gz"
    bad.write_bytes(bytes(data))
    db = site.tmp / "corrupt.db"
    done = _import(site, db, bad)
    assert done.returncode == 3, done.stdout + done.stderr
    (line,) = _complaints(done)
    assert "corrupt.warc.gz" in line and f"byte {offset}" in line and "before it are imported" in line
    expected = _articles_before(site, offset)
    assert len(expected) > 5 and set(articles(db)) == expected


def test_a_truncated_record_at_the_end(site: Site) -> None:
    offset, length = _member(site, len(site.responses) // 2)
    cut = site.tmp / "cut.warc.gz"
    cut.write_bytes(site.warc.read_bytes()[: offset + length // 2])
    db = site.tmp / "cut.db"
    done = _import(site, db, cut)
    assert done.returncode == 3
    (line,) = _complaints(done)
    assert "truncated" in line and f"byte {offset}" in line
    assert set(articles(db)) == _articles_before(site, offset)


def test_a_wrong_content_length(site: Site) -> None:
    plain = gzip.decompress(site.warc.read_bytes())  # one member a record: an uncompressed WARC
    starts = [m.start() for m in re.finditer(rb"WARC/1\.0\r\nWARC-Type: response\r\n", plain)]
    at = starts[len(starts) // 2]
    header_end = plain.index(b"\r\n\r\n", at)
    header = plain[at:header_end]
    length = int(re.search(rb"Content-Length: (\d+)", header).group(1))  # type: ignore[union-attr]
    wrong = site.tmp / "wrong-length.warc"
    wrong.write_bytes(plain[:at] + header.replace(b"Content-Length: %d" % length, b"Content-Length: %d" % (length - 9))
                      + plain[header_end:])
    db = site.tmp / "wrong-length.db"
    done = _import(site, db, wrong)
    assert done.returncode == 3
    (line,) = _complaints(done)
    assert "Content-Length is wrong" in line and f"byte {at}" in line
    before = set()
    for start in starts[: len(starts) // 2]:
        block = plain[start: plain.index(b"\r\n\r\n", start)]
        before.add(re.search(rb"WARC-Target-URI: <?([^\s>]+)", block).group(1).decode())  # type: ignore[union-attr]
    assert len(before) > 20 and set(articles(db)) == set(articles(site.direct)) & before


def test_a_file_that_is_not_a_warc_and_nothing_archived_is_lost(site: Site) -> None:
    db = site.tmp / "mixed.db"
    assert _import(site, db, site.warc).returncode == 0
    counts = table_counts(db)
    junk = site.tmp / "notes.txt"
    junk.write_text("These are not the captures you are looking for.\n" * 50)
    done = _import(site, db, junk)
    assert done.returncode == 3
    assert _complaints(done) == [f"newsarchive import: {junk}: not a WARC or ARC file (no WARC/ or filedesc:// "
                                 "at its start): nothing imported from it"]
    assert table_counts(db) == counts
    check = newsarchive("check", "--db", str(db))
    assert check.returncode == 0, check.stdout + check.stderr


def _arc_file(s: Site, path: Path, url: str) -> str:
    """An ARC (version 1) file holding one article's captured response, as the Internet Archive wrote them."""
    with s.warc.open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response" and record.rec_headers.get_header("WARC-Target-URI") == url:
                block = record.http_headers.to_bytes() + record.content_stream().read()
                break
    desc = b"1 0 Newsarchive test\nURL IP-address Archive-date Content-type Archive-length\n"
    head = b"filedesc://test.arc 0.0.0.0 20190305101112 text/plain %d\n" % len(desc)
    line = f"{url} 127.0.0.1 20190305101112 text/html {len(block)}\n".encode()
    path.write_bytes(head + desc + b"\n" + line + block + b"\n")
    return url


def test_an_arc_file_is_imported_with_its_capture_date(site: Site) -> None:
    url = next(u for u in articles(site.direct) if u in {x for _, x in site.responses})
    arc = site.tmp / "old.arc"
    _arc_file(site, arc, url)
    db = site.tmp / "arc.db"
    done = _import(site, db, arc)
    assert done.returncode == 0, done.stdout + done.stderr
    assert differences(articles(db), {url: articles(site.direct)[url]}) == []
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT first_seen FROM articles").fetchone()[0].startswith("2019-03-05T10:11:12")


def _wacz(s: Site, path: Path, with_index: bool) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.write(s.warc, "archive/data.warc.gz", compress_type=zipfile.ZIP_STORED)
        zf.writestr("datapackage.json", json.dumps({"profile": "data-package", "resources": []}))
        if with_index:
            index = subprocess.run([str(ROOT / ".venv/bin/warcio"), "index", str(s.warc)], capture_output=True,
                                   text=True, check=True).stdout
            zf.writestr("indexes/index.cdx", index)


def test_a_wacz_and_a_wacz_without_its_index(site: Site) -> None:
    whole, partial = site.tmp / "good.wacz", site.tmp / "noindex.wacz"
    _wacz(site, whole, True)
    _wacz(site, partial, False)
    good = _import(site, site.tmp / "wacz.db", whole)
    assert good.returncode == 0 and _complaints(good) == []
    assert differences(articles(site.tmp / "wacz.db"), articles(site.direct)) == []
    done = _import(site, site.tmp / "noindex.db", partial)
    assert done.returncode == 3
    (line,) = _complaints(done)
    assert "without its index" in line and "noindex.wacz" in line
    assert differences(articles(site.tmp / "noindex.db"), articles(site.direct)) == []


# --- Common Crawl, offline -----------------------------------------------------------------------


def _from_cc(s: Site, server: str, db: Path, *extra: str) -> list[str]:
    return ["crawl", "turan", "--from", "commoncrawl", "--collection", "CC-TEST", "--cdx", f"{server}/CC-TEST-index",
            "--base-url", s.base, "--db", str(db), "--quiet", "-s", f"CDX_REPLAY={server}/",
            "-s", "DOWNLOAD_DELAY=0", *extra]


def test_crawl_from_common_crawl_pages_and_byte_ranges(site: Site) -> None:
    cc = CommonCrawlLike(site.warc)
    db = site.tmp / "cc.db"
    with serving(cc) as server:
        done = newsarchive(*_from_cc(site, server, db, "-s", "CDX_PAGE_SIZE=150"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert differences(articles(db), articles(site.direct)) == []
    listings = [r for r in cc.requests if "-index?" in r]
    assert len(listings) >= 3 and "resumeKey=" not in listings[0] and all("resumeKey=" in r for r in listings[1:])
    assert sum(r.startswith("/data/") for r in cc.requests) >= len(articles(db))


def test_crawl_from_common_crawl_resumes_after_kill_9(site: Site) -> None:
    cc = CommonCrawlLike(site.warc, delay=0.15)
    db = site.tmp / "cc-killed.db"
    with serving(cc) as server:
        args = _from_cc(site, server, db, "-s", "CDX_PAGE_SIZE=120", "-s", "ARCHIVE_FLUSH_SECONDS=0.5",
                        "-s", "ARCHIVE_BATCH_SIZE=5")
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("NEWSARCHIVE_DB", None)
        proc = subprocess.Popen([sys.executable, "-m", "newsarchive", *args], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        key = None
        while time.monotonic() < deadline and key is None and proc.poll() is None:
            time.sleep(0.3)
            if db.exists():
                with contextlib.suppress(sqlite3.OperationalError), sqlite3.connect(db) as conn:
                    row = conn.execute("SELECT resume_key FROM cdx_progress").fetchone()
                    key = row[0] if row else None
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert key is not None, "the listing's place was never written"
        with sqlite3.connect(db) as conn:
            archived = conn.execute("SELECT url, first_fetched, last_fetched FROM pages").fetchall()
        cc.delay, before = 0.0, len(cc.requests)
        done = newsarchive(*args)
        assert done.returncode == 0, done.stdout + done.stderr
        again = cc.requests[before:]
    assert differences(articles(db), articles(site.direct)) == []
    assert f"resumeKey={key}" in next(r for r in again if "-index?" in r)  # on from its place, not the start
    by_start = {r["offset"]: (r["url"], _iso(r["timestamp"])) for r in cc.rows}
    refetched = [by_start[r.split("bytes=")[1].split("-")[0]] for r in again if r.startswith("/data/")]
    done_before = [c for c in refetched if any(u == c[0] and first <= c[1] <= last for u, first, last in archived)]
    assert archived and refetched and done_before == []  # no capture archived before the kill is asked again


def _iso(timestamp: str) -> str:
    return (f"{timestamp[:4]}-{timestamp[4:6]}-{timestamp[6:8]}T{timestamp[8:10]}:{timestamp[10:12]}:"
            f"{timestamp[12:14]}.000+00:00")


@pytest.mark.parametrize("mode", ["429", "503", "garbage", "nothing"])
def test_a_cdx_server_that_fails_gets_one_line_and_loses_nothing(site: Site, mode: str) -> None:
    db = site.tmp / f"cdx-{mode}.db"
    assert _import(site, db, site.warc).returncode == 0
    counts = table_counts(db)
    cc = CommonCrawlLike(site.warc, mode=mode)
    with serving(cc) as server:
        # A server that never answers costs DOWNLOAD_TIMEOUT per try, a 429 its Retry-After (at most
        # RETRY_AFTER_MAX): 3 s and 1 s here, not the defaults' 30 and 60.
        done = newsarchive(*_from_cc(site, server, db, "-s", "RETRY_TIMES=1", "-s", "DOWNLOAD_TIMEOUT=3",
                                     "-s", "RETRY_AFTER_MAX=1"))
    assert done.returncode == 4, done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("newsarchive crawl:")]
    assert len(lines) == 1 and "CDX server" in lines[0], done.stderr
    assert table_counts(db) == counts


def test_import_and_crawl_from_refuse_bad_usage_and_unusable_archives_in_one_line(site: Site) -> None:
    other = site.tmp / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    before = other.read_bytes()
    done = newsarchive("import", str(site.warc), "--db", str(other))
    assert done.returncode == 4
    assert "not a newsarchive archive" in " ".join(_complaints(done)) and len(_complaints(done)) == 1
    assert other.read_bytes() == before
    for args in (("import", str(site.tmp / "absent.warc.gz")), ("import", str(site.warc), "--base-url", site.base),
                 ("crawl", "turan", "--from", "commoncrawl"), ("crawl", "--from", "wayback"),
                 ("crawl", "turan", "--cdx", "http://127.0.0.1:9/cdx")):
        done = newsarchive(*args, "--db", str(site.tmp / "never.db"))
        assert done.returncode == 2, done.stdout + done.stderr
        assert len([line for line in done.stderr.splitlines() if line.startswith("Error:")]) == 1, done.stderr
    assert not (site.tmp / "never.db").exists()

"""Test helpers for web archives (issue 14): wget's WARCs of the replica, pywb in its own venv, a
Common Crawl-like server (CDX index + WARC byte ranges) on 127.0.0.1, and archive comparisons."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.read import get_article
from archive.store import Archive
from tests.conftest import ROOT

WGET = "/usr/bin/wget"
PYWB_VENV = ROOT / ".venv-pywb"
# Fields of an article that say what it is; the times say when it was fetched, which differs by design.
FIELDS = ("url", "canonical_url", "site", "article_id", "language", "section", "title", "authors", "tags",
          "published", "published_raw", "modified", "modified_raw", "body", "is_partial", "content_hash",
          "captions")


def wget_warc(base: str, prefix: Path) -> Path:
    """Debian's wget mirrors the replica (its three language homepages, links followed) into a WARC."""
    starts = [f"{base}/{lang}" for lang in ("az", "en", "ru")]
    cwd = prefix.parent
    done = subprocess.run(
        [WGET, "-q", "-r", "-l", "inf", "--delete-after", "--no-directories", f"--warc-file={prefix.name}", *starts],
        cwd=cwd, capture_output=True, text=True, timeout=600, check=False,
    )
    path = cwd / f"{prefix.name}.warc.gz"
    assert path.exists(), f"wget wrote no WARC (exit {done.returncode}): {done.stderr[-500:]}"
    return path


def articles(db: Path) -> dict[str, dict[str, Any]]:
    """Every archived article, its content fields and comments (without fetch times)."""
    with Archive.open(db, create=False, readonly=True) as archive:
        urls = [row[0] for row in archive.conn.execute("SELECT url FROM articles ORDER BY url")]
        found = {url: get_article(archive, url) for url in urls}
    out: dict[str, dict[str, Any]] = {}
    for url, article in found.items():
        assert article is not None
        record = {f: article[f] for f in FIELDS}
        # The parsed captions, without the photo a live crawl also fetched (issue 20): an import or a
        # Wayback crawl archives the pages it reads, not the images they show.
        record["captions"] = [{k: v for k, v in c.items() if k != "photo"} for c in article["captions"]]
        record["comments"] = _comments(article["comments"])
        out[url] = record
    return out


def _comments(comments: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    flat: list[tuple[Any, ...]] = []
    for c in comments:
        flat.append((c["comment_id"], c["parent_id"], c["author"], c["published_raw"], c["text"]))
        flat.extend(_comments(c.get("replies", [])))
    return sorted(flat)


def differences(got: dict[str, dict[str, Any]], want: dict[str, dict[str, Any]]) -> list[str]:
    problems = [f"missing {u}" for u in sorted(set(want) - set(got))]
    problems += [f"extra {u}" for u in sorted(set(got) - set(want))]
    for url in sorted(set(got) & set(want)):
        wrong = [f for f in want[url] if got[url][f] != want[url][f]]
        if wrong:
            problems.append(f"{url}: {', '.join(wrong)}")
    return problems


def fetches(db: Path) -> int:
    """Pages fetched in all (a page fetched again with the same bytes counts once more)."""
    with Archive.open(db, create=False, readonly=True) as archive:
        return int(archive.conn.execute("SELECT coalesce(sum(fetch_count), 0) FROM pages").fetchone()[0])


def table_counts(db: Path, tables: tuple[str, ...] = ("articles", "article_versions", "comments", "pages",
                                                          "page_bodies", "failures")) -> dict[str, int]:
    with Archive.open(db, create=False, readonly=True) as archive:
        return {t: archive.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


# --- pywb, in a venv of its own (its pins do not fit the project's) ----------------------------------


def pywb_bin() -> Path:
    """pywb's commands, installing pywb into .venv-pywb if it is not there (.ci/run does it first)."""
    wayback = PYWB_VENV / "bin" / "wayback"
    if not wayback.exists():
        made = subprocess.run([sys.executable, "-m", "venv", str(PYWB_VENV)], capture_output=True, check=False)
        pip = subprocess.run([str(PYWB_VENV / "bin" / "pip"), "install", "-q", "pywb"], capture_output=True,
                             text=True, check=False, timeout=900) if made.returncode == 0 else None
        if pip is None or pip.returncode != 0 or not wayback.exists():
            pytest.skip(f"pywb could not be installed into {PYWB_VENV}: "
                        f"{(pip.stderr if pip else made.stderr)!s:.300}")
    return wayback.parent


@contextlib.contextmanager
def running_pywb(folder: Path, warcs: list[Path], collection: str = "coll") -> Iterator[str]:
    """wb-manager init/add, then `wayback` on a free 127.0.0.1 port; yields http://127.0.0.1:PORT."""
    bin_dir = pywb_bin()
    folder.mkdir(parents=True, exist_ok=True)
    for args in (["init", collection], ["add", collection, *map(str, warcs)]):
        done = subprocess.run([str(bin_dir / "wb-manager"), *args], cwd=folder, capture_output=True, text=True,
                              check=False, timeout=300)
        assert done.returncode == 0, done.stderr[-800:]
    port = free_port()
    log = (folder / "wayback.log").open("wb")
    proc = subprocess.Popen([str(bin_dir / "wayback"), "-p", str(port), "-b", "127.0.0.1"], cwd=folder,
                            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/{collection}/cdx?url=example.com&output=json")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


# --- Common Crawl, offline: a CDX index server and WARC byte ranges ----------------------------------


@dataclass
class CommonCrawlLike:
    """Serves /CC-TEST-index (CDX JSON lines, limit + showResumeKey like the Wayback Machine) and
    /data/<file> (Range requests). `mode` makes the index misbehave: "429", "503", "garbage", "nothing"."""

    warc: Path
    rows: list[dict[str, str]] = field(default_factory=list)
    mode: str = "ok"
    delay: float = 0.0  # seconds before each data answer (to kill a crawl midway)
    requests: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        with self.warc.open("rb") as fh:
            iterator = ArchiveIterator(fh)
            for record in iterator:
                if record.rec_type != "response":
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                date = record.rec_headers.get_header("WARC-Date")
                status = record.http_headers.get_statuscode()
                mime = (record.http_headers.get_header("Content-Type") or "").split(";")[0]
                digest = record.rec_headers.get_header("WARC-Payload-Digest") or ""
                record.raw_stream.read()
                iterator.read_to_end()
                self.rows.append({
                    "url": url, "timestamp": "".join(c for c in date if c.isdigit())[:14], "status": status,
                    "mime": mime, "digest": digest.removeprefix("sha1:"), "filename": f"data/{self.warc.name}",
                    "offset": str(iterator.get_record_offset()), "length": str(iterator.get_record_length()),
                })
        self.rows.sort(key=lambda r: (r["url"], r["timestamp"]))

    def handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                server.requests.append(f"{self.path} {self.headers.get('Range') or ''}".strip())
                parts = urllib.parse.urlsplit(self.path)
                if parts.path.endswith("-index"):
                    server.index(self, dict(urllib.parse.parse_qsl(parts.query)))
                elif parts.path.startswith("/data/"):
                    server.data(self)
                else:
                    self.send_error(404)

        return Handler

    def index(self, h: BaseHTTPRequestHandler, query: dict[str, str]) -> None:
        if self.mode in ("429", "503"):
            h.send_response(int(self.mode))
            h.send_header("Retry-After", "0")
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        if self.mode == "nothing":  # the connection closes with no answer
            h.close_connection = True
            h.connection.shutdown(socket.SHUT_RDWR)
            return
        if self.mode == "garbage":
            body = b"<html><body>Service temporarily unavailable</body></html>"
        else:
            start = int(query.get("resumeKey", "0") or 0)
            since = query.get("from", "")
            rows = [r for r in self.rows if r["timestamp"] >= since.ljust(14, "0")] if since else self.rows
            limit = int(query.get("limit", "0") or 0) or len(rows)
            page = rows[start:start + limit]
            lines = [json.dumps(r) for r in page]
            if query.get("showResumeKey") == "true" and start + limit < len(rows):
                lines.append(json.dumps({"resumeKey": str(start + limit)}))
            body = ("\n".join(lines) + "\n").encode()
        h.send_response(200)
        h.send_header("Content-Type", "text/plain")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    def data(self, h: BaseHTTPRequestHandler) -> None:
        time.sleep(self.delay)
        blob = self.warc.read_bytes()
        first, _, last = (h.headers.get("Range") or "").removeprefix("bytes=").partition("-")
        if not first.isdigit():
            h.send_error(416)
            return
        chunk = blob[int(first): int(last) + 1 if last.isdigit() else None]
        h.send_response(206)
        h.send_header("Content-Type", "application/warc")
        h.send_header("Content-Range", f"bytes {first}-{int(first) + len(chunk) - 1}/{len(blob)}")
        h.send_header("Content-Length", str(len(chunk)))
        h.end_headers()
        h.wfile.write(chunk)


@contextlib.contextmanager
def serving(cc: CommonCrawlLike) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), cc.handler())
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def env_without_db() -> dict[str, str]:
    env = {**os.environ}
    env.pop("NEWSARCHIVE_DB", None)
    return env

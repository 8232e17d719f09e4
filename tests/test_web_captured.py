"""`newsarchive serve`: an article links to its page as captured, served sandboxed.

A captured page carrying an inline script, an onerror handler, a script, a stylesheet, an image
and a frame from another origin (a second server on 127.0.0.1 that logs what it is asked for) is
opened in real headless Chromium from the article's link: no script runs and nothing is fetched
from the other origin, while the page's own text is shown.
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import ClassVar

import pytest

from archive.store import Archive, ArticleRecord, PageRecord
from scrapers.parsers.article import Article
from tests.conftest import ROOT
from tests.test_web_ui import DevTools, browser, free_port, get, wait_http

__all__ = ["browser"]  # the Chromium fixture, shared with test_web_ui
MARKER = "capturedpagemarker"


class _Beacon(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Beacon.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"x")

    def log_message(self, *args: object) -> None:
        pass


def hostile_page(beacon: str) -> bytes:
    return f"""<!DOCTYPE html><html><head><title>Captured {MARKER}</title>
<link rel="stylesheet" href="{beacon}/style.css">
<script>window.__pwned = 1; document.title = 'pwned'; fetch('{beacon}/fetch');</script>
<script src="{beacon}/script.js"></script></head>
<body><h1>Budget passes {MARKER}</h1><p>The parliament approved the budget.</p>
<img src="{beacon}/image.png"><img src="x" onerror="window.__pwned = 2; document.title = 'pwned'">
<iframe src="{beacon}/frame.html"></iframe>
<form action="{beacon}/form"><input name="q"></form></body></html>""".encode()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, bytes, str]]:
    beacon = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Beacon)
    threading.Thread(target=beacon.serve_forever, daemon=True).start()
    beacon_url = f"http://127.0.0.1:{beacon.server_address[1]}"
    db = tmp_path_factory.mktemp("captured") / "archive.db"
    body = hostile_page(beacon_url)
    fetched = datetime(2025, 3, 1, tzinfo=UTC)
    url = "https://news.example/en/politics/budget-1"
    page = PageRecord(url, 200, {"Content-Type": "text/html; charset=utf-8"}, body, fetched, url,
                      "text/html; charset=utf-8")
    article = Article(url=url, site="example", language="en", section="politics", title=f"Budget passes {MARKER}",
                      body="The parliament approved the budget.")
    with Archive.open(db) as archive:
        archive.write_batch(articles=[ArticleRecord(article, page, fetched)])
        (article_id,) = archive.conn.execute("SELECT id FROM articles").fetchone()
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "serve", "--db", str(db), "--port", str(port)],
        cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/-/versions.json")
        yield base, article_id, body, page.sha256
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        beacon.shutdown()


def test_captured_page_is_the_stored_bytes_under_a_sandbox(served: tuple[str, int, bytes, str]) -> None:
    import urllib.request

    base, article_id, body, page_hash = served
    status, html = get(f"{base}/archive/articles/{article_id}")
    assert status == 200 and f'href="/archive/-/captured/{page_hash}"' in html
    with urllib.request.urlopen(f"{base}/archive/-/captured/{page_hash}", timeout=10) as r:
        assert r.status == 200 and r.read() == body
        policy = r.headers["Content-Security-Policy"]
        assert r.headers["Content-Type"] == "text/html; charset=utf-8"
        assert r.headers["X-Content-Type-Options"] == "nosniff"
    directives = [d.strip() for d in policy.split(";")]
    assert directives[0] == "sandbox" and "default-src 'none'" in directives
    assert not any("allow-scripts" in d or "script-src" in d for d in directives)
    assert get(f"{base}/archive/-/captured/{'0' * 64}")[0] == 404
    assert get(f"{base}/nosuchdb/-/captured/{page_hash}")[0] == 404


def test_captured_page_runs_no_script_and_loads_nothing_elsewhere_in_chromium(
    served: tuple[str, int, bytes, str], browser: DevTools,
) -> None:
    base, article_id, _, _ = served
    _Beacon.hits.clear()
    browser.load(f"location.href = {json.dumps(f'{base}/archive/articles/{article_id}')}")
    browser.load("document.querySelector('a.na-captured').click()")
    assert "/-/captured/" in browser.js("location.pathname")
    assert browser.js("document.querySelector('h1').textContent") == f"Budget passes {MARKER}"
    assert browser.js("document.querySelectorAll('script').length") == 2  # there, and inert
    assert browser.js("typeof window.__pwned") == "undefined"
    assert browser.js("document.title") == f"Captured {MARKER}"
    assert _Beacon.hits == []  # no image, stylesheet, script, frame or fetch reached the other origin

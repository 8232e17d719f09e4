"""`newsarchive serve`: the archive in Datasette, over real HTTP, and in real headless Chromium.

The archive is written from the replica's ground truth through the archive's write API, plus one
article whose title, body, caption and comments carry script and onerror payloads.  Chromium is
driven over the DevTools protocol (a small websocket client on the standard library): open the
UI, search, see a highlighted result, open the article, see its comments, and check that no
payload ran.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from archive.search import Filters, search
from archive.store import Archive, ArticleRecord
from replica.site import ReplicaSite
from scrapers.parsers.article import Article, Caption, Comment
from tests.conftest import ROOT

pytestmark = pytest.mark.crawl  # every test here starts a real crawl (or a browser)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
MARKER = "xsspayloadmarker"
SCRIPT = "<script>window.__pwned=1;document.title='pwned'</script>"
IMG = "<img src=x onerror=\"window.__pwned=2;document.title='pwned'\">"
FETCHED = datetime(2025, 3, 1, tzinfo=UTC)


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def truth_article(t: dict[str, Any]) -> Article:
    return Article(
        url=t["url"], canonical_url=t["canonical_url"], site=t["site"], article_id=t["article_id"],
        language=t["language"], section=t["section"], title=t["title"], authors=list(t["authors"]),
        published=_dt(t["published"]), published_raw=t["published_raw"], body=t["body"], tags=list(t["tags"]),
        is_partial=t["is_partial"],
        captions=[Caption(c["image_url"], c["text"], c["credit"], c["credit_url"]) for c in t["captions"]],
        comments=[Comment(c["comment_id"], c["parent_id"], c["author"], _dt(c["published"]), c["published_raw"],
                          c["text"]) for c in t["comments"]],
    )


def hostile_article() -> Article:
    return Article(
        url="https://news.example/en/politics/hostile-1", site="example", article_id="1", language="en",
        section="politics", title=f"Aliyev {MARKER} {SCRIPT} {IMG}",
        body=f"First paragraph about Aliyev and {MARKER}.\n\n{SCRIPT}\n\n{IMG} and more text.",
        published=datetime(2024, 5, 1, tzinfo=UTC), authors=[f"Mallory {IMG}"],
        captions=[Caption("javascript:alert(1)", f"Caption {MARKER} {IMG}", f"Credit {SCRIPT}")],
        comments=[
            Comment("h1", None, f"Eve {SCRIPT}", None, "today", f"Top comment {MARKER} {IMG}"),
            Comment("h2", "h1", "Bob", None, None, f"A reply {SCRIPT}"),
        ],
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    db = tmp_path_factory.mktemp("web") / "archive.db"
    site = ReplicaSite(seed=3, articles=80)
    with Archive.open(db) as archive:
        records = [ArticleRecord(truth_article(t), None, FETCHED) for t in site.ground_truth("https://turan.az")]
        archive.write_batch(articles=[*records, ArticleRecord(hostile_article(), None, FETCHED)])
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "serve", "--db", str(db), "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/-/versions.json")
        yield base, db
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# --- the JSON API: the CLI's searches over HTTP -----------------------------------------------


def test_canned_search_is_the_cli_search(server: tuple[str, Path]) -> None:
    base, db = server
    for query, extra in (("Aliyev", {}), ("Алиев", {"lang": "ru"}), ('"Ilham Aliyev" OR Putin', {"sort": "date"})):
        name = "search_by_date" if extra.pop("sort", None) else "search"
        qs = urllib.parse.urlencode({"q": query, "_shape": "array", "_json": "snippet", "limit": "100", **extra})
        status, text = get(f"{base}/archive/{name}.json?{qs}")
        assert status == 200, text
        rows = json.loads(text)
        with Archive.open(db, create=False, readonly=True) as archive:
            sort = "date" if name == "search_by_date" else "relevance"
            hits = search(archive, query, Filters(**extra), limit=100, sort=sort)
        assert [r["id"] for r in rows] == [h.id for h in hits] and rows
        assert rows[0]["snippet"]["text"] == hits[0].snippet
        assert [tuple(r) for r in rows[0]["snippet"]["highlights"]] == hits[0].highlights


def test_malformed_query_over_http_is_one_clear_line(server: tuple[str, Path]) -> None:
    base, _ = server
    status, text = get(f"{base}/archive/search_check.json?_shape=array&q=" + urllib.parse.quote('"Aliyev'))
    assert status == 200 and json.loads(text)[0]["error"].startswith("unclosed quote")
    status, text = get(f"{base}/archive/search.json?_shape=array&q=" + urllib.parse.quote("(Aliyev"))
    assert status == 200 and json.loads(text) == []  # no rows, no SQL error
    status, html = get(f"{base}/archive/search?q=" + urllib.parse.quote("(Aliyev"))
    assert status == 200 and "unclosed &#39;(&#39;" in html and "Traceback" not in html


def test_facets_and_read_only(server: tuple[str, Path]) -> None:
    base, db = server
    status, text = get(f"{base}/archive/articles.json?_shape=objects&_size=1")
    facets = json.loads(text)["facet_results"]
    assert {"site", "language", "section", "published"} <= set(facets)
    assert facets["published"]["type"] == "month"
    month = facets["published"]["results"][0]
    status, text = get(f"{base}/archive/articles.json?_shape=objects&published__startswith={month['value']}")
    assert len(json.loads(text)["rows"]) == min(month["count"], 50)
    status, text = get(f"{base}/archive.json?sql=" + urllib.parse.quote("delete from articles"))
    assert status == 400
    status, text = get(f"{base}/archive/articles.json?_size=0&_shape=objects")
    with Archive.open(db, create=False, readonly=True) as archive:
        assert json.loads(text)["filtered_table_rows_count"] == archive.db["articles"].count


def test_scraped_text_is_escaped_in_the_html(server: tuple[str, Path]) -> None:
    base, db = server
    with Archive.open(db, create=False, readonly=True) as archive:
        (hostile_id,) = archive.conn.execute("SELECT id FROM articles WHERE site = 'example'").fetchone()
    _, page = get(f"{base}/archive/search?q={MARKER}")
    _, article = get(f"{base}/archive/articles/{hostile_id}?q=Aliyev")
    for html in (page, article):
        assert "<script>window.__pwned" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned" in article and "&lt;img src=x onerror=" in article
    assert 'href="javascript:' not in article


# --- real headless Chromium -------------------------------------------------------------------


class DevTools:
    """A minimal Chrome DevTools Protocol client: one websocket, JSON commands, waited events."""

    def __init__(self, ws_url: str) -> None:
        parts = urllib.parse.urlsplit(ws_url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        assert b" 101 " in head.split(b"\r\n")[0], head
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def _read(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            data += chunk
        return data

    def _message(self) -> dict[str, Any]:
        payload = b""
        while True:
            b1, b2 = self._read(2)
            length = b2 & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._read(8))[0]
            payload += self._read(length)
            if b1 & 0x80:  # FIN
                return dict(json.loads(payload))

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        data = json.dumps({"id": self.next_id, "method": method, "params": params}).encode()
        mask = os.urandom(4)
        header = bytes([0x81])
        n = len(data)
        header += bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack(">H", n)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))
        while True:
            message = self._message()
            if message.get("id") == self.next_id:
                assert "error" not in message, message
                return dict(message.get("result", {}))
            self.events.append(message)

    def wait(self, event: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == event for e in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(event)
            self.events.append(self._message())
        self.events.clear()

    def js(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def load(self, action: str) -> None:
        """Runs `action` (JavaScript that navigates) and waits for the new page to load."""
        self.events.clear()
        self.js(action)
        self.wait("Page.loadEventFired")
        time.sleep(0.3)  # let a failing <img> fire its onerror, were there one

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevTools]:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run installs it)")
    profile = tmp_path_factory.mktemp("chromium-profile")
    proc = subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         "--remote-debugging-port=0", "--window-size=1200,900", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or proc.poll() is not None:
                pytest.fail("chromium did not start its DevTools endpoint")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
            page = next(t for t in json.load(r) if t["type"] == "page")
        devtools = DevTools(page["webSocketDebuggerUrl"])
        devtools.call("Page.enable")
        devtools.call("Runtime.enable")
        yield devtools
        devtools.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_search_open_article_read_comments_in_chromium(server: tuple[str, Path], browser: DevTools) -> None:
    base, _ = server
    browser.load(f"location.href = {json.dumps(base + '/archive')}")
    assert browser.js("document.querySelector('form.na-search input[name=q]') !== null")
    # search from the database page's box
    browser.load("document.querySelector('form.na-search input[name=q]').value = 'Aliyev';"
                 "document.querySelector('form.na-search input[type=submit]').click()")
    assert browser.js("location.pathname") == "/archive/search"
    marks = browser.js("[...document.querySelectorAll('.na-result mark')].map(m => m.textContent)")
    assert marks and set(marks) <= {"Aliyev", "Əliyev", "Алиев", "Алиева", "Aliyeva"} - {"Aliyeva"}
    # only articles with comments, then open the first one
    browser.load("document.querySelector('input[name=has_comments]').checked = true;"
                 "document.querySelector('.na-search-form input[type=submit]').click()")
    assert "has_comments=1" in browser.js("location.search")
    expected = browser.js("parseInt(document.querySelector('.na-result .na-meta').textContent.split('·').pop())")
    browser.load("document.querySelector('.na-result .na-title a').click()")
    assert browser.js("location.pathname").startswith("/archive/articles/")
    assert browser.js("document.querySelectorAll('.na-body p').length") > 0
    assert browser.js("document.querySelectorAll('.na-body mark, h1 mark').length") > 0
    assert browser.js("document.querySelectorAll('.na-comment').length") == expected > 0
    authors = browser.js("[...document.querySelectorAll('.na-comment-author')].map(a => a.textContent)")
    assert all(authors)


def test_script_and_onerror_payloads_render_as_inert_text(server: tuple[str, Path], browser: DevTools) -> None:
    base, _ = server
    browser.load(f"location.href = {json.dumps(base + '/archive/search?q=' + MARKER)}")
    assert browser.js("document.querySelectorAll('.na-result').length") == 1
    for page in ("search results", "article"):
        assert browser.js("typeof window.__pwned") == "undefined", page
        assert browser.js("document.title") != "pwned", page
        assert browser.js("document.querySelectorAll('main img, .na-result img, .na-article img').length") == 0
        assert browser.js("document.querySelectorAll('.na-article script, .na-result script').length") == 0
        text = browser.js("document.body.innerText")
        assert "<script>window.__pwned=1" in text and "onerror=" in text, page
        if page == "search results":
            browser.load("document.querySelector('.na-result .na-title a').click()")
    assert browser.js("document.querySelectorAll('.na-comment').length") == 2
    assert browser.js("document.querySelectorAll('.na-comment .na-comment').length") == 1  # the reply, nested

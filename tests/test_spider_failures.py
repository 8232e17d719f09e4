"""A failed URL is recorded alike by every spider (scrapers/spiders/base.py): the URL the spider
asked for, not the last hop of its redirects, and `attempts` = every request sent for it.

The generic spider used to record the redirect's target and attempts=1 after three tries (its
errback was a drifted copy of the profile spider's); the turan spider's faults are in test_faults.py."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from replica.httpd import SiteHandler, SiteServer
from tests.conftest import newsarchive

pytestmark = pytest.mark.crawl

ASKED = "/2024/05/01/a-story-that-keeps-failing/"  # an article URL to the generic classifier
MOVED = "/2024/05/01/a-story-that-moved/"


class FailingSite(SiteHandler):
    """A homepage linking to one article, which redirects to a page that always answers 503."""

    def handle_request(self, head: bool) -> None:
        if self.path == "/":
            status, body, extra = 200, f'<html><body><a href="{ASKED}">story</a></body></html>', {}
        elif self.path == ASKED:
            status, body, extra = 301, "", {"Location": self.base() + MOVED}
        elif self.path == MOVED:
            status, body, extra = 503, "<html><body>Service Unavailable</body></html>", {}
        else:
            status, body, extra = 404, "<html><body>Not found</body></html>", {}
        data = body.encode()
        self.send_response(status)
        for name, value in {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(data)),
                            **extra}.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(data)
        self.owner.log(self.command, self.path, status)


def test_generic_spider_records_the_url_asked_and_every_attempt(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    server = SiteServer(None, FailingSite).start()
    try:
        done = newsarchive("crawl", "--start", server.base_url + "/", "--db", str(db), "--quiet",
                           "-s", "RETRY_TIMES=2", "-s", "AUTOTHROTTLE_ENABLED=False", timeout=120)
        sent = sum(1 for _, path, _ in server.requests if path == MOVED)
    finally:
        server.close()
    assert done.returncode in (0, 3), done.stderr
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT url, reason, status, attempts FROM failures").fetchall()
    assert sent == 3  # the first try and RETRY_TIMES=2 retries
    assert rows == [(server.base_url + ASKED, "http_503", 503, 3)]

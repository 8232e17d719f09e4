"""A tiny hostile web site for tests/test_hostile.py: an HTTP server on 127.0.0.1 (a free port) that
answers each path from a table of routes and logs every request it gets, so a test can say what a
crawl fetched, and that a second server standing in for an "internal" host was never asked."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import cast

from tests.conftest import ROOT

Route = Callable[[BaseHTTPRequestHandler], None]
_TEXT = ("minister talks budget parliament vote reform city council report week market energy price court "
         "ruling school teachers strike river flood rescue museum opening festival crowd")
WORDS = _TEXT.split()


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # quiet: the test reads `requests`
        pass

    def do_GET(self) -> None:
        site = cast(LocalSite, self.server)
        site.requests.append(self.path)
        route = site.routes.get(self.path.split("?")[0])
        if route is None:
            send(self, 404, b"not here", "text/plain")
            return
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the crawler hung up (a limit)
            route(self)


class LocalSite(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[str] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def serving(site: LocalSite) -> Iterator[LocalSite]:
    """Serves `site` in a thread for the duration of the block."""
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.shutdown()
        site.server_close()


def running(routes: dict[str, Route] | None = None) -> contextlib.AbstractContextManager[LocalSite]:
    return serving(LocalSite(routes))


# --- answers -------------------------------------------------------------------------------------
def send(h: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
         headers: dict[str, str] | None = None) -> None:
    h.send_response(status)
    h.send_header("Content-Type", content_type)
    h.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        h.send_header(name, value)
    h.end_headers()
    h.wfile.write(body)


def html(text: str) -> Route:
    return lambda h: send(h, 200, text.encode())


def raw(body: bytes, content_type: str, headers: dict[str, str] | None = None) -> Route:
    return lambda h: send(h, 200, body, content_type, headers)


def redirect(location: Callable[[], str] | str, status: int = 302) -> Route:
    def answer(h: BaseHTTPRequestHandler) -> None:
        target = location() if callable(location) else location
        send(h, status, b"", headers={"Location": target})
    return answer


def endless(chunk: bytes = b"<p>" + b"x" * 65_000 + b"</p>\n", pause: float = 0.0) -> Route:
    """A 200 whose body never ends (no Content-Length, closed only when the client goes)."""
    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.end_headers()
        while True:
            h.wfile.write(chunk)
            if pause:
                time.sleep(pause)
    return answer


# --- pages ---------------------------------------------------------------------------------------
def article_page(title: str, n: int = 0) -> str:
    """A plain news article the generic extractor and page-type check take as one."""
    words = [WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(400)]
    paras = "".join(f"<p>{' '.join(words[i:i + 50]).capitalize()}.</p>" for i in range(0, 400, 50))
    meta = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                       "datePublished": "2024-03-05T10:00:00Z", "author": {"@type": "Person", "name": "A Writer"}})
    return (f"<!DOCTYPE html><html lang='en'><head><title>{title}</title>"
            f"<script type='application/ld+json'>{meta}</script></head><body><header><a href='/'>Home</a></header>"
            f"<main><article><h1>{title}</h1><time datetime='2024-03-05T10:00:00Z'>5 March 2024</time>"
            f"<p class='byline'>By A Writer</p>{paras}</article></main><footer>(c) News</footer></body></html>")


def home_page(links: list[str]) -> str:
    items = "".join(f"<li><a href='{href}'>Story {i}</a></li>" for i, href in enumerate(links))
    return (f"<!DOCTYPE html><html lang='en'><head><title>News</title></head><body><main><h1>News</h1>"
            f"<ul>{items}</ul></main></body></html>")


def news_site(articles: int = 20) -> dict[str, Route]:
    """A homepage and `articles` dated article pages: the site every hostile case is added to."""
    routes: dict[str, Route] = {}
    for i in range(articles):
        routes[article_path(i)] = html(article_page(f"Council votes on the budget, part {i}", i))
    routes["/"] = html(home_page([article_path(i) for i in range(articles)]))
    return routes


def article_path(i: int) -> str:
    return f"/2024/03/05/council-votes-on-the-budget-part-{i}/"


# --- running a crawl and measuring it ------------------------------------------------------------
_MEASURE = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.call(sys.argv[1:])\n"
    "use = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(use.ru_maxrss, use.ru_utime + use.ru_stime, file=sys.stderr)\n"
    "sys.exit(rc)\n"
)


@dataclass
class Measured:
    code: int
    output: str  # stdout and stderr
    peak_mb: float  # the peak resident memory of its largest process
    cpu: float  # seconds of CPU of the command and its children (parse workers)


def newsarchive_measured(*args: str, timeout: float = 300) -> Measured:
    """Runs `newsarchive ARGS` as a child of a small wrapper that measures it."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("NEWSARCHIVE_DB", None)
    done = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, "-m", "newsarchive", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=timeout, check=False)
    lines = done.stderr.rstrip("\n").split("\n")
    peak_kb, cpu = lines[-1].split()
    return Measured(done.returncode, done.stdout + "\n".join(lines[:-1]), int(peak_kb) / 1024, float(cpu))

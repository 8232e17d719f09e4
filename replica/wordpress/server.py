"""Serve a WordPressSite over HTTP (standard library, threaded) with a log of every request."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import cast
from urllib.parse import unquote, urlsplit

from replica.wordpress.routes import respond
from replica.wordpress.site import WordPressSite

_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], owner: WordPressServer) -> None:
        self.owner = owner
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30
    disable_nagle_algorithm = True

    def version_string(self) -> str:
        return "Apache"

    def do_GET(self) -> None:
        self._handle(head=False)

    def do_HEAD(self) -> None:
        self._handle(head=True)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the request log is WordPressServer.requests."""

    def _handle(self, head: bool) -> None:
        owner = cast(_HTTPServer, self.server).owner
        parts = urlsplit(self.path)
        host = self.headers.get("Host", "")
        base = f"http://{host}" if _HOST.match(host) else owner.base_url
        response = respond(owner.site, unquote(parts.path) or "/", parts.query, base)
        owner.log(self.command, self.path, response.status)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("X-Powered-By", "PHP/8.2.12")
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(response.body)


class WordPressServer:
    """A bound server; ``requests`` logs (method, path with query, status) of every request."""

    def __init__(self, site: WordPressSite, host: str = "127.0.0.1", port: int = 0) -> None:
        self.site = site
        self.requests: list[tuple[str, str, int]] = []
        self._lock = threading.Lock()
        self._httpd = _HTTPServer((host, port), self)
        self._thread: threading.Thread | None = None
        self.host = host
        self.port = int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def log(self, method: str, path: str, status: int) -> None:
        with self._lock:
            self.requests.append((method, path, status))

    def serve_forever(self) -> None:
        self._httpd.serve_forever(poll_interval=0.1)

    def start(self) -> WordPressServer:
        self._thread = threading.Thread(target=self.serve_forever, name="wordpress-replica", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()


class WordPressURL(str):
    """The base URL yielded by running_wordpress; also carries the server and its site."""

    server: WordPressServer
    site: WordPressSite


@contextmanager
def running_wordpress(posts: int = 120, seed: int = 1, port: int = 0) -> Iterator[WordPressURL]:
    """Build a site, serve it on 127.0.0.1 (port 0: any free port) and yield its base URL."""
    site = WordPressSite(seed=seed, posts=posts)
    server = WordPressServer(site, port=port).start()
    try:
        url = WordPressURL(server.base_url)
        url.server, url.site = server, site
        yield url
    finally:
        server.close()

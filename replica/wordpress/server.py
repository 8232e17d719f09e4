"""Serve a WordPressSite over HTTP (standard library, threaded) with a log of every request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import unquote, urlsplit

from replica.httpd import SiteHandler, SiteServer
from replica.wordpress.routes import respond
from replica.wordpress.site import WordPressSite


class _Handler(SiteHandler):
    def version_string(self) -> str:
        return "Apache"

    def handle_request(self, head: bool) -> None:
        owner = self.owner
        parts = urlsplit(self.path)
        response = respond(owner.site, unquote(parts.path) or "/", parts.query, self.base())
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


class WordPressServer(SiteServer):
    """A bound server; ``requests`` logs (method, path with query, status) of every request."""

    site: WordPressSite

    def __init__(self, site: WordPressSite, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(site, _Handler, host, port)


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

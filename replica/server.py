"""Serve a ReplicaSite over HTTP with the standard library (threaded, quiet, HTTP/1.1 keep-alive)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import unquote, urlsplit

from replica import images
from replica.httpd import SiteHandler, SiteServer
from replica.pages import Response, article_head, respond
from replica.site import ReplicaSite
from replica.timefmt import http_date, parse_http_date


class _Handler(SiteHandler):
    def version_string(self) -> str:
        return "TuranReplica/1.0"

    def handle_request(self, head: bool) -> None:
        replica = self.owner
        parts = urlsplit(self.path)
        path, base = unquote(parts.path) or "/", self.base()
        if getattr(replica, "images_only", False) and not (path.startswith("/resized/media/") or path == "/robots.txt"):
            response = Response(404, b"not found", "text/plain")  # the CDN: images and robots.txt only
            replica.log(self.command, self.path, 404)
            self._send(response, 404, head)
            return
        validators = article_head(replica.site, path, base)  # a 304 needs no rendering
        if validators is not None and self._not_modified(validators):
            response, status = validators, 304
        else:
            response = respond(replica.site, path, parts.query, base)
            status = 304 if self._not_modified(response) else response.status
        replica.log(self.command, self.path, status)
        self._send(response, status, head)

    def _send(self, response: Response, status: int, head: bool) -> None:
        body = b"" if status == 304 else response.body
        self.send_response(status)
        self.send_header("Content-Type", response.content_type)
        if response.stream == -1:
            self.send_header("Connection", "close")  # no length: the body ends when the connection does
            self.close_connection = True
        elif status != 304:  # a 304 has no body by definition; its length would describe the 200
            self.send_header("Content-Length", str(len(body) + (response.stream or 0)))
        if response.etag:
            self.send_header("ETag", response.etag)
        if response.last_modified is not None:
            self.send_header("Last-Modified", http_date(response.last_modified))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)
            if response.stream is not None:
                self._stream(response.stream)

    def _stream(self, length: int) -> None:
        """Zeros after the body: `length` bytes, or (-1) until the client gives up (or ENDLESS_LIMIT)."""
        chunk, sent = bytes(64 * 1024), 0
        limit = images.ENDLESS_LIMIT if length < 0 else length
        try:
            while sent < limit:
                part = chunk[: limit - sent]
                self.wfile.write(part)
                sent += len(part)
        except OSError:  # the client cut it (its size cap): what this response is for
            self.close_connection = True

    def _not_modified(self, response: Response) -> bool:
        if response.status != 200:
            return False
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None and response.etag:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return response.etag in tags or "*" in tags
        since = self.headers.get("If-Modified-Since")
        if since is not None and response.last_modified is not None:
            when = parse_http_date(since)
            return when is not None and response.last_modified <= when
        return False


class ReplicaServer(SiteServer):
    """A bound replica server; `requests` logs (method, path with query, status) of every request."""

    site: ReplicaSite

    def __init__(self, site: ReplicaSite, host: str = "127.0.0.1", port: int = 0, images_only: bool = False) -> None:
        super().__init__(site, _Handler, host, port)
        self.images_only = images_only  # the "CDN": a second host that serves the site's photos


class ReplicaURL(str):
    """The base URL yielded by running_replica; also carries the server and its site (and the CDN's
    server when there is one)."""

    server: ReplicaServer
    site: ReplicaSite
    cdn: ReplicaServer | None


def serve(site: ReplicaSite, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve until interrupted (Ctrl-C)."""
    server = ReplicaServer(site, host, port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


@contextmanager
def running_server(site: ReplicaSite, host: str = "127.0.0.1", port: int = 0) -> Iterator[ReplicaServer]:
    """A ReplicaServer running in a background thread for the duration of the block."""
    server = ReplicaServer(site, host, port).start()
    try:
        yield server
    finally:
        server.close()


@contextmanager
def running_replica(
    articles: int = 300, seed: int = 1, port: int = 0, weight: str = "light", cdn: bool = False,
    photo_faults: bool = False,
) -> Iterator[ReplicaURL]:
    """Build a site, serve it on 127.0.0.1 (port 0: any free port) and yield its base URL.

    The yielded value is a str; `.server.requests` is the request log and `.site` the model. With
    `cdn`, a quarter of the photos are served by a second server (`.cdn`, another port of 127.0.0.1);
    with `photo_faults`, a few photos are broken on purpose (replica/images.py).
    """
    site = ReplicaSite(seed=seed, articles=articles, weight=weight, photo_faults=photo_faults)
    with running_server(site, port=port) as server, _maybe_cdn(site, cdn) as cdn_server:
        url = ReplicaURL(server.base_url)
        url.server, url.site, url.cdn = server, site, cdn_server
        yield url


@contextmanager
def _maybe_cdn(site: ReplicaSite, wanted: bool) -> Iterator[ReplicaServer | None]:
    if not wanted:
        yield None
        return
    server = ReplicaServer(site, images_only=True).start()
    site.cdn_base = server.base_url
    try:
        yield server
    finally:
        site.cdn_base = None
        server.close()

"""Serve a ReplicaSite over HTTP with the standard library (threaded, quiet, HTTP/1.1 keep-alive)."""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import cast
from urllib.parse import unquote, urlsplit

from replica.pages import Response, article_head, respond
from replica.site import ReplicaSite
from replica.timefmt import http_date, parse_http_date

_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # keep-alive connections must not block shutdown

    def __init__(self, address: tuple[str, int], replica: ReplicaServer) -> None:
        self.replica = replica
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that goes away mid-request (a killed crawl) is not an error of the server."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections are closed after this many seconds
    # Headers and body go out in two writes; with Nagle on, the client's delayed ACK adds 40 ms.
    disable_nagle_algorithm = True

    def version_string(self) -> str:
        return "TuranReplica/1.0"

    def do_GET(self) -> None:
        self._handle(head=False)

    def do_HEAD(self) -> None:
        self._handle(head=True)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the request log lives in ReplicaServer.requests."""

    def _handle(self, head: bool) -> None:
        replica = cast(_HTTPServer, self.server).replica
        parts = urlsplit(self.path)
        path, base = unquote(parts.path) or "/", self._base(replica)
        validators = article_head(replica.site, path, base)  # a 304 needs no rendering
        if validators is not None and self._not_modified(validators):
            response, status = validators, 304
        else:
            response = respond(replica.site, path, parts.query, base)
            status = 304 if self._not_modified(response) else response.status
        replica.log(self.command, self.path, status)
        body = b"" if status == 304 else response.body
        self.send_response(status)
        self.send_header("Content-Type", response.content_type)
        if status != 304:  # a 304 has no body by definition; its length would describe the 200
            self.send_header("Content-Length", str(len(body)))
        if response.etag:
            self.send_header("ETag", response.etag)
        if response.last_modified is not None:
            self.send_header("Last-Modified", http_date(response.last_modified))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _base(self, replica: ReplicaServer) -> str:
        """Absolute URLs follow the Host the client used, else the bound address."""
        host = self.headers.get("Host", "")
        return f"http://{host}" if _HOST.match(host) else replica.base_url

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


class ReplicaServer:
    """A bound replica server; `requests` logs (method, path with query, status) of every request."""

    def __init__(self, site: ReplicaSite, host: str = "127.0.0.1", port: int = 0) -> None:
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

    def start(self) -> ReplicaServer:
        """Serve from a background daemon thread."""
        self._thread = threading.Thread(target=self.serve_forever, name="replica-server", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()


class ReplicaURL(str):
    """The base URL yielded by running_replica; also carries the server and its site."""

    server: ReplicaServer
    site: ReplicaSite


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
def running_replica(articles: int = 300, seed: int = 1, port: int = 0) -> Iterator[ReplicaURL]:
    """Build a site, serve it on 127.0.0.1 (port 0: any free port) and yield its base URL.

    The yielded value is a str; `.server.requests` is the request log and `.site` the model.
    """
    site = ReplicaSite(seed=seed, articles=articles)
    with running_server(site, port=port) as server:
        url = ReplicaURL(server.base_url)
        url.server, url.site = server, site
        yield url

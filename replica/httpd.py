"""HTTP plumbing shared by the replicas: a threaded, quiet, keep-alive server with a request log."""

from __future__ import annotations

import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self, cast

_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # keep-alive connections must not block shutdown

    def __init__(self, address: tuple[str, int], owner: SiteServer, handler: type[SiteHandler]) -> None:
        self.owner = owner
        super().__init__(address, handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that goes away mid-request (a killed crawl) is not an error of the server."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class SiteHandler(BaseHTTPRequestHandler):
    """Subclasses answer in ``handle_request``; logging goes to the owner's request log."""

    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections are closed after this many seconds
    # Headers and body go out in two writes; with Nagle on, the client's delayed ACK adds 40 ms.
    disable_nagle_algorithm = True

    @property
    def owner(self) -> SiteServer:
        return cast(_HTTPServer, self.server).owner

    def base(self) -> str:
        """Absolute URLs follow the Host the client used, else the bound address."""
        host = self.headers.get("Host", "")
        return f"http://{host}" if _HOST.match(host) else self.owner.base_url

    def do_GET(self) -> None:
        self.handle_request(head=False)

    def do_HEAD(self) -> None:
        self.handle_request(head=True)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the request log lives in SiteServer.requests."""

    def handle_request(self, head: bool) -> None:
        raise NotImplementedError


class SiteServer:
    """A bound server for one site model; `requests` logs (method, path with query, status)."""

    def __init__(self, site: Any, handler: type[SiteHandler], host: str = "127.0.0.1", port: int = 0) -> None:
        self.site = site
        self.requests: list[tuple[str, str, int]] = []
        self._lock = threading.Lock()
        self._httpd = _HTTPServer((host, port), self, handler)
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

    def start(self) -> Self:
        """Serve from a background daemon thread."""
        self._thread = threading.Thread(target=self.serve_forever, name=type(self).__name__, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

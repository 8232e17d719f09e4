"""A hostile news site: every article link of its listing triggers one fault (tests/test_faults.py).

The site uses the turan profile's URL shapes (``/en`` is the listing, ``/en/<section>/<slug>-<id>``
are articles, ``/en/rss.xml`` the feed), so the real ``turan`` spider crawls it with ``--base-url``.
Every fault is one entry of ``FAULTS``: its URL, what the server does, and what the archive must
say afterwards (``archived``, or the failure reason). Broken HTTP (resets, short bodies, stalls,
endless streams) is written straight to the socket.

Sizes, against Scrapy's ``DOWNLOAD_MAXSIZE`` of 20 MiB (20,971,520 bytes): the "50 MB" response
announces and sends 50,000,000 bytes and must be cut at the download limit; the "20 MB line" page
is 20,000,000 bytes, just under the download limit, so it is downloaded and must be cut off by the
parse pipeline's own limit (``PARSE_MAX_BYTES``) instead.

    python -m replica.hostile --port 8770      # serve it by hand; Ctrl-C to stop
"""

from __future__ import annotations

import argparse
import gzip
import socket
import struct
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import cast
from urllib.parse import urlsplit

LANG = "en"
SECTION = "faults"
FIRST_ID = 9001
BIG = 50_000_000  # the "50 MB" response: more than DOWNLOAD_MAXSIZE (20 MiB)
LONG_LINE = 20_000_000  # the "20 MB line" page: under DOWNLOAD_MAXSIZE, over PARSE_MAX_BYTES
DEPTH = 10_000
STALL_SECONDS = 60.0  # far past any test's DOWNLOAD_TIMEOUT; the handler gives up when the client does
CHUNK = 64 * 1024
REDIRECT_TARGET = f"/{LANG}/{SECTION}/redirect-target-{FIRST_ID + 500}"
ROBOTS_TXT = "User-agent: *\nDisallow: /search\nDisallow: /en/private/\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201e221bc330000000049454e44ae426082"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass(frozen=True)
class Fault:
    """One hostile article: `slug` names it; `expect` is "archived" or the failure reason."""

    slug: str
    expect: str
    what: str  # one line for the README's fault table
    fails: int = 0  # answers with the fault this many times, then serves the article
    section: str = SECTION
    retried: bool = False  # the crawl must ask more than once in a run


FAULTS: tuple[Fault, ...] = (
    Fault("http-500-twice", "archived", "500 twice, then the article", fails=2, retried=True),
    Fault("http-502-twice", "archived", "502 twice, then the article", fails=2, retried=True),
    Fault("http-503-twice", "archived", "503 twice, then the article", fails=2, retried=True),
    Fault("http-503-whole-run", "http_503", "503 for a whole run (3 tries), the article on the next run",
          fails=3, retried=True),
    Fault("http-429-retry-after", "archived", "429 with Retry-After: 1, then the article", fails=1, retried=True),
    Fault("http-429-retry-after-huge", "archived", "429 with Retry-After: 3600 (capped), then the article",
          fails=1, retried=True),
    Fault("http-403", "http_403", "403 Forbidden, every time"),
    Fault("stall", "timeout", "headers never come (stall past DOWNLOAD_TIMEOUT)", retried=True),
    Fault("reset-mid-body", "data_loss", "connection reset (RST) half-way through the body", retried=True),
    Fault("short-body", "data_loss", "body shorter than its Content-Length", retried=True),
    Fault("corrupt-gzip", "bad_encoding", "Content-Encoding: gzip with a corrupt stream"),
    Fault("redirect-chain", "archived", "301 → 302 → 307 → the article"),
    Fault("redirect-loop", "redirect_loop", "a → b → a … redirect loop"),
    Fault("redirect-offsite", "redirected_offsite", "302 to another host"),
    Fault("huge-50mb", "too_large", "50 MB response with its Content-Length"),
    Fault("endless-stream", "too_large", "chunked body that never ends"),
    Fault("pdf", "not_html", "a PDF where HTML was expected"),
    Fault("image", "not_html", "a PNG where HTML was expected"),
    Fault("no-charset", "archived", "UTF-8 without any charset declaration"),
    Fault("cp1251-labelled-utf8", "archived", "cp1251 bytes labelled charset=utf-8"),
    Fault("utf8-bom", "archived", "UTF-8 with a BOM, labelled windows-1252"),
    Fault("windows-1254", "archived", "Turkish text in windows-1254"),
    Fault("unclosed-tags", "archived", "unclosed <p>, <div>, <b> tags"),
    Fault("deep-nesting", "parse_limit", "10,000 nested <div>s"),
    Fault("long-line-20mb", "too_large", "a single 20,000,000-byte line (under DOWNLOAD_MAXSIZE)"),
    Fault("nul-bytes", "archived", "NUL bytes in the text"),
    Fault("broken-entities", "archived", "broken and unknown HTML entities"),
    Fault("robots-disallowed", "robots_disallowed", "a section robots.txt disallows", section="private"),
)

# Text in each encoding test, so a test can check it was decoded right.
WORDS = {
    "no-charset": "Əliyev şəhərdə görüşdü",
    "cp1251-labelled-utf8": "Переговоры в Баку продолжаются",
    "utf8-bom": "Naïve café señor Ünal",
    "windows-1254": "Görüşmeler İstanbul'da sürüyor ığüşöç",
    "nul-bytes": "Text with NUL bytes",
    "broken-entities": "Tom &amp Jerry",
}


def fault_id(fault: Fault) -> int:
    return FIRST_ID + FAULTS.index(fault)


def fault_path(fault: Fault) -> str:
    return f"/{LANG}/{fault.section}/{fault.slug}-{fault_id(fault)}"


def by_slug(slug: str) -> Fault:
    return next(f for f in FAULTS if f.slug == slug)


def article_html(title: str, paragraphs: list[str], *, head: str = "", body_extra: str = "",
                 canonical: str | None = None) -> str:
    """An article in the turan markup (replica/MARKUP.md): title, date, author, body."""
    paras = "".join(f"<p>{p}</p>" for p in paragraphs)
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f"<!DOCTYPE html><html lang=\"en\"><head>{head}<title>{title}</title>{link}</head><body>"
        f'<main class="container"><div class="article"><h1 class="captxt">{title}</h1>'
        '<div class="manspdt">23 April 2024, 15:23</div>'
        '<div class="author">Author: <a href="/search?author=test">Hostile Tester</a></div>'
        f'<div class="maincontent">{paras}{body_extra}</div></div></main></body></html>'
    )


def plain_article(fault: Fault, base: str) -> str:
    words = WORDS.get(fault.slug, "The article survived")
    return article_html(
        f"Fault {fault.slug}",
        [f"Baku/23.04.24/Turan: {words}. This page tests the {fault.slug} fault.",
         "A second paragraph, so the body is long enough to count as an article body."],
        canonical=base + fault_path(fault),
    )


def listing_html(base: str) -> str:
    links = "".join(
        f'<div class="grid-item"><div class="isslstcap"><a href="{fault_path(f)}">{f.slug}</a></div></div>'
        for f in FAULTS
    )
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Faults</title></head><body>'
            f'<main class="container"><div class="grid">{links}</div>'
            f'<a href="{base}/{LANG}/{SECTION}">all faults</a></main></body></html>')


def empty_rss() -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Faults</title>'
            "<link>/</link><description>none</description></channel></rss>")


class _HostileHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], hostile: HostileServer) -> None:
        self.hostile = hostile
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that give up on a hostile answer (that is the point) are not server errors."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the request log is HostileServer.requests."""

    def do_GET(self) -> None:
        server = cast(_HostileHTTPServer, self.server).hostile
        path = urlsplit(self.path).path
        server.log(path)
        host = self.headers.get("Host") or f"{server.host}:{server.port}"
        base = f"http://{host}"
        route = server.route(path)
        if route is None:
            self._send(404, b"<html><body><h1>Not found</h1></body></html>")
        else:
            route(self, base)

    # --- plain answers ---------------------------------------------------------------------------

    def _send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, status: int, location: str) -> None:
        self._send(status, b"", headers={"Location": location})

    def html(self, text: str, content_type: str = "text/html; charset=utf-8") -> None:
        self._send(200, text.encode("utf-8"), content_type)

    def raw(self, body: bytes, content_type: str) -> None:
        self._send(200, body, content_type)

    # --- broken HTTP -----------------------------------------------------------------------------

    def stall(self) -> None:
        server = cast(_HostileHTTPServer, self.server).hostile
        server.stopping.wait(STALL_SECONDS)
        self.close_connection = True

    def reset_mid_body(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.wfile.flush()
        time.sleep(0.05)
        # SO_LINGER with a zero timeout: close() sends RST instead of FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def short_body(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body) * 2))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        self.connection.shutdown(socket.SHUT_WR)
        self.close_connection = True

    def stream(self, chunks: Iterator[bytes], length: int | None) -> None:
        """Writes `chunks` (with a Content-Length, or chunked when None) until the client hangs up."""
        server = cast(_HostileHTTPServer, self.server).hostile
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if length is None:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        self.close_connection = True
        try:
            for chunk in chunks:
                if server.stopping.is_set():
                    return
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if length is None else chunk)
        except (ConnectionError, TimeoutError):
            return  # the client stopped reading: what a size limit does


def _sized(total: int) -> Iterator[bytes]:
    block = b"<p>" + b"x" * (CHUNK - 7) + b"</p>\n"
    sent = 0
    while sent < total:
        piece = block[: total - sent]
        sent += len(piece)
        yield piece


def _endless() -> Iterator[bytes]:
    block = b"<p>" + b"y" * (CHUNK - 7) + b"</p>\n"
    while True:
        yield block


Route = Callable[[_Handler, str], None]


class HostileServer:
    """The hostile site on 127.0.0.1; `requests` logs (monotonic time, path) of every request."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.requests: list[tuple[float, str]] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._httpd = _HostileHTTPServer((host, port), self)
        self.port = int(self._httpd.server_address[1])
        self._thread: threading.Thread | None = None
        self._long_line: bytes | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def log(self, path: str) -> int:
        """Records a request; returns how many times `path` was asked before this one."""
        with self._lock:
            self.requests.append((time.monotonic(), path))
            before = self._counts[path]
            self._counts[path] += 1
            return before

    def asked(self, path: str) -> int:
        with self._lock:
            return self._counts[path]

    def times(self, path: str) -> list[float]:
        with self._lock:
            return [t for t, p in self.requests if p == path]

    def route(self, path: str) -> Route | None:
        if path == "/robots.txt":
            return lambda h, base: h.raw(ROBOTS_TXT.encode(), "text/plain; charset=utf-8")
        if path in (f"/{LANG}", f"/{LANG}/{SECTION}"):
            return lambda h, base: h.html(listing_html(base))
        if path == f"/{LANG}/rss.xml":
            return lambda h, base: h.raw(empty_rss().encode(), "application/rss+xml; charset=utf-8")
        if path.startswith(f"/{LANG}/{SECTION}/hop-"):
            return self._hop
        if path == REDIRECT_TARGET:
            return lambda h, base: h.html(article_html(
                "Fault redirect-chain, where it ends", ["Baku/23.04.24/Turan: the end of a redirect chain."],
                canonical=base + REDIRECT_TARGET))
        for fault in FAULTS:
            if path == fault_path(fault):
                return partial(self._fault, fault=fault)
        return None

    def _hop(self, h: _Handler, base: str) -> None:
        """Redirect hops: /hop-chain-N goes one step further; /hop-loop-a and -b point at each other."""
        path = urlsplit(h.path).path
        name = path.rsplit("/", 1)[1]
        if name == "hop-loop-a-1":
            h.redirect(302, f"{base}/{LANG}/{SECTION}/hop-loop-b-1")
        elif name == "hop-loop-b-1":
            h.redirect(302, f"{base}/{LANG}/{SECTION}/hop-loop-a-1")
        elif name == "hop-chain-2":
            h.redirect(302, f"{base}/{LANG}/{SECTION}/hop-chain-3")
        elif name == "hop-chain-3":
            h.redirect(307, base + REDIRECT_TARGET)
        else:
            h._send(404, b"<html><body>no such hop</body></html>")

    def _fault(self, h: _Handler, base: str, *, fault: Fault) -> None:
        asked = self.asked(fault_path(fault)) - 1  # this request is already counted
        if asked >= fault.fails and fault.fails:
            h.html(plain_article(fault, base))
            return
        handler = getattr(self, "_" + fault.slug.replace("-", "_"), None)
        if handler is None:
            h.html(plain_article(fault, base))
            return
        handler(h, base, fault)

    # --- one method per fault (the name is the slug) ---------------------------------------------

    def _http_500_twice(self, h: _Handler, base: str, fault: Fault) -> None:
        h._send(500, b"<html><body>Internal Server Error</body></html>")

    def _http_502_twice(self, h: _Handler, base: str, fault: Fault) -> None:
        h._send(502, b"<html><body>Bad Gateway</body></html>")

    def _http_503_twice(self, h: _Handler, base: str, fault: Fault) -> None:
        h._send(503, b"<html><body>Service Unavailable</body></html>")

    _http_503_whole_run = _http_503_twice

    def _http_429_retry_after(self, h: _Handler, base: str, fault: Fault) -> None:
        h._send(429, b"<html><body>Too Many Requests</body></html>", headers={"Retry-After": "1"})

    def _http_429_retry_after_huge(self, h: _Handler, base: str, fault: Fault) -> None:
        h._send(429, b"<html><body>Too Many Requests</body></html>", headers={"Retry-After": "3600"})

    def _http_403(self, h: _Handler, base: str, fault: Fault) -> None:
        h._send(403, b"<html><body>Forbidden</body></html>")

    def _stall(self, h: _Handler, base: str, fault: Fault) -> None:
        h.stall()

    def _reset_mid_body(self, h: _Handler, base: str, fault: Fault) -> None:
        h.reset_mid_body(plain_article(fault, base).encode() + b"<!--" + b"pad" * 20000 + b"-->")

    def _short_body(self, h: _Handler, base: str, fault: Fault) -> None:
        h.short_body(plain_article(fault, base).encode())

    def _corrupt_gzip(self, h: _Handler, base: str, fault: Fault) -> None:
        good = gzip.compress(plain_article(fault, base).encode())
        broken = good[:10] + bytes(b ^ 0x5A for b in good[10:])
        h._send(200, broken, headers={"Content-Encoding": "gzip"})

    def _redirect_chain(self, h: _Handler, base: str, fault: Fault) -> None:
        h.redirect(301, f"{base}/{LANG}/{SECTION}/hop-chain-2")

    def _redirect_loop(self, h: _Handler, base: str, fault: Fault) -> None:
        h.redirect(302, f"{base}/{LANG}/{SECTION}/hop-loop-a-1")

    def _redirect_offsite(self, h: _Handler, base: str, fault: Fault) -> None:
        # "localhost" is this very server under another name: another site for the crawler.
        h.redirect(302, f"http://localhost:{self.port}{fault_path(fault)}")

    def _huge_50mb(self, h: _Handler, base: str, fault: Fault) -> None:
        h.stream(_sized(BIG), BIG)

    def _endless_stream(self, h: _Handler, base: str, fault: Fault) -> None:
        h.stream(_endless(), None)

    def _pdf(self, h: _Handler, base: str, fault: Fault) -> None:
        h.raw(PDF, "application/pdf")

    def _image(self, h: _Handler, base: str, fault: Fault) -> None:
        h.raw(PNG, "image/png")

    def _no_charset(self, h: _Handler, base: str, fault: Fault) -> None:
        h.raw(plain_article(fault, base).encode("utf-8"), "text/html")

    def _cp1251_labelled_utf8(self, h: _Handler, base: str, fault: Fault) -> None:
        h.raw(plain_article(fault, base).encode("cp1251"), "text/html; charset=utf-8")

    def _utf8_bom(self, h: _Handler, base: str, fault: Fault) -> None:
        h.raw(b"\xef\xbb\xbf" + plain_article(fault, base).encode("utf-8"), "text/html; charset=windows-1252")

    def _windows_1254(self, h: _Handler, base: str, fault: Fault) -> None:
        h.raw(plain_article(fault, base).encode("cp1254"), "text/html; charset=windows-1254")

    def _unclosed_tags(self, h: _Handler, base: str, fault: Fault) -> None:
        page = plain_article(fault, base).replace("</p>", "").replace("</main></body></html>", "")
        h.html(page.replace("The article", "<b><i>The article <div><span>never closed"))

    def _deep_nesting(self, h: _Handler, base: str, fault: Fault) -> None:
        deep = "<div>" * DEPTH + "deep text" + "</div>" * DEPTH
        h.html(article_html(f"Fault {fault.slug}", ["Baku/23.04.24/Turan: nested page."], body_extra=deep,
                            canonical=base + fault_path(fault)))

    def _long_line_20mb(self, h: _Handler, base: str, fault: Fault) -> None:
        if self._long_line is None:
            head = article_html(f"Fault {fault.slug}", ["Baku/23.04.24/Turan: a long line."]).encode()
            head = head.replace(b"</div></div></main>", b"<p>", 1)
            tail = b"</p></div></div></main></body></html>"
            self._long_line = head + b"z" * (LONG_LINE - len(head) - len(tail)) + tail
        h.raw(self._long_line, "text/html; charset=utf-8")

    def _nul_bytes(self, h: _Handler, base: str, fault: Fault) -> None:
        page = plain_article(fault, base).replace("NUL bytes", "NUL\x00 bytes\x00")
        h.raw(page.encode("utf-8"), "text/html; charset=utf-8")

    def _broken_entities(self, h: _Handler, base: str, fault: Fault) -> None:
        page = plain_article(fault, base).replace("The article", "&bogus; &#xZZ; &#99999999; &amp The article")
        h.html(page)

    def _robots_disallowed(self, h: _Handler, base: str, fault: Fault) -> None:
        h.html(plain_article(fault, base))

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self) -> HostileServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="hostile-server", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self.stopping.set()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()


@contextmanager
def running_hostile(port: int = 0) -> Iterator[HostileServer]:
    """The hostile site served from a background thread for the duration of the block."""
    server = HostileServer(port=port).start()
    try:
        yield server
    finally:
        server.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m replica.hostile", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8770)
    args = parser.parse_args(argv)
    server = HostileServer(args.host, args.port)
    print(f"Serving the hostile site at {server.base_url}/{LANG} (Ctrl-C to stop)", file=sys.stderr)
    try:
        server._httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stopping.set()
        server._httpd.server_close()


if __name__ == "__main__":
    main()

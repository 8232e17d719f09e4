"""Which URLs belong to the site a crawl archives: one check for every request, redirect and link.

A site is a set of hosts, each a host name without ``www.`` and with its port when the URL names a
non-default one (``example.com``, ``127.0.0.1:8765``): another port on the same machine is another
service, not the site. Every spider keeps its site's hosts in ``spider.hosts``; the generic spider
starts from its start URLs' hosts, a profile spider from its base URL's.

A start URL that redirects to another host (a site that moved) adds that host, unless it is an
internal address (loopback, private, link-local, ``localhost``, a name without a dot...): a site
must not be able to point the crawler at the crawler's own network. Host names are judged as
written; one that a site's DNS resolves to an internal address is not caught here.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Set
from typing import Any, Self
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler

from scrapers.failures import RefusedPage

logger = logging.getLogger(__name__)

WEB_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
# Names that only mean something inside a network (RFC 6761, 6762, 8375 and common practice).
INTERNAL_SUFFIXES = (".localhost", ".local", ".internal", ".intranet", ".lan", ".home.arpa", ".corp")


def site_host(url: str) -> str:
    """The host a URL belongs to, as a site's hosts hold it: no ``www.``, the port if not the default."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: no site of ours
        return ""
    if port is not None and port != DEFAULT_PORTS.get(parts.scheme):
        return f"{host}:{port}"
    return host


def same_site(url: str, hosts: Set[str]) -> bool:
    """An http(s) URL on one of `hosts`."""
    return urlsplit(url).scheme in WEB_SCHEMES and site_host(url) in hosts


def on_site(spider: Any, url: str) -> bool:
    """`url` belongs to the site `spider` crawls (a spider without ``hosts`` crawls no site of ours)."""
    hosts = getattr(spider, "hosts", None)
    return hosts is not None and same_site(url, hosts)


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:  # the forms inet_aton (and so the resolver) also takes: 0x7f.1, 2130706433, 127.1
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def is_internal(url: str) -> bool:
    """The URL names a host of a private network: an address that is not global, or a local name."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    ip = _ip(host)
    if ip is not None:
        mapped = getattr(ip, "ipv4_mapped", None)
        return not (mapped or ip).is_global
    return "." not in host or host == "localhost" or host.endswith(INTERNAL_SUFFIXES)


class OffsiteRequestMiddleware:
    """Downloader middleware: a request for a URL off the spider's site (another host, a ``file:``
    or ``data:`` URL) is refused before anything is fetched, robots.txt included, with the reason
    ``offsite``. The spiders follow only their site's links; this catches every other way a request
    gets in (a robots.txt or sitemap naming another host, a request queued in Redis)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        # Hosts (with port) a photo was asked from: their robots.txt may be read too, so that the
        # crawl's robots rules apply to a CDN (this middleware runs before RobotsTxtMiddleware).
        self.photo_hosts: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request, spider: Any = None) -> None:
        spider = self.crawler.spider
        if on_site(spider, request.url):
            return
        # A photo's request (pipelines/media.py) says allow_offsite: its own host policy
        # (scrapers/media_policy.py: the site's CDNs, never an internal address) has judged it.
        parts = urlsplit(request.url)
        if request.meta.get("allow_offsite") and request.meta.get("page_kind") == "media":
            self.photo_hosts.add(parts.netloc.lower())
            return
        if parts.path == "/robots.txt" and parts.netloc.lower() in self.photo_hosts:
            return
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("offsite/refused")
        logger.info("refused %s: not on the site (%s)", request.url[:300], ", ".join(sorted(spider.hosts)))
        raise RefusedPage("offsite", f"not on the site: {request.url[:300]}")


def redirect_allowed(spider: Any, request: Request, target: str) -> bool:
    """A redirect may go to the site; a start URL's redirect also to a new public address of the
    site, which then becomes one of its hosts."""
    if on_site(spider, target):
        return True
    if not request.meta.get("site_start") or urlsplit(target).scheme not in WEB_SCHEMES or is_internal(target):
        return False
    spider.hosts.add(site_host(target))
    logger.warning("start URL %s moved to %s: %s is crawled as part of the site", request.url, target,
                   site_host(target))
    return True

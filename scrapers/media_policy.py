"""Which of an article's photos a crawl fetches, and from which hosts (MEDIA_IMAGES, MEDIA_HOSTS).

Policies: ``none``; ``captioned`` (default): the images the archive keeps a caption for, the lead
image included; ``all``: every image the article parser reports with the article, captioned or not.

Hosts: an image may come from the site's own hosts and from the hosts the site's pages load images
from (news sites use CDNs), but never from a loopback, private, link-local or reserved address
unless the page itself was served from one (the replica is). A profile (``[media] hosts``) or
``MEDIA_HOSTS`` that names hosts makes the list strict: the site's hosts and those, nothing else.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from scrapers.parsers.article import Article

POLICIES = ("none", "captioned", "all")
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


def is_private_host(host: str) -> bool:
    """A loopback, private, link-local, reserved or unspecified address (or a name for one)."""
    host = host.strip("[]").lower().rstrip(".")
    if host in _LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global or address.is_multicast


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _same_site(host: str, site_hosts: Iterable[str]) -> bool:
    return any(host == h or host.endswith("." + h) for h in site_hosts if h)


@dataclass(frozen=True)
class HostPolicy:
    site_hosts: tuple[str, ...]  # the site's own (its domain, its base URL's host)
    media_hosts: tuple[str, ...] = ()  # named CDNs: when given, the only other hosts allowed

    def refusal(self, image_url: str, page_url: str) -> str | None:
        """None when `image_url` may be fetched for the page at `page_url`, else the reason."""
        if urlsplit(image_url).scheme not in ("http", "https"):
            return "bad_url"
        host = _host(image_url)
        if not host:
            return "bad_url"
        page_host = _host(page_url)
        if is_private_host(host) and not is_private_host(page_host):
            return "private_host"
        if self.media_hosts and not _same_site(host, (*self.site_hosts, page_host, *self.media_hosts)):
            return "host_not_allowed"
        return None

    def address_refusal(self, ip: str | None, page_url: str) -> str | None:
        """A public name that resolved to a private address (DNS rebinding) is refused after the fact."""
        if ip and is_private_host(ip) and not is_private_host(_host(page_url)):
            return "private_address"
        return None


def wanted_images(article: Article, policy: str) -> list[tuple[int | None, str]]:
    """(caption position, image URL) of the images to archive for `article`, each URL once."""
    if policy == "none":
        return []
    out: dict[str, int | None] = {}
    for position, caption in enumerate(article.captions):
        url = (caption.image_url or "").strip()
        if not url or url in out:
            continue
        if policy == "all" or caption.text.strip() or caption.credit:
            out[url] = position
    return [(position, url) for url, position in out.items()]

"""From an archived capture (a WARC record, a Wayback or Common Crawl capture) to the crawl's page item.

Shared by the WARC import (scrapers/spiders/warc.py) and the CDX crawl (scrapers/spiders/cdx.py), so a
capture from another archive becomes exactly what a live fetch of the same page would have given the
pipelines: a ``PageItem`` of the right kind, with the capture time as its fetch time.

Which site profile applies is decided by the URL's host (``SiteHosts``): a profile's ``domain`` and
its ``base_url`` host (``www.`` or not), or any address given for it (``--base-url``). A URL no
profile claims goes the generic way: an article candidate the page-type check confirms.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from scrapers.items import PageItem
from scrapers.sites import ProfileError, SiteProfile, available_profiles, load_profile

HTML_TYPES = ("text/html", "application/xhtml+xml")
GENERIC = "generic"  # the group of captures no profile claims

# Why a capture is not archived as a page: the summary counts them by these names.
SKIP_NOT_HTML = "not_html"
SKIP_NOT_200 = "not_200"
SKIP_REVISIT = "revisit"
SKIP_DUPLICATE = "duplicate"
SKIP_ARCHIVED = "already_archived"
SKIP_OTHER_RECORD = "not_a_response"  # warcinfo, request, metadata... records
SKIP_OTHER_SITE = "other_site"


@dataclass
class Capture:
    """One archived HTTP response: what the archive saw, when."""

    url: str
    captured_at: datetime
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str | None:
        return header(self.headers, "content-type")

    @property
    def media_type(self) -> str:
        return (self.content_type or "").split(";")[0].strip().lower()


def header(headers: dict[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def join_headers(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """HTTP header pairs as the crawl keeps them: one entry per name, repeats joined with ", "."""
    joined: dict[str, str] = {}
    for name, value in pairs:
        joined[name] = f"{joined[name]}, {value}" if name in joined else value
    return joined


def parse_capture_time(value: str) -> datetime:
    """A WARC-Date (ISO 8601, ``Z``) or a CDX timestamp (``YYYYMMDDhhmmss``, possibly shorter) in UTC."""
    text = value.strip()
    if text.isdigit():  # a CDX timestamp may stop at any unit: 2024, 202403, 20240305...
        padded = text[:14] + "00000101000000"[len(text[:14]):]
        return datetime.strptime(padded, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def cdx_timestamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def skip_reason(capture: Capture) -> str | None:
    """Why this capture is no page of the site's (counted, not archived), or None."""
    if capture.status != 200:
        return SKIP_NOT_200
    if capture.media_type in HTML_TYPES:
        return None
    # No Content-Type at all: HTML if it looks like it (old ARC captures often say nothing).
    looks_html = not capture.media_type and b"<html" in capture.body[:2048].lower()
    return None if looks_html else SKIP_NOT_HTML


def page_item(capture: Capture, profile: SiteProfile | None) -> PageItem:
    """The crawl's item for this capture: an article, listing or other page per the profile's URL
    patterns; without a profile an article candidate for the page-type check."""
    kind, confirm = "article", profile is None
    if profile is not None:
        match = profile.classify_path(urlsplit(capture.url).path)
        kind = match.kind if match is not None else "page"
    return PageItem(
        url=capture.url, final_url=capture.url, status=capture.status, headers=capture.headers,
        body=capture.body, fetched_at=capture.captured_at, kind=kind,
        content_type=capture.content_type, confirm_article=confirm, captured=True,
    )


def host_of(url: str) -> str:
    """host[:port], lower case, without ``www.``."""
    netloc = urlsplit(url).netloc.lower().rpartition("@")[2]
    return netloc[4:] if netloc.startswith("www.") else netloc


class SiteHosts:
    """Host -> site profile name, from every profile's domain and base_url, plus explicit addresses."""

    def __init__(self, profile_dirs: tuple[Path, ...] = (), extra: dict[str, str] | None = None) -> None:
        self.profile_dirs = profile_dirs
        self.hosts: dict[str, str] = {}
        for name in available_profiles(profile_dirs):
            if name == GENERIC:
                continue
            try:
                profile = load_profile(name, profile_dirs)
            except ProfileError:
                continue  # a broken profile claims no host; `newsarchive sites` says what is wrong
            for address in (profile.domain, profile.base_url):
                if address:
                    self.hosts.setdefault(host_of(address if "//" in address else f"//{address}"), name)
        for address, name in (extra or {}).items():
            self.hosts[host_of(address)] = name

    def site_of(self, url: str) -> str:
        """The profile name for this URL, or GENERIC."""
        host = host_of(url)
        if host in self.hosts:
            return self.hosts[host]
        bare = host.split(":")[0]
        return self.hosts.get(bare, GENERIC)

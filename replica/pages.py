"""Routing: what the replica answers for a path, independent of HTTP plumbing (see server.py)."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from replica import feeds, images, render
from replica.labels import LANGS
from replica.site import ReplicaSite

HTML = "text/html; charset=utf-8"
_IMAGE = re.compile(r"^/resized/media/\d{4}/main/(\d+)-750-500-resize\.(webp|jpg|png|svg)$")
_LISTING = re.compile(r"^/(az|en|ru)/([a-z0-9-]+)$")
_CHALLENGE = ("<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
              "<p>Checking your browser before accessing turan.az.</p></body></html>")


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = HTML
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: int | None = None  # epoch seconds
    # After `body`, this many more bytes are sent (zeros), or endlessly (-1): the oversized and the
    # endless image.
    stream: int | None = None


def respond(site: ReplicaSite, path: str, query: str, base: str) -> Response:
    """The response for GET `path?query`; `base` is the absolute base URL the client used."""
    entry = site.entry_for(path)
    if entry is not None:
        return _article(site, path, base) if not entry.missing else _not_found(site, path, base)
    lang = path.strip("/")
    if path == "/":
        return Response(302, b"", headers={"Location": f"{base}/az"})
    if path in ("/az", "/en", "/ru"):
        return _html(200, render.home_page(site, lang, base))
    if len(path) > 1 and path.endswith("/"):
        return Response(301, b"", headers={"Location": base + path.rstrip("/")})
    if path == "/robots.txt":
        return Response(200, feeds.ROBOTS_TXT.encode(), "text/plain; charset=utf-8")
    if path == "/rss":  # the real /rss answers plain clients with a Cloudflare challenge
        return _html(403, _CHALLENGE)
    image = _IMAGE.match(path)
    if image:
        return _image(site, int(image[1]), image[2]) or _not_found(site, path, base)
    if path == "/img/logo.png":
        return Response(200, feeds.PNG, "image/png", headers={"Cache-Control": "max-age=86400"})
    if path == site.calendar_path:
        return _html(200, render.calendar_page(site, base))
    if lang in ("az/rss.xml", "en/rss.xml", "ru/rss.xml"):
        return Response(200, feeds.rss(site, lang[:2], base).encode(), "application/rss+xml; charset=utf-8")
    match = _LISTING.match(path)
    if match:
        return _listing(site, match[1], match[2], query, base) or _not_found(site, path, base)
    return _not_found(site, path, base)


_IMAGE_HEADERS = {"Cache-Control": "max-age=86400"}


def _image(site: ReplicaSite, image_id: int, ext: str) -> Response | None:
    """A photo's bytes, or its fault when the site has faults on (replica/images.py)."""
    spec = images.spec(image_id)
    if ext != spec.ext:
        return None
    fault = site.image_fault(image_id, lead=(image_id - images.FIRST_IMAGE_ID) % 4 == 0)
    if fault == "http_404":
        return None
    if fault is not None:
        return _broken_image(site, fault)
    data = images.image_bytes(image_id)
    etag = f'"img-{zlib.crc32(data):08x}-{len(data):x}"'
    return Response(200, data, images.CONTENT_TYPES[spec.ext], headers=dict(_IMAGE_HEADERS), etag=etag,
                    last_modified=1_700_000_000)


def _broken_image(site: ReplicaSite, fault: str) -> Response:
    if fault == "html_as_jpeg":
        return Response(200, render.not_found_page(site, "en", "").encode(), "image/jpeg")
    if fault == "truncated_jpeg":
        whole = images.jpeg(3, 640, 424)
        return Response(200, whole[: len(whole) * 3 // 5], "image/jpeg")
    if fault == "over_cap":
        return Response(200, images.png(4, 16, 16)[:33], "image/png", stream=images.OVER_CAP_BYTES)
    if fault == "pixel_bomb":
        return Response(200, images.png_bomb(), "image/png")
    if fault == "svg_script":
        return Response(200, images.SVG_SCRIPT, "image/svg+xml")
    return Response(200, images.jpeg(5, 640, 424)[:600], "image/jpeg", stream=-1)  # endless


def _html(status: int, text: str) -> Response:
    return Response(status, text.encode())


def article_head(site: ReplicaSite, path: str, base: str) -> Response | None:
    """A live article's status and validators without its body (None for anything else): enough
    to answer a conditional request with 304 without rendering the page."""
    entry = site.entry_for(path)
    if entry is None or entry.missing:
        return None
    # The page embeds absolute URLs, so its validator depends on the base URL too.
    etag = f'"{site.seed:x}-{entry.idx:x}-{entry.last_modified:x}-{zlib.crc32(base.encode()):x}"'
    return Response(200, b"", etag=etag, last_modified=entry.last_modified)


def _article(site: ReplicaSite, path: str, base: str) -> Response:
    response = article_head(site, path, base)
    assert response is not None
    response.body = render.article_page(site, site.entries[site.by_path[path]], base).encode()
    return response


def _listing(site: ReplicaSite, lang: str, section: str, query: str, base: str) -> Response | None:
    values = parse_qs(query).get("page", ["1"])
    if len(values) != 1 or not values[0].isdigit():
        return None
    page = int(values[0])
    entries = site.listing_page(lang, section, page)
    if entries is None:
        return None
    return _html(200, render.listing_page(site, lang, section, page, entries, base))


def _not_found(site: ReplicaSite, path: str, base: str) -> Response:
    first = path.strip("/").split("/", 1)[0]
    lang = first if first in LANGS else "az"
    return _html(404, render.not_found_page(site, lang, base))

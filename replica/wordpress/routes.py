"""Routing of the WordPress replica: what it answers for a path, independent of HTTP plumbing.

Pretty permalinks (``/%year%/%monthnum%/%day%/%postname%/``), archives with ``/page/N/``, the
search ``/?s=term``, Yoast's sitemaps, the feeds, and WordPress's canonical redirects (a path
without its trailing slash answers 301).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from replica.wordpress import feeds, render
from replica.wordpress.model import Post, photo_bytes
from replica.wordpress.site import WordPressSite

HTML = "text/html; charset=UTF-8"
XML = "application/xml; charset=UTF-8"
RSS = "application/rss+xml; charset=UTF-8"
# A post's photo (/wp-content/uploads/Y/M/slug-ID-1024x683.jpg) is a real JPEG; every other upload
# path (thumbnails, featured images) answers with the smallest valid GIF (1x1).
_PHOTO = re.compile(r"-(\d+)-1024x683\.jpg$")
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
    b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)

_POST = re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/([a-z0-9-]+)/(feed/)?$")
_ARCHIVE = re.compile(r"^/(?:(category|tag|author)/([a-z0-9-]+)|(\d{4})/(\d{2}))/(?:page/(\d+)/)?$")
_HOME_PAGE = re.compile(r"^/page/(\d+)/$")
_POST_SITEMAP = re.compile(r"^/post-sitemap(\d*)\.xml$")


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = HTML
    headers: dict[str, str] = field(default_factory=dict)


def respond(site: WordPressSite, path: str, query: str, base: str) -> Response:
    """The response for GET ``path?query``; ``base`` is the absolute base URL the client used."""
    params = parse_qs(query)
    if path in ("/", "") and params.get("p"):  # the shortlink: redirected to the permalink
        short = site.by_id.get((params.get("p") or [""])[0])
        return Response(301, b"", headers={"Location": base + short.path}) if short else _not_found(site, base)
    if path in ("/", "") or _HOME_PAGE.match(path):
        match = _HOME_PAGE.match(path)
        page = int(match[1]) if match else 1
        term = (params.get("s") or [""])[0].strip()
        if term:
            posts = site.archive("search", term) or []
            return _listing(site, base, posts, page, "/", f"Search Results for: {term}", "search search-results",
                            query=f"?s={term}", allow_empty=True)
        return _listing(site, base, site.newest, page, "/", site.name, "home blog")
    if path == "/robots.txt":
        return Response(200, feeds.robots(base).encode(), "text/plain; charset=utf-8")
    xml = _xml(site, path, base)
    if xml is not None:
        return xml
    if path.startswith("/wp-content/uploads/"):
        photo = _PHOTO.search(path)
        if photo:  # a post's own photo: a real JPEG of its size (replica/images.py)
            return Response(200, photo_bytes(int(photo[1])), "image/jpeg", {"Cache-Control": "max-age=31536000"})
        return Response(200, GIF, "image/gif", {"Cache-Control": "max-age=31536000"})
    post = _POST.match(path)
    if post:
        found = site.by_path.get(path.removesuffix("feed/"))
        if found is None:
            return _not_found(site, base)
        if post[5]:
            return Response(200, feeds.comments_feed(site, base, found).encode(), RSS)
        return Response(200, render.post_page(site, found, base).encode())
    archive = _ARCHIVE.match(path)
    if archive:
        return _archive(site, base, archive)
    if path in site.pages_by_path:
        return Response(200, render.static_page(site, site.pages_by_path[path], base).encode())
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        slashed = path + "/"  # WordPress's canonical redirect
        if respond(site, slashed, "", base).status == 200:
            return Response(301, b"", headers={"Location": base + slashed + (f"?{query}" if query else "")})
    return _not_found(site, base)


def _xml(site: WordPressSite, path: str, base: str) -> Response | None:
    if path == "/sitemap.xml":
        return Response(301, b"", headers={"Location": f"{base}/sitemap_index.xml"})
    if path == "/sitemap_index.xml":
        return Response(200, feeds.sitemap_index(site, base).encode(), XML)
    match = _POST_SITEMAP.match(path)
    if match:
        found = feeds.post_sitemap(site, base, int(match[1] or 1) - 1)
        return Response(200, found.encode(), XML) if found else _not_found(site, base)
    if path == "/page-sitemap.xml":
        return Response(200, feeds.page_sitemap(site, base).encode(), XML)
    if path in ("/category-sitemap.xml", "/author-sitemap.xml"):
        return Response(200, feeds.taxonomy_sitemap(site, base, path[1:].split("-")[0]).encode(), XML)
    if path == "/news-sitemap.xml":
        return Response(200, feeds.news_sitemap(site, base).encode(), XML)
    if path == "/main-sitemap.xsl":
        return Response(200, feeds.XSL.encode(), "text/xsl; charset=UTF-8")
    if path == "/feed/":
        return Response(200, feeds.posts_feed(site, base).encode(), RSS)
    if path == "/comments/feed/":
        return Response(200, feeds.comments_feed(site, base).encode(), RSS)
    return None


def _archive(site: WordPressSite, base: str, match: re.Match[str]) -> Response:
    kind, slug, year, month, page = match.groups()
    page_n = int(page or 1)
    if kind:
        posts = site.archive(kind, slug)
        prefix = f"/{kind}/{slug}/"
        if kind == "category":
            category = site.category(slug)
            title, classes = f"Category: {category.name if category else slug}", f"archive category category-{slug}"
        elif kind == "tag":
            title, classes = f"Tag: {site.tag_slugs().get(slug, slug)}", f"archive tag tag-{slug}"
        else:
            author = site.author(slug)
            title, classes = f"Author: {author.name if author else slug}", f"archive author author-{slug}"
    else:
        posts = site.archive("date", f"{int(year)}/{int(month)}")
        prefix = f"/{year}/{month}/"
        title, classes = f"Month: {render.long_date_month(int(year), int(month))}", "archive date"
    if not posts:
        return _not_found(site, base)
    return _listing(site, base, posts, page_n, prefix, title, classes)


def _listing(site: WordPressSite, base: str, posts: list[Post], page: int, path: str, title: str, classes: str,
             query: str = "", allow_empty: bool = False) -> Response:
    if page < 1 or (page > site.page_count(posts)) or (not posts and not allow_empty):
        return _not_found(site, base)
    return Response(200, render.listing_page(site, base, posts, page, path, title, classes, query).encode())


def _not_found(site: WordPressSite, base: str) -> Response:
    return Response(404, render.not_found_page(site, base).encode())

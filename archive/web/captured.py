"""A page as captured: the raw bytes the crawler stored, served so that none of it can act.

The archived HTML is the site's own, scripts and trackers included.  It is served with a
Content-Security-Policy whose ``sandbox`` (no ``allow-scripts``, no same origin, no forms, no
pop-ups) stops every script, inline or not, and whose fetch directives let the page load nothing
from anywhere but this server (images from it or ``data:``, inline styles); everything else
(scripts, frames, fonts from other origins, connections) is ``'none'``.  The bytes are the stored
body after its hash is checked: never rewritten, so what is shown is what was archived.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from datasette.utils.asgi import Response

from archive.compression import decompress_body
from archive.errors import ArchiveError

ROUTE = r"^/(?P<database>[^/]+)/-/captured/(?P<page_hash>[0-9a-f]{64})$"
CSP = "; ".join((
    "sandbox",
    "default-src 'none'",
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:",
    "form-action 'none'",
    "base-uri 'none'",
    "frame-ancestors 'self'",
))
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "private, max-age=3600",
}
_TYPE = re.compile(r"^[\w.+-]+/[\w.+-]+(\s*;\s*charset=[\w.:-]+)?$", re.IGNORECASE)
_BODY = (
    "SELECT b.compression, b.body, d.dict, b.size, "
    "(SELECT content_type FROM pages WHERE content_hash = b.hash ORDER BY id LIMIT 1) AS content_type "
    "FROM page_bodies AS b LEFT JOIN compression_dicts AS d ON d.id = b.dict_id WHERE b.hash = ?"
)


def _not_found(text: str) -> Response:
    return Response.text(text, status=404, headers={"X-Content-Type-Options": "nosniff"})


def content_type(stored: str | None) -> str:
    """The stored Content-Type when it is a plain type (and charset); text/html otherwise."""
    value = (stored or "").strip()
    return value if _TYPE.match(value) else "text/html"


async def captured(datasette: Any, request: Any) -> Response:
    database = request.url_vars["database"]
    page_hash = request.url_vars["page_hash"]
    try:
        db = datasette.get_database(database)
    except KeyError:
        return _not_found("no such database")
    if not await db.table_exists("page_bodies"):
        return _not_found("not a newsarchive archive")
    rows = (await db.execute(_BODY, [page_hash])).rows
    if not rows:
        return _not_found("no page with that hash in this archive")
    compression, blob, zdict, size, stored_type = rows[0]
    try:  # bounded by the recorded size (archive/compression.py): the file may come from someone else
        zdict_bytes = None if zdict is None else bytes(zdict)
        body = decompress_body(str(compression), bytes(blob), zdict_bytes, size=int(size))
    except ArchiveError as exc:
        return Response.text(str(exc), status=500)
    if hashlib.sha256(body).hexdigest() != page_hash:
        return Response.text("the stored page is damaged (its hash does not match)", status=500)
    return Response(body, status=200, headers=dict(HEADERS), content_type=content_type(stored_type))

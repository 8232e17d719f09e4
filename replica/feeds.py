"""robots.txt, the per-language RSS 2.0 feed, and the bytes of the replica's images."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from replica.labels import SECTION_NAMES, UI
from replica.timefmt import rss_date

if TYPE_CHECKING:
    from replica.site import ReplicaSite

FEED_SIZE = 50

ROBOTS_TXT = "User-agent: *\nDisallow: /search\nDisallow: /admin/\n"

# A 1x1 PNG (the logo): a real image. The article photos are made by replica/images.py.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def rss(site: ReplicaSite, lang: str, base: str) -> str:
    """The newest live articles of a language, newest first, with absolute links."""
    items = []
    for idx in site.live[lang][:FEED_SIZE]:
        e = site.entries[idx]
        url = base + e.path
        items.append(
            f"<item><title>{escape(e.title)}</title><link>{escape(url)}</link>"
            f'<guid isPermaLink="true">{escape(url)}</guid><pubDate>{rss_date(e.ts)}</pubDate>'
            f"<category>{escape(SECTION_NAMES[e.section])}</category></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>Turan ({lang})</title><link>{escape(base)}/{lang}</link>"
        f"<description>{escape(UI[lang]['agency'])}</description><language>{lang}</language>"
        f"{''.join(items)}</channel></rss>\n"
    )

"""Ground truth: what a perfect parser must return for each article page (conventions in MARKUP.md).

Built from how the page was generated, never by parsing the HTML.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any, Protocol

from replica import images
from replica.content import ArticleContent, Figure, walk
from replica.timefmt import comment_date, iso, visible

if TYPE_CHECKING:
    from replica.model import Entry


class PhotoHost(Protocol):
    """Where the site serves its photos (ReplicaSite): the site's host or its CDN, and which are broken."""

    cdn_base: str | None

    def image_url(self, fig: Figure, base: str) -> str: ...

    def image_fault(self, image_id: int, lead: bool) -> str | None: ...


def article_truth(entry: Entry, content: ArticleContent, base_url: str, site: PhotoHost) -> dict[str, Any]:
    url = base_url + entry.path
    figures = [content.lead_image] if content.lead_image else []
    figures += [fig for pos in sorted(content.figures) for fig in content.figures[pos]]
    return {
        "url": url,
        "canonical_url": url,
        "site": "turan",
        "article_id": None if entry.article_id is None else str(entry.article_id),
        "language": entry.lang,
        "section": entry.section,
        "title": entry.title,
        "authors": list(content.authors),
        "published": iso(entry.ts),
        "published_raw": visible(entry.ts, entry.lang),
        "modified": None if entry.modified_ts is None else iso(entry.modified_ts),
        "body": content.body,
        "captions": [_caption(site, fig, base_url) for fig in figures],
        "images": [_image(site, pos, fig, base_url) for pos, fig in enumerate(figures)],
        "comments": [
            {"comment_id": str(c.comment_id), "parent_id": None if c.parent_id is None else str(c.parent_id),
             "author": c.author, "published": iso(c.ts), "published_raw": comment_date(c.ts), "text": c.text}
            for c in walk(content.comments)
        ],
        "tags": list(content.tags),
        "is_partial": entry.paywalled,
    }


def _caption(site: PhotoHost, fig: Figure, base_url: str) -> dict[str, str | None]:
    credit, credit_url = fig.credit if fig.credit else (None, None)
    return {"image_url": site.image_url(fig, base_url), "text": fig.caption, "credit": credit,
            "credit_url": credit_url}


def _image(site: PhotoHost, position: int, fig: Figure, base_url: str) -> dict[str, Any]:
    """The image a caption belongs to: its bytes' hash, type and size as served, or its fault."""
    fault = site.image_fault(fig.image_id, fig.lead)
    truth: dict[str, Any] = {"position": position, "image_url": site.image_url(fig, base_url), "fault": fault,
                             "on_cdn": bool(site.cdn_base and fig.on_cdn)}
    if fault is None:
        spec, data = images.spec(fig.image_id), images.image_bytes(fig.image_id)
        truth.update(sha256=hashlib.sha256(data).hexdigest(), content_type=images.CONTENT_TYPES[spec.ext],
                     width=spec.width, height=spec.height, size=len(data))
    return truth

"""Ground truth: what a perfect parser must return for each article page (conventions in MARKUP.md).

Built from how the page was generated, never by parsing the HTML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from replica.content import ArticleContent, Figure, walk
from replica.timefmt import comment_date, iso, visible

if TYPE_CHECKING:
    from replica.model import Entry


def article_truth(entry: Entry, content: ArticleContent, base_url: str) -> dict[str, Any]:
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
        "captions": [_caption(fig, base_url) for fig in figures],
        "comments": [
            {"comment_id": str(c.comment_id), "parent_id": None if c.parent_id is None else str(c.parent_id),
             "author": c.author, "published": iso(c.ts), "published_raw": comment_date(c.ts), "text": c.text}
            for c in walk(content.comments)
        ],
        "tags": list(content.tags),
        "is_partial": entry.paywalled,
    }


def _caption(fig: Figure, base_url: str) -> dict[str, str | None]:
    credit, credit_url = fig.credit if fig.credit else (None, None)
    return {"image_url": base_url + fig.image_path, "text": fig.caption, "credit": credit,
            "credit_url": credit_url}

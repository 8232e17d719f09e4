"""Adapter for ``/work/shared/datasets/score.py``: the generic path (no profile) on labelled pages.

The scorer asks for one date, the publication date: ``published``, which means when the article first
appeared (issue 16), from whichever source the date extractor trusted; only a page that states no
publication at all gives its last modification. A page that shows only "Updated March 5" and whose
metadata says it was published on March 1 was published on March 1. Its comment labels
hold each comment as a reader sees it (name, date, text), so each comment is given in that shape.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .article import Article, Comment
from .parse import parse_article


def extract(html: str, url: str) -> dict[str, Any]:
    article = parse_article(html, url or "")
    date = shown_date(article)
    return {
        "body": article.body,
        "published": date.isoformat() if date else None,
        "comments": [_as_read(c) for c in article.comments],
    }


def shown_date(article: Article) -> datetime | None:
    """The article's first publication, else its last modification (see the module's docstring)."""
    return article.published or article.modified


def _as_read(comment: Comment) -> str:
    head = " ".join(part for part in (comment.author, comment.published_raw) if part)
    return f"{head}\n{comment.text}" if head else comment.text

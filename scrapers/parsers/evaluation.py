"""Adapter for ``/work/shared/datasets/score.py``: the generic path (no profile) on labelled pages.

The scorer asks for one date: the publication date, else the last modification (a page that only
states when it was updated is dated by that). Its comment labels hold each comment as a reader sees
it (name, date, text), so each comment is given in that shape.
"""

from __future__ import annotations

from typing import Any

from .article import Comment
from .parse import parse_article


def extract(html: str, url: str) -> dict[str, Any]:
    article = parse_article(html, url or "")
    date = article.published or article.modified
    return {
        "body": article.body,
        "published": date.isoformat() if date else None,
        "comments": [_as_read(c) for c in article.comments],
    }


def _as_read(comment: Comment) -> str:
    head = " ".join(part for part in (comment.author, comment.published_raw) if part)
    return f"{head}\n{comment.text}" if head else comment.text

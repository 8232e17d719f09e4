"""Adapter for ``/work/shared/datasets/score.py``: the generic path (no profile) on labelled pages.

The scorer asks for one date, and its labels follow the date a reader sees on the page: so the
date the page shows (its published date when it shows one, else the updated date it shows), else
the publication date from the page's metadata, else the last modification. Its comment labels
hold each comment as a reader sees it (name, date, text), so each comment is given in that shape.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .article import Article, Comment
from .dates import VISIBLE_SOURCES
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
    """The date a reader sees as the article's date (see the module's docstring)."""
    if article.published and article.published_source in VISIBLE_SOURCES:
        return article.published
    if article.modified and article.modified_source in VISIBLE_SOURCES:
        return article.modified
    return article.published or article.modified


def _as_read(comment: Comment) -> str:
    head = " ".join(part for part in (comment.author, comment.published_raw) if part)
    return f"{head}\n{comment.text}" if head else comment.text

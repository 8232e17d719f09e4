"""Previous states of articles and comments, kept when a later fetch changes them.

The archive's ``articles`` and ``comments`` rows always hold the newest state (that is what search
and ``show`` see).  Before a changed article is overwritten its whole old state, captions included,
is copied into ``article_versions``; before an edited comment is overwritten its old text goes to
``comment_versions``.  Comments that appear later are simply new rows (their ``first_seen`` says
when), so nothing is ever lost and ``newsarchive history`` can show every change with its date.

Called by the store inside its write transaction; nothing here commits.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

_SAVE_ARTICLE = """
INSERT INTO article_versions (
    article_id, version, content_hash, url, canonical_url, section, title, authors, published,
    published_raw, modified, modified_raw, body, captions, tags, is_partial, extractor_version,
    page_hash, valid_from, last_seen, replaced, run_id)
SELECT id, version, content_hash, url, canonical_url, section, title, authors, published,
    published_raw, modified, modified_raw, body, ?, tags, is_partial, extractor_version,
    page_hash, coalesce(version_since, first_seen), last_seen, ?, ?
FROM articles WHERE id = ?
"""
_SAVE_COMMENT = """
INSERT INTO comment_versions (
    article_id, comment_id, parent_id, author, published, published_raw, text, first_seen, replaced, run_id)
SELECT article_id, comment_id, parent_id, author, published, published_raw, text, first_seen, ?, ?
FROM comments WHERE article_id = ? AND comment_id = ?
"""
# The comment fields whose change makes a new version (the same ones the store's upsert compares).
_COMMENT_FIELDS = "parent_id, author, published, published_raw, text"


def _ids_param(ids: Iterable[int]) -> str:
    return json.dumps(sorted(set(ids)))


def captions_json(conn: sqlite3.Connection, article_ids: Iterable[int]) -> dict[int, str]:
    """Each article's captions, in page order, as one JSON list (as stored in a version)."""
    found: dict[int, list[dict[str, Any]]] = {}
    rows = conn.execute(
        "SELECT article_id, image_url, text, credit, credit_url FROM captions "
        "WHERE article_id IN (SELECT value FROM json_each(?)) ORDER BY article_id, position",
        (_ids_param(article_ids),),
    )
    for article_id, image_url, text, credit, credit_url in rows:
        found.setdefault(int(article_id), []).append(
            {"image_url": image_url, "text": text, "credit": credit, "credit_url": credit_url}
        )
    return {k: json.dumps(v, ensure_ascii=False) for k, v in found.items()}


def save_article_versions(
    conn: sqlite3.Connection, article_ids: Sequence[int], replaced: Sequence[str], run_id: int | None
) -> None:
    """Copies the current state of each article (about to be overwritten) into article_versions.

    `replaced[i]` is the fetch time of the state that replaces article `article_ids[i]`.
    """
    if not article_ids:
        return
    captions = captions_json(conn, article_ids)
    conn.executemany(
        _SAVE_ARTICLE,
        ((captions.get(a, "[]"), when, run_id, a) for a, when in zip(article_ids, replaced, strict=True)),
    )


@dataclass
class CommentChanges:
    new: int = 0
    edited: int = 0
    articles: int = 0  # articles with at least one new or edited comment


def save_comment_versions(
    conn: sqlite3.Connection, rows: Sequence[tuple[Any, ...]], run_id: int | None
) -> CommentChanges:
    """Compares incoming comment rows with the archived ones, copies the old state of each edited
    comment into comment_versions and counts what is new.

    `rows` are the store's comment rows: (article_id, comment_id, parent_id, author, published,
    published_raw, text, fetched_at).
    """
    changes = CommentChanges()
    if not rows:
        return changes
    existing = {
        (int(r[0]), str(r[1])): tuple(r[2:])
        for r in conn.execute(
            f"SELECT article_id, comment_id, {_COMMENT_FIELDS} FROM comments "
            "WHERE article_id IN (SELECT value FROM json_each(?))",
            (_ids_param(int(r[0]) for r in rows),),
        )
    }
    edited: list[tuple[Any, ...]] = []
    touched: set[int] = set()
    seen: set[tuple[int, str]] = set()
    for row in rows:
        key = (int(row[0]), str(row[1]))
        if key in seen:
            continue
        seen.add(key)
        old = existing.get(key)
        if old is None:
            changes.new += 1
            touched.add(key[0])
        elif old != tuple(row[2:7]):
            edited.append((row[7], run_id, key[0], key[1]))
            touched.add(key[0])
    conn.executemany(_SAVE_COMMENT, edited)
    changes.edited = len(edited)
    changes.articles = len(touched)
    return changes

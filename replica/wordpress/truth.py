"""Ground truth of the WordPress replica: what a perfect parser returns for each post.

Built from the generated objects, never by parsing HTML. Conventions: the body is the post's
paragraphs, subheadings, quotes and list items, one per paragraph (blank line between), without
captions, "Read more" links, share buttons or anything outside the post's content; a caption's
``text`` is the caption without its credit ("Photo: …", "© …"); comments are in page order.
"""

from __future__ import annotations

import hashlib
from typing import Any

from replica.wordpress.model import PHOTO_SIZE, Post, comment_date, iso, photo_bytes, walk


def post_truth(post: Post, base_url: str) -> dict[str, Any]:
    url = base_url + post.path
    return {
        "url": url,
        "canonical_url": url,
        "language": "en",
        "section": post.categories[0].name,
        "title": post.title,
        "authors": [a.name for a in post.authors],
        "published": iso(post.published),
        "modified": iso(post.modified) if post.modified else None,
        "last_modified": iso(post.last_modified),
        "body": post.body,
        "captions": [
            {"image_url": base_url + f.path, "text": f.caption, "credit": f.credit, "credit_url": None}
            for f in post.figures
        ],
        "comments": [
            {"comment_id": str(c.comment_id), "parent_id": None if c.parent_id is None else str(c.parent_id),
             "author": c.author, "published": iso(c.when), "published_raw": comment_date(c.when), "text": c.text}
            for c in walk(post.comments)
        ],
        "tags": list(post.tags),
        # The photo each caption belongs to, as served.
        "images": [
            {"position": n, "image_url": base_url + f.path, "content_type": "image/jpeg", "width": PHOTO_SIZE[0],
             "height": PHOTO_SIZE[1], "sha256": hashlib.sha256(photo_bytes(f.image_id)).hexdigest()}
            for n, f in enumerate(post.figures)
        ],
    }

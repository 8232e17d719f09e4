"""The replica site: its model (model.py) with generated content, changes and ground truth.

Building the model only decides per-article metadata, so 100k articles take seconds; bodies,
comments and pages are generated on request from an article's index (see content.py and render.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from replica import changes, images
from replica.content import ArticleContent, Figure, article_content
from replica.model import Entry, SiteModel
from replica.truth import article_truth

__all__ = ["Entry", "ReplicaSite"]


class ReplicaSite(SiteModel):
    """A deterministic turan.az stand-in: `articles` article pages (legacy and 404 ones included)."""

    def __init__(self, seed: int = 1, articles: int = 300, weight: str = "light", photo_faults: bool = False) -> None:
        super().__init__(seed, articles, weight)
        # Photos (replica/images.py): some broken on purpose, some on a second host (the "CDN").
        self.photo_faults = photo_faults
        self.cdn_base: str | None = None
        # Pages, their conditional re-requests and the ground truth share one generation.
        self.content: Callable[[int], ArticleContent] = lru_cache(maxsize=1024)(self._content)

    def _content(self, idx: int) -> ArticleContent:
        return article_content(self, idx)

    def refresh(self) -> None:
        """Rebuilds listings and forgets generated pages after a change (replica/changes.py)."""
        super().refresh()
        self.content.cache_clear()  # type: ignore[attr-defined]

    # --- changes between crawls (replica/changes.py) ---------------------------------------

    def edit_article(self, idx: int) -> None:
        """A new revision of article `idx`: updated title, an update paragraph, a new modified time."""
        changes.edit_article(self, idx)

    def add_comments(self, idx: int, count: int) -> list[int]:
        """`count` new comments on article `idx`; returns their ids."""
        return changes.add_comments(self, idx, count)

    def remove_article(self, idx: int) -> None:
        """Takes article `idx` down (404, gone from listings)."""
        changes.remove_article(self, idx)

    def add_articles(self, count: int) -> list[int]:
        """`count` new live articles, the newest of the site; returns their indexes."""
        return changes.add_articles(self, count)

    # --- photos ---------------------------------------------------------------------------

    def image_url(self, fig: Figure, base: str) -> str:
        """Where a figure's image is: on the CDN (when there is one and the image lives there) or the site."""
        return (self.cdn_base if self.cdn_base and fig.on_cdn else base) + fig.image_path

    def image_fault(self, image_id: int, lead: bool) -> str | None:
        return images.fault_of(image_id, lead) if self.photo_faults else None

    def ground_truth(self, base_url: str = "http://127.0.0.1:8000") -> Iterator[dict[str, Any]]:
        """One dict per article page that answers 200 (see MARKUP.md, "Ground truth")."""
        for entry in self.articles():
            yield article_truth(entry, self.content(entry.idx), base_url.rstrip("/"), self)

    def write_ground_truth(self, path: str | Path, base_url: str = "http://127.0.0.1:8000") -> int:
        """Write ground_truth() as JSON lines; returns the number of records."""
        count = 0
        with open(path, "w", encoding="utf-8") as out:
            for record in self.ground_truth(base_url):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
        return count

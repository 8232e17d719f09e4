"""What a live site does between two crawls, done to a built replica: edits, new comments,
takedowns and new stories (for testing incremental re-crawls).

Each change only moves an entry's generation inputs (its revision, its comment batches, its
missing flag, new entries); pages and ground truth are then generated from them as before (see
content.py), so the truth follows every change without parsing anything. Every change moves the
site's clock one hour on, and the changed pages' Last-Modified and ETag with it.
"""

from __future__ import annotations

from random import Random
from typing import TYPE_CHECKING

from replica.model import FAMILY_WEIGHTS, Story, story_langs
from replica.textgen import mix

if TYPE_CHECKING:
    from replica.model import Entry, SiteModel

STEP = 3600
# Appended to an edited title (once), in the entry's language.
UPDATED = {"az": "yenilənib", "en": "updated", "ru": "обновлено"}


def _tick(site: SiteModel) -> int:
    site.clock += STEP
    return site.clock


def _live(site: SiteModel, idx: int) -> Entry:
    entry = site.entries[idx]
    if entry.missing:
        raise ValueError(f"article {idx} does not answer 200 (missing or removed)")
    return entry


def edit_article(site: SiteModel, idx: int) -> None:
    """A new revision: the title gains "(updated)" (first edit only), an update paragraph is
    appended to the body (not behind a paywall), and the article shows a new modified time."""
    entry = _live(site, idx)
    entry.revision += 1
    if entry.revision == 1:
        entry.title = f"{entry.title} ({UPDATED[entry.lang]})"
    entry.modified_ts = _tick(site)
    site.refresh()


def add_comments(site: SiteModel, idx: int, count: int) -> list[int]:
    """`count` new comments (new ids, later than every comment there; some are replies to old
    ones). The page's Last-Modified moves, not the article's modified time. Returns their ids."""
    entry = _live(site, idx)
    first = site.next_comment_id
    site.next_comment_id += count
    entry.comment_batches = (*entry.comment_batches, (first, count, _tick(site)))
    entry.changed_ts = site.clock
    site.refresh()
    return list(range(first, first + count))


def remove_article(site: SiteModel, idx: int) -> None:
    """Takes the article down: it answers 404 and leaves the listings, feeds and teasers."""
    entry = _live(site, idx)
    entry.missing = True
    entry.removed = True
    _tick(site)
    site.refresh()


def add_articles(site: SiteModel, count: int) -> list[int]:
    """`count` new live article pages (new stories, newest of all, 1-3 languages each).
    Returns their indexes."""
    now = _tick(site)
    rng = Random(mix(site.seed, 5, len(site.stories)))
    families, weights = list(FAMILY_WEIGHTS), list(FAMILY_WEIGHTS.values())
    added: list[int] = []
    while len(added) < count:
        family = rng.choices(families, weights)[0]
        langs = story_langs(rng, family)[: count - len(added)]
        site.stories.append(Story(family, langs, now + 60 * len(added), "current", site.next_article_id))
        site.next_article_id += 1
        story_idx = len(site.stories) - 1
        topic, _ = site.topic(story_idx)
        idxs = [site.add_entry(rng, story_idx, topic, lang) for lang in langs]
        for idx in idxs:
            entry = site.entries[idx]
            entry.missing = False  # a new article is live
            entry.comment_base = site.next_comment_id
            site.next_comment_id += entry.comment_count
        site.versions.append(idxs)
        added += idxs
    site.refresh()
    return added

"""The replica's site model: which articles exist, where, when, and in which listings.

Building the model only decides per-article metadata (a few random draws and one rendered title
each), so 100k articles take seconds; bodies, comments and pages are generated on request from
an article's index (see content.py and render.py). The modules that generate them (content,
changes, weight, truth) read this model; site.py puts them together as ReplicaSite.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from random import Random

from replica.labels import LANGS, LEGACY_SECTIONS, SECTION_SLUGS
from replica.textgen import Topic, between, make_topic, mix, slugify, title_for
from replica.timefmt import baku, epoch

PAGE_SIZE = 20
FIRST_ID = 700_000
FIRST_COMMENT_ID = 100_001
TIMELINE = (epoch(2019, 1, 1), epoch(2025, 2, 13, 12, 0))
# Stories older than this may have id-less URLs; articles older than END_MARKER_BEFORE end with "—0—".
IDLESS_BEFORE = epoch(2021, 1, 1)
END_MARKER_BEFORE = epoch(2022, 1, 1)
CLOCK_AFTER_TIMELINE = 30 * 86400  # changes happen after every generated comment
IDLESS_SHARE = 0.45  # of early single-language stories: about 5% of all articles
WEIGHTS = ("light", "real")  # page weights (replica/weight.py): "real" is a real news page's size
FAMILY_WEIGHTS = {"politics": 35, "economics": 25, "social": 20, "difficult": 8, "wanttosay": 7, "qa": 5}


@dataclass(slots=True)
class Entry:
    """One article page (one language version of a story). `kind`: current, idless or legacy."""

    idx: int
    story: int
    kind: str
    article_id: int | None
    lang: str
    family: str
    section: str
    ts: int
    title: str
    path: str
    missing: bool = False
    paywalled: bool = False
    urgent: bool = False
    published_meta: bool = True
    modified_ts: int | None = None
    comment_count: int = 0
    comment_base: int = 0
    # Changes made after building (replica/changes.py).
    revision: int = 0  # edits: each appends an update paragraph
    comment_batches: tuple[tuple[int, int, int], ...] = ()  # comments added later: (first id, count, time)
    changed_ts: int | None = None  # the page changed (new comments) without a new modified time
    removed: bool = False  # taken down: answers 404 and is in no listing

    @property
    def last_modified(self) -> int:
        return max(self.modified_ts or self.ts, self.changed_ts or 0)

    @property
    def has_end_marker(self) -> bool:
        return not self.paywalled and (self.kind == "legacy" or self.ts < END_MARKER_BEFORE)


@dataclass(frozen=True, slots=True)
class Story:
    family: str
    langs: tuple[str, ...]
    ts: int
    kind: str
    article_id: int | None


class SiteModel:
    """Which article pages the site has (legacy and 404 ones included), where, when and in which
    listings; what they say is generated on request (content.py, ReplicaSite.content)."""

    def __init__(self, seed: int = 1, articles: int = 300, weight: str = "light") -> None:
        if articles < 1:
            raise ValueError("articles must be >= 1")
        if weight not in WEIGHTS:
            raise ValueError(f"weight must be one of {', '.join(WEIGHTS)}")
        self.seed = seed
        self.weight = weight  # "real": pages of a real news page's size (replica/weight.py)
        rng = Random(mix(seed, articles))
        n_legacy = rng.randint(2, 4) if articles >= 40 else 0
        self.stories = _plan_stories(rng, articles - n_legacy) + _plan_legacy(rng, n_legacy)
        self.entries: list[Entry] = []
        self.by_path: dict[str, int] = {}
        self.versions: list[list[int]] = []
        for story_idx, story in enumerate(self.stories):
            topic, _ = self.topic(story_idx)
            self.versions.append([self.add_entry(rng, story_idx, topic, lang) for lang in story.langs])
        _number_comments(self.entries)
        last = self.entries[-1]
        self.next_comment_id = last.comment_base + last.comment_count
        self.next_article_id = 1 + max(
            (s.article_id for s in self.stories if s.kind == "current" and s.article_id), default=FIRST_ID - 1
        )
        self.clock = TIMELINE[1] + CLOCK_AFTER_TIMELINE  # the time of changes (replica/changes.py)
        self._index()

    # --- building -------------------------------------------------------------------------

    def topic(self, story_idx: int) -> tuple[Topic, Random]:
        """A story's topic and the generator positioned right after it (for its body plan)."""
        story = self.stories[story_idx]
        rng = Random(mix(self.seed, story_idx, 1))
        return make_topic(rng, story.family, baku(story.ts).year), rng

    def add_entry(self, rng: Random, story_idx: int, topic: Topic, lang: str) -> int:
        story = self.stories[story_idx]
        # The video show keeps its Azerbaijani title in the English section, as on the real site.
        title = title_for(topic, "az" if story.family == "difficult" else lang)
        first = lang == story.langs[0]
        ts = story.ts if first else story.ts + 60 * between(rng, 10, 241)
        legacy = story.kind == "legacy"
        section = LEGACY_SECTIONS[story.family] if legacy else SECTION_SLUGS[story.family][lang]
        entry = Entry(
            idx=len(self.entries), story=story_idx, kind=story.kind, article_id=story.article_id, lang=lang,
            family=story.family, section=section, ts=ts, title=title, path="",
            missing=not legacy and rng.random() < 0.02, paywalled=rng.random() < 0.10,
            urgent=rng.random() < 0.03, published_meta=rng.random() < 0.80,
            modified_ts=ts + 60 * between(rng, 10, 4321) if rng.random() < 0.10 else None,
            comment_count=between(rng, 1, 11) if rng.random() < 0.30 else 0,
        )
        entry.path = self._unique_path(entry, slugify(title))
        self.by_path[entry.path] = entry.idx
        self.entries.append(entry)
        return entry.idx

    def _unique_path(self, entry: Entry, slug: str) -> str:
        if entry.kind == "legacy":
            d, e = baku(entry.ts), entry
            return f"/ext/news/{d.year}/{d.month}/free/{e.section}_news/{e.lang}/{e.article_id}.htm"
        if entry.kind == "current":
            return f"/{entry.lang}/{entry.section}/{slug}-{entry.article_id}"
        if slug[-1].isdigit():  # an id-less slug must not look like "...-779784"
            slug += "-x"
        path, n = f"/{entry.lang}/{entry.section}/{slug}", 2
        while path in self.by_path:  # same title twice: "-v2", "-v3" keep the slug id-less
            path, n = f"/{entry.lang}/{entry.section}/{slug}-v{n}", n + 1
        return path

    def _index(self) -> None:
        """Listings newest first, the per-language teaser lists and the legacy calendar."""
        newest = sorted((e for e in self.entries if e.kind != "legacy"), key=lambda e: (-e.ts, -e.idx))
        self.listings: dict[tuple[str, str], list[int]] = {
            (lang, section): [] for lang in LANGS for section in _sections(lang)
        }
        self.home: dict[str, list[int]] = {lang: [] for lang in LANGS}
        self.live: dict[str, list[int]] = {lang: [] for lang in LANGS}
        for e in newest:
            if e.removed:
                continue
            self.listings[(e.lang, e.section)].append(e.idx)
            self.home[e.lang].append(e.idx)
            if not e.missing:
                self.live[e.lang].append(e.idx)
        self.live_all = [e.idx for e in newest if not e.missing]
        self.legacy = [e.idx for e in self.entries if e.kind == "legacy"]
        self.calendar_path: str | None = None
        if self.legacy:
            d = baku(self.entries[self.legacy[0]].ts)
            self.calendar_path = f"/ext/clndr/{d.year}/{d.month}/analytics_001_az.htm"

    def refresh(self) -> None:
        """Rebuilds the listings after a change (replica/changes.py)."""
        self._index()

    # --- lookups --------------------------------------------------------------------------

    def entry_for(self, path: str) -> Entry | None:
        idx = self.by_path.get(path)
        return None if idx is None else self.entries[idx]

    def page_count(self, lang: str, section: str) -> int:
        return max(1, math.ceil(len(self.listings[(lang, section)]) / PAGE_SIZE))

    def listing_page(self, lang: str, section: str, page: int) -> list[Entry] | None:
        """Entries of a listing page (1-based), None beyond the last page or for unknown sections."""
        items = self.listings.get((lang, section))
        if items is None or not 1 <= page <= self.page_count(lang, section):
            return None
        return [self.entries[i] for i in items[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]]

    def translations(self, entry: Entry) -> list[Entry]:
        """The story's other language versions that answer 200."""
        others = (self.entries[i] for i in self.versions[entry.story] if i != entry.idx)
        return [e for e in others if not e.missing]

    def articles(self) -> Iterator[Entry]:
        """Every article page that answers 200, in generation order."""
        return (e for e in self.entries if not e.missing)

    def missing_urls(self, base_url: str = "http://127.0.0.1:8000") -> list[str]:
        """Article URLs linked from listings that answer 404."""
        return [base_url.rstrip("/") + e.path for e in self.entries if e.missing and not e.removed]

    def removed_urls(self, base_url: str = "http://127.0.0.1:8000") -> list[str]:
        """Article URLs taken down by remove_article (they answer 404 and are no longer listed)."""
        return [base_url.rstrip("/") + e.path for e in self.entries if e.removed]


def _sections(lang: str) -> list[str]:
    return [slugs[lang] for slugs in SECTION_SLUGS.values() if lang in slugs]


def story_langs(rng: Random, family: str) -> tuple[str, ...]:
    """The original language first, then translations (1-3 languages in all)."""
    available = [lang for lang in LANGS if lang in SECTION_SLUGS[family]]
    if family == "difficult":
        return ("az", "en") if rng.random() < 0.5 else ("az",)
    roll = rng.random()
    count = 1 if roll < 0.5 else 2 if roll < 0.8 else 3
    return tuple(rng.sample(available, min(count, len(available))))


def _plan_stories(rng: Random, n_articles: int) -> list[Story]:
    """Stories spread evenly over the timeline (ids grow with time), with n_articles versions."""
    drafts: list[tuple[str, tuple[str, ...]]] = []
    total = 0
    families, weights = list(FAMILY_WEIGHTS), list(FAMILY_WEIGHTS.values())
    while total < n_articles:
        family = rng.choices(families, weights)[0]
        langs = story_langs(rng, family)[: n_articles - total]
        drafts.append((family, langs))
        total += len(langs)
    start, end = TIMELINE
    step = (end - start) / len(drafts)
    stories, next_id = [], FIRST_ID
    for i, (family, langs) in enumerate(drafts):
        ts = start + int((i + rng.random()) * step) // 60 * 60
        if ts < IDLESS_BEFORE and len(langs) == 1 and rng.random() < IDLESS_SHARE:
            stories.append(Story(family, langs, ts, "idless", None))
        else:
            stories.append(Story(family, langs, ts, "current", next_id))
            next_id += 1
    return stories


def _plan_legacy(rng: Random, count: int) -> list[Story]:
    """A few old pages of the /ext/news/ tree, all from one month, ids in 5000-5999."""
    year, month = rng.randint(2019, 2022), rng.randint(1, 12)
    ids = sorted(rng.sample(range(5000, 6000), count))
    days = sorted(rng.sample(range(1, 29), count))
    return [
        Story(rng.choice(list(LEGACY_SECTIONS)), (rng.choice(LANGS),),
              epoch(year, month, day, rng.randint(8, 20), rng.randint(0, 59)), "legacy", article_id)
        for article_id, day in zip(ids, days, strict=True)
    ]


def _number_comments(entries: list[Entry]) -> None:
    """Comment ids are unique per site: each article owns a consecutive block."""
    next_id = FIRST_COMMENT_ID
    for e in entries:
        if e.missing:
            e.comment_count = 0
        e.comment_base = next_id
        next_id += e.comment_count

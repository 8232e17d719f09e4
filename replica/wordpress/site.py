"""The WordPress replica's model: posts, authors, categories, tags, static pages and comment threads.

Everything is drawn from one seeded generator when the site is built, so the same ``seed`` and
``posts`` give the same site, and the ground truth (truth.py) comes from these objects, never from
the HTML.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from random import Random

from replica.wordpress import text
from replica.wordpress.model import (
    Author,
    Block,
    CaptionStyle,
    Category,
    CommentNode,
    Figure,
    Markup,
    Post,
    StaticPage,
    walk,
)
from replica.wordpress.truth import post_truth

TZ = timezone(timedelta(hours=1))  # the site's "UTC+1" setting
START = datetime(2023, 1, 2, 8, 0, tzinfo=TZ)
END = datetime(2025, 1, 31, 18, 0, tzinfo=TZ)
PER_PAGE = 10  # posts per listing page, as WordPress's default
SITEMAP_SIZE = 50  # URLs per post sitemap
NEWS_SIZE = 20  # newest posts in the news sitemap
FEED_SIZE = 10
FIRST_POST_ID = 1200
FIRST_COMMENT_ID = 3001
SEARCH_TERMS = ("budget", "election", "housing", "energy")

AUTHOR_NAMES = ("Maria Lindqvist", "Tomas Novak", "Leyla Haddad", "James O’Neill", "Priya Tanaka", "Hugo Moreau")
CATEGORY_NAMES = ("Politics", "Economy", "World", "Society", "Environment", "Opinion")
TAG_POOL = ("parliament", "budget", "elections", "energy", "housing", "transport", "health", "education",
            "climate", "trade", "courts", "local government", "labour", "tourism", "agriculture", "media",
            "pensions", "taxes", "water", "technology")


class WordPressSite:
    """A generated WordPress news site with ``posts`` posts (seeded, deterministic)."""

    name = "The Daily Harbour"

    def __init__(self, seed: int = 1, posts: int = 120) -> None:
        if posts < 1:
            raise ValueError("posts must be >= 1")
        self.seed = seed
        rng = Random(f"wordpress:{seed}:{posts}")
        self.authors = [Author(n, text.slugify(n), f"{n} covers {rng.choice(text.TOPICS)} and local politics.")
                        for n in AUTHOR_NAMES]
        self.categories = [Category(n, text.slugify(n)) for n in CATEGORY_NAMES]
        self.pages = [
            StaticPage(2, "About", "about", tuple(text.paragraph(rng, "local news", "Porto") for _ in range(2))),
            StaticPage(3, "Contact", "contact", ("Write to the newsroom at news@example.org.",)),
            StaticPage(4, "About our editorial standards", "about-our-editorial-standards",
                       tuple(text.paragraph(rng, "our reporting", "Porto") for _ in range(5))),
        ]
        self.posts: list[Post] = []
        slugs: set[str] = set()
        step = (END - START) / posts
        next_comment = FIRST_COMMENT_ID
        for idx in range(posts):
            when = START + step * idx + timedelta(minutes=rng.randint(0, max(1, int(step.total_seconds() // 120))))
            when = when.replace(second=0, microsecond=0)
            post = self._post(rng, idx, when, slugs, next_comment)
            next_comment += sum(1 for _ in walk(post.comments))
            self.posts.append(post)
        for post in self.posts:  # related posts and in-text links point at other posts
            post.related = sorted({rng.randrange(posts) for _ in range(3)} - {post.idx})
        self.newest = sorted(self.posts, key=lambda p: p.published, reverse=True)
        self.by_path = {p.path: p for p in self.posts}
        self.by_id = {str(p.post_id): p for p in self.posts}
        self.pages_by_path = {p.path: p for p in self.pages}

    # --- building ---------------------------------------------------------------------------
    def _post(self, rng: Random, idx: int, when: datetime, slugs: set[str], first_comment: int) -> Post:
        topic, city = rng.choice(text.TOPICS), rng.choice(text.CITIES)
        title = text.title(rng, topic, city)
        slug = base = text.slugify(title)
        n = 2
        while slug in slugs:
            slug, n = f"{base}-{n}", n + 1
        slugs.add(slug)
        modified = when + timedelta(hours=rng.randint(2, 200)) if rng.random() < 0.25 else None
        authors = rng.sample(self.authors, 2 if rng.random() < 0.15 else 1)
        categories = rng.sample(self.categories, 2 if rng.random() < 0.2 else 1)
        tags = rng.sample(TAG_POOL, rng.randint(0, 4))
        markup: Markup = rng.choices(("yoast", "jetpack", "bare"), (50, 25, 25))[0]
        post_id = FIRST_POST_ID + idx * 7
        return Post(
            idx=idx, post_id=post_id, title=title, slug=slug, published=when, modified=modified,
            authors=authors, categories=categories, tags=tags,
            blocks=self._blocks(rng, topic, city, when, post_id, slug),
            comments=self._comments(rng, topic, city, when, first_comment),
            markup=markup, share=rng.random() < 0.5, related=[], featured=rng.random() < 0.6, topic=topic,
        )

    def _blocks(self, rng: Random, topic: str, city: str, when: datetime, post_id: int, slug: str) -> list[Block]:
        blocks = [Block("p", (text.paragraph(rng, topic, city),))]
        for _ in range(rng.randint(3, 9)):
            roll = rng.random()
            if roll < 0.1:
                blocks.append(Block("h2", (text.heading(rng, city),)))
            elif roll < 0.17:
                blocks.append(Block("quote", (text.fill(rng, rng.choice(text.SENTENCES), topic, city),)))
            elif roll < 0.22:
                items = tuple(dict.fromkeys(text.list_item(rng, topic, city) for _ in range(rng.randint(2, 4))))
                blocks.append(Block("list", items))
            else:
                link = rng.randrange(1000) if rng.random() < 0.15 else None
                blocks.append(Block("p", (text.paragraph(rng, topic, city),), link=link))
        _no_trailing_headings(blocks)
        captions = list(dict.fromkeys(text.caption(rng, topic, city) for _ in range(6)))
        for n in range(min(len(captions), rng.choice((0, 0, 1, 1, 1, 2, 3)))):
            position = rng.randint(1, len(blocks))
            fig = self._figure(rng, captions[n], when, post_id, slug, n)
            blocks.insert(position, Block("figure", figure=fig))
        if rng.random() < 0.2:
            blocks.insert(rng.randint(2, len(blocks)), Block("readmore", link=rng.randrange(1000)))
        return blocks

    def _figure(self, rng: Random, caption: str, when: datetime, post_id: int, slug: str, n: int) -> Figure:
        image_id = post_id + 1 + n
        style: CaptionStyle = rng.choices(("html5", "classic", "block"), (50, 25, 25))[0]
        path = f"/wp-content/uploads/{when.year}/{when.month:02d}/{slug[:40]}-{image_id}-1024x683.jpg"
        if rng.random() < 0.2:
            return Figure(image_id, path, caption, None, caption, style)
        agency = rng.choice(text.CREDIT_NAMES)
        credit = agency if rng.random() < 0.6 else f"{text.person(rng)}/{agency}"
        form = rng.randrange(4)
        if form == 0:
            return Figure(image_id, path, caption, credit, f"{caption} (Photo: {credit})", style)
        if form == 1:
            return Figure(image_id, path, caption + ".", credit, f"{caption}. Photo: {credit}", style)
        if form == 2:
            return Figure(image_id, path, caption, credit, f"{caption} | Photo: {credit}", style)
        return Figure(image_id, path, caption, credit, f"{caption} © {credit}", style)

    def _comments(self, rng: Random, topic: str, city: str, when: datetime, first_id: int) -> list[CommentNode]:
        if rng.random() >= 0.4:
            return []
        created: list[CommentNode] = []
        for k in range(rng.randint(1, 10)):
            open_parents = [c for c in created if c.depth < 3]
            parent = rng.choice(open_parents) if open_parents and rng.random() < 0.45 else None
            after = parent.when if parent else when
            name = text.person(rng) if rng.random() < 0.8 else rng.choice(("Anonymous", "A reader", "Jo"))
            node = CommentNode(
                comment_id=first_id + k, parent_id=parent.comment_id if parent else None, author=name,
                author_url=f"https://{text.slugify(name)}.example.net/" if rng.random() < 0.3 else None,
                when=after + timedelta(minutes=rng.randint(5, 2880)), paragraphs=text.comment(rng, topic, city),
                depth=parent.depth + 1 if parent else 1,
            )
            (parent.children if parent else []).append(node)
            created.append(node)
        for c in created:
            c.children.sort(key=lambda n: (n.when, n.comment_id))
        return sorted((c for c in created if c.parent_id is None), key=lambda n: (n.when, n.comment_id))

    # --- lookups ----------------------------------------------------------------------------
    def post(self, idx: int) -> Post:
        return self.posts[idx % len(self.posts)]

    def author(self, slug: str) -> Author | None:
        return next((a for a in self.authors if a.slug == slug), None)

    def category(self, slug: str) -> Category | None:
        return next((c for c in self.categories if c.slug == slug), None)

    def tag_slugs(self) -> dict[str, str]:
        return {text.slugify(t): t for t in TAG_POOL}

    def months(self) -> list[tuple[int, int]]:
        return sorted({(p.published.year, p.published.month) for p in self.posts}, reverse=True)

    def archive(self, kind: str, key: str) -> list[Post] | None:
        """Posts of a listing, newest first (None: no such listing)."""
        if kind == "home":
            return self.newest
        if kind == "category":
            return [p for p in self.newest if any(c.slug == key for c in p.categories)] if self.category(key) else None
        if kind == "tag":
            tag = self.tag_slugs().get(key)
            return [p for p in self.newest if tag in p.tags] if tag else None
        if kind == "author":
            return [p for p in self.newest if any(a.slug == key for a in p.authors)] if self.author(key) else None
        if kind == "date":
            year, month = (int(x) for x in key.split("/"))
            found = [p for p in self.newest if (p.published.year, p.published.month) == (year, month)]
            return found or None
        if kind == "search":
            term = key.lower()
            return [p for p in self.newest if term in p.title.lower() or term in p.topic or term in " ".join(p.tags)]
        return None

    @staticmethod
    def page_count(posts: list[Post]) -> int:
        return max(1, math.ceil(len(posts) / PER_PAGE))

    def listing_paths(self) -> Iterator[str]:
        """Every listing page a crawler can reach (page 1 and the following ones)."""
        kinds: list[tuple[str, str, str]] = [("home", "", "/")]
        kinds += [("category", c.slug, f"/category/{c.slug}/") for c in self.categories]
        kinds += [("tag", s, f"/tag/{s}/") for s in self.tag_slugs()]
        kinds += [("author", a.slug, f"/author/{a.slug}/") for a in self.authors]
        kinds += [("date", f"{y}/{m}", f"/{y}/{m:02d}/") for y, m in self.months()]
        for kind, key, path in kinds:
            posts = self.archive(kind, key)
            if posts is None or (kind == "tag" and not posts):
                continue
            yield path
            for n in range(2, self.page_count(posts) + 1):
                yield f"{path}page/{n}/"
        for term in SEARCH_TERMS:
            yield f"/?s={term}"

    def live_tags(self) -> list[str]:
        used = {t for p in self.posts for t in p.tags}
        return [t for t in TAG_POOL if t in used]

    def ground_truth(self, base_url: str) -> Iterator[dict[str, object]]:
        for post in self.posts:
            yield post_truth(post, base_url.rstrip("/"))


def _no_trailing_headings(blocks: list[Block]) -> None:
    """A subheading goes over text: one the draw left at the end moves above the last block, as a
    writer would place it (a heading with nothing under it is what a page's "Related" box leaves
    behind, and the body drops it). Moved in place, so the site's random draws stay the same."""
    trailing: list[Block] = []
    while len(blocks) > 1 and blocks[-1].kind == "h2":
        trailing.insert(0, blocks.pop())
    blocks[-1:-1] = trailing

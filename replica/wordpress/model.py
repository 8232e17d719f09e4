"""The WordPress replica's objects (posts, authors, categories, figures, comment threads) and how
it writes dates: what the site model (site.py) builds, the pages (render.py) show and the ground
truth (truth.py) states. Imports nothing of the replica."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Literal

from replica import images

Markup = Literal["yoast", "jetpack", "bare"]  # JSON-LD + meta, OpenGraph meta only, visible markup only
CaptionStyle = Literal["classic", "html5", "block"]


@dataclass(frozen=True)
class Author:
    name: str
    slug: str
    bio: str


@dataclass(frozen=True)
class Category:
    name: str
    slug: str


@dataclass(frozen=True)
class Figure:
    image_id: int
    path: str  # /wp-content/uploads/...
    caption: str  # the caption's text without its credit, as a reader would quote it
    credit: str | None
    shown: str  # the caption as the page shows it, credit included
    style: CaptionStyle


@dataclass(frozen=True)
class Block:
    """One item of a post's content; ``text`` is None for what is not article text ("Read more")."""

    kind: Literal["p", "h2", "quote", "list", "figure", "readmore"]
    texts: tuple[str, ...] = ()
    figure: Figure | None = None
    link: int | None = None  # a post linked from the paragraph or "Read more"


@dataclass
class CommentNode:
    comment_id: int
    parent_id: int | None
    author: str
    author_url: str | None
    when: datetime
    paragraphs: list[str]
    depth: int
    children: list[CommentNode] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass
class Post:
    idx: int
    post_id: int
    title: str
    slug: str
    published: datetime
    modified: datetime | None
    authors: list[Author]
    categories: list[Category]
    tags: list[str]
    blocks: list[Block]
    comments: list[CommentNode]  # top level, replies nested, in page order
    markup: Markup
    share: bool
    related: list[int]
    featured: bool
    topic: str

    @property
    def path(self) -> str:
        d = self.published
        return f"/{d.year}/{d.month:02d}/{d.day:02d}/{self.slug}/"

    @property
    def last_modified(self) -> datetime:
        return self.modified or self.published

    @property
    def figures(self) -> list[Figure]:
        return [b.figure for b in self.blocks if b.figure is not None]

    @property
    def body(self) -> str:
        return "\n\n".join(t for b in self.blocks if b.kind in ("p", "h2", "quote", "list") for t in b.texts)


@dataclass(frozen=True)
class StaticPage:
    page_id: int
    title: str
    slug: str
    paragraphs: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"/{self.slug}/"


def walk(nodes: list[CommentNode]) -> Iterator[CommentNode]:
    """Comments in page order (each followed by its replies)."""
    for node in nodes:
        yield node
        yield from walk(node.children)


def iso(when: datetime) -> str:
    return when.isoformat()


def long_date(when: datetime) -> str:
    """``F j, Y``: March 5, 2024."""
    return f"{when.strftime('%B')} {when.day}, {when.year}"


def comment_date(when: datetime) -> str:
    """``F j, Y \\a\\t g:i a``: March 5, 2024 at 9:07 am."""
    hour = when.hour % 12 or 12
    return f"{long_date(when)} at {hour}:{when.minute:02d} {'am' if when.hour < 12 else 'pm'}"


# A post's photo (/wp-content/uploads/Y/M/slug-ID-1024x683.jpg): a real JPEG of that size, the same
# bytes for the page that serves it (routes.py) and the ground truth that hashes it (truth.py).
PHOTO_SIZE = (1024, 683)


@lru_cache(maxsize=512)
def photo_bytes(image_id: int) -> bytes:
    return images.jpeg(image_id, *PHOTO_SIZE)

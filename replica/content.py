"""An article's content, generated on request from its index: body, images, authors, tags, comments.

The story-level generator (shared by translations) gives the paragraphs; a version-level generator
gives what differs between language versions (images, authors, comments, teasers).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from html import escape
from random import Random
from typing import TYPE_CHECKING

from replica import images, lexicon
from replica.labels import FAMILY_TAGS, RELATED_HEADINGS
from replica.phrases import SENTENCES
from replica.textgen import (
    Topic,
    body_plan,
    caption_texts,
    comment_text,
    commenter,
    draw_numbers,
    invented_person,
    mix,
    pick,
    render,
)
from replica.timefmt import baku, dateline_date

if TYPE_CHECKING:
    from replica.model import Entry, SiteModel

FIRST_IMAGE_ID = images.FIRST_IMAGE_ID


@dataclass(frozen=True)
class Paragraph:
    text: str  # exactly what a perfect parser returns for this paragraph
    html: str  # inner HTML of its <p>


@dataclass(frozen=True)
class Figure:
    image_path: str
    caption: str
    credit: tuple[str, str] | None  # (name, absolute link)
    image_id: int = 0  # its bytes, size and host: replica/images.py
    lead: bool = False

    @property
    def on_cdn(self) -> bool:
        return images.spec(self.image_id).cdn


@dataclass
class CommentNode:
    comment_id: int
    parent_id: int | None
    author: str
    ts: int
    text: str
    depth: int
    children: list[CommentNode] = field(default_factory=list)


@dataclass(frozen=True)
class ArticleContent:
    paragraphs: list[Paragraph]  # the preview only, for a paywalled article
    figures: dict[int, list[Figure]]  # inline figures shown after paragraph i
    lead_image: Figure | None
    end_marker: str | None
    authors: list[str]
    tags: list[str]
    comments: list[CommentNode]  # top level, each with its replies, in page order
    related: list[int]
    related_heading: str

    @property
    def body(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)


def walk(nodes: list[CommentNode]) -> list[CommentNode]:
    """Comments in page (pre-)order."""
    out: list[CommentNode] = []
    for node in nodes:
        out.append(node)
        out.extend(walk(node.children))
    return out


def article_content(site: SiteModel, idx: int) -> ArticleContent:
    """Generate (deterministically) the content of article `idx`; ReplicaSite.content caches it."""
    entry = site.entries[idx]
    topic, story_rng = site.topic(entry.story)
    langs = site.stories[entry.story].langs
    paragraphs = _paragraphs(story_rng, topic, entry, langs)
    rng = Random(mix(site.seed, idx, 2))
    if entry.paywalled:
        paragraphs = paragraphs[: rng.randint(1, 2)]
    captions = caption_texts(rng, topic, entry.lang, 3)
    lead = _figure(rng, entry, 0, captions[0]) if rng.random() < 0.55 else None
    figures: dict[int, list[Figure]] = {}
    if not entry.paywalled and len(paragraphs) >= 3 and rng.random() < 0.15:
        for n, pos in enumerate(sorted(rng.sample(range(len(paragraphs) - 1), rng.randint(1, 2)))):
            figures[pos] = [_figure(rng, entry, n + 1, captions[n + 1])]
    content = ArticleContent(
        paragraphs=paragraphs, figures=figures, lead_image=lead,
        end_marker=("—0—" if rng.random() < 0.85 else "-0-") if entry.has_end_marker else None,
        authors=_authors(rng, entry.lang), tags=_tags(rng, topic, entry),
        comments=_comments(rng, topic, entry), related=_related(rng, site, entry),
        related_heading=rng.choice(RELATED_HEADINGS[entry.lang]),
    )
    if not (entry.revision or entry.comment_batches):
        return content
    # Changes made after building (replica/changes.py), from generators of their own, so the
    # original content above is drawn exactly as before.
    return replace(
        content,
        paragraphs=content.paragraphs + ([] if entry.paywalled else _updates(site.seed, topic, entry)),
        comments=_later_comments(site.seed, topic, entry, content.comments),
    )


UPDATE_LABEL = {"az": "Yeniləmə", "en": "Update", "ru": "Обновление"}


def _updates(seed: int, topic: Topic, entry: Entry) -> list[Paragraph]:
    """One "Update: ..." paragraph per revision."""
    templates = [tpl for tpl in SENTENCES["generic"] if entry.lang in tpl]
    paragraphs = []
    for revision in range(1, entry.revision + 1):
        rng = Random(mix(seed, entry.idx, 3, revision))
        sentences = [render(tpl, entry.lang, topic.slots, draw_numbers(rng, topic.year))
                     for tpl in rng.sample(templates, 2)]
        text = f"{UPDATE_LABEL[entry.lang]}: " + " ".join(sentences)
        paragraphs.append(Paragraph(text, escape(text)))
    return paragraphs


def _later_comments(seed: int, topic: Topic, entry: Entry, roots: list[CommentNode]) -> list[CommentNode]:
    """The thread with the comments added later: each batch later than everything before it,
    some of them replies to older comments (up to depth 3)."""
    roots = list(roots)
    nodes = walk(roots)
    for first, count, ts in entry.comment_batches:
        rng = Random(mix(seed, entry.idx, 4, first))
        start = max([ts, *(c.ts + 60 for c in nodes)])
        for k in range(count):
            open_parents = [c for c in nodes if c.depth < 3]
            parent = pick(rng, open_parents) if open_parents and rng.random() < 0.45 else None
            node = CommentNode(
                comment_id=first + k, parent_id=parent.comment_id if parent else None,
                author=commenter(rng, entry.lang), ts=start + 60 * k, text=comment_text(rng, topic, entry.lang),
                depth=parent.depth + 1 if parent else 1,
            )
            (parent.children if parent else roots).append(node)
            nodes.append(node)
    return roots


def _paragraphs(rng: Random, topic: Topic, entry: Entry, langs: tuple[str, ...]) -> list[Paragraph]:
    paragraphs = []
    for sentences in body_plan(rng, topic, langs):
        texts = [render(s.template, entry.lang, topic.slots, s.numbers) for s in sentences]
        html = " ".join(
            f"<strong>{escape(text)}</strong>" if s.strong else escape(text)
            for s, text in zip(sentences, texts, strict=True)
        )
        paragraphs.append(Paragraph(" ".join(texts), html))
    if topic.dateline is not None:
        # "Baku/23.04.24/Turan: " opens the first paragraph and stays part of the body.
        prefix = f"{topic.dateline[entry.lang]['nom']}/{dateline_date(entry.ts)}/Turan: "
        first = paragraphs[0]
        paragraphs[0] = Paragraph(prefix + first.text, escape(prefix) + first.html)
    return paragraphs


def _figure(rng: Random, entry: Entry, n: int, caption: str) -> Figure:
    """Image ids are unique per site: each article owns four."""
    image_id = FIRST_IMAGE_ID + entry.idx * 4 + n
    credit = rng.choice(lexicon.CREDITS) if rng.random() < 0.8 else None
    return Figure(images.path_of(image_id, baku(entry.ts).year), caption, credit, image_id, lead=n == 0)


def _authors(rng: Random, lang: str) -> list[str]:
    if rng.random() >= 0.35:
        return []
    count = 2 if rng.random() < 0.25 else 1
    names: list[str] = []
    while len(names) < count:
        name = invented_person(rng)[lang]["name"]
        if name not in names:
            names.append(name)
    return names


def _tags(rng: Random, topic: Topic, entry: Entry) -> list[str]:
    if rng.random() < 0.1:
        return []
    s = topic.slots
    candidates = [FAMILY_TAGS[entry.family][entry.lang], s["c"][entry.lang]["nom"],
                  s["pl"][entry.lang]["nom"], s["off"][entry.lang]["name"], s["tp"][entry.lang]["nom"]]
    unique = list(dict.fromkeys(candidates))
    return rng.sample(unique, rng.randint(1, min(4, len(unique))))


def _comments(rng: Random, topic: Topic, entry: Entry) -> list[CommentNode]:
    """A thread of up to three levels; every reply is later than what it answers."""
    created: list[CommentNode] = []
    for k in range(entry.comment_count):
        open_parents = [c for c in created if c.depth < 3]
        parent = rng.choice(open_parents) if open_parents and rng.random() < 0.45 else None
        after = parent.ts if parent else entry.ts
        node = CommentNode(
            comment_id=entry.comment_base + k, parent_id=parent.comment_id if parent else None,
            author=commenter(rng, entry.lang), ts=after + 60 * rng.randint(5, 2880),
            text=comment_text(rng, topic, entry.lang), depth=parent.depth + 1 if parent else 1,
        )
        if parent:
            parent.children.append(node)
        created.append(node)
    roots = [c for c in created if c.parent_id is None]
    for c in created:
        c.children.sort(key=lambda n: (n.ts, n.comment_id))
    return sorted(roots, key=lambda n: (n.ts, n.comment_id))


def _related(rng: Random, site: SiteModel, entry: Entry) -> list[int]:
    """Teasers of other articles (any language, as on the real site)."""
    pool = site.live_all
    if len(pool) < 2:
        return []
    picks = {pool[rng.randrange(len(pool))] for _ in range(4)}
    picks.discard(entry.idx)
    return sorted(picks)

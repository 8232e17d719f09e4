"""HTML of the replica's pages (markup contract: MARKUP.md). `base` is the site's absolute base URL."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from replica.chrome import document, social
from replica.content import ArticleContent, CommentNode, Figure
from replica.labels import SECTION_NAMES, SECTION_SLUGS, UI
from replica.textgen import slugify
from replica.timefmt import baku, comment_date, iso, visible

if TYPE_CHECKING:
    from replica.site import Entry, ReplicaSite

HOME_SIZE = 20
_REPLY = {"az": "Cavab ver", "en": "Reply", "ru": "Ответить"}


def _items(entries: list[Entry], lang: str) -> str:
    """Listing items: `.grid .grid-item .isslstcap a` plus the item's date."""
    return "".join(
        f'<div class="grid-item{" urgent" if e.urgent else ""}"><div class="isslstcap">'
        f'<a href="{e.path}">{escape(e.title)}</a></div>'
        f'<span class="manspdt">{visible(e.ts, lang)}</span></div>'
        for e in entries
    )


def home_page(site: ReplicaSite, lang: str, base: str) -> str:
    entries = [site.entries[i] for i in site.home[lang][:HOME_SIZE]]
    main = (f'<main class="container"><h2>{UI[lang]["latest"]}</h2>'
            f'<div class="grid">{_items(entries, lang)}</div></main>')
    return document(site, lang, base, UI[lang]["agency"], main, home=True)


def listing_page(site: ReplicaSite, lang: str, section: str, page: int, entries: list[Entry],
                 base: str) -> str:
    links = []
    if page > 1:
        prev = f"/{lang}/{section}" if page == 2 else f"?page={page - 1}"
        links.append(f'<a class="prev" href="{prev}">{UI[lang]["prev"]}</a>')
    if page < site.page_count(lang, section):
        links.append(f'<a class="next" href="?page={page + 1}">{UI[lang]["next"]}</a>')
    name = SECTION_NAMES[section]
    main = (f'<main class="container"><h1 class="seccap">{escape(name)}</h1>'
            f'<div class="grid">{_items(entries, lang)}</div>'
            f'<div class="pagination">{"".join(links)}</div></main>')
    return document(site, lang, base, name if page == 1 else f"{name} ({page})", main)


def calendar_page(site: ReplicaSite, base: str) -> str:
    """The monthly archive page of the old site; it lists the legacy /ext/news/ articles."""
    entries = [site.entries[i] for i in site.legacy]
    d = baku(entries[0].ts)
    days = "".join(f"<td>{day}</td>" for day in range(1, 29))
    main = (f'<main class="container"><h1 class="clndrcap">{UI["az"]["archive"]}: {d.month:02d}.{d.year}</h1>'
            f'<table class="calendar"><tr>{days}</tr></table>'
            f'<div class="grid">{_items(entries, "az")}</div></main>')
    return document(site, "az", base, UI["az"]["archive"], main)


def not_found_page(site: ReplicaSite, lang: str, base: str) -> str:
    main = (f'<main class="container"><h1 class="errcap">{UI[lang]["not_found"]}</h1>'
            f'<p class="errtext">{UI[lang]["not_found_text"]}</p></main>')
    return document(site, lang, base, UI[lang]["not_found"], main)


def article_page(site: ReplicaSite, entry: Entry, base: str) -> str:
    content = site.content(entry.idx)
    lang = entry.lang
    section_slug = SECTION_SLUGS[entry.family][lang]
    heading = "urgcaptxt" if entry.urgent else "captxt"
    main = (
        '<main class="container"><div class="article">'
        f'<div class="breadcrumbs"><a href="/{lang}">{UI[lang]["home"]}</a> / '
        f'<a href="/{lang}/{section_slug}">{escape(SECTION_NAMES[section_slug])}</a></div>'
        f'<h1 class="{heading}">{escape(entry.title)}</h1>'
        f'<div class="manspdt">{visible(entry.ts, lang)}</div>'
        f"{_authors(content, lang)}{_lead_image(site, content.lead_image, lang)}"
        f"{_maincontent(site, content, entry, base)}{_tags(content, lang)}{social(lang)}"
        f"{_reviews(content, lang)}{_related(site, content)}</div></main>"
    )
    return document(site, lang, base, entry.title, main, head=_article_head(site, entry, content, base))


def _article_head(site: ReplicaSite, entry: Entry, content: ArticleContent, base: str) -> str:
    url = base + entry.path
    parts = [
        f'<link rel="canonical" href="{url}">', f'<meta property="og:title" content="{escape(entry.title)}">',
        '<meta property="og:type" content="article">', f'<meta property="og:url" content="{url}">',
        f'<meta name="description" content="{escape(_description(content))}">',
    ]
    if content.lead_image:
        parts.append(f'<meta property="og:image" content="{site.image_url(content.lead_image, base)}">')
    if entry.published_meta:
        parts.append(f'<meta property="article:published_time" content="{iso(entry.ts)}">')
    if entry.modified_ts is not None:
        parts.append(f'<meta property="article:modified_time" content="{iso(entry.modified_ts)}">')
    for other in site.translations(entry):
        parts.append(f'<link rel="alternate" hreflang="{other.lang}" href="{base}{other.path}">')
    return "".join(parts)


def _description(content: ArticleContent) -> str:
    """First paragraph without the dateline, cut near 160 characters."""
    text = content.paragraphs[0].text.split("/Turan: ", 1)[-1]
    return text if len(text) <= 160 else text[:160].rsplit(" ", 1)[0] + "…"


def _authors(content: ArticleContent, lang: str) -> str:
    if not content.authors:
        return ""
    # Author links go to the search (robots-disallowed), so no URL pattern mistakes them for articles.
    links = ", ".join(
        f'<a href="/search?author={slugify(name)}">{escape(name)}</a>' for name in content.authors
    )
    return f'<div class="author">{UI[lang]["author"]}: {links}</div>'


def _caption_html(fig: Figure, lang: str) -> str:
    """'Caption (Photo: <a>Credit</a>)': the credit is a link inside the caption."""
    if fig.credit is None:
        return escape(fig.caption)
    name, url = fig.credit
    return f'{escape(fig.caption)} ({UI[lang]["photo"]}: <a href="{url}">{escape(name)}</a>)'


def _lead_image(site: ReplicaSite, fig: Figure | None, lang: str) -> str:
    if fig is None:
        return ""
    # Site-relative, unless the image lives on the CDN.
    src = site.image_url(fig, "") if site.cdn_base and fig.on_cdn else fig.image_path
    return (f'<div class="mainimg"><img src="{src}" alt="{escape(fig.caption)}">'
            f'<div class="imgcap">{_caption_html(fig, lang)}</div></div>')


def _maincontent(site: ReplicaSite, content: ArticleContent, entry: Entry, base: str) -> str:
    parts = []
    for i, paragraph in enumerate(content.paragraphs):
        parts.append(f"<p>{paragraph.html}</p>")
        for fig in content.figures.get(i, []):
            # Inline figures use absolute image URLs, the lead image a site-relative one.
            parts.append(f'<figure class="inimg"><img src="{site.image_url(fig, base)}" '
                         f'alt="{escape(fig.caption)}"><figcaption>{_caption_html(fig, entry.lang)}'
                         "</figcaption></figure>")
    if content.end_marker:
        parts.append(f"<p>{content.end_marker}</p>")
    if entry.paywalled:
        parts.append(f'<div class="paywall">{UI[entry.lang]["paywall"]}</div>')
        return f'<div class="maincontent prvNews">{"".join(parts)}</div>'
    return f'<div class="maincontent">{"".join(parts)}</div>'


def _tags(content: ArticleContent, lang: str) -> str:
    links = "".join(f'<a href="/{lang}/tag/{slugify(tag)}">{escape(tag)}</a>' for tag in content.tags)
    return f'<div class="tags">{links}</div>' if links else ""


def _comment(node: CommentNode, lang: str) -> str:
    children = "".join(_comment(child, lang) for child in node.children)
    replies = f'<ul class="children">{children}</ul>' if children else ""
    return (f'<li class="comment" id="comment-{node.comment_id}">'
            f'<span class="cmauthor">{escape(node.author)}</span> '
            f'<span class="cmdate">{comment_date(node.ts)}</span>'
            f'<div class="cmtext">{escape(node.text)}</div>'
            f'<a class="reply" href="#reviewform">{_REPLY[lang]}</a>{replies}</li>')


def _reviews(content: ArticleContent, lang: str) -> str:
    ui = UI[lang]
    comments = "".join(_comment(node, lang) for node in content.comments)
    return (f'<div class="reviews"><h3>{ui["review"]}</h3><ul class="comments">{comments}</ul>'
            '<form class="reviewform" id="reviewform" method="post">'
            f'<input name="name" placeholder="{ui["name"]}">'
            f'<textarea name="text" placeholder="{ui["comment"]}"></textarea><button>{ui["send"]}</button>'
            "</form></div>")


def _related(site: ReplicaSite, content: ArticleContent) -> str:
    teasers = "".join(
        f'<div class="grid-item"><a href="{e.path}">{escape(e.title)}</a></div>'
        for e in (site.entries[i] for i in content.related)
    )
    return f'<div class="rltdblock"><h3>{escape(content.related_heading)}</h3>{teasers}</div>'

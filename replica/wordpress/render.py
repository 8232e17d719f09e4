"""HTML of the WordPress replica: an underscores-style theme with Yoast, Jetpack and core markup.

Post pages come in three flavours (``Post.markup``): Yoast (JSON-LD graph, OpenGraph, meta author),
Jetpack (OpenGraph only) and bare (only what the theme prints). ``base`` is the absolute base URL.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from html import escape
from typing import Any

from replica.wordpress.model import Block, CommentNode, Figure, Post, StaticPage, comment_date, iso, long_date
from replica.wordpress.site import PER_PAGE, SEARCH_TERMS, WordPressSite

SITE_DESCRIPTION = "News from the coast and beyond"


# --- dates as WordPress prints them -----------------------------------------------------------
def rfc822(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")


# --- the page around the content -----------------------------------------------------------------
def document(site: WordPressSite, base: str, title: str, main: str, body_class: str, head: str = "") -> str:
    menu = "".join(f'<li class="menu-item menu-item-type-taxonomy"><a href="{base}/category/{c.slug}/">'
                   f"{escape(c.name)}</a></li>" for c in site.categories[:5])
    menu += "".join(f'<li class="menu-item menu-item-type-post_type"><a href="{base}{p.path}">'
                    f"{escape(p.title)}</a></li>" for p in site.pages[:2])
    return (
        '<!DOCTYPE html>\n<html lang="en-US">\n<head>\n<meta charset="UTF-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)} &#8211; {escape(site.name)}</title>\n{head}\n"
        f'<link rel="alternate" type="application/rss+xml" title="{escape(site.name)} &raquo; Feed" '
        f'href="{base}/feed/">\n'
        f'<link rel="alternate" type="application/rss+xml" title="{escape(site.name)} &raquo; Comments Feed" '
        f'href="{base}/comments/feed/">\n'
        f'<link rel="stylesheet" id="harbour-style-css" href="{base}/wp-content/themes/harbour/style.css?ver=1.2" '
        'media="all">\n'
        f'<script src="{base}/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>\n'
        f'<link rel="https://api.w.org/" href="{base}/wp-json/">\n'
        f'<link rel="EditURI" type="application/rsd+xml" title="RSD" href="{base}/xmlrpc.php?rsd">\n'
        '<meta name="generator" content="WordPress 6.4.3">\n</head>\n'
        f'<body class="{body_class}">\n<div id="page" class="site">\n'
        '<a class="skip-link screen-reader-text" href="#primary">Skip to content</a>\n'
        '<header id="masthead" class="site-header"><div class="site-branding">'
        f'<p class="site-title"><a href="{base}/" rel="home">{escape(site.name)}</a></p>'
        f'<p class="site-description">{SITE_DESCRIPTION}</p></div>\n'
        '<nav id="site-navigation" class="main-navigation"><button class="menu-toggle" aria-controls="primary-menu" '
        'aria-expanded="false">Menu</button><div class="menu-main-container"><ul id="primary-menu" class="menu">'
        f"{menu}</ul></div></nav></header>\n"
        '<div id="content" class="site-content">\n<div id="primary" class="content-area">'
        f'<main id="main" class="site-main">\n{main}\n</main></div>\n{sidebar(site, base)}\n</div>\n'
        '<footer id="colophon" class="site-footer"><div class="site-info">'
        '<a href="https://wordpress.org/">Proudly powered by WordPress</a><span class="sep"> | </span>'
        "Theme: Harbour by Example Themes.</div></footer>\n</div>\n"
        f'<script src="{base}/wp-content/themes/harbour/js/navigation.js?ver=1.2" '
        'id="harbour-navigation-js"></script>\n'
        "</body>\n</html>\n"
    )


def sidebar(site: WordPressSite, base: str) -> str:
    recent = "".join(f'<li><a href="{base}{p.path}">{escape(p.title)}</a></li>' for p in site.newest[:5])
    comments = []
    for post in site.newest:
        for node in post.comments[:1]:
            comments.append(f'<li class="recentcomments"><span class="comment-author-link">{escape(node.author)}</span>'
                            f' on <a href="{base}{post.path}#comment-{node.comment_id}">{escape(post.title)}</a></li>')
        if len(comments) == 5:
            break
    months = "".join(f'<li><a href="{base}/{y}/{m:02d}/">{datetime(y, m, 1).strftime("%B")} {y}</a></li>'
                     for y, m in site.months()[:12])
    cats = "".join(f'<li class="cat-item cat-item-{n + 2}"><a href="{base}/category/{c.slug}/">{escape(c.name)}</a>'
                   "</li>" for n, c in enumerate(site.categories))
    tags = "".join(f'<a href="{base}/tag/{_slug(t)}/" class="tag-cloud-link" style="font-size: 12pt;">{escape(t)}</a> '
                   for t in site.live_tags())
    searches = " &middot; ".join(f'<a href="{base}/?s={t}">{t}</a>' for t in SEARCH_TERMS)
    return (
        '<aside id="secondary" class="widget-area">'
        f'<section id="search-2" class="widget widget_search"><form role="search" method="get" class="search-form" '
        f'action="{base}/"><label><span class="screen-reader-text">Search for:</span><input type="search" '
        'class="search-field" placeholder="Search &hellip;" value="" name="s"></label>'
        '<input type="submit" class="search-submit" value="Search"></form></section>'
        '<section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2>'
        f"<ul>{recent}</ul></section>"
        '<section id="recent-comments-2" class="widget widget_recent_comments"><h2 class="widget-title">'
        f'Recent Comments</h2><ul id="recentcomments">{"".join(comments)}</ul></section>'
        '<section id="archives-2" class="widget widget_archive"><h2 class="widget-title">Archives</h2>'
        f"<ul>{months}</ul></section>"
        '<section id="categories-2" class="widget widget_categories"><h2 class="widget-title">Categories</h2>'
        f"<ul>{cats}</ul></section>"
        '<section id="tag_cloud-2" class="widget widget_tag_cloud"><h2 class="widget-title">Tags</h2>'
        f'<div class="tagcloud">{tags}</div></section>'
        '<section id="custom_html-2" class="widget_text widget widget_custom_html"><h2 class="widget-title">'
        f'Popular searches</h2><div class="textwidget custom-html-widget">{searches}</div></section></aside>'
    )


def _slug(tag: str) -> str:
    return tag.replace(" ", "-")


# --- posts ------------------------------------------------------------------------------------
def post_page(site: WordPressSite, post: Post, base: str) -> str:
    url = base + post.path
    classes = " ".join(
        ["post-" + str(post.post_id), "post", "type-post", "status-publish", "format-standard"]
        + (["has-post-thumbnail"] if post.featured else []) + ["hentry"]
        + [f"category-{c.slug}" for c in post.categories] + [f"tag-{_slug(t)}" for t in post.tags]
    )
    featured = ""
    if post.featured:
        d = post.published
        featured = (f'<div class="post-thumbnail"><img width="1024" height="683" src="{base}/wp-content/uploads/'
                    f'{d.year}/{d.month:02d}/{post.slug[:40]}-feature-1024x683.jpg" class="attachment-post-thumbnail '
                    'size-post-thumbnail wp-post-image" alt="" decoding="async"></div>')
    main = (
        f'<article id="post-{post.post_id}" class="{classes}">\n<header class="entry-header">'
        f'<h1 class="entry-title">{escape(post.title)}</h1>\n<div class="entry-meta">{posted_on(post, url)}'
        f'{byline(post, base)}</div></header>\n{featured}\n<div class="entry-content">\n'
        f"{''.join(_block(site, b, base) for b in post.blocks)}{_share(post, url)}</div>\n"
        f"{entry_footer(post, base)}\n</article>\n{_author_info(post, base)}{_related(site, post, base)}"
        f"{_post_navigation(site, post, base)}{comments_area(post, url, base)}"
    )
    body_class = f"post-template-default single single-post postid-{post.post_id} single-format-standard"
    return document(site, base, post.title, main, body_class, head=_post_head(site, post, base))


def posted_on(post: Post, url: str) -> str:
    if post.modified is None:
        times = (f'<time class="entry-date published updated" datetime="{iso(post.published)}">'
                 f"{long_date(post.published)}</time>")
    else:
        times = (f'<time class="entry-date published" datetime="{iso(post.published)}">{long_date(post.published)}'
                 f'</time><time class="updated" datetime="{iso(post.modified)}">{long_date(post.modified)}</time>')
    return f'<span class="posted-on">Posted on <a href="{url}" rel="bookmark">{times}</a></span>'


def byline(post: Post, base: str) -> str:
    names = " and ".join(f'<span class="author vcard"><a class="url fn n" href="{base}/author/{a.slug}/">'
                         f"{escape(a.name)}</a></span>" for a in post.authors)
    return f'<span class="byline"> by {names}</span>'


def entry_footer(post: Post, base: str, comments_link: bool = False) -> str:
    cats = ", ".join(f'<a href="{base}/category/{c.slug}/" rel="category tag">{escape(c.name)}</a>'
                     for c in post.categories)
    parts = [f'<span class="cat-links">Posted in {cats}</span>']
    if post.tags:
        tags = ", ".join(f'<a href="{base}/tag/{_slug(t)}/" rel="tag">{escape(t)}</a>' for t in post.tags)
        parts.append(f'<span class="tags-links">Tagged {tags}</span>')
    if comments_link:
        count = sum(1 for _ in _walk(post.comments))
        label = "Leave a Comment" if not count else f"{count} Comment{'s' if count > 1 else ''}"
        parts.append(f'<span class="comments-link"><a href="{base}{post.path}#comments">{label}</a></span>')
    return f'<footer class="entry-footer">{"".join(parts)}</footer>'


def _walk(nodes: list[CommentNode]) -> list[CommentNode]:
    out: list[CommentNode] = []
    for node in nodes:
        out.append(node)
        out.extend(_walk(node.children))
    return out


def _block(site: WordPressSite, block: Block, base: str) -> str:
    if block.kind == "p":
        text = escape(block.texts[0])
        if block.link is not None:  # a few words of the paragraph link to another post
            words = block.texts[0].split(" ")
            phrase = " ".join(words[3:6])
            head, tail = escape(" ".join(words[:3])), escape(" ".join(words[6:]))
            target = site.post(block.link)
            # Pasted by hand, without the trailing slash: WordPress redirects to the permalink.
            text = f'{head} <a href="{base}{target.path.rstrip("/")}">{escape(phrase)}</a> {tail}'.strip()
        elif len(block.texts[0]) > 200:
            first, _, rest = block.texts[0].partition(" ")
            text = f"<strong>{escape(first)}</strong> {escape(rest)}"
        return f"<p>{text}</p>\n"
    if block.kind == "h2":
        return f'<h2 class="wp-block-heading">{escape(block.texts[0])}</h2>\n'
    if block.kind == "quote":
        return f'<blockquote class="wp-block-quote"><p>{escape(block.texts[0])}</p></blockquote>\n'
    if block.kind == "list":
        return "<ul>" + "".join(f"<li>{escape(t)}</li>" for t in block.texts) + "</ul>\n"
    if block.kind == "readmore":
        target = site.post(block.link or 0)
        return f'<p><strong>Read more:</strong> <a href="{base}{target.path}">{escape(target.title)}</a></p>\n'
    assert block.figure is not None
    return figure(block.figure, base)


def figure(fig: Figure, base: str) -> str:
    src = base + fig.path
    img = (f'<img decoding="async" width="1024" height="683" src="{src}" alt="{escape(fig.caption)}" '
           f'class="size-large wp-image-{fig.image_id}" srcset="{src} 1024w, {src.replace("1024x683", "300x200")} 300w"'
           ' sizes="(max-width: 1024px) 100vw, 1024px">')
    shown = escape(fig.shown)
    if fig.style == "classic":  # [caption] shortcode before WordPress 3.9
        return (f'<div id="attachment_{fig.image_id}" style="width: 1034px" class="wp-caption aligncenter">{img}'
                f'<p id="caption-attachment-{fig.image_id}" class="wp-caption-text">{shown}</p></div>\n')
    if fig.style == "html5":
        return (f'<figure id="attachment_{fig.image_id}" aria-describedby="caption-attachment-{fig.image_id}" '
                f'style="width: 1024px" class="wp-caption aligncenter">{img}<figcaption '
                f'id="caption-attachment-{fig.image_id}" class="wp-caption-text">{shown}</figcaption></figure>\n')
    return (f'<figure class="wp-block-image size-large">{img}<figcaption class="wp-element-caption">{shown}'
            "</figcaption></figure>\n")


def _share(post: Post, url: str) -> str:
    if not post.share:
        return ""
    links = "".join(f'<li class="share-{n}"><a rel="nofollow noopener noreferrer" class="share-{n} sd-button" '
                    f'href="{url}?share={n}" target="_blank"><span>{n.capitalize()}</span></a></li>'
                    for n in ("twitter", "facebook", "email"))
    return ('<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social '
            'sd-social-icon-text sd-sharing"><h3 class="sd-title">Share this:</h3><div class="sd-content">'
            f"<ul>{links}</ul></div></div></div>\n")


def _author_info(post: Post, base: str) -> str:
    boxes = "".join(
        f'<div class="author-info"><h2 class="author-title">About {escape(a.name)}</h2><p class="author-bio">'
        f'{escape(a.bio)} <a class="author-link" href="{base}/author/{a.slug}/">View all posts by {escape(a.name)}</a>'
        "</p></div>"
        for a in post.authors
    )
    return boxes + "\n"


def _related(site: WordPressSite, post: Post, base: str) -> str:
    items = "".join(f'<li><a href="{base}{site.post(i).path}">{escape(site.post(i).title)}</a></li>'
                    for i in post.related)
    return f'<div class="related-posts"><h2 class="related-posts-title">Related</h2><ul>{items}</ul></div>\n'


def _post_navigation(site: WordPressSite, post: Post, base: str) -> str:
    links = []
    if post.idx > 0:
        prev = site.posts[post.idx - 1]
        links.append(f'<div class="nav-previous"><a href="{base}{prev.path}" rel="prev"><span class="nav-subtitle">'
                     f'Previous:</span> <span class="nav-title">{escape(prev.title)}</span></a></div>')
    if post.idx + 1 < len(site.posts):
        nxt = site.posts[post.idx + 1]
        links.append(f'<div class="nav-next"><a href="{base}{nxt.path}" rel="next"><span class="nav-subtitle">Next:'
                     f'</span> <span class="nav-title">{escape(nxt.title)}</span></a></div>')
    return ('<nav class="navigation post-navigation" aria-label="Posts"><h2 class="screen-reader-text">Post navigation'
            f'</h2><div class="nav-links">{"".join(links)}</div></nav>\n')


def comments_area(post: Post, url: str, base: str) -> str:
    count = len(_walk(post.comments))
    heading = ""
    items = ""
    if count:
        label = "One thought" if count == 1 else f"{count} thoughts"
        heading = f'<h2 class="comments-title">{label} on &ldquo;<span>{escape(post.title)}</span>&rdquo;</h2>'
        threads = "".join(_comment(n, post, url, i) for i, n in enumerate(post.comments))
        items = f'<ol class="commentlist">{threads}</ol>'
    return (
        f'<div id="comments" class="comments-area">{heading}{items}'
        '<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply '
        f'<small><a rel="nofollow" id="cancel-comment-reply-link" href="{url}#respond" style="display:none;">'
        f'Cancel reply</a></small></h3><form action="{base}/wp-comments-post.php" '
        'method="post" id="commentform" class="comment-form"><p class="comment-notes">Your email address will not be '
        'published. Required fields are marked <span class="required">*</span></p><p class="comment-form-comment">'
        '<label for="comment">Comment <span class="required">*</span></label><textarea id="comment" name="comment" '
        'cols="45" rows="8" maxlength="65525" required></textarea></p><p class="comment-form-author"><label '
        'for="author">Name</label><input id="author" name="author" type="text" value="" size="30"></p>'
        '<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment">'
        f'<input type="hidden" name="comment_post_ID" value="{post.post_id}" id="comment_post_ID"></p></form></div>'
        "</div>\n"
    )


def _comment(node: CommentNode, post: Post, url: str, position: int) -> str:
    parity = "even" if position % 2 == 0 else "odd"
    name = escape(node.author)
    if node.author_url:
        name = f'<a href="{node.author_url}" class="url" rel="ugc external nofollow">{name}</a>'
    avatar = hashlib.md5(node.author.encode()).hexdigest()  # a Gravatar hash, not for security
    children = "".join(_comment(c, post, url, i) for i, c in enumerate(node.children))
    replies = f'<ol class="children">{children}</ol>' if children else ""
    text = "".join(f"<p>{escape(p)}</p>" for p in node.paragraphs)
    classes = f"comment {parity} depth-{node.depth}" + (" parent" if node.children else "")
    return (
        f'<li id="comment-{node.comment_id}" class="{classes}"><article id="div-comment-{node.comment_id}" '
        'class="comment-body"><footer class="comment-meta"><div class="comment-author vcard">'
        f'<img alt="" src="https://secure.gravatar.com/avatar/{avatar}?s=32&amp;d=mm&amp;r=g" class="avatar avatar-32 '
        f'photo" height="32" width="32" loading="lazy"> <b class="fn">{name}</b> <span class="says">says:</span></div>'
        f'<div class="comment-metadata"><a href="{url}#comment-{node.comment_id}"><time datetime="{iso(node.when)}">'
        f"{comment_date(node.when)}</time></a></div></footer>"
        f'<div class="comment-content">{text}</div><div class="reply"><a rel="nofollow" class="comment-reply-link" '
        f'href="{url}?replytocom={node.comment_id}#respond" data-commentid="{node.comment_id}" '
        f'data-postid="{post.post_id}" data-belowelement="div-comment-{node.comment_id}" data-respondelement="respond" '
        f'aria-label="Reply to {escape(node.author)}">Reply</a></div></article>{replies}</li>'
    )


# --- head: Yoast, Jetpack or nothing ------------------------------------------------------------
def _post_head(site: WordPressSite, post: Post, base: str) -> str:
    url = base + post.path
    parts = [f'<link rel="canonical" href="{url}">', f'<link rel="shortlink" href="{base}/?p={post.post_id}">']
    description = escape(post.body[:150].rsplit(" ", 1)[0] + "…")
    modified = post.modified or post.published
    if post.markup in ("yoast", "jetpack"):
        parts += [
            '<meta property="og:type" content="article">', f'<meta property="og:title" content="{escape(post.title)}">',
            f'<meta property="og:url" content="{url}">', f'<meta property="og:description" content="{description}">',
            f'<meta property="og:site_name" content="{escape(site.name)}">',
            f'<meta property="article:published_time" content="{iso(post.published)}">',
            f'<meta property="article:modified_time" content="{iso(modified)}">',
        ]
    if post.markup == "yoast":
        parts += [
            f'<meta name="description" content="{description}">', '<meta property="og:locale" content="en_US">',
            f'<meta name="author" content="{escape(post.authors[0].name)}">',
            '<meta name="twitter:card" content="summary_large_image">',
            '<meta name="twitter:label1" content="Written by">',
            f'<meta name="twitter:data1" content="{escape(post.authors[0].name)}">',
            _jsonld(_post_graph(site, post, base)),
        ]
    return "\n".join(parts)


def _jsonld(data: dict[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json" class="yoast-schema-graph">{text}</script>'


def _person(base: str, name: str, slug: str) -> dict[str, Any]:
    return {"@type": "Person", "@id": f"{base}/#/schema/person/{slug}", "name": name, "url": f"{base}/author/{slug}/"}


def _post_graph(site: WordPressSite, post: Post, base: str) -> dict[str, Any]:
    url = base + post.path
    authors = [{"name": a.name, "@id": f"{base}/#/schema/person/{a.slug}"} for a in post.authors]
    article: dict[str, Any] = {
        "@type": "Article", "@id": f"{url}#article", "isPartOf": {"@id": url},
        "author": authors[0] if len(authors) == 1 else authors, "headline": post.title,
        "datePublished": iso(post.published), "dateModified": iso(post.modified or post.published),
        "mainEntityOfPage": {"@id": url}, "wordCount": len(post.body.split()),
        "commentCount": len(_walk(post.comments)), "publisher": {"@id": f"{base}/#organization"},
        "articleSection": [c.name for c in post.categories], "inLanguage": "en-US",
    }
    if post.tags:
        article["keywords"] = list(post.tags)
    graph: list[dict[str, Any]] = [
        article,
        {"@type": "WebPage", "@id": url, "url": url, "name": f"{post.title} - {site.name}",
         "isPartOf": {"@id": f"{base}/#website"}, "datePublished": iso(post.published),
         "dateModified": iso(post.modified or post.published), "breadcrumb": {"@id": f"{url}#breadcrumb"},
         "inLanguage": "en-US"},
        {"@type": "BreadcrumbList", "@id": f"{url}#breadcrumb", "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{base}/"},
            {"@type": "ListItem", "position": 2, "name": post.title}]},
        {"@type": "WebSite", "@id": f"{base}/#website", "url": f"{base}/", "name": site.name,
         "publisher": {"@id": f"{base}/#organization"}, "inLanguage": "en-US"},
        {"@type": "Organization", "@id": f"{base}/#organization", "name": site.name, "url": f"{base}/"},
        *(_person(base, a.name, a.slug) for a in post.authors),
    ]
    if post.featured:
        d = post.published
        image = f"{base}/wp-content/uploads/{d.year}/{d.month:02d}/{post.slug[:40]}-feature-1024x683.jpg"
        article["image"] = {"@id": f"{url}#primaryimage"}
        graph.append({"@type": "ImageObject", "@id": f"{url}#primaryimage", "url": image, "contentUrl": image,
                      "width": 1024, "height": 683})
    return {"@context": "https://schema.org", "@graph": graph}


# --- listings, static pages, errors -----------------------------------------------------------
def listing_page(site: WordPressSite, base: str, posts: list[Post], page: int, path: str, title: str,
                 body_class: str, query: str = "") -> str:
    shown = posts[(page - 1) * PER_PAGE: page * PER_PAGE]
    articles = "".join(_teaser(p, base) for p in shown)
    last = site.page_count(posts)
    older = f"{base}{path}page/{page + 1}/{query}" if page < last else None
    newer = (f"{base}{path}{query}" if page == 2 else f"{base}{path}page/{page - 1}/{query}") if page > 1 else None
    nav = ""
    if older or newer:
        nav = ('<nav class="navigation posts-navigation" aria-label="Posts"><h2 class="screen-reader-text">Posts '
               'navigation</h2><div class="nav-links">'
               + (f'<div class="nav-previous"><a href="{older}">Older posts</a></div>' if older else "")
               + (f'<div class="nav-next"><a href="{newer}">Newer posts</a></div>' if newer else "")
               + "</div></nav>")
    header = "" if path == "/" and not query else (
        f'<header class="page-header"><h1 class="page-title">{escape(title)}</h1></header>')
    if not shown:
        articles = ('<section class="no-results not-found"><header class="page-header"><h1 class="page-title">Nothing '
                    'Found</h1></header><div class="page-content"><p>Sorry, but nothing matched your search terms.</p>'
                    "</div></section>")
    head = [f'<link rel="next" href="{older}">' if older else "", f'<link rel="prev" href="{newer}">' if newer else ""]
    if path != "/" or not query:
        head.append('<meta property="og:type" content="website">')
        head.append(_jsonld({"@context": "https://schema.org", "@graph": [
            {"@type": "CollectionPage", "@id": f"{base}{path}", "url": f"{base}{path}", "name": title,
             "isPartOf": {"@id": f"{base}/#website"}, "inLanguage": "en-US"},
            {"@type": "WebSite", "@id": f"{base}/#website", "url": f"{base}/", "name": site.name}]}))
    paged = f" paged paged-{page}" if page > 1 else ""
    return document(site, base, title if page == 1 else f"{title} &#8211; Page {page}",
                    f"{header}{articles}{nav}", body_class + paged, head="\n".join(h for h in head if h))


def _teaser(post: Post, base: str) -> str:
    url = base + post.path
    words = post.body.split()
    excerpt = escape(" ".join(words[:55])) + (" [&hellip;]" if len(words) > 55 else "")
    return (
        f'<article id="post-{post.post_id}" class="post-{post.post_id} post type-post status-publish format-standard '
        f'hentry">\n<header class="entry-header"><h2 class="entry-title"><a href="{url}" rel="bookmark">'
        f'{escape(post.title)}</a></h2><div class="entry-meta">{posted_on(post, url)}{byline(post, base)}</div>'
        f'</header>\n<div class="entry-summary"><p>{excerpt}</p></div>\n'
        f"{entry_footer(post, base, comments_link=True)}\n</article>\n"
    )


def static_page(site: WordPressSite, page: StaticPage, base: str) -> str:
    url = base + page.path
    content = "".join(f"<p>{escape(p)}</p>" for p in page.paragraphs)
    main = (f'<article id="post-{page.page_id}" class="post-{page.page_id} page type-page status-publish hentry">'
            f'<header class="entry-header"><h1 class="entry-title">{escape(page.title)}</h1></header>'
            f'<div class="entry-content">{content}</div></article>')
    published = "2022-11-03T10:00:00+01:00"
    head = "\n".join([
        f'<link rel="canonical" href="{url}">', '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{escape(page.title)}">', f'<meta property="og:url" content="{url}">',
        f'<meta property="article:modified_time" content="{published}">',
        _jsonld({"@context": "https://schema.org", "@graph": [
            {"@type": "WebPage", "@id": url, "url": url, "name": page.title, "datePublished": published,
             "dateModified": published, "isPartOf": {"@id": f"{base}/#website"}, "inLanguage": "en-US"}]}),
    ])
    return document(site, base, page.title, main, f"page-template-default page page-id-{page.page_id}", head=head)


def not_found_page(site: WordPressSite, base: str) -> str:
    main = ('<section class="error-404 not-found"><header class="page-header"><h1 class="page-title">Oops! That page '
            'can&rsquo;t be found.</h1></header><div class="page-content"><p>It looks like nothing was found at this '
            "location. Maybe try one of the links below or a search?</p></div></section>")
    return document(site, base, "Page not found", main, "error404")


def long_date_month(year: int, month: int) -> str:
    return f"{datetime(year, month, 1).strftime('%B')} {year}"

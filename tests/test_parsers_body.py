"""Body text: paragraphs, chrome, captions, end markers, paywalls, and the generic fallbacks."""

from __future__ import annotations

import json

import pytest

from scrapers.parsers import parse_article
from scrapers.sites import SiteProfile, load_profile, profile_from_dict

URL = "https://turan.az/en/politics/talks-resume-779784"
PROSE = (
    "The talks resumed on Tuesday after a break of several weeks, officials said, and both sides "
    "described the first meeting as constructive and businesslike."
)


def turan() -> SiteProfile:
    return load_profile("turan")


def turan_page(maincontent: str, extra: str = "") -> str:
    return f"""<html lang="en"><body><header class="header"><nav>Politics Economy</nav></header>
    <main class="container"><div class="article"><div class="breadcrumbs"><a href="/en">Home</a></div>
    <h1 class="captxt">Talks resume</h1><div class="manspdt">23 April 2024, 15:23</div>
    {maincontent}{extra}
    <div class="share"><span>Follow us on social networks</span></div>
    <div class="rltdblock"><h3>Want to say</h3><div class="grid-item"><a href="/x">Teaser title</a></div></div>
    </div></main><aside class="newsline"><h3>News Line</h3><ul><li>Another story</li></ul></aside>
    <footer class="footer">© Turan</footer></body></html>"""


def test_paragraphs_are_joined_by_a_blank_line_with_whitespace_normalised() -> None:
    html = turan_page(
        '<div class="maincontent"><p>Baku/23.04.24/Turan:  First\n   line.</p><p>Second <b>one</b>.</p></div>'
    )
    assert parse_article(html, URL, turan()).body == "Baku/23.04.24/Turan: First line.\n\nSecond one."


def test_chrome_and_inline_figures_are_not_body_text() -> None:
    html = turan_page(
        '<div class="maincontent"><p>One.</p><figure class="inimg"><img src="/a.webp" alt="Alt">'
        "<figcaption>A caption (Photo: <a href='https://apa.az/'>APA</a>)</figcaption></figure><p>Two.</p></div>"
    )
    body = parse_article(html, URL, turan()).body
    assert body == "One.\n\nTwo."


def test_end_markers_are_dropped() -> None:
    for marker in ("—0—", "-0-"):
        html = turan_page(f'<div class="maincontent"><p>One.</p><p>Two.</p><p>{marker}</p></div>')
        assert parse_article(html, URL, turan()).body == "One.\n\nTwo."


def test_paywalled_preview_is_partial_without_the_notice() -> None:
    html = turan_page(
        '<div class="maincontent prvNews"><p>Only the lead.</p>'
        '<div class="paywall">Please login or subscribe to read more</div></div>'
    )
    article = parse_article(html, URL, turan())
    assert article.body == "Only the lead."
    assert article.is_partial is True


def test_full_article_is_not_partial() -> None:
    html = turan_page('<div class="maincontent"><p>All of it.</p></div>')
    assert parse_article(html, URL, turan()).is_partial is False


def test_paywall_notice_written_as_a_paragraph_is_dropped_too() -> None:
    profile = profile_from_dict({"name": "x", "selectors": {"body": ".text"}, "paywall": {"text": ["Subscribe now"]}})
    html = '<div class="text"><p>Lead.</p><p>Subscribe now</p></div>'
    article = parse_article(html, "https://x.example/a", profile)
    assert article.body == "Lead."
    assert article.is_partial is True


def test_br_starts_a_new_line_inside_a_paragraph() -> None:
    html = turan_page('<div class="maincontent"><p>Line one<br>line   two</p></div>')
    assert parse_article(html, URL, turan()).body == "Line one\nline two"


def test_profile_without_a_body_match_falls_back_to_the_generic_extractor() -> None:
    html = f"<html><body><nav>Home News Sport</nav><article><p>{PROSE}</p><p>{PROSE} Again.</p></article></body></html>"
    assert parse_article(html, "https://turan.az/en/politics/x-779784", turan()).body == f"{PROSE}\n\n{PROSE} Again."


# --- generic path -------------------------------------------------------------------------------
def test_generic_prefers_the_marked_article_container() -> None:
    html = f"""<html><body><div class="sidebar"><p>{PROSE}</p></div>
    <div class="entry-content"><p>{PROSE} One.</p><p>{PROSE} Two.</p></div></body></html>"""
    assert parse_article(html, "https://blog.example/post").body == f"{PROSE} One.\n\n{PROSE} Two."


def test_generic_density_finds_the_prose_block_and_drops_furniture() -> None:
    html = f"""<html><body>
    <div id="menu"><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></div>
    <div id="x1"><div id="x2">
      <h1>Headline</h1>
      <p>{PROSE} A.</p>
      <div class="share-buttons"><a href="#">Facebook</a> <a href="#">Twitter</a></div>
      <p>{PROSE} B.</p>
      <p>{PROSE} C.</p>
      <div class="related-posts"><h3>Related</h3><ul><li><a href="/1">Other story one</a></li>
        <li><a href="/2">Other story two</a></li></ul></div>
    </div></div>
    <div id="comments" class="comments-area"><p>{PROSE} Comment.</p></div>
    <div class="footer-links"><a href="/about">About us</a> <a href="/contact">Contact</a></div>
    </body></html>"""
    body = parse_article(html, "https://news.example/story").body
    assert body == f"{PROSE} A.\n\n{PROSE} B.\n\n{PROSE} C."


def test_generic_keeps_link_lists_inside_the_article() -> None:
    items = "".join(f'<li><a href="/pr/{n}">Fix number {n} in the code generator</a></li>' for n in range(12))
    html = f"""<html><body><nav>Blog Archive About</nav><div class="post">
      <p>{PROSE} Start.</p><ul>{items}</ul><p>{PROSE} End.</p></div></body></html>"""
    body = parse_article(html, "https://blog.example/report").body
    assert body.startswith(f"{PROSE} Start.") and body.endswith(f"{PROSE} End.")


def test_generic_uses_jsonld_article_body_when_the_page_has_no_text() -> None:
    data = {"@type": "NewsArticle", "articleBody": f"{PROSE}\n{PROSE} Again."}
    html = f"""<html><head><script type="application/ld+json">{json.dumps(data)}</script></head>
    <body><div id="app">Loading…</div></body></html>"""
    assert parse_article(html, "https://app.example/a").body == f"{PROSE}\n\n{PROSE} Again."


def test_generic_body_of_an_empty_page_is_empty() -> None:
    assert parse_article("<html><body></body></html>", "https://x.example/").body == ""


def test_unclosed_control_around_the_content_does_not_hide_it() -> None:
    # lxml keeps an unclosed <button> open around everything that follows it.
    html = f"<html><body><div><button>Menu<div class='content'><p>{PROSE}</p><p>{PROSE}</p></div></div></body></html>"
    assert PROSE in parse_article(html, "https://x.example/a").body


def test_is_partial_from_jsonld() -> None:
    data = {"@type": "NewsArticle", "isAccessibleForFree": False}
    html = (
        f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head><body><p>x</p></body></html>'
    )
    assert parse_article(html, "https://x.example/a").is_partial is True


# --- generic path: what else is not the article, and pages that are no articles ---------------------
def prose(n: int) -> str:
    return f"Paragraph {n} of the story tells what happened at the port this week, who said what, and why it matters."


def test_text_printed_twice_is_read_once() -> None:
    story = "".join(f"<p>{prose(n)}</p>" for n in range(4))
    html = f'<html><body><article><div class="mobile">{story}</div><div class="desktop">{story}</div></article>'
    assert parse_article(html, "https://x.example/a").body == "\n\n".join(prose(n) for n in range(4))


def test_a_short_line_that_recurs_is_kept() -> None:
    rows = "".join(f"<h3>Week {n}</h3><p>Rest day.</p><p>{prose(n)}</p>" for n in range(3))
    body = parse_article(f"<html><body><article>{rows}</article></body></html>", "https://x.example/a").body
    assert body.count("Rest day.") == 3


def test_sections_after_the_article_are_cut() -> None:
    story = "".join(f"<p>{prose(n)}</p>" for n in range(5))
    tail = (
        "<h2>About the author</h2><p>Ann Lee writes about ports and shipping for the paper, and has for years.</p>"
        '<h2>Related articles</h2><ul><li><a href="/1">Other story one</a></li><li><a href="/2">Other two</a></li></ul>'
    )
    body = parse_article(f"<html><body><article>{story}{tail}</article></body></html>", "https://x.example/a").body
    assert body == "\n\n".join(prose(n) for n in range(5))


def test_a_related_heading_followed_by_prose_is_not_the_end() -> None:
    story = "".join(f"<p>{prose(n)}</p>" for n in range(4))
    more = f"<h2>Recommended approach</h2><p>{prose(9)}</p><p>{prose(10)}</p>"
    body = parse_article(f"<html><body><article>{story}{more}</article></body></html>", "https://x.example/a").body
    assert body.endswith(prose(10))


def test_ordered_lists_are_numbered_and_preformatted_lines_kept() -> None:
    story = f"<p>{prose(1)}</p><ol start='3'><li>Check the tide.</li><li>Cast off.</li></ol>"
    code = "<pre><code>git init\ngit add -A\n<span class='token comment'># commit it</span></code></pre>"
    body = parse_article(f"<html><body><article>{story}{code}<p>{prose(2)}</p></article></body></html>", "https://x.example/a").body
    assert "3. Check the tide.\n\n4. Cast off." in body
    assert "git init\ngit add -A\n# commit it" in body


def test_a_republish_textarea_is_not_read() -> None:
    story = "".join(f"<p>{prose(n)}</p>" for n in range(3))
    textarea = f"<textarea>&lt;h1&gt;Copy this story&lt;/h1&gt;{'&lt;p&gt;' + prose(7) * 5}</textarea>"
    body = parse_article(f"<html><body><article>{story}</article>{textarea}</body></html>", "https://x.example/a").body
    assert "Copy this story" not in body and body.startswith(prose(0))


def test_streamed_react_segments_are_visible_and_other_hidden_blocks_are_not() -> None:
    story = "".join(f"<p>{prose(n)}</p>" for n in range(3))
    html = f'<html><body><div hidden id="S:0"><article>{story}</article></div><div hidden><p>{prose(9)}</p></div>'
    body = parse_article(html, "https://x.example/a").body
    assert body.startswith(prose(0)) and prose(9) not in body


def test_a_block_named_like_a_sidebar_that_holds_the_prose_is_the_article() -> None:
    story = "".join(f"<p>{prose(n)}</p>" for n in range(6))
    html = f"""<html><body><div class="sidebar-layout"><div class="sidebar-content">{story}</div>
    <div class="sidebar"><p>Subscribe to our newsletter for weekly updates on ports and shipping.</p></div>
    </div></body></html>"""
    assert parse_article(html, "https://x.example/a").body == "\n\n".join(prose(n) for n in range(6))


def test_the_article_is_looked_for_inside_main() -> None:
    story = "".join(f"<p>{prose(n)}</p>" for n in range(3))
    dialog = "".join(f"<p>{prose(n).replace('port', 'cookie')} We use cookies for this.</p>" for n in range(6))
    html = f'<html><body><div id="privacy-center">{dialog}</div><main><article>{story}</article></main></body></html>'
    assert parse_article(html, "https://x.example/a").body == "\n\n".join(prose(n) for n in range(3))


def test_noscript_that_holds_the_page_is_read() -> None:
    posts = "".join(f'<div class="crawler-post"><span>user{n}</span><p>{prose(n)}</p></div>' for n in range(3))
    html = f"<html><body><noscript><div id='main-outlet'>{posts}</div></noscript><section id='main'></section>"
    assert prose(2) in parse_article(html, "https://forum.example/t/x/1").body


def test_a_listing_is_read_as_its_main_region() -> None:
    teasers = "".join(
        f'<article class="teaser"><h2><a href="/s{n}">Story number {n} about the port and its new quay</a></h2>'
        f"<p>By Ann Lee, {n + 1} May 2024</p></article>"
        for n in range(8)
    )
    html = f"<html><body><nav><a href='/'>Home</a></nav><main><h1>Ports</h1>{teasers}</main><footer>©</footer>"
    body = parse_article(html, "https://x.example/topic/ports").body
    assert body.startswith("Ports") and "Story number 7 about the port" in body and "Home" not in body


def test_a_forum_thread_is_read_with_all_its_posts() -> None:
    posts = "".join(
        f'<article class="message"><header class="message-attribution">user{n} · Jan {n + 1}, 2024</header>'
        f"<div class='message-body'><p>{prose(n)}</p></div></article>"
        for n in range(4)
    )
    ld = '<script type="application/ld+json">{"@type": "DiscussionForumPosting", "headline": "Ports?"}</script>'
    html = f"<html><head>{ld}</head><body><main><h1>Ports?</h1>{posts}</main></body></html>"
    body = parse_article(html, "https://forum.example/threads/ports.1/").body
    assert all(prose(n) in body for n in range(4))


def test_a_story_beside_two_link_columns_is_not_one_of_a_list() -> None:
    paragraphs = [f"{prose(n)} {prose(n + 10)}" for n in range(4)]
    story = "".join(f"<p>{p}</p>" for p in paragraphs)
    links = "".join(f'<li><a href="/p{n}">Archive page number {n} of this blog</a></li>' for n in range(8))
    html = f"""<html><body><div id="container"><div id="alpha"><h3>Archives</h3><ul>{links}</ul></div>
    <div id="beta"><div class="entry"><h3>A short post</h3><div class="entry-body">{story}</div></div></div>
    <div id="gamma"><h3>Blogroll</h3><ul>{links}</ul></div></div></body></html>"""
    assert parse_article(html, "https://blog.example/2012/11/a-short-post.html").body == "\n\n".join(paragraphs)


def test_regions_of_a_layout_named_by_id_are_not_items_of_a_list() -> None:
    story = "".join(f"<p>{prose(n)}</p>" for n in range(3))
    links = "".join(f'<a href="/s{n}">Section {n}</a> ' for n in range(12))
    html = f"""<html><body><div class="container" id="pageHeader"><p>{links}</p></div>
    <div class="container"><div class="post"><h2>A short post</h2><div class="text">{story}</div></div></div>
    <div class="container" id="footer"><p>{links}</p></div></body></html>"""
    assert parse_article(html, "https://blog.example/a-short-post").body == "\n\n".join(prose(n) for n in range(3))


def test_a_short_dated_entry_in_a_main_region_full_of_links_is_the_article() -> None:
    story = "".join(f"<p>{prose(n)}</p>" for n in range(2))
    links = "".join(f'<li><a href="/p{n}">Another post about the harbour, number {n}</a></li>' for n in range(40))
    html = f"""<html><head><title>A short post</title></head><body><section role="main">
    <article><h1>A short post</h1><p class="byline">Posted on 12 November 2012</p>
    <div class="entry-content">{story}</div></article>
    <div class="more"><h3>More posts</h3><ul>{links}</ul></div></section></body></html>"""
    assert parse_article(html, "https://blog.example/a-short-post").body == "\n\n".join(prose(n) for n in range(2))


def test_a_thread_of_forum_software_named_on_the_root_element_is_read_with_all_its_posts() -> None:
    posts = "".join(
        f'<li class="post"><div class="userinfo">user{n}</div>'
        '<div class="a"><div class="b"><div class="c"><div class="d"><article class="message-body">'
        f"<p>{prose(n)}</p>{''.join(f'<p>{prose(10 + k)}</p>' for k in range(3 if n == 0 else 0))}"
        "</article></div></div></div></div></li>"
        for n in range(4)
    )
    html = f'<html id="XF"><body><div class="p-body"><h1>Ports?</h1><ol class="posts">{posts}</ol></div></body></html>'
    body = parse_article(html, "https://forum.example/threads/ports.1/").body
    assert all(prose(n) in body for n in range(4))


def test_a_consent_dialog_full_of_legal_prose_is_never_the_article() -> None:
    story = "".join(f"<p>{prose(n)}</p>" for n in range(2))
    legal = "".join(
        f"<p>We and our {n} partners process personal data such as cookies, device identifiers and browsing data, "
        "to personalise content and ads, to measure them, and to develop and improve our products.</p>"
        for n in range(12)
    )
    html = f"""<html><body><main><h1>Harbour news</h1>{story}</main>
    <div id="onetrust-consent-sdk"><div class="ot-sdk-container"><h2>Privacy Preference Center</h2>{legal}</div></div>
    </body></html>"""
    assert parse_article(html, "https://x.example/a").body == "\n\n".join(prose(n) for n in range(2))


def test_a_thread_is_read_from_its_list_of_posts() -> None:
    posts = "".join(
        f'<div class="post"><div class="a"><div class="b"><div class="c"><div class="d"><div class="e">'
        f'<div class="text"><p>{prose(n)}</p>{"".join(f"<p>{prose(10 + k)}</p>" for k in range(3 if n == 0 else 0))}'
        "</div></div></div></div></div></div></div>"
        for n in range(4)
    )
    ld = '<script type="application/ld+json">{"@type": "DiscussionForumPosting", "headline": "Ports?"}</script>'
    similar = "".join(f'<li><a href="/threads/{n}">Similar thread number {n} about ships</a></li>' for n in range(5))
    stats = f"<div class='similar'><h3>Similar threads</h3><ul>{similar}</ul></div>"
    thread = f"<main><h1>Ports?</h1><div class='thread'>{posts}</div>{stats}</main>"
    html = f"<html><head>{ld}</head><body>{thread}</body></html>"
    body = parse_article(html, "https://forum.example/threads/ports.1/").body
    assert all(prose(n) in body for n in range(4)) and "Similar thread" not in body


def test_a_short_post_beside_long_lists_of_links_is_the_article() -> None:
    paragraphs = [f"{prose(n)} {prose(n + 10)}" for n in range(2)]
    story = "".join(f"<p>{p}</p>" for p in paragraphs)
    months = "".join(f'<li><a href="/2012/{n}">Archive of month number {n} of this blog</a></li>' for n in range(40))
    html = f"""<html><body><div id="wrap"><div id="col1"><div class="hentry"><h2>A short post</h2>{story}</div></div>
    <div id="col2"><h3>Archives</h3><ul>{months}</ul></div></div></body></html>"""
    body = parse_article(html, "https://blog.example/2012/11/a-short-post.html").body
    assert body == "\n\n".join(["A short post", *paragraphs])


def test_the_page_footer_is_never_the_article_however_much_text_it_holds() -> None:
    story = "".join(f"<p>{prose(n)}</p>" for n in range(2))
    policy = "".join(
        f"<p>Section {n} of our privacy policy explains which personal data we collect when you shop with us, "
        "why we keep it, for how long, and whom we share it with.</p>"
        for n in range(12)
    )
    html = f"""<html><body><div class="page"><div class="product"><h1>Wool runner</h1>{story}</div></div>
    <footer><div class="legal"><h2>Privacy policy</h2>{policy}</div></footer></body></html>"""
    assert parse_article(html, "https://shop.example/products/wool-runner").body == "\n\n".join(
        prose(n) for n in range(2)
    )


def test_lines_that_are_only_a_control_label_are_not_read() -> None:
    labels = ["Read More »", "Reply"]
    story = "".join(f"<p>{prose(n)}</p><div class='x'>{label}</div>" for n, label in enumerate(labels))
    html = f"""<html><body><article><div>Table of Contents</div>{story}<p>{prose(2)}</p><p>{prose(3)}</p>
    </article></body></html>"""
    assert parse_article(html, "https://x.example/a").body == "\n\n".join(prose(n) for n in range(4))


def test_jsonld_article_body_is_read_when_the_page_adds_only_a_little_around_the_same_text() -> None:
    paragraphs = [prose(n) for n in range(5)]
    data = {"@type": "NewsArticle", "headline": "Port", "articleBody": "\n\n".join(paragraphs)}
    story = "".join(f"<p>{p}</p>" for p in paragraphs)
    box = "<div class='x'><p>Get our port newsletter every Friday, free of charge.</p><p>Sign me up now</p></div>"
    html = f"""<html><head><script type="application/ld+json">{json.dumps(data)}</script></head>
    <body><article>{story}{box}</article></body></html>"""
    assert parse_article(html, "https://x.example/a").body == "\n\n".join(paragraphs)


def test_an_author_bio_box_under_the_story_is_not_read() -> None:
    story = "".join(f"<p>{prose(n)}</p>" for n in range(4))
    bio = (
        "<div class='author-bio'><p>Ann Lee has covered ports, shipping and the sea trade for twenty years, "
        "first in Rotterdam and now from Baku, where she lives with her family and two cats.</p></div>"
    )
    html = f"<html><body><article>{story}{bio}</article></body></html>"
    assert parse_article(html, "https://x.example/a").body == "\n\n".join(prose(n) for n in range(4))


def test_the_folded_panels_of_an_accordion_are_read() -> None:
    story = "".join(f"<p>{prose(n)}</p>" for n in range(4))
    steps = "".join(
        f'<div class="accordion-item"><button>Step {n}</button>'
        f'<div class="accordion-panel" style="display: none"><p>{prose(n + 4)}</p></div></div>'
        for n in range(2)
    )
    menu = f'<div style="display:none"><p>{prose(9)}</p></div>'
    html = f'<html><body><article>{story}<div class="accordion">{steps}</div>{menu}</article></body></html>'
    assert parse_article(html, "https://x.example/a").body == "\n\n".join(prose(n) for n in range(6))


@pytest.mark.parametrize(
    ("box", "before"),
    [
        pytest.param(
            "<div class='advertiser-disclosure'><p>We may earn a commission when you buy through the links on this "
            "page, which helps us keep writing; it never changes what we recommend to our readers.</p></div>",
            True, id="advertising disclosure",
        ),
        pytest.param(
            "<div class='post-author__info'><p>Ann Lee writes about ports and shipping. Before she joined us she "
            "spent ten years at sea, as a deck officer on container ships sailing between Asia and Europe.</p></div>",
            False, id="author box",
        ),
        pytest.param(
            "<div class='footnotes'><ol><li id='fn1'>Figures from the port authority's yearly report, which counts "
            "every ship that called at the port and what it carried, as published in March.</li></ol></div>",
            False, id="footnotes",
        ),
    ],
)
def test_a_box_of_sentences_named_as_furniture_is_not_read(box: str, before: bool) -> None:
    story = "".join(f"<p>{prose(n)}</p>" for n in range(4))
    inside = box + story if before else story + box
    html = f"<html><body><article>{inside}</article></body></html>"
    assert parse_article(html, "https://x.example/a").body == "\n\n".join(prose(n) for n in range(4))


def test_a_story_beside_regions_named_as_furniture_is_not_one_of_a_list() -> None:
    story = "".join(f"<p>{prose(n)}</p>" for n in range(4))
    footer = "".join(f"<a href='/p{n}'>Page number {n} of the site</a> " for n in range(6))
    popup = "<p>Get the port newsletter every Friday: the week's news from the quays, free of charge.</p>"
    html = f"""<html><body><div class="builder builder-10 location-single"><div class="wrap"><h1>Port news</h1>
    {story}</div></div><div class="builder builder-11 location-footer"><div class="wrap">{footer}</div></div>
    <div class="builder builder-12 location-popup"><div class="wrap">{popup}</div></div></body></html>"""
    assert parse_article(html, "https://x.example/a").body == "\n\n".join(prose(n) for n in range(4))


def test_lines_that_are_only_a_byline_label_or_stamp_are_not_read() -> None:
    stamps = ("6 min read", "Reviewed by Ann Lee", "Last updated: 3 May 2024")
    labels = "".join(f"<div class='x'>{t}</div>" for t in stamps)
    story = "".join(f"<p>{prose(n)}</p>" for n in range(3))
    letter = "<p>Written by hand, the letter was found in 1901.</p>"
    html = f"<html><body><article>{labels}{story}{letter}</article></body></html>"
    paragraphs = [prose(n) for n in range(3)] + ["Written by hand, the letter was found in 1901."]
    assert parse_article(html, "https://x.example/a").body == "\n\n".join(paragraphs)


def test_a_call_to_action_box_in_the_story_is_not_read() -> None:
    story = [prose(n) for n in range(4)]
    cta = "<div class='post-cta'><h3>Ship smarter with Acme</h3><p>Start your free 14-day trial today.</p></div>"
    html = f"<html><body><article><p>{story[0]}</p><p>{story[1]}</p>{cta}<p>{story[2]}</p><p>{story[3]}</p></article>"
    assert parse_article(html, "https://x.example/a").body == "\n\n".join(story)


@pytest.mark.parametrize(
    "tail",
    [
        pytest.param(
            "<h2>Related Posts</h2><div class='card'><h3><a href='/other'>Ten more things to see at the port</a></h3>"
            "<p>The old quay, the fish market and the lighthouse: a walk along the harbour for a sunny day, "
            "with the best places to eat on the way.</p></div>",
            id="other posts with their excerpts",
        ),
        pytest.param(
            "<p>Contributing Writer</p><p>Ann Lee writes about ports, ships and the people who work on them.</p>",
            id="a writer's role over a bio",
        ),
    ],
)
def test_what_follows_a_heading_naming_other_posts_at_the_very_end_is_not_read(tail: str) -> None:
    story = [prose(n) for n in range(12)]
    html = f"<html><body><article>{''.join(f'<p>{p}</p>' for p in story)}{tail}</article></body></html>"
    assert parse_article(html, "https://x.example/a").body == "\n\n".join(story)


def test_linked_headings_of_the_story_s_sections_are_read_and_teasers_titles_are_not() -> None:
    intro = prose(0)
    items = [(f"{n}. The Acme {n}00 harbour crane", " ".join(prose(n + k) for k in (0, 10, 20, 30))) for n in (1, 2)]
    sections = "".join(f"<h2><a href='/shop'>{title}</a></h2><p>{text}</p>" for title, text in items)
    teaser = "<h3><a href='/other'>Another story about cranes</a></h3><p>A short excerpt.</p>"
    html = f"<html><body><article><p>{intro}</p>{sections}{teaser}</article></body></html>"
    body = parse_article(html, "https://x.example/best-cranes").body
    assert body.startswith("\n\n".join([intro, items[0][0], items[0][1], items[1][0], items[1][1]]))
    assert "Another story about cranes" not in body


# --- issue 16, the body set's round (tests/test_body_set.py): boxes told by structure, the lead ---


def _story(extra: str, head: str = "") -> str:
    first, last = "".join(f"<p>{prose(n)}</p>" for n in range(2)), "".join(f"<p>{prose(n)}</p>" for n in range(2, 4))
    return f"<html><body><article>{head}{first}{extra}{last}</article></body></html>"


@pytest.mark.parametrize("label", ["Lesen Sie auch", "Leggi anche", "Читайте также", "اقرأ أيضاً", "Related"])
def test_a_box_of_links_under_a_label_in_any_language_is_not_read(label: str) -> None:
    box = f"<div class='x7'><h4>{label}</h4><ul><li><a href='/a'>Port strike ends after three weeks</a></li>"
    box += "<li><a href='/b'>Ferry fares to rise in June</a></li></ul></div>"
    body = parse_article(_story(box), "https://x.example/a").body
    assert label not in body and "Port strike" not in body and body.count("Paragraph") == 4


def test_links_written_into_a_sentence_stay() -> None:
    prose_links = "<div class='x7'><p>Further reading: the <a href='/m'>manual's chapter on logs</a> and "
    prose_links += "<a href='/n'>my older post on journald limits</a>, both short, both worth it.</p></div>"
    body = parse_article(_story(prose_links), "https://x.example/a").body
    assert "the manual's chapter on logs and my older post on journald limits, both short" in body


def test_a_pitch_with_a_form_or_a_link_to_an_app_store_or_a_donation_platform_is_not_read() -> None:
    signup = "<div class='x8'><h3>Morning briefing</h3><p>Our news in your inbox.</p><form><input type='email'>"
    signup += "<button type='submit'>Sign up</button></form></div>"
    donate = "<div class='x9'><h4>Wir brauchen Sie</h4><p>Unterstützen Sie uns.</p><a href='https://www.paypal.com/donate?id=1'>Jetzt</a></div>"
    app = "<div class='x10'><p>Baixe o app</p><a href='https://play.google.com/store/apps/details?id=x'>Android</a></div>"
    body = parse_article(_story(signup + donate + app), "https://x.example/a").body
    assert body == "\n\n".join(prose(n) for n in range(4))


def test_a_heading_left_at_the_end_is_not_read() -> None:
    tail = "<div class='x3'><h4>Discussion about this post</h4><button>Comments</button></div>"
    html = f"<html><body><article>{''.join(f'<p>{prose(n)}</p>' for n in range(4))}{tail}</article></body></html>"
    assert parse_article(html, "https://x.example/a").body == "\n\n".join(prose(n) for n in range(4))


def test_a_cookie_wall_named_by_a_compound_is_not_read() -> None:
    wall = "<div class='cookiewall'><p>We and our partners use cookies to personalise content and ads.</p></div>"
    html = f"<html><body>{wall}<div class='x'>{''.join(f'<p>{prose(n)}</p>' for n in range(4))}</div></body></html>"
    assert "cookies" not in parse_article(html, "https://x.example/a").body

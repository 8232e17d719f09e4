"""Body text without other stories and furniture, on pages without a profile (issue 16, Body).

Each page is markup written here in the shape of a common pattern: an article, then what a CMS puts
in or after it. Each test fails when the rule it names is taken out.
"""

from __future__ import annotations

import json

import pytest

from scrapers.parsers import parse_article

URL = "https://news.example/2024/04/23/bridge-opens"
LEAD = "Die neue Brücke über den Fluss wurde am Dienstagmorgen nach vier Jahren Bauzeit für den Verkehr freigegeben."
PARAS = [
    "The new bridge over the river opened to traffic on Tuesday morning after four years of building work, "
    "the city said in a statement published on its website.",
    "Engineers had to rebuild two of the piers after floods in the second year, which pushed the cost up by "
    "some eight million euros over the first estimate, officials told the council.",
    "Cyclists get their own lane on both sides of the deck, separated from the traffic by a low concrete "
    "wall that the designers say will also carry the lighting.",
    "The mayor called it a great day for the region and thanked the workers, some of whom had come from "
    "abroad, for finishing the job two months earlier than planned.",
]


def page(article: str, after: str = "", head: str = "") -> str:
    return f"""<html lang="en"><head><title>Bridge opens</title>{head}</head><body>
    <header><nav><a href="/">Home</a> <a href="/region">Region</a> <a href="/sport">Sport</a></nav></header>
    <main><article><h1>Bridge opens</h1>{article}{after}</article>
    <aside class="sidebar"><h3>Most read</h3><ul><li><a href="/a">One story</a></li></ul></aside></main>
    <footer>© News</footer></body></html>"""


def prose(paras: list[str] = PARAS) -> str:
    return "".join(f"<p>{p}</p>" for p in paras)


def body_of(html: str) -> str:
    return parse_article(html, URL).body


def teasers(heading: str, tag: str = "h3") -> str:
    items = "".join(
        f'<li><a href="/story-{n}">Another story about the council number {n}</a><p>A short excerpt.</p></li>'
        for n in range(4)
    )
    return f'<div class="box-{len(heading)}"><{tag}>{heading}</{tag}><ul>{items}</ul></div>'


@pytest.mark.parametrize(
    "heading",
    ["Mehr zum Thema", "Lesen Sie auch", "Zobacz także", "Veja também", "Oxşar xəbərlər", "Читайте также"],
)
def test_a_short_heading_over_a_run_of_teasers_ends_the_article_in_any_language(heading: str) -> None:
    body = body_of(page(prose(), teasers(heading)))
    assert body == "\n\n".join(PARAS)


def test_a_short_heading_over_the_articles_own_prose_does_not_end_it() -> None:
    section = "<h3>Weiter im Text</h3>" + prose(PARAS[:2])
    body = body_of(page(prose(PARAS[2:]) + section))
    assert body.endswith("Weiter im Text\n\n" + "\n\n".join(PARAS[:2]))


@pytest.mark.parametrize(
    "name", ["shareblock", "authorbox", "relatedposts", "contactbox", "post-ratings", "newsTeaser", "recirculation"]
)
def test_furniture_named_by_a_compound_or_a_variant_is_dropped(name: str) -> None:
    box = f'<div class="{name}"><p>Written by Ann Lee, who covers the city for us and likes bridges.</p></div>'
    assert body_of(page(prose(PARAS[:2]) + box + prose(PARAS[2:]))) == "\n\n".join(PARAS)


@pytest.mark.parametrize(
    "attribute",
    ['class="non-paywall"', 'class="js_readmore"', 'id="https://news.example/slideshow/12"'],
)
def test_names_that_deny_or_only_hook_a_furniture_word_keep_their_text(attribute: str) -> None:
    body = body_of(page(f"<div {attribute}><div>{PARAS[0]}</div></div>" + prose(PARAS[1:])))
    assert body == "\n\n".join(PARAS)


def test_a_stem_match_on_the_block_that_holds_the_prose_keeps_it() -> None:
    assert body_of(page(f'<div class="article-promo-wrapper">{prose()}</div>')) == "\n\n".join(PARAS)


@pytest.mark.parametrize("attribute", ['aria-hidden="true"', 'class="hidden"', 'class="item hide"'])
def test_hidden_blocks_are_not_text(attribute: str) -> None:
    hidden = f"<div {attribute}><p>Breaking: another story that the ticker scrolls past.</p></div>"
    assert body_of(page(prose(PARAS[:2]) + hidden + prose(PARAS[2:]))) == "\n\n".join(PARAS)


def test_an_articles_footer_of_metadata_is_not_text() -> None:
    footer = "<footer><span>Filed in</span> <span>City, Transport, Bridges</span></footer>"
    assert body_of(page(prose(), footer)) == "\n\n".join(PARAS)


def test_text_is_nfc_without_soft_hyphens_or_ruby_readings() -> None:
    decomposed = "Cafe\u0301 owners along the river wel\u00adcomed the new bridge"
    ruby = "<ruby>東京<rp>(</rp><rt>とうきょう</rt><rp>)</rp></ruby> sent a delegation too."
    body = body_of(page(prose() + f"<p>{decomposed}, and {ruby}</p>"))
    assert body.endswith("Café owners along the river welcomed the new bridge, and 東京 sent a delegation too.")


def jsonld(text: str) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "articleBody": text}
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def test_the_page_is_preferred_to_a_jsonld_statement_that_lacks_the_lead() -> None:
    body = body_of(page(f"<p>{LEAD}</p>" + prose(), head=jsonld("\n\n".join(PARAS))))
    assert body == "\n\n".join([LEAD, *PARAS])


def test_what_follows_the_statements_last_paragraph_is_not_the_article() -> None:
    bio = "<div><p>Ann Lee has written about the city, its bridges and its council for the paper since 2009.</p></div>"
    body = body_of(page(prose(), bio, head=jsonld("\n\n".join(PARAS))))
    assert body == "\n\n".join(PARAS)


def test_an_entity_escaped_jsonld_statement_is_read_as_text() -> None:
    escaped = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in PARAS)
    html = page("<p>Subscribe to read.</p>", head=jsonld(escaped))
    assert body_of(html) == "\n\n".join(PARAS)


def test_tab_panels_hidden_from_screen_readers_and_desktop_only_blocks_are_text() -> None:
    panels = "".join(f'<div class="tab-panel" aria-hidden="true"><p>{p}</p></div>' for p in PARAS[1:3])
    desktop = f'<div class="hidden lg:block"><p>{PARAS[3]}</p></div>'
    assert body_of(page(prose(PARAS[:1]) + panels + desktop)) == "\n\n".join(PARAS)


def test_a_run_of_teasers_with_more_prose_than_a_box_is_the_articles_own() -> None:
    items = "".join(
        f'<h3>Step {n}</h3><p>In step {n}: {p}</p><p><a href="/tool-{n}">The tool we used for part {n}</a></p>'
        for n, p in enumerate(PARAS)
    )
    body = body_of(page(prose() + items))
    assert body.endswith("Step 3\n\nIn step 3: " + PARAS[-1])

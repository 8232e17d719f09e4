"""The replica at the weight of a real news page (replica/weight.py): heavier pages, same articles."""

from __future__ import annotations

import pytest

from replica.render import article_page
from replica.site import ReplicaSite
from replica.weight import heavy_head
from scrapers.parsers import parse_article
from scrapers.sites import load_profile

BASE = "http://127.0.0.1:8000"


def pages(weight: str, count: int = 30) -> list[tuple[str, str]]:
    site = ReplicaSite(seed=4, articles=120, weight=weight)
    return [(BASE + e.path, article_page(site, e, BASE)) for e in list(site.articles())[:count]]


def test_real_weight_pages_weigh_what_news_pages_weigh() -> None:
    light = [len(html.encode()) for _, html in pages("light")]
    real = [len(html.encode()) for _, html in pages("real")]
    assert sum(light) / len(light) < 25_000
    assert 70_000 < sum(real) / len(real) < 110_000


def test_the_extra_weight_is_per_page_as_well_as_shared() -> None:
    (_, one), (_, two) = pages("real", 2)
    site = ReplicaSite(seed=4, articles=120, weight="real")
    shared = heavy_head(site)
    assert len(shared) > 20_000 and shared in one and shared in two  # CSS and scripts: the same everywhere
    assert _part(one, 'class="most-read"') != _part(two, 'class="most-read"')  # teasers: each page its own
    assert _part(one, 'id="__STATE__"') != _part(two, 'id="__STATE__"')


def _part(html: str, marker: str) -> str:
    start = html.index(marker)
    return html[start : html.index("</", start + 200)]


def test_the_articles_do_not_change_with_the_weight() -> None:
    profile = load_profile("turan")
    for (url, light), (same_url, real) in zip(pages("light"), pages("real"), strict=True):
        assert url == same_url
        lighter, heavier = parse_article(light, url, profile), parse_article(real, url, profile)
        assert heavier.to_dict() == lighter.to_dict(), url


def test_an_unknown_weight_is_refused() -> None:
    with pytest.raises(ValueError, match="weight"):
        ReplicaSite(seed=1, articles=10, weight="heavy")

"""The weight of a real news page, for benchmarks: ``ReplicaSite(weight="real")``.

The light replica's pages are about 16 KB; the pages the performance notes were measured on, and
pages of news sites generally, are about 86 KB. What makes up the difference on a real page is
mostly not article text: inline critical CSS and a tag-manager script (the same on every page), an
SVG sprite and a mega-menu (the same on every page of a language), the app state as inline JSON and
"most read" teasers (different on every page). The parts below reproduce those kinds and sizes,
deterministically from the site's seed, so that parse time and archive size are measured on bytes
like the real ones: the shared parts compress well across pages, the per-page parts do not.

None of it is article text: the article container, its dates, captions and comments are the same
as on a light page, so the ground truth does not change.
"""

from __future__ import annotations

import json
from functools import cache
from html import escape
from random import Random
from typing import TYPE_CHECKING

from replica.labels import SECTION_NAMES, SECTIONS_BY_LANG
from replica.textgen import mix

if TYPE_CHECKING:
    from replica.model import Entry, SiteModel

_CSS_RULES = 340  # ~18 KB of critical CSS
_TAG_MANAGER_CALLS = 200  # ~11 KB of inline tag-manager script
_SPRITE_ICONS = 40  # ~11 KB of SVG symbols
_MENU_LINKS = 120  # per language, ~9 KB
_STATE_ITEMS = 40  # latest items in the inline app state
_MOST_READ = 12  # teasers chosen per page


@cache
def critical_css(seed: int) -> str:
    rng = Random(mix(seed, 7001))
    props = ("margin", "padding", "font-size", "line-height", "border-radius", "gap", "max-width", "top")
    rules = []
    for n in range(_CSS_RULES):
        decls = ";".join(f"{rng.choice(props)}:{rng.randint(0, 64)}px" for _ in range(rng.randint(2, 5)))
        color = f"#{rng.randrange(0x1000000):06x}"
        rules.append(f".c{n}-{rng.choice(('hd', 'nv', 'tz', 'ft', 'bx'))}{{{decls};color:{color}}}")
    return "".join(rules)


@cache
def tag_manager(seed: int) -> str:
    rng = Random(mix(seed, 7002))
    calls = []
    for n in range(_TAG_MANAGER_CALLS):
        key = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(12))
        calls.append(f'tm.push({{"event":"e{n}","k":"{key}","v":{rng.randint(0, 99999)}}});')
    return "var tm=window.tm=window.tm||[];" + "".join(calls)


@cache
def sprite(seed: int) -> str:
    rng = Random(mix(seed, 7003))
    symbols = []
    for n in range(_SPRITE_ICONS):
        path = " ".join(f"L{rng.uniform(0, 24):.2f} {rng.uniform(0, 24):.2f}" for _ in range(24))
        symbols.append(f'<symbol id="i{n}" viewBox="0 0 24 24"><path d="M12 0 {path}Z"/></symbol>')
    return f'<svg xmlns="http://www.w3.org/2000/svg" style="display:none">{"".join(symbols)}</svg>'


@cache
def mega_menu(seed: int, lang: str) -> str:
    rng = Random(mix(seed, 7004, len(lang), ord(lang[0])))
    sections = SECTIONS_BY_LANG[lang]
    links = []
    for n in range(_MENU_LINKS):
        section = sections[n % len(sections)]
        links.append(f'<li><a href="/{lang}/{section}?tag={rng.randrange(10**6)}">'
                     f"{escape(SECTION_NAMES[section])} {n}</a></li>")
    return f'<nav class="megamenu" aria-label="all"><ul>{"".join(links)}</ul></nav>'


def _latest(site: SiteModel, lang: str, count: int) -> list[Entry]:
    return [site.entries[i] for i in site.live[lang][:count]]


def app_state(site: SiteModel, lang: str, base: str, title: str) -> str:
    """The page's inline JSON state: what a front-end framework ships with every page."""
    items = [
        {"id": e.article_id, "title": e.title, "url": f"{base}{e.path}", "ts": e.ts, "section": e.section}
        for e in _latest(site, lang, _STATE_ITEMS)
    ]
    state = {"page": {"title": title, "lang": lang}, "latest": items, "build": site.seed}
    text = json.dumps(state, ensure_ascii=False).replace("</", "<\\/")
    return f'<script id="__STATE__" type="application/json">{text}</script>'


def most_read(site: SiteModel, lang: str, base: str, title: str) -> str:
    """Teasers of other stories, a different choice on every page."""
    live = site.live[lang]
    if not live:
        return ""
    rng = Random(mix(site.seed, 7005, sum(map(ord, title))))
    chosen = [site.entries[live[rng.randrange(len(live))]] for _ in range(_MOST_READ)]
    items = "".join(
        f'<li><a href="{base}{e.path}"><svg class="ic"><use href="#i{n % _SPRITE_ICONS}"/></svg>'
        f"{escape(e.title)}</a></li>"
        for n, e in enumerate(chosen)
    )
    return f'<aside class="most-read"><h3>Most read</h3><ol>{items}</ol></aside>'


def heavy_head(site: SiteModel) -> str:
    return f"<style>{critical_css(site.seed)}</style><script>{tag_manager(site.seed)}</script>"


def heavy_body_start(site: SiteModel, lang: str) -> str:
    return sprite(site.seed) + mega_menu(site.seed, lang)


def heavy_body_end(site: SiteModel, lang: str, base: str, title: str) -> str:
    return most_read(site, lang, base, title) + app_state(site, lang, base, title)

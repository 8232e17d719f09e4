"""Page chrome shared by every replica page: head, header menu, News Line aside, footer.

The chrome deliberately carries article-like text (teaser titles, dates) so that a parser which
does not strip it fails the ground truth.
"""

from __future__ import annotations

import math
from html import escape
from typing import TYPE_CHECKING

from replica.labels import SECTION_NAMES, SECTIONS_BY_LANG, SOCIAL_LINKS, UI
from replica.timefmt import visible
from replica.weight import heavy_body_end, heavy_body_start, heavy_head

if TYPE_CHECKING:
    from replica.site import ReplicaSite

NEWSLINE_SIZE = 20

_STYLE = (".container{max-width:1100px;margin:0 auto}.grid{display:flex;flex-wrap:wrap}"
          ".grid-item{width:33%}.newsline{float:right;width:25%}.paywall{font-weight:bold}")
_ANALYTICS = ("window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
              "gtag('js',new Date());gtag('config','G-TURANREPLICA');")


def document(site: ReplicaSite, lang: str, base: str, title: str, main: str, *, head: str = "",
             home: bool = False) -> str:
    """A whole page around `main` (already HTML)."""
    real = site.weight == "real"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} | Turan</title>"
        f'<link rel="alternate" type="application/rss+xml" title="Turan" href="{base}/{lang}/rss.xml">'
        f"{head}<style>{_STYLE}</style><script>{_ANALYTICS}</script>{heavy_head(site) if real else ''}</head>\n"
        f"<body>\n{heavy_body_start(site, lang) if real else ''}"
        f"{header(lang)}\n{main}\n{newsline(site, lang, base)}\n"
        f"{heavy_body_end(site, lang, base, title) if real else ''}{footer(site, lang, home)}\n"
        "</body></html>\n"
    )


def header(lang: str) -> str:
    menu = "".join(f'<a href="/{lang}/{s}">{escape(SECTION_NAMES[s])}</a>' for s in SECTIONS_BY_LANG[lang])
    return (
        f'<header class="header"><a class="logo" href="/{lang}"><img src="/img/logo.png" alt="Turan"></a>'
        f'<nav class="mainmenu">{menu}</nav>'
        '<div class="langs"><a href="/az">AZ</a><a href="/en">EN</a><a href="/ru">RU</a></div>'
        f'<div class="account"><span>{UI[lang]["login"]}</span> | <span>{UI[lang]["subscribe"]}</span></div>'
        "</header>"
    )


def newsline(site: ReplicaSite, lang: str, base: str) -> str:
    """Latest live items of the language; links are absolute, unlike listings (both occur in the wild)."""
    items = "".join(
        f'<li><a href="{base}{e.path}">{escape(e.title)}</a> '
        f'<span class="manspdt">{visible(e.ts, lang)}</span></li>'
        for e in (site.entries[i] for i in site.live[lang][:NEWSLINE_SIZE])
    )
    return f'<aside class="newsline"><h3>{UI[lang]["newsline"]}</h3><ul>{items}</ul></aside>'


def _icon(n: int) -> str:
    """An inline SVG icon (a many-sided polygon): real pages carry kilobytes of these."""
    points = " ".join(
        f"{12 + (9 - n) * math.cos(k * math.pi / 24):.3f},{12 + (9 - n) * math.sin(k * math.pi / 24):.3f}"
        for k in range(48)
    )
    return f'<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><polygon points="{points}"/></svg>'


_ICONS = [_icon(n) for n in range(len(SOCIAL_LINKS))]


def social(lang: str) -> str:
    links = " ".join(
        f'<a href="{url}" rel="noopener" title="{name}">{icon}<span>{name}</span></a>'
        for (name, url), icon in zip(SOCIAL_LINKS, _ICONS, strict=True)
    )
    return f'<div class="share"><span>{UI[lang]["follow"]}</span> {links}</div>'


def footer(site: ReplicaSite, lang: str, home: bool) -> str:
    archive = ""
    if home and site.calendar_path:
        archive = f'<div class="archive"><a href="{site.calendar_path}">{UI[lang]["archive"]}</a></div>'
    return (
        f'<footer class="footer">{social(lang)}{archive}'
        f'<div class="about">{UI[lang]["agency"]}. <a href="mailto:office@turan.az">office@turan.az</a></div>'
        f'<div class="copyright">{UI[lang]["copyright"]}</div></footer>'
    )

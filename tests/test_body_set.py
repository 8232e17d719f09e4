"""The body set: hand-written article pages scored the way trafilatura's own evaluation set scores
them (``fixtures/bodyset/pages/<case>/page.html`` with ``expected.json``): ``must_have`` snippets of the
article's text (its first and last sentences among them) that the body must keep, and ``must_not``
snippets of page chrome and other stories that it must leave out.

Issue 16: on trafilatura's 990 pages our body kept more must-not snippets than trafilatura's
(related-story boxes in many languages, newsletter/donation/app/paywall boxes, author and contact
boxes, tag/share/rating bars, tickers, most-read rails, previous/next teasers, hidden elements, pull
quotes, key-points boxes) and sometimes dropped real text (tables, ``pre``, link lists in prose, an
article split across sibling sections). Each case names its markup family and its ``part``: when it
was written. ``blind3`` (34 pages, 34 families, 14 languages) was written before the extractor was
read or changed this session; ``blind3b`` after the change, from other families, to see it hold.
``blind4`` (31 pages, 31 families, 12 languages: WordPress Astra / Jannah / GeneratePress, Drupal 9,
Contao, Joomla 3 + K2, Ghost Source, Blogger Contempo, Hugo Docsy, Jekyll Minimal Mistakes, DLE, Bitrix,
Liferay, beehiiv, phpBB, Discourse, WooCommerce, The Events Calendar, German, Austrian, Swiss, French,
Italian, Spanish, Polish, Czech, Dutch, Russian, Turkish and Azerbaijani news sites) was written in the
next session before its change; ``blind4b`` (9 pages: XenForo, Shopify, Divi, Craft CMS, a Habr-like
platform, Hungarian, Swedish, Finnish and Portuguese news sites) after it, measured before any fix.
``blind5`` (19 pages, 19 families, 13 languages: a WP Recipe Maker card, a Mailchimp campaign archive,
Sphinx / Read the Docs, Docusaurus, an ots press release, vBulletin 4, WordPress.com with Jetpack, Forem,
Fandom, a Future plc review, an AMP page, Hypotheses, and RBC-, Figaro-, El Mundo-, Interia-, Il Fatto-,
DR- and Kompas-like news) was written in the third session before its change; ``blind5b`` (8 pages:
Invision Community, LiveJournal, a WordPress theme named in German, an Italian recipe site, a PR wire,
Korean, Vietnamese, Hashnode) after its first change, measured before any fix for it.
``blind6`` (16 pages, 16 families, mostly English and German as trafilatura's own set is: WordPress
Genesis, a block theme and tagDiv Newspaper, HubSpot, Government Site Builder, Shopware 6, Stack
Exchange, Simple Machines Forum, Zendesk Guide, MediaWiki, Tumblr, a heise-like tech site, an academic
blog, CivicPlus, Adobe Experience Manager, a Funke-like regional) was written in the fourth session
before its change; ``blind6b`` (7 pages: Magento 2, MyBB, Kirby, Wagtail, Kadence, an SZ-like site,
Webflow) after its first change, measured before any fix for it.

Measures, per part: recall (must-have snippets kept / all must-have), precision (must-not snippets
left out / all must-not), their F-score, and trafilatura's own precision (kept must-have / all kept
snippets) beside them, since that is the figure its evaluation reports.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import html

from scrapers.parsers import parse_article
from tests.set_report import part_lines

SET = Path(__file__).parent / "fixtures" / "bodyset" / "pages"
CASES = sorted(p.parent for p in SET.glob("*/expected.json"))
PARTS = ("blind3", "blind3b", "blind4", "blind4b", "blind5", "blind5b", "blind6", "blind6b")
# Measured on main 576e8a2, before this round's change (recall, precision, F; trafilatura's precision):
#   blind3  0.952, 0.901, 0.926 (0.874: near the 0.876 of the held-out 990 pages)
#   blind3b 0.938, 0.957, 0.947 (0.938)
# blind3b was written after the first change and measured before any fix for it: 1.000, 0.979, 0.989.
# That change also read the lead (dek) printed above the text block and took a link styled as a
# button for a pitch; both cost a half of wcxb-dev (its labels leave most leads out; review cards
# have "See it at Amazon" buttons) and were dropped, and so was a "contact" stem (a service page's
# "contact-5 content-section"). Now: blind3 0.958, 0.961, 0.960 (0.947);
# blind3b 0.969, 0.957, 0.963 (0.939). The bars hold that, per part.
# body4 (recall, precision, F; trafilatura's precision), main e1769a6 → branch, trafilatura 2.3.1 beside:
#   blind4  main 1.000, 0.937, 0.967 (0.913); branch 1.000, 0.976, 0.988 (0.965)
#           trafilatura 0.971, 0.913, 0.941 (0.880)
#   blind4b main 1.000, 0.912, 0.954 (0.881); branch, before any fix for it, the same
#           trafilatura 1.000, 0.895, 0.944 (0.860)
# blind4b's leaks (a review under a product, an event's box, a paywall pitch, a tips line, a 2-post
# thread's "similar threads") have no structure that tells them without words: no fix was made for them.
# body5 (same measures), main b6d4bbe → branch, trafilatura 2.3.1 beside:
#   blind5  main 1.000, 0.948, 0.973 (0.928); branch 1.000, 0.974, 0.987 (0.963)
#           trafilatura 0.974, 0.828, 0.895 (0.789)
#   blind5b main 1.000, 0.851, 0.920 (0.821); after the first change, before any fix for it, the same;
#           after its fixes 1.000, 1.000, 1.000 (1.000). trafilatura 1.000, 0.809, 0.894 (0.780)
#   blind4b main 0.912 → branch 0.930 precision (the 2-post XenForo thread's "similar threads" are gone).
# Still leaking on blind5: a review's "Why you can trust us" box and a blog's "cite this post" box (their
# names, "trust-box", "citation-box", also name text on dev pages: Wirecutter's "Why you should trust us").
# body6 (same measures), main cde2cc8 → branch, trafilatura 2.3.1 beside (extract(), no comments, tables):
#   blind6  main 0.973, 0.933, 0.953 (0.912); branch 1.000, 0.952, 0.976 (0.938)
#           trafilatura 0.987, 0.857, 0.917 (0.831)
#   blind6b main and branch (before any fix for it) 1.000, 1.000, 1.000 (1.000);
#           trafilatura 0.964, 0.878, 0.919 (0.844)
#   blind5  main 0.974 → branch 0.991 precision (the cite box); blind3 0.970 → 0.974.
# Still leaking on blind6: a press release's contact box and a picture's credit line in a block found by
# density (dev labels keep credit lines: dropping them cost dragnet both halves), a product's reviews in
# a tab, a "more in this section:" line.
BARS = {
    "blind3": {"recall": 0.95, "precision": 0.97},
    "blind3b": {"recall": 0.96, "precision": 0.95},
    "blind4": {"recall": 0.99, "precision": 0.97},
    "blind4b": {"recall": 0.99, "precision": 0.92},
    "blind5": {"recall": 0.99, "precision": 0.99},
    "blind5b": {"recall": 0.99, "precision": 0.99},
    "blind6": {"recall": 0.99, "precision": 0.95},
    "blind6b": {"recall": 0.99, "precision": 0.99},
}


@dataclass(frozen=True)
class Result:
    name: str
    part: str
    family: str
    kept: tuple[int, int]  # (must-have snippets kept, must-have snippets)
    left_out: tuple[int, int]  # (must-not snippets left out, must-not snippets)
    missed: tuple[str, ...]
    leaked: tuple[str, ...]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def evaluate(case: Path) -> Result:
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    body = _norm(parse_article((case / "page.html").read_bytes(), expected["url"]).body)
    missed = tuple(s for s in expected["must_have"] if _norm(s) not in body)
    leaked = tuple(s for s in expected["must_not"] if _norm(s) in body)
    have, must_not = len(expected["must_have"]), len(expected["must_not"])
    return Result(
        case.name,
        expected["part"],
        expected["family"],
        (have - len(missed), have),
        (must_not - len(leaked), must_not),
        missed,
        leaked,
    )


def summary(results: list[Result]) -> dict[str, float]:
    kept, have = sum(r.kept[0] for r in results), sum(r.kept[1] for r in results)
    left_out, must_not = sum(r.left_out[0] for r in results), sum(r.left_out[1] for r in results)
    recall, precision = kept / max(1, have), left_out / max(1, must_not)
    f_score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    leaked = must_not - left_out
    return {
        "pages": len(results),
        "recall": recall,
        "precision": precision,
        "f": f_score,
        "trafilatura_precision": kept / max(1, kept + leaked),
    }


def test_the_set_has_blind_pages_from_many_families() -> None:
    expected = [json.loads((c / "expected.json").read_text(encoding="utf-8")) for c in CASES]
    for part, pages in (("blind3", 30), ("blind4", 30), ("blind5", 15)):
        blind = [e for e in expected if e["part"] == part]
        assert len(blind) >= pages and len({e["family"] for e in blind}) >= pages * 5 // 6, part
        assert len({e["language"] for e in blind}) >= 10, part
    blind6 = [e for e in expected if e["part"] == "blind6"]
    assert len(blind6) >= 15 and len({e["family"] for e in blind6}) == len(blind6)
    assert {"en", "de"} <= {e["language"] for e in blind6}
    for e in expected:
        assert e["part"] in PARTS and 3 <= len(e["must_have"]) <= 6 and 3 <= len(e["must_not"]) <= 8


def test_every_snippet_is_on_its_page() -> None:
    """A snippet the page does not show could never be kept: the labels themselves are checked."""
    for case in CASES:
        expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
        tree = html.fromstring((case / "page.html").read_bytes())
        for node in tree.xpath("//script|//style"):
            node.drop_tree()
        shown = _norm(tree.text_content())
        for snippet in expected["must_have"] + expected["must_not"]:
            assert _norm(snippet) in shown, (case.name, snippet)


def test_scores_over_the_set(capsys: pytest.CaptureFixture[str]) -> None:
    results = [evaluate(case) for case in CASES]
    parts = {"all": results, **{p: [r for r in results if r.part == p] for p in PARTS}}
    with capsys.disabled():
        print(f"\nbody set: {len(results)} pages\n" + part_lines(parts, summary, 8))
        for r in results:
            print(f"    {r.name:<30} {r.part:<8} have {r.kept[0]}/{r.kept[1]} not {r.left_out[0]}/{r.left_out[1]}")
            for snippet in r.missed:
                print(f"      missed: {snippet[:70]}")
            for snippet in r.leaked:
                print(f"      leaked: {snippet[:70]}")
    for part in PARTS:
        figures, bars = summary(parts[part]), BARS[part]
        assert figures["recall"] >= bars["recall"] and figures["precision"] >= bars["precision"], part

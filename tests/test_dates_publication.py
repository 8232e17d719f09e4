"""`published` means first publication (issue 16): the date fixtures through the scorer's adapter.

The blind parts (``"part"`` in expected.json: ``blind3``, ``blind3b`` ... ``blind6b``) are pages written from real CMS
families before the code was read or changed for them; each part's share of exact published days,
and of modified days where the page shows one, is printed and held at a bar. Measured before any
change: blind3 published 0.950 (38/40), modified 0.750 (12/16); blind3b (written after the blind3
fixes, measured before fixing for it) published 0.875 (7/8), modified 0.500 (2/4). After: all 1.000.
``blind4`` (32 hard pages: mixed page types, mostly German, Austrian and Swiss, dates only in the
address, a byline in another language, a maintenance footer or a script's state, many dated
distractors, no date at all) before any change: published 0.688 (22/32; htmldate 0.469),
modified 0.778 (7/9); after: 1.000 (32/32), 0.889 (8/9). ``blind4b`` (10 pages, written after the
blind4 fixes, measured before fixing for it): published 0.600 (6/10; main 0.700, htmldate 0.500),
modified 1.000 (2/2); after: 0.900 (9/10), 1.000.

``blind5`` (22 pages modelled on the held-out kinds: German IT news, a GSB notice with "Gültig ab",
release notes with version numbers, Discourse, WooCommerce, MkDocs Material, a press release with a
Sperrfrist, a municipal event, university and Swiss federal releases, Q&A, a DST-night UTC instant,
Japanese, Thai Buddhist-era, a migrated archive, hAtom with Disqus, Czech, Hungarian, relative times,
Moodle, DokuWiki, Jimdo) before any change: published 0.727 (16/22; htmldate 0.636), modified 0.200
(1/5); after: 0.955 (21/22), 0.800 (4/5). ``blind5b`` (10 pages, written after the blind5 fixes,
measured before fixing for them): published 0.500 (5/10; main 0.500, htmldate 0.600), modified 0.667
(2/3); after: 0.900 (9/10), 1.000 (3/3).

``blind6`` (23 pages: news in twelve languages showing a publication and an update, or one of them,
beside dated teasers, feeds, comments and prose; German club, municipal, university, police, ministry,
shop, forum and course pages) before any change (main cde2cc8): published 0.783 (18/23; htmldate
0.522), modified 0.800 (8/10); after: 1.000 (23/23), 1.000 (10/10). ``blind6b`` (8 pages, written
after the blind6 fixes, measured before fixing for them): published 0.750 (6/8; main 0.750, htmldate
0.625), modified 1.000 (3/3); after: 1.000 (8/8), 1.000 (3/3).

``fixtures/dates/*`` are hand-written pages of markup patterns that put another date next to the
publication date (an update line, a date in a dek or caption, the UTC day of a late-evening post,
bylines in other languages, footers and scripts). ``test_fixtures.py`` checks each page's fields;
here the one date the evaluation adapter gives must be the day of the first publication.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from htmldate import find_date

from scrapers.parsers import parse_article
from scrapers.parsers.evaluation import extract

ALL_CASES = sorted(p.parent for p in (Path(__file__).parent / "fixtures" / "dates").glob("*/expected.json"))


def _expected(case: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    return data


def _part(case: Path) -> str:
    return str(_expected(case).get("part", "fixtures"))


CASES = [case for case in ALL_CASES if _part(case) == "fixtures"]
BLIND = sorted({_part(case) for case in ALL_CASES} - {"fixtures"})
# The least share of exact days each blind part must keep (published, modified where labelled).
# Measured on the code as it stood before any change for that part ("before") and after the fixes.
BARS: dict[str, tuple[float, float]] = {
    "blind3": (1.0, 1.0), "blind3b": (1.0, 1.0), "blind4": (1.0, 0.88), "blind4b": (1.0, 1.0),
    "blind5": (1.0, 0.8), "blind5b": (0.9, 1.0), "blind6": (1.0, 1.0), "blind6b": (1.0, 1.0),
}  # fmt: skip


def test_the_date_fixtures_are_there() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_adapter_gives_the_first_publication_day(case: Path) -> None:
    expected = _expected(case)
    day = expected.get("published", "")[:10] or expected["published_day"]
    html = (case / "page.html").read_text(encoding="utf-8")
    assert (extract(html, expected["url"])["published"] or "")[:10] == day


def test_an_update_shown_alone_is_the_modified_date_and_the_metadata_gives_the_publication() -> None:
    case = next(c for c in CASES if c.name == "update-line-after-publication")
    article = parse_article((case / "page.html").read_bytes(), _expected(case)["url"])
    assert (article.published_source, article.modified_source) == ("jsonld", "byline")
    assert article.published is not None and article.modified is not None
    assert article.published < article.modified


def test_a_page_without_any_date_gets_none_not_a_bare_year() -> None:
    html = "<html><body><h1>T</h1><p>Text without a date.</p><footer>© 2024 Example</footer></body></html>"
    article = parse_article(html, "https://x.example/a")
    assert (article.published, article.modified) == (None, None)


def _day(value: datetime | str | None) -> str | None:
    if value is None:
        return None
    return (value.isoformat() if isinstance(value, datetime) else value)[:10]


def _scores(part: str) -> tuple[float, float, list[str]]:
    """Shares of exact published days and of labelled modified days on one part, and the misses."""
    published = modified = labelled = 0
    misses: list[str] = []
    cases = [case for case in ALL_CASES if _part(case) == part]
    for case in cases:
        expected = _expected(case)
        html = (case / "page.html").read_text(encoding="utf-8")
        got = _day(extract(html, expected["url"])["published"])
        published += got == expected["published_day"]
        if got != expected["published_day"]:
            misses.append(f"{case.name}: published {got} != {expected['published_day']}")
        if "modified_day" in expected:
            labelled += 1
            article = parse_article(html.encode("utf-8"), expected["url"])
            modified += _day(article.modified) == expected["modified_day"]
            if _day(article.modified) != expected["modified_day"]:
                misses.append(f"{case.name}: modified {_day(article.modified)} != {expected['modified_day']}")
    return published / len(cases), modified / max(labelled, 1), misses


def _htmldate_share(part: str) -> float:
    """htmldate's share of exact published days on one part, read as the peer is measured beside us."""
    cases = [case for case in ALL_CASES if _part(case) == part]
    right = 0
    for case in cases:
        expected = _expected(case)
        html = (case / "page.html").read_text(encoding="utf-8")
        found = find_date(html, url=expected["url"], original_date=True, extensive_search=True)
        right += found == expected["published_day"]
    return right / len(cases)


@pytest.mark.parametrize("part", BLIND)
def test_each_blind_part_holds_its_share_of_exact_days(part: str) -> None:
    published, modified, misses = _scores(part)
    peer = _htmldate_share(part)
    print(f"\n{part}: published exact day {published:.3f} (htmldate {peer:.3f}), modified exact day {modified:.3f}")
    print("\n".join(misses))
    low_published, low_modified = BARS.get(part, (0.0, 0.0))
    assert published >= low_published and modified >= low_modified


def test_a_reading_time_after_the_date_is_not_the_end_of_a_span() -> None:
    html = (
        "<html lang='en'><body><div><p>February 4, 2025 - 11 minutes</p><h1>Cloud news</h1></div>"
        "<p>Cloud computing has seen remarkable expansion in recent years, and it goes on.</p></body></html>"
    )
    assert _day(extract(html, "https://blog.example/cloud")["published"]) == "2025-02-04"


def test_a_span_of_days_under_the_headline_is_not_a_publication_date() -> None:
    html = (
        "<html lang='de'><body><h1>Sommerfest</h1><p>14.–16. Juni 2024</p>"
        "<p>Drei Tage Musik und Theater unter freiem Himmel, mit Kino am Samstagabend.</p></body></html>"
    )
    assert _day(extract(html, "https://verein.example/sommerfest")["published"]) is None


def test_a_list_of_dated_rows_under_the_headline_is_not_a_byline() -> None:
    html = (
        "<html lang='de'><body><h1>Adventkonzert</h1><p>Die Stadtkapelle spielt Werke von Mozart.</p>"
        "<ul class='more'><li>14.12.2024 – Krippenausstellung</li><li>31.12.2024 – Silvesterlauf</li></ul>"
        "</body></html>"
    )
    assert _day(extract(html, "https://verein.example/advent")["published"]) is None


def test_a_state_key_is_read_from_the_headlines_object_not_its_authors() -> None:
    state = (
        '{post:{title:"Nebenkosten im Altbau senken",author:{name:"J",createdAt:"2021-02-01T10:00:00Z"},'
        'createdAt:"2022-09-14T08:12:44Z"},related:[{createdAt:"2022-12-20T09:00:00Z"}]}'
    )
    html = f"<html><body><h1>Nebenkosten im Altbau senken</h1><p>Text.</p><script>var s={state}</script></body></html>"
    assert _day(extract(html, "https://blog.example/nebenkosten")["published"]) == "2022-09-14"


def test_a_validity_bound_and_a_version_are_not_byline_dates() -> None:
    html = (
        "<html lang='de'><body><h1>Lasercutter</h1><p class='meta'>Version 2.3.10</p>"
        "<p>Gültig ab 01.09.2023 (Beschluss vom 14.08.2023)</p><p>Der Laser steht im Raum 2.04.</p>"
        "<div class='docInfo'>Zuletzt geändert: 2023/08/14 10:22 von admin</div></body></html>"
    )
    assert _day(extract(html, "https://wiki.example/laser")["published"]) == "2023-08-14"


def test_a_shown_local_time_of_the_metadatas_utc_instant_is_the_publication() -> None:
    html = (
        "<html lang='de'><head><meta property='article:published_time' content='2024-03-30T23:45:00Z'>"
        "<meta property='article:modified_time' content='2024-03-31T06:20:00Z'></head><body><h1>Brand</h1>"
        "<p><time datetime='2024-03-30T23:45:00Z'>31.03.2024, 00:45 Uhr</time></p><p>Text.</p></body></html>"
    )
    article = parse_article(html, "https://zeitung.example/brand")
    assert (_day(article.published), article.published_source) == ("2024-03-31", "byline")


def test_an_icons_tooltip_labels_the_date_beside_it() -> None:
    facts = (
        "<aside><span class='fact'><span class='icon' title='Letzte Aktualisierung'></span>"
        "<span>12. März 2024</span></span><span class='fact'><span class='icon' title='Erstellt'></span>"
        "<span>3. Januar 2023</span></span></aside>"
    )
    text = "<h1>Anschluss</h1><p>Anträge stellen Sie im Portal.</p>"
    html = f"<html lang='de'><body><article>{text}{facts}</article></body></html>"
    article = parse_article(html, "https://docs.example/anschluss")
    assert (_day(article.published), _day(article.modified)) == ("2023-01-03", "2024-03-12")


def test_a_site_title_h1_linking_home_is_not_the_headline() -> None:
    html = (
        "<html lang='en'><head><title>Why we moved — quietcode</title></head><body><div id='side'>"
        "<h1><a href='/'>quietcode</a></h1><ul><li><a href='/p'>Postgres JSON</a> <small>Apr 19, 2012</small>"
        "</li></ul></div><div class='hentry'><h2 class='entry-title'>Why we moved</h2>"
        "<p>We ran it for two years in production.</p><p>Posted <abbr class='published' "
        "title='2012-04-05T09:12:00-07:00'>April 5th, 2012</abbr></p></div></body></html>"
    )
    assert _day(extract(html, "https://blog.example/posts/why")["published"]) == "2012-04-05"


def test_a_phrases_date_and_an_event_boxs_day_are_not_the_byline() -> None:
    html = (
        "<html lang='de'><body><div class='event-box'><span>20</span> <span>Apr</span> <span>2024</span></div>"
        "<h1>Gemeinderat</h1><ol><li>Genehmigung des Protokolls der Sitzung vom 11. Dezember 2023</li>"
        "<li>Rechnungsabschluss</li></ol><p class='news-date'>Meldung vom 12.03.2024</p></body></html>"
    )
    assert _day(extract(html, "https://gemeinde.example/gr")["published"]) == "2024-03-12"


def test_a_relative_date_is_read_from_its_tooltip() -> None:
    html = (
        "<html lang='de'><body><h1>VPN</h1><div class='meta'><div>Erstellt <span title='12.01.2022 10:04'>vor"
        " 2 Jahren</span> von M</div><div>Aktualisiert <span title='04.12.2023 14:22'>vor 3 Monaten</span>"
        "</div></div><p>FortiClient öffnen und das VPN konfigurieren, dann anmelden.</p></body></html>"
    )
    article = parse_article(html, "https://doku.example/vpn")
    assert (_day(article.published), _day(article.modified)) == ("2022-01-12", "2023-12-04")


def test_a_forums_title_linking_to_its_index_is_not_the_headline_and_arabic_months_are_read() -> None:
    html = (
        "<html lang='ar'><head><title>وزير الخارجية يبحث تطورات المنطقة</title></head><body>"
        "<h1><a href='/forum/index.php'>منتدى</a></h1><p>١٤ مارس 2024، 20:41</p>"
        "<h2>وزير الخارجية يبحث تطورات المنطقة</h2><div>05 مارس 2024</div><p>بحث وزير الخارجية اليوم.</p></body></html>"
    )
    article = parse_article(html, "https://akhbar.example/news/1")
    assert (_day(article.published), article.published_source) == ("2024-03-05", "byline")


def test_a_labelled_publication_beats_an_unlabelled_fact_of_the_same_list() -> None:
    facts = (
        "<ul class='facts'><li>Kennziffer: 12/2024</li><li>Eintritt: 01.06.2024</li>"
        "<li>Bewerbungsfrist: 31.03.2024</li><li>Veröffentlicht am: 05.03.2024</li></ul>"
    )
    text = "<p>Ihre Aufgaben sind vielfältig.</p>"
    html = f"<html lang='de'><body><h1>Mitarbeiter*in (m/w/d)</h1>{facts}{text}</body></html>"
    assert _day(extract(html, "https://hs.example/stellen/12-2024")["published"]) == "2024-03-05"


def test_two_timed_dates_on_one_line_are_the_publication_and_its_update_whatever_their_words() -> None:
    line = (
        "<div class='date'><span>Päivitetty</span> <time datetime='2024-03-06T06:15:00Z'>6.3.2024 8:15</time>"
        " <span>Julkaistu</span> <time datetime='2024-03-05T08:30:00Z'>5.3.2024 10:30</time></div>"
    )
    html = f"<html lang='fi'><body><article><h1>Raitiovaunut</h1>{line}<p>Liikenne katkesi.</p></article></body></html>"
    article = parse_article(html, "https://yle.example/a/1")
    assert (_day(article.published), _day(article.modified)) == ("2024-03-05", "2024-03-06")


def test_a_sentence_ending_in_a_colon_is_running_text_and_a_later_publication_line_dates_the_page() -> None:
    text = (
        "<p><strong>In seiner öffentlichen Sitzung am Dienstag, 27.02.2024, hat der Gemeinderat folgende "
        "Beschlüsse gefasst:</strong></p><ul><li>Bebauungsplan gebilligt</li></ul>"
        "<p>Die Elternbeiträge für die Kindertagesstätte werden im Herbst moderat angehoben, so der Rat.</p>"
    )
    html = f"<html lang='de'><body><h1>Sitzungsbericht</h1>{text}<p>Veröffentlicht: 04.03.2024</p></body></html>"
    assert _day(extract(html, "https://gemeinde.example/bericht")["published"]) == "2024-03-04"


def test_a_dateline_in_brackets_opens_the_text() -> None:
    text = (
        "<p>(PresseBox) (Husum, 05.03.2024) Die Solartechnik Nord GmbH hat am Dienstag ihr neues Werk im "
        "Gewerbegebiet eröffnet. In der Halle sollen ab Mai jährlich 40.000 Wechselrichter gefertigt werden.</p>"
        "<p>Der Bau hatte im Herbst begonnen, sagte die Geschäftsführerin bei der Eröffnung des Werks.</p>"
    )
    html = f"<html lang='de'><body><h1>Neues Werk in Husum eröffnet</h1>{text}</body></html>"
    article = parse_article(html, "https://pressebox.example/boxid/1189234")
    assert (_day(article.published), article.published_source) == ("2024-03-05", "text")  # not htmldate's guess


def test_a_day_written_only_in_running_text_is_not_the_date_of_a_page_that_states_none() -> None:
    text = (
        "<p>Die Turnabteilung trainiert in der Halle der Oberschule, neue Mitglieder sind willkommen.</p>"
        "<p>In den Osterferien findet kein Training statt. Die Halle ist außerdem am 15.03.2024 wegen einer "
        "Schulveranstaltung geschlossen.</p>"
    )
    html = f"<html lang='de'><body><h1>Trainingszeiten Turnen</h1>{text}</body></html>"
    assert _day(extract(html, "https://tsv.example/turnen/trainingszeiten/")["published"]) is None


def test_a_product_pages_modification_meta_is_no_date_of_the_page() -> None:
    head = (
        "<meta property='og:type' content='product'>"
        "<meta property='article:modified_time' content='2024-02-27T10:14:55Z'>"
        '<script type=\'application/ld+json\'>{"@type":"Product","name":"Espresso"}</script>'
    )
    html = f"<html lang='de'><head>{head}</head><body><h1>Espresso</h1><p>Schokoladig und kräftig.</p></body></html>"
    article = parse_article(html, "https://shop.example/produkt/espresso/")
    assert (article.published, article.modified) == (None, None)


def test_the_dated_facts_of_a_table_are_not_the_pages_date() -> None:
    table = (
        "<table class='kurs-daten'><tr><th>Beginn</th><td>Di., 12.03.2024, 18:00 Uhr</td></tr>"
        "<tr><th>Gebühr</th><td>98,00 €</td></tr><tr><th>Anmeldeschluss</th><td>05.03.2024</td></tr></table>"
    )
    html = f"<html lang='de'><body><h1>Italienisch A1</h1>{table}<p>Sie lernen die Grundlagen.</p></body></html>"
    assert _day(extract(html, "https://vhs.example/kurs/241-3105")["published"]) is None

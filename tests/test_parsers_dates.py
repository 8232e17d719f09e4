"""Dates: month names, formats, timezones, and every source in its order of trust."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from scrapers.parsers import parse_article
from scrapers.parsers.dateparse import parse_iso, parse_loose, parse_with_formats, search_loose, zone
from scrapers.parsers.months import month_number
from scrapers.sites import load_profile, profile_from_dict

BAKU = zone("Asia/Baku")
TURAN_FORMATS = ("%d %B %Y, %H:%M", "%d.%m.%Y %H:%M")
PLUS4 = timezone(timedelta(hours=4))


@pytest.mark.parametrize(
    ("word", "month"),
    [
        ("April", 4), ("aprel", 4), ("апреля", 4), ("Апрель", 4), ("Sept.", 9), ("янв", 1), ("Okt", 10),
        ("Février", 2), ("fevrier", 2), ("mayıs", 5), ("März", 3), ("grudnia", 12), ("listopada", 11),
        ("ağustos", 8), ("dic", 12), ("gennaio", 1), ("mei", 5), ("серпня", 8),
    ],
)  # fmt: skip
def test_month_names_in_many_languages(word: str, month: int) -> None:
    assert month_number(word) == month


def test_ambiguous_or_unknown_words_are_not_months() -> None:
    assert month_number("jui") is None  # juin or juillet
    assert month_number("the") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("23 April 2024, 15:23", datetime(2024, 4, 23, 15, 23)),
        ("23 aprel 2024, 15:23", datetime(2024, 4, 23, 15, 23)),
        ("23 апреля 2024, 15:23", datetime(2024, 4, 23, 15, 23)),
        ("1 may 2024, 09:05", datetime(2024, 5, 1, 9, 5)),
        ("23.04.2024 16:10", datetime(2024, 4, 23, 16, 10)),
    ],
)
def test_profile_formats_read_month_names_in_the_profile_timezone(raw: str, expected: datetime) -> None:
    value = parse_with_formats(raw, TURAN_FORMATS, BAKU)
    assert value == expected.replace(tzinfo=BAKU)
    assert value is not None and value.utcoffset() == timedelta(hours=4)


def test_profile_format_mismatch_gives_none() -> None:
    assert parse_with_formats("yesterday", TURAN_FORMATS, BAKU) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-04-23T15:23:00+04:00", datetime(2024, 4, 23, 15, 23, tzinfo=PLUS4)),
        ("2024-04-23T11:23:00Z", datetime(2024, 4, 23, 11, 23, tzinfo=UTC)),
        ("2024-04-23 11:23:00", datetime(2024, 4, 23, 11, 23, tzinfo=BAKU)),
        ("2024-04-23", datetime(2024, 4, 23, tzinfo=BAKU)),
        ("2012-07-15T11:59:00.000-0500", datetime(2012, 7, 15, 11, 59, tzinfo=timezone(timedelta(hours=-5)))),
    ],
)
def test_iso_dates_keep_their_offset_and_naive_ones_get_the_site_timezone(raw: str, expected: datetime) -> None:
    assert parse_iso(raw, BAKU) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Posted on July 15, 2012 at 3:45 pm", datetime(2012, 7, 15, 15, 45)),
        ("15 July 2012", datetime(2012, 7, 15)),
        ("By Dr. X - Mar 27, 2024 Share", datetime(2024, 3, 27)),
        ("23. März 2024 um 10:15 Uhr", datetime(2024, 3, 23, 10, 15)),
        ("5 de mayo de 2023", datetime(2023, 5, 5)),
        ("Published 2012/07/15", datetime(2012, 7, 15)),
        ("23.04.2024 16:10", datetime(2024, 4, 23, 16, 10)),
        ("13/04/2024", datetime(2024, 4, 13)),
        ("Václav Beneš | 12. 3. 2013 v 14:05", datetime(2013, 3, 12, 14, 5)),  # Czech: spaced, "v" before the time
        ("06.03.2013 o 14:22", datetime(2013, 3, 6, 14, 22)),  # Polish "o"
        ("8 de março de 2013 às 14:10", datetime(2013, 3, 8, 14, 10)),
    ],
)
def test_loose_dates_in_running_text(raw: str, expected: datetime) -> None:
    assert parse_loose(raw, UTC) == expected.replace(tzinfo=UTC)


def test_loose_slashed_dates_follow_the_month_first_hint() -> None:
    assert parse_loose("04/05/2024", UTC, month_first=True) == datetime(2024, 4, 5, tzinfo=UTC)
    assert parse_loose("04/05/2024", UTC, month_first=False) == datetime(2024, 5, 4, tzinfo=UTC)


def test_loose_time_with_a_stated_zone() -> None:
    value = parse_loose("Mon, 23 Apr 2024 10:00:00 GMT", BAKU)
    assert value == datetime(2024, 4, 23, 10, 0, tzinfo=UTC)


def test_search_loose_gives_the_text_it_read() -> None:
    found = search_loose("Simon — April 20, 2024 at 9:05 am · 3 comments", UTC, True)
    assert found is not None and found[1] == "April 20, 2024 at 9:05 am"


def test_no_date_and_implausible_years_give_none() -> None:
    assert parse_loose("no date here", UTC) is None
    assert parse_loose("12 May 1850", UTC) is None
    assert parse_loose("1. 2. 13 Punkte", UTC) is None  # spaced numbers are a date only with a full year


def test_unknown_timezone_name_falls_back_to_utc() -> None:
    assert zone("Mars/Olympus") is UTC
    assert zone(None) is UTC


# --- sources, through parse_article -------------------------------------------------------------
TURAN_URL = "https://turan.az/en/politics/x-779784"


def turan_article(head: str = "", date: str = "23 April 2024, 15:23", body: str = "<p>Text.</p>") -> str:
    visible = f'<div class="manspdt">{date}</div>' if date else ""
    return f"""<html lang="en"><head>{head}</head><body><div class="article"><h1 class="captxt">T</h1>
    {visible}<div class="maincontent">{body}</div></div>
    <aside class="newsline"><li><span class="manspdt">1 January 2020, 10:00</span></li></aside></body></html>"""


def test_profile_selector_wins_and_keeps_the_visible_string() -> None:
    head = '<meta property="article:published_time" content="2024-04-23T15:23:00+04:00">'
    article = parse_article(turan_article(head), TURAN_URL, load_profile("turan"))
    assert article.published_raw == "23 April 2024, 15:23"
    assert article.published == datetime(2024, 4, 23, 15, 23, tzinfo=PLUS4)


def test_meta_when_the_profile_selector_finds_nothing() -> None:
    head = '<meta property="article:published_time" content="2024-04-23T15:23:00+04:00">'
    article = parse_article(turan_article(head, date=""), TURAN_URL, load_profile("turan"))
    assert article.published_raw == "2024-04-23T15:23:00+04:00"
    assert article.published == datetime(2024, 4, 23, 15, 23, tzinfo=PLUS4)


def test_modified_from_meta_with_its_raw_string() -> None:
    head = '<meta property="article:modified_time" content="2024-04-24T09:00:00+04:00">'
    article = parse_article(turan_article(head), TURAN_URL, load_profile("turan"))
    assert article.modified == datetime(2024, 4, 24, 9, 0, tzinfo=PLUS4)
    assert article.modified_raw == "2024-04-24T09:00:00+04:00"


def test_modified_before_published_is_ignored() -> None:
    head = '<meta property="article:modified_time" content="2020-01-01T09:00:00+04:00">'
    assert parse_article(turan_article(head), TURAN_URL, load_profile("turan")).modified is None


def test_dateline_gives_the_day_when_nothing_else_does() -> None:
    body = "<p>Baku/12.01.21/Turan: Text.</p>"
    article = parse_article(turan_article(date="", body=body), TURAN_URL, load_profile("turan"))
    assert article.published == datetime(2021, 1, 12, tzinfo=BAKU)
    assert article.published_raw == "12.01.21"


def test_jsonld_date_published() -> None:
    html = """<html><head><script type="application/ld+json">
    {"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "datePublished": "2001-01-01"},
     {"@type": "NewsArticle", "datePublished": "2024-03-02T07:45:00Z", "dateModified": "2024-03-02T10:00:00Z"}]}
    </script></head><body></body></html>"""
    article = parse_article(html, "https://x.example/a")
    assert article.published == datetime(2024, 3, 2, 7, 45, tzinfo=UTC)
    assert article.modified == datetime(2024, 3, 2, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("name", ["article:published_time", "og:published_time", "dc.date", "datePublished", "pubdate"])
def test_meta_names(name: str) -> None:
    attr = "property" if ":" in name else "name"
    html = f'<html><head><meta {attr}="{name}" content="2022-06-01T08:00:00+02:00"></head><body></body></html>'
    assert parse_article(html, "https://x.example/a").published == datetime(
        2022, 6, 1, 8, 0, tzinfo=timezone(timedelta(hours=2))
    )


def test_time_element_value_from_datetime_raw_from_text() -> None:
    html = """<html><body><article><h1>T</h1><p>By A · <time datetime="2024-04-23T10:15:00+02:00">23. April 2024</time>
    </p><p>Text.</p></article><aside><time datetime="2020-01-01">old</time></aside></body></html>"""
    article = parse_article(html, "https://x.example/a")
    assert article.published == datetime(2024, 4, 23, 10, 15, tzinfo=timezone(timedelta(hours=2)))
    assert article.published_raw == "23. April 2024"


def test_url_date_takes_the_time_of_a_later_source_on_the_same_day() -> None:
    html = '<html><body><h1>T</h1><div class="post-date">Posted 3 November 2022, 14:05</div></body></html>'
    article = parse_article(html, "https://x.example/2022/11/03/story")
    assert article.published == datetime(2022, 11, 3, 14, 5, tzinfo=UTC)
    assert article.published_raw == "3 November 2022, 14:05"


def test_url_date_alone() -> None:
    article = parse_article("<html><body><p>x</p></body></html>", "https://x.example/2022/11/03/story")
    assert article.published == datetime(2022, 11, 3, tzinfo=UTC)


def test_date_under_the_headline() -> None:
    html = "<html><body><h1>Title</h1><div><strong>By Ann</strong> - Mar 27, 2024</div><p>Text.</p></body></html>"
    assert parse_article(html, "https://x.example/a").published == datetime(2024, 3, 27, tzinfo=UTC)


def test_comment_dates_are_not_the_article_date() -> None:
    html = """<html><body><p>Text without a date.</p>
    <div class="comments"><span class="comment-date">May 1, 2023</span></div></body></html>"""
    assert parse_article(html, "https://x.example/a").published is None


def test_naive_dates_get_the_profile_timezone() -> None:
    profile = profile_from_dict({"name": "x", "timezone": "Europe/Berlin", "selectors": {"published": ".d"}})
    article = parse_article('<div class="d">2024-01-10 12:00</div>', "https://x.example/a", profile)
    assert article.published is not None and article.published.utcoffset() == timedelta(hours=1)


# --- what a reader sees: bylines, labels, evidence -------------------------------------------------
def page_with(byline: str, head: str = "", lang: str = "en", body: str = "<p>Text of the story.</p>") -> str:
    return f"""<html lang="{lang}"><head><title>Port reopens</title>{head}</head><body>
    <header class="site"><nav><a href="/">Home</a></nav></header>
    <article><h1>Port reopens</h1>{byline}{body}</article>
    <aside class="related"><h3>Related</h3>
    <ul><li><a href="/b">Other story</a> <time datetime="2020-01-01">1 Jan 2020</time></li></ul></aside>
    </body></html>"""


def test_the_byline_date_wins_over_metadata_and_says_where_it_came_from() -> None:
    head = '<meta property="article:published_time" content="2024-03-05T01:30:00+00:00">'
    article = parse_article(page_with('<p class="meta">By Ann Lee · March 1, 2024</p>', head), "https://x.example/a")
    assert article.published == datetime(2024, 3, 1, tzinfo=UTC)
    assert (article.published_raw, article.published_source) == ("March 1, 2024", "byline")


def test_a_shown_day_takes_the_metadata_instant_that_falls_on_it_in_some_timezone() -> None:
    # 01:30 UTC on 2 March is still 1 March west of UTC-01:30: one moment, and only the metadata has its time.
    head = '<meta property="article:published_time" content="2024-03-02T01:30:00+00:00">'
    article = parse_article(page_with('<p class="meta">By Ann Lee · March 1, 2024</p>', head), "https://x.example/a")
    assert article.published == datetime(2024, 3, 2, 1, 30, tzinfo=UTC)
    assert (article.published_raw, article.published_source) == ("March 1, 2024", "byline")


def test_a_metadata_time_without_a_stated_offset_does_not_move_the_shown_day() -> None:
    head = '<meta property="article:published_time" content="2024-03-02T01:30:00">'
    article = parse_article(page_with('<p class="meta">By Ann Lee · March 1, 2024</p>', head), "https://x.example/a")
    assert article.published == datetime(2024, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Cureus. 2023 Jan 7;15(1):e33475", datetime(2023, 1, 7)),
        ("Received 2022 Oct 12; accepted", datetime(2022, 10, 12)),
    ],
)
def test_year_first_dates_with_month_names(raw: str, expected: datetime) -> None:
    assert parse_loose(raw, UTC) == expected.replace(tzinfo=UTC)


@pytest.mark.parametrize("raw", ["Posts: 2395 Jun 04, 2015", "Posts: 2015 Jun 04, 2015"])
def test_a_number_before_a_written_date_is_not_its_year(raw: str) -> None:
    assert search_loose(raw, UTC) == (datetime(2015, 6, 4, tzinfo=UTC), "Jun 04, 2015")


def test_a_forum_signature_line_with_a_post_count_does_not_break_the_dates() -> None:
    posts = "".join(
        f'<div class="post"><div class="meta"><span>Posts: {n}</span><span>Jun 0{n % 9 + 1}, 2015</span></div>'
        f"<p>Reply number {n} with enough words to be a post of the thread.</p></div>"
        for n in range(2390, 2394)
    )
    html = f"<html><body><h1>Which lens?</h1>{posts}</body></html>"
    article = parse_article(html, "https://forum.example/t/1")
    assert article.title == "Which lens?"
    assert (article.published, article.published_raw) == (datetime(2015, 6, 6, tzinfo=UTC), "Jun 06, 2015")


def test_a_citation_date_in_meta_is_read() -> None:
    head = '<meta name="citation_publication_date" content="2023 Jan 7">'
    article = parse_article(page_with("", head), "https://x.example/a")
    assert (article.published, article.published_source) == (datetime(2023, 1, 7, tzinfo=UTC), "meta")


def test_the_date_in_the_articles_own_footer_is_its_date() -> None:
    footer = '<div class="article-template-footer"><time datetime="2025-08-12T11:15:06Z">August 12, 2025</time></div>'
    html = f"""<html><body><nav><a href="/">Home</a></nav><main><h1>Puppy training</h1>
    <p>{"Teach one command at a time and keep sessions short. " * 8}</p>{footer}</main>
    <div class="site-footer"><time datetime="2019-01-01">1 January 2019</time></div></body></html>"""
    article = parse_article(html, "https://x.example/blog/puppy")
    assert article.published == datetime(2025, 8, 12, 11, 15, 6, tzinfo=UTC)


def test_an_update_shown_months_before_the_publication_is_some_other_date() -> None:
    head = '<meta property="article:published_time" content="2024-06-30T08:00:00+00:00">'
    html = page_with('<p class="meta">Received <span class="updated-date">2024 Mar 18</span></p>', head)
    article = parse_article(html, "https://x.example/a")
    assert article.modified is None


def test_metadata_alone_is_the_evidence_when_the_page_shows_no_date() -> None:
    head = '<meta property="article:published_time" content="2024-03-02T01:30:00+00:00">'
    article = parse_article(page_with(""), "https://x.example/a")
    assert article.published is None
    article = parse_article(page_with("", head), "https://x.example/a")
    assert (article.published_source, article.published_raw) == ("meta", "2024-03-02T01:30:00+00:00")


@pytest.mark.parametrize(
    ("byline", "lang"),
    [
        ("Published: 12 May 2024 · Updated: 14 May 2024", "en"),
        ("12 мая 2024 · Обновлено 14 мая 2024", "ru"),
        ("12 may 2024 · Yenilənib: 14 may 2024", "az"),
        ("12. Mai 2024 — aktualisiert am 14. Mai 2024", "de"),
        ("12 mayıs 2024 · Güncelleme: 14 mayıs 2024", "tr"),
    ],
)
def test_published_and_updated_bylines_are_kept_apart(byline: str, lang: str) -> None:
    article = parse_article(page_with(f"<p>{byline}</p>", lang=lang), "https://x.example/a")
    assert article.published is not None and article.published.date().isoformat() == "2024-05-12"
    assert article.modified is not None and article.modified.date().isoformat() == "2024-05-14"
    assert (article.published_source, article.modified_source) == ("byline", "byline")


def test_an_updated_date_shown_alone_is_the_modification_and_metadata_keeps_the_publication() -> None:
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2019-02-01"}</script>'
    article = parse_article(page_with("<p>Last updated: June 3, 2024</p>", head), "https://x.example/a")
    assert (article.published, article.published_source) == (datetime(2019, 2, 1, tzinfo=UTC), "jsonld")
    assert (article.modified, article.modified_raw) == (datetime(2024, 6, 3, tzinfo=UTC), "June 3, 2024")


def test_an_unlabelled_date_that_is_the_day_of_date_modified_is_the_update() -> None:
    data = '{"@type": "Article", "datePublished": "2012-09-12T16:45:28Z", "dateModified": "2021-09-08T18:02:10Z"}'
    head = f'<script type="application/ld+json">{data}</script>'
    article = parse_article(page_with("<p>September 8, 2021</p>", head), "https://x.example/a")
    assert article.published == datetime(2012, 9, 12, 16, 45, 28, tzinfo=UTC)
    assert article.modified == datetime(2021, 9, 8, 18, 2, 10, tzinfo=UTC)
    assert article.modified_source == "byline"


@pytest.mark.parametrize(
    "shown",
    ['<div class="date-published">October 26, 2025</div>', '<time pubdate datetime="2025-10-26">Oct 26, 2025</time>'],
)
def test_a_date_marked_published_that_is_the_later_update_is_the_modification(shown: str) -> None:
    """Markup (a class, ``pubdate``) says published, but the day is dateModified's and the page gives an
    earlier publication: published means the first publication (issue 16)."""
    data = '{"@type": "Article", "datePublished": "2024-02-21T11:54:45Z", "dateModified": "2025-10-26T18:41:45Z"}'
    head = f'<script type="application/ld+json">{data}</script>'
    article = parse_article(page_with(shown, head), "https://x.example/a")
    assert (article.published, article.published_source) == (datetime(2024, 2, 21, 11, 54, 45, tzinfo=UTC), "jsonld")
    assert (article.modified is not None and article.modified.date().isoformat(), article.modified_source) == (
        "2025-10-26",
        "byline",
    )


def test_a_date_worded_published_stays_the_publication_even_on_the_update_day() -> None:
    data = '{"@type": "Article", "datePublished": "2024-02-21T11:54:45Z", "dateModified": "2025-10-26T18:41:45Z"}'
    head = f'<script type="application/ld+json">{data}</script>'
    article = parse_article(page_with("<p>Published October 26, 2025</p>", head), "https://x.example/a")
    assert (article.published_source, article.published_raw) == ("byline", "October 26, 2025")


def test_a_time_element_keeps_its_exact_value_when_it_names_the_same_day() -> None:
    byline = '<p>By Ann <time datetime="2025-12-18T21:46:01-05:00">December 18, 2025</time></p>'
    head = '<meta property="article:published_time" content="2025-12-19T02:46:01+00:00">'
    article = parse_article(page_with(byline, head), "https://x.example/a")
    assert article.published == datetime(2025, 12, 18, 21, 46, 1, tzinfo=timezone(timedelta(hours=-5)))
    assert article.published_raw == "December 18, 2025"


def test_a_date_above_the_headline_in_its_block_is_a_byline() -> None:
    html = """<html><body><article><div class="head"><span class="kicker">Economy | 7 July 2023</span>
    <h1>Rates rise</h1></div><p>Text of the story.</p></article></body></html>"""
    assert parse_article(html, "https://x.example/a").published == datetime(2023, 7, 7, tzinfo=UTC)


def test_originally_published_statement_is_the_publication() -> None:
    body = "<p>This article was originally published on 26 Sep 2019 and has been updated since.</p>"
    article = parse_article(page_with("<p>30 Sep 2022, 11:07am</p>", body=body), "https://x.example/a")
    assert (article.published, article.published_source) == (datetime(2019, 9, 26, tzinfo=UTC), "text")


def test_originally_published_note_outside_the_article_body_counts_but_not_in_a_teaser() -> None:
    story = "<p>" + "Tiny homes cost less to heat and to clean, and ask for fewer things. " * 6 + "</p>"
    note = '<p class="disclaimer">This article was originally published on 26 Sep 2019 at 4:12pm.</p>'
    teaser = '<aside class="related"><p>Originally published on 1 Jan 2015 in our print edition.</p></aside>'
    html = f"""<html><body><article><h1>Living in a tiny home</h1><p>30 Sep 2022, 11:07am</p>{story}</article>
    {{}}</body></html>"""
    article = parse_article(html.format(note), "https://x.example/a")
    assert (article.published, article.published_source) == (datetime(2019, 9, 26, 16, 12, tzinfo=UTC), "text")
    article = parse_article(html.format(teaser), "https://x.example/a")
    assert (article.published, article.published_source) == (datetime(2022, 9, 30, 11, 7, tzinfo=UTC), "byline")


def test_a_standalone_date_line_of_the_article_and_a_last_updated_footer() -> None:
    html = """<html><body><div class="wrap"><div class="intro"><p>Intro line.</p></div>
    <div class="author-box"><span>Posted on</span> <span class="green">Nov 21, 2018</span></div>
    <div class="content"><p>Text of the story.</p></div></div></body></html>"""
    article = parse_article(html, "https://x.example/a")
    assert (article.published, article.published_source) == (datetime(2018, 11, 21, tzinfo=UTC), "text")
    footer = "<html><body><main><p>Text.</p><p>Last updated: November 13, 2025</p></main></body></html>"
    article = parse_article(footer, "https://x.example/a")
    assert (article.published, article.modified) == (None, datetime(2025, 11, 13, tzinfo=UTC))


def test_a_line_that_dates_something_else_is_not_the_article_date() -> None:
    html = "<html><body><main><p>Text.</p><p>Offer ends March 3, 2024</p></main></body></html>"
    # None of our readers takes it; only htmldate, the last resort for a page with no date of ours, may.
    assert parse_article(html, "https://x.example/a").published_source in (None, "htmldate")


def test_an_ambiguous_numeric_date_takes_the_reading_the_metadata_confirms() -> None:
    head = '<script type="application/ld+json">{"@type": "Article", "datePublished": "2024-09-10T16:07:00Z"}</script>'
    article = parse_article(page_with("<p>By Block · 09.10.2024</p>", head), "https://x.example/a")
    assert article.published is not None and article.published.date().isoformat() == "2024-09-10"
    assert article.published_raw == "09.10.2024"


def test_dates_in_script_state_and_site_specific_meta_names() -> None:
    app = '<script>window.__DATA__ = {"post": {"datePublished": "2025-11-17T09:00:00-05:00"}}</script>'
    assert parse_article(f"<html><head>{app}</head><body><p>x</p></body></html>", "https://x.example/a").published == (
        datetime(2025, 11, 17, 9, 0, tzinfo=timezone(timedelta(hours=-5)))
    )
    escaped = '<div data-props="{&quot;datePublished&quot;:&quot;2024-02-01&quot;}"></div>'
    assert parse_article(f"<html><body>{escaped}</body></html>", "https://x.example/a").published == datetime(
        2024, 2, 1, tzinfo=UTC
    )
    meta = '<meta name="w-published-date" content="2025-05-27T06:03:43.274Z">'
    published = parse_article(f"<html><head>{meta}</head><body></body></html>", "https://x.example/a").published
    assert published is not None and published.date().isoformat() == "2025-05-27"


def test_url_dates_with_month_names_and_in_the_canonical_address() -> None:
    article = parse_article("<html><body><p>x</p></body></html>", "https://x.example/blog/2023/october/03/wine")
    assert article.published == datetime(2023, 10, 3, tzinfo=UTC)
    canonical = '<link rel="canonical" href="https://x.example/2022/11/03/story">'
    article = parse_article(f"<html><head>{canonical}</head><body></body></html>", "https://x.example/?p=12")
    assert (article.published, article.published_source) == (datetime(2022, 11, 3, tzinfo=UTC), "url")


# --- relative dates, read against the fetch time -------------------------------------------------------
FETCHED = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("byline", "lang", "expected"),
    [
        ("3 hours ago", "en", datetime(2025, 3, 10, 13, 0, tzinfo=BAKU)),
        ("2 saat əvvəl", "az", datetime(2025, 3, 10, 14, 0, tzinfo=BAKU)),
        ("вчера в 14:20", "ru", datetime(2025, 3, 9, 14, 20, tzinfo=BAKU)),
        ("yesterday", "en", datetime(2025, 3, 9, tzinfo=BAKU)),
        ("dünən, 09:15", "az", datetime(2025, 3, 9, 9, 15, tzinfo=BAKU)),
        ("5 dakika önce", "tr", datetime(2025, 3, 10, 15, 55, tzinfo=BAKU)),
        ("vor 2 Tagen", "de", datetime(2025, 3, 8, tzinfo=BAKU)),
        ("hace 3 horas", "es", datetime(2025, 3, 10, 13, 0, tzinfo=BAKU)),
        ("il y a 5 minutes", "fr", datetime(2025, 3, 10, 15, 55, tzinfo=BAKU)),
        ("3 часа назад", "ru", datetime(2025, 3, 10, 13, 0, tzinfo=BAKU)),
    ],
)
def test_relative_dates_are_read_against_the_fetch_time_in_the_site_timezone(
    byline: str, lang: str, expected: datetime
) -> None:
    profile = profile_from_dict({"name": "x", "timezone": "Asia/Baku"})
    html = page_with(f"<p>{byline}</p>", lang=lang)
    article = parse_article(html, "https://x.example/a", profile, fetched_at=FETCHED)
    assert (article.published, article.published_raw) == (expected, byline)


def test_relative_dates_without_a_fetch_time_or_too_vague_are_not_dates() -> None:
    assert parse_article(page_with("<p>3 hours ago</p>"), "https://x.example/a").published is None
    vague = parse_article(page_with("<p>2 years ago</p>"), "https://x.example/a", fetched_at=FETCHED)
    assert vague.published is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025年12月18日 10:00", datetime(2025, 12, 18, 10, 0)),
        ("14:20, 23.04.2024", datetime(2024, 4, 23, 14, 20)),
        ("10:15 | 23.04.2024", datetime(2024, 4, 23, 10, 15)),
        ("2024. 03. 05.", datetime(2024, 3, 5)),
        ("Opublikowano 5 grudnia 2024", datetime(2024, 12, 5)),
        ("18 de diciembre de 2025", datetime(2025, 12, 18)),
    ],
)
def test_more_written_forms(raw: str, expected: datetime) -> None:
    assert parse_loose(raw, UTC) == expected.replace(tzinfo=UTC)

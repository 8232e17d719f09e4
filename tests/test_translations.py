"""An article's language versions (hreflang, a profile's shared story id), search grouped one per
story, stable paging, and the words of counts: on real archives written from parsed replica pages."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.search import Filters, search
from archive.store import Archive, ArticleRecord
from archive.translations import MAX_GROUP_SCAN, grouped_search, versions_of
from archive.words import language_name, plural
from replica.render import article_page
from replica.site import ReplicaSite
from scrapers.parsers import Article, parse_article
from scrapers.parsers.alternates import MAX_ALTERNATES, extract_alternates
from scrapers.parsers.page import Page
from scrapers.sites import ProfileError, load_profile, profile_from_dict
from tests.conftest import newsarchive

BASE = "https://turan.az"
FETCHED = datetime(2025, 3, 1, tzinfo=UTC)
SITE = ReplicaSite(seed=3, articles=80)


def parsed_replica() -> list[Article]:
    """Every live replica article, rendered as the replica serves it and parsed with the turan profile."""
    profile = load_profile("turan")
    return [parse_article(article_page(SITE, e, BASE), BASE + e.path, profile, fetched_at=FETCHED)
            for e in SITE.articles()]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("translations") / "archive.db"
    with Archive.open(path) as archive:
        archive.write_batch(articles=[ArticleRecord(a, None, FETCHED) for a in parsed_replica()])
    return path


@pytest.fixture
def archive(db: Path) -> Iterator[Archive]:
    with Archive.open(db, create=False, readonly=True) as a:
        yield a


def truth() -> dict[str, set[str]]:
    """URL -> the URLs of its live other-language versions, from the replica's model."""
    return {BASE + e.path: {BASE + o.path for o in SITE.translations(e)} for e in SITE.articles()}


def urls_of(conn: sqlite3.Connection, ids: list[int]) -> set[str]:
    return {conn.execute("SELECT url FROM articles WHERE id = ?", (i,)).fetchone()[0] for i in ids}


# --- the parser: hreflang links ---------------------------------------------------------------


def test_the_parser_reads_each_pages_hreflang_versions() -> None:
    expected = truth()
    articles = parsed_replica()
    assert sum(bool(a.alternates) for a in articles) > 20  # the replica has 1-3 languages a story
    for a in articles:
        assert set(a.alternates.values()) == expected[a.url], a.url
        assert all(a.url.split("/")[3] != lang for lang in a.alternates)  # never itself


def test_hreflang_noise_is_not_a_version() -> None:
    codes = [f"q{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(50)]  # qaa, qab, ...: well-formed tags
    links = "".join(f'<link rel="alternate" hreflang="{code}" href="/p{code}">' for code in codes)
    html = (
        '<html><head><link rel="canonical" href="https://s.example/en/a">'
        '<link rel="alternate" hreflang="x-default" href="https://s.example/">'
        '<link rel="alternate" hreflang="en" href="https://s.example/en/a">'  # itself
        '<link rel="alternate" type="application/rss+xml" hreflang="ru" href="/ru/rss.xml">'  # a feed
        '<link rel="alternate" hreflang="ru" href="javascript:alert(1)">'
        '<link rel="alternate" hreflang="de" href="ftp://s.example/de/a">'
        '<link rel="alternate" hreflang="&lt;script&gt;" href="/x">'
        '<link rel="alternate" hreflang="AZ" href="/az/a">'
        '<link rel="alternate" hreflang="az" href="/az/other">'  # the first one of a language wins
        f"{links}</head><body></body></html>"
    )
    found = extract_alternates(Page.from_text(html, "https://s.example/en/a?utm=1"))
    assert next(iter(found)) == "az" and found["az"] == "https://s.example/az/a"
    assert {"x-default", "en", "ru", "de", "<script>"}.isdisjoint(found)
    assert len(found) == MAX_ALTERNATES


# --- versions: either signal, either side -----------------------------------------------------


def test_versions_by_hreflang_and_by_shared_id_agree_with_the_replica(archive: Archive) -> None:
    expected = truth()
    ids = [r[0] for r in archive.conn.execute("SELECT id FROM articles ORDER BY id")]
    linked = 0
    for i in ids:
        url = urls_of(archive.conn, [i]).pop()
        by_hreflang = versions_of(archive.conn, i, lambda site: False)
        by_id = [v for v in versions_of(archive.conn, i) if v not in by_hreflang]
        assert urls_of(archive.conn, [v.id for v in by_hreflang]) == expected[url], url
        assert not by_id  # the profile's shared id finds nothing hreflang did not
        linked += bool(by_hreflang)
    assert linked > 40


def test_a_shared_story_id_alone_links_versions(tmp_path: Path) -> None:
    """An archive of pages without hreflang (parsed before it was read): the turan profile's
    [translations] shared_id links them; a site without that declaration gets nothing."""
    articles = parsed_replica()
    for a in articles:
        a.alternates = {}
    with Archive.open(tmp_path / "a.db") as archive:
        archive.write_batch(articles=[ArticleRecord(a, None, FETCHED) for a in articles])
        expected = truth()
        with_id = {a.url for a in articles if a.article_id}
        for (i, url) in archive.conn.execute("SELECT id, url FROM articles").fetchall():
            found = urls_of(archive.conn, [v.id for v in versions_of(archive.conn, i)])
            assert found == (expected[url] if url in with_id else set()), url
            assert versions_of(archive.conn, i, lambda site: False) == []


def test_one_sided_links_and_later_translations(tmp_path: Path) -> None:
    en = Article(url="https://s.example/en/a", site="s.example", language="en", title="Budget", body="budget text",
                 alternates={"ru": "https://s.example/ru/a"})
    ru = Article(url="https://s.example/ru/a", site="s.example", language="ru", title="Бюджет", body="бюджет")
    az = Article(url="https://s.example/az/a", site="s.example", language="az", title="Büdcə", body="büdcə",
                 alternates={"en": "https://s.example/en/a"})
    with Archive.open(tmp_path / "a.db") as archive:
        archive.write_batch(articles=[ArticleRecord(en, None, FETCHED), ArticleRecord(ru, None, FETCHED)])
        ids = dict(archive.conn.execute("SELECT language, id FROM articles").fetchall())
        # ru names nobody, en names ru: each sees the other
        assert [v.language for v in versions_of(archive.conn, ids["ru"])] == ["en"]
        assert [(v.language, v.title) for v in versions_of(archive.conn, ids["en"])] == [("ru", "Бюджет")]
        # a translation published later, named by the new page only; an unchanged refetch of en
        # without the link keeps what it declared before
        en.alternates = {}
        archive.write_batch(articles=[ArticleRecord(az, None, FETCHED), ArticleRecord(en, None, FETCHED)])
        ids = dict(archive.conn.execute("SELECT language, id FROM articles").fetchall())
        assert [v.language for v in versions_of(archive.conn, ids["en"])] == ["az", "ru"]
        assert versions_of(archive.conn, 10_000) == []


def test_the_profile_field_is_checked() -> None:
    assert load_profile("turan").translations_shared_id and not load_profile("generic").translations_shared_id
    with pytest.raises(ProfileError, match=r"translations\.shared_id: expected true or false"):
        profile_from_dict({"name": "x", "translations": {"shared_id": "yes"}})
    with pytest.raises(ProfileError, match=r"translations\.shared: unknown field"):
        profile_from_dict({"name": "x", "translations": {"shared": True}})


# --- paging and grouping ----------------------------------------------------------------------


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_pages_never_repeat_or_skip_even_on_ties(tmp_path: Path, sort: str) -> None:
    """Copies tie in bm25 (and in date): ties go by id, so pages of 3 are the one ranked list."""
    copies = [Article(url=f"https://s.example/en/{i}", site="s.example", language="en", title="Budget vote",
                      body="The budget vote passed.", published=FETCHED) for i in range(11)]
    with Archive.open(tmp_path / "a.db") as archive:
        archive.write_batch(articles=[ArticleRecord(a, None, FETCHED) for a in copies])
        whole = [h.id for h in search(archive, "budget", Filters(), limit=100, sort=sort)]
        paged = [h.id for o in range(0, 12, 3) for h in search(archive, "budget", Filters(), limit=3, offset=o,
                                                                 sort=sort)]
    assert paged == whole and len(set(whole)) == 11
    assert whole == (sorted(whole) if sort == "relevance" else sorted(whole, reverse=True))


def test_grouped_pages_show_each_story_once_where_its_best_version_ranks(archive: Archive) -> None:
    ranked = [h.id for h in search(archive, "Aliyev", Filters(), limit=1000)]
    pages = [grouped_search(archive, "Aliyev", Filters(), limit=4, offset=o) for o in range(0, 80, 4)]
    stories = [s for p in pages for s in p.stories]
    leads = [s.hit.id for s in stories]
    members = [m for s in stories for m in (s.hit.id, *(v.id for v in s.versions))]
    assert len(members) == len(set(members))  # no article in two stories, no story twice
    assert set(ranked) <= set(members) and len(leads) < len(ranked)  # every hit is shown, some grouped
    assert leads == sorted(leads, key=ranked.index)  # stories in the order of their best version
    for s in stories:  # the lead is the story's best-ranked version; `matched` are the others that match
        assert all(ranked.index(s.hit.id) < ranked.index(m) for m in s.matched)
        assert set(s.matched) == {v.id for v in s.versions} & set(ranked)
    shown = [p for p in pages if p.stories]
    assert all(p.more and len(p.stories) == 4 for p in shown[:-1]) and not shown[-1].more
    assert not any(p.capped for p in pages) and len(ranked) < MAX_GROUP_SCAN


# --- words --------------------------------------------------------------------------------------


def test_plural_and_language_names() -> None:
    assert [plural(n, "comment") for n in (0, 1, 2, 79412)] == ["0 comments", "1 comment", "2 comments",
                                                                "79,412 comments"]
    assert plural(1, "match", "matches") == "1 match" and plural(3, "story", "stories") == "3 stories"
    assert [language_name(c) for c in ("en", "ru", "az", "en-GB", "xx", None)] == [
        "English", "Русский", "Azərbaycanca", "English", "xx", "(language unknown)"]


# --- the command line ---------------------------------------------------------------------------


def test_cli_group_translations(db: Path, archive: Archive) -> None:
    out = newsarchive("search", "Aliyev", "--group-translations", "--json", "--limit", "50", "--db", str(db))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    page = grouped_search(archive, "Aliyev", Filters(), limit=50)
    assert [s["id"] for s in data["stories"]] == [s.hit.id for s in page.stories]
    grouped = [s for s in data["stories"] if s["versions"]]
    assert grouped and all({"id", "language", "title", "url", "matches"} <= set(v) for s in grouped
                           for v in s["versions"])
    text = newsarchive("search", "Aliyev", "--group-translations", "--no-color", "--db", str(db)).stdout
    assert "Also in: " in text and ("English (id" in text or "Русский (id" in text)
    bad = newsarchive("search", "Aliyev", "--group-translations", "--comments", "--db", str(db))
    assert bad.returncode == 2 and "does not go with --in comments" in bad.stderr
    one = newsarchive("search", "Aliyev", "--facets", "--lang", "xx", "--db", str(db))
    assert one.stdout.startswith("0 matches")

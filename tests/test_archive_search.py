"""Full-text search: safe query translation, ranking, snippets, filters, languages, comments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from archive.errors import QueryError
from archive.search import fts_query, render_snippet, search, search_comments, split_snippet
from archive.store import Archive, ArticleRecord
from scrapers.parsers.article import Article, Caption, Comment

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def article(n: int, title: str, body: str, **fields: Any) -> Article:
    values: dict[str, Any] = {
        "url": f"https://news.example/a/{n}",
        "site": "example",
        "article_id": str(n),
        "language": "en",
        "section": "economy",
        "title": title,
        "body": body,
    }
    values.update(fields)
    return Article(**values)


def write(archive: Archive, *articles: Article, at: datetime = T0) -> None:
    archive.write_batch(articles=[ArticleRecord(a, None, at) for a in articles])


@pytest.fixture
def archive(tmp_path: Path) -> Any:
    with Archive.open(tmp_path / "archive.db") as a:
        write(
            a,
            article(1, "Weather report", "Rain in the hills. The pipeline was mentioned once, in passing."),
            article(2, "Pipeline reaches the coast", "Engineers finished the work on time."),
            article(
                3,
                "Harbour news",
                "Ships and cranes.",
                captions=[Caption("https://i/1", "A pipeline at dusk")],
            ),
            article(4, "Bakı xəbərləri", "Neft qiymətləri artdı.", language="az", section="iqtisadiyyat"),
            article(5, "Новости Москвы", "Цены на нефть выросли в среду.", language="ru", site="other"),
            article(6, "Café culture", "Espresso prices in Paris.", section="culture"),
        )
        yield a


# --- turning user text into FTS5 -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("oil price", '"oil" "price"'),
        ('"oil price" gas', '"oil price" "gas"'),
        ("neft*", '"neft"*'),
        ('"oil pri"*', '"oil pri"*'),
        ("oil AND gas OR NOT coal", '"oil" "AND" "gas" "OR" "NOT" "coal"'),
        ('say "hi', '"say" """hi"'),
        ("NEAR(a b)", '"NEAR(a" "b)"'),
        ("'; DROP TABLE articles; --", '"DROP" "TABLE" "articles;"'),
        ("title:oil", '"title:oil"'),
    ],
)
def test_fts_query_quotes_everything(text: str, expected: str) -> None:
    assert fts_query(text) == expected


@pytest.mark.parametrize("text", ["", "   ", '"', '""', "*", "* * *", "-", "'; --", "()", "^"])
def test_unusable_queries_raise_query_error(text: str) -> None:
    with pytest.raises(QueryError):
        fts_query(text)


def test_too_many_terms() -> None:
    with pytest.raises(QueryError, match="at most"):
        fts_query(" ".join(f"w{n}" for n in range(100)))


HOSTILE = [
    '"',
    '""',
    "AND",
    "OR",
    "NOT",
    "*",
    "a*b",
    "NEAR(",
    "NEAR(pipeline coast)",
    "pipeline NEAR coast",
    "'; DROP TABLE articles; --",
    "pipeline OR",
    "(pipeline",
    "pipeline)",
    "{title}: x",
    "title:pipeline",
    "^pipeline",
    "pipeline + coast",
    '"pipeline',
    "pipe*line",
    "-pipeline",
    "pipeline AND AND",
    "\x00",
    "\\",
    "%",
    "_",
    "pipeline\x02coast\x03",
    "💥",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_never_reach_sqlite_as_syntax(archive: Archive, text: str) -> None:
    try:
        hits = search(archive, text)
    except QueryError:
        return
    assert isinstance(hits, list)
    assert archive.db["articles"].count == 6  # still all there


# --- ranking, snippets, filters --------------------------------------------------------------


def test_title_match_outranks_body_and_caption_matches(archive: Archive) -> None:
    hits = search(archive, "pipeline")
    assert [h.id for h in hits] == [2, 1, 3]
    assert hits[0].score > hits[1].score > hits[2].score > 0


def test_snippet_highlights_the_matched_words(archive: Archive) -> None:
    hit = search(archive, "engineers")[0]
    assert hit.key == "example:2:en" and hit.url == "https://news.example/a/2"
    start, end = hit.highlights[0]
    assert hit.snippet[start:end] == "Engineers"
    assert "[Engineers]" in render_snippet(hit.snippet, hit.highlights)
    assert "\x02" not in hit.snippet and "\x03" not in hit.snippet


def test_split_snippet_ranges() -> None:
    assert split_snippet("a \x02bc\x03 d \x02e\x03") == ("a bc d e", [(2, 4), (7, 8)])
    assert split_snippet("…one.\n\n \x02Two\x03\tthree…") == ("…one. Two three…", [(6, 9)])
    assert render_snippet("a bc d e", [(2, 4), (7, 8)], "<", ">") == "a <bc> d <e>"


def test_words_are_anded_and_phrases_kept(archive: Archive) -> None:
    assert [h.id for h in search(archive, "pipeline coast")] == [2]
    assert search(archive, '"coast pipeline"') == []
    assert [h.id for h in search(archive, '"reaches the coast"')] == [2]


def test_prefix_search(archive: Archive) -> None:
    assert [h.id for h in search(archive, "engin*")] == [2]


def test_azerbaijani_and_russian_words(archive: Archive) -> None:
    assert [h.id for h in search(archive, "qiymətləri")] == [4]
    assert [h.id for h in search(archive, "xəbər*")] == [4]
    assert [h.id for h in search(archive, "Bakı")] == [4]
    assert [h.id for h in search(archive, "нефть")] == [5]
    assert [h.id for h in search(archive, "москвы")] == [5]  # case folded
    assert [h.id for h in search(archive, "cafe")] == [6]  # diacritics removed


def test_filters(archive: Archive) -> None:
    assert [h.id for h in search(archive, "pipeline", lang="az")] == []
    assert [h.id for h in search(archive, "нефть", site="other")] == [5]
    assert [h.id for h in search(archive, "нефть", site="example")] == []
    assert [h.id for h in search(archive, "prices", section="culture")] == [6]
    hits = search(archive, "qiymətləri", lang="az", section="iqtisadiyyat")
    assert [(h.language, h.section, h.site) for h in hits] == [("az", "iqtisadiyyat", "example")]


def test_limit_and_offset(archive: Archive) -> None:
    assert [h.id for h in search(archive, "pipeline", limit=2)] == [2, 1]
    assert [h.id for h in search(archive, "pipeline", limit=2, offset=2)] == [3]
    with pytest.raises(QueryError):
        search(archive, "pipeline", limit=0)


def test_search_follows_updates(archive: Archive) -> None:
    write(archive, article(6, "Café culture", "Tea prices in Paris."), at=T0 + timedelta(days=1))
    assert search(archive, "espresso") == []
    assert [h.id for h in search(archive, "tea")] == [6]
    for fts in ("articles_fts", "comments_fts"):
        archive.conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)")


def test_search_comments(archive: Archive) -> None:
    comments = [
        Comment("c1", None, "Walrus Fan", None, None, "Great piece on the harbour"),
        Comment("c2", "c1", "Bob", None, None, "I saw a walrus there"),
    ]
    write(archive, article(7, "Zoo", "Animals.", comments=comments))
    hits = search_comments(archive, "walrus")
    assert [h.comment_id for h in hits] == ["c1", "c2"]  # author weighted over text
    assert hits[0].article_key == "example:7:en" and hits[0].article_title == "Zoo"
    assert hits[1].snippet[slice(*hits[1].highlights[0])] == "walrus"
    assert search_comments(archive, "walrus", lang="az") == []
    with pytest.raises(QueryError):
        search_comments(archive, '"')

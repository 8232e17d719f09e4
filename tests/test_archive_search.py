"""Search internals on a small hand-made archive: the query language, safe FTS5, ranking weights,
snippets, the normalised index kept in sync, and the migration that builds it for old archives."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from archive import schema
from archive.errors import QueryError
from archive.search import (
    Filters,
    articles_sql,
    captions_sql,
    count,
    count_sql,
    register_functions,
    render_snippet,
    search,
)
from archive.search import index as search_index
from archive.search.normalize import normalize_text, word_variants
from archive.search.query import And, Not, Or, Term, compile_query, parse
from archive.store import Archive, ArticleRecord
from scrapers.parsers.article import Article, Caption, Comment

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
FILLER = "Weather was mild and the markets were calm all week in the region."


def article(n: int, title: str, body: str, **fields: Any) -> Article:
    values: dict[str, Any] = {
        "url": f"https://news.example/a/{n}", "site": "example", "article_id": str(n), "language": "en",
        "section": "economy", "title": title, "body": body, "published": T0 - timedelta(days=n),
    }
    values.update(fields)
    return Article(**values)


def write(archive: Archive, *articles: Article, at: datetime = T0) -> None:
    archive.write_batch(articles=[ArticleRecord(a, None, at) for a in articles])


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive.open(tmp_path / "archive.db") as a:
        write(
            a,
            # the same length each, the word in a different field: the weights decide
            article(1, "Pipeline news", FILLER),
            article(2, "Harbour news", f"{FILLER} pipeline"),
            article(3, "Harbour notes", FILLER, captions=[Caption("https://i/1", "A pipeline at dusk")]),
            article(4, "Harbour views", FILLER, comments=[Comment("c1", None, "Bob", None, None, "pipeline!")]),
            article(5, "Bakı xəbərləri", "Prezident İlham Əliyev neft qiymətləri barədə danışdı.", language="az",
                    section="iqtisadiyyat"),
            article(6, "Переговоры в Москве", "Президент Ильхам Алиев провел переговоры с Путиным.", language="ru",
                    site="other"),
        )
        yield a


# --- the query language -----------------------------------------------------------------------


def test_parse_builds_a_tree() -> None:
    assert parse("oil") == Term(("oil",))
    assert parse('title:"oil price"* gas') == And((Term(("oil", "price"), True, "title", True), Term(("gas",))))
    assert parse("a OR b c") == Or((Term(("a",)), And((Term(("b",)), Term(("c",))))))
    assert parse("a NOT b") == And((Term(("a",)), Not(Term(("b",)))))
    assert parse("a -b") == parse("a NOT b")
    assert parse("author:(Bob OR Eve)") == Or((Term(("Bob",), field="author"), Term(("Eve",), field="author")))
    assert parse("Kassym-Jomart") == Term(("Kassym", "Jomart"))  # one word, two tokens: a phrase
    assert parse("and or not") == And((Term(("and",)), Term(("or",)), Term(("not",))))  # lower case: words
    assert parse("NEAR(") == Term(("NEAR",))  # a bracket inside a word is a character


def test_compiled_queries_quote_every_key() -> None:
    compiled = compile_query('Aliyev "oil price" negotiat* title:Putin NOT gas')
    match = compiled.match
    assert match.startswith("((") and ' NOT (("gas" OR "gəs"))' in match
    assert '("aliev" OR "əliəv")' in match and '"oil price"' in match and '"negoti"*' in match
    assert '{title} : "putin"' in match
    # every key is inside double quotes: outside them only operators, brackets and column filters
    outside = "".join(part for i, part in enumerate(match.split('"')) if i % 2 == 0)
    assert set(outside.replace("AND", "").replace("OR", "").replace("NOT", "").replace("title", "")) <= set(
        "(){}:* "
    )
    assert compiled.highlights[0].sequences == frozenset({("aliev",), ("əliəv",)})
    for key_set in (word_variants("Aliyev"), word_variants("Алиев")):
        assert "aliev" in key_set.values()


HOSTILE = [
    "NEAR(pipeline coast)", "pipeline NEAR coast", "'; DROP TABLE articles; --", "{title}: x", "^pipeline",
    "pipeline + coast", "pipe*line", "\x00", "\\", "%", "_", "pipeline\x02coast\x03", "💥", 'a"b"c', "col:",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_never_reach_sqlite_as_syntax(archive: Archive, text: str) -> None:
    try:
        hits = search(archive, text)
    except QueryError as exc:
        assert "\n" not in str(exc)
        return
    assert isinstance(hits, list)
    assert archive.db["articles"].count == 6


@pytest.mark.parametrize(
    "text", ["", "   ", '"', '""', "*", "* * *", "-", "'; --", "()", "^", "AND", "OR b", "a (b", "x:y", "z*"]
)
def test_unusable_queries_raise_query_error(text: str) -> None:
    with pytest.raises(QueryError):
        compile_query(text)


def test_limits() -> None:
    with pytest.raises(QueryError, match="at most 32"):
        compile_query(" ".join(f"w{n}" for n in range(40)))
    with pytest.raises(QueryError, match="characters long"):
        compile_query("x" * 3000)
    with pytest.raises(QueryError, match="cannot be used when searching comments"):
        compile_query("title:oil", "comments")


# --- ranking, snippets, filters, comments, captions -------------------------------------------


def test_weights_title_over_body_over_captions_over_comments(archive: Archive) -> None:
    hits = search(archive, "pipeline")
    assert [h.id for h in hits] == [1, 2, 3, 4]
    assert [h.field for h in hits] == ["body", "body", "captions", "comments"]
    assert hits[0].score > hits[1].score > hits[2].score > hits[3].score > 0


def test_snippets_come_from_the_original_text(archive: Archive) -> None:
    (hit,) = search(archive, "qiymətləri")
    assert render_snippet(hit.snippet, hit.highlights) == "Prezident İlham Əliyev neft [qiymətləri] barədə danışdı."
    (hit,) = search(archive, "переговорах")
    expected = "Президент Ильхам Алиев провел <переговоры> с Путиным."
    assert render_snippet(hit.snippet, hit.highlights, "<", ">") == expected
    assert hit.title_highlights == [(0, 10)]
    (hit,) = search(archive, '"Ilham Aliyev"', Filters(lang="az"))
    assert render_snippet(hit.snippet, hit.highlights) == "Prezident [İlham Əliyev] neft qiymətləri barədə danışdı."


def test_one_query_three_languages(archive: Archive) -> None:
    assert {h.id for h in search(archive, "Aliyev")} == {5, 6}
    assert {h.id for h in search(archive, "Putin")} == {6}
    assert {h.id for h in search(archive, "Baki")} == {5}
    assert {h.id for h in search(archive, "neft")} == {5}
    assert {h.id for h in search(archive, "нефть")} == {5}  # transliterated


def test_filters(archive: Archive) -> None:
    assert [h.id for h in search(archive, "Aliyev", Filters(lang="ru"))] == [6]
    assert [h.id for h in search(archive, "Aliyev", Filters(site="other"))] == [6]
    assert [h.id for h in search(archive, "pipeline", Filters(section="economy", since="2024-04-29"))] == [1, 2]
    assert [h.id for h in search(archive, "pipeline", Filters(until="2024-04-28"))] == [3, 4]
    assert [h.id for h in search(archive, "pipeline", Filters(has_comments=True))] == [4]
    assert [h.id for h in search(archive, "pipeline", sort="date")] == [1, 2, 3, 4]
    assert count(archive, "pipeline") == 4
    with pytest.raises(QueryError, match="not a date"):
        search(archive, "pipeline", Filters(since="May 2024"))
    with pytest.raises(QueryError):
        search(archive, "pipeline", limit=0)


def test_comments_and_captions_alone(archive: Archive) -> None:
    (comment,) = search(archive, "pipeline", target="comments")
    assert (comment.comment_id, comment.article_id, comment.author) == ("c1", 4, "Bob")
    assert search(archive, "author:bob", target="comments")[0].comment_id == "c1"
    (caption,) = search(archive, "pipeline", target="captions")
    assert (caption.article_id, caption.image_url, caption.snippet) == (3, "https://i/1", "A pipeline at dusk")
    assert caption.snippet[slice(*caption.highlights[0])] == "pipeline"


# --- the normalised index follows every write -------------------------------------------------


def _integrity(archive: Archive) -> None:
    for fts in (search_index.ARTICLES_FTS, search_index.COMMENTS_FTS):
        archive.conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)")
    assert search_index.pending(archive.conn) == 0
    for table, fts in (("articles", search_index.ARTICLES_FTS), ("comments", search_index.COMMENTS_FTS)):
        rows = archive.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        assert archive.conn.execute(f"SELECT count(*) FROM {fts}").fetchone()[0] == rows


def test_index_follows_updates_comments_and_deletes(archive: Archive) -> None:
    _integrity(archive)
    write(archive, article(1, "Tariff news", FILLER), at=T0 + timedelta(days=1))
    assert {h.id for h in search(archive, "pipeline")} == {2, 3, 4}
    assert [h.id for h in search(archive, "tariff")] == [1]
    edited = [Comment("c1", None, "Bob", None, None, "a walrus!"), Comment("c2", "c1", "Eve", None, None, "Walrus?")]
    write(archive, article(4, "Harbour views", FILLER, comments=edited), at=T0 + timedelta(days=1))
    assert [h.id for h in search(archive, "comments:walrus")] == [4]
    assert {h.comment_id for h in search(archive, "walrus", target="comments")} == {"c1", "c2"}
    assert search(archive, "pipeline", target="comments") == []
    archive.conn.execute("BEGIN IMMEDIATE")
    archive.conn.execute("DELETE FROM comments WHERE article_id = 2")
    archive.conn.execute("DELETE FROM captions WHERE article_id = 2")
    archive.conn.execute("DELETE FROM articles WHERE id = 2")  # e.g. by hand: queued by the triggers
    search_index.flush(archive.conn)
    archive.conn.execute("COMMIT")
    assert {h.id for h in search(archive, "pipeline")} == {3}
    _integrity(archive)


def test_migration_3_backfills_an_older_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    older = tuple(m for m in schema.MIGRATIONS if m.version < 3)
    monkeypatch.setattr(schema, "MIGRATIONS", older)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", older[-1].version)
    monkeypatch.setattr(search_index, "flush", lambda conn: 0)  # no index yet to keep in sync
    with Archive.open(path) as a:
        comments = [Comment("c1", None, "Ann", None, None, "Переговоры продолжатся")]
        write(a, article(1, "Aliyev in Baku", FILLER, comments=comments), article(2, "Əliyev Bakıda", FILLER,
                                                                                    language="az"))
        assert "articles_norm_fts" not in a.db.table_names()
    monkeypatch.undo()
    with Archive.open(path) as a:
        assert a.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION >= 3
        assert {h.id for h in search(a, "Aliyev")} == {1, 2}
        assert [h.comment_id for h in search(a, "переговорах", target="comments")] == ["c1"]
        _integrity(a)


def test_migrations_run_in_version_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shuffled = (schema.MIGRATIONS[-1], *schema.MIGRATIONS[:-1])
    monkeypatch.setattr(schema, "MIGRATIONS", shuffled)
    with Archive.open(tmp_path / "a.db") as a:
        write(a, article(1, "Aliyev", FILLER))
        assert [h.id for h in search(a, "Əliyev")] == [1]


def test_normalised_text_is_keys_only() -> None:
    assert normalize_text("İlham Əliyev, Bakı!", "az") == "ilhəm əliəv bəki"
    assert normalize_text("Ильхам Алиев провел переговоры", "ru") == "ilh aliev provel peregovor"
    assert normalize_text("Negotiations continue", "en") == "negoti continu"
    conn = sqlite3.connect(":memory:")
    assert conn.execute("SELECT 1").fetchone() == (1,)


@pytest.mark.parametrize("min_confidence", [0.0, 0.3, 0.5, 0.8, 1.0])
def test_the_unfiltered_sql_ranks_as_the_filtered_one(tmp_path: Path, min_confidence: float) -> None:
    """Without an article filter, FTS5 ranks alone and leaves out the unsure articles by their
    index (`_confident_hits`): the same hits in the same order, page after page, ties included,
    as the SQL that joins every match to its article row."""
    with Archive.open(tmp_path / "archive.db") as a:
        write(a, *(article(n, f"Harbour {'pipeline' if n % 3 else 'notes'}",
                           f"{FILLER} pipeline" * (1 + n % 4) if n % 5 else FILLER + " pipeline",
                           captions=[Caption(f"https://i/{n}", "A pipeline at dusk")] if n % 2 else [])
                   for n in range(1, 41)))
        for n, level in ((2, 0.2), (7, 0.45), (11, 0.5), (13, 0.79), (17, 0.95), (19, 0.0)):
            a.conn.execute("UPDATE articles SET confidence = ? WHERE article_id = ?", (level, str(n)))
        a.conn.commit()
        filters = Filters(min_confidence=min_confidence)
        register_functions(a.conn)
        for target in ("articles", "captions"):
            counted = [a.conn.execute(count_sql(target, f), {"q": "pipeline", **filters.params()}).fetchone()[0]
                       for f in (False, True)]
            assert counted[0] == counted[1] > 0
        for sql in (articles_sql, captions_sql):
            fast, joined = sql("relevance", False), sql("relevance", True)
            assert "NOT IN" in fast and "NOT IN" not in joined
            for offset in (0, 7, 14, 21, 28, 35):
                params = {"q": "pipeline", **filters.params(), "limit": 7, "offset": offset}
                assert a.conn.execute(fast, params).fetchall() == a.conn.execute(joined, params).fetchall()
        ranked = [h.id for off in range(0, 40, 7) for h in search(a, "pipeline", filters, limit=7, offset=off)]
        shown = a.conn.execute("SELECT count(*) FROM articles WHERE confidence >= ?", (min_confidence,)).fetchone()[0]
        assert len(ranked) == len(set(ranked)) == shown  # no page repeats or skips a hit

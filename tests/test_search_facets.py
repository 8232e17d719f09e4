"""Facets (`--facets`) counted by the top-k index (archive/search/facet_index.py) against the SQL
that reads every match (exact=True), on a real archive with a real tantivy index beside it,
written through the archive's write path, then changed, deleted from, and left stale."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.search import facets, topk
from archive.search import index as search_index
from archive.search.facet_index import indexed_facets
from archive.search.query import compile_query
from archive.search.topk import TopK
from archive.store import Archive, ArticleRecord
from newsarchive.cli import main
from replica.site import ReplicaSite
from scrapers.parsers.article import Article
from tests.test_search_topk import indexed_archive
from tests.test_web_ui import truth_article

FETCHED = datetime(2025, 3, 1, tzinfo=UTC)
QUERIES = ("Aliyev", "Baku", "Aliyev Putin", "oil OR gas", "Baku NOT oil", "переговоры", "Eliyev Baki", "Zanzibarian")


@pytest.fixture(scope="module")
def truth() -> list[Article]:
    articles = [truth_article(t) for t in ReplicaSite(seed=11, articles=300).ground_truth("https://turan.az")]
    # values the SQL groups apart: no date, no section, an empty section, no language
    odd = [replace(articles[i], section=None) for i in range(0, 20)]
    odd += [replace(articles[i], published=None) for i in range(20, 30)]
    odd += [replace(articles[i], section="") for i in range(30, 35)]
    return odd + articles[35:]


@pytest.fixture
def archive(tmp_path: Path, truth: list[Article]) -> Iterator[Archive]:
    with indexed_archive(tmp_path / "archive.db", truth) as a:
        yield a


def from_index(archive: Archive, q: str) -> dict[str, dict[str | None, int]] | None:
    return indexed_facets(archive.conn, compile_query(q, "articles", None).tree)


def assert_same(archive: Archive) -> None:
    """Every query's facets: through the index (which answers) equal to the SQL's, order included."""
    for q in QUERIES:
        exact = facets(archive, q, exact=True)
        assert from_index(archive, q) is not None, q  # the index answered, not the SQL fallback
        fast = facets(archive, q)
        assert list(fast.items()) == list(exact.items()), q
        assert [list(v.items()) for v in fast.values()] == [list(v.items()) for v in exact.values()], q


def test_index_facets_equal_the_sql(archive: Archive) -> None:
    assert_same(archive)
    counted = facets(archive, "Baku", exact=True)
    assert "(none)" in counted["section"] and "" in counted["section"] and "(none)" in counted["year"]
    assert sum(counted["language"].values()) == sum(counted["year"].values()) > 20


def test_after_writes_updates_and_deletes(archive: Archive, truth: list[Article]) -> None:
    moved = [replace(a, section="Zanzibarian", title="Zanzibarian " + (a.title or "")) for a in truth[40:60]]
    new = Article(url="https://turan.az/en/new/1", site="turan", article_id="1", language="en", section="New",
                  title="Zanzibarian summit", body="Zanzibarian delegates met in Baku.",
                  published=datetime(2030, 5, 1, tzinfo=UTC))
    archive.write_batch(articles=[ArticleRecord(a, None, FETCHED) for a in [*moved, new]])
    assert topk.status(archive.conn).fresh
    assert facets(archive, "Zanzibarian")["section"] == {"Zanzibarian": 20, "New": 1}
    assert_same(archive)
    # as another tool would: a new date and section alone (schema v11 queues them), a delete
    with archive.conn:
        archive.conn.execute("UPDATE articles SET section = 'Moved', published = '1999-01-01' "
                             "WHERE url IN (?, ?, ?)", tuple(a.url for a in moved[:3]))
    assert not topk.status(archive.conn).fresh  # no word changed: the v11 trigger queued them
    with archive.conn:
        archive.conn.execute("DELETE FROM articles WHERE url = ?", (new.url,))
        search_index.flush(archive.conn)
    assert from_index(archive, "Zanzibarian") is None  # stale: the SQL counts, and is right
    assert facets(archive, "Zanzibarian")["section"] == {"Zanzibarian": 17, "Moved": 3}
    topk.sync(archive.conn)
    assert facets(archive, "Zanzibarian")["year"]["1999"] == 3
    assert_same(archive)


def test_stale_old_or_disabled_index_falls_back_to_sql(archive: Archive) -> None:
    archive.conn.execute(f"INSERT INTO {search_index.TOPK_QUEUE} (id) VALUES (1)")
    assert from_index(archive, "Baku") is None
    assert facets(archive, "Baku") == facets(archive, "Baku", exact=True)
    topk.sync(archive.conn)
    assert from_index(archive, "Baku") is not None
    # an index of the previous format (no facet fields) is not in step: rebuilt, never misread
    state = topk.index_dir(archive.path) / topk.STATE_FILE
    old = json.loads(state.read_text())
    state.write_text(json.dumps({**old, "format": topk.FORMAT - 1}))
    assert from_index(archive, "Baku") is None and not topk.status(archive.conn).built
    assert facets(archive, "Baku") == facets(archive, "Baku", exact=True)
    topk.rebuild(archive.conn)
    # prefixes and phrases are not in the index: the SQL counts them
    assert from_index(archive, "Bak*") is None and from_index(archive, '"Baku oil"') is None
    assert facets(archive, "Bak*", settings=TopK(enabled=False)) == facets(archive, "Bak*", exact=True)


def test_cli_facets_through_the_index(archive: Archive) -> None:
    db = str(archive.path)
    out = CliRunner().invoke(main, ["search", "Baku", "--db", db, "--count", "--facets", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["facets"] == facets(archive, "Baku", exact=True)
    assert data["count"] == sum(data["facets"]["language"].values())

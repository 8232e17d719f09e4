"""archive/search/bm25.py: FTS5's bm25 computed for given articles equals FTS5's own, double for
double, on a real archive (replica articles in three languages), for every query form."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from archive.search import bm25
from archive.search.index import ARTICLES_FTS
from archive.search.query import compile_query
from archive.store import Archive, ArticleRecord
from replica.site import ReplicaSite
from tests.test_search_topk import FETCHED
from tests.test_web_ui import truth_article

QUERIES = ("Aliyev", "Aliyev Putin", "title:Aliyev", "captions:Baku OR comments:Baku", '"Ilham Aliyev"',
           "Bak*", "peregov*", "Baku NOT oil", "oil OR gas", "переговоры", "Eliyev Baki", "author:Aliyev",
           "title:(oil OR gas) Baku", "title:Baku -Aliyev")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    truth = ReplicaSite(seed=11, articles=300).ground_truth("https://turan.az")
    with Archive.open(tmp_path_factory.mktemp("bm25") / "archive.db") as a:
        a.write_batch(articles=[ArticleRecord(truth_article(t), None, FETCHED) for t in truth])
        yield a


@pytest.mark.parametrize("query", QUERIES)
def test_scores_equal_fts5s_own(archive: Archive, query: str) -> None:
    compiled = compile_query(query)
    fts5 = archive.conn.execute(
        f"SELECT rowid, -rank FROM {ARTICLES_FTS} WHERE {ARTICLES_FTS} MATCH ? ORDER BY rank, rowid",
        (compiled.match,),
    ).fetchall()
    assert fts5, query  # the query matches something here
    every = [r[0] for r in archive.conn.execute("SELECT id FROM articles")]
    scored = bm25.score(archive.conn, compiled.tree, every)  # non-matching articles are left out
    assert [(s.id, s.score) for s in scored] == [(i, score) for i, score in fts5]


def test_varints_read_sqlites_format() -> None:
    assert bm25._varints(bytes([0x05, 0x81, 0x00, 0xFF, 0x7F])) == [5, 128, 0x3FFF]

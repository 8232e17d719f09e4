"""The top-k index (archive/search/topk.py) on real archives: a real tantivy index beside a real
SQLite file, written through the archive's write path.

The archive holds 400 replica articles (its ground truth, as a perfect crawl writes it); the
threshold is lowered (SEARCH_TOPK_THRESHOLD) so that queries with a few hundred matches take the
top-k path, and every answer is compared with exact FTS5 (``exact=True``) computed in the same test.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from archive.search import SearchInfo, count, search, search_info, topk
from archive.search import index as search_index
from archive.search.query import compile_query
from archive.search.topk import TopK
from archive.store import Archive, ArticleRecord
from newsarchive.cli import main
from replica.site import ReplicaSite
from scrapers.parsers.article import Article
from tests.test_web_ui import truth_article

FETCHED = datetime(2025, 3, 1, tzinfo=UTC)
LOW = TopK(threshold=50, candidates=60)  # a few hundred matches take the top-k path
QUERIES = ("Aliyev", "Baku", "Aliyev Putin", "oil OR gas", "Baku NOT oil", "переговоры", "Eliyev Baki")


@pytest.fixture(scope="module")
def truth() -> list[Article]:
    return [truth_article(t) for t in ReplicaSite(seed=7, articles=400).ground_truth("https://turan.az")]


@contextmanager
def indexed_archive(path: Path, articles: list[Article]) -> Iterator[Archive]:
    """An archive of `articles` written as a crawl writes them, with its top-k index built."""
    with Archive.open(path) as a:
        a.write_batch(articles=[ArticleRecord(x, None, FETCHED) for x in articles])
        topk.rebuild(a.conn)
        yield a


@pytest.fixture
def archive(tmp_path: Path, truth: list[Article]) -> Iterator[Archive]:
    with indexed_archive(tmp_path / "archive.db", truth) as a:
        yield a


def ids(hits: list[Any]) -> list[int]:
    return [h.id for h in hits]


def assert_in_step(archive: Archive) -> None:
    """The index holds exactly the articles a default search shows (what FTS5 matches)."""
    state = topk.status(archive.conn)
    assert state.fresh
    shown = archive.conn.execute("SELECT count(*) FROM articles WHERE confidence >= 0.5").fetchone()[0]
    assert state.documents == shown
    for q in QUERIES:
        hits, info = search_info(archive, q, settings=TopK(threshold=1, candidates=1000), limit=50)
        assert info.matches == count(archive, q, exact=True), q  # tantivy's count is FTS5's
        assert count(archive, q) == info.matches
        assert ids(hits) == ids(search(archive, q, exact=True, limit=50)), q


def test_top_k_path_equals_exact_fts5(archive: Archive) -> None:
    approximate = 0
    for q in QUERIES:
        exact = search(archive, q, exact=True)
        hits, info = search_info(archive, q, settings=LOW)
        assert info.matches == count(archive, q, exact=True)
        approximate += not info.exact
        # the candidates are ranked with FTS5's own bm25: the same doubles, the same snippets
        assert [(h.id, h.score, h.snippet) for h in hits] == [(h.id, h.score, h.snippet) for h in exact], q
    assert approximate >= 3  # most of these went the top-k way (and said so)


def test_under_the_threshold_the_answer_is_exact_fts5(archive: Archive) -> None:
    hits, info = search_info(archive, "Aliyev", settings=TopK(threshold=10**6, candidates=50))
    assert info == SearchInfo(exact=True, matches=count(archive, "Aliyev"))
    assert ids(hits) == ids(search(archive, "Aliyev", exact=True))


def test_approximate_answers_say_so(archive: Archive) -> None:
    matches = count(archive, "Baku")
    _, info = search_info(archive, "Baku", settings=TopK(threshold=10, candidates=20))
    assert (info.exact, info.matches, info.ranked_among) == (False, matches, 20)
    assert f"ranked among the 20 best candidates of the top-k index of {matches:,} matches" in str(info.notice())
    # filters, prefixes, phrases and other sorts are ranked by FTS5
    assert search_info(archive, "Bak*", settings=TopK(threshold=10, candidates=20))[1].exact
    assert search_info(archive, '"Baku oil"', settings=TopK(threshold=10, candidates=20))[1].exact


@pytest.mark.parametrize("query", ["Baku", "Aliyev", "Baku NOT oil", "Aliyev OR Putin"])
def test_pages_past_the_candidates_neither_repeat_nor_skip(archive: Archive, query: str) -> None:
    """Page after page across the last candidate: every match once, the candidates first (in their
    exact bm25 order), then the other matches in FTS5's; each page says it is approximate."""
    low = TopK(threshold=10, candidates=20)
    matches = count(archive, query)
    assert matches > 40
    pages = [search_info(archive, query, settings=low, limit=7, offset=o) for o in range(0, matches + 7, 7)]
    shown = [h.id for hits, _ in pages for h in hits]
    assert len(shown) == len(set(shown)) == matches
    first = [h.id for h in search_info(archive, query, settings=low, limit=20)[0]]
    assert shown[:20] == first
    every = [h.id for h in search(archive, query, limit=matches, exact=True)]
    assert shown[20:] == [i for i in every if i not in set(first)]
    assert all(not info.exact and info.ranked_among == 20 for _, info in pages)


def test_the_index_follows_writes_updates_and_deletes(archive: Archive, truth: list[Article]) -> None:
    edited = replace(truth[0], title="Zanzibarian talks", body=truth[0].body + " Zanzibarian summit in Baku.")
    new = Article(url="https://turan.az/en/new/1", site="turan", article_id="1", language="en",
                  title="Zanzibarian summit", body="Zanzibarian delegates met in Baku.")
    archive.write_batch(articles=[ArticleRecord(edited, None, FETCHED), ArticleRecord(new, None, FETCHED)])
    assert topk.status(archive.conn).fresh  # the write path applied it after its commit
    hits, info = search_info(archive, "Zanzibarian", settings=TopK(threshold=1, candidates=10))
    assert info.matches == 2 and len(hits) == 2
    # a delete (no command deletes articles: as another tool would) and a confidence drop
    with archive.conn:
        archive.conn.execute("DELETE FROM articles WHERE url = ?", (new.url,))
        archive.conn.execute("UPDATE articles SET confidence = 0.1 WHERE id = (SELECT min(id) FROM articles "
                             "WHERE title LIKE '%Baku%' OR title LIKE '%Баку%' OR title LIKE '%Bakı%')")
        search_index.flush(archive.conn)
    assert not topk.status(archive.conn).fresh
    assert search_info(archive, "Zanzibarian", settings=TopK(threshold=1))[1] == SearchInfo(exact=True)  # stale
    assert topk.sync(archive.conn) == 2
    assert search_info(archive, "Zanzibarian", settings=TopK(threshold=1))[1].matches == 1
    assert_in_step(archive)


def test_reparse_like_rewrites_of_every_article_stay_in_step(archive: Archive, truth: list[Article]) -> None:
    rewritten = [replace(a, body=a.body.replace("Baku", "Tbilisi")) for a in truth[:150]]
    archive.write_batch(articles=[ArticleRecord(a, None, FETCHED) for a in rewritten])
    assert_in_step(archive)


def test_a_stale_or_missing_index_falls_back_to_exact(archive: Archive, tmp_path: Path) -> None:
    settings = TopK(threshold=10, candidates=20)
    assert not search_info(archive, "Baku", settings=settings)[1].exact
    # queued and not applied (another process held the index's lock): stale, so exact
    archive.conn.execute(f"INSERT INTO {search_index.TOPK_QUEUE} (id) VALUES (1)")
    assert search_info(archive, "Baku", settings=settings)[1] == SearchInfo(exact=True)
    topk.sync(archive.conn)
    assert not search_info(archive, "Baku", settings=settings)[1].exact
    # the folder gone: exact; another archive's folder in its place: exact
    folder = topk.index_dir(archive.path)
    shutil.move(folder, tmp_path / "elsewhere")
    assert search_info(archive, "Baku", settings=settings)[1] == SearchInfo(exact=True)
    with Archive.open(tmp_path / "other.db") as other:
        topk.rebuild(other.conn)
    shutil.copytree(topk.index_dir(tmp_path / "other.db"), folder)
    assert search_info(archive, "Baku", settings=settings)[1] == SearchInfo(exact=True)
    assert ids(search(archive, "Baku")) == ids(search(archive, "Baku", exact=True))
    topk.rebuild(archive.conn)
    assert not search_info(archive, "Baku", settings=settings)[1].exact


def test_cli_says_when_approximate_and_exact_ranks_every_match(archive: Archive) -> None:
    db = str(archive.path)
    matches = count(archive, "Baku")
    low = ["-s", "SEARCH_TOPK_THRESHOLD=10", "-s", "SEARCH_TOPK_CANDIDATES=20"]
    text = CliRunner().invoke(main, ["search", "Baku", "--db", db, "--no-color", *low])
    assert text.exit_code == 0, text.output
    assert text.output.splitlines()[0] == (
        f"approximate: ranked among the 20 best candidates of the top-k index of {matches:,} matches "
        "(--exact ranks every match)")
    as_json = json.loads(CliRunner().invoke(main, ["search", "Baku", "--db", db, "--json", *low]).output)
    assert (as_json["exact"], as_json["matches"], as_json["ranked_among"]) == (False, matches, 20)
    exact = json.loads(CliRunner().invoke(main, ["search", "Baku", "--db", db, "--json", "--exact", *low]).output)
    assert exact["exact"] is True and exact["ranked_among"] is None
    assert [r["id"] for r in exact["results"]] == ids(search(archive, "Baku", exact=True))
    plain = CliRunner().invoke(main, ["search", "Baku", "--db", db, "--no-color", "--exact", *low])
    assert "approximate" not in plain.output
    bad = CliRunner().invoke(main, ["search", "Baku", "--db", db, "-s", "SEARCH_TOPK_NOPE=1"])
    assert bad.exit_code == 2 and "SEARCH_TOPK_THRESHOLD" in bad.output


def test_search_index_command(archive: Archive) -> None:
    db = str(archive.path)
    status = CliRunner().invoke(main, ["search-index", "status", "--db", db])
    assert status.output.strip().endswith("in step")
    shutil.rmtree(topk.index_dir(archive.path))
    assert "no index" in CliRunner().invoke(main, ["search-index", "status", "--db", db]).output
    rebuilt = CliRunner().invoke(main, ["search-index", "rebuild", "--db", db])
    assert rebuilt.exit_code == 0 and "articles indexed" in rebuilt.output
    assert topk.status(archive.conn).fresh


def test_a_damaged_index_folder_falls_back_to_exact(archive: Archive) -> None:
    folder = topk.index_dir(archive.path)
    topk._forget(folder)  # as a new process would open it
    for f in folder.iterdir():
        if f.name != topk.STATE_FILE:
            f.unlink() if f.is_file() else shutil.rmtree(f)
    hits, info = search_info(archive, "Baku", settings=TopK(threshold=10, candidates=20))
    assert info == SearchInfo(exact=True)
    assert ids(hits) == ids(search(archive, "Baku", exact=True))
    assert not topk.status(archive.conn).built


def _padded(n: int, words: str) -> Article:
    body = f"{words} {' '.join(f'filler{i}' for i in range(30 - len(words.split())))}"
    return Article(url=f"https://news.example/w/{n}", site="example", article_id=str(n), language="en",
                   title=f"Story {n}", body=body)


def test_candidates_weigh_words_as_fts5_does(tmp_path: Path) -> None:
    """A word in over half the rows weighs nothing in FTS5's bm25 (its idf is clamped to 1e-6) and
    something in tantivy's: unboosted, three rows heavy in that word were tantivy's three best, and
    FTS5's three best (more of the other word) were not candidates.  Boosted by FTS5's idf, the
    candidates are FTS5's best, and the answer is exact bm25's."""
    light = [_padded(n, "alpha beta beta") for n in range(1, 4)]  # FTS5's best: beta twice
    heavy = [_padded(n, "alpha " * 10 + "beta") for n in range(4, 7)]
    rest = [_padded(n, "alpha") for n in range(7, 15)] + [_padded(n, "beta") for n in range(15, 18)]
    rest += [_padded(n, "gamma") for n in range(18, 21)]
    with Archive.open(tmp_path / "archive.db") as a:
        a.write_batch(articles=[ArticleRecord(x, None, FETCHED) for x in light + heavy + rest])
        topk.rebuild(a.conn)
        exact = ids(search(a, "alpha beta", limit=3, exact=True))
        assert exact == [1, 2, 3]
        tree = compile_query("alpha beta", "articles", None).tree
        index = topk.fresh_index(a.conn)
        assert index is not None
        unboosted = topk.candidates(index, tree, 3)
        assert unboosted is not None and not set(unboosted.ids) & set(exact)  # the failure this fixes
        hits, info = search_info(a, "alpha beta", limit=3, settings=TopK(threshold=1, candidates=3))
        assert ids(hits) == exact and not info.exact and info.matches == 6


def test_word_counts_follow_every_write(tmp_path: Path, truth: list[Article]) -> None:
    """The top-k path keeps each word's row count per connection until the archive changes: after
    this connection's writes, and after another connection's, its scores are FTS5's again."""
    path = tmp_path / "archive.db"
    with Archive.open(path) as a:
        a.write_batch(articles=[ArticleRecord(x, None, FETCHED) for x in truth[:200]])
        topk.rebuild(a.conn)
        low = TopK(threshold=1, candidates=1000)
        first, _ = search_info(a, "Aliyev", settings=low, limit=50)
        assert ids(first) == ids(search(a, "Aliyev", limit=50, exact=True))
        a.write_batch(articles=[ArticleRecord(x, None, FETCHED) for x in truth[200:300]])  # this connection
        hits, _ = search_info(a, "Aliyev", settings=low, limit=50)
        assert [h.score for h in hits] == [h.score for h in search(a, "Aliyev", limit=50, exact=True)]
        with Archive.open(path) as other:  # another connection
            other.write_batch(articles=[ArticleRecord(x, None, FETCHED) for x in truth[300:]])
        hits, _ = search_info(a, "Aliyev", settings=low, limit=50)
        assert [h.score for h in hits] == [h.score for h in search(a, "Aliyev", limit=50, exact=True)]
        assert [h.id for h in hits] == ids(search(a, "Aliyev", limit=50, exact=True))

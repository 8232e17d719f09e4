"""Full-text search over articles, comments and captions: ranked, filtered, language-aware.

A query (archive/search/query.py) is written out as an FTS5 query over the normalised index
(archive/search/index.py); the SQL that runs it is built here, once, and is the same text for
the command line and for Datasette's canned queries (archive/web/): both call the SQL functions
``newsarchive_match``, ``newsarchive_snippet`` and ``newsarchive_hit`` that `register_functions`
adds to a connection.  Filters are bound parameters whose empty value means "any", so one SQL
text serves every combination.  Snippets are cut from the original text, around the words whose
keys match, and carry the matched ranges.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal, Protocol, overload

from archive.errors import QueryError
from archive.search import bm25, topk
from archive.search.facet_index import indexed_facets
from archive.search.index import ARTICLES_FTS, COMMENTS_FTS
from archive.search.index import DEFAULT_MIN_CONFIDENCE as DEFAULT_MIN_CONFIDENCE
from archive.search.normalize import Token, analyze
from archive.search.query import Compiled, Highlight, compile_query
from archive.search.topk import TopK


class Archive(Protocol):
    """What a search reads: an open archive (archive.store.Archive), named here by what it offers
    so that the store, which keeps the search index in step, and the search do not import each other."""

    @property
    def conn(self) -> sqlite3.Connection: ...


SNIPPET_TOKENS = 24
# The most text one call of a SQL function reads (per argument). The functions run in Python, where
# Datasette's time limit (a SQLite progress handler, run between SQL steps) cannot stop them: a
# 1.4 MB text built by a crafted query held a server thread for minutes. 100,000 characters (a very
# long article) take ~0.1 s; a longer text gives its snippet from its first 100,000 characters.
MAX_FUNCTION_TEXT = 100_000
COMMENT_SNIPPET_TOKENS = 40
SORTS = ("relevance", "date")
TARGETS = ("articles", "comments", "captions")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_SPACE = re.compile(r"\s+")


# --- filters ----------------------------------------------------------------------------------




@dataclass(frozen=True)
class Filters:
    """What to search in, besides the query; None / False means any."""

    lang: str | None = None
    site: str | None = None
    section: str | None = None
    since: str | None = None  # published on or after: YYYY, YYYY-MM or YYYY-MM-DD
    until: str | None = None  # published on or before (the whole month/year when shorter)
    author: str | None = None  # matched like author:"..." (language-aware)
    has_comments: bool = False
    # Articles less sure than this to be articles (a generic crawl's probable ones) are left out.
    min_confidence: float = DEFAULT_MIN_CONFIDENCE

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and not _DATE.match(value):
                raise QueryError(f"--{name} {value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise QueryError(f"--min-confidence {self.min_confidence:g} is not between 0 and 1")

    @property
    def filtered(self) -> bool:
        """Whether an article column narrows the search (the author is in the match query and the
        confidence has a faster SQL of its own: see `_confident_hits`)."""
        return any((self.lang, self.site, self.section, self.since, self.until, self.has_comments))

    def params(self) -> dict[str, str]:
        """The SQL parameters: '' for "any", as Datasette sends a canned query's empty fields."""
        return {
            "lang": self.lang or "",
            "site": self.site or "",
            "section": self.section or "",
            "since": self.since or "",
            "until": self.until or "",
            "author": self.author or "",
            "has_comments": "1" if self.has_comments else "",
            "min_confidence": str(self.min_confidence),
        }


# --- the SQL (shared with Datasette's canned queries) -----------------------------------------

# An empty field (Datasette's canned queries send '' for it) is the default.
_MIN_CONFIDENCE = f"coalesce(nullif(:min_confidence, ''), {float(DEFAULT_MIN_CONFIDENCE)!r})"
_CONFIDENT = f"""
  AND a.confidence >= {_MIN_CONFIDENCE}"""
_ARTICLE_FILTERS = """
  AND (:lang = '' OR a.language = :lang)
  AND (:site = '' OR a.site = :site)
  AND (:section = '' OR a.section = :section)
  AND (:since = '' OR a.published >= :since)
  AND (:until = '' OR substr(a.published, 1, length(:until)) <= :until)
  AND (:has_comments = '' OR a.comment_count > 0)""" + _CONFIDENT
_COMMENT_FILTERS = """
  AND (:lang = '' OR a.language = :lang)
  AND (:site = '' OR a.site = :site)
  AND (:section = '' OR a.section = :section)
  AND (:since = '' OR c.published >= :since)
  AND (:until = '' OR substr(c.published, 1, length(:until)) <= :until)""" + _CONFIDENT
_LIMIT = "LIMIT coalesce(nullif(:limit, ''), 20) OFFSET coalesce(nullif(:offset, ''), 0)"
# Ties (equal bm25, equal dates) broken by id: a stable order, so pages never repeat or skip a hit.
_ORDER = {
    ("articles", "relevance"): f"{ARTICLES_FTS}.rank, a.id",
    ("articles", "date"): "a.published DESC, a.id DESC",
    ("comments", "relevance"): f"{COMMENTS_FTS}.rank, c.id",
    ("comments", "date"): "c.published DESC, c.id DESC",
}


def _match(target: str) -> str:
    return f"newsarchive_match(:q, :author, '{target}')"


def _article_hits(target: str, sort: str, filtered: bool) -> str:
    if sort == "relevance" and not filtered:
        return _confident_hits(target)
    return (
        f"SELECT a.id AS id, {ARTICLES_FTS}.rank AS rank\n"
        f"  FROM {ARTICLES_FTS} JOIN articles AS a ON a.id = {ARTICLES_FTS}.rowid\n"
        f"  WHERE {ARTICLES_FTS} MATCH {_match(target)}{_ARTICLE_FILTERS}\n"
        f"  ORDER BY {_ORDER[('articles', sort)]} {_LIMIT}"
    )


def _confident_hits(target: str, beyond_ranked: bool = False) -> str:
    """The hits when only the confidence filters the articles: FTS5 ranks its matches alone and
    leaves out the few unsure articles (the partial index `articles_unsure`), instead of looking
    up the article row of every match: 80 -> 36 ms for a query matching 16,874 of 1M articles.
    (`confidence < 1.0` lets SQLite use that index; min_confidence is at most 1.0.)
    `beyond_ranked`: also leaves out the articles of `:ranked` (see `beyond_ranked_sql`)."""
    ranked = (f"\n    AND {ARTICLES_FTS}.rowid NOT IN (SELECT json_extract(value, '$[0]') FROM json_each(:ranked))"
              if beyond_ranked else "")
    return (
        f"SELECT {ARTICLES_FTS}.rowid AS id, {ARTICLES_FTS}.rank AS rank{_confident_matches(target)}{ranked}\n"
        f"  ORDER BY {ARTICLES_FTS}.rank, {ARTICLES_FTS}.rowid {_LIMIT}"
    )


def _confident_matches(target: str) -> str:
    return (
        f"\n  FROM {ARTICLES_FTS}\n"
        f"  WHERE {ARTICLES_FTS} MATCH {_match(target)}\n"
        f"    AND {ARTICLES_FTS}.rowid NOT IN (SELECT id FROM articles\n"
        f"      WHERE confidence < 1.0 AND confidence < {_MIN_CONFIDENCE})"
    )


def articles_sql(sort: str = "relevance", filtered: bool = True) -> str:
    """Ranked (or newest first) articles with a snippet; parameters: q, author, the filters,
    limit, offset.  Snippets are computed for the page of hits only.  Not `filtered`: the SQL of
    filters that leave lang, site, section, dates and has_comments empty (faster; `filtered`
    serves every combination of them)."""
    order = "hits.rank, a.id" if sort == "relevance" else "a.published DESC, a.id DESC"
    return _with_snippets(_article_hits("articles", sort, filtered), "-hits.rank", order)


def ranked_articles_sql() -> str:
    """articles_sql for hits already ranked: `:ranked` is a JSON list of [id, score], best first
    (the top-k path, archive/search/topk.py); the filters, limit and offset as in articles_sql."""
    hits = f"""SELECT a.id AS id, json_extract(r.value, '$[1]') AS score, r.key AS ord
  FROM json_each(:ranked) AS r JOIN articles AS a ON a.id = json_extract(r.value, '$[0]')
  WHERE 1{_ARTICLE_FILTERS}
  ORDER BY r.key {_LIMIT}"""
    return _with_snippets(hits, "hits.score", "hits.ord")


def beyond_ranked_sql() -> str:
    """articles_sql (by relevance, not `filtered`) for the matches that are not in `:ranked` (a
    JSON list of [id, score]): the pages after those the top-k path ranked."""
    return _with_snippets(_confident_hits("articles", beyond_ranked=True), "-hits.rank", "hits.rank, a.id")


def _with_snippets(hits: str, score: str, order: str) -> str:
    return f"""WITH hits AS (
  {hits}
)
SELECT a.id, a.key, a.url, a.title, a.published, a.language, a.section, a.site, a.comment_count,
       {score} AS score,
       newsarchive_snippet(:q, :author, 'articles', a.language, a.title, a.body, a.captions_text,
         (SELECT group_concat(text, char(10)) FROM comments WHERE article_id = a.id)) AS snippet
FROM hits JOIN articles AS a ON a.id = hits.id
ORDER BY {order}"""


def comments_sql(sort: str = "relevance") -> str:
    """Comments matching alone (text or comment author), with their article."""
    return f"""WITH hits AS (
  SELECT c.id AS id, {COMMENTS_FTS}.rank AS rank
  FROM {COMMENTS_FTS} JOIN comments AS c ON c.id = {COMMENTS_FTS}.rowid JOIN articles AS a ON a.id = c.article_id
  WHERE {COMMENTS_FTS} MATCH {_match('comments')}{_COMMENT_FILTERS}
  ORDER BY {_ORDER[('comments', sort)]} {_LIMIT}
)
SELECT c.id, c.comment_id, c.parent_id, c.author, c.published, a.id AS article_id, a.key AS article_key,
       a.url AS article_url, a.title AS article_title, a.language, -hits.rank AS score,
       newsarchive_snippet(:q, :author, 'comments', a.language, NULL, c.text, NULL, NULL) AS snippet
FROM hits JOIN comments AS c ON c.id = hits.id JOIN articles AS a ON a.id = c.article_id
ORDER BY {'hits.rank, c.id' if sort == 'relevance' else 'c.published DESC, c.id DESC'}"""


def captions_sql(sort: str = "relevance", filtered: bool = True) -> str:
    """Captions matching alone: the matching captions of the best (or newest) articles."""
    order = "hits.rank, a.id" if sort == "relevance" else "a.published DESC, a.id DESC"
    return f"""WITH hits AS (
  {_article_hits('captions', sort, filtered)}
)
SELECT c.id, c.position, c.image_url, c.credit, c.credit_url, a.id AS article_id, a.key AS article_key,
       a.url AS article_url, a.title AS article_title, a.published, a.language, -hits.rank AS score,
       newsarchive_snippet(:q, :author, 'captions', a.language, NULL, NULL, c.text, NULL) AS snippet
FROM hits JOIN articles AS a ON a.id = hits.id JOIN captions AS c ON c.article_id = a.id
WHERE newsarchive_hit(:q, :author, 'captions', a.language, c.text)
ORDER BY {order}, c.position"""


def count_sql(target: str = "articles", filtered: bool = True) -> str:
    """How many match; not `filtered` (see articles_sql): without reading each match's article row."""
    if target != "comments" and not filtered:
        return f"SELECT count(*) AS count{_confident_matches(target)}"
    if target == "comments":
        return (
            f"SELECT count(*) AS count FROM {COMMENTS_FTS} JOIN comments AS c ON c.id = {COMMENTS_FTS}.rowid "
            f"JOIN articles AS a ON a.id = c.article_id WHERE {COMMENTS_FTS} MATCH {_match(target)}{_COMMENT_FILTERS}"
        )
    return (
        f"SELECT count(*) AS count FROM {ARTICLES_FTS} JOIN articles AS a ON a.id = {ARTICLES_FTS}.rowid "
        f"WHERE {ARTICLES_FTS} MATCH {_match(target)}{_ARTICLE_FILTERS}"
    )


def selection_sql(matching: bool) -> str:
    """Ids of every article the filters select, oldest id first and with no limit (what an export
    takes); with `matching`, only those the query (or the author) matches.  Parameters: q, author
    and the filters, as for the searches."""
    if not matching:
        return f"SELECT a.id FROM articles AS a WHERE 1{_ARTICLE_FILTERS}\nORDER BY a.id"
    return (
        f"SELECT a.id FROM {ARTICLES_FTS} JOIN articles AS a ON a.id = {ARTICLES_FTS}.rowid "
        f"WHERE {ARTICLES_FTS} MATCH {_match('articles')}{_ARTICLE_FILTERS}\nORDER BY a.id"
    )


def selection(query: str | None, filters: Filters) -> tuple[str, dict[str, Any]]:
    """(SQL, parameters) of the ids of every article `query` and `filters` select (see
    selection_sql); QueryError for a malformed query.  An empty query with no author: all articles
    the filters let through."""
    matching = bool((query or "").strip() or filters.author)
    if matching:
        compile_query(query or "", "articles", filters.author)  # raises QueryError before any SQL runs
    return selection_sql(matching), {"q": query or "", **filters.params()}


FACETS = ("year", "section", "language")


def facets_sql() -> str:
    """Counts of the matching articles per year, section and language (the whole match set)."""
    return f"""WITH m AS MATERIALIZED (
  SELECT substr(a.published, 1, 4) AS year, a.section, a.language
  FROM {ARTICLES_FTS} JOIN articles AS a ON a.id = {ARTICLES_FTS}.rowid
  WHERE {ARTICLES_FTS} MATCH {_match('articles')}{_ARTICLE_FILTERS}
)
SELECT 'year' AS facet, year AS value, count(*) AS count FROM m GROUP BY year
UNION ALL SELECT 'section', section, count(*) FROM m GROUP BY section
UNION ALL SELECT 'language', language, count(*) FROM m GROUP BY language
ORDER BY facet, count DESC, value"""


# --- snippets ---------------------------------------------------------------------------------


def _marked(tokens: Sequence[Token], highlights: Iterable[Highlight], column: str) -> set[int]:
    """Indexes of the tokens a (non-negated) query term matches in `column`."""
    keys = [t.key for t in tokens]
    positions: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        positions.setdefault(k, []).append(i)
    marked: set[int] = set()
    for h in highlights:
        if h.columns is not None and column not in h.columns:
            continue
        for seq in h.sequences:
            n = len(seq)
            if n == 1 and h.prefix:
                marked.update(i for i, k in enumerate(keys) if k.startswith(seq[0]))
                continue
            starts = positions.get(seq[0], []) if n > 1 or not h.prefix else []
            for i in starts:
                body, last = keys[i:i + n - 1], keys[i + n - 1] if i + n - 1 < len(keys) else None
                if last is None or tuple(body) != seq[:-1]:
                    continue
                if (last.startswith(seq[-1]) if h.prefix else last == seq[-1]):
                    marked.update(range(i, i + n))
    return marked


def _render(text: str, tokens: Sequence[Token], marked: set[int], first: int, last: int) -> tuple[str, list[list[int]]]:
    """Tokens first..last of `text` on one line, "…" where cut, and the marked ranges in it."""
    out: list[str] = ["…"] if first > 0 else []
    length = len(out[0]) if out else 0
    ranges: list[list[int]] = []
    prev_end = tokens[first].start if first > 0 else 0
    for i in range(first, last + 1):
        tok = tokens[i]
        gap = _SPACE.sub(" ", text[prev_end:tok.start])
        if i == first and first == 0:
            gap = gap.lstrip()
        out.append(gap)
        length += len(gap)
        word = text[tok.start:tok.end]
        if i in marked:
            if ranges and ranges[-1][1] == length - len(gap) and not gap.strip() and i - 1 in marked:
                ranges[-1][1] = length + len(word)  # a phrase: one range
            else:
                ranges.append([length, length + len(word)])
        out.append(word)
        length += len(word)
        prev_end = tok.end
    if last + 1 < len(tokens):
        tail = text[prev_end:tokens[last + 1].start]
        out.append(tail[:1] if tail[:1] in ".,;:!?" else "")
        out.append("…")
    else:
        out.append(_SPACE.sub(" ", text[prev_end:]).rstrip())
    return "".join(out), ranges


def _window(tokens: Sequence[Token], marked: set[int], size: int) -> tuple[int, int]:
    """The `size` tokens holding the most distinct matched keys (then the most matches), earliest."""
    if len(tokens) <= size or not marked:
        return 0, min(len(tokens), size) - 1
    best, best_score = 0, (-1, -1)
    ordered = sorted(marked)
    for m in ordered:
        start = max(0, min(m - 3, len(tokens) - size))  # a little context before the first match
        # the marked tokens in [start, start + size): a slice, not a scan (a scan was quadratic)
        inside = ordered[bisect_left(ordered, start):bisect_left(ordered, start + size)]
        score = (len({tokens[i].key for i in inside}), len(inside))
        if score > best_score:
            best, best_score = start, score
    return best, best + size - 1


@dataclass
class Snippet:
    text: str
    highlights: list[list[int]]
    field: str  # where it was cut from: body, captions, comments, text
    title: str = ""
    title_highlights: list[list[int]] = dataclasses.field(default_factory=list)


def make_snippet(
    compiled: Compiled,
    lang: str | None,
    fields: Sequence[tuple[str, str | None]],
    title: str | None = None,
    size: int = SNIPPET_TOKENS,
) -> Snippet:
    """The best snippet among `fields` ((column, text) in order of preference), and the title's
    highlights.  A field wins by the number of distinct query words it shows, then matches."""
    best: tuple[tuple[int, int], str, str, list[Token], set[int]] | None = None
    for column, text in fields:
        tokens = analyze(text, lang)
        if not tokens:
            continue
        marked = _marked(tokens, compiled.highlights, column)
        score = (len({tokens[i].key for i in marked}), len(marked))
        if best is None or score > best[0]:
            best = (score, column, text or "", tokens, marked)
    snippet = Snippet("", [], fields[0][0] if fields else "body")
    if best is not None:
        _, column, text, tokens, marked = best
        first, last = _window(tokens, marked, size)
        snippet.text, snippet.highlights = _render(text, tokens, marked, first, last)
        snippet.field = column
    if title:
        tokens = analyze(title, lang)
        if tokens:
            marked = _marked(tokens, compiled.highlights, "title")
            snippet.title, snippet.title_highlights = _render(title, tokens, marked, 0, len(tokens) - 1)
        else:
            snippet.title = _SPACE.sub(" ", title).strip()
    return snippet


def highlight_ranges(
    query: str | None, lang: str | None, column: str, text: str | None, target: str = "articles"
) -> list[tuple[int, int]]:
    """Character ranges of `text` (as stored) that the query's words match in `column`; a phrase
    is one range.  Nothing for an empty or malformed query."""
    if not query or not query.strip() or not text:
        return []
    try:
        compiled = compile_query(query, target)
    except QueryError:
        return []
    tokens = analyze(text, lang)
    marked = _marked(tokens, compiled.highlights, column)
    ranges: list[tuple[int, int]] = []
    for i in sorted(marked):
        tok = tokens[i]
        if ranges and i - 1 in marked and not text[ranges[-1][1]:tok.start].strip():
            ranges[-1] = (ranges[-1][0], tok.end)
        else:
            ranges.append((tok.start, tok.end))
    return ranges


def snippet_json(
    query: str | None,
    author: str | None,
    target: str,
    lang: str | None,
    title: str | None,
    body: str | None,
    captions: str | None,
    comments: str | None,
) -> str:
    """What the SQL function newsarchive_snippet returns: the snippet as JSON."""
    title, body, captions, comments = (_bounded(t) for t in (title, body, captions, comments))
    try:
        compiled = compile_query(query or "", target, author or None)
    except QueryError:
        return json.dumps({"text": "", "highlights": [], "field": "", "title": title or "", "title_highlights": []})
    if target == "comments":
        snippet = make_snippet(compiled, lang, [("text", body)], size=COMMENT_SNIPPET_TOKENS)
    elif target == "captions":
        snippet = make_snippet(compiled, lang, [("captions", captions)], size=COMMENT_SNIPPET_TOKENS)
    else:
        fields = [("body", body), ("captions", captions), ("comments", comments)]
        snippet = make_snippet(compiled, lang, fields, title=title)
    return json.dumps(asdict(snippet), ensure_ascii=False)


def _bounded(text: str | None) -> str | None:
    """At most MAX_FUNCTION_TEXT characters of a SQL function's text argument."""
    return text[:MAX_FUNCTION_TEXT] if text is not None and len(text) > MAX_FUNCTION_TEXT else text


def _match_or_nothing(query: str | None, author: str | None, target: str) -> str:
    try:
        return compile_query(query or "", target, author or None).match
    except QueryError:
        return '""'  # an empty phrase: matches nothing (the error is shown by newsarchive_error)


def query_error(query: str | None, author: str | None, target: str) -> str | None:
    """The one-line QueryError message for this query, or None when it is fine."""
    try:
        compile_query(query or "", target, author or None)
    except QueryError as exc:
        return str(exc)
    return None


def _hit(query: str | None, author: str | None, target: str, lang: str | None, text: str | None) -> int:
    try:
        compiled = compile_query(query or "", target, author or None)
    except QueryError:
        return 0
    return int(bool(_marked(analyze(_bounded(text), lang), compiled.highlights, target)))


def register_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions the search SQL calls (the CLI's connection and Datasette's alike)."""
    conn.create_function("newsarchive_match", 3, _match_or_nothing, deterministic=True)
    conn.create_function("newsarchive_error", 3, query_error, deterministic=True)
    conn.create_function("newsarchive_snippet", 8, snippet_json, deterministic=True)
    conn.create_function("newsarchive_hit", 5, _hit, deterministic=True)


# --- results ----------------------------------------------------------------------------------


@dataclass
class SearchHit:
    id: int
    key: str
    url: str
    title: str | None
    published: str | None
    language: str | None
    section: str | None
    site: str | None
    snippet: str
    score: float  # -bm25 with the index's column weights: higher is better
    highlights: list[tuple[int, int]] = dataclasses.field(default_factory=list)
    field: str = "body"  # where the snippet comes from: body, captions or comments
    title_highlights: list[tuple[int, int]] = dataclasses.field(default_factory=list)
    comment_count: int = 0


@dataclass
class CommentHit:
    id: int
    comment_id: str
    author: str | None
    published: str | None
    article_id: int
    article_key: str
    article_url: str
    article_title: str | None
    snippet: str
    score: float
    highlights: list[tuple[int, int]] = dataclasses.field(default_factory=list)
    parent_id: str | None = None


@dataclass
class CaptionHit:
    id: int
    position: int
    image_url: str | None
    credit: str | None
    article_id: int
    article_key: str
    article_url: str
    article_title: str | None
    published: str | None
    snippet: str
    score: float
    highlights: list[tuple[int, int]] = dataclasses.field(default_factory=list)


Hit = SearchHit | CommentHit | CaptionHit
NO_FILTERS = Filters()
# target -> (its SQL by sort and `Filters.filtered`, its hit): a hit is built from its row by column name.
_TARGETS: dict[str, tuple[Callable[[str, bool], str], type[Hit]]] = {
    "articles": (articles_sql, SearchHit),
    "comments": (lambda sort, _filtered: comments_sql(sort), CommentHit),  # its filters join the articles
    "captions": (captions_sql, CaptionHit),
}


def _ranges(value: Any) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in value]


def _rows(archive: Archive, sql: str, params: dict[str, Any]) -> list[sqlite3.Row]:
    register_functions(archive.conn)
    cur = archive.conn.execute(sql, params)
    cur.row_factory = sqlite3.Row
    return cur.fetchall()


def _params(query: str, filters: Filters, target: str, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    if target not in TARGETS:
        raise QueryError(f"unknown search target {target!r}: use articles, comments or captions")
    if limit < 1 or offset < 0:
        raise QueryError("limit must be at least 1 and offset at least 0")
    compile_query(query, target, filters.author)  # raises QueryError before any SQL runs
    return {"q": query, **filters.params(), "limit": limit, "offset": offset}


def _check_sort(sort: str) -> str:
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}: use relevance or date")
    return sort


def _hit_of(kind: type[Hit], row: sqlite3.Row) -> Hit:
    """The hit of a result row: its columns by name, the snippet's text and ranges from its JSON."""
    snippet = json.loads(row["snippet"])
    values = {
        **dict(row),
        "snippet": snippet["text"], "highlights": _ranges(snippet["highlights"]), "score": float(row["score"]),
        "field": snippet["field"], "title_highlights": _ranges(snippet["title_highlights"]),
    }
    return kind(**{f.name: values[f.name] for f in dataclasses.fields(kind) if f.name in values})


@dataclass(frozen=True)
class SearchInfo:
    """How an answer was ranked: exactly (FTS5's bm25 over every match), or among candidates."""

    exact: bool  # the order is bm25's over every match
    matches: int | None = None  # how many articles match, when it was counted
    ranked_among: int | None = None  # when not exact: the top-k index's best candidates ranked

    def notice(self) -> str | None:
        """One line for a reader when the answer is approximate, else None."""
        if self.exact:
            return None
        return (f"approximate: ranked among the {self.ranked_among:,} best candidates of the top-k index "
                f"of {self.matches:,} matches (--exact ranks every match)")

    def as_json(self) -> dict[str, Any]:
        return {"exact": self.exact, "matches": self.matches, "ranked_among": self.ranked_among}


EXACT = SearchInfo(exact=True)


def _fast(
    archive: Archive, query: str, filters: Filters, limit: int, offset: int, settings: TopK
) -> tuple[list[SearchHit], SearchInfo] | int | None:
    """The top-k path (archive/search/topk.py); else the answer must come from FTS5: the match
    count when fewer matches than the threshold, None for no index in step, a filter, a prefix or
    phrase.  Pages past the candidates go on with the other matches in FTS5's order, so that no
    page repeats or skips a result at the boundary."""
    if not settings.enabled or filters != NO_FILTERS:
        return None
    index = topk.fresh_index(archive.conn)
    if index is None:
        return None
    tree = compile_query(query, "articles", None).tree
    if topk.to_query(tree, index.schema) is None:
        return None
    phrases = bm25.phrases(tree)
    weights = bm25.idf(archive.conn, phrases)
    by_key = {p.keys[0]: w for p, w in zip(phrases, weights, strict=True)}
    found = topk.candidates(index, tree, settings.candidates, by_key)
    if found is None:
        return None
    if found.matches < settings.threshold:
        return found.matches  # FTS5 ranks these quickly, and exactly
    scored = bm25.score(archive.conn, tree, found.ids, weights)
    if len(scored) < min(offset + limit, found.matches, len(found.ids)):
        return None  # the index is behind this reader's snapshot: some candidates no longer match
    ranked = [(s.id, s.score) for s in scored]
    hits = ranked_hits(archive, query, filters, ranked, limit, offset) if offset < len(ranked) else []
    beyond = offset + limit - max(offset, len(ranked))  # how many of the page come after the candidates
    if beyond > 0 and found.matches > len(ranked):
        hits += _ranked_rows(archive, beyond_ranked_sql(), query, filters, ranked, beyond,
                             max(0, offset - len(ranked)))
    exact = len(found.ids) >= found.matches  # every match was a candidate
    return hits, SearchInfo(exact, found.matches, None if exact else len(found.ids))


def ranked_hits(
    archive: Archive, query: str, filters: Filters, ranked: Sequence[tuple[int, float]], limit: int, offset: int = 0
) -> list[SearchHit]:
    """The hits, with their snippets, of articles already ranked ((id, score), best first): those
    the filters let through, `limit` from `offset`."""
    return _ranked_rows(archive, ranked_articles_sql(), query, filters, ranked, limit, offset)


def _ranked_rows(archive: Archive, sql: str, query: str, filters: Filters, ranked: Sequence[tuple[int, float]],
                 limit: int, offset: int) -> list[SearchHit]:
    params = {"q": query, **filters.params(), "limit": limit, "offset": offset,
              "ranked": json.dumps([[i, score] for i, score in ranked])}
    return [SearchHit(**vars(_hit_of(SearchHit, row))) for row in _rows(archive, sql, params)]


def search_info(
    archive: Archive,
    query: str,
    filters: Filters = NO_FILTERS,
    target: str = "articles",
    *,
    limit: int = 10,
    offset: int = 0,
    sort: str = "relevance",
    exact: bool = False,
    settings: TopK | None = None,
) -> tuple[list[Hit], SearchInfo]:
    """`search`, and how its answer was ranked.  Ranked by relevance, a broad query over the
    articles (at least `settings.threshold` matches, no filter) is ranked among the top-k index's
    best candidates when the index is in step: FTS5's own bm25 orders them, and the answer says
    when it may differ from FTS5 ranking every match; `exact` (or no index) ranks every match."""
    params = _params(query, filters, target, limit, offset)
    _check_sort(sort)
    info = EXACT
    if target == "articles" and sort == "relevance" and not exact:
        fast = _fast(archive, query, filters, limit, offset, settings or TopK())
        if isinstance(fast, tuple):
            return list(fast[0]), fast[1]
        if fast is not None:
            info = SearchInfo(exact=True, matches=fast)
    sql, kind = _TARGETS[target]
    return [_hit_of(kind, row) for row in _rows(archive, sql(sort, filters.filtered), params)], info


@overload
def search(archive: Archive, query: str, filters: Filters = ..., target: Literal["articles"] = ..., *,
           limit: int = ..., offset: int = ..., sort: str = ..., exact: bool = ...) -> list[SearchHit]: ...
@overload
def search(archive: Archive, query: str, filters: Filters = ..., *, target: Literal["comments"],
           limit: int = ..., offset: int = ..., sort: str = ..., exact: bool = ...) -> list[CommentHit]: ...
@overload
def search(archive: Archive, query: str, filters: Filters = ..., *, target: Literal["captions"],
           limit: int = ..., offset: int = ..., sort: str = ..., exact: bool = ...) -> list[CaptionHit]: ...
@overload
def search(archive: Archive, query: str, filters: Filters, target: str, *,
           limit: int = ..., offset: int = ..., sort: str = ..., exact: bool = ...) -> list[Hit]: ...
def search(
    archive: Archive,
    query: str,
    filters: Filters = NO_FILTERS,
    target: str = "articles",
    *,
    limit: int = 10,
    offset: int = 0,
    sort: str = "relevance",
    exact: bool = False,
) -> list[Hit] | list[SearchHit] | list[CommentHit] | list[CaptionHit]:
    """What matches `query` in `target`, best first or newest first (`sort`):

    - articles: title, body, captions, comments and authors; bm25 weighs title over authors over
      body over captions over comments;
    - comments: reader comments alone, by their text or author name (author over text);
    - captions: image captions alone (every term looks in the captions): the matching captions of
      the `limit` best articles.

    A broad article query may be ranked among the top-k index's candidates (see `search_info`,
    which also says whether the answer is exact); `exact` ranks every match.
    """
    return search_info(archive, query, filters, target, limit=limit, offset=offset, sort=sort, exact=exact)[0]


def count(
    archive: Archive, query: str, filters: Filters = NO_FILTERS, target: str = "articles", *,
    exact: bool = False, settings: TopK | None = None,
) -> int:
    """How many articles (or comments, or articles by their captions) match, all pages together.
    With no filter, the top-k index counts the articles when it is in step (the same number: it
    holds the articles a default search shows, and matches as FTS5 does); `exact`: FTS5 counts."""
    params = _params(query, filters, target)
    if target == "articles" and filters == NO_FILTERS and not exact and (settings or TopK()).enabled:
        index = topk.fresh_index(archive.conn)
        counted = None if index is None else topk.count(index, compile_query(query, "articles", None).tree)
        if counted is not None:
            return counted
    return int(_rows(archive, count_sql(target, filters.filtered), params)[0]["count"])


def facets(
    archive: Archive, query: str, filters: Filters = NO_FILTERS, *, exact: bool = False, settings: TopK | None = None
) -> dict[str, dict[str, int]]:
    """Matching articles counted per year, section and language (most first, then by value).
    With no filter, the top-k index counts them when it is in step (the same counts, from its
    facet fields: archive/search/facet_index.py); `exact`: the SQL reads every match."""
    params = _params(query, filters, "articles")
    if filters == NO_FILTERS and not exact and (settings or TopK()).enabled:
        counted = indexed_facets(archive.conn, compile_query(query, "articles", None).tree)
        if counted is not None:
            return {name: _facet_order(counted.get(name, {})) for name in FACETS}
    out: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    for r in _rows(archive, facets_sql(), params):
        out[r["facet"]][r["value"] if r["value"] is not None else "(none)"] = int(r["count"])
    return out


def _facet_order(counts: dict[str | None, int]) -> dict[str, int]:
    """As facets_sql orders a facet: most first, then by value (NULL, shown "(none)", first)."""
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] is not None, kv[0] or ""))
    return {value if value is not None else "(none)": n for value, n in ordered}


def fts_query(text: str, target: str = "articles", author: str | None = None) -> str:
    """The FTS5 query `text` becomes over the normalised index (QueryError when malformed)."""
    return compile_query(text, target, author or None).match


def render_snippet(
    text: str, highlights: Sequence[Sequence[int]], before: str = "[", after: str = "]"
) -> str:
    """The snippet with each highlighted range wrapped in `before`/`after`."""
    out, pos = [], 0
    for start, end in highlights:
        out += [text[pos:start], before, text[start:end], after]
        pos = end
    out.append(text[pos:])
    return "".join(out)

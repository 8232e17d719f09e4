"""FTS5's bm25, computed for a few given articles: the same doubles ``ORDER BY rank`` sorts by.

FTS5 scores a row (sqlite's ext/fts5/fts5_aux.c, ``fts5Bm25Function``) as the sum over the
query's phrases of

    idf(p) * f(p) * (k1 + 1) / (f(p) + k1 * (1 - b + b * D / avgdl))

with k1 = 1.2, b = 0.75; f(p) the sum of the column weights of the phrase's instances in the row;
D the row's tokens (all columns); avgdl the table's tokens / rows; idf(p) = ln((N - n(p) + 0.5) /
(n(p) + 0.5)) (1e-6 when not positive), n(p) the rows holding the phrase (in its columns).  Here
n(p), N and the token counts come from FTS5 itself (a count per phrase; the table's averages
record; its docsize rows) and f(p) from the row's stored keys, so ranking candidates this way
gives FTS5's order without FTS5 scoring every match (tests/test_search_bm25.py checks the equality).
"""

from __future__ import annotations

import json
import math
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from archive.search.index import ARTICLE_COLUMNS, ARTICLES_FTS
from archive.search.query import And, Node, Not, Or, Term, _columns, _quote, term_sequences

K1, B = 1.2, 0.75
COLUMNS = tuple(c for c, _ in ARTICLE_COLUMNS)
WEIGHTS = tuple(w for _, w in ARTICLE_COLUMNS)


@dataclass(frozen=True)
class Phrase:
    keys: tuple[str, ...]
    prefix: bool
    columns: tuple[int, ...]  # column numbers it may match in
    fts: str  # the phrase alone, as FTS5 counts it (with its column filter)


def phrases(tree: Node, target: str = "articles") -> list[Phrase]:
    """The query's phrases in the order FTS5 numbers them (query.py's `_render` writes them so)."""
    out: list[Phrase] = []
    _collect(tree, target, out)
    return out


def _collect(node: Node, target: str, out: list[Phrase]) -> None:
    if isinstance(node, Term):
        names = _columns(node, target)
        cols = tuple(COLUMNS.index(c) for c in names) if names else tuple(range(len(COLUMNS)))
        for quoted, seq in sorted((_quote(s, node.prefix), s) for s in term_sequences(node)):
            out.append(Phrase(seq, node.prefix, cols, ("{" + " ".join(names) + "} : " if names else "") + quoted))
        return
    if isinstance(node, Not):
        _collect(node.item, target, out)
        return
    items = node.items if isinstance(node, Or) else (
        [i for i in node.items if not isinstance(i, Not)] + [i for i in node.items if isinstance(i, Not)]
    )
    for item in items:
        _collect(item, target, out)


def _varints(blob: bytes) -> list[int]:
    """SQLite's varints (sqlite3Fts5GetVarint): 7 bits a byte, high bit set on all but the last,
    the ninth byte whole."""
    out, i = [], 0
    while i < len(blob):
        value = 0
        for n in range(9):
            byte = blob[i]
            i += 1
            if n == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        out.append(value)
    return out


def _frequencies(texts: Sequence[str | None], found: Sequence[Phrase]) -> list[float]:
    """f(p) of each phrase in a row: its instances in each of its columns times the column's weight."""
    split: dict[int, list[str]] = {}

    def tokens(c: int) -> list[str]:
        if c not in split:
            split[c] = (texts[c] or "").split()
        return split[c]

    out = []
    for p in found:
        total = 0.0
        for c in p.columns:
            text = texts[c]
            if not text or p.keys[0] not in text:  # a substring test first: most columns do not hold it
                continue
            if len(p.keys) == 1 and not p.prefix:
                total += WEIGHTS[c] * tokens(c).count(p.keys[0])
            else:
                total += WEIGHTS[c] * _instances(tokens(c), p.keys, p.prefix)
        out.append(total)
    return out


def _instances(tokens: list[str], keys: tuple[str, ...], prefix: bool) -> int:
    """How many times the phrase occurs in a column's tokens (FTS5 counts overlapping ones)."""
    n = len(keys)
    if n == 1 and not prefix:
        return tokens.count(keys[0])
    last = keys[-1]
    found = 0
    for i in range(len(tokens) - n + 1):
        if tuple(tokens[i:i + n - 1]) != keys[:-1]:
            continue
        word = tokens[i + n - 1]
        if word.startswith(last) if prefix else word == last:
            found += 1
    return found


# What a row must hold to match: ("term", first phrase, phrases), ("or", parts) or ("and", parts, not-parts).
Plan = tuple[object, ...]


def _plan(node: Node, counter: list[int]) -> Plan:
    """`node` with its phrases numbered as `phrases` numbers them."""
    if isinstance(node, Term):
        first, n = counter[0], len(term_sequences(node))
        counter[0] += n
        return ("term", first, n)
    if isinstance(node, Or):
        return ("or", [_plan(i, counter) for i in node.items])
    assert isinstance(node, And)
    positive = [_plan(i, counter) for i in node.items if not isinstance(i, Not)]
    return ("and", positive, [_plan(i.item, counter) for i in node.items if isinstance(i, Not)])


def _matches(plan: Plan, present: Sequence[bool]) -> bool:
    """Whether a row holding the phrases `present` (by number) matches."""
    if plan[0] == "term":
        first, n = plan[1], plan[2]
        assert isinstance(first, int) and isinstance(n, int)
        return any(present[first:first + n])
    parts = plan[1]
    assert isinstance(parts, list)
    if plan[0] == "or":
        return any(_matches(p, present) for p in parts)
    negative = plan[2]
    assert isinstance(negative, list)
    return all(_matches(p, present) for p in parts) and not any(_matches(p, present) for p in negative)


@dataclass(frozen=True)
class Scored:
    id: int
    score: float  # -bm25: higher is better, as SearchHit.score


def idf(conn: sqlite3.Connection, found: Sequence[Phrase]) -> list[float]:
    """FTS5's idf of each phrase: ln((N - n + 0.5) / (n + 0.5)), 1e-6 when not positive."""
    n_row, _ = _averages(conn)
    out = []
    for p in found:
        hits = _rows_holding(conn, p.fts)
        value = math.log((n_row - hits + 0.5) / (hits + 0.5))
        out.append(value if value > 0.0 else 1e-6)
    return out


# Rows holding a phrase, per connection, until the archive changes: counting them walks the
# phrase's whole posting list (17 ms for a word in 316,000 of 1M articles), as FTS5 itself does
# for every query it ranks; a search server asks for the same words again and again.
_COUNTS: OrderedDict[int, tuple[sqlite3.Connection, tuple[int, int], dict[str, int]]] = OrderedDict()
_CONNECTIONS, _PHRASES = 8, 20_000
_COUNTS_LOCK = threading.Lock()


def _rows_holding(conn: sqlite3.Connection, fts: str) -> int:
    # data_version moves when another connection commits, total_changes with this one's writes:
    # the same pair means the same index, so the same count (connections do not weak-reference:
    # the entry holds its connection, so an id is never another connection's).
    state = (int(conn.execute("PRAGMA data_version").fetchone()[0]), conn.total_changes)
    with _COUNTS_LOCK:  # a web server's threads search at once
        entry = _COUNTS.get(id(conn))
        if entry is None or entry[0] is not conn or entry[1] != state or len(entry[2]) >= _PHRASES:
            entry = (conn, state, {})
            _COUNTS[id(conn)] = entry
            while len(_COUNTS) > _CONNECTIONS:
                _COUNTS.popitem(last=False)
        _COUNTS.move_to_end(id(conn))
    counts = entry[2]
    if fts not in counts:
        sql = f"SELECT count(*) FROM {ARTICLES_FTS} WHERE {ARTICLES_FTS} MATCH ?"
        counts[fts] = int(conn.execute(sql, (fts,)).fetchone()[0])
    return counts[fts]


def score(conn: sqlite3.Connection, tree: Node, ids: Sequence[int], weights: Sequence[float] | None = None,
          ) -> list[Scored]:
    """FTS5's bm25 (negated) of the articles `ids` that match `tree`, best first (ties: lower id);
    `weights`: the phrases' `idf` when already known."""
    found = phrases(tree)
    plan = _plan(tree, [0])
    _, avgdl = _averages(conn)
    idf_of = list(weights) if weights is not None else idf(conn, found)
    ids_json = json.dumps(list(ids))
    sizes = dict(conn.execute(
        f"SELECT id, sz FROM {ARTICLES_FTS}_docsize WHERE id IN (SELECT value FROM json_each(?))", (ids_json,)
    ).fetchall())
    out = []
    for row in conn.execute(
        f"SELECT id, {', '.join(f'c{i}' for i in range(len(COLUMNS)))} FROM {ARTICLES_FTS}_content "
        "WHERE id IN (SELECT value FROM json_each(?))", (ids_json,)
    ):
        freq = _frequencies(row[1:], found)
        if not _matches(plan, [f > 0 for f in freq]):
            continue
        d = float(sum(_varints(sizes.get(row[0], b""))))
        total = 0.0
        for i, f in enumerate(freq):
            total += idf_of[i] * ((f * (K1 + 1.0)) / (f + K1 * (1 - B + B * d / avgdl)))
        out.append(Scored(int(row[0]), total))
    out.sort(key=lambda s: (-s.score, s.id))
    return out


def _averages(conn: sqlite3.Connection) -> tuple[int, float]:
    """Rows and average tokens a row, from FTS5's averages record (its data table's row 1)."""
    row = conn.execute(f"SELECT block FROM {ARTICLES_FTS}_data WHERE id = 1").fetchone()
    values = _varints(bytes(row[0])) if row else [0]
    n_row = values[0]
    return n_row, (sum(values[1:]) / n_row if n_row else 1.0)

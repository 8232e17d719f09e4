"""The search query language: parsed into a small tree, then written out as a safe FTS5 query.

    words            Aliyev gas            every word must match (AND is implied)
    "phrases"        "oil price"           the words next to each other, in this order
    prefix*          negotiat*             any word starting so (at least 2 letters)
    AND / OR / NOT   oil OR gas NOT coal   upper case; NOT binds tightest, then AND, then OR
    -term            oil -coal             the same as NOT
    ( )              (oil OR gas) Baku     grouping
    field:term       title:Aliyev          title:, body:, captions:, comments:, author:
                     title:"oil price"  title:(oil OR gas)

Operators are upper case; "and", "or", "not" are ordinary words.  Inside a word, quotes and
brackets are plain characters (`NEAR(` is the word "near").  Nothing the user types reaches FTS5
as syntax: every word becomes the quoted keys of archive/search/normalize.py, and the operators are
written out by `render`, so a query either means what the table above says or is refused with a
``QueryError`` that says, in one line, what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from archive.errors import QueryError
from archive.search.normalize import prefix_variants, query_words, word_variants

MAX_TERMS = 32
MIN_PREFIX = 2
MAX_QUERY_CHARS = 2000
# Groups and NOTs inside each other: the parser and the writers recurse once per level, and
# Python's stack is finite (248 brackets were a RecursionError); no real query nests this deep.
MAX_DEPTH = 32
# The --author filter (and the canned queries' `author`): a long name is ~60 characters; a million
# words took 32 s to normalise.
MAX_AUTHOR_CHARS = 200
OPERATORS = ("AND", "OR", "NOT")
# Field names users type -> the field they mean.
FIELDS = {
    "title": "title", "body": "body", "text": "body",
    "caption": "captions", "captions": "captions",
    "comment": "comments", "comments": "comments",
    "author": "author", "authors": "author", "by": "author",
}
FIELD_HELP = "title:, body:, captions:, comments:, author:"
# What each kind of search can look in: field -> FTS column(s).
TARGETS: dict[str, dict[str, tuple[str, ...]]] = {
    "articles": {
        "title": ("title",), "body": ("body",), "captions": ("captions",), "comments": ("comments",),
        "author": ("authors",),
    },
    "comments": {"body": ("text",), "comments": ("text",), "author": ("author",)},
    "captions": {"captions": ("captions",)},
}
# Searching captions alone means every term looks in the captions column.
DEFAULT_COLUMNS: dict[str, tuple[str, ...] | None] = {"articles": None, "comments": None, "captions": ("captions",)}
# Keys of a phrase word per kind of text; a branch falls back when the word has no key for it.
_BRANCHES = {"en": ("en",), "az": ("az",), "ru": ("ru", "ru-name"), "ru-name": ("ru-name",),
             "ru-az": ("ru-az", "ru-name")}


# --- the tree ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    prefix: bool = False
    field: str | None = None
    phrase: bool = False  # typed in quotes

    def __str__(self) -> str:
        text = " ".join(self.words)
        text = f'"{text}"' if self.phrase or len(self.words) > 1 else text
        return (f"{self.field}:" if self.field else "") + text + ("*" if self.prefix else "")


@dataclass(frozen=True)
class Not:
    item: Node


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


Node = Term | Not | And | Or


# --- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tok:
    kind: str  # word, phrase, op, lparen, rparen, field, minus
    text: str
    pos: int
    prefix: bool = False


def _field_at(text: str, i: int) -> tuple[str, int] | None:
    """`name:` at i, when name is a run of letters; (name, index after the colon)."""
    j = i
    while j < len(text) and text[j].isalpha() and text[j].isascii():
        j += 1
    if j == i or j >= len(text) or text[j] != ":" or j - i > 20:
        return None
    return text[i:j], j + 1


def _lex(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    depth, i, n = 0, 0, len(text)
    term_start = True  # where a quote, bracket, minus or field name is syntax
    while i < n:
        ch = text[i]
        if ch.isspace():
            i, term_start = i + 1, True
            continue
        if term_start and ch == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise QueryError(f"unclosed quote: {text[i:i + 30]!r} needs a closing \"")
            prefix = end + 1 < n and text[end + 1] == "*"
            toks.append(_Tok("phrase", text[i + 1:end], i, prefix))
            i = end + 2 if prefix else end + 1
            term_start = False
            continue
        if term_start and ch == "(":
            toks.append(_Tok("lparen", ch, i))
            depth += 1
            i += 1
            continue
        if ch == ")" and (term_start or depth > 0):
            if depth == 0:
                raise QueryError(f"')' at position {i + 1} has no '(' to close")
            toks.append(_Tok("rparen", ch, i))
            depth -= 1
            i, term_start = i + 1, False
            continue
        if term_start and ch == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] != "-":
            toks.append(_Tok("minus", ch, i))
            i += 1
            continue
        if term_start:
            field = _field_at(text, i)
            if field is not None:
                name, after = field
                if name.lower() not in FIELDS:
                    raise QueryError(f"unknown field '{name}:'; the fields are {FIELD_HELP}")
                if after >= n or text[after].isspace() or text[after] == ")":
                    raise QueryError(f"'{name}:' needs a word, \"phrase\" or (group) right after it")
                toks.append(_Tok("field", FIELDS[name.lower()], i))
                i = after
                continue
        # A word: up to whitespace, or a ')' closing an open group.
        j = i
        while j < n and not text[j].isspace() and not (text[j] == ")" and depth > 0):
            j += 1
        word = text[i:j]
        if word in OPERATORS:
            toks.append(_Tok("op", word, i))
            i, term_start = j, True
            continue
        prefix = word.endswith("*")
        toks.append(_Tok("word", word.rstrip("*"), i, prefix))
        i, term_start = j, False
    if depth:
        raise QueryError("unclosed '(': add the ')' that closes the group")
    return toks


class _Parser:
    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = toks
        self.i = 0
        self.depth = 0  # groups and NOTs open around the current token

    def enter(self, tok: _Tok) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(
                f"query is nested deeper than {MAX_DEPTH} levels of brackets and NOTs (at position {tok.pos + 1})"
            )

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node | None:
        node = self.or_expr()
        tok = self.peek()
        if tok is not None:  # only a stray operator can be left over here
            raise QueryError(f"{tok.text} at position {tok.pos + 1} needs a search term on each side")
        return node

    def _operand(self, op: _Tok) -> Node:
        node = self.and_expr()
        if node is None:
            raise QueryError(f"{op.text} at position {op.pos + 1} needs a search term on each side")
        return node

    def or_expr(self) -> Node | None:
        first = self.and_expr()
        items = [first] if first is not None else []
        while (tok := self.peek()) is not None and tok.kind == "op" and tok.text == "OR":
            op = self.take()
            if first is None:
                raise QueryError(f"OR at position {op.pos + 1} needs a search term on each side")
            items.append(self._operand(op))
        return None if not items else items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self) -> Node | None:
        items: list[Node] = []
        while (tok := self.peek()) is not None:
            if tok.kind == "rparen" or (tok.kind == "op" and tok.text == "OR"):
                break
            if tok.kind == "op" and tok.text == "AND":
                op = self.take()
                nxt = self.peek()
                if not items or nxt is None or nxt.kind == "rparen" or (nxt.kind == "op" and nxt.text != "NOT"):
                    raise QueryError(f"AND at position {op.pos + 1} needs a search term on each side")
                continue
            node = self.unary()
            if node is not None:
                items.append(node)
        return None if not items else items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node | None:
        tok = self.take()
        if tok.kind in ("minus", "op"):  # NOT or -; AND/OR are handled by the callers
            nxt = self.peek()
            if nxt is None or (nxt.kind in ("rparen", "op") and not (nxt.kind == "op" and nxt.text == "NOT")):
                what = "NOT" if tok.kind == "op" else "'-'"
                raise QueryError(f"{what} at position {tok.pos + 1} needs a search term after it")
            self.enter(tok)
            item = self.unary()
            self.depth -= 1
            return None if item is None else Not(item)
        if tok.kind == "field":
            nxt = self.peek()
            if nxt is None or nxt.kind not in ("word", "phrase", "lparen"):
                raise QueryError(f"'{tok.text}:' needs a word, \"phrase\" or (group) right after it")
            item = self.primary(self.take())
            return None if item is None else _scoped(item, tok.text)
        return self.primary(tok)

    def primary(self, tok: _Tok) -> Node | None:
        if tok.kind == "lparen":
            self.enter(tok)
            inner = self.or_expr()
            self.depth -= 1
            close = self.peek()
            if close is None or close.kind != "rparen":
                raise QueryError(f"the '(' at position {tok.pos + 1} is not closed")
            self.take()
            if inner is None:
                raise QueryError(f"empty group '()' at position {tok.pos + 1}")
            return inner
        if tok.kind == "rparen":
            raise QueryError(f"')' at position {tok.pos + 1} has no '(' to close")
        words = tuple(query_words(tok.text))
        if not words:
            return None  # punctuation only: nothing the index holds
        if tok.prefix and len(words[-1]) < MIN_PREFIX:
            raise QueryError(f"'{tok.text}*' is too short a prefix: give at least {MIN_PREFIX} letters before *")
        return Term(words, prefix=tok.prefix, phrase=tok.kind == "phrase")


def _scoped(node: Node, field: str) -> Node:
    if isinstance(node, Term):
        if node.field is not None and node.field != field:
            raise QueryError(f"'{node}' cannot be inside '{field}:' too: use one field per term")
        return Term(node.words, node.prefix, field, node.phrase)
    if isinstance(node, Not):
        return Not(_scoped(node.item, field))
    if isinstance(node, And):
        return And(tuple(_scoped(i, field) for i in node.items))
    return Or(tuple(_scoped(i, field) for i in node.items))


def _terms(node: Node) -> list[Term]:
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return _terms(node.item)
    return [t for item in node.items for t in _terms(item)]


def parse(text: str) -> Node:
    """The query as a tree; QueryError (one line) when it cannot be read or holds nothing."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query is {len(text)} characters long; at most {MAX_QUERY_CHARS} are allowed")
    if not text.strip():
        raise QueryError("empty search query")
    node = _Parser(_lex(text)).parse()
    if node is None:
        raise QueryError(f"nothing to search for in {text!r}: use words or numbers")
    count = len(_terms(node))
    if count > MAX_TERMS:
        raise QueryError(f"query has {count} terms; at most {MAX_TERMS} are allowed")
    return node


# --- writing FTS5 -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Highlight:
    """What to mark in the original text: key sequences (one per way of spelling the term), in
    which columns (None: any), the last key being a prefix or not."""

    columns: tuple[str, ...] | None
    sequences: frozenset[tuple[str, ...]]
    prefix: bool


@dataclass(frozen=True)
class Compiled:
    query: str
    match: str  # the FTS5 MATCH expression over the normalised index
    highlights: tuple[Highlight, ...]
    tree: Node


def _quote(keys: tuple[str, ...], prefix: bool) -> str:
    return '"' + " ".join(keys).replace('"', '""') + '"' + ("*" if prefix else "")


@lru_cache(maxsize=4096)  # stemming every variant again took ms a term (top-k asks three times)
def term_sequences(term: Term) -> frozenset[tuple[str, ...]]:
    """Every key sequence the term may have in the index (one per language branch)."""
    if len(term.words) == 1:
        keys = prefix_variants(term.words[0]) if term.prefix else set(word_variants(term.words[0]).values())
        return frozenset((k,) for k in keys if k)
    variants = [word_variants(w) for w in term.words]
    seqs: set[tuple[str, ...]] = set()
    for fallbacks in _BRANCHES.values():
        seq = tuple(next((v[b] for b in fallbacks if b in v), v["en"]) for v in variants)
        if term.prefix:
            seqs |= {(*seq[:-1], p) for p in prefix_variants(term.words[-1])}
        else:
            seqs.add(seq)
    return frozenset(s for s in seqs if all(s))


def _columns(term: Term, target: str) -> tuple[str, ...] | None:
    if term.field is None:
        return DEFAULT_COLUMNS[target]
    columns = TARGETS[target].get(term.field)
    if columns is None:
        allowed = ", ".join(f"{f}:" for f in TARGETS[target])
        raise QueryError(f"'{term.field}:' cannot be used when searching {target} (use {allowed})")
    return columns


def _render(node: Node, target: str, out: list[Highlight], negated: bool) -> str:
    if isinstance(node, Term):
        seqs = term_sequences(node)
        columns = _columns(node, target)
        if not negated:
            out.append(Highlight(columns, seqs, node.prefix))
        alts = sorted(_quote(s, node.prefix) for s in seqs) or ['""']  # "" matches nothing
        expr = alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")"
        return "{" + " ".join(columns) + "} : " + expr if columns else expr
    if isinstance(node, Not):
        raise _lonely_not(node.item)
    if isinstance(node, Or):
        for item in node.items:
            if isinstance(item, Not):
                raise QueryError(
                    f"NOT {_plain(item.item)} cannot be one side of OR; write 'a NOT b' or '(a OR b) NOT c'"
                )
        return "(" + " OR ".join(_render(i, target, out, negated) for i in node.items) + ")"
    positive = [i for i in node.items if not isinstance(i, Not)]
    negative = [i.item for i in node.items if isinstance(i, Not)]
    if not positive:
        raise _lonely_not(negative[0])
    expr = "(" + " AND ".join(_render(i, target, out, negated) for i in positive) + ")"
    if negative:
        expr += " NOT (" + " OR ".join(_render(i, target, out, True) for i in negative) + ")"
        expr = "(" + expr + ")"
    return expr


def _lonely_not(item: Node) -> QueryError:
    return QueryError(f"NOT {_plain(item)} needs something to search for first, e.g. 'oil NOT {_plain(item)}'")


def _plain(node: Node) -> str:
    if isinstance(node, Term):
        return str(node)
    if isinstance(node, Not):
        return "NOT " + _plain(node.item)
    sep = " OR " if isinstance(node, Or) else " "
    return "(" + sep.join(_plain(i) for i in node.items) + ")"


@lru_cache(maxsize=1024)
def compile_query(text: str, target: str = "articles", author: str | None = None) -> Compiled:
    """Parses `text` and writes the FTS5 query for `target` (articles, comments or captions).

    `author` (the --author filter) is ANDed as an author:"..." phrase, so it matches names the
    same language-aware way.  Raises QueryError with a one-line explanation.
    """
    if target not in TARGETS:
        raise QueryError(f"unknown search target {target!r}")
    if author and len(author) > MAX_AUTHOR_CHARS:
        raise QueryError(f"the author is {len(author)} characters long; at most {MAX_AUTHOR_CHARS} are allowed")
    author_words = tuple(query_words(author or ""))
    if author and not author_words:
        raise QueryError(f"nothing to search for in the author {author!r}")
    if not text.strip() and author_words:
        tree: Node = Term(author_words, field="author", phrase=True)
    else:
        tree = parse(text)
        if author_words:
            tree = And((tree, Term(author_words, field="author", phrase=True)))
    highlights: list[Highlight] = []
    match = _render(tree, target, highlights, negated=False)
    return Compiled(text, match, tuple(highlights), tree)

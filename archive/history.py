"""How an article changed, when, with a readable diff (``newsarchive history URL_OR_ID`` prints it).

Built from the article's current row, its earlier states (``article_versions``), its comments
(each with the time it was first archived) and the earlier texts of edited comments
(``comment_versions``); see archive/versions.py.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any

from archive.errors import ArticleNotFoundError
from archive.read import find_article_id
from archive.store import Archive
from archive.words import plural

_STATE_COLUMNS = (
    "url, canonical_url, section, title, authors, published, published_raw, modified, modified_raw, body, "
    "tags, is_partial, extractor_version"
)


@dataclass
class Event:
    at: str  # when the archive saw it (a fetch time, UTC)
    what: str  # first_archived, changed, comments, comment_edited, gone
    summary: str
    lines: list[str] = field(default_factory=list)  # the diff, ready to print


@dataclass
class History:
    article_id: int
    url: str
    title: str | None
    versions: int
    events: list[Event]


def _state(row: dict[str, Any], captions: list[dict[str, Any]]) -> dict[str, Any]:
    state = dict(row)
    state["authors"] = json.loads(state["authors"])
    state["tags"] = json.loads(state["tags"])
    state["is_partial"] = bool(state["is_partial"])
    state["captions"] = [
        c["text"] + (f" ({c['credit']})" if c.get("credit") else "") for c in captions
    ]
    return state


def _rows(archive: Archive, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
    cur = archive.conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _word_diff(old: str, new: str) -> str:
    """'… [-removed words-]{+added words+} …', like git's word diff."""
    a, b = old.split(), new.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(a[i1:i2])
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


def _text_diff(label: str, old: str, new: str) -> list[str]:
    """Paragraph by paragraph: removed (-), added (+), and changed ones as a word diff (~)."""
    a = [p for p in old.split("\n\n") if p.strip()]
    b = [p for p in new.split("\n\n") if p.strip()]
    lines = [f"{label}:"]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and i2 - i1 == j2 - j1:
            lines += [f"  ~ ¶{j1 + k + 1}: {_word_diff(a[i1 + k], b[j1 + k])}" for k in range(i2 - i1)]
            continue
        lines += [f"  - ¶{i1 + k + 1}: {p}" for k, p in enumerate(a[i1:i2])]
        lines += [f"  + ¶{j1 + k + 1}: {p}" for k, p in enumerate(b[j1:j2])]
    return lines


def _shown(value: Any) -> str:
    if value is None or value == [] or value == "":
        return "(none)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def state_diff(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Readable lines for what differs between two states of an article."""
    lines: list[str] = []
    if old.get("title") and new.get("title") and old["title"] != new["title"]:
        lines.append(f"title: {_word_diff(old['title'], new['title'])}")
    for key in ("title", "url", "section", "authors", "published", "modified", "tags", "is_partial",
                "extractor_version"):
        if old.get(key) != new.get(key) and not (key == "title" and lines):
            lines.append(f"{key}: {_shown(old.get(key))}  →  {_shown(new.get(key))}")
    if old.get("body") != new.get("body"):
        lines += _text_diff("body", old.get("body") or "", new.get("body") or "")
    if old.get("captions") != new.get("captions"):
        lines += _text_diff("captions", "\n\n".join(old["captions"]), "\n\n".join(new["captions"]))
    return lines or ["(no visible difference: the extraction's hash changed)"]


def article_history(archive: Archive, url_or_id: str | int) -> History:
    article_id = find_article_id(archive, url_or_id)
    if article_id is None:
        raise ArticleNotFoundError(f"no article with id, key or URL {url_or_id!r}")
    current = _rows(
        archive,
        f"SELECT {_STATE_COLUMNS}, first_seen, version, version_since, gone_since, gone_reason "
        "FROM articles WHERE id = ?",
        (article_id,),
    )[0]
    captions = _rows(archive, "SELECT text, credit FROM captions WHERE article_id = ? ORDER BY position",
                     (article_id,))
    versions = _rows(
        archive,
        f"SELECT {_STATE_COLUMNS}, captions, version, valid_from, replaced FROM article_versions "
        "WHERE article_id = ? ORDER BY version",
        (article_id,),
    )
    states = [_state({k: v[k] for k in v if k not in ("captions", "version", "valid_from", "replaced")},
                     json.loads(v["captions"])) for v in versions]
    states.append(_state({k: current[k] for k in current if k not in (
        "first_seen", "version", "version_since", "gone_since", "gone_reason")}, captions))
    events = [Event(current["first_seen"], "first_archived",
                    f"first archived: \"{states[0]['title']}\" (version 1)")]
    for n, version in enumerate(versions):
        events.append(Event(version["replaced"], "changed", f"changed: version {n + 1} → {n + 2}",
                            state_diff(states[n], states[n + 1])))
    events += _comment_events(archive, article_id, current["first_seen"])
    if current["gone_since"]:
        events.append(Event(current["gone_since"], "gone",
                            f"taken down ({current['gone_reason']}); the archived text is kept"))
    events.sort(key=lambda e: (e.at, e.what != "first_archived"))
    return History(article_id, current["url"], current["title"], len(versions) + 1, events)


def _comment_events(archive: Archive, article_id: int, first_seen: str) -> list[Event]:
    events: list[Event] = []
    comments = _rows(archive, "SELECT comment_id, author, text, first_seen FROM comments "
                     "WHERE article_id = ? ORDER BY id", (article_id,))
    by_time: dict[str, list[dict[str, Any]]] = {}
    for c in comments:
        by_time.setdefault(c["first_seen"] or first_seen, []).append(c)
    for at, batch in by_time.items():
        first = at <= first_seen
        lines = [f"+ #{c['comment_id']} {c['author'] or '(anonymous)'}: {c['text']}" for c in batch]
        summary = plural(len(batch), "comment") + (" archived with the article" if first else " added")
        events.append(Event(at, "comments", summary, [] if first else lines))
    for v in _rows(archive, "SELECT comment_id, author, text, replaced FROM comment_versions "
                   "WHERE article_id = ? ORDER BY id", (article_id,)):
        now = archive.conn.execute(
            "SELECT text FROM comments WHERE article_id = ? AND comment_id = ?", (article_id, v["comment_id"])
        ).fetchone()
        events.append(Event(v["replaced"], "comment_edited", f"comment #{v['comment_id']} edited",
                            [f"~ {_word_diff(v['text'], now[0] if now else '')}"]))
    return events


def render(history: History) -> str:
    out = [f"{history.title or '(no title)'}", f"{history.url}  (id {history.article_id}, "
           f"{plural(history.versions, 'version')})", ""]
    for event in history.events:
        out.append(f"{event.at[:19].replace('T', ' ')} UTC  {event.summary}")
        out += [f"    {line}" for line in event.lines]
    return "\n".join(out)

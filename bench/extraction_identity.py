"""Same pages in, same fields out: the generic extractor's output on every page of the dev sets,
saved from one version of the code and compared with another's (a speed-up must change nothing).

    .venv/bin/python bench/extraction_identity.py --save /tmp/ref.jsonl --code /work/wt-ref   # reference
    .venv/bin/python bench/extraction_identity.py --against /tmp/ref.jsonl                   # this tree

Each page is parsed as a generic crawl's candidate is (``parse_candidate``: the Article, then the
page-type check on the same tree, scrapers/parsers/parse.py): every field the Article holds (body,
dates with their raw strings and sources, title, authors, captions with credits, comments with
theirs, tags, alternates...) and the page type with its score, reasons and veto are written as one
JSON line a page. ``--code DIR`` imports the parsers from another checkout (a ``git worktree`` of
the reference commit), so both sides run under this tree's interpreter and libraries. It prints how
many pages differ, out of how many, and the first differences field by field; it exits 1 when any
page differs.

Imports only the standard library at the top: the parsers are imported once ``--code`` has decided
where from.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETS = ROOT.parent / "shared" / "datasets"
SETS = ("wcxb-dev", "dragnet")
# Stamped by version, not produced from the page: a reference of an older version still compares.
UNCOMPARED = ("extractor_version",)


def plain(value: Any) -> Any:
    """A field as JSON holds it: datetimes with their offset, dataclasses as dicts, tuples as lists."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def extracted(parse: Any, seen: dict[str, Any], html: str, url: str) -> dict[str, Any]:
    """Everything the generic path reads from one page: ``parse_candidate`` runs as in a crawl, and
    the Article and the page-type check it made on the way are kept (see :func:`run`)."""
    seen.clear()
    parse.parse_candidate(html, url)
    article, found = seen["article"], seen["page_type"]
    fields = {k: v for k, v in plain(article.to_dict()).items() if k not in UNCOMPARED}
    fields["page_type_check"] = {
        "kind": found.kind, "score": found.score, "reasons": list(found.reasons), "veto": found.veto,
    }  # fmt: skip
    return fields


def _kept(function: Callable[..., Any], seen: dict[str, Any], name: str) -> Callable[..., Any]:
    """``function``, keeping what it returns in ``seen[name]``."""

    def keeping(*args: Any, **kwargs: Any) -> Any:
        seen[name] = found = function(*args, **kwargs)
        return found

    return keeping


def pages(sets: Path, limit: int | None) -> Iterator[tuple[str, str, str]]:
    """(key, html, url) of every page of both sets, every page type."""
    sys.path.insert(0, str(ROOT))
    labelled_pages = importlib.import_module("bench.extraction").labelled_pages
    for name in SETS:
        for page, html in labelled_pages(sets / name, limit):
            yield f"{name}/{page['id']}", html, page["url"] or ""


def run(sets: Path, limit: int | None, code: Path | None) -> Iterator[dict[str, Any]]:
    """Each page's key and fields, extracted by the parsers of ``code`` (default: this tree)."""
    sys.path.insert(0, str(code or ROOT))
    parse = importlib.import_module("scrapers.parsers.parse")
    print(f"parsers from {Path(parse.__file__).parent}", file=sys.stderr)
    # parse_candidate's own steps, wrapped where it looks them up: whatever each version passes
    # between them, the Article (with a vetoed page's fields too) and the check are both kept.
    seen: dict[str, Any] = {}
    parse.article_from = _kept(parse.article_from, seen, "article")
    parse.classify = _kept(parse.classify, seen, "page_type")
    for key, html, url in pages(sets, limit):
        yield {"key": key, **extracted(parse, seen, html, url)}


def differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The fields that differ, each with both values (shortened)."""
    shown = []
    for field in sorted(set(old) | set(new)):
        if old.get(field) != new.get(field):
            shown.append(f"  {field}: {_short(old.get(field))} -> {_short(new.get(field))}")
    return shown


def _as_saved(row: dict[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(json.dumps(row, ensure_ascii=False))
    return loaded


def _short(value: Any, width: int = 300) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 20] + f"... ({len(text)} chars)"


def compare(reference: Path, rows: Iterator[dict[str, Any]], show: int) -> int:
    """Pages that differ from the reference (printed: the first ``show`` of them, field by field)."""
    with reference.open(encoding="utf-8") as lines:
        saved = {row["key"]: row for row in map(json.loads, lines)}
    differ = total = 0
    for row in map(_as_saved, rows):
        total += 1
        old = saved.pop(row["key"], None)
        if old == row:
            continue
        differ += 1
        if differ <= show:
            print(f"{row['key']}:" + (" not in the reference" if old is None else ""))
            print("\n".join(differences(old or {}, row)))
    print(f"{differ} of {total} pages differ from {reference}" + (f"; {len(saved)} pages missing" if saved else ""))
    return differ + len(saved)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", type=Path, default=DEFAULT_SETS, help="folder holding wcxb-dev and dragnet")
    parser.add_argument("--code", type=Path, help="a checkout whose parsers to run (default: this tree)")
    parser.add_argument("--limit", type=int, help="only the first N pages of each set")
    parser.add_argument("--show", type=int, default=5, help="how many differing pages to print")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--save", type=Path, help="write every page's fields there (JSONL)")
    what.add_argument("--against", type=Path, help="compare every page's fields with this saved JSONL")
    args = parser.parse_args()

    rows = run(args.sets, args.limit, args.code)
    if args.against:
        return 1 if compare(args.against, rows, args.show) else 0
    written = 0
    with args.save.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
            written += 1
    print(f"{written} pages written to {args.save}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The page-type check alone on the labelled sets' saved pages: no server, no crawl (minutes, not an hour).

    .venv/bin/python bench/pagetype_direct.py --sets ../shared/datasets [--only wcxb-dev] [--cache F]

Each page goes through what the parse pipeline runs on a generic crawl's candidate (the page-type
check of :func:`scrapers.parsers.parse.parse_candidate`, on the same body and date) at its harness
address (path and query, tracking parameters left out, as ``bench/generic_recall.py`` serves it),
then through the per-site evidence (:class:`scrapers.site_evidence.SiteEvidence`) in the sitemap's
order, one site at a time: close to what the crawl decides, without its other effects (fetch order
across sites, redirects, 404s). The figures are recall and precision of "article" at the default
``--min-confidence``, per half by domain (``A``/``B``, the harness's hash), and the wrong decisions
by labelled page type. ``--cache F`` keeps each page's classification, so ``--rescore`` reruns only
the site evidence and the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generic_recall import DEFAULT_SETS, SETS, default_min_confidence, load_sites  # noqa: E402
from scrapers.parsers.body import extract_body  # noqa: E402
from scrapers.parsers.dates import extract_dates  # noqa: E402
from scrapers.parsers.metadata import authors  # noqa: E402
from scrapers.parsers.pagetype import classify  # noqa: E402
from scrapers.parsers.parse import read_page  # noqa: E402
from scrapers.site_evidence import SiteEvidence  # noqa: E402


def classify_set(sets: Path, name: str, sample: int | None) -> list[dict[str, Any]]:
    sites, _ = load_sites(sets / name, sample)
    rows = []
    for port, site in enumerate(sites.values(), 10000):  # a site is an origin, as in the harness
        for target, page in site.pages.items():
            url = f"http://127.0.0.1:{port}{target}"
            parsed = read_page(page.html, url, content_type="text/html; charset=utf-8")
            body = extract_body(parsed)
            published = extract_dates(parsed, body).published
            found = classify(parsed, (body, published.source if published else None, authors(parsed)))
            rows.append(
                {
                    "id": page.id,
                    "host": page.host,
                    "url": url,
                    "type": page.page_type,
                    "half": page.half,
                    "veto": found.veto,
                    "confidence": round(found.confidence, 3),
                    "score": found.score,
                    "words": len(body.split()),
                    "reasons": list(found.reasons),
                }
            )
    return rows


def with_site_evidence(rows: list[dict[str, Any]], min_conf: float) -> None:
    """Each row's ``final`` confidence (None: not archived as an article), site by site as the pipeline does."""
    evidence = SiteEvidence()
    for row in rows:
        row["final"] = None
        if row["veto"]:
            continue
        confidence, _ = evidence.confidence(row["url"], row["confidence"], "sitemap")
        if confidence >= 0.2:  # PAGETYPE_MIN_CONFIDENCE: below it the pipeline keeps it as a page only
            evidence.learn(row["url"], confidence)
            row["final"] = confidence


def figures(rows: list[dict[str, Any]], min_conf: float) -> str:
    lines = []
    for label in ("all", "A", "B"):
        subset = [r for r in rows if label == "all" or r["half"] == label]
        kept = [r for r in subset if r["final"] is not None and r["final"] >= min_conf]
        right = sum(1 for r in kept if r["type"] == "article")
        articles = sum(1 for r in subset if r["type"] == "article")
        lines.append(
            f"  {label:4} recall {right / max(articles, 1):.3f} ({right}/{articles})  "
            f"precision {right / max(len(kept), 1):.3f} ({right}/{len(kept)})"
        )
    wrong = Counter(
        r["type"] for r in rows if r["type"] != "article" and r["final"] is not None and r["final"] >= min_conf
    )
    missed = Counter(
        "vetoed: " + r["veto"] if r["veto"] else "low confidence"
        for r in rows
        if r["type"] == "article" and (r["final"] is None or r["final"] < min_conf)
    )
    lines.append(f"  kept, not articles: {dict(wrong.most_common())}")
    lines.append(f"  articles missed: {dict(missed.most_common())}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", type=Path, default=DEFAULT_SETS)
    parser.add_argument("--only", action="append", choices=SETS)
    parser.add_argument("--sample", type=int, help="only the sites whose hash falls in N per mille")
    parser.add_argument("--cache", type=Path, help="keep (or with --rescore, read) each page's classification")
    parser.add_argument("--rescore", action="store_true", help="read --cache instead of classifying again")
    parser.add_argument("--min-confidence", type=float, default=None)
    args = parser.parse_args()
    if not (args.sets / "score.py").exists():
        print(f"no labelled sets at {args.sets}: nothing measured")
        return 0
    min_conf = default_min_confidence() if args.min_confidence is None else args.min_confidence
    cached: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if args.rescore and args.cache:
        cached.update(json.loads(args.cache.read_text()))
    for name in args.only or SETS:
        if name not in cached:
            cached[name] = classify_set(args.sets, name, args.sample)
        with_site_evidence(cached[name], min_conf)
        print(f"{name} (min confidence {min_conf:g}, {len(cached[name])} pages)\n{figures(cached[name], min_conf)}")
    if args.cache and not args.rescore:
        args.cache.write_text(json.dumps(cached))
    return 0


if __name__ == "__main__":
    sys.exit(main())

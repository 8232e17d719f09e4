"""Extraction quality and speed: our generic path against trafilatura, same machine, same run.

    .venv/bin/python bench/extraction.py                                   # ours only
    .venv/bin/python bench/extraction.py --trafilatura-python /tmp/trafvenv/bin/python
    .venv/bin/python bench/extraction.py --sets ../shared/datasets --only wcxb-articles --limit 200
    .venv/bin/python bench/extraction.py --cpu-only --code bdf94d4=/work/wt-old   # A/B speed against a worktree

Runs the labelled sets' own scorer (``SETS/score.py``, see ``SETS/README.md``) once per set and
extractor, in separate processes one after the other (never at the same time: the timings must
not share the CPU), and prints one table. Each set is also split in two halves by site (domain), the same way on every
run (a hash of the domain), and each half is printed beside the whole: a rule tuned on one half
must hold on the other (issue 16). The runs:

- ``wcxb-articles``: ``wcxb-dev --page-type article`` (body F1, date accuracy, speed)
- ``wcxb-all``: ``wcxb-dev``, every page type (body F1)
- ``dragnet``: ``dragnet`` (comments F1 and false alarms, body F1)

Ours is ``scrapers.parsers.evaluation:extract`` (``parse_article`` without a profile). Trafilatura
runs in its own virtualenv, never in the project's (its dependencies are not the project's):

    python3 -m venv /tmp/trafvenv
    /tmp/trafvenv/bin/pip install trafilatura==2.3.1 htmldate lxml_html_clean

and is called through :func:`trafilatura_extract` below, the way its documentation recommends for
full extraction: ``bare_extraction`` with metadata (htmldate, original date, extensive search) and
comments. When that interpreter is not given or cannot import trafilatura, its column says so.

This module imports nothing outside the standard library at the top, so the other interpreter can
import :func:`trafilatura_extract` from it.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETS = ROOT.parent / "shared" / "datasets"
OURS = "scrapers.parsers.evaluation:extract"
THEIRS = "bench.extraction:trafilatura_extract"


@dataclass(frozen=True)
class Run:
    name: str
    set_dir: str
    args: tuple[str, ...]


RUNS = (
    Run("wcxb-articles", "wcxb-dev", ("--page-type", "article")),
    Run("wcxb-all", "wcxb-dev", ()),
    Run("dragnet", "dragnet", ()),
)
# (label, run, key in the scorer's figures, format, target, higher is better)
ROWS = (
    ("body word F1, wcxb-dev articles", "wcxb-articles", "body_f1", "{:.3f}", ">= 0.960"),
    ("body word F1, wcxb-dev all types", "wcxb-all", "body_f1", "{:.3f}", ">= 0.860"),
    ("publication date, exact day, wcxb-dev", "wcxb-articles", "date_accuracy", "{:.3f}", ">= 0.920"),
    ("comments word F1, dragnet (with comments)", "dragnet", "comments_f1", "{:.3f}", ">= 0.850"),
    ("comment false alarms, dragnet (without)", "dragnet", "comments_false_alarm_rate", "{:.3f}", "<= 0.080"),
    ("body word F1, dragnet", "dragnet", "body_f1", "{:.3f}", "-"),
    ("speed, pages/s, wcxb-dev articles", "wcxb-articles", "pages_per_s", "{:.1f}", ">= trafilatura"),
    ("speed, pages/s, wcxb-dev all types", "wcxb-all", "pages_per_s", "{:.1f}", "-"),
)


def trafilatura_extract(html: str, url: str) -> dict[str, Any]:
    """The scorer's contract through trafilatura (imported here: only its interpreter has it)."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url or None, with_metadata=True, include_comments=True)
    if doc is None:
        return {"body": "", "published": None, "comments": []}
    comments = getattr(doc, "comments", None)
    return {
        "body": getattr(doc, "text", None) or "",
        "published": getattr(doc, "date", None),
        "comments": [comments] if comments else [],
    }


def score(python: str, callable_: str, sets: Path, run: Run, limit: int | None) -> dict[str, Any] | str:
    """The scorer's figures for one extractor on one run, or why there are none."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "figures.json"
        command = [python, str(sets / "score.py"), str(sets / run.set_dir), "--callable", callable_, *run.args]
        command += ["--json", str(out)] + (["--limit", str(limit)] if limit else [])
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if result.returncode != 0 or not out.exists():
            return f"failed: {(result.stderr or result.stdout).strip().splitlines()[-1:] or ['?']}"
        print(result.stdout.strip().splitlines()[0], file=sys.stderr)
        scored = json.loads(out.read_text())
        figures: dict[str, Any] = scored["figures"]
        figures["halves"] = half_figures(sets / run.set_dir, scored["rows"])
        return figures


HALVES = ("A", "B")
_CANONICAL = re.compile(r"<link[^>]+rel=[\"']?canonical[^>]*>|<meta[^>]+og:url[^>]*>", re.I)
_ADDRESS = re.compile(r"(?:href|content)=[\"']?(https?://[^\"'\s>]+)", re.I)
_LINK_HOST = re.compile(r"href=[\"']https?://([^\"'/\s>:]+)", re.I)
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"})


def site(host: str) -> str:
    """The site a host belongs to (blogs.nfl.com and www.nfl.com are one site; so are x.co.uk's hosts)."""
    labels = host.lower().strip(".").split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def page_site(set_dir: Path, row: dict[str, Any]) -> str:
    """The page's site: from its URL, else (sets without URLs) its canonical address, else the host
    its absolute links name most."""
    host = urlsplit(row.get("url") or "").hostname
    if not host:
        html = gzip.decompress((set_dir / "html" / f"{row['id']}.html.gz").read_bytes()).decode("utf-8", "replace")
        tag = _CANONICAL.search(html)
        address = _ADDRESS.search(tag.group(0)) if tag else None
        host = urlsplit(address.group(1)).hostname if address else None
        if not host:
            hosts = _LINK_HOST.findall(html)
            host = max(sorted(set(hosts)), key=hosts.count) if hosts else ""
    return site(host or "")


def half_of(site_name: str) -> str:
    """A or B, fixed by the site's name alone (so a site's pages are never split between halves)."""
    return HALVES[hashlib.sha256(site_name.encode()).digest()[0] % 2]


def half_figures(set_dir: Path, rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The scorer's headline figures recomputed on each half of its per-page rows."""
    split: dict[str, list[dict[str, Any]]] = {half: [] for half in HALVES}
    for row in rows:
        split[half_of(page_site(set_dir, row))].append(row)
    return {half: _figures(part) for half, part in split.items()}


def _figures(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def mean(key: str) -> float | None:
        values = [float(r[key]) for r in rows if key in r]
        return sum(values) / len(values) if values else None

    return {
        "pages": len(rows),
        "body_f1": mean("f1"),
        "date_accuracy": mean("date_ok"),
        "comments_f1": mean("comments_f1"),
        "comments_false_alarm_rate": mean("comments_false_alarm"),
    }


def importable(python: str) -> bool:
    check = subprocess.run([python, "-c", "import trafilatura"], capture_output=True, check=False)
    return check.returncode == 0


def table(results: dict[str, dict[str, dict[str, Any] | str]], columns: list[str]) -> str:
    lines = [
        "| measure | " + " | ".join(columns) + " | target |",
        "|---|" + "---|" * len(columns) + "---|",
    ]
    for label, run, key, fmt, target in ROWS:
        cells = [_cell(results.get(column, {}).get(run), key, fmt) for column in columns]
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")
    return "\n".join(lines)


def _cell(figures: dict[str, Any] | str | None, key: str, fmt: str) -> str:
    """The whole set's figure, then each half's (halves only for quality, not speed)."""
    if figures is None:
        return "not run"
    if isinstance(figures, str):
        return figures
    value = figures.get(key)
    whole = fmt.format(value) if isinstance(value, int | float) else "–"
    halves = [figures.get("halves", {}).get(half, {}).get(key) for half in HALVES]
    if key == "pages_per_s" or not any(isinstance(v, int | float) for v in halves):
        return whole
    shown = " / ".join(fmt.format(v) if isinstance(v, int | float) else "–" for v in halves)
    return f"{whole} (A {shown.replace(' / ', ', B ', 1)})"


def half_sizes(results: dict[str, dict[str, dict[str, Any] | str]]) -> str:
    """How many pages each half holds, per run (the halves are split by site, see :func:`half_of`)."""
    sizes = []
    for run in RUNS:
        figures = next((r[run.name] for r in results.values() if isinstance(r.get(run.name), dict)), None)
        if isinstance(figures, dict) and "halves" in figures:
            counts = ", ".join(f"{half} {figures['halves'][half]['pages']}" for half in HALVES)
            sizes.append(f"{run.name}: {counts}")
    return "pages per half (split by site): " + "; ".join(sizes)


def labelled_pages(set_dir: Path, limit: int | None) -> Iterator[tuple[dict[str, Any], str]]:
    """The set's labels and HTML, page by page."""
    with (set_dir / "pages.jsonl").open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if limit is not None and n >= limit:
                return
            page = json.loads(line)
            html = gzip.decompress((set_dir / "html" / f"{page['id']}.html.gz").read_bytes())
            yield page, html.decode("utf-8", "replace")


def page_type_figures(set_dir: Path, limit: int | None) -> str:
    """Precision and recall of "article" by our page-type classifier against the set's labels."""
    from scrapers.parsers.pagetype import page_type

    hits = false_alarms = misses = 0
    for page, html in labelled_pages(set_dir, limit):
        said, truth = page_type(html, page["url"] or "").kind == "article", page["page_type"] == "article"
        hits += said and truth
        false_alarms += said and not truth
        misses += truth and not said
    precision = hits / max(1, hits + false_alarms)
    recall = hits / max(1, hits + misses)
    return (
        f'page type "article", {set_dir.name}: precision {precision:.3f}, recall {recall:.3f} '
        f"({hits} hits, {false_alarms} false alarms, {misses} missed)"
    )


def _day_forms(day: date) -> tuple[str, ...]:
    month, short = day.strftime("%B"), day.strftime("%b")
    return (
        day.isoformat(), day.strftime("%Y%m%d"), f"{day.month}/{day.day}/{day.year}", day.strftime("%m/%d/%Y"),
        day.strftime("%m/%d/%y"), f"{day.day}.{day.month}.{day.year}", day.strftime("%d.%m.%Y"),
        day.strftime("%d/%m/%Y"), f"{month} {day.day}", f"{short} {day.day}", f"{short}. {day.day}",
        f"{day.day} {month}", f"{day.day} {short}", f"{day.year} {short} {day.day}",
    )  # fmt: skip


def date_label_audit(set_dir: Path, limit: int | None) -> str:
    """How many labelled dates the page itself states, in any common form: the ceiling of any
    extractor that reads only the page."""
    labelled = stated = 0
    for page, html in labelled_pages(set_dir, limit):
        if page["page_type"] != "article" or not page.get("published"):
            continue
        labelled += 1
        lowered = html.lower()
        stated += any(form.lower() in lowered for form in _day_forms(date.fromisoformat(page["published"][:10])))
    return f"date labels of {set_dir.name} articles that the page states anywhere in its HTML: {stated} of {labelled}"


_CPU_RUNNER = """
import importlib, json, sys, time
from pathlib import Path
callable_, set_dir, page_type, limit, root, code = sys.argv[1:7]
sys.path.insert(0, root)
from bench.extraction import labelled_pages
sys.path.insert(0, code or root)  # the parsers of another checkout (bench.extraction is this one's)
module, name = callable_.split(":")
extract = getattr(importlib.import_module(module), name)
pages = [(html, page["url"] or "") for page, html in labelled_pages(Path(set_dir), None)
         if page_type in ("", page["page_type"])][: int(limit)]
extract(*pages[0])  # imports and caches warmed, as in a crawl
warm = time.process_time()
try:  # dateparser (htmldate's free-text reader) compiles its 800+ locales on first use: once a process
    from htmldate.extractors import get_external_parser
except ImportError:
    pass
else:
    get_external_parser().get_date_data("qqzx 13 wqe 2019")  # no locale reads it: each one is tried
startup = time.process_time() - warm
started = time.process_time()
for html, url in pages:
    extract(html, url)
print(json.dumps({"pages": len(pages), "cpu_s": time.process_time() - started, "startup_s": startup}))
"""
# (set folder, page type or "" for every page): what the CPU-time comparison runs on.
CPU_SETS = (("wcxb-dev", "article"), ("dragnet", ""))


@dataclass(frozen=True)
class Extractor:
    python: str
    callable_: str
    code: str = ""  # a checkout whose parsers it runs (another commit's, for A/B runs); "" is this tree


def cpu_speeds(
    extractors: dict[str, Extractor],
    set_dir: Path,
    page_type: str,
    rounds: int,
    limit: int,
    startups: dict[str, list[float]],
) -> dict[str, list[float]]:
    """Pages per CPU-second of each extractor on the same pages, each round, the extractors
    alternating within a round (the CPU time of its own process: other load on the machine moves it
    much less than wall time). A process's one-off start (dateparser's locales) is not a page's
    cost: it goes to ``startups``, CPU-seconds per run."""
    speeds: dict[str, list[float]] = {}
    for _ in range(rounds):
        for name, extractor in extractors.items():
            command = [extractor.python, "-c", _CPU_RUNNER, extractor.callable_, str(set_dir), page_type, str(limit)]
            command += [str(ROOT), extractor.code]
            result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                print(f"{name}: CPU timing failed: {result.stderr.strip()[-200:]}", file=sys.stderr)
                continue
            figures = json.loads(result.stdout.strip().splitlines()[-1])
            speeds.setdefault(name, []).append(figures["pages"] / figures["cpu_s"])
            startups.setdefault(name, []).append(figures["startup_s"])
    return speeds


def speed_line(set_name: str, page_type: str, rounds: int, speeds: dict[str, list[float]]) -> str:
    """Best and median of the rounds, each extractor's, and each one's ratio to the first's best."""
    first = max(next(iter(speeds.values()), [0.0])) or 1.0
    shown = ", ".join(
        f"{name} {max(v):.1f} (median {statistics.median(v):.1f}, {max(v) / first:.3f}x)" for name, v in speeds.items()
    )
    pages = f"{set_name} {page_type}s" if page_type else f"{set_name}, every page"
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else ["?"]
    return f"speed, pages per CPU-second, {pages} (best of {rounds} alternating rounds; load {' '.join(load)}): {shown}"


def other_code(value: str) -> tuple[str, Path]:
    """``NAME=DIR`` of ``--code``."""
    name, _, folder = value.partition("=")
    if not name or not folder or not (Path(folder) / "scrapers" / "parsers").is_dir():
        raise argparse.ArgumentTypeError(f"{value!r}: want NAME=DIR, a checkout holding scrapers/parsers")
    return name, Path(folder).resolve()


def print_speeds(extractors: dict[str, Extractor], sets: Path, rounds: int, limit: int | None) -> None:
    for set_name, page_type in CPU_SETS:
        if (sets / set_name).is_dir() and rounds:
            startups: dict[str, list[float]] = {}
            speeds = cpu_speeds(extractors, sets / set_name, page_type, rounds, limit or 10**6, startups)
            print(speed_line(set_name, page_type, rounds, speeds), flush=True)
            once = ", ".join(f"{name} {statistics.median(v):.2f}" for name, v in startups.items())
            print(f"  once a process, not counted above (dateparser's locales), CPU-s: {once}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", type=Path, default=DEFAULT_SETS, help="folder with score.py and the sets")
    parser.add_argument("--trafilatura-python", help="an interpreter that can import trafilatura")
    parser.add_argument("--only", action="append", choices=[r.name for r in RUNS], help="run only these (repeat)")
    parser.add_argument("--limit", type=int, help="only the first N pages of each set (quick runs)")
    parser.add_argument("--json", type=Path, help="also write every figure there")
    parser.add_argument("--cpu-rounds", type=int, default=3, help="rounds of the CPU-time speed comparison (0: none)")
    parser.add_argument(
        "--code", type=other_code, action="append", default=[], metavar="NAME=DIR",
        help="also time ours from another checkout (a git worktree of an older commit); repeat",
    )  # fmt: skip
    parser.add_argument("--cpu-only", action="store_true", help="only the CPU-time comparison, no scoring")
    args = parser.parse_args()

    if not (args.sets / "score.py").exists():
        print(f"no labelled sets at {args.sets} (score.py missing): nothing to measure", file=sys.stderr)
        return 2
    runs = [r for r in RUNS if (not args.only or r.name in args.only) and (args.sets / r.set_dir).is_dir()]
    # Other checkouts first: the speed line gives each extractor's ratio to the first's.
    extractors = {f"ours@{name}": Extractor(sys.executable, OURS, str(folder)) for name, folder in args.code}
    extractors["ours"] = Extractor(sys.executable, OURS)
    if args.trafilatura_python and importable(args.trafilatura_python):
        extractors["trafilatura 2.3.1"] = Extractor(args.trafilatura_python, THEIRS)
    elif args.trafilatura_python:
        print(f"{args.trafilatura_python} cannot import trafilatura: ours only", file=sys.stderr)

    if args.cpu_only:
        print_speeds(extractors, args.sets, args.cpu_rounds, args.limit)
        return 0
    scored = {name: e for name, e in extractors.items() if not e.code}  # quality: this tree's and the peer's
    results: dict[str, dict[str, dict[str, Any] | str]] = {name: {} for name in scored}
    for run in runs:
        for name, extractor in scored.items():  # one after the other, never in parallel
            print(f"{run.name}: {name} ...", file=sys.stderr)
            results[name][run.name] = score(extractor.python, extractor.callable_, args.sets, run, args.limit)
    print(table(results, list(scored)))
    print(half_sizes(results))
    wcxb = args.sets / "wcxb-dev"
    print_speeds(extractors, args.sets, args.cpu_rounds, args.limit)
    if wcxb.is_dir() and (not args.only or "wcxb-all" in args.only):
        print(page_type_figures(wcxb, args.limit))
        print(date_label_audit(wcxb, args.limit))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())

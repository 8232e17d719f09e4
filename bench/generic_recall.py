"""Does a generic crawl (no profile) archive every article of sites it has never seen?

    .venv/bin/python bench/generic_recall.py                          # both sets, ../shared/datasets
    .venv/bin/python bench/generic_recall.py --sets DIR --only wcxb-dev --sample 300 --json /tmp/out.json

Serves the labelled pages of ``wcxb-dev`` and ``dragnet`` (every page type, not only articles) on
127.0.0.1, crawls them with the real command (``newsarchive crawl --start URL/sitemap.xml``, no
profile) into a fresh archive, and reads that archive back:

- recall: labelled articles archived as articles (at the default ``--min-confidence``, as search
  shows them) / labelled articles; ``any conf.`` counts every article row whatever its confidence;
- precision: archived articles that are labelled articles / archived articles;
- body F1: mean word F1 (the sets' own scorer's tokens, ``score.word_prf``) over every labelled
  article, a missed one counting 0;
- pages/s: pages over the crawl's own time (its run record);
- never requested: pages the sitemaps list that the crawl never asked the server for.

**One server per original site.** The pages come from ~1,700 sites, most of them one page each;
each original host gets its own listening port on 127.0.0.1 (one asyncio loop serves them all),
with each page at its original path and query, and its own ``/sitemap.xml``; the crawl starts from
every site's sitemap (one ``--start`` each: the crawl's offsite guard makes each port a site of its
own, so a sitemap index on another port could not list them). A site is then what it is on the web, an
origin (scheme, host, port): evidence the crawl gathers per site (URL templates, a sitemap's
entries) stays within the pages of one original site, exactly as on the real sites, with no
harness-specific rule in the crawler. Putting the original host in the path instead would have made
all of them one site to the crawler, and let one site's templates vouch for another's pages.
Dragnet has no URLs: a page's ``<link rel=canonical>`` or ``og:url`` gives its site and path, else
it is a site of its own at ``/<id>.html``. Tracking parameters (``utm_*``) are left out of the
sitemap's URLs, as a crawler rightly leaves them out of its requests.

``--images none``: the pages' photos are on the original hosts, which the harness does not serve (and
must not ask the network for). ``--depth 1`` (sitemaps are no hop: Scrapy's ``depth_reset``): links
out of the labelled pages lead only to pages the set does not have (every one a 404), so they are
not followed. Results are given for each set
and for its two halves by domain (``A``/``B``: a hash of the original host), so a rule tuned on
one half is seen on the other.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import hashlib
import importlib.util
import json
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import archive.search as readers  # noqa: E402
from bench.run import _stamp  # noqa: E402

DEFAULT_SETS = ROOT.parent / "shared" / "datasets"
SETS = ("wcxb-dev", "dragnet")
_CANONICAL = (
    re.compile(r"""<link\b[^>]*\brel=["']?canonical["']?[^>]*\bhref=["']([^"'>\s]+)""", re.I),
    re.compile(r"""<link\b[^>]*\bhref=["']([^"'>\s]+)["'][^>]*\brel=["']?canonical""", re.I),
    re.compile(r"""<meta\b[^>]*\bproperty=["']og:url["'][^>]*\bcontent=["']([^"'>\s]+)""", re.I),
)


@dataclass
class Labelled:
    id: str
    host: str  # the original site (its hostname), or "page-<id>" when the page's URL is not known
    target: str  # path and query on its site's server
    page_type: str
    body: str
    html: bytes
    half: str = ""


@dataclass
class Site:
    host: str
    pages: dict[str, Labelled] = field(default_factory=dict)  # target -> page
    port: int = 0


# --- the pages --------------------------------------------------------------------------------------


def read_html(set_dir: Path, page_id: str) -> str:
    """As the sets' scorer reads a page (utf-8, else cp1252), so the crawl sees the scorer's text."""
    raw = gzip.decompress((set_dir / "html" / f"{page_id}.html.gz").read_bytes())
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def original_url(page: dict[str, Any], html: str) -> str | None:
    url = page.get("url")
    if url:
        return str(url)
    for pattern in _CANONICAL:
        match = pattern.search(html)
        if match and match.group(1).startswith(("http://", "https://")):
            return match.group(1).replace("&amp;", "&")
    return None


def plain(target: str) -> str:
    """A path and query without tracking parameters (``utm_*``): sites answer both alike, and a
    crawler rightly asks for the URL without them (dragnet's og:url often has them)."""
    path, _, query = target.partition("?")
    kept = [p for p in query.split("&") if p and not p.lower().startswith("utm_")]
    return path + (f"?{'&'.join(kept)}" if kept else "")


def half_of(host: str) -> str:
    return "A" if hashlib.sha1(host.encode()).digest()[0] % 2 == 0 else "B"


def load_sites(set_dir: Path, sample: int | None) -> tuple[dict[str, Site], int]:
    """The set's pages grouped by original site; (sites, pages left out as duplicates of a URL)."""
    sites: dict[str, Site] = {}
    duplicates = 0
    with open(set_dir / "pages.jsonl", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    for row in rows:
        html = read_html(set_dir, row["id"])
        url = original_url(row, html)
        parts = urlsplit(url) if url else None
        host = (parts.hostname or "") if parts else ""
        if parts is None or not host:
            host, target = f"page-{row['id']}", f"/{row['id']}.html"
        else:
            target = plain((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
        if sample and int(hashlib.sha1(host.encode()).hexdigest(), 16) % 1000 >= sample:
            continue
        site = sites.setdefault(host, Site(host))
        if target in site.pages or target in ("/sitemap.xml", "/robots.txt"):
            duplicates += 1
            continue
        site.pages[target] = Labelled(row["id"], host, target, row.get("page_type") or "article",
                                      row.get("body") or "", html.encode("utf-8"), half_of(host))
    return sites, duplicates


# --- the servers ------------------------------------------------------------------------------------


class Servers:
    """One port per site, all served by one asyncio loop in a thread; every request is logged."""

    def __init__(self, sites: dict[str, Site]) -> None:
        self.sites = sites
        self.requested: Counter[tuple[int, str]] = Counter()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Servers:
        self._thread.start()
        self._ready.wait()
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._listen())
        self._ready.set()
        self._loop.run_forever()

    async def _listen(self) -> None:
        for site in self.sites.values():
            site.port = await self._serve(self._site_handler(site))

    async def _serve(self, respond: Callable[[str], tuple[int, bytes, str]]) -> int:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            port = writer.get_extra_info("sockname")[1]
            try:
                while True:
                    head = await reader.readuntil(b"\r\n\r\n")
                    target = head.split(b"\r\n", 1)[0].split(b" ")[1].decode("latin-1")
                    self.requested[(port, target)] += 1
                    status, body, kind = respond(target)
                    writer.write(
                        f"HTTP/1.1 {status} {'OK' if status == 200 else 'Not Found'}\r\nContent-Type: {kind}\r\n"
                        f"Content-Length: {len(body)}\r\n\r\n".encode() + body
                    )
                    await writer.drain()
            except (asyncio.IncompleteReadError, ConnectionError, IndexError):
                pass  # the client closed its keep-alive connection, or sent no request line
            finally:
                writer.close()

        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=64)
        return int(server.sockets[0].getsockname()[1])

    def _site_handler(self, site: Site) -> Callable[[str], tuple[int, bytes, str]]:
        def respond(target: str) -> tuple[int, bytes, str]:
            if target == "/sitemap.xml":
                urls = [f"http://127.0.0.1:{site.port}{t}" for t in site.pages]
                return 200, sitemap("urlset", "url", urls), "application/xml"
            page = site.pages.get(target)
            if page is None:
                return 404, b"<html><body><h1>Not found</h1></body></html>", "text/html; charset=utf-8"
            return 200, page.html, "text/html; charset=utf-8"

        return respond


def sitemap(root: str, entry: str, urls: list[str]) -> bytes:
    rows = "".join(f"<{entry}><loc>{escape(u)}</loc></{entry}>" for u in urls)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{rows}</{root}>").encode()


# --- the crawl and its figures ----------------------------------------------------------------------


def crawl(starts: list[str], db: Path, extra: list[str]) -> tuple[float, int, str]:
    """The real command; (seconds of the crawl's own run, pages, its output)."""
    command = [sys.executable, "-m", "newsarchive", "crawl", *(x for u in starts for x in ("--start", u)),
               "--db", str(db), "--quiet", "--images", "none",
               "--depth", "1", *extra]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode not in (0, 3, 5):  # 3: many failed requests (the set's own 404s), 5: yield
        sys.exit(f"crawl failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    with sqlite3.connect(db) as conn:
        started, finished, pages = conn.execute("SELECT started, finished, pages FROM crawl_runs").fetchone()
    return (_stamp(finished) - _stamp(started)).total_seconds(), int(pages), done.stdout


def archived(db: Path) -> Iterator[tuple[str, str, float | None]]:
    """(url, body, confidence) of every archived article (confidence None before it existed)."""
    with sqlite3.connect(db) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(articles)")}
        confidence = "confidence" if "confidence" in columns else "NULL"
        yield from conn.execute(f"SELECT url, body, {confidence} FROM articles")


def default_min_confidence() -> float:
    return float(getattr(readers, "DEFAULT_MIN_CONFIDENCE", 0.0))  # 0.0: an archive without confidences


@dataclass
class Outcome:
    page: Labelled
    requested: bool
    archived: bool = False
    confidence: float | None = None
    f1: float = 0.0


def outcomes(sites: dict[str, Site], servers: Servers, db: Path, word_prf: Any, min_conf: float
             ) -> tuple[list[Outcome], int]:
    """Each labelled page's fate; and the article rows that are no labelled page's."""
    by_url = {f"http://127.0.0.1:{s.port}{t}": p for s in sites.values() for t, p in s.pages.items()}
    result = {url: Outcome(p, servers.requested[(sites[p.host].port, p.target)] > 0) for url, p in by_url.items()}
    strays = 0
    for url, body, confidence in archived(db):
        found = result.get(url)
        if found is None:
            strays += 1
            continue
        found.archived = confidence is None or confidence >= min_conf
        found.confidence = confidence
        found.f1 = word_prf(body, found.page.body)[2] if found.archived else 0.0
    return list(result.values()), strays


def figures(rows: list[Outcome], any_conf: bool = False) -> dict[str, float]:
    def kept(o: Outcome) -> bool:
        return o.archived or (any_conf and o.confidence is not None)

    articles = [o for o in rows if o.page.page_type == "article"]
    kept_rows = [o for o in rows if kept(o)]
    right = sum(1 for o in kept_rows if o.page.page_type == "article")
    return {
        "pages": len(rows),
        "articles": len(articles),
        "archived": len(kept_rows),
        "recall": right / len(articles) if articles else float("nan"),
        "precision": right / len(kept_rows) if kept_rows else float("nan"),
        "body_f1": sum(o.f1 for o in articles) / len(articles) if articles else float("nan"),
        "never_requested": sum(1 for o in rows if not o.requested),
    }


def report(name: str, rows: list[Outcome], seconds: float, pages: int, strays: int) -> str:
    lines = [f"{name}: {pages:,} pages in {seconds:.1f} s ({pages / seconds:.1f} pages/s); "
             f"article rows that are no labelled page: {strays}"]
    lines.append(f"  {'':8} {'pages':>6} {'articles':>8} {'archived':>8} {'recall':>7} {'precision':>9} "
                 f"{'body F1':>7} {'recall any conf.':>16} {'prec. any conf.':>15} {'never requested':>15}")
    for label, subset in (("all", rows), ("half A", [o for o in rows if o.page.half == "A"]),
                          ("half B", [o for o in rows if o.page.half == "B"])):
        f, g = figures(subset), figures(subset, any_conf=True)
        lines.append(f"  {label:8} {f['pages']:>6} {f['articles']:>8} {f['archived']:>8} {f['recall']:>7.3f} "
                     f"{f['precision']:>9.3f} {f['body_f1']:>7.3f} {g['recall']:>16.3f} {g['precision']:>15.3f} "
                     f"{f['never_requested']:>15}")
    for label, subset in (("half A", [o for o in rows if o.page.half == "A"]),
                          ("half B", [o for o in rows if o.page.half == "B"])):
        lines.append(f"  {label}, recall/precision at --min-confidence: " + ", ".join(
            "{:g}: {recall:.3f}/{precision:.3f}".format(t, **sweep(subset, t)) for t in SWEEP))
    return "\n".join(lines)


SWEEP = (0.2, 0.3, 0.5, 0.7, 0.8, 0.9)


def sweep(rows: list[Outcome], threshold: float) -> dict[str, float]:
    """Recall and precision had readers asked for this confidence (rows without one count as sure)."""
    kept = [o for o in rows if (o.confidence is not None and o.confidence >= threshold)
            or (o.confidence is None and o.archived)]
    right = sum(1 for o in kept if o.page.page_type == "article")
    articles = sum(1 for o in rows if o.page.page_type == "article")
    return {"recall": right / articles if articles else float("nan"),
            "precision": right / len(kept) if kept else float("nan")}


def load_scorer(sets: Path) -> Any:
    spec = importlib.util.spec_from_file_location("labelled_sets_score", sets / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.word_prf


def run_set(sets: Path, name: str, sample: int | None, extra: list[str], keep: Path | None) -> tuple[str, list[Any]]:
    sites, duplicates = load_sites(sets / name, sample)
    word_prf = load_scorer(sets)
    with tempfile.TemporaryDirectory(prefix="newsarchive-recall-") as tmp, Servers(sites) as servers:
        db = (keep / f"{name}.db") if keep else Path(tmp) / f"{name}.db"
        db.unlink(missing_ok=True)
        started = time.monotonic()
        starts = [f"http://127.0.0.1:{site.port}/sitemap.xml" for site in sites.values()]
        seconds, pages, _ = crawl(starts, db, extra)
        rows, strays = outcomes(sites, servers, db, word_prf, default_min_confidence())
    text = report(f"{name} ({len(sites):,} sites; {duplicates} duplicate URLs left out; "
                  f"{time.monotonic() - started:.0f} s with start-up)", rows, seconds, pages, strays)
    details = [{"id": o.page.id, "host": o.page.host, "target": o.page.target, "type": o.page.page_type,
                "half": o.page.half, "requested": o.requested, "archived": o.archived,
                "confidence": o.confidence, "f1": round(o.f1, 4)} for o in rows]
    return text, details


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", type=Path, default=DEFAULT_SETS, help="folder with score.py and the sets")
    parser.add_argument("--only", action="append", choices=SETS, help="one set (repeatable)")
    parser.add_argument("--sample", type=int, help="only the sites whose hash falls in N per mille (quick runs)")
    parser.add_argument("--json", type=Path, help="write every page's outcome there")
    parser.add_argument("--keep-db", type=Path, help="keep the archives in this folder")
    parser.add_argument("-s", "--set", dest="sets_", action="append", default=[], metavar="NAME=VALUE",
                        help="a Scrapy setting for the crawl")
    args = parser.parse_args()
    if not (args.sets / "score.py").exists():
        print(f"no labelled sets at {args.sets} (score.py missing): nothing measured")
        return 0
    extra = [x for s in args.sets_ for x in ("-s", s)]
    everything: dict[str, list[Any]] = {}
    print(f"load average before: {Path('/proc/loadavg').read_text().split()[:3]}", flush=True)
    for name in args.only or SETS:
        if not (args.sets / name / "pages.jsonl").exists():
            print(f"{name}: not at {args.sets / name}, skipped")
            continue
        text, everything[name] = run_set(args.sets, name, args.sample, extra, args.keep_db)
        print(text, flush=True)
    if args.json:
        args.json.write_text(json.dumps(everything, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

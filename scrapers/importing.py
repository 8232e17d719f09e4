"""``newsarchive import``: WARC, ARC and WACZ files into the archive through the crawl's own pipelines.

Why a Scrapy spider rather than the reparse path: a capture is a fetched page, and the crawl's
pipelines (parse workers, validate, dedupe, the batched single writer with its run record, failures
and job lock) are exactly what a fetched page goes through; reparse starts from pages already
archived and would need its own copy of the writer's bookkeeping. Here nothing is written twice.

The files are indexed first (scrapers/warcfiles.py), the wanted records grouped by site (the URL's
host, scrapers/records.py) and sorted by capture time; then one crawl per site runs in this process,
one after the other, each a ``WarcImportSpider`` with that site's profile.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapers.records import GENERIC, SKIP_OTHER_SITE, SKIP_REVISIT, SiteHosts
from scrapers.sites import SiteProfile, load_profile
from scrapers.warcfiles import Entry, Inputs


@dataclass
class ImportPlan:
    """What the index pass found: records to import per site, what is skipped, what is damaged."""

    groups: dict[str, list[tuple[str, Entry]]] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)
    records: int = 0
    problems: list[str] = field(default_factory=list)
    # Every response record by URL, in capture order: where an imported page's photos are read from.
    photos: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)  # (captured, file, offset)


@dataclass
class ImportResult:
    plan: ImportPlan
    stats: list[dict[str, Any]] = field(default_factory=list)  # one per site crawl
    errors: list[str] = field(default_factory=list)  # a site's crawl that could not run (its lock is busy...)

    def count(self, key: str) -> int:
        return sum(int(s.get(key, 0) or 0) for s in self.stats)

    def prefixed(self, prefix: str) -> Counter[str]:
        found: Counter[str] = Counter()
        for s in self.stats:
            for k, v in s.items():
                if k.startswith(prefix):
                    found[k[len(prefix):]] += int(v)
        return found


def plan_import(inputs: Inputs, hosts: SiteHosts, only_site: str | None = None) -> ImportPlan:
    """Indexes every source; groups the wanted responses by site, each in capture order."""
    plan = ImportPlan(problems=list(inputs.problems))
    for source in list(inputs.sources):
        entries, damage = inputs.index(source)
        if damage is not None:
            plan.problems.append(damage.line())
        plan.records += len(entries)
        for entry in entries:
            if entry.skip in (None, SKIP_REVISIT):  # a revisit names the record that holds its bytes
                plan.photos.setdefault(entry.url, []).append((entry.captured, str(source.path), entry.offset))
            if entry.skip:
                plan.skipped[entry.skip] += 1
                continue
            site = hosts.site_of(entry.url)
            if only_site and site != only_site:
                plan.skipped[SKIP_OTHER_SITE] += 1
                continue
            plan.groups.setdefault(site, []).append((str(source.path), entry))
    for records in plan.groups.values():
        records.sort(key=lambda r: (r[1].captured, r[1].url))  # stable: file order within one instant
    for captures in plan.photos.values():
        captures.sort()
    return plan


def run_import(plan: ImportPlan, overrides: dict[str, Any], profile_dirs: tuple[Path, ...] = ()) -> ImportResult:
    """Runs one import crawl per site of the plan, one after the other (Twisted runs once per process)."""
    from scrapy.crawler import Crawler, CrawlerProcess
    from twisted.internet.defer import Deferred
    from twisted.python.failure import Failure

    from scrapers.crawl import crawl_settings
    from scrapers.spiders.warc import WarcImportSpider

    result = ImportResult(plan)
    if not plan.groups:
        return result
    base = crawl_settings(overrides)
    process = CrawlerProcess(base)
    jobs: list[tuple[Crawler, dict[str, Any]]] = []
    for i, (site, records) in enumerate(sorted(plan.groups.items())):
        profile: SiteProfile | None = None if site == GENERIC else load_profile(site, profile_dirs)
        settings = base.copy()
        settings.set("CRAWL_PROFILE", site, priority="cmdline")  # the job lock's name: one job per site
        if profile is not None:
            settings.setdict(profile.crawl_settings(), priority="spider")
        crawler = Crawler(WarcImportSpider, settings, init_reactor=i == 0)
        jobs.append((crawler, {"records": records, "profile": profile, "name": site, "photo_records": plan.photos}))

    def run(index: int) -> Deferred[Any] | None:
        if index == len(jobs):
            return None
        crawler, kwargs = jobs[index]
        done: Deferred[Any] = process.crawl(crawler, **kwargs)

        def next_one(outcome: Any) -> None:
            if isinstance(outcome, Failure):  # it did not start: said in the summary, the next site goes on
                result.errors.append(f"{kwargs['name']}: {outcome.value}")
            elif crawler.stats is not None:
                result.stats.append(crawler.stats.get_stats())
            run(index + 1)

        done.addBoth(next_one)
        return done

    run(0)
    process.start()
    return result

"""Library entry point for running one crawl in this process (the CLI's ``crawl`` uses it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings


class CrawlSetupError(ValueError):
    """The crawl could not start (unknown site, bad option)."""


@dataclass
class CrawlResult:
    finish_reason: str
    stats: dict[str, Any] = field(default_factory=dict)

    def count(self, key: str) -> int:
        return int(self.stats.get(key, 0) or 0)

    def failures_by_reason(self) -> dict[str, int]:
        prefix = "archive/failed/"
        return {k[len(prefix):]: int(v) for k, v in self.stats.items() if k.startswith(prefix)}


def crawl_settings(overrides: dict[str, Any]) -> Settings:
    settings = Settings()
    settings.setmodule("scrapers.settings", priority="project")
    settings.setdict({k: v for k, v in overrides.items() if v is not None}, priority="cmdline")
    return settings


def resolve_spider(site: str | None, settings: Settings) -> str:
    """The spider to run for SITE, checking its profile first so that a broken one is one line.

    No SITE: the generic spider (``CRAWL_START_URLS``). A SITE with no spider class of that name
    but a profile: the generic spider with that profile. Updates ``settings`` accordingly.
    """
    from scrapy.spiderloader import get_spider_loader

    from scrapers.discovery import parse_since
    from scrapers.sites import ProfileError, ProfileNotFoundError, available_profiles, load_profile

    dirs = tuple(Path(p) for p in settings.getlist("SITE_PROFILE_DIRS"))
    loader = get_spider_loader(settings)
    names = loader.list()
    spider = site or "generic"
    profile_name = settings.get("CRAWL_PROFILE")
    try:
        if spider not in names:
            try:
                load_profile(spider, dirs)
            except ProfileNotFoundError:
                known = ", ".join(sorted({*names, *available_profiles(dirs)} - {"generic"}))
                raise CrawlSetupError(
                    f"unknown site {spider!r}: no spider or profile of that name (known: {known})"
                ) from None
            profile_name = profile_name or spider
            settings.set("CRAWL_PROFILE", profile_name, priority="cmdline")
            spider = "generic"
        elif spider != "generic" and settings.getlist("CRAWL_START_URLS"):
            # --start with a site that has its own spider: the generic spider, with that site's profile.
            profile_name = getattr(loader.load(spider), "profile_name", None) or profile_name
            if profile_name:
                settings.set("CRAWL_PROFILE", profile_name, priority="cmdline")
            spider = "generic"
        if spider == "generic" and profile_name is None and not settings.getlist("CRAWL_START_URLS"):
            raise CrawlSetupError("nothing to crawl: give a SITE (a profile name) or --start URL")
        profile_name = profile_name if spider == "generic" else getattr(loader.load(spider), "profile_name", None)
        if profile_name:
            profile = load_profile(profile_name, dirs)
            settings.setdict(profile.crawl_settings(), priority="spider")
            has_start = profile.start_urls or profile.base_url or settings.get("CRAWL_BASE_URL")
            if spider == "generic" and not settings.getlist("CRAWL_START_URLS") and not has_start:
                raise CrawlSetupError(f"{profile.source}: no start_urls and no base_url: give --start URL")
        if settings.get("CRAWL_SINCE"):
            parse_since(str(settings.get("CRAWL_SINCE")))
    except (ProfileError, ValueError) as exc:
        if isinstance(exc, CrawlSetupError):
            raise
        raise CrawlSetupError(str(exc)) from None
    return spider


def run_crawl(spider_name: str | None, overrides: dict[str, Any]) -> CrawlResult:
    """Runs the named spider (None: the generic one) to the end; once per process (Twisted)."""
    settings = crawl_settings(overrides)
    spider_name = resolve_spider(spider_name, settings)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider_name)
    process.crawl(crawler)
    process.start()
    assert crawler.stats is not None
    stats = crawler.stats.get_stats()
    return CrawlResult(str(stats.get("finish_reason", "unknown")), stats)

"""Turan Information Agency (turan.az). Everything site-specific is in scrapers/sites/turan.toml."""

from __future__ import annotations

from scrapers.spiders.profile import ProfileSpider


class TuranSpider(ProfileSpider):
    name = "turan"
    profile_name = "turan"

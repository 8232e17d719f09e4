"""Site profiles: what the crawler and parsers know about one site, as data (TOML files).

Built-in profiles are the ``*.toml`` files beside this module; a user's own profiles can live
in any folder passed as ``extra_dirs``. Every field is optional except ``name``: whatever a
profile leaves out falls back to the generic extractor.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BUILTIN_DIR = Path(__file__).parent


class ProfileError(ValueError):
    """A profile file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class UrlMatch:
    kind: str  # "article" or "listing"
    lang: str | None = None
    section: str | None = None
    article_id: str | None = None


@dataclass(frozen=True)
class SiteProfile:
    name: str
    domain: str | None = None
    base_url: str | None = None
    languages: tuple[str, ...] = ()
    timezone: str | None = None
    start_paths: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    article_patterns: tuple[re.Pattern[str], ...] = ()
    listing_patterns: tuple[re.Pattern[str], ...] = ()
    deny_patterns: tuple[re.Pattern[str], ...] = ()
    selectors: dict[str, str] = field(default_factory=dict)
    chrome_strip: tuple[str, ...] = ()
    date_formats: tuple[str, ...] = ()
    dateline_pattern: re.Pattern[str] | None = None
    dateline_date_format: str | None = None
    end_markers: tuple[str, ...] = ()
    paywall_selector: str | None = None
    paywall_text: tuple[str, ...] = ()
    source: str = ""

    def selector(self, name: str) -> str | None:
        return self.selectors.get(name) or None

    def classify_path(self, path: str) -> UrlMatch | None:
        """Says whether a URL path (no query) is an article or a listing of this site."""
        if any(p.search(path) for p in self.deny_patterns):
            return None
        for kind, patterns in (("article", self.article_patterns), ("listing", self.listing_patterns)):
            for pattern in patterns:
                m = pattern.search(path)
                if m:
                    groups = m.groupdict()
                    return UrlMatch(kind, groups.get("lang"), groups.get("section"), groups.get("id"))
        return None


def _compile(values: Any, where: str) -> tuple[re.Pattern[str], ...]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ProfileError(f"{where}: expected a list of regular expressions")
    compiled = []
    for value in values:
        try:
            compiled.append(re.compile(value))
        except re.error as exc:
            raise ProfileError(f"{where}: bad regular expression {value!r}: {exc}") from exc
    return tuple(compiled)


def _strings(values: Any, where: str) -> tuple[str, ...]:
    if values is None:
        return ()
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ProfileError(f"{where}: expected a list of strings")
    return tuple(values)


def profile_from_dict(data: dict[str, Any], source: str = "<dict>") -> SiteProfile:
    """Builds a profile from parsed TOML, with errors that name the source and the field."""
    if not isinstance(data.get("name"), str) or not data["name"]:
        raise ProfileError(f"{source}: field 'name' is required")
    urls = data.get("urls", {})
    chrome = data.get("chrome", {})
    dates = data.get("dates", {})
    dateline = data.get("dateline", {})
    paywall = data.get("paywall", {})
    selectors = data.get("selectors", {})
    if not isinstance(selectors, dict) or not all(isinstance(v, str) for v in selectors.values()):
        raise ProfileError(f"{source}: [selectors] must map names to CSS selector strings")
    pattern = dateline.get("pattern")
    return SiteProfile(
        name=data["name"],
        domain=data.get("domain"),
        base_url=data.get("base_url"),
        languages=_strings(data.get("languages"), f"{source}: languages"),
        timezone=data.get("timezone"),
        start_paths=_strings(data.get("start_paths"), f"{source}: start_paths"),
        feeds=_strings(data.get("feeds"), f"{source}: feeds"),
        article_patterns=_compile(urls.get("article", []), f"{source}: urls.article"),
        listing_patterns=_compile(urls.get("listing", []), f"{source}: urls.listing"),
        deny_patterns=_compile(urls.get("deny", []), f"{source}: urls.deny"),
        selectors=dict(selectors),
        chrome_strip=_strings(chrome.get("strip"), f"{source}: chrome.strip"),
        date_formats=_strings(dates.get("formats"), f"{source}: dates.formats"),
        dateline_pattern=_compile([pattern], f"{source}: dateline.pattern")[0] if pattern else None,
        dateline_date_format=dateline.get("date_format"),
        end_markers=_strings(dateline.get("end_markers"), f"{source}: dateline.end_markers"),
        paywall_selector=paywall.get("selector"),
        paywall_text=_strings(paywall.get("text"), f"{source}: paywall.text"),
        source=source,
    )


def load_profile_file(path: Path) -> SiteProfile:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML: {exc}") from exc
    return profile_from_dict(data, str(path))


def load_profile(name: str, extra_dirs: tuple[Path, ...] = ()) -> SiteProfile:
    """Finds a profile by name (a user's folders first, then the built-ins) or by file path."""
    candidate = Path(name)
    if candidate.suffix == ".toml" and candidate.exists():
        return load_profile_file(candidate)
    for folder in (*extra_dirs, BUILTIN_DIR):
        path = folder / f"{name}.toml"
        if path.exists():
            return load_profile_file(path)
    raise ProfileError(f"no site profile named {name!r} (known: {', '.join(available_profiles(extra_dirs))})")


def available_profiles(extra_dirs: tuple[Path, ...] = ()) -> list[str]:
    names = {p.stem for folder in (*extra_dirs, BUILTIN_DIR) if folder.is_dir() for p in folder.glob("*.toml")}
    return sorted(names)

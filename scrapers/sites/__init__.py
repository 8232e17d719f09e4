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

from scrapers.sites.recrawl import PolicyError, age_rules, build_policy

BUILTIN_DIR = Path(__file__).parent


class ProfileError(ValueError):
    """A profile file that cannot be used; the message names the file and the field."""


class ProfileNotFoundError(ProfileError):
    """No profile of that name in the user's folders or the built-ins."""


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
    # Absolute URLs (a homepage, a sitemap, a feed) where a crawl of the site starts.
    start_urls: tuple[str, ...] = ()
    # Sitemap paths (or URLs) of the site, like ``feeds``.
    sitemaps: tuple[str, ...] = ()
    # [crawl]: politeness for this site (seconds between requests, requests at once).
    download_delay: float | None = None
    concurrency: int | None = None
    # [recrawl]: how often archived articles are visited again, by age ((age, every) pairs);
    # None: the defaults of scrapers/sites/recrawl.py.
    recrawl_ages: tuple[tuple[str, str], ...] | None = None
    recrawl_older: str | None = None
    # [media]: which of an article's photos are archived ("none", "captioned", "all"; None: the
    # run's MEDIA_IMAGES) and the hosts besides the site's own they may come from (CDNs); with hosts
    # named, images from any other host are refused.
    media_images: str | None = None
    media_hosts: tuple[str, ...] = ()
    source: str = ""
    # [parser] module = "mysite_parser": a Python file (mysite_parser.py, next to the profile or in
    # one of SITE_PROFILE_DIRS) whose fix_* functions correct fields selectors cannot express
    # (scrapers/parsers/hooks.py); parser_path is where it was found.
    parser_module: str | None = None
    parser_path: str | None = None
    # [translations] shared_id = true: the site publishes one story under the same article id in
    # each language (turan: /en/…-779784 and /ru/…-779784), so those articles are one story's
    # versions (archive/translations.py), with or without hreflang links.
    translations_shared_id: bool = False

    def selector(self, name: str) -> str | None:
        return self.selectors.get(name) or None

    def crawl_settings(self) -> dict[str, Any]:
        """The Scrapy settings the profile's ``[crawl]`` table asks for (politeness)."""
        settings: dict[str, Any] = {}
        if self.download_delay is not None:
            settings["DOWNLOAD_DELAY"] = self.download_delay
        if self.concurrency is not None:
            settings["CONCURRENT_REQUESTS_PER_DOMAIN"] = self.concurrency
        if self.media_images is not None:
            settings["MEDIA_IMAGES"] = self.media_images
        if self.media_hosts:
            settings["MEDIA_HOSTS"] = list(self.media_hosts)
        return settings

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


# What a profile file may hold: anything else is a typo, reported with the file and the field.
TOP_LEVEL_FIELDS = frozenset(
    {"name", "domain", "base_url", "languages", "timezone", "start_paths", "start_urls", "feeds", "sitemaps",
     "urls", "selectors", "chrome", "dates", "dateline", "paywall", "crawl", "recrawl", "parser", "media",
     "translations"}
)  # fmt: skip
SELECTOR_FIELDS = frozenset(
    {"title", "body", "published", "modified", "authors", "section", "tags", "captions", "caption_text",
     "comments", "comment_author", "comment_published", "comment_text", "listing_links", "next_page"}
)  # fmt: skip


def _did_you_mean(name: str, known: frozenset[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(sorted(known))})"


def _table(data: dict[str, Any], key: str, source: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ProfileError(f"{source}: [{key}] must be a table")
    return value


def _text(value: Any, where: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ProfileError(f"{where}: expected a string")
    return value


def _number(value: Any, where: str, kind: type[float] | type[int]) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and not isinstance(value, int)):
        raise ProfileError(f"{where}: expected {'an integer' if kind is int else 'a number'}")
    if value < 0:
        raise ProfileError(f"{where}: must not be negative")
    return kind(value)


def _css(selector: str, where: str) -> str:
    import soupsieve  # the HTML parser's selector engine: a selector it rejects is a profile error

    try:
        soupsieve.compile(selector)
    except soupsieve.SelectorSyntaxError as exc:
        raise ProfileError(f"{where}: bad CSS selector {selector!r}: {str(exc).splitlines()[0]}") from exc
    return selector


def _recrawl(table: dict[str, Any], source: str) -> tuple[tuple[tuple[str, str], ...] | None, str | None]:
    """[recrawl]: ages = [{ younger_than = "2d", every = "1h" }, ...], older = "180d" (or "never")."""
    unknown = sorted(set(table) - {"ages", "older"})
    if unknown:
        raise ProfileError(f"{source}: recrawl.{unknown[0]}: unknown field (known: ages, older)")
    ages = table.get("ages")
    pairs: tuple[tuple[str, str], ...] | None = None
    if ages is not None:
        if not isinstance(ages, list) or not all(
            isinstance(a, dict) and set(a) == {"younger_than", "every"} for a in ages
        ):
            raise ProfileError(f'{source}: recrawl.ages: expected a list of {{ younger_than = "2d", every = "1h" }}')
        pairs = tuple((str(a["younger_than"]), str(a["every"])) for a in ages)
    older = _text(table.get("older"), f"{source}: recrawl.older")
    try:
        if pairs is not None:
            age_rules(pairs)
        build_policy(older=older)
    except PolicyError as exc:
        raise ProfileError(f"{source}: [recrawl]: {exc}") from exc
    return pairs, older


MEDIA_POLICIES = ("none", "captioned", "all")


def _media(table: dict[str, Any], source: str) -> tuple[str | None, tuple[str, ...]]:
    """[media]: images = "captioned" (or "none", "all"), hosts = ["cdn.example.com"]."""
    unknown = sorted(set(table) - {"images", "hosts"})
    if unknown:
        raise ProfileError(f"{source}: media.{unknown[0]}: unknown field (known: hosts, images)")
    images = _text(table.get("images"), f"{source}: media.images")
    if images is not None and images not in MEDIA_POLICIES:
        raise ProfileError(f"{source}: media.images: {images!r} is not one of {', '.join(MEDIA_POLICIES)}")
    hosts = _strings(table.get("hosts"), f"{source}: media.hosts")
    return images, tuple(h.strip().lower() for h in hosts if h.strip())


def _parser(table: dict[str, Any], source: str, search_dirs: tuple[Path, ...]) -> tuple[str | None, str | None]:
    """[parser] module = "name": (the module's name, the file found for it)."""
    unknown = sorted(set(table) - {"module"})
    if unknown:
        raise ProfileError(f"{source}: parser.{unknown[0]}: unknown field (known: module)")
    module = _text(table.get("module"), f"{source}: parser.module")
    if module is None:
        return None, None
    if not re.fullmatch(r"[A-Za-z_]\w*", module):
        raise ProfileError(f"{source}: parser.module: {module!r} is not a Python module name")
    own = Path(source).parent if source.endswith(".toml") else None
    folders = [f for f in (own, *search_dirs) if f is not None]
    for folder in folders:
        path = folder / f"{module}.py"
        if path.is_file():
            return module, str(path.resolve())
    where = ", ".join(str(f) for f in folders) or "no folder (give --profiles DIR)"
    raise ProfileError(f"{source}: parser.module: no {module}.py in {where}")


def _translations(table: dict[str, Any], source: str) -> bool:
    """[translations] shared_id = true."""
    unknown = sorted(set(table) - {"shared_id"})
    if unknown:
        raise ProfileError(f"{source}: translations.{unknown[0]}: unknown field (known: shared_id)")
    value = table.get("shared_id", False)
    if not isinstance(value, bool):
        raise ProfileError(f"{source}: translations.shared_id: expected true or false")
    return value


def profile_from_dict(data: dict[str, Any], source: str = "<dict>", search_dirs: tuple[Path, ...] = ()) -> SiteProfile:
    """Builds a profile from parsed TOML, with errors that name the source and the field;
    ``search_dirs`` are where its ``[parser]`` module is looked for after the profile's own folder."""
    if not isinstance(data.get("name"), str) or not data["name"]:
        raise ProfileError(f"{source}: field 'name' is required")
    unknown = sorted(set(data) - TOP_LEVEL_FIELDS)
    if unknown:
        raise ProfileError(f"{source}: {unknown[0]}: unknown field{_did_you_mean(unknown[0], TOP_LEVEL_FIELDS)}")
    urls = _table(data, "urls", source)
    chrome = _table(data, "chrome", source)
    dates = _table(data, "dates", source)
    dateline = _table(data, "dateline", source)
    paywall = _table(data, "paywall", source)
    crawl = _table(data, "crawl", source)
    selectors = _table(data, "selectors", source)
    for key, value in selectors.items():
        if key not in SELECTOR_FIELDS:
            raise ProfileError(f"{source}: selectors.{key}: unknown field{_did_you_mean(key, SELECTOR_FIELDS)}")
        if not isinstance(value, str):
            raise ProfileError(f"{source}: selectors.{key}: expected a CSS selector string")
        _css(value, f"{source}: selectors.{key}")
    strip = _strings(chrome.get("strip"), f"{source}: chrome.strip")
    for selector in strip:
        _css(selector, f"{source}: chrome.strip")
    paywall_selector = _text(paywall.get("selector"), f"{source}: paywall.selector")
    if paywall_selector:
        _css(paywall_selector, f"{source}: paywall.selector")
    pattern = _text(dateline.get("pattern"), f"{source}: dateline.pattern")
    recrawl_ages, recrawl_older = _recrawl(_table(data, "recrawl", source), source)
    parser_module, parser_path = _parser(_table(data, "parser", source), source, search_dirs)
    media_images, media_hosts = _media(_table(data, "media", source), source)
    return SiteProfile(
        name=data["name"],
        domain=_text(data.get("domain"), f"{source}: domain"),
        base_url=_text(data.get("base_url"), f"{source}: base_url"),
        languages=_strings(data.get("languages"), f"{source}: languages"),
        timezone=_text(data.get("timezone"), f"{source}: timezone"),
        start_paths=_strings(data.get("start_paths"), f"{source}: start_paths"),
        feeds=_strings(data.get("feeds"), f"{source}: feeds"),
        article_patterns=_compile(urls.get("article", []), f"{source}: urls.article"),
        listing_patterns=_compile(urls.get("listing", []), f"{source}: urls.listing"),
        deny_patterns=_compile(urls.get("deny", []), f"{source}: urls.deny"),
        selectors=dict(selectors),
        chrome_strip=strip,
        date_formats=_strings(dates.get("formats"), f"{source}: dates.formats"),
        dateline_pattern=_compile([pattern], f"{source}: dateline.pattern")[0] if pattern else None,
        dateline_date_format=_text(dateline.get("date_format"), f"{source}: dateline.date_format"),
        end_markers=_strings(dateline.get("end_markers"), f"{source}: dateline.end_markers"),
        paywall_selector=paywall_selector,
        paywall_text=_strings(paywall.get("text"), f"{source}: paywall.text"),
        start_urls=_strings(data.get("start_urls"), f"{source}: start_urls"),
        sitemaps=_strings(data.get("sitemaps"), f"{source}: sitemaps"),
        download_delay=_number(crawl.get("download_delay"), f"{source}: crawl.download_delay", float),
        concurrency=_number(crawl.get("concurrency"), f"{source}: crawl.concurrency", int),
        recrawl_ages=recrawl_ages,
        recrawl_older=recrawl_older,
        media_images=media_images,
        media_hosts=media_hosts,
        source=source,
        parser_module=parser_module,
        parser_path=parser_path,
        translations_shared_id=_translations(_table(data, "translations", source), source),
    )


def load_profile_file(path: Path, search_dirs: tuple[Path, ...] = ()) -> SiteProfile:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML: {exc}") from exc
    return profile_from_dict(data, str(path), search_dirs)


def _packaged_profile(name: str) -> SiteProfile | None:
    """A built-in profile read through the import system: the only way into a zipped egg, which
    is how scrapyd runs a deployed project (there is no folder to look in)."""
    import importlib.resources

    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        return None
    resource = importlib.resources.files(__name__).joinpath(f"{name}.toml")
    if not resource.is_file():
        return None
    source = f"{__name__}/{name}.toml"
    try:
        data = tomllib.loads(resource.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{source}: not valid TOML: {exc}") from exc
    return profile_from_dict(data, source)


def load_profile(name: str, extra_dirs: tuple[Path, ...] = ()) -> SiteProfile:
    """Finds a profile by name (a user's folders first, then the built-ins) or by file path."""
    candidate = Path(name)
    if candidate.suffix == ".toml" and candidate.exists():
        return load_profile_file(candidate, extra_dirs)
    for folder in (*extra_dirs, BUILTIN_DIR):
        path = folder / f"{name}.toml"
        if path.exists():
            return load_profile_file(path, extra_dirs)
    packaged = _packaged_profile(name)
    if packaged is not None:
        return packaged
    known = ", ".join(available_profiles(extra_dirs))
    raise ProfileNotFoundError(f"no site profile named {name!r} (known: {known})")


def available_profiles(extra_dirs: tuple[Path, ...] = ()) -> list[str]:
    names = {p.stem for folder in (*extra_dirs, BUILTIN_DIR) if folder.is_dir() for p in folder.glob("*.toml")}
    return sorted(names)


@dataclass(frozen=True)
class ProfileFile:
    name: str
    path: Path
    builtin: bool
    shadowed: bool = False  # a user's profile of the same name comes first


def profile_files(extra_dirs: tuple[Path, ...] = ()) -> list[ProfileFile]:
    """Every profile file, a user's folders first (they win over a built-in of the same name)."""
    found: list[ProfileFile] = []
    seen: set[str] = set()
    for folder in (*extra_dirs, BUILTIN_DIR):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            found.append(ProfileFile(path.stem, path, folder == BUILTIN_DIR, path.stem in seen))
            seen.add(path.stem)
    return found

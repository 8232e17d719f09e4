"""``newsarchive sites``: list site profiles, check one on a page, draft one from a sample article.

Imported only when used (it needs the parsers, not Scrapy). A broken profile is one line naming
the file and the field, and a non-zero exit status.
"""

from __future__ import annotations

import http.client
import json
import os
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import click

from scrapers import settings as crawl_defaults
from scrapers.sites import ProfileError, SiteProfile, load_profile, profile_files

F = TypeVar("F", bound=Callable[..., Any])
USER_AGENT = "newsarchive/0.1 (site profile check; +https://github.com/newsarchive/newsarchive)"


def profiles_option(f: F) -> F:
    return click.option(
        "--profiles", "profile_dirs", multiple=True, envvar="NEWSARCHIVE_PROFILES",
        type=click.Path(file_okay=False, path_type=Path),
        help="Folder with your own site profiles (repeatable; or NEWSARCHIVE_PROFILES, separated by "
             f"{os.pathsep!r}).",
    )(f)


def _dirs(ctx: click.Context, own: tuple[Path, ...], create: bool = False) -> tuple[Path, ...]:
    found = (*own, *((ctx.obj or {}).get("profile_dirs", ())))
    if create and found:
        found[0].mkdir(parents=True, exist_ok=True)  # `sites new` writes the first folder's profile
    for folder in found:
        if not folder.is_dir():
            raise click.ClickException(f"{folder}: no such profile folder")
    return tuple(dict.fromkeys(found))


def _load(name: str, dirs: tuple[Path, ...]) -> SiteProfile:
    try:
        return load_profile(name, dirs)
    except ProfileError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(name="sites", invoke_without_command=True)
@profiles_option
@click.pass_context
def sites(ctx: click.Context, profile_dirs: tuple[Path, ...]) -> None:
    """Site profiles: list them (built-in and yours), check one on a page, draft a new one.

    \b
    Examples:
      newsarchive sites --profiles ~/profiles
      newsarchive sites check turan saved-article.html --url https://turan.az/en/politics/x-779784
      newsarchive sites new mysite --from https://example.com/2024/03/05/some-story/ --profiles ~/profiles
    """
    ctx.obj = {"profile_dirs": profile_dirs}
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_cmd)


@sites.command("list")
@profiles_option
@click.pass_context
def list_cmd(ctx: click.Context, profile_dirs: tuple[Path, ...] = ()) -> None:
    """Every profile with its source file; a broken one with its error (exit status 1)."""
    dirs = _dirs(ctx, profile_dirs)
    broken = 0
    rows = []
    for entry in profile_files(dirs):
        source = "built-in" if entry.builtin else "yours"
        if entry.shadowed:
            rows.append((entry.name, source, str(entry.path), "(not used: a profile of yours has this name)"))
            continue
        try:
            profile = load_profile(str(entry.path))
            about = profile.base_url or ("URL patterns for any site" if entry.name == "generic" else "")
        except ProfileError as exc:
            broken += 1
            about = f"BROKEN: {exc}"
        rows.append((entry.name, source, str(entry.path), about))
    width = max((len(r[0]) for r in rows), default=4)
    for name, source, path, about in rows:
        click.echo(f"{name:<{width}}  {source:<8}  {path}  {about}".rstrip())
    if not dirs:
        click.echo("(your own profiles: --profiles DIR or NEWSARCHIVE_PROFILES)", err=True)
    if broken:
        raise click.ClickException(f"{broken} broken profile{'s' if broken > 1 else ''}")


# --- reading a page ------------------------------------------------------------------------------
# A page is read as the crawl would: at most PARSE_MAX_BYTES (larger pages are not parsed), within
# DOWNLOAD_TIMEOUT seconds in all (`--timeout`); an endless or dripping body is not waited for.
MAX_BYTES = crawl_defaults.PARSE_MAX_BYTES
TIMEOUT = float(crawl_defaults.DOWNLOAD_TIMEOUT)
CHUNK = 64 * 1024
READ_WAIT = 10.0


def timeout_option(f: F) -> F:
    return click.option("--timeout", type=click.FloatRange(min=0.1), default=TIMEOUT, show_default=True,
                        help="Seconds to read a page given by URL, in all.")(f)


class _WebRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects to http(s) only (urllib's own handler also follows one to ftp:)."""

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, f"redirect to a non-web URL {newurl[:100]!r}", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(source: str, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> tuple[bytes, str | None, str]:
    """(bytes, Content-Type, final URL) of an http(s) URL: at most `max_bytes`, within `timeout` s in all,
    give or take one read (each waits at most READ_WAIT s for the server)."""
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(source, headers={"User-Agent": USER_AGENT})
    opener = urllib.request.build_opener(_WebRedirects)
    with opener.open(request, timeout=min(timeout, READ_WAIT)) as response:
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read1(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise click.ClickException(f"{source}: larger than {max_bytes:,} bytes (PARSE_MAX_BYTES): not read")
            if time.monotonic() > deadline:
                raise click.ClickException(f"{source}: not read in {timeout:g} s (--timeout)")
            chunks.append(chunk)
        return b"".join(chunks), response.headers.get("Content-Type"), response.geturl()


def read_page(source: str, url: str | None, timeout: float = TIMEOUT) -> tuple[bytes, str | None, str]:
    """(bytes, Content-Type, the page's URL) of a URL or a saved file."""
    if urlsplit(source).scheme in ("http", "https"):
        try:
            data, content_type, final = fetch(source, timeout)
        except (OSError, http.client.HTTPException) as exc:
            reason = f"not read in {timeout:g} s (--timeout)" if isinstance(exc, TimeoutError) else exc
            raise click.ClickException(f"{source}: cannot fetch: {reason}") from None
        return data, content_type, url or final
    path = Path(source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"{source}: cannot read: {exc.strerror}") from None
    return data, None, url or _stated_url(data) or path.resolve().as_uri()


def _stated_url(data: bytes) -> str | None:
    """A saved page's own address: its canonical link or og:url."""
    from scrapers.parsers import decode_html
    from scrapers.parsers.page import Page

    page = Page.from_text(decode_html(data), "")
    found = page.canonical_url
    return found if found and urlsplit(found).scheme in ("http", "https") else None


# --- check ---------------------------------------------------------------------------------------
FIELD_SELECTORS = {
    "title": ("title",), "authors": ("authors",), "published": ("published",), "modified": ("modified",),
    "section": ("section",), "tags": ("tags",), "body": ("body",), "captions": ("captions", "caption_text"),
    "comments": ("comments", "comment_author", "comment_published", "comment_text"),
}


def _evidence(profile: SiteProfile, soup: Any, field: str) -> str:
    """Which of the profile's selectors for a field match on the page (else: the generic extractor)."""
    notes = []
    for name in FIELD_SELECTORS[field]:
        selector = profile.selector(name)
        if selector:
            count = len(soup.select(selector))
            notes.append(f"{name} {selector!r}: {count} match{'es' if count != 1 else ''}")
    if not notes:
        return "generic"
    if all(": 0 matches" in n for n in notes):
        return "profile selector matched nothing, so generic: " + "; ".join(notes)
    return "profile: " + "; ".join(notes)


def article_json(article: Any) -> dict[str, Any]:
    data: dict[str, Any] = article.to_dict()
    for key in ("published", "modified"):
        data[key] = data[key].isoformat() if data[key] else None
    for comment in data["comments"]:
        comment["published"] = comment["published"].isoformat() if comment["published"] else None
    return data


@sites.command("check")
@click.argument("profile_name", metavar="PROFILE")
@click.argument("source", metavar="URL_OR_FILE")
@click.option("--url", help="The page's URL when SOURCE is a saved file (default: its canonical link).")
@click.option("--full", is_flag=True, help="The whole body and every comment, not the first lines.")
@click.option("--json", "as_json", is_flag=True, help="The parsed article as JSON.")
@timeout_option
@profiles_option
@click.pass_context
def check_cmd(ctx: click.Context, profile_name: str, source: str, url: str | None, full: bool, as_json: bool,
              timeout: float = TIMEOUT, profile_dirs: tuple[Path, ...] = ()) -> None:
    """Parse one page with PROFILE (a name or a .toml file) and show every field, with where it came
    from: the profile's selector, or the generic extractor it falls back to.

    \b
    Examples:
      newsarchive sites check turan https://turan.az/en/politics/some-title-779784
      newsarchive sites check ~/profiles/mysite.toml saved.html --url https://mysite.example/2024/03/05/story/
    """
    from bs4 import BeautifulSoup

    from scrapers.parsers import decode_html, parse_article

    profile = _load(profile_name, _dirs(ctx, profile_dirs))
    data, content_type, page_url = read_page(source, url, timeout)
    html = decode_html(data, content_type)
    try:
        article = parse_article(html, page_url, profile)
    except ProfileError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(article_json(article), ensure_ascii=False, indent=2))
        return
    click.echo(f"profile:   {profile.name} ({profile.source})")
    click.echo(f"page:      {page_url}" + (f"  (from {source})" if source != page_url else ""))
    match = profile.classify_path(urlsplit(page_url).path)
    click.echo(f"URL:       {match.kind + ' pattern' if match else 'matches none of the profile URL patterns'}")

    soup = BeautifulSoup(html, "lxml")

    def line(label: str, value: str, field: str | None = None) -> None:
        if field and field in article.hook_fields:
            where = f"   [parser hook: {article.hook_fields[field]}]"
        else:
            where = f"   [{_evidence(profile, soup, field)}]" if field else ""
        click.echo(f"{label + ':':<11}{value}{where}")

    if profile.parser_module:
        done = (f"failed, the profile's fields kept: {article.hook_error}" if article.hook_error
                else f"set {', '.join(sorted(article.hook_fields)) or 'no field'}")
        click.echo(f"{'hook:':<11}{profile.parser_module} ({profile.parser_path}): {done}")

    line("title", article.title or "-", "title")
    line("authors", ", ".join(article.authors) or "-", "authors")
    raw = f'  (raw: "{article.published_raw}")' if article.published_raw else ""
    line("published", (article.published.isoformat() if article.published else "-") + raw, "published")
    line("modified", article.modified.isoformat() if article.modified else "-", "modified")
    line("section", article.section or "-", "section")
    line("tags", ", ".join(article.tags) or "-", "tags")
    line("language", article.language or "-", "language" if "language" in article.hook_fields else None)
    line("canonical", article.canonical_url or "-", "canonical_url" if "canonical_url" in article.hook_fields else None)
    line("site", f"{article.site or '-'}   article id: {article.article_id or '-'}   key: {article.key}")
    line("partial", "yes (paywalled preview)" if article.is_partial else "no")
    paragraphs = [p for p in article.body.split("\n\n") if p]
    line("body", f"{len(paragraphs)} paragraphs, {len(article.body)} characters", "body")
    for paragraph in paragraphs if full else paragraphs[:3]:
        click.echo("    " + (paragraph if full or len(paragraph) <= 160 else paragraph[:157] + "..."))
    if not full and len(paragraphs) > 3:
        click.echo(f"    ... ({len(paragraphs) - 3} more paragraphs; --full shows them)")
    line("captions", str(len(article.captions)), "captions")
    for n, caption in enumerate(article.captions, start=1):
        credit = f" — {caption.credit}" if caption.credit else ""
        click.echo(f"    {n}. {caption.text}{credit}\n       {caption.image_url}")
    line("comments", str(len(article.comments)), "comments")
    depth: dict[str, int] = {}
    for comment in article.comments if full else article.comments[:10]:
        level = depth[comment.comment_id] = depth.get(comment.parent_id or "", -1) + 1
        when = comment.published.isoformat() if comment.published else comment.published_raw or "-"
        text = comment.text if full or len(comment.text) <= 100 else comment.text[:97] + "..."
        click.echo(f"    {'  ' * level}- #{comment.comment_id} {comment.author or '(anonymous)'}, {when}: {text}")
    if not full and len(article.comments) > 10:
        click.echo(f"    ... ({len(article.comments) - 10} more; --full shows them)")


# --- new -----------------------------------------------------------------------------------------
def _is_site_entry(data: bytes, content_type: str | None, url: str) -> bool:
    """A homepage, sitemap or feed (not one article): the site is sampled for its URL templates."""
    from scrapers.discovery import UrlClassifier, sniff

    if urlsplit(url).scheme not in ("http", "https"):
        return False
    if sniff(data, content_type) != "html":
        return True
    return UrlClassifier(load_profile("generic")).classify(url) != "article"


def _learn_site(data: bytes, content_type: str | None, url: str, dirs: tuple[Path, ...],
                timeout: float) -> tuple[list[str], str]:
    """([urls] table learned from the site, a sample article's URL); a few child sitemaps are read too."""
    from scrapers.discovery import UrlClassifier
    from scrapers.url_templates import learn_templates, sample_urls, urls_toml

    sample = sample_urls(data, url, content_type)
    urls = list(sample.urls)
    for child in sample.sitemaps[:3]:
        body, kind, _ = read_page(child, None, timeout)
        urls += sample_urls(body, child, kind).urls
    templates = learn_templates(urls, UrlClassifier(load_profile("generic", dirs)))
    for t in templates:
        click.echo(f"{t.kind:<8} {t.pages:>4} pages  {t.pattern}", err=True)
    articles = [t for t in templates if t.kind == "article"]
    if not articles:
        raise click.ClickException(f"{url}: no article URLs found among its {len(urls)} links; "
                                   "give --from one of the site's articles")
    return urls_toml(templates), articles[0].example



@sites.command("new")
@click.argument("name")
@click.option("--from", "source", required=True, metavar="URL_OR_FILE",
              help="A sample article page, or the site's homepage or sitemap (its URL templates are learned).")
@click.option("--url", help="The page's URL when --from is a saved file (default: its canonical link).")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the profile here ('-': standard output; default: NAME.toml in your profile folder).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@timeout_option
@profiles_option
@click.pass_context
def new_cmd(ctx: click.Context, name: str, source: str, url: str | None, out: Path | None, force: bool,
            timeout: float = TIMEOUT, profile_dirs: tuple[Path, ...] = ()) -> None:
    """Draft a profile NAME from one sample article: for each field, the selector that finds what the
    generic extractor finds on that page (fields no selector reproduces are left to it). From the
    site's homepage or sitemap, the site is sampled first: its article and listing URL templates are
    learned (each written with the count of pages it matched) and one of its articles is the sample.

    \b
    Examples:
      newsarchive sites new mysite --from https://mysite.example/2024/03/05/story/ --profiles ~/profiles
      newsarchive sites new mysite --from https://mysite.example/ --profiles ~/profiles
      newsarchive crawl mysite --profiles ~/profiles
    """
    from scrapers.parsers import decode_html
    from scrapers.profile_draft import draft_profile

    if not name.replace("-", "").replace("_", "").isalnum():
        raise click.ClickException(f"{name!r}: a profile name is letters, digits, '-' and '_'")
    dirs = _dirs(ctx, profile_dirs, create=True)
    data, content_type, page_url = read_page(source, url, timeout)
    urls_table: list[str] | None = None
    if _is_site_entry(data, content_type, page_url):
        urls_table, sample = _learn_site(data, content_type, page_url, _dirs(ctx, profile_dirs), timeout)
        data, content_type, page_url = read_page(sample, None, timeout)
        click.echo(f"sample article: {page_url}", err=True)
    draft = draft_profile(name, decode_html(data, content_type), page_url, urls_table)
    target = out if out is not None else (dirs[0] / f"{name}.toml" if dirs else Path("-"))
    if str(target) == "-":
        sys.stdout.write(draft.toml)
    else:
        if target.exists() and not force:
            raise click.ClickException(f"{target} exists (--force overwrites it)")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(draft.toml, encoding="utf-8")
    for finding in draft.findings:
        status = ", ".join(f"{k} = {v!r}" for k, v in finding.selectors.items()) if finding.found else finding.note
        click.echo(f"{finding.name:<10} {finding.value[:50]:<52} {status}", err=True)
    same = [k for k, ok in draft.check.items() if ok]
    differ = [k for k, ok in draft.check.items() if not ok]
    click.echo(f"checked on the sample: {len(same)} of {len(draft.check)} fields as the generic extractor"
               + (f"; differ: {', '.join(differ)}" if differ else ""), err=True)
    if str(target) != "-":
        click.echo(f"wrote {target}; try it: newsarchive sites check {target} {source}", err=True)

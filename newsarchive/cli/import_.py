"""``newsarchive import FILE...``: a thin click command over scrapers/importing.py (Scrapy loaded lazily)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from archive.errors import ArchiveError
from archive.store import Archive
from newsarchive.cli.common import DEFAULT_DB
from scrapers.health import EXIT_COULD_NOT_RUN, EXIT_ERROR, EXIT_OK, EXIT_PARTLY_FAILED

IMPORT_EXIT_HELP = """\b
Exit codes:
  0  ok: every file read to its end
  1  an unexpected error, or stopped before its end (Ctrl-C)
  2  bad command-line usage (a file that does not exist)
  3  partly read: a file is damaged or is no web archive (one line each says which and where);
     every record before the damage is imported
  4  could not run: the archive is unusable, or another job of the site holds its lock"""


def _summary(result: object, seconds: float, db: str) -> str:
    from scrapers.importing import ImportResult

    assert isinstance(result, ImportResult)
    plan = result.plan
    read = result.count("import/records")
    skipped = plan.skipped + result.prefixed("import/skipped/")
    failed = result.prefixed("archive/failed/")
    lines = [
        f"import: {plan.records} records indexed, {read} responses read in {seconds:.1f}s "
        f"({(plan.records + read) / max(seconds, 1e-9):.0f} records/s); sites: "
        + (", ".join(f"{site} {len(r)}" for site, r in sorted(plan.groups.items())) or "none"),
        f"  articles: {result.count('archive/articles/new')} new, {result.count('archive/articles/changed')} "
        f"changed (a version each), {result.count('archive/articles/unchanged')} unchanged; "
        f"{result.count('import/older_than_archived')} older than the archived copy (raw page kept only)",
        f"  pages kept, not articles: {result.count('archive/pages/new')} new page(s) in all; "
        f"not articles {result.count('archive/dropped/not_article')}, "
        f"dropped {sum(v for k, v in result.prefixed('archive/dropped/').items() if k != 'not_article')}",
        "  skipped: " + (", ".join(f"{k} {v}" for k, v in sorted(skipped.items())) or "none"),
        f"  failed: {sum(failed.values())}" + (" (" + ", ".join(f"{k} {v}" for k, v in sorted(failed.items())) + ")"
                                              if failed else ""),
        f"  archive: {db}",
    ]
    return "\n".join(lines)


@click.command("import", epilog=IMPORT_EXIT_HELP)
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--db", envvar="NEWSARCHIVE_DB", default=DEFAULT_DB, show_default=True,
              help="Archive file (created if missing).")
@click.option("--site", help="Import only this site's records (a profile name); with --base-url, its address.")
@click.option("--base-url", metavar="URL",
              help="Records under this address are --site's (e.g. a replica at http://127.0.0.1:8765).")
@click.option("--profiles", "profile_dirs", multiple=True, envvar="NEWSARCHIVE_PROFILES",
              type=click.Path(exists=True, file_okay=False), help="Folder with your own site profiles (repeatable).")
@click.option("--quiet", is_flag=True, help="No progress lines.")
@click.option("-s", "--set", "sets", multiple=True, metavar="NAME=VALUE", help="Any setting, as with scrapy -s.")
def import_cmd(files: tuple[Path, ...], db: str, site: str | None, base_url: str | None,
               profile_dirs: tuple[str, ...], quiet: bool, sets: tuple[str, ...]) -> None:
    """Import WARC or ARC files (gzipped or not) or WACZ packages: every HTML response goes through
    the crawl's parse, validate, dedupe and archive path, with its capture time as its fetch time.

    \b
    Examples:
      newsarchive import turan-2019.warc.gz turan-2020.warc.gz
      newsarchive import crawl.wacz --db data/archive.db
      newsarchive import replica.warc.gz --site turan --base-url http://127.0.0.1:8765
    """
    from scrapers.importing import plan_import, run_import
    from scrapers.records import SiteHosts
    from scrapers.sites import ProfileError, load_profile
    from scrapers.warcfiles import Inputs, iter_files

    if base_url and not site:
        raise click.UsageError("--base-url needs --site (which site's address it is)")
    dirs = tuple(Path(p) for p in profile_dirs)
    overrides: dict[str, object] = {"ARCHIVE_PATH": db, "PROGRESS_ENABLED": not quiet, "LOG_LEVEL": "WARNING",
                                    "SITE_PROFILE_DIRS": list(profile_dirs) or None}
    for item in sets:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r}: expected NAME=VALUE", param_hint="-s/--set")
        overrides[name.strip()] = value
    started = time.monotonic()
    try:
        if site:
            load_profile(site, dirs)
        Archive.open(db).close()  # creates or migrates it; refuses a file that is not an archive
    except (ArchiveError, ProfileError) as exc:
        click.echo(f"newsarchive import: could not run: {exc}", err=True)
        sys.exit(EXIT_COULD_NOT_RUN)
    inputs = Inputs()
    try:
        for path in iter_files(list(files)):
            inputs.add(path)
        hosts = SiteHosts(dirs, {base_url: site} if base_url and site else None)
        plan = plan_import(inputs, hosts, site)
        result = run_import(plan, overrides, dirs)
    finally:
        inputs.close()
    for line in plan.problems:
        click.echo(f"newsarchive import: {line}", err=True)
    for line in result.errors:
        click.echo(f"newsarchive import: could not import {line}", err=True)
    click.echo(_summary(result, time.monotonic() - started, db))
    sys.exit(_exit_code(result))


def _exit_code(result: object) -> int:
    from scrapers.importing import ImportResult

    assert isinstance(result, ImportResult)
    if result.errors:
        return EXIT_COULD_NOT_RUN
    if any(s.get("run/write_error") for s in result.stats):
        return EXIT_COULD_NOT_RUN
    if any(s.get("finish_reason") not in (None, "finished") for s in result.stats):
        return EXIT_ERROR
    return EXIT_PARTLY_FAILED if result.plan.problems else EXIT_OK

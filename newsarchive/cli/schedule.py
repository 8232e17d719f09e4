"""``newsarchive schedule SITE --every 1h``: ready-to-use cron and systemd timer units for a crawl.

Overlapping runs need no care in either: a crawl still running holds the (archive, site) lock
(scrapers/lock.py) and the next one exits at once with code 4.
"""

from __future__ import annotations

import os
import shlex
import sys
import zlib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import click

from newsarchive.cli.common import DEFAULT_DB
from scrapers.sites.recrawl import MODES, PolicyError, format_duration, parse_duration

SYSTEMD_DIR = "~/.config/systemd/user"


@dataclass(frozen=True)
class Job:
    site: str
    every: timedelta
    db: Path
    workdir: Path
    command: tuple[str, ...]  # the crawl command line, absolute paths
    log: Path

    @property
    def unit(self) -> str:
        return f"newsarchive-crawl-{self.site}"


def newsarchive_executable() -> list[str]:
    """The newsarchive entry point of this installation (absolute), else `python -m newsarchive`."""
    script = Path(sys.executable).parent / "newsarchive"
    return [str(script)] if script.exists() else [sys.executable, "-m", "newsarchive"]


def make_job(site: str, every: str, db: str, base_url: str | None = None, lang: str | None = None,
             recrawl: str | None = None, log: str | None = None) -> Job:
    interval = parse_duration(every)
    if interval < timedelta(minutes=1):
        raise PolicyError(f"--every {every}: at least 1m")
    db_path = Path(db).expanduser().resolve()
    command = [*newsarchive_executable(), "crawl", site, "--db", str(db_path), "--quiet"]
    if base_url:
        command += ["--base-url", base_url]
    if lang:
        command += ["--lang", lang]
    if recrawl:
        command += ["--recrawl", recrawl]
    log_path = Path(log).expanduser().resolve() if log else db_path.with_name(f"{db_path.name}.{site}.log")
    return Job(site, interval, db_path, Path.cwd(), tuple(command), log_path)


def _minute(site: str) -> int:
    """A stable minute for the site, so that jobs of several sites do not all start at :00."""
    return zlib.crc32(site.encode()) % 60


def cron_schedule(every: timedelta, site: str) -> str | None:
    """The five cron fields for the interval, None when cron cannot express it exactly."""
    minutes = int(every.total_seconds() // 60)
    if every.total_seconds() % 60:
        return None
    m = _minute(site)
    if minutes < 60:
        return f"*/{minutes} * * * *" if 60 % minutes == 0 else None
    hours, rest = divmod(minutes, 60)
    if rest:
        return None
    if hours < 24:
        if 24 % hours:
            return None
        return f"{m} * * * *" if hours == 1 else f"{m} */{hours} * * *"
    if hours == 24:
        return f"{m} 3 * * *"
    if hours == 24 * 7:
        return f"{m} 3 * * 0"
    return None


def _cron_escape(text: str) -> str:
    return text.replace("%", "\\%")  # % ends the command in a crontab line


def _systemd_escape(text: str) -> str:
    return text.replace("%", "%%")  # % starts a specifier in a unit file


def cron_line(job: Job) -> str:
    fields = cron_schedule(job.every, job.site)
    command = (f"mkdir -p {shlex.quote(str(job.log.parent))} && cd {shlex.quote(str(job.workdir))} && "
               f"{shlex.join(job.command)} >> {shlex.quote(str(job.log))} 2>&1")
    if fields is None:
        return (f"# cron cannot run something every {format_duration(job.every)} exactly: use the systemd "
                f"timer below, or pick 5m, 10m, 15m, 20m, 30m, 1h, 2h, 3h, 4h, 6h, 8h, 12h, 1d or 1w.")
    return f"{fields} {_cron_escape(command)}"


def service_unit(job: Job) -> str:
    return "\n".join([
        "[Unit]",
        f"Description=newsarchive: crawl {job.site} into {job.db}",
        "Wants=network-online.target",
        "After=network-online.target",
        "",
        "[Service]",
        "Type=oneshot",
        f"WorkingDirectory={_systemd_escape(str(job.workdir))}",
        f"ExecStart={_systemd_escape(shlex.join(job.command))}",
        "Nice=10",
        "# Exit codes: 0 ok, 3 partly failed, 4 could not run (busy or bad archive), 5 yield dropped.",
        "",
    ])


def timer_unit(job: Job) -> str:
    delay = min(job.every / 10, timedelta(minutes=5))
    return "\n".join([
        "[Unit]",
        f"Description=newsarchive: crawl {job.site} every {format_duration(job.every)}",
        "",
        "[Timer]",
        "OnActiveSec=1min",
        f"OnUnitActiveSec={format_duration(job.every)}",
        f"RandomizedDelaySec={int(delay.total_seconds())}s",
        "AccuracySec=1min",
        "",
        "[Install]",
        "WantedBy=timers.target",
        "",
    ])


def render(job: Job, what: str = "all") -> str:
    out = [
        f"# newsarchive: crawl {job.site} every {format_duration(job.every)} into {job.db}",
        "# A run still going holds the lock: the next one exits at once with code 4 (busy).",
    ]
    if what in ("all", "cron"):
        out += ["", "# --- cron: add this line with `crontab -e` ---", cron_line(job)]
    if what in ("all", "systemd"):
        out += [
            "", f"# --- systemd: {SYSTEMD_DIR}/{job.unit}.service ---", service_unit(job),
            f"# --- systemd: {SYSTEMD_DIR}/{job.unit}.timer ---", timer_unit(job),
            "# then: systemctl --user daemon-reload && systemctl --user enable --now "
            f"{job.unit}.timer",
            "#       loginctl enable-linger \"$USER\"   # keep user timers running after logout",
            f"#       journalctl --user -u {job.unit}.service   # the runs' summaries",
        ]
    return "\n".join(out) + "\n"


def _write_units(job: Job, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, text in ((".service", service_unit(job)), (".timer", timer_unit(job))):
        path = folder / f"{job.unit}{suffix}"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


@click.command("schedule")
@click.argument("site")
@click.option("--every", required=True, metavar="INTERVAL", help="How often: 15m, 1h, 6h, 1d, 1w ...")
@click.option("--db", "db", metavar="PATH", default=None, help="Archive file (default: the group's --db).")
@click.option("--base-url", help="Crawl this address instead of the site's own.")
@click.option("--lang", help="Comma-separated languages, e.g. az,en,ru.")
@click.option("--recrawl", type=click.Choice(MODES), default=None, help="Re-crawl mode (default: age).")
@click.option("--log", "log", metavar="PATH", help="cron's log file (default: next to the archive).")
@click.option("--format", "what", type=click.Choice(["all", "cron", "systemd"]), default="all",
              show_default=True, help="What to print.")
@click.option("--write-units", "unit_dir", metavar="DIR", type=click.Path(file_okay=False),
              help=f"Also write the systemd units into DIR (e.g. {SYSTEMD_DIR}).")
@click.pass_context
def schedule(ctx: click.Context, site: str, every: str, db: str | None, base_url: str | None, lang: str | None,
             recrawl: str | None, log: str | None, what: str, unit_dir: str | None) -> None:
    """Print ready-to-use cron and systemd timer units that crawl SITE every INTERVAL.

    Paths come out absolute, so the lines work from any folder. Nothing is installed unless
    --write-units says where.

    \b
    Examples:
      newsarchive schedule turan --every 1h --db data/archive.db
      newsarchive schedule turan --every 30m --format cron >> my-crontab
      newsarchive schedule turan --every 6h --write-units ~/.config/systemd/user
    """
    path = db or ctx.find_root().params.get("db") or os.environ.get("NEWSARCHIVE_DB") or DEFAULT_DB
    try:
        job = make_job(site, every, path, base_url, lang, recrawl, log)
    except PolicyError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from None
    click.echo(render(job, what), nl=False)
    if unit_dir:
        for written in _write_units(job, Path(unit_dir).expanduser()):
            click.echo(f"# wrote {written}", err=True)

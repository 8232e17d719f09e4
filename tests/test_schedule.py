"""`newsarchive schedule`: cron lines and systemd units that work as printed; scrapyd's deploy target."""

from __future__ import annotations

import configparser
import shlex
import sqlite3
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from newsarchive.cli.schedule import cron_schedule
from replica.server import running_replica
from tests.conftest import ROOT, newsarchive, newsarchive_here


@pytest.mark.parametrize(
    ("every", "fields"),
    [
        (timedelta(minutes=15), "*/15 * * * *"),
        (timedelta(hours=1), "{m} * * * *"),
        (timedelta(hours=6), "{m} */6 * * *"),
        (timedelta(days=1), "{m} 3 * * *"),
        (timedelta(weeks=1), "{m} 3 * * 0"),
        (timedelta(minutes=7), None),
        (timedelta(minutes=90), None),
        (timedelta(hours=5), None),
    ],
)
def test_cron_fields(every: timedelta, fields: str | None) -> None:
    got = cron_schedule(every, "turan")
    minute = got.split()[0] if got else ""
    assert got == (fields.format(m=minute) if fields else None)
    if got and "{m}" in (fields or ""):
        assert 0 <= int(minute) < 60


def _units(text: str) -> dict[str, configparser.ConfigParser]:
    """The .service and .timer blocks of the output, parsed as INI."""
    units: dict[str, configparser.ConfigParser] = {}
    name, lines = "", list[str]()
    for line in [*text.splitlines(), "# --- end"]:
        if line.startswith("# --- "):
            if name:
                parser = configparser.ConfigParser(interpolation=None, strict=True)
                parser.optionxform = str  # type: ignore[assignment,method-assign]
                parser.read_string("\n".join(x for x in lines if not x.startswith("#")))
                units[name] = parser
            name = line.split()[-2] if line.endswith(" ---") and ("service" in line or "timer" in line) else ""
            lines = []
        elif name:
            lines.append(line)
    return units


@pytest.mark.crawl
def test_printed_cron_line_and_units_work(tmp_path: Path) -> None:
    db = tmp_path / "data" / "archive.db"
    with running_replica(articles=40, seed=9) as base:
        out = newsarchive("schedule", "turan", "--every", "1h", "--db", str(db), "--base-url", base)
        assert out.returncode == 0, out.stderr
        lines = out.stdout.splitlines()
        cron = lines[next(i for i, line in enumerate(lines) if line.startswith("# --- cron")) + 1]
        fields, command = cron.split(maxsplit=5)[:5], cron.split(maxsplit=5)[5]
        assert fields[1:] == ["*", "*", "*", "*"]
        units = _units(out.stdout)
        service = units[next(n for n in units if n.endswith(".service"))]
        timer = units[next(n for n in units if n.endswith(".timer"))]
        assert service["Service"]["Type"] == "oneshot"
        assert timer["Timer"]["OnUnitActiveSec"] == "1h" and timer["Install"]["WantedBy"] == "timers.target"
        exec_start = shlex.split(service["Service"]["ExecStart"])
        assert Path(exec_start[0]).is_absolute() and exec_start[1:3] == ["crawl", "turan"]
        assert str(db) in exec_start
        # The cron line, run by a shell as cron would, crawls into the archive and logs.
        ran = subprocess.run(["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                             check=False)
        assert ran.returncode == 0, ran.stderr
        expected = sum(1 for _ in base.site.ground_truth(base))
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == expected
    log = db.with_name("archive.db.turan.log").read_text()
    assert "crawl finished" in log and "status: ok (exit 0" in log


def test_intervals_cron_cannot_express_and_bad_ones(tmp_path: Path) -> None:
    out = newsarchive_here("schedule", "turan", "--every", "90m", "--db", str(tmp_path / "a.db"))
    assert out.returncode == 0
    assert "# cron cannot run something every 90m exactly" in out.stdout
    assert "OnUnitActiveSec=90m" in out.stdout
    bad = newsarchive_here("schedule", "turan", "--every", "often", "--db", str(tmp_path / "a.db"))
    assert bad.returncode == 2 and "bad duration 'often'" in bad.stderr


def test_write_units(tmp_path: Path) -> None:
    folder = tmp_path / "units"
    out = newsarchive_here("schedule", "turan", "--every", "6h", "--db", str(tmp_path / "a.db"), "--format", "systemd",
                      "--write-units", str(folder))
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["newsarchive-crawl-turan.service",
                                                        "newsarchive-crawl-turan.timer"]
    assert "crontab" not in out.stdout


def test_scrapyd_deploy_target() -> None:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "scrapy.cfg")
    assert cfg["settings"]["default"] == "scrapers.settings"
    assert cfg["deploy"]["project"] == "newsarchive"
    assert cfg["deploy"]["url"].startswith("http")

"""Shared helpers: run the real `newsarchive` CLI in a subprocess, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def newsarchive(*args: str, timeout: float = 300, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Runs `newsarchive ARGS` in a fresh interpreter (Scrapy's reactor runs once per process)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("NEWSARCHIVE_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "newsarchive", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )


def newsarchive_here(*args: str) -> subprocess.CompletedProcess[str]:
    """Runs `newsarchive ARGS` in this process (click's test runner), as `newsarchive` would: the same
    command, exit code, stdout and stderr, without an interpreter's start-up. For the commands that
    start no crawl (Scrapy's reactor runs once per process: a crawl needs `newsarchive` above)."""
    from click.testing import CliRunner

    from newsarchive.cli import main

    result = CliRunner(env={"NEWSARCHIVE_DB": None}).invoke(main, list(args), catch_exceptions=False)
    return subprocess.CompletedProcess(["newsarchive", *args], result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def cli() -> object:
    return newsarchive

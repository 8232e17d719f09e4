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


@pytest.fixture
def cli() -> object:
    return newsarchive

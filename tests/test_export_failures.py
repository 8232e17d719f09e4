"""An export that cannot be written fails with one line and leaves nothing under the target name.

Real failures, no mocks: a folder the exporting user cannot write to (as root, the export runs as
`nobody`), a full disk (a small tmpfs mounted for the test, when this machine lets us mount one)
and a file size limit (RLIMIT_FSIZE, set in the exporting process only).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.export import build_archive
from tests.conftest import ROOT

FORMATS = ("warc", "wacz", "jsonl", "csv")
SUFFIX = {"warc": ".warc.gz", "wacz": ".wacz", "jsonl": ".jsonl", "csv": ".csv"}
OLD = b"an earlier export, to be kept"
LIMIT = 200_000  # bytes: the smallest export here (CSV) is about 300 KB


@pytest.fixture(scope="module")
def shared() -> Iterator[Path]:
    """A 150-page archive (about 2.5 MB of WARC)."""
    folder = Path(tempfile.mkdtemp(prefix="newsarchive-export-fail-"))
    try:
        build_archive(folder / "archive.db", 150, seed=9)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def export(db: Path, fmt: str, target: Path, **popen: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1"}
    env.pop("NEWSARCHIVE_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "newsarchive", "export", fmt, "--db", str(db), "-o", str(target)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False, **popen,  # type: ignore[call-overload]
    )


def assert_clean_failure(result: subprocess.CompletedProcess[str], folder: Path, target: Path, reason: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1, result.stderr
    assert len(lines) == 1 and lines[0].startswith(f"Error: cannot write {target}") and reason in lines[0], lines
    assert "Traceback" not in result.stderr
    assert target.read_bytes() == OLD  # the earlier file under that name is untouched
    assert [p.name for p in folder.iterdir()] == [target.name]  # no temporary file left behind


@pytest.mark.parametrize("fmt", FORMATS)
def test_unwritable_folder(shared: Path, tmp_path: Path, fmt: str) -> None:
    """A folder the export may not write to: mode 555 for an ordinary user; as root (who writes
    anywhere) a tmpfs remounted read-only."""
    folder = tmp_path / "out"
    folder.mkdir()
    as_root = os.geteuid() == 0
    if as_root and not _mount_tmpfs(folder, "1m"):
        pytest.skip("running as root without the right to mount: no folder root cannot write to")
    try:
        target = folder / f"out{SUFFIX[fmt]}"
        target.write_bytes(OLD)
        if as_root:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        else:
            folder.chmod(0o555)
        result = export(shared / "archive.db", fmt, target)
        assert_clean_failure(result, folder, target, "Read-only file system" if as_root else "Permission denied")
    finally:
        if as_root:
            subprocess.run(["umount", str(folder)], check=True)
        else:
            folder.chmod(0o755)


def _mount_tmpfs(folder: Path, size: str) -> bool:
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                              capture_output=True, check=False)
    except FileNotFoundError:
        return False
    return done.returncode == 0


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


@pytest.mark.parametrize("fmt", FORMATS)
def test_full_disk(shared: Path, tmp_path: Path, fmt: str) -> None:
    """A 200 KB tmpfs when one can be mounted here, else a 200 KB file size limit: both real failures
    of write() in the middle of the export (the exports are 0.3-2.6 MB)."""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = _mount_tmpfs(folder, "200k")
    try:
        target = folder / f"out{SUFFIX[fmt]}"
        target.write_bytes(OLD)
        if mounted:
            result = export(shared / "archive.db", fmt, target)
            reason = "No space left on device"
        else:
            result = export(shared / "archive.db", fmt, target, preexec_fn=_limit_file_size)
            reason = "file too large"
        assert_clean_failure(result, folder, target, reason)
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=True)


@pytest.mark.parametrize("fmt", ("warc", "csv"))
def test_file_size_limit(shared: Path, tmp_path: Path, fmt: str) -> None:
    """RLIMIT_FSIZE: the kernel refuses the write past the limit (EFBIG; SIGXFSZ is ignored by the export)."""
    target = tmp_path / f"out{SUFFIX[fmt]}"
    target.write_bytes(OLD)
    result = export(shared / "archive.db", fmt, target, preexec_fn=_limit_file_size)
    assert_clean_failure(result, tmp_path, target, "file too large")
    ok = export(shared / "archive.db", fmt, target)  # the same export without the limit succeeds
    assert ok.returncode == 0 and target.stat().st_size > LIMIT

"""One crawl job at a time per (archive, site): a lock file next to the archive.

``data/archive.db`` crawled for ``turan`` is locked by ``data/archive.db.turan.lock``, which holds
an exclusive ``flock`` for as long as the job runs and says who holds it (pid, start time, host).
The kernel drops a ``flock`` when its process dies, even by ``kill -9``, so a killed job leaves no
lock that needs guessing: the file's text is then stale, and the next job takes the lock over and
says so. A second job while the first is alive fails at once with ``LockBusyError``.

The lock file is removed when the job releases it, while still holding it; a job that opened the
file just before checks, once it holds the lock, that the path still names that very file, and
tries again if not (so two jobs never both hold "the" lock). It is opened with ``O_NOFOLLOW`` and
must be a regular file with no other name: a symlink or hard link planted beside an archive must
not make a job truncate what it points to.

Locks are re-entrant within a process (the ``crawl`` command takes the lock before starting Scrapy,
and the Scrapy extension that guards plain ``scrapy crawl`` takes it again).
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import socket
import stat
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from archive.errors import ArchiveError

_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")
# path -> (lock, depth): this process's held locks, for re-entrance.
_HELD: dict[str, tuple[JobLock, int]] = {}
_HELD_GUARD = threading.Lock()
_OPEN_FLAGS = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_ATTEMPTS = 5  # a lock file removed under us by its releaser this often in a row: give up


class LockBusyError(ArchiveError):
    """Another live job holds the lock; `holder` says who, as written in the lock file."""

    def __init__(self, message: str, holder: dict[str, Any]) -> None:
        super().__init__(message)
        self.holder = holder


def lock_path(archive: str | Path, site: str) -> Path:
    archive = Path(archive)
    return archive.with_name(f"{archive.name}.{_SAFE.sub('_', site)}.lock")


def _describe(holder: dict[str, Any]) -> str:
    parts = [f"pid {holder.get('pid', '?')}"]
    if holder.get("host") and holder.get("host") != socket.gethostname():
        parts.append(f"on {holder['host']}")
    if holder.get("started"):
        parts.append(f"started {holder['started']}")
    return ", ".join(parts)


@dataclass
class TakeOver:
    """A stale lock taken over: what the dead job had written in it."""

    holder: dict[str, Any]

    def __str__(self) -> str:
        return f"took over the lock of a job that is gone ({_describe(self.holder)})"


class JobLock:
    """``with JobLock(archive, site):`` runs the block as the only job of `site` on `archive`."""

    def __init__(self, archive: str | Path, site: str) -> None:
        self.archive = Path(archive)
        self.site = site
        self.path = lock_path(self.archive, site)
        self.taken_over: TakeOver | None = None
        self._fd: int | None = None

    @property
    def _key(self) -> str:
        return str(self.path.resolve())

    def acquire(self) -> Self:
        """Takes the lock or raises LockBusyError at once (never waits)."""
        with _HELD_GUARD:
            held = _HELD.get(self._key)
            if held is not None:
                _HELD[self._key] = (held[0], held[1] + 1)  # the holder reported any take-over
                return self
            self._take()
            _HELD[self._key] = (self, 1)
        return self

    def _open(self) -> int:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, _OPEN_FLAGS, 0o644)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise ArchiveError(f"the lock file {self.path} is a symbolic link; remove it") from None
            if exc.errno == errno.EISDIR:
                raise ArchiveError(f"the lock file {self.path} is not a regular file; remove it") from None
            raise ArchiveError(f"cannot create the lock file {self.path}: {exc.strerror}") from None
        found = os.fstat(fd)
        problem = (
            "is not a regular file" if not stat.S_ISREG(found.st_mode)
            else "has other names (hard links)" if found.st_nlink > 1 else None
        )
        if problem:
            os.close(fd)
            raise ArchiveError(f"the lock file {self.path} {problem}; remove it")
        return fd

    def _still_named(self, fd: int) -> bool:
        """Whether the path still names the file `fd` holds (its releaser may have removed it)."""
        try:
            named = os.stat(self.path, follow_symlinks=False)
        except FileNotFoundError:
            return False
        held = os.fstat(fd)
        return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)

    def _take(self) -> None:
        for _ in range(_ATTEMPTS):
            fd = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read(fd)
                os.close(fd)
                raise LockBusyError(
                    f"busy: another crawl of {self.site!r} into {self.archive} is running ({_describe(holder)}); "
                    f"lock file {self.path}",
                    holder,
                ) from None
            if self._still_named(fd):
                self._hold(fd)
                return
            os.close(fd)  # released and removed between our open and our flock: open the new one
        raise ArchiveError(f"cannot take the lock file {self.path}: it keeps being removed")

    def _hold(self, fd: int) -> None:
        stale = _read(fd)
        if stale.get("pid"):  # a holder that did not release: killed, or the machine went down
            self.taken_over = TakeOver(stale)
        info = {
            "pid": os.getpid(), "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "host": socket.gethostname(), "site": self.site, "archive": str(self.archive),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(info) + "\n").encode(), 0)
        self._fd = fd

    def release(self) -> None:
        with _HELD_GUARD:
            held = _HELD.get(self._key)
            if held is None:
                return
            owner, depth = held
            if depth > 1:
                _HELD[self._key] = (owner, depth - 1)
                return
            del _HELD[self._key]
            if owner._fd is not None:
                # Removed while still held: a job that opened it meanwhile sees, once it holds it,
                # that the path no longer names it (_still_named), and starts again.
                if owner._still_named(owner._fd):
                    owner.path.unlink(missing_ok=True)
                os.ftruncate(owner._fd, 0)
                fcntl.flock(owner._fd, fcntl.LOCK_UN)
                os.close(owner._fd)
                owner._fd = None

    def __enter__(self) -> Self:
        return self.acquire()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def holds(archive: str | Path, site: str) -> bool:
    """Whether this process holds the lock of `site` on `archive`."""
    with _HELD_GUARD:
        return str(lock_path(archive, site).resolve()) in _HELD


def _read(fd: int) -> dict[str, Any]:
    text = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"text": text[:200]}
    return value if isinstance(value, dict) else {}

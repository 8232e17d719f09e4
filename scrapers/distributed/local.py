"""A throwaway ``redis-server`` on 127.0.0.1 (a free port, its own folder): for tests, benchmarks
and trying a distributed crawl on one machine. Never the system's Redis service."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Self

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

CANDIDATES = ("redis-server", "/usr/bin/redis-server", "/usr/sbin/redis-server", "/usr/local/bin/redis-server")


def find_redis_server() -> str | None:
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalRedis:
    """``with LocalRedis() as r:`` a redis-server with an append-only file (so a restart keeps the
    crawl), at ``r.url(db)``; ``r.restart(down=2.0)`` stops it cleanly and starts it again."""

    def __init__(self, binary: str | None = None, folder: Path | None = None) -> None:
        found = binary or find_redis_server()
        if found is None:
            raise FileNotFoundError("redis-server not found (Debian: apt-get install redis-server)")
        self.binary = found
        self._tmp = tempfile.TemporaryDirectory(prefix="newsarchive-redis-") if folder is None else None
        self.folder = folder or Path(self._tmp.name if self._tmp else ".")
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> Self:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
             "--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--daemonize", "no",
             "--logfile", str(self.folder / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.exceptions.RedisError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"redis-server did not start (see {self.folder / 'redis.log'})") from None
                time.sleep(0.05)
        while client.info("persistence").get("loading"):
            time.sleep(0.05)
        client.close()
        return self

    def stop(self) -> None:
        """A clean stop: SHUTDOWN writes the append-only file first."""
        if self.process is None:
            return
        if self.process.poll() is None:
            # No retries: the connection SHUTDOWN closes is its answer.
            with contextlib.suppress(redis.exceptions.RedisError):
                redis.Redis(port=self.port, socket_connect_timeout=1, retry=Retry(NoBackoff(), 0)).shutdown()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self, down: float = 0.0) -> None:
        self.stop()
        time.sleep(down)
        self.start()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
        if self._tmp is not None:
            self._tmp.cleanup()

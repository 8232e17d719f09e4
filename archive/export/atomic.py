"""Writing an export so that it is either complete under its name or not there at all.

The bytes go to a temporary file in the target's own folder (same file system, so the final
``os.replace`` is atomic), which is flushed and fsync'ed before the rename, and the folder is
fsync'ed after it.  Any failure (no such folder, no permission, a full disk, a file size limit)
removes the temporary file and becomes one ``ExportError`` line naming the target.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from archive.errors import ArchiveError

STDOUT = "-"


class ExportError(ArchiveError):
    """An export could not be written (its target, the disk); nothing was left under the target name."""


def describe(exc: OSError) -> str:
    """An OSError as a short reason: 'No space left on device', 'Permission denied'..."""
    if exc.errno == errno.EFBIG:
        return "file too large (a file size limit was reached)"
    return exc.strerror or str(exc)


@contextmanager
def _no_sigxfsz() -> Iterator[None]:
    """A process over its file size limit (ulimit -f) is killed by SIGXFSZ before write() can fail;
    ignored for the export, the write fails with EFBIG instead and is reported like a full disk."""
    if not hasattr(signal, "SIGXFSZ"):
        yield
        return
    try:
        previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    except ValueError:  # not the main thread: signals cannot be changed here
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGXFSZ, previous)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # some file systems do not open folders; the rename itself is done
    try:
        os.fsync(fd)
    except OSError:
        pass  # fsync of a folder is not supported everywhere; the data itself was fsync'ed
    finally:
        os.close(fd)


def _temporary(target: Path) -> tuple[int, Path]:
    if target.is_dir():
        raise ExportError(f"cannot write {target}: it is a folder")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except FileNotFoundError:
        raise ExportError(f"cannot write {target}: no folder {target.parent}") from None
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {describe(exc)}") from None
    return fd, Path(name)


@contextmanager
def _atomic(target: Path) -> Iterator[tuple[BinaryIO, Path]]:
    with _no_sigxfsz():
        fd, part = _temporary(target)
        try:
            with os.fdopen(fd, "wb") as out:
                yield out, part
                out.flush()
                os.fsync(out.fileno())
            os.chmod(part, 0o666 & ~_umask())  # mkstemp makes it 0600; an export is an ordinary file
            os.replace(part, target)
        except OSError as exc:
            part.unlink(missing_ok=True)
            raise ExportError(f"cannot write {target}: {describe(exc)}; nothing was written") from None
        except BaseException:
            part.unlink(missing_ok=True)
            raise
    _fsync_folder(target.parent)


@contextmanager
def atomic_file(target: str | Path) -> Iterator[BinaryIO]:
    """A binary file that becomes `target` when the block ends without an error."""
    with _atomic(Path(target)) as (out, _):
        yield out


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """A temporary path beside `target` for a writer that opens files by name (the WACZ packer);
    renamed to `target` when the block ends without an error.  The fsync before the rename goes
    through this module's own descriptor of the same file, so it covers what the writer wrote."""
    with _atomic(Path(target)) as (_, part):
        yield part


@contextmanager
def output(target: str | Path) -> Iterator[BinaryIO]:
    """`target` written atomically, or standard output when it is '-' (streamed as it comes)."""
    if str(target) != STDOUT:
        with atomic_file(target) as out:
            yield out
        return
    try:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
    except BrokenPipeError:  # `export jsonl - | head`: the reader had enough, not an error
        _quiet_stdout()
    except OSError as exc:
        raise ExportError(f"cannot write to standard output: {describe(exc)}") from None


def _quiet_stdout() -> None:
    """After a broken pipe: stdout pointed at /dev/null, so the interpreter's final flush is silent."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

"""The archive's exceptions.

Every problem a user can cause (a missing file, a foreign file, a bad query, an unknown article)
is an ``ArchiveError`` whose message is one self-contained line, so the CLI can print it as is.
"""

from __future__ import annotations


class ArchiveError(Exception):
    """Base class: anything that goes wrong opening, reading or writing an archive."""


class NotAnArchiveError(ArchiveError):
    """The file exists but is not a newsarchive archive (or not SQLite at all)."""


class SchemaTooNewError(ArchiveError):
    """The archive was written by a newer newsarchive than the one running."""


class QueryError(ArchiveError):
    """A search query with nothing searchable in it."""


class ArticleNotFoundError(ArchiveError):
    """No article matches the id, key or URL asked for."""


class BodyDamagedError(ArchiveError):
    """A stored page body that does not decode to the bytes it was stored as: it cannot be
    decompressed, decompresses beyond its recorded size (or the limit), or its hash differs."""

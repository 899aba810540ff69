"""Connection settings: where a graph database is and how to log in.

A module of its own, importing nothing of graphkit, so that both the driver module
(:mod:`graphkit.connection`) and the local server (:mod:`graphkit.local`) can use it without
importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ConnectionSettings:
    """Everything needed to open a driver: the server's URI, the login and the database name.

    The password is left out of ``repr`` so that settings can be logged or shown in a test
    failure without leaking it.

    ``password_from`` names where the password came from, for a refused login's message.
    ``reader`` is a login to the same server that the server lets only read (the local server's
    ``reader``); read-only queries use it when present. ``home`` is the local server's data
    directory, where a failed write looks for a full disk.
    """

    uri: str
    user: str
    password: str = field(repr=False)
    database: str
    password_from: str = "NEO4J_PASSWORD"  # graphkit.connection.PASSWORD_ENV
    reader: ConnectionSettings | None = field(default=None, repr=False)
    home: Path | None = None

    def describe(self) -> str:
        """Return a one-line, password-free description, e.g. ``root@bolt://127.0.0.1:7687/graphkit``."""
        return f"{self.user}@{self.uri} (database {self.database!r})"

"""Connection settings: where a graph database is and how to log in.

A module of its own, importing nothing of graphkit, so that both the driver module
(:mod:`graphkit.connection`) and the local server (:mod:`graphkit.local`) can use it without
importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ConnectionSettings:
    """Everything needed to open a driver: the server's URI, the login and the database name.

    The password is left out of ``repr`` so that settings can be logged or shown in a test
    failure without leaking it.
    """

    uri: str
    user: str
    password: str = field(repr=False)
    database: str

    def describe(self) -> str:
        """Return a one-line, password-free description, e.g. ``root@bolt://127.0.0.1:7687/graphkit``."""
        return f"{self.user}@{self.uri} (database {self.database!r})"

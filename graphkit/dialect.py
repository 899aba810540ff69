"""What differs between Neo4j and the local default (ArcadeDB over Bolt), handled in this one place.

graphkit writes one Cypher and uses one driver for both engines; where the servers behave
differently, the difference is named here and the rest of graphkit asks this module. The README's
table "Neo4j and the local default" lists the same differences for users.

- **Which server**: both announce themselves as Neo4j over Bolt; ArcadeDB's agent string adds
  ``compatible (ArcadeDB …)`` (:func:`engine_of`).
- **Error positions**: Neo4j reports ``(line 1, column 10 (offset: 9))`` with 1-based columns,
  ArcadeDB ``at line 1:9`` or ``at line 2, column 14`` with 0-based ones; :func:`error_position`
  gives the 1-based (line, column) of either, so messages read the same on both.
- **Empty results**: ArcadeDB sends no column names with an empty result; Neo4j does (the CLI
  prints "(0 rows)" either way).
- **Element ids**: ``4:…:12`` on Neo4j, ``#1:150`` on ArcadeDB; graphkit never reads them (results
  are plain maps, see :func:`graphkit.store.plain`).
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only annotations use it; the CLI starts without the driver (tests/test_startup.py)
    import neo4j


class Engine(StrEnum):
    """The kinds of server graphkit talks to."""

    NEO4J = "neo4j"
    ARCADEDB = "arcadedb"


def engine_of(driver: neo4j.Driver) -> Engine:
    """Which kind of server ``driver`` is connected to, from the agent string it announced."""
    agent = driver.get_server_info().agent or ""
    return Engine.ARCADEDB if "ArcadeDB" in agent else Engine.NEO4J


_NEO4J_POSITION = re.compile(r"\(line (\d+), column (\d+) \(offset: \d+\)\)")
_ARCADE_POSITIONS = (re.compile(r"\bat line (\d+):(\d+)"), re.compile(r"\bat line (\d+), column (\d+)"))


def error_position(message: str) -> tuple[int, int] | None:
    """The 1-based (line, column) a server's error message points at, on either engine, or ``None``.

    >>> error_position("Invalid input 'RETURN' (line 1, column 10 (offset: 9))")
    (1, 10)
    >>> error_position("Syntax error at line 1:9 - no viable alternative at input '(n RETURN'")
    (1, 10)
    >>> error_position("Unexpected input 'RETRN' at line 2, column 14")
    (2, 15)
    >>> error_position("Node(42) already exists") is None
    True
    """
    found = _NEO4J_POSITION.search(message)
    if found:
        return int(found.group(1)), int(found.group(2))
    for pattern in _ARCADE_POSITIONS:
        found = pattern.search(message)
        if found:
            return int(found.group(1)), int(found.group(2)) + 1
    return None

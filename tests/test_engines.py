"""The engines the database suite runs on are the servers they claim to be.

Every database test runs once per engine (``conftest.py``); this module checks that the ``neo4j``
engines really are Neo4j at the pinned versions (from Maven Central's jars, see
``tests/neo4j_server.py``), and that the local default is not Neo4j, so a green suite means what it
says.
"""

from __future__ import annotations

import os

import neo4j
from neo4j_server import ENGINES, required_java

from graphkit.connection import ConnectionSettings


def test_engine_is_the_server_it_claims(engine: str, db_server: ConnectionSettings, db_driver: neo4j.Driver) -> None:
    agent = db_driver.get_server_info().agent
    if engine == "local":
        assert "ArcadeDB" in agent, agent
        return
    assert agent.startswith("Neo4j/") and "ArcadeDB" not in agent, agent
    if engine == "neo4j" and os.environ.get("GRAPHKIT_TEST_NEO4J_URI"):
        return  # a server the tester named: any Neo4j
    records, _, _ = db_driver.execute_query(
        "CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition",
        database_=db_server.database,
    )
    kernel = next(r for r in records if r["name"] == "Neo4j Kernel")
    assert kernel["versions"][0] == ENGINES[engine]
    assert kernel["edition"] == "community"


def test_java_requirements_follow_neo4j_releases() -> None:
    assert [required_java(v) for v in ("5.26.30", "2025.01.0", "2025.09.0", "2025.10.1", "2026.08.1")] == [
        17,
        21,
        21,
        25,
        25,
    ]

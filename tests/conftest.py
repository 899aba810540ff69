"""Shared fixtures: real database servers, started once per session.

- ``local_server``: ONE local ArcadeDB server (Bolt) in a temporary data directory for the whole
  session, or the server named by ``GRAPHKIT_TEST_URI`` (with ``NEO4J_USERNAME``,
  ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``). Yields :class:`~graphkit.connection.ConnectionSettings`.
- ``db``: the same settings with the database emptied before the test.
- ``neo4j_server``: a Neo4j 5 container through testcontainers, or a skip when no Docker engine
  answers.

Tests that use ``local_server`` or ``db`` are marked ``db`` automatically (``-m "not db"`` skips
them); tests that use ``neo4j_server`` are marked ``neo4j``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import neo4j
import pytest

from graphkit.connection import ConnectionSettings, open_driver, resolve_settings
from graphkit.local import LocalServer

TEST_URI_ENV = "GRAPHKIT_TEST_URI"
NEO4J_IMAGE = os.environ.get("GRAPHKIT_TEST_NEO4J_IMAGE", "neo4j:5")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by the servers their fixtures need."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & {"local_server", "db", "db_driver"}:
            item.add_marker(pytest.mark.db)
        if "neo4j_server" in names:
            item.add_marker(pytest.mark.neo4j)


@pytest.fixture(scope="session")
def local_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConnectionSettings]:
    """Settings of the session's database server: a local server started here, or GRAPHKIT_TEST_URI."""
    uri = os.environ.get(TEST_URI_ENV)
    if uri:
        yield resolve_settings(uri=uri)
        return
    server = LocalServer(tmp_path_factory.mktemp("graphkit-home"))
    settings = server.start(timeout=120)
    try:
        yield settings
    finally:
        server.stop()


@pytest.fixture(scope="session")
def db_driver(local_server: ConnectionSettings) -> Iterator[neo4j.Driver]:
    """One driver to the session's server, shared by the tests (pass ``database_=settings.database``)."""
    driver = open_driver(local_server)
    try:
        yield driver
    finally:
        driver.close()


@pytest.fixture
def db(local_server: ConnectionSettings, db_driver: neo4j.Driver) -> ConnectionSettings:
    """Settings of the session's server with its database emptied (every node and relation deleted)."""
    db_driver.execute_query("MATCH (n) DETACH DELETE n", database_=local_server.database)
    return local_server


def _docker_problem() -> str | None:
    """Return why no Docker engine can be used, or ``None`` if one answers."""
    try:
        import docker
    except ImportError:
        return "the docker package is not installed (pip install -e '.[dev]')"
    try:
        client = docker.from_env(timeout=3)
        client.ping()
        client.close()
    except Exception as exc:
        return f"no engine answers at {os.environ.get('DOCKER_HOST', 'the default socket')} ({type(exc).__name__})"
    return None


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[ConnectionSettings]:
    """Settings of a Neo4j 5 server in a testcontainers container (skips without Docker)."""
    problem = _docker_problem()
    if problem is not None:
        pytest.skip(f"no Docker engine: Neo4j 5 tests skipped; {problem}. The same tests run against the local server.")
    from testcontainers.community.neo4j import Neo4jContainer

    with Neo4jContainer(NEO4J_IMAGE) as container:
        yield ConnectionSettings(
            uri=container.get_connection_url(),
            user=container.username,
            password=container.password,
            database="neo4j",
        )

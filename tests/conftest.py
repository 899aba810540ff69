"""Shared fixtures: real database servers, started once per session, and every database test on each.

The engines (``GRAPHKIT_TEST_ENGINES``, comma-separated; default all three):

- ``local``: the local default, a graphkit-managed ArcadeDB server (Bolt) in a temporary home, or
  the server named by ``GRAPHKIT_TEST_URI`` (with ``NEO4J_USERNAME``/``NEO4J_PASSWORD``/
  ``NEO4J_DATABASE``).
- ``neo4j``: Neo4j 5.26 LTS run from Maven Central's jars (:mod:`neo4j_server`) on Java 17, or the
  server named by ``GRAPHKIT_TEST_NEO4J_URI`` (with ``GRAPHKIT_TEST_NEO4J_USER``,
  ``GRAPHKIT_TEST_NEO4J_PASSWORD``, ``GRAPHKIT_TEST_NEO4J_DATABASE``).
- ``neo4j-latest``: the newest Neo4j calendar release on the machine's newer JDK, for the modules
  in :data:`LATEST_MODULES` (the store, the Cypher library and the read-only path).

Fixtures:

- ``db_server``: the settings of one engine's server; a test that uses it (directly, or through
  ``db`` / ``db_driver``) runs once per engine, with the same assertions, its id ending in
  ``[local]``, ``[neo4j]`` or ``[neo4j-latest]``. ``engine`` is the engine's name.
- ``db``: the same settings with the database emptied before the test.
- ``db_driver``: one driver to that server, shared by the tests.
- ``local_server``: the local default's settings, for the tests of the local server itself.
- ``engine`` alone: a test that starts servers of its own (say, to kill one) runs once per engine.

``GRAPHKIT_HOME`` points at a throwaway directory for the whole session (:data:`STRAY_HOME`), so
that graphkit run without a server or home of its own never starts the local default in the
checkout's ``.graphkit``; a test that starts one there fails, naming itself, and the server stops.

The servers start in the background as soon as collection shows a test needs them, so that the
JVMs boot while the unit tests run; they stop when the session ends. A server that cannot start is
an error, never a skip: leave it out with ``GRAPHKIT_TEST_ENGINES`` instead, knowingly.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import neo4j
import pytest
from neo4j_server import ENGINES as NEO4J_ENGINES
from neo4j_server import Neo4jServer

from graphkit.connection import ConnectionSettings, open_driver, resolve_settings
from graphkit.local import LocalServer

ALL_ENGINES = ("local", *NEO4J_ENGINES)
#: Test modules that also run on the newest Neo4j release (the others run on local and neo4j).
LATEST_MODULES = frozenset({"test_store", "test_cypher_library", "test_readonly", "test_neo4j", "test_gds"})
DB_FIXTURES = frozenset({"db_server", "db", "db_driver"})


def selected_engines() -> tuple[str, ...]:
    """The engines this session runs the database tests on (``GRAPHKIT_TEST_ENGINES``)."""
    names = tuple(e.strip() for e in os.environ.get("GRAPHKIT_TEST_ENGINES", ",".join(ALL_ENGINES)).split(","))
    unknown = [n for n in names if n not in ALL_ENGINES]
    if unknown:
        raise pytest.UsageError(f"GRAPHKIT_TEST_ENGINES: unknown engine(s) {unknown}; choose from {ALL_ENGINES}")
    return tuple(n for n in names if n)


class Engines:
    """The session's database servers: started in background threads, stopped at the session's end."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="graphkit-test-servers-"))
        self.pool = ThreadPoolExecutor(max_workers=len(ALL_ENGINES))
        self.futures: dict[str, Future[ConnectionSettings]] = {}
        self.local: LocalServer | None = None
        self.neo4j: dict[str, Neo4jServer] = {}

    def start(self, engine: str) -> None:
        """Start ``engine``'s server in the background, once."""
        if engine not in self.futures:
            self.futures[engine] = self.pool.submit(self._start, engine)

    def settings(self, engine: str) -> ConnectionSettings:
        """The settings of ``engine``'s server, once it answers."""
        self.start(engine)
        return self.futures[engine].result(timeout=900)

    def _start(self, engine: str) -> ConnectionSettings:
        if engine == "local":
            if os.environ.get("GRAPHKIT_TEST_URI"):
                return resolve_settings(uri=os.environ["GRAPHKIT_TEST_URI"])
            self.local = LocalServer(self.root / "local")
            return self.local.start(timeout=180)
        if os.environ.get("GRAPHKIT_TEST_NEO4J_URI") and engine == "neo4j":
            env = os.environ
            return ConnectionSettings(
                env["GRAPHKIT_TEST_NEO4J_URI"],
                env.get("GRAPHKIT_TEST_NEO4J_USER", "neo4j"),
                env.get("GRAPHKIT_TEST_NEO4J_PASSWORD", ""),
                env.get("GRAPHKIT_TEST_NEO4J_DATABASE", "neo4j"),
            )
        # Every Neo4j carries Graph Data Science (profile gds), for graphkit.gds and tests/test_gds.py.
        server = Neo4jServer(NEO4J_ENGINES[engine], self.root / engine, profiles=("gds",))
        self.neo4j[engine] = server
        server.start()
        server.wait()
        return ConnectionSettings(server.uri, "neo4j", server.password, "neo4j")

    def stop(self) -> None:
        """Stop every server this session started (the test homes are left for their logs)."""
        for future in self.futures.values():
            future.cancel()
        self.pool.shutdown(wait=True, cancel_futures=True)
        for server in self.neo4j.values():
            server.stop()
        if self.local is not None:
            self.local.stop()


_ENGINES = Engines()
#: The local default's home for graphkit run with no server or home named (see the module docstring).
STRAY_HOME = _ENGINES.root / "stray-home"
os.environ["GRAPHKIT_HOME"] = str(STRAY_HOME)


@pytest.fixture(autouse=True)
def _no_stray_server() -> Iterator[None]:
    """Fail the test that started the local default without naming a home or a server."""
    yield
    if STRAY_HOME.exists():
        LocalServer(STRAY_HOME).stop()
        shutil.rmtree(STRAY_HOME, ignore_errors=True)
        pytest.fail(
            "this test started the local default in no home of its own (GRAPHKIT_HOME unset by the test): "
            "point it at a fixture's server (NEO4J_URI) or at a temporary GRAPHKIT_HOME"
        )


def _module(item: pytest.Item | pytest.Metafunc) -> str:
    module = item.module if isinstance(item, pytest.Metafunc) else getattr(item, "module", None)
    return module.__name__.rsplit(".", 1)[-1] if module is not None else ""


def engines_for(item: pytest.Item | pytest.Metafunc) -> list[str]:
    """The engines a test runs on: all selected ones, the newest Neo4j only in :data:`LATEST_MODULES`.

    A module that names ``ENGINES`` (a tuple of engine names) runs only on those.
    """
    module = _module(item)
    only = getattr(getattr(item, "module", None), "ENGINES", None)
    return [
        e
        for e in selected_engines()
        if (e != "neo4j-latest" or module in LATEST_MODULES) and (only is None or e in only)
    ]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that needs a database once per engine."""
    if (DB_FIXTURES | {"engine"}) & set(metafunc.fixturenames):
        metafunc.parametrize("engine", engines_for(metafunc), scope="session")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by the servers they need: ``db`` for any, ``neo4j`` for a Neo4j engine."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & (DB_FIXTURES | {"local_server"}):
            item.add_marker(pytest.mark.db)
        callspec = getattr(item, "callspec", None)
        if callspec is not None and str(callspec.params.get("engine", "")).startswith("neo4j"):
            item.add_marker(pytest.mark.neo4j)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the servers the collected tests need, in the background, so they boot meanwhile."""
    if session.config.option.collectonly:
        return
    for item in session.items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "engine" in callspec.params:
            _ENGINES.start(str(callspec.params["engine"]))
        if "local_server" in getattr(item, "fixturenames", ()):
            _ENGINES.start("local")


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Stop the servers."""
    _ENGINES.stop()


@pytest.fixture(scope="session")
def db_server(engine: str) -> ConnectionSettings:
    """Settings of the session's server for ``engine`` (see the module docstring)."""
    return _ENGINES.settings(engine)


@pytest.fixture(scope="session")
def local_server() -> ConnectionSettings:
    """Settings of the session's local default server (for tests of the local server itself)."""
    return _ENGINES.settings("local")


@pytest.fixture(scope="session")
def db_driver(db_server: ConnectionSettings) -> Iterator[neo4j.Driver]:
    """One driver to the engine's server, shared by the tests (pass ``database_=settings.database``)."""
    driver = open_driver(db_server)
    try:
        yield driver
    finally:
        driver.close()


@pytest.fixture
def db(db_server: ConnectionSettings, db_driver: neo4j.Driver) -> ConnectionSettings:
    """Settings of the engine's server with its database emptied (every node and relation deleted)."""
    db_driver.execute_query("MATCH (n) DETACH DELETE n", database_=db_server.database)
    return db_server

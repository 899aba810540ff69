"""Neo4j's own limits met by a load, on a Neo4j server of the test's own (a small transaction cap).

Neo4j caps the memory of one transaction (``db.memory.transaction.max``, and all of them together
at 70% of the heap by default); a load is one transaction, so a load too big for the cap is
refused. graphkit must say so at once, with what to raise, and leave nothing behind: the driver
would otherwise retry the refusal, a "transient" error, for a minute. The local default has no
such cap (a load that outgrows its heap is the killed-server case of test_store.py).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from neo4j_server import ENGINES as NEO4J_ENGINES
from neo4j_server import Neo4jServer
from test_store import _synthetic

from graphkit import store
from graphkit.connection import ConnectionSettings
from graphkit.errors import StoreError

pytestmark = pytest.mark.db
#: Only Neo4j has the cap (see conftest.engines_for).
ENGINES = ("neo4j",)


def test_a_load_refused_memory_fails_at_once_saying_what_to_raise(
    engine: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server = Neo4jServer(NEO4J_ENGINES[engine], tmp_path / "neo4j", config={"db.memory.transaction.max": "16m"})
    server.start()
    try:
        server.wait()
        settings = ConnectionSettings(server.uri, "neo4j", server.password, "neo4j")
        with caplog.at_level(logging.WARNING, logger="neo4j"), pytest.raises(StoreError) as refused:
            store.load(_synthetic(5_000, 20_000), settings, scope="big")
        message = str(refused.value)
        assert "failed and was rolled back" in message
        assert "db.memory.transaction.max" in message and "server.memory.heap.max_size" in message
        assert not [r for r in caplog.records if "retried" in r.getMessage()]  # refused once, not retried
        assert not any(store.count_records(settings).values())  # nothing of it was let in
    finally:
        server.stop()

"""The core store checks against Neo4j 5 itself (testcontainers), so graphkit's Cypher stays standard.

The ``neo4j_server`` fixture starts a Neo4j 5 container, or skips these tests with the reason
when no Docker engine answers. The same checks run against the local server in
``test_store.py`` and ``test_cypher_library.py``.
"""

from __future__ import annotations

from typing import Any

import pytest
from test_cypher_library import CASES, check_case, known_facts
from test_store import assert_same_graph, dump

from graphkit import store
from graphkit.connection import ConnectionSettings
from graphkit.errors import StoreError
from graphkit.facts import Facts
from graphkit.graph import to_networkx

pytestmark = pytest.mark.neo4j


@pytest.fixture
def neo4j_db(neo4j_server: ConnectionSettings) -> ConnectionSettings:
    """The Neo4j server with its database emptied."""
    store.run_query(neo4j_server, "MATCH (n) DETACH DELETE n", write=True)
    return neo4j_server


def test_load_read_back_and_reload(neo4j_db: ConnectionSettings) -> None:
    store.load(known_facts(), neo4j_db, batch_size=3)
    assert_same_graph(store.read_graph(neo4j_db), to_networkx(known_facts()))
    first = dump(neo4j_db)
    report = store.load(known_facts(), neo4j_db)
    assert (report.removed_nodes, report.removed_relations) == (0, 0)
    assert dump(neo4j_db) == first


def test_stale_facts_removed(neo4j_db: ConnectionSettings) -> None:
    store.load(known_facts(), neo4j_db)
    fewer = known_facts()
    fewer.relations = fewer.relations[1:]
    del fewer.entities["al-qaeda"]
    fewer.relations = [r for r in fewer.relations if "al-qaeda" not in (r.source, r.target)]
    report = store.load(fewer, neo4j_db)
    assert (report.removed_nodes, report.removed_relations) == (1, 2)
    assert_same_graph(store.read_graph(neo4j_db), to_networkx(fewer))
    store.load(Facts(), neo4j_db, replace_all=True)
    assert store.read_graph(neo4j_db).number_of_nodes() == 0


def test_read_only_is_enforced(neo4j_db: ConnectionSettings) -> None:
    with pytest.raises(StoreError, match="read-only"):
        store.run_query(neo4j_db, "CREATE (:Group {id: 'x'})")
    with pytest.raises(StoreError, match="SyntaxError"):
        store.run_query(neo4j_db, "MATCH (n RETURN n")


@pytest.mark.parametrize(
    ("name", "params", "expected", "ordered"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_library_on_neo4j(
    neo4j_db: ConnectionSettings, name: str, params: dict[str, str], expected: list[Any], ordered: bool
) -> None:
    store.load(known_facts(), neo4j_db)
    check_case(neo4j_db, name, params, expected, ordered)

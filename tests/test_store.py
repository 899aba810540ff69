"""The store against real servers: loads, reloads, failures, injection, read-back, queries.

Every test here runs once per engine (the local default, Neo4j 5.26 and the newest Neo4j: see
``conftest.py``) against the session's server (the ``db`` fixture empties it first); the
killed-server test starts a server of its own on each engine. Nothing is mocked.
"""

from __future__ import annotations

import contextlib
import copy
import importlib.util
import os
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner
from neo4j_server import ENGINES as NEO4J_ENGINES
from neo4j_server import Neo4jServer
from test_cypher_library import known_facts

from graphkit import cypher, projection, store
from graphkit.cli import main
from graphkit.connection import ConnectionSettings, open_driver
from graphkit.errors import StoreError, ValidationError
from graphkit.facts import Entity, Facts, Relation
from graphkit.graph import SEED_DIR, to_networkx
from graphkit.local import LocalServer

pytestmark = pytest.mark.db


def assert_same_graph(got: nx.MultiDiGraph, want: nx.MultiDiGraph) -> None:
    """Equal as graphs (nodes, edges with keys, all attributes), with readable differences first."""
    assert set(got.nodes) == set(want.nodes)
    assert sorted(got.edges(keys=True)) == sorted(want.edges(keys=True))
    for n in want.nodes:
        assert got.nodes[n] == want.nodes[n], n
    for e in want.edges(keys=True):
        assert got.edges[e] == want.edges[e], e
    assert nx.utils.graphs_equal(got, want)


def dump(settings: ConnectionSettings) -> tuple[set[str], set[str]]:
    """Every node and relation with all its properties (stamps but the run tag included), as text."""
    nodes = store.run_query(settings, "MATCH (n) RETURN labels(n) AS l, properties(n) AS p")
    rels = store.run_query(settings, "MATCH (a)-[r]->(b) RETURN a.id, type(r), b.id, properties(r) AS p")

    def text(row: list[Any]) -> str:
        row = [{k: v for k, v in x.items() if k != "_run"} if isinstance(x, dict) else x for x in row]
        return repr(sorted(row[:-1], key=repr)) + repr(sorted(row[-1].items()))

    return {text(r) for r in nodes.rows}, {text(r) for r in rels.rows}


def counts(settings: ConnectionSettings) -> tuple[int, int]:
    res = store.run_query(settings, "MATCH (n) RETURN count(n) AS n")
    rels = store.run_query(settings, "MATCH ()-[r]->() RETURN count(r) AS n")
    return res.rows[0][0], rels.rows[0][0]


# --------------------------------------------------------------------------------------------
# Loading and reading back
# --------------------------------------------------------------------------------------------


def test_read_back_equals_the_facts_graph(db: ConnectionSettings) -> None:
    facts = known_facts()
    report = store.load(facts, db, batch_size=3)
    assert (report.nodes, report.relations, report.removed_nodes, report.removed_relations) == (21, 34, 0, 0)
    assert_same_graph(store.read_graph(db), to_networkx(known_facts()))


def test_seed_read_back_equals_the_seed_graph(db: ConnectionSettings) -> None:
    if not any(SEED_DIR.glob("*.yaml")):
        pytest.skip("no seed/*.yaml yet")
    from graphkit.facts import read_facts

    store.load(read_facts([SEED_DIR]), db)
    full = to_networkx(read_facts([SEED_DIR]))
    assert_same_graph(store.read_graph(db), full)
    # a time slice read from the database is the same slice of the facts' graph (one rule for both)
    for when in ("2015", "2018", "2021-08", "2022"):
        sliced = projection.as_of(full, when)
        assert sliced.number_of_edges() < full.number_of_edges()
        assert_same_graph(projection.select(store.read_graph(db), as_of=when), sliced)


def test_reload_is_idempotent(db: ConnectionSettings) -> None:
    store.load(known_facts(), db)
    first, first_counts = dump(db), counts(db)
    report = store.load(known_facts(), db, batch_size=2)
    assert (report.removed_nodes, report.removed_relations) == (0, 0)
    assert counts(db) == first_counts == (21, 34)
    assert dump(db) == first


def _hub_facts(moved_to: str, quote: str) -> Facts:
    """A hub group that carried out six attacks and has four members, plus one relation with an id."""
    src = Entity("src", "Source", "A report")
    ents = [src, Entity("hub", "Group", "Hub front", [], ["src"])]
    ents += [Entity(g, "Group", f"Group {g}", [], ["src"]) for g in ("g1", "g2", "g3")]
    ents += [Entity(f"attack-{i}", "Attack", f"Attack {i}", [], ["src"]) for i in range(6)]
    ents += [Entity(f"person-{i}", "Person", f"Person {i}", [], ["src"]) for i in range(4)]
    rels = [Relation("CARRIED_OUT", "hub", f"attack-{i}", ["src"], [quote]) for i in range(6)]
    rels += [Relation("MEMBER_OF", f"person-{i}", "hub", ["src"], [quote]) for i in range(4)]
    rels.append(Relation("ALLIED_WITH", "g1", moved_to, ["src"], [quote], id="pact"))
    return Facts({e.id: e for e in ents}, rels)


def test_reload_updates_relations_from_either_end_and_recreates_one_whose_ends_changed(
    db: ConnectionSettings,
) -> None:
    # CARRIED_OUT rows are found from the attack (the hub has six), MEMBER_OF rows from the person;
    # the relation "pact" keeps its id but now links g1 with g3: it is created anew, the old one removed.
    store.load(_hub_facts("g2", "first wording"), db)
    report = store.load(_hub_facts("g3", "second wording"), db, batch_size=4)
    assert (report.removed_nodes, report.removed_relations) == (0, 1)
    assert counts(db) == (15, 11)
    assert_same_graph(store.read_graph(db), to_networkx(_hub_facts("g3", "second wording")))


def _without(facts: Facts, ids: set[str], rel_keys: frozenset[str] = frozenset()) -> Facts:
    """A copy of ``facts`` without some entities (and their relations) and some relations."""
    f = copy.deepcopy(facts)
    f.entities = {k: e for k, e in f.entities.items() if k not in ids}
    f.relations = [r for r in f.relations if r.source not in ids and r.target not in ids and r.key not in rel_keys]
    return f


def _mmp(seed: Facts) -> Facts:
    """Another scope's facts: its own source and group, plus the seed's haqqani node."""
    src = Entity("src-mmp", "Source", "Mapping Militants profile")
    haqqani = copy.deepcopy(seed.entities["haqqani"])
    haqqani.sources = ["src-mmp"]
    return Facts(
        {
            "src-mmp": src,
            "haqqani": haqqani,
            "mmp-only": Entity("mmp-only", "Group", "MMP-only group", [], ["src-mmp"]),
        },
        [Relation("ALLIED_WITH", "haqqani", "mmp-only", ["src-mmp"], ["they cooperated"], since="2012")],
    )


def test_reload_removes_stale_facts_of_its_own_scope_only(db: ConnectionSettings) -> None:
    v1 = known_facts()
    store.load(v1, db, scope="seed")
    mmp = _mmp(v1)
    store.load(mmp, db, scope="mmp")

    # The seed drops haqqani (which mmp also claims), hizb-ul-ahrar, one relation; renames jua; drops a note.
    v2 = _without(v1, {"haqqani", "hizb-ul-ahrar"}, frozenset({"MERGED_INTO:jua:ttp:2020-08"}))
    v2.entities["jua"].name = "Jamaat-ul-Ahrar faction"
    v2.entities["iskp"].note = None
    report = store.load(v2, db, scope="seed")
    assert (report.removed_nodes, report.removed_relations) == (1, 4)  # hizb-ul-ahrar; 2 haqqani, 1 hizb, 1 merged
    assert_same_graph(store.read_graph(db), to_networkx(v2.merged(mmp)))
    scopes = store.run_query(db, "MATCH (n:Group {id: 'haqqani'}) RETURN n._scopes AS s").rows
    assert scopes == [[["mmp"]]]

    # Emptying the mmp scope removes its facts and the node nobody claims any more, and nothing of the seed.
    report = store.load(Facts(), db, scope="mmp", replace_all=True)
    assert (report.removed_nodes, report.removed_relations) == (3, 1)
    assert_same_graph(store.read_graph(db), to_networkx(v2))


def test_a_scope_cannot_be_injected() -> None:
    settings = ConnectionSettings("bolt://127.0.0.1:1", "u", "p", "d")
    with pytest.raises(Exception, match="invalid scope"):
        store.load(Facts(), settings, scope="x' OR 1=1 //")


def test_invalid_facts_load_nothing(db: ConnectionSettings) -> None:
    store.load(known_facts(), db)
    before = dump(db)
    bad = known_facts()
    bad.entities["jua"].name = "Renamed, but never stored"
    bad.relations.append(Relation("FOUGHT", "iskp", "nobody", ["src-a"], ["q"]))
    bad.relations.append(Relation("LED_BY", "iskp", "ttp", ["src-a"], ["q"], confidence="sure"))
    with pytest.raises(ValidationError) as err:
        store.load(bad, db)
    assert len(err.value.problems) >= 3
    assert dump(db) == before


def test_planted_constraint_violation_rolls_back_the_whole_load(db: ConnectionSettings) -> None:
    """A unique constraint on Group.name, set outside graphkit, fails the load at its 5th batch."""
    v1 = known_facts()
    store.load(v1, db)
    before = dump(db)
    v2 = known_facts()
    v2.entities["al-qaeda"].name = "al-Qaeda (renamed in batch 1)"
    v2.relations = v2.relations[1:]
    v2.entities["zz-new"] = Entity("zz-new", "Group", "Planted Name", [], ["src-a"])
    try:
        store.run_query(
            db, "CREATE CONSTRAINT group_name IF NOT EXISTS FOR (n:Group) REQUIRE n.name IS UNIQUE", write=True
        )
        store.run_query(db, "CREATE (:Group {id: 'planted', name: 'Planted Name'})", write=True)
        planted = dump(db)
        with pytest.raises(StoreError, match="rolled back"):
            store.load(v2, db, batch_size=2)  # groups sort al-qaeda ... zz-new: zz-new is in the 5th batch
        assert dump(db) == planted
        G = store.read_graph(db)
        G.remove_node("planted")
        assert_same_graph(G, to_networkx(v1))
        assert planted[1] == before[1] and len(planted[0] - before[0]) == 1
    finally:
        store.run_query(db, "DROP CONSTRAINT group_name IF EXISTS", write=True)
    store.run_query(db, "MATCH (n:Group {id: 'planted'}) DELETE n", write=True)
    store.load(v2, db)  # the re-run, once the obstacle is gone, converges
    assert_same_graph(store.read_graph(db), to_networkx(v2))


def _synthetic(nodes: int, relations: int) -> Facts:
    """The benchmark's model-shaped synthetic facts (one generator for both)."""
    path = Path(__file__).resolve().parents[1] / "bench" / "bench_load.py"
    spec = importlib.util.spec_from_file_location("bench_load", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_load", module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    facts: Facts = module.synthetic_facts(nodes, relations)
    return facts


class OwnServer:
    """A server of the test's own, on ``engine``, that the test may kill -9 and start again."""

    def __init__(self, engine: str, root: Path) -> None:
        self.local = LocalServer(root) if engine == "local" else None
        self.neo4j = None if engine == "local" else Neo4jServer(NEO4J_ENGINES[engine], root)

    def start(self) -> ConnectionSettings:
        if self.local is not None:
            return self.local.start(timeout=120)
        assert self.neo4j is not None
        self.neo4j.start()
        self.neo4j.wait()
        return ConnectionSettings(self.neo4j.uri, "neo4j", self.neo4j.password, "neo4j")

    def kill(self) -> None:
        """SIGKILL the server's JVM: no shutdown, no flush."""
        if self.local is not None:
            pid = self.local.status(check=False).pid
        else:
            assert self.neo4j is not None and self.neo4j.process is not None
            pid = self.neo4j.process.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)

    def stop(self) -> None:
        if self.local is not None:
            self.local.stop()
        elif self.neo4j is not None:
            self.neo4j.stop()


@pytest.mark.slow
def test_killed_server_mid_load_loses_nothing_and_rerun_converges(engine: str, tmp_path: Path) -> None:
    server = OwnServer(engine, tmp_path / "home")
    settings = server.start()
    try:
        small = known_facts()
        store.load(small, settings, scope="seed")
        big = _synthetic(5_000, 25_000)
        outcome: dict[str, Any] = {}

        def run() -> None:
            try:
                outcome["report"] = store.load(big, settings, scope="big")
            except Exception as exc:
                outcome["error"] = exc

        loader = threading.Thread(target=run)
        loader.start()
        time.sleep(3.0)
        assert loader.is_alive(), f"the load finished before the kill: {outcome}"
        server.kill()
        loader.join(timeout=120)
        assert isinstance(outcome.get("error"), StoreError), outcome

        settings = server.start()
        assert_same_graph(store.read_graph(settings), to_networkx(known_facts()))

        store.load(big, settings, scope="big")
        want = Counter(small.counts()) + Counter(big.counts())
        got = {k: v for k, v in store.count_records(settings).items() if v}
        assert got == dict(want)
    finally:
        server.stop()


INJECTED = [
    "x'}) DETACH DELETE n //",
    '"}) MATCH (m) DETACH DELETE m RETURN 1 //',
    "</script><script>alert(1)</script>",
    "$rows ${scope} `backtick` \\' \\\\ \n newline\ttab",
]


def test_injection_attempts_are_stored_as_plain_text(db: ConnectionSettings) -> None:
    facts = known_facts()
    facts.entities["jua"].name = INJECTED[0]
    facts.entities["jua"].aliases = INJECTED[1:]
    facts.entities["ttp"].note = INJECTED[3]
    facts.relations[0].evidence = list(INJECTED)
    facts.relations[0].note = INJECTED[2]
    store.load(facts, db)
    assert counts(db) == (21, 34)
    assert_same_graph(store.read_graph(db), to_networkx(facts))
    hit = store.run_query(db, cypher.find_query("find-entity").cypher, {"name": INJECTED[0]})
    assert hit.rows == [["jua", "Group", INJECTED[0]]]


# --------------------------------------------------------------------------------------------
# Running Cypher
# --------------------------------------------------------------------------------------------


def test_run_query_is_read_only_unless_asked(db: ConnectionSettings) -> None:
    with pytest.raises(StoreError, match="read-only: the statement contains CREATE"):
        store.run_query(db, "CREATE (:Group {id: 'x', name: 'X'})")
    assert counts(db) == (0, 0)
    made = store.run_query(db, "CREATE (g:Group {id: $id, name: 'X'}) RETURN g.id AS id", {"id": "x"}, write=True)
    assert made.columns == ["id"] and made.rows == [["x"]]
    assert counts(db) == (1, 0)
    node = store.run_query(db, "MATCH (g:Group) RETURN g").rows[0][0]
    assert node == {"_labels": ["Group"], "id": "x", "name": "X"}


def test_paths_come_back_as_plain_alternating_lists(db: ConnectionSettings) -> None:
    store.load(known_facts(), db)
    res = store.run_query(db, "MATCH p = (:Group {id: 'hizb-ul-ahrar'})-[:SPLINTER_OF*2]->(:Group) RETURN p")
    [[path]] = res.rows
    assert [step.get("id", step.get("_type")) for step in path] == [
        "hizb-ul-ahrar",
        "SPLINTER_OF",
        "jua",
        "SPLINTER_OF",
        "ttp",
    ]
    assert path[1]["evidence"] == ["hizb-ul-ahrar splinter of jua"]
    assert not any(k.startswith("_") and k not in ("_labels", "_type") for step in path for k in step)


def test_read_transactions_are_rolled_back_even_if_a_write_slips_through(
    db: ConnectionSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second guard: with the clause check disabled, a write in read mode still changes nothing."""
    monkeypatch.setattr(cypher, "write_clauses", lambda statement: [])
    with contextlib.suppress(StoreError):  # Neo4j refuses writes in read transactions itself
        store.run_query(db, "CREATE (:Group {id: 'sneaky', name: 'S'})")
    assert counts(db) == (0, 0)


def test_server_errors_carry_message_and_position(db: ConnectionSettings) -> None:
    """Both engines name the position in the same words, 1-based: 'RETURN' starts at column 10."""
    with pytest.raises(StoreError, match=r"(?s)SyntaxError.*\[at line 1, column 10\]$"):
        store.run_query(db, "MATCH (n RETURN n")
    with pytest.raises(StoreError, match=r"(?s)SyntaxError.*\[at line 2, column 15\]$"):
        store.run_query(db, "MATCH (n)\nWHERE n.x = 1 RETRN n")


def test_database_name_is_always_passed(db: ConnectionSettings) -> None:
    """After a query to a missing database, the next one on the same driver still reaches the right one."""
    store.load(known_facts(), db)
    wrong = ConnectionSettings(db.uri, db.user, db.password, "no-such-database")
    with pytest.raises(StoreError):
        store.run_query(wrong, "RETURN 1")
    with open_driver(db) as driver:
        with pytest.raises(Exception):  # noqa: B017 - whichever error the server gives
            driver.execute_query("RETURN 1", database_="no-such-database")
        assert driver.execute_query("MATCH (n) RETURN count(n) AS n", database_=db.database).records[0]["n"] == 21
    assert store.count_records(db)["Group"] == 8


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def env_of(db: ConnectionSettings) -> dict[str, str]:
    """The environment by which the CLI reaches ``db``, as a user would point it at a server."""
    return {
        "NEO4J_URI": db.uri,
        "NEO4J_USERNAME": db.user,
        "NEO4J_PASSWORD": db.password,
        "NEO4J_DATABASE": db.database,
    }


@pytest.fixture
def cli_env(db: ConnectionSettings, monkeypatch: pytest.MonkeyPatch) -> ConnectionSettings:
    for name, value in env_of(db).items():
        monkeypatch.setenv(name, value)
    return db


def test_cli_load_query_and_cypher(cli_env: ConnectionSettings, tmp_path: Path) -> None:
    if not any(SEED_DIR.glob("*.yaml")):
        pytest.skip("no seed/*.yaml yet")
    runner = CliRunner()
    res = runner.invoke(main, ["load", str(SEED_DIR), "--scope", "seed"])
    assert res.exit_code == 0, res.output
    assert "loaded" in res.output and "scope 'seed'" in res.output

    res = runner.invoke(main, ["query", "find-entity", "-p", "name=ISIS-K", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert '"id": "iskp"' in res.output

    res = runner.invoke(main, ["query", "--list"])
    assert res.exit_code == 0 and res.output.count("\n    ") >= 12

    res = runner.invoke(main, ["query", "leaders-of-group"])
    assert res.exit_code == 1 and "missing required parameter 'group'" in res.output

    res = runner.invoke(main, ["cypher", "MATCH (n) DETACH DELETE n"])
    assert res.exit_code == 1 and "read-only" in res.output
    res = runner.invoke(main, ["cypher", "MATCH (n:Group) RETURN count(n) AS groups", "--format", "csv"])
    assert res.exit_code == 0 and res.output.startswith("groups\n")

    bad = tmp_path / "bad.yaml"
    bad.write_text("groups:\n  - {id: Bad Id, name: x}\n", encoding="utf-8")
    before = dump(cli_env)
    res = runner.invoke(main, ["load", str(bad)])
    assert res.exit_code == 2 and "bad.yaml" in res.output
    assert dump(cli_env) == before

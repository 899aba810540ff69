"""The read-only path holds where the server refuses writes, on every engine and every read path.

Every hostile statement below runs through every read path (the Python API ``store.run_query``,
``graphkit cypher`` without ``--write``, and ``graphkit query`` with a hostile library file),
with graphkit's word scanner switched off as well as on, so that what is proven is the server's
refusal (the local server's ``reader`` login; Neo4j's read access mode), not the scanner. After
each, the graph's fingerprint (every node, relation and property, the indexes, constraints,
labels, types, property keys and users) must be exactly what it was, and no traceback may reach
the user. Harmless statements that merely contain write words must still answer.

Set ``GRAPHKIT_READONLY_REPORT`` to a file name to get each statement's outcome there, one JSON
line per run (engine, path, statement id, outcome).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import neo4j
import pytest
from click.testing import CliRunner
from neo4j import exceptions as neo4j_errors
from test_store import env_of

from graphkit import cypher, dialect, store
from graphkit.cli import main
from graphkit.connection import ConnectionSettings
from graphkit.errors import StoreError

REPORT_ENV = "GRAPHKIT_READONLY_REPORT"

#: The hostile statements, by id: each tries to change the graph, its schema or its users.
HOSTILE: dict[str, str] = {
    # comments ended by a line break that one reader honours and another does not
    "comment-cr-in-transactions": "MATCH (n:Person) //\rCALL (n) { DETACH DELETE n } IN TRANSACTIONS\rRETURN count(*)",
    "comment-lf": "MATCH (n:Person) //\nDETACH DELETE n",
    "comment-crlf": "MATCH (n:Person) //\r\nDETACH DELETE n",
    "comment-u2028": "MATCH (n:Person) //\u2028DETACH DELETE n",
    "comment-u2029": "MATCH (n:Person) //\u2029DETACH DELETE n",
    "comment-nel-u0085": "MATCH (n:Person) //\u0085DETACH DELETE n",
    "comment-vt-ff": "MATCH (n:Person) //\x0b\x0cDETACH DELETE n",
    "comment-cr-hides-a-quote": "MATCH (n:Person) //\r' \nDETACH DELETE n //'",
    "block-comment": "MATCH (n:Person) /* harmless */ DETACH DELETE n",
    "unterminated-block-comment": "MATCH (n:Person) DETACH DELETE n /*",
    # back-ticked names
    "backtick-do-when-db-arg": (
        "WITH {x: true} AS db CALL `do`.`when`(db.x, 'MATCH (n) DETACH DELETE n', '', {}) YIELD value RETURN value"
    ),
    "backtick-whole-procedure-name": "CALL `apoc.cypher.doIt`('MATCH (n) DETACH DELETE n', {}) YIELD value RETURN value",
    "backtick-db-vector-write": (
        "MATCH (n:Person) CALL `db`.`create`.`setNodeVectorProperty`(n, 'vec', [1.0, 2.0]) RETURN count(*)"
    ),
    "backtick-label-set": "MATCH (n:`Person`) SET n.`name` = 'pwned'",
    # Unicode look-alikes and invisible characters
    "fullwidth-keywords": "MATCH (n:Person) \uff24\uff25\uff34\uff21\uff23\uff28 \uff24\uff25\uff2c\uff25\uff34\uff25 n",
    "cyrillic-e-in-delete": "MATCH (n:Person) DETACH DEL\u0415TE n",
    "zero-width-space-in-delete": "MATCH (n:Person) DETACH DE\u200bLETE n",
    "nbsp-separators": "MATCH (n:Person)\u00a0DETACH\u00a0DELETE\u00a0n",
    "ideographic-space-set": "MATCH (n:Person)\u3000SET\u3000n.name = 'pwned'",
    "long-s-set": "MATCH (n:Person) \u017fET n.name = 'pwned'",
    # procedures that run Cypher from strings, and write procedures under db.
    "apoc-cypher-doit": "CALL apoc.cypher.doIt('MATCH (n) DETACH DELETE n', {}) YIELD value RETURN value",
    "apoc-cypher-run": "CALL apoc.cypher.run('MATCH (n) DETACH DELETE n', {}) YIELD value RETURN value",
    "apoc-do-when": "CALL apoc.do.when(true, 'MATCH (n) DETACH DELETE n', '', {}) YIELD value RETURN value",
    "do-when": "CALL do.when(true, 'MATCH (n) DETACH DELETE n', '', {}) YIELD value RETURN value",
    "apoc-periodic-iterate": (
        "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', {}) YIELD batches RETURN batches"
    ),
    "payload-in-parameter": "CALL apoc.cypher.doIt($q, {}) YIELD value RETURN value",
    "db-create-vector-property": (
        "MATCH (n:Person) CALL db.create.setNodeVectorProperty(n, 'vec', [1.0, 2.0]) RETURN count(*)"
    ),
    "db-create-label": "CALL db.createLabel('Evil')",
    "db-listing-then-write-procedure": (
        "CALL db.labels() YIELD label WITH label LIMIT 1 "
        "CALL apoc.cypher.doIt('MATCH (n) DETACH DELETE n', {}) YIELD value RETURN value"
    ),
    "db-lookalike-spaced": "CALL db . labels() YIELD label MATCH (n) DETACH DELETE n RETURN label",
    # CALL ... IN TRANSACTIONS, which commits on its own
    "in-transactions-delete": "MATCH (n:Person) CALL (n) { DETACH DELETE n } IN TRANSACTIONS RETURN count(*)",
    "in-transactions-old-syntax": "MATCH (n:Person) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 1 ROWS",
    "in-transactions-create": (
        "UNWIND range(1, 3) AS i CALL (i) { CREATE (:Person {id: 'evil-' + toString(i), name: 'Evil'}) }"
        " IN TRANSACTIONS RETURN count(*)"
    ),
    # several statements
    "two-statements": "RETURN 1; MATCH (n) DETACH DELETE n",
    "two-statements-after-cr-comment": "RETURN 1 //\r; MATCH (n) DETACH DELETE n",
    # schema commands
    "drop-constraint": "DROP CONSTRAINT person_id",
    "drop-constraint-if-exists": "DROP CONSTRAINT person_id IF EXISTS",
    "drop-index": "DROP INDEX person_name IF EXISTS",
    "create-index": "CREATE INDEX evil_index IF NOT EXISTS FOR (n:Person) ON (n.note)",
    "create-constraint": "CREATE CONSTRAINT evil_unique IF NOT EXISTS FOR (n:Person) REQUIRE n.name IS UNIQUE",
    # users and privileges
    "create-user": "CREATE USER evil SET PASSWORD 'evil-password-123' CHANGE NOT REQUIRED",
    "drop-user": "DROP USER root",
    "grant-role": "GRANT ROLE admin TO reader",
    # LOAD CSV
    "load-csv-create": "LOAD CSV FROM 'file:///etc/hostname' AS row CREATE (:Person {id: 'csv', name: row[0]})",
    "load-csv-after-cr-comment": (
        "MATCH (n:Person) WITH n LIMIT 1 //\rLOAD CSV FROM 'file:///etc/hostname' AS row SET n.name = row[0]"
    ),
    # writes in subqueries and other clauses
    "subquery-set": "MATCH (n:Person) CALL (n) { SET n.name = 'pwned' } RETURN count(*)",
    "subquery-remove": "MATCH (n:Person) CALL (n) { REMOVE n.name } RETURN count(*)",
    "subquery-merge": "CALL { MERGE (g:Group {id: 'evil', name: 'Evil'}) RETURN g } RETURN g.id",
    "subquery-detach-delete": "MATCH (n:Person) CALL { WITH n DETACH DELETE n } RETURN count(*)",
    "foreach-create": "FOREACH (i IN [1, 2] | CREATE (:Person {id: 'f' + toString(i), name: 'F'}))",
    "set-label": "MATCH (n:Person) SET n:Evil",
    "create-existing-label": "CREATE (:Person {id: 'intruder', name: 'Intruder'})",
    "merge-relation": "MATCH (a:Person), (b:Group) MERGE (a)-[:ALLIED_WITH]->(b)",
    "delete-relations": "MATCH ()-[r]->() DELETE r",
    "gql-insert": "INSERT (:Person {id: 'gql', name: 'GQL'})",
    "lower-case": "match (n) detach delete n",
}

#: Parameters of the statements that take any.
HOSTILE_PARAMS: dict[str, dict[str, str]] = {"payload-in-parameter": {"q": "MATCH (n) DETACH DELETE n"}}

#: Harmless statements that contain write words, with their parameters and exact answers.
HARMLESS: dict[str, tuple[str, dict[str, str], list[list[Any]]]] = {
    "map-key-create": ("RETURN {create: 1} AS m", {}, [[{"create": 1}]]),
    "delete-in-a-string": (
        "MATCH (n:Person) WHERE n.name CONTAINS 'DELETE' RETURN n.name AS name",
        {},
        [["Bobby DELETE Tables"]],
    ),
    "write-in-a-comment": ("MATCH (n:Person) RETURN count(n) AS c // DETACH DELETE n", {}, [[3]]),
    "statements-in-a-string": ("RETURN 'SET x = 1; DROP INDEX i' AS s", {}, [["SET x = 1; DROP INDEX i"]]),
    "write-in-a-parameter": ("RETURN $q AS q", {"q": "MATCH (n) DETACH DELETE n"}, [["MATCH (n) DETACH DELETE n"]]),
    "keywords-as-keys-and-names": (
        "MATCH (n:`Person`) WHERE n.id = $id RETURN {set: n.name, delete: n.id} AS `merge`",
        {"id": "p1"},
        [[{"set": "Ann", "delete": "p1"}]],
    ),
    "relations": (
        "MATCH (p:Person)-[:MEMBER_OF]->(g:Group) RETURN p.id AS p, g.id AS g ORDER BY p",
        {},
        [["p1", "g1"], ["p2", "g1"]],
    ),
    "read-subquery": ("CALL () { MATCH (n:Person) RETURN n } RETURN count(n) AS c", {}, [[3]]),
}


# --------------------------------------------------------------------------------------------
# The graph and its fingerprint
# --------------------------------------------------------------------------------------------


def seed(driver: neo4j.Driver, database: str) -> None:
    """A small graph with the model's constraints, a named index, and a name with DELETE in it."""
    store.ensure_schema(driver, database)
    driver.execute_query("CREATE INDEX person_name IF NOT EXISTS FOR (n:Person) ON (n.name)", database_=database)
    driver.execute_query(
        "CREATE (g:Group {id: 'g1', name: 'Alpha'}) "
        "CREATE (:Person {id: 'p1', name: 'Ann'})-[:MEMBER_OF {key: 'm1', sources: ['s1']}]->(g) "
        "CREATE (:Person {id: 'p2', name: 'Bobby DELETE Tables'})-[:MEMBER_OF {key: 'm2'}]->(g) "
        "CREATE (:Person {id: 'p3', name: 'Carl', aliases: ['C.', 'Karl']})",
        database_=database,
    )


#: Columns of SHOW INDEXES that describe the index (not how often it was read).
_INDEX_COLUMNS = ("name", "type", "entityType", "labelsOrTypes", "properties", "owningConstraint")


def _rows(driver: neo4j.Driver, query: str, database: str, keep: tuple[str, ...] = ()) -> list[str]:
    """The query's rows as sorted JSON texts (or the error code, which is stable too)."""
    try:
        records = driver.execute_query(query, database_=database).records
    except neo4j_errors.Neo4jError as exc:
        return [f"error {exc.code}"]
    out = []
    for record in records:
        row = dict(record)
        if keep:
            row = {k: row.get(k) for k in keep}
        out.append(json.dumps(row, sort_keys=True, default=str))
    return sorted(out)


def fingerprint(driver: neo4j.Driver, database: str) -> dict[str, list[str]]:
    """A stable dump of the graph, its schema and its users, read with the administrator's login."""
    arcadedb = dialect.engine_of(driver) is dialect.Engine.ARCADEDB
    return {
        "nodes": _rows(driver, "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props", database),
        "relations": _rows(
            driver,
            "MATCH (a)-[r]->(b) RETURN properties(a) AS a, type(r) AS type, properties(r) AS props, properties(b) AS b",
            database,
        ),
        "indexes": _rows(driver, "SHOW INDEXES", database, _INDEX_COLUMNS),
        "constraints": _rows(
            driver, "SHOW CONSTRAINTS", database, ("name", "type", "entityType", "labelsOrTypes", "properties")
        ),
        "labels": _rows(driver, "CALL db.labels() YIELD label RETURN label", database),
        "types": _rows(driver, "CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType", database),
        "keys": _rows(driver, "CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey", database),
        "users": _rows(driver, "SHOW USERS", database if arcadedb else "system", ("user", "roles", "databases")),
    }


@pytest.fixture
def graph(db: ConnectionSettings, db_driver: neo4j.Driver) -> dict[str, list[str]]:
    """The seeded graph's fingerprint, taken before the test."""
    db_driver.execute_query("DROP INDEX evil_index IF EXISTS", database_=db.database)
    db_driver.execute_query("DROP CONSTRAINT evil_unique IF EXISTS", database_=db.database)
    seed(db_driver, db.database)
    before = fingerprint(db_driver, db.database)
    assert len(before["nodes"]) == 4 and len(before["relations"]) == 2
    assert any("person_name" in row for row in before["indexes"]), before["indexes"]
    assert any("person_id" in row for row in before["constraints"]), before["constraints"]
    return before


# --------------------------------------------------------------------------------------------
# The read paths
# --------------------------------------------------------------------------------------------

PATHS = ("api", "cypher-cli", "query-cli")


def _outcome_of_error(message: str) -> str:
    if message.startswith("read-only: the statement contains"):
        return "refused by graphkit's scanner"
    if message.startswith("read-only: the database refused"):
        code = message.split("(", 1)[1].split(":", 1)[0]
        return f"refused by the server ({code})"
    if message.startswith("read-only: the statement would change"):
        return "the server counted changes: rolled back and refused"
    code = next((w for w in message.replace(":", " ").split() if w.startswith("Neo.")), "no code")
    return f"error ({code})"


def run_read(
    path: str, settings: ConnectionSettings, statement: str, params: dict[str, str], tmp_path: Path
) -> tuple[str, list[list[Any]] | None]:
    """Run ``statement`` read-only through ``path``; return the outcome and the rows (None if refused)."""
    if path == "api":
        try:
            result = store.run_query(settings, statement, dict(params))
        except StoreError as exc:
            return _outcome_of_error(str(exc)), None
        return f"ran ({len(result.rows)} rows)", result.rows
    pairs = [arg for key, value in params.items() for arg in ("-p", f"{key}={value}")]
    if path == "cypher-cli":
        args = ["cypher", statement, "--format", "json", *pairs]
    else:
        library = tmp_path / "library"
        library.mkdir(exist_ok=True)
        header = [
            "// name: hostile",
            "// description: A statement under test.",
            *(f"// param: {key}: str - a value" for key in params),
            "// example: graphkit query hostile",
        ]
        (library / "hostile.cypher").write_text("\n".join([*header, statement]) + "\n", encoding="utf-8")
        args = ["query", "hostile", "--library", str(library), "--format", "json", *pairs]
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        assert result.output.startswith("error: "), result.output
        return _outcome_of_error(result.output.removeprefix("error: ")), None
    records = json.loads(result.output)
    return f"ran ({len(records)} rows)", [list(r.values()) for r in records]


@pytest.fixture
def cli_env(db: ConnectionSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI reaches the test's server through NEO4J_* as a user would, with its administrator's login."""
    for name, value in env_of(db).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("GRAPHKIT_HOME", raising=False)


def _report(engine: str, path: str, name: str, outcome: str) -> None:
    target = os.environ.get(REPORT_ENV)
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"engine": engine, "path": path, "id": name, "outcome": outcome}) + "\n")


# --------------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------------


#: Each read path with the scanner off (the server's refusal is what holds), and the API with it on.
RUNS = [("api", "scanner-on"), *((path, "scanner-off") for path in PATHS)]


@pytest.mark.parametrize(("path", "scanner"), RUNS, ids=[f"{p}-{s}" for p, s in RUNS])
@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_statement_changes_nothing(
    name: str,
    path: str,
    scanner: str,
    db: ConnectionSettings,
    db_driver: neo4j.Driver,
    graph: dict[str, list[str]],
    cli_env: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    engine: str,
) -> None:
    if scanner == "scanner-off":
        monkeypatch.setattr(cypher, "write_clauses", lambda statement: [])
    outcome, _ = run_read(path, db, HOSTILE[name], HOSTILE_PARAMS.get(name, {}), tmp_path)
    _report(engine, f"{path}/{scanner}", name, outcome)
    assert fingerprint(db_driver, db.database) == graph, f"{name} via {path} ({scanner}) changed the graph: {outcome}"
    if scanner == "scanner-on":
        assert outcome == "refused by graphkit's scanner", outcome


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("name", list(HARMLESS))
def test_harmless_statement_answers(
    name: str,
    path: str,
    db: ConnectionSettings,
    db_driver: neo4j.Driver,
    graph: dict[str, list[str]],
    cli_env: None,
    tmp_path: Path,
) -> None:
    statement, params, expected = HARMLESS[name]
    outcome, rows = run_read(path, db, statement, params, tmp_path)
    assert rows == expected, outcome
    assert fingerprint(db_driver, db.database) == graph


def test_the_server_refusal_names_the_write_and_the_way_out(
    db: ConnectionSettings, graph: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the scanner off, a write is refused where the server stops it, and the message says what to do.

    Neo4j refuses it as the statement runs; ArcadeDB checks a reader's updates at commit, which a
    read never reaches, so the statement's own update counts refuse it.
    """
    monkeypatch.setattr(cypher, "write_clauses", lambda statement: [])
    refused = r"^read-only: (the database refused the statement as a change|the statement would change the graph)"
    with pytest.raises(StoreError, match=refused + r".*properties.*--write|" + refused + r".*AccessMode.*--write"):
        store.run_query(db, "MATCH (n:Person) SET n.name = 'x' RETURN n.name")


def test_writes_still_work_with_write(
    db: ConnectionSettings, db_driver: neo4j.Driver, graph: dict[str, list[str]]
) -> None:
    made = store.run_query(
        db, "MATCH (n:Person {id: 'p3'}) SET n.name = $name RETURN n.name AS name", {"name": "K"}, write=True
    )
    assert made.rows == [["K"]]
    assert fingerprint(db_driver, db.database) != graph

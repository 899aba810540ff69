"""Cypher derived from the model, the read-only check and the query-file header parser (no server)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from graphkit import cypher, model
from graphkit.cli.store import render
from graphkit.errors import GraphkitError
from graphkit.store import QueryResult

INJECTIONS = ["Group) DETACH DELETE n //", "Group`", "group", "Foo", "", "ALLIED_WITH]->() DELETE r //"]


def test_schema_has_one_unique_id_constraint_per_node_kind() -> None:
    statements = cypher.schema_statements()
    for kind in model.NODE_KINDS:
        expected = f"FOR (n:{kind.name}) REQUIRE n.id IS UNIQUE"
        assert sum(expected in s for s in statements) == 1
    assert all(s.startswith("CREATE CONSTRAINT ") and " IF NOT EXISTS " in s for s in statements)


def test_schema_file_is_up_to_date() -> None:
    """cypher/schema.cypher is generated from the model: regenerate with `python -m graphkit.cypher`."""
    assert (cypher.LIBRARY_DIR / "schema.cypher").read_text(encoding="utf-8") == cypher.schema()


@pytest.mark.parametrize("kind", [k.name for k in model.NODE_KINDS])
def test_node_statements_take_values_only_as_parameters(kind: str) -> None:
    create = cypher.create_nodes(kind, ["name", "id", "aliases"])
    assert create.startswith(
        f"UNWIND $rows AS row CREATE (n:{kind} {{`aliases`: row.`aliases`, `id`: row.`id`, "
        "`name`: row.`name`, _scopes: [$scope], _run: $run})"
    )
    update = cypher.update_nodes(kind)
    assert update.startswith(f"UNWIND $rows AS row MATCH (n:{kind}) WHERE elementId(n) = row.node ")
    assert "SET n = row.props" in update
    assert cypher.find_nodes(kind).startswith(f"UNWIND $ids AS id MATCH (n:{kind} {{id: id}})")
    for statement in (create, update, cypher.find_nodes(kind), cypher.count_nodes(kind)):
        assert "'" not in statement and '"' not in statement
        assert "MERGE (" not in statement


@pytest.mark.parametrize("rel", model.RELATION_KINDS, ids=lambda r: r.name)
def test_relation_statements_per_type_and_end_kinds(rel: model.RelationKind) -> None:
    a, b = sorted(rel.sources)[0], sorted(rel.targets)[0]
    create = cypher.create_relations(rel.name, a, b, ["sources", "key"])
    assert (
        f"MATCH (a:{a}) WHERE elementId(a) = row._source MATCH (b:{b}) WHERE elementId(b) = row._target "
        f"CREATE (a)-[r:{rel.name} {{`key`: row.`key`, `sources`: row.`sources`, "
        "_scope: $scope, _run: $run}]->(b)"
    ) in create
    from_source = cypher.update_relations(rel.name, a, b)
    assert (
        f"MATCH (a:{a}) WHERE elementId(a) = row.source MATCH (a)-[r:{rel.name}]->(:{b}) "
        "WHERE r.key = row.key AND r._scope = $scope AND elementId(endNode(r)) = row.target SET r = row.props"
    ) in from_source
    from_target = cypher.update_relations(rel.name, a, b, from_target=True)
    assert (
        f"MATCH (b:{b}) WHERE elementId(b) = row.target MATCH (b)<-[r:{rel.name}]-(:{a}) "
        "WHERE r.key = row.key AND r._scope = $scope AND elementId(startNode(r)) = row.source SET r = row.props"
    ) in from_target
    for update in (from_source, from_target):
        assert "MERGE (" not in update
    for statement in (create, from_source, from_target):
        assert "'" not in statement and '"' not in statement


@pytest.mark.parametrize("bad", INJECTIONS)
def test_labels_and_types_not_in_the_model_are_refused(bad: str) -> None:
    with pytest.raises(GraphkitError, match="unknown node kind"):
        cypher.create_nodes(bad, ["id"])
    with pytest.raises(GraphkitError, match="unknown node kind"):
        cypher.update_nodes(bad)
    with pytest.raises(GraphkitError, match="unknown relation type"):
        cypher.update_relations(bad, "Group", "Group")
    with pytest.raises(GraphkitError, match="unknown node kind"):
        cypher.create_relations("FOUGHT", bad, "Group", ["key"])
    with pytest.raises(GraphkitError):
        cypher.read_nodes(bad)
    with pytest.raises(GraphkitError):
        cypher.read_relations(bad)


@pytest.mark.parametrize("bad", ["x`}) DETACH DELETE n //", "a b", "1st", "", "na-me"])
def test_property_names_that_are_not_identifiers_are_refused(bad: str) -> None:
    with pytest.raises(GraphkitError, match="invalid property name"):
        cypher.create_nodes("Group", ["id", bad])
    with pytest.raises(GraphkitError, match="invalid property name"):
        cypher.create_relations("FOUGHT", "Group", "Group", [bad])


@pytest.mark.parametrize("reserved", cypher.END_KEYS)
def test_a_relation_field_cannot_shadow_the_end_keys(reserved: str) -> None:
    # a created relation's row carries its ends beside its properties: a field of that name would store them
    with pytest.raises(GraphkitError, match="cannot start with '_'"):
        cypher.create_relations("FOUGHT", "Group", "Group", ["key", reserved])


def test_cleanup_covers_every_kind_and_type() -> None:
    statements = cypher.cleanup_statements()
    assert {what for what, _, _ in statements} == {"nodes", "relations"}
    assert {name for what, name, _ in statements if what == "nodes"} == {k.name for k in model.NODE_KINDS}
    assert {name for what, name, _ in statements if what == "relations"} == set(model.RELATION_KIND)
    text = "\n".join(s for _, _, s in statements)
    for kind in model.NODE_KINDS:
        assert f"MATCH (n:{kind.name}) WHERE $scope IN n._scopes AND n._run <> $run" in text
    for rel in model.RELATION_KINDS:
        assert f"MATCH ()-[r:{rel.name}]->() WHERE r._scope = $scope AND r._run <> $run DELETE r" in text


@pytest.mark.parametrize(
    ("statement", "found"),
    [
        ("MATCH (n) RETURN n", []),
        ("MATCH (n {name: 'CREATE'}) RETURN n.settings AS set_up", []),
        ('MATCH (n) WHERE n.note = "DELETE me" RETURN n', []),
        ("MATCH (n) RETURN n // SET n.x = 1", []),
        ("MATCH (n) /* MERGE */ RETURN `DELETE`", []),
        ("CALL db.labels()", []),
        ("MATCH (n) detach delete n", ["DETACH", "DELETE"]),
        ("MATCH (n) SET n.x = 1", ["SET"]),
        ("MATCH (n) REMOVE n.x", ["REMOVE"]),
        ("CREATE (n:Group {id: 'x'})", ["CREATE"]),
        ("MERGE (n:Group {id: 'x'})", ["MERGE"]),
        ("DROP CONSTRAINT group_id", ["DROP"]),
        ("LOAD CSV FROM 'file:///x' AS row RETURN row", ["LOAD"]),
        ("UNWIND [1] AS x FOREACH (i IN [1] | CREATE ())", ["FOREACH", "CREATE"]),
        ("CALL apoc.create.node(['X'], {})", ["CALL apoc.create.node"]),
        ("MATCH (n {name: 'it\\'s'}) DELETE n", ["DELETE"]),
    ],
)
def test_write_clauses_are_found_outside_strings_and_comments(statement: str, found: list[str]) -> None:
    assert cypher.write_clauses(statement) == found


# --------------------------------------------------------------------------------------------
# Query files
# --------------------------------------------------------------------------------------------

GOOD = """// name: demo
// description: A demo question that
//   continues here.
// param: group: str - id of the group
// param: limit: int = 5 - at most this many
// param: since: str = null - optional start
// example: graphkit query demo --param group=iskp
MATCH (g {id: $group}) WHERE $since IS NULL OR g.since >= $since
RETURN g.id AS id, '$notaparam' AS text LIMIT $limit
"""


def _write(tmp_path: Path, text: str, name: str = "demo") -> Path:
    path = tmp_path / f"{name}.cypher"
    path.write_text(text, encoding="utf-8")
    return path


def test_parse_query_reads_the_header(tmp_path: Path) -> None:
    q = cypher.parse_query(_write(tmp_path, GOOD))
    assert q.name == "demo"
    assert q.description == "A demo question that continues here."
    assert [(p.name, p.type, p.default, p.required) for p in q.params] == [
        ("group", "str", None, True),
        ("limit", "int", 5, False),
        ("since", "str", None, False),
    ]
    assert q.example == "graphkit query demo --param group=iskp"
    assert q.cypher.startswith("MATCH (g {id: $group})")
    assert q.bind({"group": "iskp"}) == {"group": "iskp", "limit": 5, "since": None}
    assert q.bind({"group": "x", "limit": "7"})["limit"] == 7


def test_bind_reports_every_parameter_problem(tmp_path: Path) -> None:
    q = cypher.parse_query(_write(tmp_path, GOOD))
    with pytest.raises(GraphkitError) as err:
        q.bind({"limit": "many", "grp": "x"})
    text = str(err.value)
    assert "unknown parameter 'grp'" in text
    assert "missing required parameter 'group'" in text
    assert "parameter 'limit' must be int, not 'many'" in text


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (GOOD.replace("// name: demo", "// name: other"), "differs from the file name"),
        (
            GOOD.replace("// description: A demo question that\n//   continues here.\n", ""),
            "missing header field 'description:'",
        ),
        (GOOD.replace("// example: graphkit query demo --param group=iskp\n", ""), "missing header field 'example:'"),
        (GOOD.replace("// param: limit: int = 5 - at most this many\n", ""), "uses $limit but declares no"),
        (GOOD.replace("LIMIT $limit", "LIMIT 3"), "declares parameter 'limit' but never uses $limit"),
        (GOOD.replace("limit: int = 5", "limit: integer = 5"), "line 5: bad parameter"),
        (GOOD.replace("limit: int = 5", "limit: int = five"), "line 5: bad parameter"),
        (GOOD.replace("// example:", "// exmaple:"), "line 7: expected one of"),
        (GOOD.split("MATCH")[0], "no Cypher after the header"),
    ],
)
def test_parse_query_names_the_defect(tmp_path: Path, text: str, problem: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(GraphkitError) as err:
        cypher.parse_query(path)
    assert str(path) in str(err.value)
    assert problem in str(err.value)


def test_library_has_a_dozen_documented_questions() -> None:
    queries = cypher.library()
    assert len(queries) >= 12
    assert "schema" not in queries and "_template" not in queries
    for name, q in queries.items():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", name)
        assert q.example.startswith(f"graphkit query {name}")
        assert len(q.description) > 20


def test_template_parses_and_documents_every_header_field() -> None:
    q = cypher.parse_query(cypher.LIBRARY_DIR / "_template.cypher")
    for field in ("name:", "description:", "param:", "example:"):
        assert field in q.description
    assert {p.name for p in q.params} == {"kind", "text", "limit"}


def test_find_query_lists_known_names_when_missing() -> None:
    with pytest.raises(GraphkitError, match=r"no query named 'nope'; known: .*leaders-of-group"):
        cypher.find_query("nope")


# --------------------------------------------------------------------------------------------
# Output formats
# --------------------------------------------------------------------------------------------

RESULT = QueryResult(["id", "aliases", "killed"], [["iskp", ["ISKP", "IS-K"], 3], ['x, "y"', [], None]])


def test_render_table_csv_json() -> None:
    table = render(RESULT, "table").splitlines()
    assert table[0].split() == ["id", "aliases", "killed"]
    assert table[2].split() == ["iskp", "ISKP;", "IS-K", "3"]
    assert table[-1] == "(2 rows)"
    assert render(RESULT, "csv").splitlines() == ["id,aliases,killed", "iskp,ISKP; IS-K,3", '"x, ""y""",,']
    assert json.loads(render(RESULT, "json")) == [
        {"id": "iskp", "aliases": ["ISKP", "IS-K"], "killed": 3},
        {"id": 'x, "y"', "aliases": [], "killed": None},
    ]

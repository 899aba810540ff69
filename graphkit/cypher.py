"""Cypher derived from the model, and the named query library in ``cypher/``.

Every label and relationship type in a statement built here comes from :mod:`graphkit.model`
(anything else raises :class:`~graphkit.errors.GraphkitError`); every value travels as a
parameter, never formatted into the text. That is what makes loads safe against names and quotes
such as ``x'}) DETACH DELETE n //``.

Load stamps
-----------
Every node a load writes carries ``_scopes`` (the list of load scopes that claim it, e.g. ``seed``
and ``mmp``) and ``_run`` (the run tag of the last load that wrote it); every relation carries
``_scope`` (the one scope that owns it; its identity is ``key`` plus ``_scope``) and ``_run``.
Properties whose names start with ``_`` are stamps, not facts.

The query library
-----------------
Each ``cypher/<name>.cypher`` file asks one question and starts with a header of ``//`` lines::

    // name: leaders-of-group
    // description: Who led a group, and when.
    // param: group: str - id of the group
    // param: limit: int = 50 - at most this many rows
    // example: graphkit query leaders-of-group --param group=iskp

:func:`parse_query` reads it; :func:`library` lists them (files starting with ``_`` and the
generated ``schema.cypher`` are not questions).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphkit import model
from graphkit.errors import GraphkitError
from graphkit.resources import shipped_dir

#: The query library shipped with graphkit.
LIBRARY_DIR = shipped_dir("cypher")

#: Properties that record loads rather than facts.
NODE_STAMPS = ("_scopes", "_run")
RELATION_STAMPS = ("_scope", "_run")

_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
#: A property name: a field of the model, or a load stamp (``_run``).
_PROPERTY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _snake(name: str) -> str:
    """``ALLIED_WITH`` -> ``allied_with``, ``Group`` -> ``group`` (for constraint and index names)."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def label(kind: str) -> str:
    """Return ``kind`` if it is a node kind of the model, else raise.

    Raises
    ------
    GraphkitError
        ``kind`` is not a node kind declared in :mod:`graphkit.model`.
    """
    if kind not in model.NODE_KIND or not _IDENTIFIER.match(kind):
        raise GraphkitError(f"unknown node kind {kind!r}; expected one of {', '.join(model.NODE_KIND)}")
    return kind


def rel_type(name: str) -> str:
    """Return ``name`` if it is a relation kind of the model, else raise.

    Raises
    ------
    GraphkitError
        ``name`` is not a relation kind declared in :mod:`graphkit.model`.
    """
    if name not in model.RELATION_KIND or not _IDENTIFIER.match(name):
        raise GraphkitError(f"unknown relation type {name!r}; expected one of {', '.join(model.RELATION_KIND)}")
    return name


def schema_statements() -> list[str]:
    """The constraints graphkit needs, one statement each, all ``IF NOT EXISTS``.

    A uniqueness constraint on ``id`` per node kind: MERGE finds nodes through its index, and it
    keeps one node per id. There is deliberately no index on the load stamps: cleanup selects
    stale records with ``_run <> $run``, which no index serves, and indexes on ``_run`` were
    measured here to halve load speed (10k nodes + 50k relations: 23 s with them, 12 s without).
    """
    return [
        f"CREATE CONSTRAINT {_snake(label(k.name))}_id IF NOT EXISTS FOR (n:{k.name}) REQUIRE n.id IS UNIQUE"
        for k in model.NODE_KINDS
    ]


def schema() -> str:
    """The text of ``cypher/schema.cypher``: the schema statements with a header, one per line."""
    head = [
        "// name: schema",
        "// description: Constraints graphkit creates before every load (generated from",
        "//   graphkit/model.py by `python -m graphkit.cypher`; do not edit by hand).",
        "",
    ]
    return "\n".join([*head, *(s + ";" for s in schema_statements())]) + "\n"


def _property_map(fields: Sequence[str], value: str, extra: str = "") -> str:
    """A literal map ``{f: <value>.f, ...}`` over ``fields`` (model field names), plus ``extra`` entries.

    A property a row lacks comes out null, which ``CREATE`` does not store: so the map creates each
    record with exactly its own properties, in one write, where ``CREATE`` then ``SET r = map``
    writes every record twice (and ArcadeDB re-serialises all of them again at commit).
    """
    for name in fields:
        if not _PROPERTY.match(name):
            raise GraphkitError(f"invalid property name {name!r}: use letters, digits and '_'")
    entries = [f"`{name}`: {value}.`{name}`" for name in sorted(fields)]
    return "{" + ", ".join([*entries, *([extra] if extra else [])]) + "}"


def count_nodes(kind: str) -> str:
    """How many nodes of one kind the database holds (any scope): one row, ``n``."""
    return f"MATCH (n:{label(kind)}) RETURN count(n) AS n"


def find_nodes(kind: str) -> str:
    """The nodes of one kind whose ids are in ``$ids``: one row, ``found``, of ``[id, elementId]`` pairs."""
    return f"UNWIND $ids AS id MATCH (n:{label(kind)} {{id: id}}) RETURN collect([n.id, elementId(n)]) AS found"


def create_nodes(kind: str, fields: Sequence[str]) -> str:
    """Batched creation of nodes of one kind that the database does not hold (no node has their id).

    Parameters: ``$rows`` (each row the entity's complete stored properties, whose names are among
    ``fields``: a flat map, the cheapest shape to pack and to read), ``$scope`` and ``$run``.
    Returns one row, ``written``: the ``[id, elementId]`` of every node created, by which the
    load's relations find their ends. The loader sends here only ids :func:`find_nodes` did not
    find in the same transaction; the uniqueness constraint on ``id`` refuses the load should
    another transaction create one meanwhile.
    """
    props = _property_map(fields, "row", "_scopes: [$scope], _run: $run")
    return f"UNWIND $rows AS row CREATE (n:{label(kind)} {props}) RETURN collect([n.id, elementId(n)]) AS written"


def update_nodes(kind: str) -> str:
    """Batched update of nodes the database holds, each found by its ``elementId`` (``row.node``).

    Parameters: ``$rows`` (maps with ``node`` and ``props``, the entity's complete stored
    properties), ``$scope`` and ``$run``. ``SET n = row.props`` replaces the properties, so a field
    removed from the facts disappears from the node; the stamps are set after it, keeping the
    other scopes that claim the node. Returns one row, ``written``, as :func:`create_nodes`.
    """
    return (
        f"UNWIND $rows AS row MATCH (n:{label(kind)}) WHERE elementId(n) = row.node "
        "WITH n, row, [s IN coalesce(n._scopes, []) WHERE s <> $scope] AS others "
        "SET n = row.props SET n._scopes = others + $scope, n._run = $run "
        "RETURN collect([n.id, elementId(n)]) AS written"
    )


def update_relations(rtype: str, source_kind: str, target_kind: str, *, from_target: bool = False) -> str:
    """Batched update of relations the scope already holds, each found by its ends and ``key``.

    Parameters: ``$rows`` (maps with ``source`` and ``target``, the ``elementId`` of each end,
    ``key`` and ``props``, the relation's complete stored properties with the ``_scope`` and
    ``_run`` stamps already in them) and ``$scope``. A relation's identity is its ``key`` within
    its scope, so two loads (say the seed and an import) asserting the same link keep their own
    sources and quotes. Returns ``written``, the number of rows whose relation was found: the
    caller checks it equals the batch size.

    The loader sends here only rows whose key, with the same two ends, the scope held when the
    transaction began (:func:`scope_relation_keys`); every other row is created
    (:func:`create_relations`). No ``MERGE``: finding a relation means walking one end's relations,
    and ``MERGE`` (like a match that starts at the source) walks the source's, so reloading a GTD
    group with thousands of attacks cost a walk over all of them per attack (2,000 reloaded
    ``CARRIED_OUT`` rows: 3.1 s with ``MERGE``, 0.12 s starting at the attack, on the local
    default). ``from_target`` starts at the target instead: the loader starts each row at the end
    with fewer relations of the type. The far end is checked as ``startNode(r)`` or ``endNode(r)``,
    not as a node of the pattern, which Neo4j's planner would look up by its ``elementId`` and
    walk from instead: from the group, over its thousands of attacks (a GTD-scale reload took
    106 s for its relations that way). A relation cannot be found by its own ``elementId``:
    ArcadeDB answers that by scanning every relation.
    """
    t, a, b = rel_type(rtype), label(source_kind), label(target_kind)
    if from_target:
        start, walk, far = f"(b:{b}) WHERE elementId(b) = row.target", f"(b)<-[r:{t}]-(:{a})", "startNode(r)"
    else:
        start, walk, far = f"(a:{a}) WHERE elementId(a) = row.source", f"(a)-[r:{t}]->(:{b})", "endNode(r)"
    far_end = "source" if from_target else "target"
    return (
        f"UNWIND $rows AS row MATCH {start} MATCH {walk} "
        f"WHERE r.key = row.key AND r._scope = $scope AND elementId({far}) = row.{far_end} "
        "SET r = row.props "
        "RETURN count(r) AS written"
    )


#: The keys of a created relation's row that carry its two ends' ``elementId``, beside its properties
#: (no model field starts with ``_``: :func:`create_relations` refuses such a field).
END_KEYS = ("_source", "_target")


def create_relations(rtype: str, source_kind: str, target_kind: str, fields: Sequence[str]) -> str:
    """Batched creation of relations that the scope does not hold yet.

    Parameters: ``$rows`` (each row the relation's stored properties, whose names are among
    ``fields``, plus the ``elementId`` of its ends under :data:`END_KEYS`: one flat map per row),
    ``$scope`` and ``$run`` (the stamps, the same for every row, so not sent with each).

    The loader sends here only rows whose ``key`` (with the same ends) the scope has no relation
    of this type with (:func:`scope_relation_keys`, read in the same transaction), so nothing can
    be doubled: a relation whose ends changed under the same key is created anew, and cleanup
    removes the old one, which keeps the earlier run's stamp. The ends are found by ``elementId``,
    which the load's node statements return: on the local default, 100k relations took 3.2 s,
    against 5.9 s found by ``id``.
    """
    t, a, b = rel_type(rtype), label(source_kind), label(target_kind)
    if any(name.startswith("_") for name in fields):
        raise GraphkitError(f"invalid property names {sorted(fields)}: a relation's field cannot start with '_'")
    source, target = END_KEYS
    return (
        f"UNWIND $rows AS row MATCH (a:{a}) WHERE elementId(a) = row.{source} "
        f"MATCH (b:{b}) WHERE elementId(b) = row.{target} "
        f"CREATE (a)-[r:{t} {_property_map(fields, 'row', '_scope: $scope, _run: $run')}]->(b) "
        "RETURN count(r) AS written"
    )


def scope_relation_keys(rtype: str) -> str:
    """The relations of one type that ``$scope`` holds, as ``[key, source id, target id]``: one row, ``keys``."""
    return f"MATCH (a)-[r:{rel_type(rtype)}]->(b) WHERE r._scope = $scope RETURN collect([r.key, a.id, b.id]) AS keys"


def cleanup_statements() -> list[tuple[str, str, str]]:
    """Statements that remove what earlier loads of ``$scope`` wrote and run ``$run`` did not.

    Relations of the scope with another run tag are deleted. Nodes claimed by the scope but not
    written by this run lose the scope from ``_scopes``, and those no scope claims any more are
    deleted (with their relations: none can remain, since every load claims both ends of its
    relations). Returns ``(what, name, statement)`` triples, ``what`` being ``relations`` or
    ``nodes`` and ``name`` the relation type or node kind (the loader skips those the scope held
    none of); each statement returns one row, ``removed``: how many it deleted.
    """
    out = [
        (
            "relations",
            r.name,
            f"MATCH ()-[r:{rel_type(r.name)}]->() WHERE r._scope = $scope AND r._run <> $run "
            "DELETE r RETURN count(*) AS removed",
        )
        for r in model.RELATION_KINDS
    ]
    out += [
        (
            "nodes",
            k.name,
            f"MATCH (n:{label(k.name)}) WHERE $scope IN n._scopes AND n._run <> $run "
            "SET n._scopes = [s IN n._scopes WHERE s <> $scope] "
            "WITH n WHERE size(n._scopes) = 0 DETACH DELETE n RETURN count(*) AS removed",
        )
        for k in model.NODE_KINDS
    ]
    return out


def scope_count_statements() -> list[tuple[str, str]]:
    """Statements that count the nodes ``$scope`` claims: ``(kind, statement)`` pairs, each
    returning one row, ``n``. (Its relations are counted from :func:`scope_relation_keys`, which
    the load reads anyway.)
    """
    return [
        (k.name, f"MATCH (n:{label(k.name)}) WHERE $scope IN n._scopes RETURN count(n) AS n") for k in model.NODE_KINDS
    ]


#: Entities whose id, name or alias equals ``$name`` in any case (columns ``id``, ``kind``,
#: ``name``, ``aliases``): the candidates :func:`graphkit.store.resolve_entity` chooses from.
FIND_ENTITY = (
    "WITH toLower(trim($name)) AS word MATCH (n) "
    "WHERE toLower(n.id) = word OR toLower(n.name) = word "
    "OR any(a IN coalesce(n.aliases, []) WHERE toLower(a) = word) "
    "RETURN n.id AS id, labels(n)[0] AS kind, n.name AS name, n.aliases AS aliases ORDER BY id"
)


#: Every node, as one row ``nodes``: a list of ``[labels, id, properties]`` (stamps included). One
#: row, not a row per node: the driver reads and decodes each row on its own, at about 75 µs a row
#: on the local default (16 s for a GTD-scale graph's 206k nodes, 10 s as one list).
READ_ALL_NODES = "MATCH (n) RETURN collect([labels(n), n.id, properties(n)]) AS nodes"
#: Every relation, as one row ``relations``: a list of ``[type, source id, target id, properties]``
#: (27 s for a GTD-scale graph's 378k relations a row each, 13 s as one list).
READ_ALL_RELATIONS = "MATCH (a)-[r]->(b) RETURN collect([type(r), a.id, b.id, properties(r)]) AS relations"


def read_nodes(kind: str) -> str:
    """All nodes of one kind with their properties (stamps included): columns ``id``, ``props``."""
    return f"MATCH (n:{label(kind)}) RETURN n.id AS id, properties(n) AS props"


def read_relations(rtype: str) -> str:
    """All relations of one type: columns ``source``, ``target``, ``props``."""
    return f"MATCH (a)-[r:{rel_type(rtype)}]->(b) RETURN a.id AS source, b.id AS target, properties(r) AS props"


# --------------------------------------------------------------------------------------------
# Read-only checks
# --------------------------------------------------------------------------------------------

#: Words that begin a clause or command that changes the graph, the schema or the users.
WRITE_CLAUSES = (
    "CREATE", "INSERT", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "DROP", "FOREACH", "LOAD", "ALTER",
    "RENAME", "GRANT", "DENY", "REVOKE", "TERMINATE",
)  # fmt: skip
#: Procedures that only describe the schema, which read-only statements may ``CALL``.
READ_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshiptypes",
        "db.propertykeys",
        "db.schema.visualization",
        "db.schema.nodetypeproperties",
        "db.schema.reltypeproperties",
        "db.info",
        "db.ping",
        "dbms.components",
    }
)
#: Where a ``//`` comment ends, by reading: Neo4j's (``\n``, ``\r``), every line break Python
#: knows (``\u2028``, ``\u0085`` ...), and ``\n`` alone. A server may read either way, so the
#: statement is scanned under each.
_COMMENT_ENDS = ("\n\r", "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029", "\n")


def _lexer(line_ends: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?P<comment>//[^{line_ends}]*|/\*.*?\*/)"
        r"|(?P<string>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
        r"|(?P<quoted>`(?:[^`]|``)*`)"
        r"|(?P<word>\w+)"
        r"|(?P<space>\s+)"
        r"|(?P<other>.)",
        re.DOTALL,
    )


_LEXERS = tuple(_lexer(ends) for ends in _COMMENT_ENDS)


def _tokens(cypher: str, lexer: re.Pattern[str]) -> list[tuple[str, str]]:
    """``cypher`` as ``(kind, text)`` tokens, without spaces and comments; words NFKC-normalised, upper case."""
    out = []
    for m in lexer.finditer(cypher):
        kind = m.lastgroup or "other"
        if kind in ("space", "comment"):
            continue
        text = m.group()
        if kind == "word":
            text = unicodedata.normalize("NFKC", text).upper()
        elif kind == "quoted":
            text = text[1:-1].replace("``", "`")
        out.append((kind, text))
    return out


def _procedure(tokens: list[tuple[str, str]], i: int) -> str | None:
    """The dotted name of the procedure called by the ``CALL`` at ``tokens[i]``; ``None`` for a subquery."""
    parts: list[str] = []
    j = i + 1
    while j < len(tokens):
        kind, text = tokens[j]
        if kind in ("word", "quoted") and (not parts or tokens[j - 1][1] == "."):
            parts.append(text.lower())
        elif not (text == "." and parts):
            break
        j += 1
    if not parts and j < len(tokens) and tokens[j][1] in ("{", "("):
        return None
    return ".".join(parts)


def _found(tokens: list[tuple[str, str]]) -> list[str]:
    found: list[str] = []
    for i, (kind, text) in enumerate(tokens):
        before = tokens[i - 1][1] if i else ""
        after = tokens[i + 1][1] if i + 1 < len(tokens) else ""
        if kind == "other" and text == ";" and after:
            found.append("; (a second statement)")
        if kind != "word" or before in (".", ":", "$") or after == ":":
            continue  # a property, label, parameter or map key, not a clause
        if text in WRITE_CLAUSES:
            found.append(text)
        elif text == "IN" and after == "TRANSACTIONS":
            found.append("IN TRANSACTIONS")
        elif text == "CALL":
            name = _procedure(tokens, i)
            if name is not None and name not in READ_PROCEDURES:
                found.append(f"CALL {name}" if name else "CALL")
    return found


def write_clauses(cypher: str) -> list[str]:
    r"""What in ``cypher`` may change the graph: write clauses, procedure calls, second statements.

    A first, friendly check before a read-only statement is sent; the server's own refusal is the
    guard (:func:`graphkit.store.run_query`). Words inside string literals, comments and
    backticked names do not count, nor property names, labels, parameters and map keys, so
    ``MATCH (n {name: 'CREATE'}) RETURN {set: n.delete}`` is read-only. A ``CALL`` counts unless
    it opens a subquery or calls a schema listing (:data:`READ_PROCEDURES`), back-ticked or not;
    so do ``IN TRANSACTIONS`` and a second statement after ``;``. Words are compared after
    Unicode normalisation (``ＤＥＬＥＴＥ`` is ``DELETE``), and comments are read as ending at
    any line break a server might honour (``\r``, ``\u2028`` ...) or only at ``\n``: what any
    reading finds counts.

    Examples
    --------
    >>> write_clauses("MATCH (n) WHERE n.name = 'SET' RETURN n // DELETE")
    []
    >>> write_clauses("MATCH (n) detach delete n")
    ['DETACH', 'DELETE']
    >>> write_clauses("MATCH (n) //\rDETACH DELETE n")
    ['DETACH', 'DELETE']
    >>> write_clauses("CALL `do`.`when`(true, 'CREATE ()', '')")
    ['CALL do.when']
    """
    variants = {cypher, "".join(c for c in cypher if unicodedata.category(c) != "Cf")}
    found: list[str] = []
    for text in variants:
        for lexer in _LEXERS:
            found += [f for f in _found(_tokens(text, lexer)) if f not in found]
    return found


# --------------------------------------------------------------------------------------------
# The query library
# --------------------------------------------------------------------------------------------

#: Parameter types of library queries. ``entity`` is an entity id that users may give by id, name
#: or alias in any case; :meth:`Query.bind` turns it into the id with the resolver it is given.
PARAM_TYPES = ("str", "int", "float", "bool", "entity")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<type>\w+)(?:\s*=\s*(?P<default>.*?))?\s+-\s+(?P<doc>.+)$"
)
_HEADER_KEYS = ("name", "description", "param", "example")


@dataclass(frozen=True)
class Param:
    """One parameter of a library query: its name, type, default (None: required) and meaning."""

    name: str
    type: str
    doc: str
    default: Any = None
    required: bool = True

    def convert(self, text: str) -> Any:
        """Turn a command-line value into this parameter's type.

        Raises
        ------
        GraphkitError
            ``text`` is not a valid value of the type.
        """
        try:
            return _convert(self.type, text)
        except ValueError:
            raise GraphkitError(f"parameter {self.name!r} must be {self.type}, not {text!r}") from None


#: The whole numbers Cypher holds (signed 64-bit): a larger one would overflow in the driver.
INT64 = (-(2**63), 2**63 - 1)


def _convert(ptype: str, text: str) -> Any:
    if ptype == "int":
        value = int(text)
        if not INT64[0] <= value <= INT64[1]:
            raise ValueError(text)
        return value
    if ptype == "float":
        number = float(text)
        if not math.isfinite(number):
            raise ValueError(text)
        return number
    if ptype == "bool":
        if text.lower() not in ("true", "false"):
            raise ValueError(text)
        return text.lower() == "true"
    return text


@dataclass(frozen=True)
class Query:
    """A named question from the library: header fields and the Cypher body."""

    name: str
    description: str
    params: tuple[Param, ...]
    example: str
    cypher: str
    path: Path

    def bind(self, given: dict[str, str], resolve: Callable[[str], str] | None = None) -> dict[str, Any]:
        """Parameters for running the query from ``key=value`` texts: converted, defaults filled.

        Parameters
        ----------
        given
            The parameters as texts, by name.
        resolve
            Turns an ``entity`` parameter's text (an id, name or alias) into the entity's id,
            e.g. :func:`graphkit.store.resolve_entity` bound to a database; without it the text
            is passed as it is.

        Raises
        ------
        GraphkitError
            Naming every unknown parameter, missing required one, badly typed value and entity
            that no entity or several go by.
        """
        known = {p.name: p for p in self.params}
        problems = [f"unknown parameter {k!r}" for k in given if k not in known]
        out: dict[str, Any] = {}
        for p in self.params:
            if p.name in given:
                try:
                    out[p.name] = p.convert(given[p.name])
                    if p.type == "entity" and resolve is not None:
                        out[p.name] = resolve(out[p.name])
                except GraphkitError as exc:
                    problems.append(f"{p.name}: {exc}" if p.type == "entity" else str(exc))
            elif p.required:
                problems.append(f"missing required parameter {p.name!r} ({p.type}: {p.doc})")
            else:
                out[p.name] = p.default
        if problems:
            usage = ", ".join(f"{p.name}: {p.type}" for p in self.params) or "none"
            raise GraphkitError(f"query {self.name!r}: " + "; ".join(problems) + f" (parameters: {usage})")
        return out


def parse_query(path: Path | str) -> Query:
    """Read one library file: its ``//`` header and its Cypher.

    Raises
    ------
    GraphkitError
        Naming the file, line and defect: a missing or unknown header field, a malformed
        parameter, a name that differs from the file name, or ``$parameters`` in the Cypher that
        the header does not declare (or declared ones it never uses).
    """
    path = Path(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    fields: dict[str, str] = {}
    params: list[Param] = []
    problems: list[str] = []
    body_start = len(lines)
    last = ""
    for i, line in enumerate(lines):
        if not line.startswith("//"):
            body_start = i
            break
        text = line[2:].strip()
        key, sep, value = text.partition(":")
        if sep and key in _HEADER_KEYS:
            last = key
            if key == "param":
                param = _parse_param(value.strip())
                if param is None:
                    problems.append(f"line {i + 1}: bad parameter; expected 'param: NAME: TYPE [= DEFAULT] - meaning'")
                else:
                    params.append(param)
            else:
                fields[key] = value.strip()
        elif last in ("description", "example") and text:
            fields[last] += " " + text
        elif text:
            problems.append(f"line {i + 1}: expected one of {', '.join(k + ':' for k in _HEADER_KEYS)}")
    cypher = "\n".join(lines[body_start:]).strip()
    for key in ("name", "description", "example"):
        if not fields.get(key):
            problems.append(f"missing header field '{key}:'")
    if fields.get("name") and fields["name"] != path.stem:
        problems.append(f"name {fields['name']!r} differs from the file name {path.stem!r}")
    if not cypher:
        problems.append("no Cypher after the header")
    used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", _strip_literals(cypher)))
    declared = {p.name for p in params}
    problems += [f"uses ${n} but declares no 'param: {n}: ...'" for n in sorted(used - declared)]
    problems += [f"declares parameter {n!r} but never uses ${n}" for n in sorted(declared - used)]
    if problems:
        raise GraphkitError(f"{path}: " + "; ".join(problems))
    return Query(fields["name"], fields["description"], tuple(params), fields["example"], cypher, path)


def _parse_param(text: str) -> Param | None:
    m = _PARAM.match(text)
    if m is None or m["type"] not in PARAM_TYPES:
        return None
    if m["default"] is None:
        return Param(m["name"], m["type"], m["doc"].strip())
    raw = m["default"].strip()
    if raw == "null":
        return Param(m["name"], m["type"], m["doc"].strip(), None, required=False)
    try:
        default = _convert(m["type"], json.loads(raw) if raw.startswith('"') else raw)
    except ValueError:
        return None
    return Param(m["name"], m["type"], m["doc"].strip(), default, required=False)


def _strip_literals(cypher: str) -> str:
    """``cypher`` without comments and string literals (so ``'$x'`` is not a parameter)."""
    return re.sub(r"//[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", " ", cypher, flags=re.DOTALL)


def library(directory: Path | str | None = None) -> dict[str, Query]:
    """Every named question in the library directory (default: the shipped ``cypher/``), by name.

    Files whose names start with ``_`` (the template) and ``schema.cypher`` are not questions.

    Raises
    ------
    GraphkitError
        The directory does not exist, or a file's header is invalid.
    """
    root = Path(directory) if directory is not None else LIBRARY_DIR
    if not root.is_dir():
        raise GraphkitError(f"query library {root} is not a directory")
    files = [p for p in sorted(root.glob("*.cypher")) if not p.name.startswith("_") and p.stem != "schema"]
    return {q.name: q for q in (parse_query(p) for p in files)}


def find_query(name: str, directory: Path | str | None = None) -> Query:
    """The library query called ``name``.

    Raises
    ------
    GraphkitError
        No query has that name (the message lists those that exist).
    """
    queries = library(directory)
    if name not in queries:
        raise GraphkitError(f"no query named {name!r}; known: {', '.join(queries)}")
    return queries[name]


# --------------------------------------------------------------------------------------------
# Statements in a script
# --------------------------------------------------------------------------------------------

_SCAN = re.compile(
    r"""//[^\n]*|/\*.*?(?:\*/|$)|'(?:[^'\\]|\\.)*(?:'|$)|"(?:[^"\\]|\\.)*(?:"|$)|`[^`]*(?:`|$)|;""", re.DOTALL
)


def split_statements(text: str) -> tuple[list[str], str]:
    """Split Cypher text at the ``;`` that end statements, as ``cypher-shell`` does.

    A ``;`` inside a string, a backticked name or a comment does not end a statement.

    Returns
    -------
    tuple of (list of str, str)
        The complete statements (stripped, empty ones dropped) and the unfinished rest.

    Examples
    --------
    >>> split_statements("RETURN ';' AS a; MATCH (n) // ;\\nRETURN n;\\nRETURN")
    (["RETURN ';' AS a", 'MATCH (n) // ;\\nRETURN n'], 'RETURN')
    """
    done: list[str] = []
    start = 0
    for match in _SCAN.finditer(text):
        if match.group() == ";":
            statement = text[start : match.start()].strip()
            if _strip_literals(statement).strip():
                done.append(statement)
            start = match.end()
    return done, text[start:].strip()


if __name__ == "__main__":
    print(schema(), end="")

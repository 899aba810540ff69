"""Exports of the facts graph: GraphML, GEXF, node-link JSON and CSV files for bulk import.

GraphML and GEXF have no list type, so the model's list properties (``aliases``, ``sources``,
``evidence``, ``records``) are written as JSON text and decoded again by :func:`read_export`;
which properties are lists comes from :mod:`graphkit.model`, not from the data. The CSV export
is two files, ``nodes.csv`` and ``relations.csv``, in the header format of ``neo4j-admin database
import`` (``id:ID``, ``:LABEL``, ``:START_ID``, ``:END_ID``, ``:TYPE``, ``name:string[]``) with
U+001F (the unit separator) as the array delimiter: ``neo4j-admin database import full
--array-delimiter=U+001F --multiline-fields=true ...``. neo4j-admin has no escape for the array
delimiter inside an element, so it must be a character no value can contain: the validator
rejects control characters in every text (:func:`graphkit.facts.bad_character`), and a quote
with a ``|`` or ``;`` in it round-trips.

Every CSV graphkit writes (these two files, ``metrics.csv``, query and cypher ``--format csv``)
passes its text cells through :func:`spreadsheet_safe`: a cell starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return gets a leading ``'`` so that a spreadsheet shows it as text instead
of running it as a formula (the OWASP rule for CSV injection). The apostrophe is then part of the
value for any other reader, neo4j-admin included; numbers are never changed.

The GEXF export is dynamic, for Gephi's timeline: every relation carries ``start`` and ``end``
(ISO dates) from its period as :func:`graphkit.projection.relation_span` reads it (the first
day ``since`` can stand for, the last real day of ``until``; an open end is left out), dated
nodes (attacks) carry theirs (:func:`graphkit.projection.node_period`), and nodes and edges get
the model's colours (and node shapes) as ``viz`` attributes. The facts' own ``since``/``until``
strings travel as attributes too, so the file reads back to the graph it was written from.
"""

from __future__ import annotations

import calendar
import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from graphkit import _lazy

if TYPE_CHECKING:
    import networkx as nx
else:
    nx = _lazy.module("networkx")  # imported when first used: the CLI starts without it

from graphkit import model, projection
from graphkit.errors import GraphkitError, writing
from graphkit.facts import bad_character

Format = Literal["graphml", "gexf", "json", "csv"]
FORMATS: tuple[Format, ...] = ("graphml", "gexf", "json", "csv")
ARRAY_DELIMITER = "\x1f"
#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: The type of every node and edge attribute, derived from the model.
ATTRIBUTE_TYPES = {
    f.name: f.type
    for f in (*model.ENTITY_PROPERTIES, *model.RELATION_PROPERTIES, *(f for k in model.NODE_KINDS for f in k.fields))
}
#: Node and edge attributes that hold lists.
LIST_ATTRIBUTES = frozenset(name for name, t in ATTRIBUTE_TYPES.items() if t == "list[str]")
#: neo4j-admin import header types of the model's non-text types.
_CSV_TYPES = {"list[str]": "string[]", "int": "int", "float": "float"}


#: Edge attributes GEXF reserves for itself (``type`` is directed/undirected), renamed on the way out.
GEXF_RENAMES = {"type": "relation_type", "key": "relation_key"}
#: GEXF ``viz:shape`` of the model's node shapes (GEXF has no star: attacks are drawn as squares).
_GEXF_SHAPES = {"dot": "disc", "diamond": "diamond", "triangle": "triangle", "square": "square", "star": "square"}
#: What the dynamic GEXF export adds to nodes and edges, dropped again when it is read back.
_GEXF_ADDED = ("start", "end", "viz", "spells")


def _iso(day: projection.Day, *, last: bool = False) -> str:
    """A ``(year, month, day)`` bound as an ISO date; ``last`` clamps the day to the month's end."""
    year, month, d = day
    if last:
        d = min(d, calendar.monthrange(year, month)[1])
    return f"{year:04d}-{month:02d}-{d:02d}"


def _viz(colour: str, shape: str | None = None) -> dict[str, Any]:
    """A GEXF ``viz`` attribute of a ``#rrggbb`` colour (and a model shape)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    viz: dict[str, Any] = {"color": {"r": r, "g": g, "b": b, "a": 1.0}}
    if shape is not None:
        viz["shape"] = _GEXF_SHAPES.get(shape, "disc")
    return viz


def _dynamic(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` with GEXF ``start``/``end`` dates and ``viz`` colours on nodes and edges."""
    H = _encoded(G, GEXF_RENAMES)
    H.graph["mode"] = "dynamic"
    for n, data in H.nodes(data=True):
        first, last = projection.node_period(G.nodes[n])
        if first is not None:
            data["start"] = _iso(first)
        if last is not None:
            data["end"] = _iso(last, last=True)
        kind = model.NODE_KIND.get(str(G.nodes[n].get("kind", "")))
        if kind is not None:
            data["viz"] = _viz(kind.colour, kind.shape)
    for u, v, key, data in H.edges(keys=True, data=True):
        first, last = projection.relation_span(G, u, v, G.edges[u, v, key])
        if first is not None:
            data["start"] = _iso(first)
        if last is not None:
            data["end"] = _iso(last, last=True)
        data["id"] = str(key)  # Gephi and the reader see the relation key as the edge id
        rel = model.RELATION_KIND.get(str(G.edges[u, v, key].get("type", "")))
        if rel is not None:
            data["viz"] = _viz(rel.colour)
    return H


def _encoded(G: nx.MultiDiGraph, renames: dict[str, str] | None = None) -> nx.MultiDiGraph:
    """A copy of ``G`` whose list attributes are JSON text (for formats without lists)."""
    H = G.copy()
    for _, data in H.nodes(data=True):
        for k in LIST_ATTRIBUTES & data.keys():
            data[k] = json.dumps(data[k], ensure_ascii=False)
    for _, _, data in H.edges(data=True):
        for k in LIST_ATTRIBUTES & data.keys():
            data[k] = json.dumps(data[k], ensure_ascii=False)
        for old, new in (renames or {}).items():
            if old in data:
                data[new] = data.pop(old)
    return H


def _decoded(G: nx.MultiDiGraph, renames: dict[str, str] | None = None) -> nx.MultiDiGraph:
    """Undo :func:`_encoded` in place and return ``G``."""
    for _, data in G.nodes(data=True):
        data.pop("label", None)  # GEXF adds a label equal to the id
        for k in _GEXF_ADDED if renames else ():
            data.pop(k, None)
        for k in LIST_ATTRIBUTES & data.keys():
            data[k] = json.loads(data[k])
    for _, _, data in G.edges(data=True):
        data.pop("id", None)
        for k in _GEXF_ADDED if renames else ():
            data.pop(k, None)
        for k in LIST_ATTRIBUTES & data.keys():
            data[k] = json.loads(data[k])
        for old, new in (renames or {}).items():
            if new in data:
                data[old] = data.pop(new)
    return G


def export_graph(G: nx.MultiDiGraph, fmt: Format, out: Path | str) -> list[Path]:
    """Write ``G`` in format ``fmt`` to ``out`` (a file; for ``csv`` a directory) and return the files written."""
    out = Path(out)
    if fmt not in FORMATS:
        raise GraphkitError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    _check_text(G)
    with writing(out):
        if fmt == "csv":
            return _write_csv(G, out)
        out.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "graphml":
            nx.write_graphml(_encoded(G), out)
        elif fmt == "gexf":
            nx.write_gexf(_dynamic(G), out)
        else:
            data = nx.node_link_data(G, edges="edges", key="edge_key")
            out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return [out]


def _check_text(G: nx.MultiDiGraph) -> None:
    """Refuse a graph with text no export can hold (validated facts never have it; a graph built by hand may).

    Raises
    ------
    GraphkitError
        Naming the node or edge and the attribute.
    """
    items = [(f"node {n!r}", {"id": n, **d}) for n, d in G.nodes(data=True)]
    items += [(f"edge {u!r} -> {v!r} ({k})", d) for u, v, k, d in G.edges(keys=True, data=True)]
    for where, data in items:
        for name, value in data.items():
            for text in value if isinstance(value, list) else [value]:
                why = bad_character(text) if isinstance(text, str) else None
                if why is not None:
                    raise GraphkitError(f"cannot export {where}: attribute {name!r} {why}")


def read_export(path: Path | str) -> nx.MultiDiGraph:
    """Read a GraphML, GEXF or node-link JSON export back into the graph it was written from."""
    path = Path(path)
    if path.suffix == ".graphml":
        G = nx.read_graphml(path, force_multigraph=True)
        return _decoded(nx.MultiDiGraph(G))
    if path.suffix == ".gexf":
        return _decoded(nx.MultiDiGraph(nx.read_gexf(path)), GEXF_RENAMES)
    if path.suffix == ".json":
        # Built by hand: node_link_graph passes edge data to add_edge, where our ``key`` attribute clashes.
        data = json.loads(path.read_text(encoding="utf-8"))
        G = nx.MultiDiGraph()
        G.add_nodes_from((n.pop("id"), n) for n in data["nodes"])
        G.add_edges_from((e.pop("source"), e.pop("target"), e.pop("edge_key"), e) for e in data["edges"])
        return G
    raise GraphkitError(f"{path}: cannot tell the format from the suffix (.graphml, .gexf or .json)")


def spreadsheet_safe(value: Any) -> Any:
    """``value`` as a CSV cell no spreadsheet runs as a formula: text starting with ``=``, ``+``,
    ``-``, ``@``, tab or CR gets a leading ``'``; anything else (numbers too) is returned as it is.

    >>> [spreadsheet_safe(v) for v in ("=HYPERLINK(1)", "@x", "-1", -1, "Alpha")]
    ["'=HYPERLINK(1)", "'@x", "'-1", -1, 'Alpha']
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _cell(name: str, value: Any) -> str:
    """One CSV cell; lists joined by the array delimiter, which no element may contain."""
    if isinstance(value, list):
        for v in value:
            if ARRAY_DELIMITER in v:
                raise GraphkitError(f"cannot export {name} value {v!r} to CSV: it contains U+001F")
        return str(spreadsheet_safe(ARRAY_DELIMITER.join(value)))
    return "" if value is None else str(spreadsheet_safe(value))


def _header(name: str) -> str:
    """The neo4j-admin import header of an attribute: ``name:type`` for non-text types."""
    csv_type = _CSV_TYPES.get(ATTRIBUTE_TYPES.get(name, "str"))
    return f"{name}:{csv_type}" if csv_type else name


def _write_csv(G: nx.MultiDiGraph, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    node_fields = sorted({k for _, d in G.nodes(data=True) for k in d} - {"kind"})
    edge_fields = sorted({k for _, _, d in G.edges(data=True) for k in d} - {"type"})
    nodes, rels = out / "nodes.csv", out / "relations.csv"
    with nodes.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id:ID", ":LABEL", *(_header(f) for f in node_fields)])
        for n, d in sorted(G.nodes(data=True)):
            w.writerow([spreadsheet_safe(n), d["kind"], *(_cell(f, d.get(f)) for f in node_fields)])
    with rels.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([":START_ID", ":END_ID", ":TYPE", *(_header(f) for f in edge_fields)])
        for u, v, d in sorted(G.edges(data=True), key=lambda e: e[2]["key"]):
            w.writerow(
                [spreadsheet_safe(u), spreadsheet_safe(v), d["type"], *(_cell(f, d.get(f)) for f in edge_fields)]
            )
    return [nodes, rels]

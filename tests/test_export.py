"""Graph building and exports: every relation survives, and exports read back to the same graph."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest

from graphkit.errors import GraphkitError
from graphkit.export import ARRAY_DELIMITER, export_graph, read_export
from graphkit.facts import Entity, Facts, Relation, validate
from graphkit.graph import to_networkx


@pytest.fixture
def facts() -> Facts:
    src = Entity("art", "Source", "An article", props={"publisher": "P", "published": "2024-05"})
    ents = [
        src,
        Entity("alpha", "Group", "Alpha <b>Front</b>", ["AF", "Alfa"], ["art"], props={"group_type": "militant group"}),
        Entity("beta", "Group", "Beta", [], ["art"], note="a note"),
        Entity("pat", "Person", "Pat", [], ["art"]),
        Entity("blast", "Attack", "Blast", [], ["art"], props={"date": "2020-05", "killed": 3}),
    ]
    rels = [
        Relation("FOUGHT", "beta", "alpha", ["art"], ["they fought, 'again'"], "reported", since="2015"),
        Relation("FOUGHT", "alpha", "beta", ["art"], ["and again"], "alleged", since="2018", until="2019"),
        Relation("ALLIED_WITH", "alpha", "beta", ["art"], ["allied"], "uncertain", note="briefly"),
        Relation("LED_BY", "alpha", "pat", ["art"], ["Pat led"], "reported", records=["row:1"]),
        Relation("CARRIED_OUT", "alpha", "blast", ["art"], ["Alpha claimed it"], "reported"),
    ]
    return validate(Facts({e.id: e for e in ents}, rels))


def assert_same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert sorted(a.edges(keys=True, data=True)) == sorted(b.edges(keys=True, data=True))


def test_graph_keeps_every_relation_and_attribute(facts: Facts) -> None:
    G = to_networkx(facts)
    assert G.number_of_nodes() == 5
    assert G.number_of_edges("alpha", "beta") == 3  # two FOUGHT periods and an alliance, all kept
    assert G.number_of_edges("beta", "alpha") == 0  # symmetric kinds stored once, canonical direction
    edge = G.edges["alpha", "beta", "FOUGHT:alpha:beta:2018"]
    assert edge == {
        "type": "FOUGHT",
        "key": "FOUGHT:alpha:beta:2018",
        "sources": ["art"],
        "evidence": ["and again"],
        "confidence": "alleged",
        "since": "2018",
        "until": "2019",
    }
    assert G.nodes["blast"] == {
        "kind": "Attack",
        "name": "Blast",
        "aliases": [],
        "sources": ["art"],
        "date": "2020-05",
        "killed": 3,
    }
    assert "sources" not in G.nodes["art"]


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_export_round_trips(facts: Facts, tmp_path: Path, fmt: str) -> None:
    G = to_networkx(facts)
    (path,) = export_graph(G, fmt, tmp_path / f"g.{fmt}")  # type: ignore[arg-type]
    assert_same_graph(read_export(path), G)


def test_graphml_is_plain_networkx_readable(facts: Facts, tmp_path: Path) -> None:
    (path,) = export_graph(to_networkx(facts), "graphml", tmp_path / "g.graphml")
    H = nx.read_graphml(path, force_multigraph=True)
    assert H.number_of_edges() == 5 and H.nodes["alpha"]["name"] == "Alpha <b>Front</b>"


def test_csv_export_for_bulk_import(facts: Facts, tmp_path: Path) -> None:
    nodes, rels = export_graph(to_networkx(facts), "csv", tmp_path / "csv")
    with nodes.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["id:ID"]: r[":LABEL"] for r in rows}["pat"] == "Person"
    alpha = next(r for r in rows if r["id:ID"] == "alpha")
    assert alpha["aliases:string[]"].split(ARRAY_DELIMITER) == ["AF", "Alfa"]
    with rels.open(encoding="utf-8") as fh:
        edges = list(csv.DictReader(fh))
    assert len(edges) == 5
    assert {(e[":START_ID"], e[":END_ID"], e[":TYPE"]) for e in edges} >= {("alpha", "pat", "LED_BY")}


def test_csv_lists_round_trip_whatever_their_text(facts: Facts, tmp_path: Path) -> None:
    # A `|` or `;` in a quote was fatal with `|` as the array delimiter; U+001F cannot be in valid text.
    facts.entities["beta"].aliases += ["B|C", "D;E", 'F, "G"']
    facts.relations[0].evidence.append("they fought | twice; 'again', \"and again\"")
    validate(facts)
    nodes, rels = export_graph(to_networkx(facts), "csv", tmp_path / "csv")
    with nodes.open(encoding="utf-8", newline="") as fh:
        beta = next(r for r in csv.DictReader(fh) if r["id:ID"] == "beta")
    assert beta["aliases:string[]"].split(ARRAY_DELIMITER) == ["B|C", "D;E", 'F, "G"']
    with rels.open(encoding="utf-8", newline="") as fh:
        quotes = [r["evidence:string[]"].split(ARRAY_DELIMITER) for r in csv.DictReader(fh)]
    assert ["they fought, 'again'", "they fought | twice; 'again', \"and again\""] in quotes


def test_csv_refuses_a_graph_with_the_array_delimiter_in_a_list(facts: Facts, tmp_path: Path) -> None:
    G = to_networkx(facts)  # not validated facts: a graph built by hand
    G.nodes["beta"]["aliases"] = ["B\x1fC"]
    with pytest.raises(GraphkitError, match="U\\+001F"):
        export_graph(G, "csv", tmp_path / "csv")

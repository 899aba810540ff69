"""The dynamic GEXF export: relations' periods and dated nodes as GEXF intervals, model colours as viz."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx

from graphkit import model, projection
from graphkit.export import export_graph, read_export
from graphkit.facts import Entity, Facts, Relation, validate
from graphkit.graph import load_seed_graph, to_networkx

NS = {"g": "http://www.gexf.net/1.2draft", "viz": "http://www.gexf.net/1.2draft/viz"}


def _facts() -> Facts:
    ents = [
        Entity("art", "Source", "An article"),
        Entity("alpha", "Group", "Alpha", [], ["art"]),
        Entity("beta", "Group", "Beta", [], ["art"]),
        Entity("blast", "Attack", "Blast", [], ["art"], props={"date": "2020-02"}),
    ]
    rels = [
        Relation("FOUGHT", "alpha", "beta", ["art"], ["they fought"], "reported", since="2015-03", until="2016-02"),
        Relation("FOUGHT", "alpha", "beta", ["art"], ["again"], "reported", since="2018"),
        Relation("ALLIED_WITH", "alpha", "beta", ["art"], ["allied"], "reported", until="2014-06-12"),
        Relation("CARRIED_OUT", "alpha", "blast", ["art"], ["claimed"], "reported"),
    ]
    return validate(Facts({e.id: e for e in ents}, rels))


def _read(path: Path) -> tuple[ET.Element, dict[str, ET.Element], dict[str, ET.Element]]:
    graph = ET.parse(path).getroot().find("g:graph", NS)
    assert graph is not None
    nodes = {n.get("id", ""): n for n in graph.iterfind("g:nodes/g:node", NS)}
    edges = {e.get("id", ""): e for e in graph.iterfind("g:edges/g:edge", NS)}
    return graph, nodes, edges


def test_relations_and_attacks_carry_their_intervals(tmp_path: Path) -> None:
    G = to_networkx(_facts())
    (path,) = export_graph(G, "gexf", tmp_path / "g.gexf")
    graph, nodes, edges = _read(path)
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    interval = {key: (e.get("start"), e.get("end")) for key, e in edges.items()}
    by_type = {d["type"] + ":" + str(d.get("since")): k for _, _, k, d in G.edges(keys=True, data=True)}
    # partial dates read as widely as they allow, but as real days: February 2016 ends on the 29th
    assert interval[by_type["FOUGHT:2015-03"]] == ("2015-03-01", "2016-02-29")
    assert interval[by_type["FOUGHT:2018"]] == ("2018-01-01", None)  # ongoing: no end
    assert interval[by_type["ALLIED_WITH:None"]] == (None, "2014-06-12")  # always begun
    assert interval[by_type["CARRIED_OUT:None"]] == ("2020-02-01", "2020-02-29")  # dated by its attack
    assert (nodes["blast"].get("start"), nodes["blast"].get("end")) == ("2020-02-01", "2020-02-29")
    assert nodes["alpha"].get("start") is None and nodes["alpha"].get("end") is None


def test_model_colours_as_viz(tmp_path: Path) -> None:
    (path,) = export_graph(to_networkx(_facts()), "gexf", tmp_path / "g.gexf")
    _, nodes, edges = _read(path)
    colour = nodes["blast"].find("viz:color", NS)
    assert colour is not None
    attack = model.NODE_KIND["Attack"].colour
    assert "#" + "".join(f"{int(colour.get(c, '-1')):02x}" for c in "rgb") == attack
    assert nodes["alpha"].find("viz:shape", NS) is not None
    fought = next(e for e in edges.values() if "FOUGHT" in e.get("id", ""))
    ec = fought.find("viz:color", NS)
    assert ec is not None
    assert "#" + "".join(f"{int(ec.get(c, '-1')):02x}" for c in "rgb") == model.RELATION_KIND["FOUGHT"].colour


def test_the_seed_timeline_matches_the_time_slices(tmp_path: Path) -> None:
    """Read back with networkx: each edge's interval holds exactly the years as_of keeps it in."""
    G = load_seed_graph()
    (path,) = export_graph(G, "gexf", tmp_path / "seed.gexf")
    raw = nx.read_gexf(path)
    dated = 0
    for u, v, data in raw.edges(data=True):
        key = data["id"]
        start, end = data.get("start"), data.get("end")
        dated += start is not None or end is not None
        for year in (2014, 2016, 2019, 2021, 2023):
            inside = (start is None or start[:4] <= str(year)) and (end is None or end[:4] >= str(year))
            assert inside == projection.as_of(G, year).has_edge(u, v, key), (key, year, start, end)
    assert dated >= sum(1 for *_, d in G.edges(data=True) if d.get("since") or d.get("until")) > 10
    # and the export still reads back to the graph it was written from
    back = read_export(path)
    assert dict(back.nodes(data=True)) == dict(G.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True)) == sorted(G.edges(keys=True, data=True))

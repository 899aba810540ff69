"""graphkit.projection: which nodes and links each projection keeps, how weights combine, time slices."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from graphkit import model
from graphkit.projection import PROJECTIONS, actor_network, as_of, date_bounds, project, whole_graph, window

W = model.CONFIDENCE_WEIGHT


def _graph() -> nx.MultiDiGraph:
    """A small full graph of the shape graphkit.graph.to_networkx builds."""
    G = nx.MultiDiGraph()
    G.add_node("src", kind="Source", name="An article")
    for gid in ("iskp", "ttp", "talib"):
        G.add_node(gid, kind="Group", name=gid.upper())
    G.add_node("late", kind="Group", name="Late group", founded="2020-03")
    G.add_node("emir", kind="Person", name="An emir")
    G.add_node("loner", kind="Person", name="Unlinked")
    G.add_node("kabul", kind="Place", name="Kabul")
    G.add_node("afg", kind="Place", name="Afghanistan")
    G.add_node("att1", kind="Attack", name="Airport bombing", date="2021-08-26")
    G.add_node("att2", kind="Attack", name="Undated attack")

    def rel(u: str, v: str, type_: str, confidence: str, **extra: Any) -> None:
        key = f"{type_}:{u}:{v}:{extra.get('since', '')}"
        data = {"key": key, "type": type_, "confidence": confidence, "sources": ["src"], "evidence": ["q"], **extra}
        G.add_edges_from([(u, v, key, data)])

    rel("iskp", "talib", "FOUGHT", "confirmed", since="2015")
    rel("iskp", "talib", "FOUGHT", "reported", since="2021-08", until="2022")
    rel("iskp", "ttp", "ALLIED_WITH", "alleged", since="2014", until="2016-06")
    rel("iskp", "ttp", "SPLINTER_OF", "reported")
    rel("iskp", "emir", "LED_BY", "confirmed", since="2020")
    rel("iskp", "att1", "CARRIED_OUT", "confirmed")
    rel("att1", "talib", "TARGETED", "alleged")
    rel("att1", "kabul", "OCCURRED_IN", "confirmed")
    rel("ttp", "att2", "CARRIED_OUT", "uncertain")
    rel("emir", "att2", "CARRIED_OUT", "reported")
    rel("iskp", "kabul", "ACTIVE_IN", "reported", since="2016")
    rel("ttp", "kabul", "ACTIVE_IN", "confirmed")
    rel("kabul", "afg", "LOCATED_IN", "confirmed")
    rel("late", "ttp", "ALLIED_WITH", "reported", since="2020")
    return G


def test_actor_network_keeps_actors_and_their_relations_only() -> None:
    A = actor_network(_graph())
    assert sorted(A.nodes) == ["emir", "iskp", "late", "loner", "talib", "ttp"]
    assert A.degree("loner") == 0  # isolated actors stay
    assert sorted(tuple(sorted(e)) for e in A.edges) == [
        ("emir", "iskp"),
        ("iskp", "talib"),
        ("iskp", "ttp"),
        ("late", "ttp"),
    ]
    assert A.nodes["iskp"]["name"] == "ISKP" and A.nodes["emir"]["kind"] == "Person"
    assert not A.is_directed() and not A.is_multigraph()


def test_parallel_relations_combine_into_weights() -> None:
    G = _graph()
    summed = actor_network(G)
    edge = summed.edges["iskp", "talib"]
    assert edge["weight"] == pytest.approx(W["confirmed"] + W["reported"])
    assert edge["count"] == 2 and edge["types"] == ["FOUGHT"]
    assert edge["keys"] == ["FOUGHT:iskp:talib:2015", "FOUGHT:iskp:talib:2021-08"]
    mixed = summed.edges["iskp", "ttp"]
    assert mixed["weight"] == pytest.approx(W["alleged"] + W["reported"])
    assert mixed["types"] == ["ALLIED_WITH", "SPLINTER_OF"]
    maxed = actor_network(G, combine="max")
    assert maxed.edges["iskp", "talib"]["weight"] == W["confirmed"]
    assert maxed.edges["iskp", "ttp"]["weight"] == W["reported"]
    flat = actor_network(G, weighted=False)
    assert {w for _, _, w in flat.edges(data="weight")} == {1.0}
    assert flat.edges["iskp", "talib"]["count"] == 2
    assert "unweighted" in flat.graph["projection"]


def test_directed_projection_keeps_direction_and_doubles_symmetric_kinds() -> None:
    D = actor_network(_graph(), directed=True)
    assert D.is_directed()
    assert D.has_edge("iskp", "emir") and not D.has_edge("emir", "iskp")  # LED_BY
    assert D.has_edge("iskp", "talib") and D.has_edge("talib", "iskp")  # FOUGHT is symmetric
    assert D.edges["talib", "iskp"]["weight"] == pytest.approx(W["confirmed"] + W["reported"])
    # ALLIED_WITH both ways, SPLINTER_OF only iskp -> ttp
    assert D.edges["iskp", "ttp"]["types"] == ["ALLIED_WITH", "SPLINTER_OF"]
    assert D.edges["ttp", "iskp"]["types"] == ["ALLIED_WITH"]
    assert D.edges["ttp", "iskp"]["weight"] == W["alleged"]


def test_actors_linked_through_shared_attacks_and_places() -> None:
    G = _graph()
    A = actor_network(G, via=["attacks"])
    # att1: carried out by iskp (confirmed), targeted talib (alleged) -> the weaker link
    shared = actor_network(G, via=["attacks"], combine="max")
    assert shared.edges["ttp", "emir"]["weight"] == W["uncertain"]  # att2
    assert shared.edges["ttp", "emir"]["types"] == ["SHARED_ATTACK"]
    assert A.edges["iskp", "talib"]["weight"] == pytest.approx(W["confirmed"] + W["reported"] + W["alleged"])
    assert A.edges["iskp", "talib"]["types"] == ["FOUGHT", "SHARED_ATTACK"]
    assert not A.has_edge("iskp", "ttp") or "SHARED_PLACE" not in A.edges["iskp", "ttp"]["types"]
    P = actor_network(G, via=["places"])
    assert "SHARED_PLACE" in P.edges["iskp", "ttp"]["types"]
    assert P.edges["iskp", "ttp"]["keys"][-2:] == ["ACTIVE_IN:iskp:kabul:2016", "ACTIVE_IN:ttp:kabul:"]
    assert P.graph["graphkit"]["projection"] == "actors+places"
    both = project(G, "actors+attacks+places")
    assert both.graph["graphkit"]["projection"] == "actors+attacks+places"
    assert both.has_edge("ttp", "emir") and "SHARED_PLACE" in both.edges["iskp", "ttp"]["types"]
    Dv = actor_network(G, via=["attacks"], directed=True)
    assert Dv.has_edge("emir", "ttp") and Dv.has_edge("ttp", "emir")


def test_whole_graph_drops_sources_and_keeps_every_other_node() -> None:
    G = _graph()
    H = whole_graph(G)
    assert set(H.nodes) == set(G.nodes) - {"src"}
    assert H.has_edge("kabul", "afg") and H.has_edge("att1", "kabul")
    assert H.number_of_edges() == len({frozenset((u, v)) for u, v in G.edges()})
    assert project(G, "whole").graph["graphkit"]["projection"] == "whole"


def test_project_rejects_unknown_names() -> None:
    assert "actors" in PROJECTIONS
    with pytest.raises(ValueError, match="unknown projection"):
        project(_graph(), "places")
    with pytest.raises(ValueError, match="via"):
        actor_network(_graph(), via=["people"])  # type: ignore[list-item]


def test_unknown_confidence_is_a_clear_error() -> None:
    G = _graph()
    G.add_edge("iskp", "ttp", key="odd", type="RIVAL_OF", confidence="sure")
    with pytest.raises(ValueError, match=r"'odd'.*'sure'"):
        actor_network(G)
    assert actor_network(G, weighted=False).edges["iskp", "ttp"]["count"] == 3


def _keys(G: nx.MultiDiGraph) -> set[str]:
    return {k for _, _, k in G.edges(keys=True)}


def test_as_of_keeps_relations_active_that_year() -> None:
    G = _graph()
    s2016 = as_of(G, 2016)
    assert "ALLIED_WITH:iskp:ttp:2014" in _keys(s2016)  # until 2016-06 still counts for 2016
    assert "ALLIED_WITH:iskp:ttp:2014" not in _keys(as_of(G, 2017))
    assert "FOUGHT:iskp:talib:2015" in _keys(s2016)  # no until: ongoing
    assert "FOUGHT:iskp:talib:2015" not in _keys(as_of(G, 2014))  # not yet begun
    assert "SPLINTER_OF:iskp:ttp:" in _keys(as_of(G, 1990))  # no dates: always
    assert "FOUGHT:iskp:talib:2021-08" in _keys(as_of(G, 2021))
    assert "FOUGHT:iskp:talib:2021-08" not in _keys(as_of(G, "2021-07"))
    assert "FOUGHT:iskp:talib:2021-08" in _keys(as_of(G, "2022-12-31"))
    assert "FOUGHT:iskp:talib:2021-08" not in _keys(as_of(G, 2023))
    assert s2016.graph["slice"] == "as of 2016"
    assert actor_network(s2016).graph["projection"].endswith("as of 2016")


def test_slices_date_attacks_but_keep_other_nodes() -> None:
    G = _graph()
    s2019 = as_of(G, 2019)
    assert "att1" not in s2019 and "att2" in s2019  # dated 2021 vs undated
    assert "late" in s2019  # founded 2020-03, but "founded" does not date a node
    assert "CARRIED_OUT:iskp:att1:" in _keys(as_of(G, 2021))
    assert "CARRIED_OUT:iskp:att1:" not in _keys(as_of(G, 2022))  # the attack's date bounds its relations
    assert "loner" in s2019 and "src" in s2019  # undated nodes stay
    after = window(G, "2021-08", None)
    before = window(G, None, "2021-07")
    assert "att1" in after and "att1" not in before
    assert "FOUGHT:iskp:talib:2021-08" in _keys(after) and "FOUGHT:iskp:talib:2021-08" not in _keys(before)
    assert "ALLIED_WITH:iskp:ttp:2014" in _keys(before) and "ALLIED_WITH:iskp:ttp:2014" not in _keys(after)
    assert window(G, 2015, 2016).graph["slice"] == "2015 to 2016"
    assert _keys(window(G)) == _keys(G)
    # slices copy: changing one does not touch the full graph
    s2019.nodes["iskp"]["name"] = "changed"
    assert G.nodes["iskp"]["name"] == "ISKP"


def test_date_bounds_and_bad_dates() -> None:
    assert date_bounds("2015-02-03") == ((2015, 2, 3), (2015, 2, 3))
    with pytest.raises(ValueError, match="partial date"):
        as_of(_graph(), "2021/08")


def test_works_on_the_graph_built_from_facts() -> None:
    from graphkit.facts import Entity, Facts, Relation
    from graphkit.graph import to_networkx

    facts = Facts(
        {
            "a1": Entity("a1", "Source", "An article"),
            "g1": Entity("g1", "Group", "G1", sources=["a1"]),
            "g2": Entity("g2", "Group", "G2", sources=["a1"]),
        },
        [
            Relation("FOUGHT", "g1", "g2", ["a1"], ["they fought"], since="2015", confidence="confirmed"),
            Relation("FOUGHT", "g1", "g2", ["a1"], ["and again"], since="2018", confidence="alleged"),
        ],
    )
    A = actor_network(to_networkx(facts))
    assert sorted(A.nodes) == ["g1", "g2"]
    assert A.edges["g1", "g2"]["weight"] == pytest.approx(W["confirmed"] + W["alleged"])
    assert len(as_of(to_networkx(facts), 2016).edges) == 1


# --------------------------------------------------------------------------------------------
# select: the one selection every graph source goes through
# --------------------------------------------------------------------------------------------


def test_select_kinds_types_and_partial_dates() -> None:
    from graphkit.projection import select

    G = _graph()
    groups = select(G, kinds=["Group"])
    assert {k for _, k in groups.nodes(data="kind")} == {"Group"}
    assert all(G.nodes[u]["kind"] == G.nodes[v]["kind"] == "Group" for u, v in groups.edges())
    fought = select(G, types=["FOUGHT"])
    assert set(fought.nodes) == set(G.nodes) and {t for *_, t in fought.edges(data="type")} == {"FOUGHT"}
    # a partial date, not only a year: August 2021 keeps the airport attack and the fight begun then
    aug = select(G, as_of="2021-08", types=["FOUGHT", "CARRIED_OUT"])
    assert ("iskp", "att1") in aug.edges() and aug.number_of_edges("iskp", "talib") == 2
    assert "att1" not in select(G, as_of="2021-07")
    assert G.number_of_nodes() == 11  # G is not changed


def test_select_around_takes_any_name_and_keeps_sources() -> None:
    from graphkit.projection import select

    G = _graph()
    G.nodes["iskp"]["aliases"] = ["ISIS-K", "IS-K"]
    by_id = select(G, around="iskp", depth=1)
    assert set(by_id) == {"iskp", "talib", "ttp", "emir", "att1", "kabul", "src"}  # the Source stays
    for word in ("ISKP", "isis-k", "  IS-K ", "Iskp"):
        assert set(select(G, around=word, depth=1)) == set(by_id)
    assert set(select(G, around="iskp", depth=0)) == {"iskp", "src"}
    # after the other filters: around a group within groups only
    assert set(select(G, around="iskp", kinds=["Group", "Source"])) == {"iskp", "talib", "ttp", "src"}


def test_select_names_every_problem_and_ambiguity() -> None:
    from graphkit.errors import GraphkitError
    from graphkit.projection import select

    G = _graph()
    with pytest.raises(GraphkitError) as err:
        select(G, kinds=["Grop"], types=["FOUHGT"], as_of="2021-13", depth=-1)
    text = str(err.value)
    for part in (
        "unknown node kind 'Grop'",
        "'Group'",
        "unknown relation type 'FOUHGT'",
        "'FOUGHT'",
        "2021-13",
        "depth",
    ):
        assert part in text
    G.nodes["ttp"]["aliases"] = ["Shared"]
    G.nodes["talib"]["name"] = "shared"
    with pytest.raises(GraphkitError, match=r"'SHARED' names 2 entities: talib \(Group, shared\), ttp \(Group, TTP\)"):
        select(G, around="SHARED")
    with pytest.raises(GraphkitError, match=r"no entity goes by 'iskq'.*iskp \(Group"):
        select(G, around="iskq")
    with pytest.raises(GraphkitError, match="only for a graph read from the database"):
        select(G, scopes=["seed"])


def test_select_scopes_from_the_stamps() -> None:
    from graphkit.projection import select

    G = _graph()
    keys = list(G.edges(keys=True))
    G.graph["scopes"] = {
        "loaded": ["a", "b"],
        "nodes": {n: (["a", "b"] if n in ("iskp", "ttp", "src") else ["b"]) for n in G},
        "relations": {e: ("a" if e[:2] == ("iskp", "ttp") else "b") for e in keys},
    }
    only_a = select(G, scopes=["a"])
    assert set(only_a) == {"iskp", "ttp", "src"}
    assert {(u, v) for u, v in only_a.edges()} == {("iskp", "ttp")} and only_a.number_of_edges() == 2
    assert select(G, scopes=["a", "b"]).number_of_edges() == len(keys)
    with pytest.raises(Exception, match=r"unknown scope 'c'"):
        select(G, scopes=["c"])


def test_every_source_goes_through_the_same_selection(tmp_path: Any) -> None:
    """Fact files and an exported file give the same graph, and the same selection of it."""
    from graphkit import views
    from graphkit.export import export_graph
    from graphkit.facts import read_facts
    from graphkit.graph import SEED_DIR, ExportFile, FactFiles, obtain_graph, to_networkx

    full = to_networkx(read_facts([SEED_DIR]))
    (path,) = export_graph(full, "graphml", tmp_path / "seed.graphml")
    for kw in ({}, {"as_of": "2021-08"}, {"around": "ISIS-K", "depth": 1}, {"types": ["FOUGHT"], "kinds": ["Group"]}):
        from_facts = obtain_graph(FactFiles((SEED_DIR,)), **kw)
        from_file = obtain_graph(ExportFile(path), **kw)
        assert dict(from_facts.nodes(data=True)) == dict(from_file.nodes(data=True)), kw
        assert sorted(from_facts.edges(keys=True, data=True)) == sorted(from_file.edges(keys=True, data=True)), kw
    # the views' neighbourhood is the same selection (Source nodes kept, names accepted)
    assert set(views.ego(full, "ISKP", 1)) == set(obtain_graph(FactFiles((SEED_DIR,)), around="iskp"))
    assert {n for n, k in views.ego(full, "iskp", 1).nodes(data="kind") if k == "Source"}


def test_view_and_metrics_take_the_same_partial_dates_and_names(tmp_path: Any) -> None:
    """`view --as-of` took only a year and `metrics --as-of` partial dates: both take both now."""
    import json
    import re

    from click.testing import CliRunner

    from graphkit.cli import main
    from graphkit.export import export_graph
    from graphkit.graph import SEED_DIR, load_seed_graph

    out = tmp_path / "v.html"
    res = CliRunner().invoke(
        main, ["view", str(SEED_DIR), "--as-of", "2021-08", "--around", "ISIS-K", "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    block = re.search(
        r'<script type="application/json" id="gk-data">(.*?)</script>', out.read_text(encoding="utf-8"), re.S
    )
    assert block is not None
    drawn = {e["key"] for e in json.loads(block.group(1))["edges"]}
    from graphkit.projection import select

    assert drawn == {str(k) for *_, k in select(load_seed_graph(), as_of="2021-08", around="iskp").edges(keys=True)}
    res = CliRunner().invoke(main, ["metrics", str(SEED_DIR), "--as-of", "2021-08", "--format", "csv"])
    assert res.exit_code == 0 and "iskp" in res.output
    # an exported graph file is a source too, and gives the same ranking as the facts
    (path,) = export_graph(load_seed_graph(), "graphml", tmp_path / "seed.graphml")
    from_file = CliRunner().invoke(main, ["metrics", str(path), "--as-of", "2021-08", "--format", "csv"])
    assert from_file.exit_code == 0 and from_file.stdout == res.stdout

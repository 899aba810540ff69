"""graphkit.metrics against networkx's own functions on small graphs with known answers."""

from __future__ import annotations

import random
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import pytest

from graphkit import metrics

SEED_DIR = Path(__file__).resolve().parents[1] / "seed"


def _florentine_weighted() -> nx.Graph:
    G = nx.florentine_families_graph()
    rng = random.Random(7)
    for _, _, data in G.edges(data=True):
        data["weight"] = rng.choice([0.25, 0.5, 0.75, 1.0, 1.75])
    return G


def _disconnected() -> nx.Graph:
    G = nx.Graph([(0, 1), (1, 2), (2, 3), (3, 1), (4, 5), (5, 6)])
    G.add_node(7)  # isolated
    return G


GRAPHS: dict[str, Callable[[], nx.Graph]] = {
    "kite": nx.krackhardt_kite_graph,
    "florentine": nx.florentine_families_graph,
    "florentine-weighted": _florentine_weighted,
    "disconnected": _disconnected,
    "directed-random": lambda: nx.gnp_random_graph(40, 0.08, directed=True, seed=3),
    "directed-path": lambda: nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "b")]),
    "two-nodes": lambda: nx.Graph([("x", "y")]),
}


def _close(actual: dict[Hashable, float], expected: dict[Hashable, float], tol: float = 1e-6) -> None:
    assert set(actual) == set(expected)
    assert actual == pytest.approx(expected, abs=tol)


@pytest.mark.parametrize("name", GRAPHS)
def test_path_metrics_equal_networkx(name: str) -> None:
    G = GRAPHS[name]()
    _close(metrics.betweenness(G), nx.betweenness_centrality(G))
    _close(metrics.closeness(G), nx.closeness_centrality(G))
    _close(metrics.closeness(G, wf_improved=False), nx.closeness_centrality(G, wf_improved=False))
    _close(metrics.betweenness(G, normalized=False), nx.betweenness_centrality(G, normalized=False))


@pytest.mark.parametrize("name", GRAPHS)
def test_other_metrics_equal_networkx(name: str) -> None:
    G = GRAPHS[name]()
    _close(metrics.degree(G), nx.degree_centrality(G))
    _close(metrics.strength(G), dict(G.degree(weight="weight")))
    _close(metrics.pagerank(G), nx.pagerank(G, weight="weight"))
    precise = nx.pagerank(G, weight="weight", tol=1e-12, max_iter=1000)
    _close(metrics.pagerank(G, tol=1e-12, max_iter=1000), precise, tol=1e-9)
    assert metrics.k_core(G) == nx.core_number(G.to_undirected())


@pytest.mark.parametrize("name", ["kite", "florentine", "florentine-weighted", "directed-random"])
def test_eigenvector_equals_networkx(name: str) -> None:
    G = GRAPHS[name]()
    if name == "directed-random":  # eigenvector centrality needs a strongly connected digraph
        G = G.subgraph(max(nx.strongly_connected_components(G), key=len)).copy()
    _close(metrics.eigenvector(G, tol=1e-12), nx.eigenvector_centrality(G, weight="weight", tol=1e-12, max_iter=5000))


def test_kite_known_values() -> None:
    """Krackhardt's kite: Heather is the broker, Diane has the most ties (networkx's indices)."""
    G = nx.krackhardt_kite_graph()
    b = metrics.betweenness(G)
    assert max(b, key=lambda v: b[v]) == 7
    assert b[7] == pytest.approx(14 / 36)  # 14 of the 36 pairs of other nodes, per pair of orders
    assert max(metrics.degree(G).items(), key=lambda kv: kv[1])[0] == 3
    assert metrics.articulation_points(G) == {7, 8}
    assert metrics.bridges(G) == {(7, 8), (8, 9)}


def test_sampled_path_metrics_are_seeded_and_match_networkx_sampling() -> None:
    G = nx.florentine_families_graph()
    df = metrics.metrics_frame(G, sample_above=5, k=6, seed=42)
    assert df.attrs["method"] == "sampled(k=6, seed=42)"
    expected = nx.betweenness_centrality(G, k=6, seed=42)
    _close(df["betweenness"].to_dict(), expected)
    again = metrics.metrics_frame(G, sample_above=5, k=6, seed=42)
    assert again["betweenness"].tolist() == df["betweenness"].tolist()
    assert again["closeness"].tolist() == df["closeness"].tolist()
    other = metrics.metrics_frame(G, sample_above=5, k=6, seed=43)
    assert other["betweenness"].tolist() != df["betweenness"].tolist()


@pytest.mark.parametrize("name", [g for g in GRAPHS if g != "two-nodes"])
def test_sampled_betweenness_equals_networkx_with_the_same_seed(name: str) -> None:
    G = GRAPHS[name]()
    for k, seed in ((2, 5), (len(G) // 2, 9), (len(G) - 1, 1)):
        _close(metrics.betweenness(G, k=k, seed=seed), nx.betweenness_centrality(G, k=k, seed=seed))


def test_sampled_closeness_is_the_pivot_estimator() -> None:
    """Closeness from k pivots: reach share among the pivots times pivots reaching per distance."""
    G = nx.gnp_random_graph(30, 0.07, directed=True, seed=5)
    k, seed = 9, 11
    pivots = random.Random(seed).sample(list(G), k)
    lengths = {p: nx.single_source_shortest_path_length(G, p) for p in pivots}
    expected = {}
    for u in G:
        dists = [lengths[p][u] for p in pivots if p != u and u in lengths[p]]
        pool = k - (u in pivots)
        expected[u] = (len(dists) / sum(dists)) * (len(dists) / pool) if dists else 0.0
    _close(metrics.closeness(G, k=k, seed=seed), expected)


def test_sampling_every_node_is_exact() -> None:
    G = nx.krackhardt_kite_graph()
    _close(metrics.closeness(G, k=len(G), seed=1), nx.closeness_centrality(G))
    assert metrics.path_method(len(G), sample_above=3, k=len(G)) == "exact"


def test_brokers_on_a_graph_with_a_known_cut_vertex() -> None:
    # two triangles sharing "hub", and a tail hanging off one of them
    G = nx.Graph([("a", "b"), ("b", "hub"), ("hub", "a"), ("hub", "c"), ("c", "d"), ("d", "hub"), ("d", "tail")])
    assert metrics.articulation_points(G) == {"hub", "d"} == set(nx.articulation_points(G))
    assert metrics.bridges(G) == {("d", "tail")}
    df = metrics.metrics_frame(G)
    assert df["cut_vertex"].to_dict() == {n: n in {"hub", "d"} for n in G}
    assert df["bridges"].to_dict() == {"a": 0, "b": 0, "hub": 0, "c": 0, "d": 1, "tail": 1}


def test_communities_split_two_cliques_joined_by_an_edge() -> None:
    G = nx.complete_graph(["a1", "a2", "a3", "a4", "a5"])
    G.add_edges_from(nx.complete_graph(["b1", "b2", "b3", "b4"]).edges)
    G.add_edge("a1", "b1")
    labels = metrics.communities(G, seed=3)
    assert {n: labels[n] for n in G} == {n: 0 if n.startswith("a") else 1 for n in G}
    assert labels == metrics.communities(G, seed=3)


def test_frame_index_columns_and_attrs() -> None:
    G = nx.Graph()
    G.add_node("iskp", name="Islamic State Khorasan Province", kind="Group")
    G.add_node("ttp", name="Tehrik-i-Taliban Pakistan", kind="Group")
    G.add_node("p1", name="Someone", kind="Person")
    G.add_edge("iskp", "ttp", weight=1.75)
    G.add_edge("p1", "iskp", weight=0.5)
    G.graph["projection"] = "actors, undirected, weighted by confidence (sum of parallel relations), all time"
    df = metrics.metrics_frame(G)
    assert isinstance(df, pd.DataFrame)
    assert df.index.name == "id"
    assert list(df.index) == ["iskp", "ttp", "p1"]
    assert tuple(df.columns) == metrics.COLUMNS
    assert df.loc["iskp", "name"] == "Islamic State Khorasan Province"
    assert df.loc["p1", "kind"] == "Person"
    assert df.loc["iskp", "strength"] == pytest.approx(2.25)
    assert df.attrs["projection"].startswith("actors, undirected")
    assert df.attrs["method"] == "exact"
    assert (df.attrs["nodes"], df.attrs["edges"]) == (3, 2)
    assert df["community"].dtype == "int64" and df["cut_vertex"].dtype == bool
    _close(df["eigenvector"].to_dict(), nx.eigenvector_centrality(G, weight="weight", max_iter=1000))


def test_frame_on_an_empty_graph_and_a_failing_eigenvector() -> None:
    empty = metrics.metrics_frame(nx.Graph())
    assert empty.empty and tuple(empty.columns) == metrics.COLUMNS
    dag = nx.DiGraph([(i, i + 1) for i in range(30)])  # acyclic: no leading eigenvector to converge to
    df = metrics.metrics_frame(dag)
    assert df["eigenvector"].isna().all()
    assert any("eigenvector" in note for note in df.attrs["notes"])
    _close(df["betweenness"].to_dict(), nx.betweenness_centrality(dag))


def test_multigraph_is_refused() -> None:
    with pytest.raises(TypeError, match="project"):
        metrics.betweenness(nx.MultiGraph([(1, 2), (1, 2)]))


def test_self_loops_are_ignored() -> None:
    G = nx.Graph([(1, 2), (2, 3), (2, 2)])
    H = nx.Graph([(1, 2), (2, 3)])
    assert metrics.k_core(G) == nx.core_number(H)
    _close(metrics.eigenvector(G), nx.eigenvector_centrality(H))


def _seed_has_facts() -> bool:
    return SEED_DIR.is_dir() and any(SEED_DIR.rglob("*.yaml"))


@pytest.mark.skipif(not _seed_has_facts(), reason="seed/ has no facts yet")
def test_seed_graph_puts_iskp_among_the_most_central_actors() -> None:
    from graphkit.graph import load_seed_graph
    from graphkit.projection import actor_network

    full = load_seed_graph()
    iskp = [
        n
        for n, d in full.nodes(data=True)
        if d.get("kind") == "Group"
        and any("khorasan" in s.lower() or s in {"ISKP", "ISIS-K"} for s in [d.get("name", ""), *d.get("aliases", [])])
    ]
    assert iskp, "the seed has no ISKP group"
    df: Any = metrics.metrics_frame(actor_network(full))
    top = set(df["betweenness"].nlargest(5).index) | set(df["degree"].nlargest(5).index)
    assert iskp[0] in top


FACTS = {
    "sources.yaml": """
sources:
  - id: art
    name: An article
    publisher: Someone
    published: "2024"
""",
    "groups.yaml": """
groups:
  - id: hub
    name: Hub Group
    group_type: militant group
    sources: [art]
  - id: left
    name: Left Group
    group_type: militant group
    sources: [art]
  - id: right
    name: Right Group
    group_type: militant group
    sources: [art]
""",
    "relations.yaml": """
relations:
  - type: FOUGHT
    from: hub
    to: left
    since: "2015"
    confidence: confirmed
    sources: [art]
    evidence: ["they fought"]
  - type: ALLIED_WITH
    from: hub
    to: right
    since: "2019"
    confidence: reported
    sources: [art]
    evidence: ["they allied"]
""",
}


def _facts_dir(tmp_path: Path) -> Path:
    for name, text in FACTS.items():
        (tmp_path / name).write_text(text.lstrip(), encoding="utf-8")
    return tmp_path


def test_cli_metrics_states_projection_and_method(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from graphkit.cli import main

    (tmp_path / "facts").mkdir()
    facts = _facts_dir(tmp_path / "facts")
    runner = CliRunner()
    table = runner.invoke(main, ["metrics", str(facts)])
    assert table.exit_code == 0, table.output
    assert "projection: actors, undirected, weighted by confidence" in table.output
    assert "method: betweenness and closeness exact" in table.output
    assert table.output.index("hub") < table.output.index("left")  # sorted by betweenness
    out = tmp_path / "m.json"
    res = runner.invoke(main, ["metrics", "--as-of", "2016", "--format", "json", "--out", str(out), str(facts)])
    assert res.exit_code == 0, res.output
    assert "as of 2016" in res.output and f"wrote {out}" in res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["method"] == "exact" and doc["edges"] == 1  # the 2019 alliance is not yet there
    assert doc["rows"][0]["id"] == "hub"
    sampled = runner.invoke(main, ["metrics", "--format", "csv", "--sample-above", "1", "--k", "2", str(facts)])
    assert sampled.exit_code == 0, sampled.output
    assert "sampled(k=2, seed=0)" in sampled.output  # CliRunner mixes stderr into output
    assert "id,name,kind,degree" in sampled.output
    bad = runner.invoke(main, ["metrics", "--as-of", "2016/01", str(facts)])
    assert bad.exit_code == 2 and "partial date" in bad.output


# --------------------------------------------------------------------------------------------
# The compiled path kernels (graphkit._paths) and the exact reductions in front of them
# --------------------------------------------------------------------------------------------


def _model_shaped(seed: int, groups: int = 12, attacks: int = 150) -> nx.MultiDiGraph:
    """A small full graph like the model's: attacks by a few groups in a few places, members, rivals."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    group_ids = [f"g{i}" for i in range(groups)]
    places = [f"p{i}" for i in range(groups // 2)]
    for node in group_ids:
        G.add_node(node, kind="Group")
    for node in places:
        G.add_node(node, kind="Place")
    for i in range(attacks):
        a = f"a{i}"
        G.add_node(a, kind="Attack")
        G.add_edge(rng.choice(group_ids[:4]) if rng.random() < 0.7 else rng.choice(group_ids), a, type="CARRIED_OUT")
        if rng.random() < 0.8:
            G.add_edge(a, rng.choice(places[:2]) if rng.random() < 0.6 else rng.choice(places), type="OCCURRED_IN")
    for i in range(40):
        G.add_node(f"m{i}", kind="Person")
        G.add_edge(f"m{i}", rng.choice(group_ids), type="MEMBER_OF")
        G.add_edge(f"m{i}", rng.choice(group_ids), type="MEMBER_OF")  # a parallel or second membership
    for _ in range(groups):
        u, v = rng.sample(group_ids, 2)
        G.add_edge(u, v, type=rng.choice(["ALLIED_WITH", "FOUGHT", "SPLINTER_OF"]))
    G.add_node("lonely", kind="Group")  # isolated
    G.add_nodes_from(["x1", "x2"], kind="Group")
    G.add_edge("x1", "x2", type="FOUGHT")  # a component of two
    for _, _, data in G.edges(data=True):
        data["confidence"] = rng.choice(["confirmed", "reported", "alleged"])
    return G


def _with_leaves_and_twins(seed: int) -> nx.Graph:
    """A sparse random graph with stars, chains of leaves, twins of different weights, a triangle."""
    rng = random.Random(seed)
    G = nx.gnm_random_graph(60, 70, seed=seed)
    for hub in rng.sample(range(60), 6):
        for j in range(rng.randint(1, 4)):
            G.add_edge(hub, f"leaf-{hub}-{j}")
    G.add_edge("leaf-chain-0", "leaf-chain-1")
    G.add_edge("leaf-chain-1", 0)
    for t in range(5):  # twins of hubs 1 and 2; the first two also carry leaves
        G.add_edges_from([(f"twin-{t}", 1), (f"twin-{t}", 2)])
        if t < 2:
            G.add_edge(f"twin-{t}", f"twin-leaf-{t}")
    G.add_edges_from([("star", f"ray-{j}") for j in range(4)])  # a star alone: the centre has only leaves
    G.add_nodes_from(["iso-a", "iso-b"])
    return G


EXACT: dict[str, Callable[[], nx.Graph]] = {
    **GRAPHS,
    "star": lambda: nx.star_graph(7),
    "path": lambda: nx.path_graph(9),
    "tree": lambda: nx.balanced_tree(3, 3),
    "complete-bipartite": lambda: nx.complete_bipartite_graph(3, 6),
    "isolated-only": lambda: nx.empty_graph(4),
    "single-node": lambda: nx.empty_graph(1),
    "self-loops": lambda: nx.Graph([(1, 2), (2, 3), (2, 2), (3, 3), (3, 4), (5, 5)]),
    "directed-self-loops": lambda: nx.DiGraph([(1, 2), (2, 3), (2, 2), (3, 1), (3, 4)]),
    "leaves-and-twins-1": lambda: _with_leaves_and_twins(1),
    "leaves-and-twins-2": lambda: _with_leaves_and_twins(2),
    "whole-projection": lambda: _whole(_model_shaped(1), directed=False),
    "whole-projection-directed": lambda: _whole(_model_shaped(2), directed=True),
    "actors-projection": lambda: _actors(_model_shaped(3)),
}


def _whole(G: nx.MultiDiGraph, *, directed: bool) -> nx.Graph:
    from graphkit.projection import whole_graph

    return whole_graph(G, directed=directed)


def _actors(G: nx.MultiDiGraph) -> nx.Graph:
    from graphkit.projection import actor_network

    return actor_network(G, via=["attacks", "places"])  # type: ignore[list-item]


@pytest.mark.parametrize("name", EXACT)
def test_exact_path_metrics_equal_networkx_to_1e_9(name: str) -> None:
    G = EXACT[name]()
    _close(metrics.betweenness(G), nx.betweenness_centrality(G), tol=1e-9)
    _close(metrics.betweenness(G, normalized=False), nx.betweenness_centrality(G, normalized=False), tol=1e-9)
    _close(metrics.closeness(G), nx.closeness_centrality(G), tol=1e-9)
    _close(metrics.closeness(G, wf_improved=False), nx.closeness_centrality(G, wf_improved=False), tol=1e-9)


def test_folding_leaves_and_twins_changes_no_value_but_saves_searches() -> None:
    """The folded graph runs fewer searches than nodes, and its sums equal the plain kernel's."""
    import numpy as np

    from graphkit import _paths

    for seed in range(8):
        G = _with_leaves_and_twins(seed)
        P = metrics._Prepared(G, weight=None)
        F = metrics._fold(P)
        assert len(F.sources) < len(F.kept) < P.n
        indptr, indices = P.csr
        ones = np.ones(P.n)
        plain = _paths.brandes(indptr, indices, ones, ones, np.arange(P.n))
        folded = metrics._raw_betweenness(P, None)
        assert np.abs(folded - plain).max() <= 1e-9 * max(1.0, float(plain.max()))


def test_closeness_batches_of_many_words_equal_networkx() -> None:
    """Closeness carries 64 roots per word; more roots than one batch holds, in several widths."""
    G = nx.gnm_random_graph(300, 420, seed=4)  # several components, 300 roots = 5 words
    expected = nx.closeness_centrality(G)
    for words in (1, 2, 3, 8):
        previous = metrics.REACH_WORDS
        metrics.REACH_WORDS = words
        try:
            _close(metrics.closeness(G), expected, tol=1e-9)
        finally:
            metrics.REACH_WORDS = previous

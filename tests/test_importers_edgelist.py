"""Edge lists: a published network imported, then measured, equals networkx on the same edges."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest

from graphkit import model
from graphkit.errors import DatasetError, ValidationError
from graphkit.facts import read_facts
from graphkit.graph import to_networkx
from graphkit.importers import import_edgelist, write_facts
from graphkit.importers.common import slugify
from graphkit.projection import project


def write_network(G: nx.Graph, path: Path, delimiter: str = ",") -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(["from_family", "to_family"])
        w.writerows(G.edges())


@pytest.mark.parametrize(("graph", "delimiter"), [(nx.florentine_families_graph, ","), (nx.karate_club_graph, "\t")])
def test_metrics_equal_networkx(tmp_path: Path, graph, delimiter: str) -> None:  # type: ignore[no-untyped-def]
    from graphkit.metrics import metrics_frame
    from graphkit.projection import actor_network

    G = nx.Graph(graph().edges())  # the same edges, unweighted, as the CSV holds them
    path = tmp_path / ("net.tsv" if delimiter == "\t" else "net.csv")
    write_network(G, path, delimiter)
    result = import_edgelist(path, source="from_family", target="to_family", kind="Person", citation="Padgett (1993)")
    assert result.report.rows == G.number_of_edges() and not result.report.defects
    A = actor_network(to_networkx(result.facts), weighted=False)
    df = metrics_frame(A)
    ids = {str(n): slugify(str(n)) for n in G}
    expected = {
        "degree": nx.degree_centrality(G),
        "betweenness": nx.betweenness_centrality(G),
        "closeness": nx.closeness_centrality(G),
        "eigenvector": nx.eigenvector_centrality(G, max_iter=1000, tol=1e-9),
        "pagerank": nx.pagerank(G),
        "core": nx.core_number(G),
    }
    assert len(df) == G.number_of_nodes()
    for column, values in expected.items():
        for node, value in values.items():
            assert df.loc[ids[str(node)], column] == pytest.approx(value, abs=1e-5), (column, node)
    cut = {ids[str(n)] for n in nx.articulation_points(G)}
    assert set(df.index[df["cut_vertex"]]) == cut


def test_columns_types_dates_weights(tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    path.write_text(
        "a,b,kind,year,w\n"
        "Alpha Group,Beta Group,fought,2015,2\n"
        "Alpha Group,Gamma Group,ALLIED_WITH,2015-13,x\n"
        "Beta Group,Beta Group,FOUGHT,2016,1\n"
        "Beta Group,Gamma Group,LOVED,2016,1\n"
        "Gamma Group,,FOUGHT,2016,1\n",
        encoding="utf-8",
    )
    result = import_edgelist(path, source="a", target="b", type_column="kind", date_column="year", weight_column="w")
    rels = {(r.type, r.source, r.target): r for r in result.facts.relations}
    fought = rels[("FOUGHT", "alpha-group", "beta-group")]
    assert (fought.since, fought.weight, fought.evidence, fought.records) == (
        "2015",
        2.0,
        ["Alpha Group,Beta Group,fought,2015,2"],
        ["links:2"],
    )
    allied = rels[("ALLIED_WITH", "alpha-group", "gamma-group")]
    assert allied.since is None and allied.weight is None
    got = {(d.problem.line, d.problem.field, d.action) for d in result.report.defects}
    assert got == {
        (3, "year", "repaired"),
        (3, "w", "repaired"),
        (4, "b", "rejected"),
        (5, "kind", "rejected"),
        (6, "b", "rejected"),
    }
    with pytest.raises(ValidationError):
        import_edgelist(
            path, source="a", target="b", type_column="kind", date_column="year", weight_column="w", strict=True
        )


def test_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    path.write_text("x,y\n1,2\n")
    with pytest.raises(DatasetError, match="missing column\\(s\\) source, target"):
        import_edgelist(path)
    path.write_bytes(b"\x00\x01binary")
    with pytest.raises(DatasetError, match="binary"):
        import_edgelist(path)


def test_cli_edgelist(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from graphkit.cli import main

    G = nx.florentine_families_graph()
    path = tmp_path / "florentine.csv"
    write_network(G, path)
    out = tmp_path / "f.yaml"
    args = ["import", "edgelist", str(path), "--source", "from_family", "--target", "to_family", "--kind", "Person"]
    res = CliRunner().invoke(main, [*args, "--relation", "allied_with", "--out", str(out)])
    assert res.exit_code == 0, res.output
    facts = read_facts([out])
    assert len(facts.relations) == G.number_of_edges() and facts.of_kind("Source")[0].id == "florentine"


def test_weights_reach_weighted_metrics(tmp_path: Path) -> None:
    """A weighted edge list gives the weighted degree networkx computes on the same weights."""
    path = tmp_path / "w.csv"
    rows = [("A", "B", 3.0), ("B", "C", 1.5), ("A", "C", 0.5), ("C", "D", 2.0)]
    path.write_text("s,t,w\n" + "".join(f"{a},{b},{w}\n" for a, b, w in rows), encoding="utf-8")
    facts = import_edgelist(path, source="s", target="t", weight_column="w").facts
    H = project(to_networkx(facts), "actors")
    G = nx.Graph()
    G.add_weighted_edges_from(rows)
    confidence = model.CONFIDENCE_WEIGHT["reported"]  # edge lists load as 'reported'
    strength = dict(H.degree(weight="weight"))
    for node, value in G.degree(weight="weight"):
        assert strength[f"{node.lower()}"] == pytest.approx(value * confidence)


def test_written_facts_keep_weights(tmp_path: Path) -> None:
    """A weighted import written as a fact file reads back with its weights."""
    path = tmp_path / "w.csv"
    path.write_text("s,t,w\nA,B,3\nB,C,1.5\nC,D,\n", encoding="utf-8")
    facts = import_edgelist(path, source="s", target="t", weight_column="w").facts
    again = read_facts([write_facts(facts, tmp_path / "w.yaml")])
    assert {r.key: r.weight for r in again.relations} == {r.key: r.weight for r in facts.relations}
    assert sorted(r.weight for r in again.relations if r.weight is not None) == [1.5, 3.0]


def test_no_header_and_comment_header(tmp_path: Path) -> None:
    """A file without a header (columns by number) and one whose header is a '# ...' comment."""
    bare = tmp_path / "bare.csv"
    bare.write_text("Alpha,Beta\nBeta,Gamma\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"header has 2 columns: 'Alpha', 'Beta'\).*--no-header"):
        import_edgelist(bare)
    facts = import_edgelist(bare, has_header=False).facts
    assert {(r.source, r.target) for r in facts.relations} == {("alpha", "beta"), ("beta", "gamma")}
    commented = tmp_path / "commented.csv"
    commented.write_text("# source, target\nAlpha, Beta\n# a comment line\nBeta, Gamma\n", encoding="utf-8")
    result = import_edgelist(commented)
    assert len(result.facts.relations) == 2 and result.report.notes["comment lines skipped"] == 1


def test_inner_whitespace_is_one_person_and_folds_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "hijackers.csv"
    path.write_text(
        "source,target\nMarwan Al-Shehhi,Mohamed Atta\nMarwan  Al-Shehhi,Mohamed Atta\nZiad Jarrah,Mohamed  Atta\n",
        encoding="utf-8",
    )
    result = import_edgelist(path, kind="Person")
    people = {e.name for e in result.facts.of_kind("Person")}
    assert people == {"Marwan Al-Shehhi", "Mohamed Atta", "Ziad Jarrah"}
    (rel,) = [r for r in result.facts.relations if "marwan-al-shehhi" in (r.source, r.target)]
    assert rel.records == ["hijackers:2", "hijackers:3"] and len(rel.evidence) == 2
    assert result.report.folded == {3}
    assert "1 folded into a relation another row stated" in result.report.summary()


def test_node_table(tmp_path: Path) -> None:
    """Integer ids in the edges, names in a node table (as many published networks ship them)."""
    nodes = tmp_path / "nodes.csv"
    nodes.write_text("id,name\n1,Mohamed Atta\n2,Marwan Al-Shehhi\n3,Ziad Jarrah\n", encoding="utf-8")
    edges = tmp_path / "edges.csv"
    edges.write_text("1 2\n1 3\n2 9\n", encoding="utf-8")
    result = import_edgelist(edges, has_header=False, delimiter=" ", nodes=nodes, kind="Person")
    assert {e.name for e in result.facts.of_kind("Person")} == {"Mohamed Atta", "Marwan Al-Shehhi", "Ziad Jarrah"}
    assert len(result.facts.relations) == 2
    ((line, msg),) = [(d.problem.line, d.problem.message) for d in result.report.defects]
    assert line == 3 and "'9' not in the node table" in msg


def test_weight_column_help_says_what_it_does() -> None:
    from graphkit.cli.imports import edgelist_command

    (opt,) = [p for p in edgelist_command.params if p.name == "weight_column"]
    assert "note" not in (opt.help or "") and "weight" in (opt.help or "")

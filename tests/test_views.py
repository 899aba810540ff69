"""Unit tests of graphkit.views without a browser: the page is self-contained, keeps every
relation, leaves its input alone, escapes every data string, and its legend follows the model."""

from __future__ import annotations

import copy
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from graphkit import model, views
from graphkit.errors import GraphkitError

NAME_PAYLOAD = "<img src=x onerror=\"window.__pwned='name'\">Evil & Co"
QUOTE_PAYLOAD = "they said <script>window.__pwned='quote'</script> & left"
SOURCE_PAYLOAD = "</script><script>window.__pwned='source'</script>"


def sample_graph() -> nx.MultiDiGraph:
    """A small graph shaped like graphkit.graph.to_networkx's output, with hostile strings."""
    G = nx.MultiDiGraph()
    G.add_node("s1", kind="Source", name="UN Monitoring Team report", aliases=[], publisher="UN", published="2022-05")
    G.add_node("s2", kind="Source", name=SOURCE_PAYLOAD, aliases=[])
    G.add_node(
        "iskp",
        kind="Group",
        name="Islamic State Khorasan Province",
        aliases=["ISKP", "ISIS-K"],
        sources=["s1"],
        group_type="militant group",
        founded="2015-01",
    )
    G.add_node(
        "isis", kind="Group", name="Islamic State", aliases=["ISIL"], sources=["s1"], group_type="militant group"
    )
    G.add_node("taliban", kind="Group", name="Taliban", aliases=[], sources=["s1"], group_type="militant group")
    G.add_node("evil", kind="Group", name=NAME_PAYLOAD, aliases=[], sources=["s2"])
    G.add_node("khorasani", kind="Person", name="Hafiz Saeed Khan", aliases=[], sources=["s1"])
    G.add_node("nangarhar", kind="Place", name="Nangarhar", aliases=[], sources=["s1"], place_type="province")
    G.add_node(
        "kabul-airport",
        kind="Attack",
        name="Kabul airport bombing",
        aliases=[],
        sources=["s1"],
        date="2021-08-26",
        killed=183,
    )

    def rel(u: str, v: str, type_: str, **kw: object) -> None:
        key = f"{type_}:{u}:{v}:{kw.get('since', '')}"
        attrs = {
            "type": type_,
            "key": key,
            "sources": ["s1"],
            "evidence": ["a verbatim quote"],
            "confidence": "reported",
            **kw,
        }
        G.add_edges_from([(u, v, key, attrs)])

    rel("iskp", "isis", "AFFILIATE_OF", since="2015-01")
    rel("iskp", "taliban", "FOUGHT", since="2015", until="2019")
    rel("iskp", "taliban", "FOUGHT", since="2021-08")  # a second period: a parallel relation
    rel("iskp", "taliban", "RIVAL_OF", since="2015", confidence="alleged")
    rel("iskp", "khorasani", "LED_BY", since="2015", until="2016")
    rel("iskp", "nangarhar", "ACTIVE_IN", since="2015")
    rel(
        "iskp",
        "kabul-airport",
        "CARRIED_OUT",
        since="2021-08-26",
        sources=["s1", "s2"],
        evidence=["ISKP claimed the attack", QUOTE_PAYLOAD],
    )
    rel("kabul-airport", "nangarhar", "OCCURRED_IN")
    rel("evil", "iskp", "ALLIED_WITH", since="2020", evidence=[QUOTE_PAYLOAD], sources=["s2"])
    return G


def page_data(page: str) -> dict:
    """The JSON data block of a page."""
    match = re.search(r'<script type="application/json" id="gk-data">(.*?)</script>', page, re.S)
    assert match
    return json.loads(match.group(1))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_page_is_one_self_contained_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = views.write_view(sample_graph(), tmp_path / "view.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["view.html"]  # no lib/ folder
    parser = _Tags()
    parser.feed(out.read_text(encoding="utf-8"))
    tags = parser.tags
    assert any(t == "script" for t, _ in tags) and any(t == "style" for t, _ in tags)
    for tag, attrs in tags:
        for name in ("src", "href"):
            assert not attrs.get(name), f"<{tag} {name}={attrs.get(name)!r}> points outside the page"
        assert tag not in ("link", "iframe", "img"), tag


def test_every_parallel_relation_is_drawn() -> None:
    G = sample_graph()
    data = page_data(views.render_view(G))
    drawn = sorted((e["from"], e["to"], e["type"]) for e in data["edges"])
    assert drawn == sorted((u, v, t) for u, v, t in G.edges(data="type"))
    fought = [e for e in data["edges"] if e["type"] == "FOUGHT"]
    assert len(fought) == 2
    between = [e for e in data["edges"] if {e["from"], e["to"]} == {"iskp", "taliban"}]
    # parallel edges are curved apart so that none hides another
    assert len({json.dumps(e.get("smooth"), sort_keys=True) for e in between}) == len(between) == 3
    assert len({e["id"] for e in data["edges"]}) == len(data["edges"])


def test_input_graph_is_not_changed() -> None:
    G = sample_graph()
    before = copy.deepcopy(G)
    views.render_view(G, sizes={n: float(d) for n, d in G.degree()}, physics=False)
    views.restrict(G, types=["FOUGHT"], as_of=2016)
    views.ego(G, "iskp", 1)
    assert nx.utils.graphs_equal(G, before)
    assert list(G.edges(keys=True, data=True)) == list(before.edges(keys=True, data=True))


def test_data_strings_are_escaped() -> None:
    page = views.render_view(sample_graph(), title="<b>title</b>")
    for payload in (NAME_PAYLOAD, QUOTE_PAYLOAD, SOURCE_PAYLOAD, "<script>window.__pwned"):
        assert payload not in page
    assert "<b>title</b>" not in page and "&lt;b&gt;title&lt;/b&gt;" in page
    # only the template's own script elements: the source payload did not close or open one
    parser = _Tags()
    parser.feed(page)
    assert [t for t, _ in parser.tags].count("script") == 3
    assert page.lower().count("</script") == 3
    data = page_data(page)
    evil = next(n for n in data["nodes"] if n["id"] == "evil")
    assert evil["label"] == NAME_PAYLOAD and evil["tip"]["head"] == NAME_PAYLOAD  # the text, intact
    # the page builds tooltips with textContent only, never innerHTML
    assert "innerHTML" not in page.split('id="gk-data"')[1]


def test_tooltips_hold_provenance_and_metrics() -> None:
    import pandas as pd

    G = sample_graph()
    metrics = pd.DataFrame({"name": ["x"], "pagerank": [0.25]}, index=["iskp"])
    data = page_data(views.render_view(G, metrics=metrics))
    attack = next(e for e in data["edges"] if e["type"] == "CARRIED_OUT")
    rows = dict((k, v) for k, v in attack["tip"]["rows"] if k != "source")
    assert rows["confidence"] == "reported" and rows["dates"] == "2021-08-26 –"
    sources = [v for k, v in attack["tip"]["rows"] if k == "source"]
    assert sources == ["UN Monitoring Team report (UN, 2022-05)", SOURCE_PAYLOAD]
    assert attack["tip"]["quotes"] == ["ISKP claimed the attack", QUOTE_PAYLOAD]
    iskp = next(n for n in data["nodes"] if n["id"] == "iskp")
    assert ["aliases", "ISKP, ISIS-K"] in iskp["tip"]["rows"]
    assert ["group type", "militant group"] in iskp["tip"]["rows"]
    assert ["pagerank", "0.25"] in iskp["tip"]["rows"]
    assert not any(n["kind"] == "Source" for n in data["nodes"])  # sources are not drawn


def test_colours_shapes_and_legend_follow_the_model() -> None:
    page = views.render_view(sample_graph())
    data = page_data(page)
    for n in data["nodes"]:
        assert (n["color"], n["shape"]) == (model.NODE_KIND[n["kind"]].colour, model.NODE_KIND[n["kind"]].shape)
    for e in data["edges"]:
        kind = model.RELATION_KIND[e["type"]]
        assert e["color"] == kind.colour and e["label"] == e["type"]
        assert e["arrows"] == ("" if kind.symmetric else "to")
    boxes = re.findall(r'<input type="checkbox" value="([A-Z_]+)"', page)
    assert boxes == [r.name for r in model.RELATION_KINDS]
    kinds = re.findall(r'class="gk-glyph" style="color:(#[0-9a-f]{6})">.</span>(\w+)', page)
    assert kinds == [(k.colour, k.name) for k in model.NODE_KINDS if k.name != "Source"]


def test_sizes_follow_the_metric() -> None:
    G = sample_graph()
    data = page_data(views.render_view(G, sizes={"iskp": 10.0, "taliban": 5.0, "isis": 0.0}))
    size = {n["id"]: n["size"] for n in data["nodes"]}
    assert size["iskp"] == views.SIZE_RANGE[1] and size["isis"] == views.SIZE_RANGE[0]
    assert size["taliban"] == pytest.approx(sum(views.SIZE_RANGE) / 2)


def test_physics_settles_small_and_large_graphs_get_positions() -> None:
    small = page_data(views.render_view(sample_graph()))
    assert small["options"]["physics"]["enabled"] and "x" not in small["nodes"][0]
    G = nx.MultiDiGraph()
    G.add_nodes_from((i, {"kind": "Group", "name": f"g{i}"}) for i in range(views.PHYSICS_LIMIT + 1))
    G.add_edges_from((i, i + 1, {"type": "ALLIED_WITH"}) for i in range(views.PHYSICS_LIMIT))
    large = page_data(views.render_view(G))
    assert not large["options"]["physics"]["enabled"]
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in large["nodes"])
    assert len({(n["x"], n["y"]) for n in large["nodes"]}) == len(large["nodes"])


def test_layout_puts_linked_nodes_closer_than_unlinked() -> None:
    G = nx.connected_caveman_graph(6, 8)
    pos = views.layout(G)

    def dist(a: int, b: int) -> float:
        return float(((pos[a][0] - pos[b][0]) ** 2 + (pos[a][1] - pos[b][1]) ** 2) ** 0.5)

    linked = [dist(u, v) for u, v in G.edges()]
    unlinked = [dist(u, v) for u in G for v in G if u < v and not G.has_edge(u, v)]
    assert sum(linked) / len(linked) < 0.5 * sum(unlinked) / len(unlinked)


def test_restrict_by_type_and_year() -> None:
    G = sample_graph()
    only = views.restrict(G, types=["FOUGHT"])
    assert sorted(t for _, _, t in only.edges(data="type")) == ["FOUGHT", "FOUGHT"]
    assert set(only) == set(G)
    in_2017 = views.restrict(G, as_of=2017)
    assert sorted(t for _, _, t in in_2017.edges(data="type")) == ["ACTIVE_IN", "AFFILIATE_OF", "FOUGHT", "RIVAL_OF"]
    assert "kabul-airport" not in in_2017  # an attack of 2021 had not happened in 2017
    in_2021 = views.restrict(G, as_of=2021)
    assert sorted(t for _, _, t in in_2021.edges(data="type")).count("FOUGHT") == 1
    with pytest.raises(GraphkitError, match=r"'FOUHGT'.*'FOUGHT'"):
        views.restrict(G, types=["FOUHGT"])


def test_ego() -> None:
    G = sample_graph()
    one = views.ego(G, "taliban", 1)
    assert {n for n, k in one.nodes(data="kind") if k != "Source"} == {"taliban", "iskp"}
    assert {"s1", "s2"} <= set(one)  # sources stay so tooltips can name them
    assert one.number_of_edges() == 3  # both FOUGHT periods and RIVAL_OF
    two = views.ego(G, "taliban", 2)
    assert "kabul-airport" in two and "isis" in two
    with pytest.raises(GraphkitError, match=r"no entity goes by 'iskp2'.*iskp \(Group"):
        views.ego(G, "iskp2", 1)
    assert set(views.ego(G, "ISIS-K", 1)) == set(views.ego(G, "iskp", 1))  # an alias names its entity


def test_inline_wraps_the_page_for_notebooks() -> None:
    page = views.render_view(sample_graph())
    frame = views.inline(page)
    assert frame.startswith('<div><iframe srcdoc="') and "<script" not in frame
    assert html.unescape(frame.split('srcdoc="')[1].split('" style=')[0]) == page


def test_view_command_on_the_seed(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from graphkit.cli.views import view
    from graphkit.graph import SEED_DIR

    out = tmp_path / "iskp.html"
    args = [str(SEED_DIR), "--around", "iskp", "--depth", "1", "--as-of", "2022", "--size-by", "pagerank"]
    result = CliRunner().invoke(view, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = page_data(out.read_text(encoding="utf-8"))
    assert "iskp" in {n["id"] for n in data["nodes"]}
    iskp = next(n for n in data["nodes"] if n["id"] == "iskp")
    assert iskp["size"] == views.SIZE_RANGE[1]  # the most central actor by PageRank as of 2022
    assert any(k == "pagerank" for k, _ in iskp["tip"]["rows"])
    assert all(e["y0"] is None or e["y0"] <= 2022 for e in data["edges"])

    result = CliRunner().invoke(view, [str(SEED_DIR), "--around", "iskpp", "--types", "FOUHGT", "--out", str(out)])
    assert result.exit_code != 0 and isinstance(result.exception, GraphkitError)
    message = str(result.exception)
    assert "'FOUGHT'" in message
    result = CliRunner().invoke(view, [str(SEED_DIR), "--around", "iskpp", "--out", str(out)])
    assert "no entity goes by 'iskpp'" in str(result.exception) and "iskp (Group" in str(result.exception)
    result = CliRunner().invoke(view, [str(SEED_DIR), "--size-by", "fame", "--out", str(out)])
    assert "--size-by 'fame' is not a metric" in str(result.exception)

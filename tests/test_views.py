"""Unit tests of graphkit.views without a browser: the page is self-contained, keeps every
relation, leaves its input alone, escapes every data string, and its legend follows the model."""

from __future__ import annotations

import copy
import html
import json
import math
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
URL_PAYLOAD = "javascript:window.__pwned='url'"


def sample_graph() -> nx.MultiDiGraph:
    """A small graph shaped like graphkit.graph.to_networkx's output, with hostile strings."""
    G = nx.MultiDiGraph()
    G.add_node(
        "s1",
        kind="Source",
        name="UN Monitoring Team report",
        aliases=[],
        publisher="UN",
        published="2022-05",
        url="https://www.un.org/securitycouncil/report",
    )
    G.add_node("s2", kind="Source", name=SOURCE_PAYLOAD, aliases=[], url=URL_PAYLOAD)
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
    assert evil["label"] == NAME_PAYLOAD  # the text, intact
    assert data["sources"]["s2"] == {"name": SOURCE_PAYLOAD, "publisher": None, "published": None, "url": URL_PAYLOAD}
    # the page builds everything with textContent only, never innerHTML, insertAdjacentHTML or document.write
    script = page.split('id="gk-data"')[1]
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script


def test_panel_data_hold_provenance_and_metrics() -> None:
    import pandas as pd

    G = sample_graph()
    metrics = pd.DataFrame({"name": ["x"], "pagerank": [0.25]}, index=["iskp"])
    data = page_data(views.render_view(G, metrics=metrics))
    attack = next(e for e in data["edges"] if e["type"] == "CARRIED_OUT")
    assert (attack["confidence"], attack["since"], attack["until"]) == ("reported", "2021-08-26", None)
    assert attack["sources"] == ["s1", "s2"]
    assert data["sources"]["s1"] == {
        "name": "UN Monitoring Team report",
        "publisher": "UN",
        "published": "2022-05",
        "url": "https://www.un.org/securitycouncil/report",
    }
    assert attack["quotes"] == ["ISKP claimed the attack", QUOTE_PAYLOAD]
    iskp = next(n for n in data["nodes"] if n["id"] == "iskp")
    assert iskp["aliases"] == ["ISKP", "ISIS-K"]
    assert ["group type", "militant group"] in iskp["fields"] and ["founded", "2015-01"] in iskp["fields"]
    assert iskp["metrics"] == [["pagerank", "0.25"]]
    assert not any(n["kind"] == "Source" for n in data["nodes"])  # sources are not drawn
    assert set(data["sources"]) == {"s1", "s2"}


def test_nodes_and_relations_are_dated_as_the_facts_date_them() -> None:
    data = page_data(views.render_view(sample_graph()))
    node = {n["id"]: (n["y0"], n["y1"]) for n in data["nodes"]}
    assert node["iskp"] == (2015, None)  # founded 2015-01: not drawn before 2015
    assert node["kabul-airport"] == (2021, 2021)  # an attack on its date
    assert node["taliban"] == (None, None)
    edge = {(e["type"], e["from"], e["to"], e["since"]): e for e in data["edges"]}
    fought = edge[("FOUGHT", "iskp", "taliban", "2015")]
    assert (fought["y0"], fought["y1"], fought["dated"]) == (2015, 2019, True)
    occurred = edge[("OCCURRED_IN", "kabul-airport", "nangarhar", None)]
    assert (occurred["y0"], occurred["y1"], occurred["dated"]) == (2021, 2021, True)  # dated by its attack
    assert data["years"] == [2015, 2021]
    G = sample_graph()
    G.add_edge("isis", "taliban", "undated", type="RIVAL_OF", sources=["s1"], evidence=["q"], confidence="alleged")
    undated = next(e for e in page_data(views.render_view(G))["edges"] if e["key"] == "undated")
    assert (undated["y0"], undated["y1"], undated["dated"]) == (None, None, False)
    # an observation date (as_of: held at least then) dates a relation without bounding it
    G.add_edge(
        "isis", "taliban", "seen", type="RIVAL_OF", sources=["s1"], evidence=["q"], confidence="alleged", as_of="2019"
    )
    seen = next(e for e in page_data(views.render_view(G))["edges"] if e["key"] == "seen")
    assert (seen["y0"], seen["y1"], seen["dated"], seen["as_of"]) == (None, None, True, "2019")


def test_main_component_is_marked_for_the_first_fit() -> None:
    G = sample_graph()
    G.add_node("loner", kind="Group", name="Loner", aliases=[], sources=["s1"])
    data = page_data(views.render_view(G))
    assert {n["id"] for n in data["nodes"] if not n["main"]} == {"loner"}


def _lab(colour: str, cvd: str) -> tuple[float, float, float]:
    """CIE L*a*b* of an sRGB colour as seen with a colour-vision deficiency (Machado et al. 2009, severity 1)."""
    matrices = {
        "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
        "protan": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
        "deutan": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    }
    srgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    rgb = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in srgb]
    seen = [min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in matrices[cvd]]
    xyz = [
        sum(m * c for m, c in zip(row, seen, strict=True)) / white
        for row, white in zip(
            ((0.4124, 0.3576, 0.1805), (0.2126, 0.7152, 0.0722), (0.0193, 0.1192, 0.9505)),
            (0.95047, 1.0, 1.08883),
            strict=True,
        )
    ]
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz]
    return (116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2]))


def test_palette_keeps_node_kinds_and_relation_types_apart_for_colour_blind_readers() -> None:
    kinds = {k.name: k.colour.lower() for k in model.NODE_KINDS}
    types = {r.name: r.colour.lower() for r in model.RELATION_KINDS}
    assert not set(kinds.values()) & set(types.values()), "a node kind and a relation type share a colour"
    assert len(set(kinds.values())) == len(kinds) and len(set(types.values())) == len(types)
    for cvd in ("normal", "protan", "deutan"):
        lab = {c: _lab(c, cvd) for c in {*kinds.values(), *types.values()}}
        for k, kc in kinds.items():
            for t, tc in types.items():
                assert math.dist(lab[kc], lab[tc]) >= 15, f"{k} and {t} look alike ({cvd})"
            for k2, kc2 in kinds.items():
                if k < k2:
                    assert math.dist(lab[kc], lab[kc2]) >= 15, f"{k} and {k2} look alike ({cvd})"
    shapes = [k.shape for k in model.NODE_KINDS]
    assert len(set(shapes)) == len(shapes)  # kinds differ by shape too


def test_colours_shapes_and_legend_follow_the_model() -> None:
    page = views.render_view(sample_graph())
    data = page_data(page)
    assert data["kinds"] == {k.name: {"color": k.colour, "shape": k.shape} for k in model.NODE_KINDS}
    for r in model.RELATION_KINDS:
        assert data["types"][r.name]["color"] == r.colour and data["types"][r.name]["symmetric"] == r.symmetric
    boxes = re.findall(r'<input type="checkbox" value="([A-Z_]+)"', page)
    assert boxes == [r.name for r in model.RELATION_KINDS]
    kinds = re.findall(
        r'<input type="checkbox" value="(\w+)" \w*>\s*<span class="gk-glyph" style="color:(#[0-9a-f]{6})">', page
    )
    assert kinds == [(k.name, k.colour) for k in model.NODE_KINDS if k.name != "Source"]


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
    fighters = views.restrict(G, types=["FOUGHT", "RIVAL_OF"], drop_unlinked=True)
    assert {n for n, k in fighters.nodes(data="kind") if k != "Source"} == {"iskp", "taliban"}
    assert {"s1", "s2"} <= set(fighters)  # sources stay so the panel can name them


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
    assert any(k == "pagerank" for k, _ in iskp["metrics"])
    assert all(e["y0"] is None or e["y0"] <= 2022 for e in data["edges"])

    # --types draws those relations and the nodes they link, not every node
    result = CliRunner().invoke(view, [str(SEED_DIR), "--types", "FOUGHT", "--out", str(out)])
    assert result.exit_code == 0, result.output
    fought = page_data(out.read_text(encoding="utf-8"))
    assert {e["type"] for e in fought["edges"]} == {"FOUGHT"}
    assert {n["id"] for n in fought["nodes"]} == {x for e in fought["edges"] for x in (e["from"], e["to"])}

    result = CliRunner().invoke(view, [str(SEED_DIR), "--around", "iskpp", "--types", "FOUHGT", "--out", str(out)])
    assert result.exit_code != 0 and isinstance(result.exception, GraphkitError)
    message = str(result.exception)
    assert "'FOUGHT'" in message
    result = CliRunner().invoke(view, [str(SEED_DIR), "--around", "iskpp", "--out", str(out)])
    assert "no entity goes by 'iskpp'" in str(result.exception) and "iskp (Group" in str(result.exception)
    result = CliRunner().invoke(view, [str(SEED_DIR), "--size-by", "fame", "--out", str(out)])
    assert "--size-by 'fame' is not a metric" in str(result.exception)

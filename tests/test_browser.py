"""The view pages in real headless Chromium, opened from disk with the network cut off.

An analyst's session, step by step: the graph draws; the search box finds an actor by an alias
and the panel shows it; a click focuses a neighbourhood and Escape returns; the panel gives a
relation's sources, links and quotes as selectable text; two actors give the shortest chain with
its evidence; the year range, its play button and the undated toggle change what is shown; kinds
and types toggle; the view exports as PNG and prints; markup in names, quotes and urls never runs;
the seed page's default view is readable (labels never drawn over one another).
"""

from __future__ import annotations

import base64
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest
from test_views import NAME_PAYLOAD, QUOTE_PAYLOAD, SOURCE_PAYLOAD, sample_graph

from graphkit import model, projection, views

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip(
            f"headless Chromium needs {CHROMIUM} and {CHROMEDRIVER} (Debian packages chromium, chromium-driver)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,900",
        "--proxy-server=127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0},
    )
    try:
        yield browser
    finally:
        browser.quit()


def open_page(driver: Any, path: Path, timeout: float = 60) -> None:
    """Open a page from disk and wait until its layout has settled and been drawn."""
    driver.get(path.as_uri())
    deadline = time.monotonic() + timeout
    while not driver.execute_script("return !!(window.graphkitView && window.graphkitView.ready)"):
        assert time.monotonic() < deadline, f"the page did not finish drawing; console: {driver.get_log('browser')}"
        time.sleep(0.1)


def wait_for(check: Callable[[], Any], timeout: float = 5, what: str = "") -> Any:
    """Poll ``check`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what or check}"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    G = sample_graph()
    return views.write_view(G, tmp_path_factory.mktemp("view") / "view.html", sizes=dict(G.degree()))


@pytest.fixture(scope="module")
def seed_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed's page as ``graphkit view`` writes it (sized by degree, every metric in the panel)."""
    from click.testing import CliRunner

    from graphkit.cli.views import view
    from graphkit.graph import SEED_DIR

    out = tmp_path_factory.mktemp("seed") / "network.html"
    result = CliRunner().invoke(view, [str(SEED_DIR), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def page(driver: Any, page_file: Path) -> Path:
    """The sample page, freshly opened (no filter state left from another test)."""
    open_page(driver, page_file)
    return page_file


@pytest.fixture
def seed(driver: Any, seed_file: Path) -> Path:
    open_page(driver, seed_file)
    return seed_file


def counts(driver: Any) -> tuple[int, int]:
    return tuple(driver.execute_script("return window.graphkitView.counts();"))


def shown(driver: Any) -> dict[str, list[str]]:
    return driver.execute_script("return window.graphkitView.shown();")


def panel_text(driver: Any) -> str:
    return driver.execute_script("var p = document.getElementById('gk-panel'); return p.hidden ? '' : p.textContent;")


def click_node(driver: Any, node: str) -> None:
    """A real mouse click on a node where it is drawn."""
    from selenium.webdriver.common.action_chains import ActionChains

    still_view(driver)
    net = driver.find_element("id", "gk-canvas")
    x, y = driver.execute_script(
        """
        var n = window.graphkitView.network, p = n.getPositions([arguments[0]])[arguments[0]];
        var d = n.canvasToDOM(p); return [d.x, d.y];
        """,
        node,
    )
    rect = net.rect
    ActionChains(driver).move_to_element_with_offset(
        net, int(x - rect["width"] / 2), int(y - rect["height"] / 2)
    ).click().perform()


def still_view(driver: Any) -> None:
    """Wait until the camera has stopped moving (an animated fit or focus has ended)."""
    script = "var n = window.graphkitView.network, p = n.getViewPosition(); return [p.x, p.y, n.getScale()];"
    last = driver.execute_script(script)
    for _ in range(100):
        time.sleep(0.25)
        now = driver.execute_script(script)
        if now == last:
            return
        last = now
    raise AssertionError("the view kept moving")


def type_into(driver: Any, element_id: str, text: str) -> Any:
    box = driver.find_element("id", element_id)
    box.clear()
    box.send_keys(text)
    return box


def test_graph_draws_offline(driver: Any, page: Path) -> None:
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    G = sample_graph()
    drawn = [n for n, k in G.nodes(data="kind") if k != "Source"]
    assert counts(driver) == (len(drawn), G.number_of_edges())
    positions = driver.execute_script("return window.graphkitView.network.getPositions();")
    assert sorted(positions) == sorted(drawn)
    # the canvas is not blank: many pixels differ from the white background
    painted = driver.execute_script(
        """
        var c = document.querySelector('#gk-canvas canvas');
        var px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, n = 0;
        for (var i = 0; i < px.length; i += 4) { if (px[i] < 240 || px[i + 1] < 240 || px[i + 2] < 240) n++; }
        return n;
        """
    )
    assert painted > 500
    assert driver.execute_script("return window.graphkitView.network.physics.options.enabled") is False
    assert driver.find_element("id", "gk-count").text == (
        f"{len(drawn)} of {len(drawn)} nodes, {G.number_of_edges()} of {G.number_of_edges()} relations shown"
    )


def test_find_by_alias_selects_centres_and_shows_the_panel(driver: Any, seed: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    box = type_into(driver, "gk-search", "ISIS-K")
    suggestions = wait_for(
        lambda: driver.execute_script(
            "return Array.from(document.querySelectorAll('#gk-search-list li')).map(function (li) {"
            " return [li.getAttribute('data-id'), li.textContent]; });"
        ),
        what="suggestions",
    )
    assert suggestions[0][0] == "iskp" and "ISIS-K" in suggestions[0][1]
    assert driver.find_element("id", "gk-search-list").is_displayed()
    box.send_keys(Keys.ENTER)
    assert driver.execute_script("return window.graphkitView.network.getSelectedNodes();") == ["iskp"]
    assert wait_for(lambda: "Islamic State Khorasan Province" in panel_text(driver), what="the panel")
    assert "ISIS-K" in panel_text(driver) and "Relations (" in panel_text(driver)
    assert not driver.find_element("id", "gk-search-list").is_displayed()
    time.sleep(0.6)  # the camera's move
    centred = driver.execute_script(
        """
        var n = window.graphkitView.network, p = n.getPositions(['iskp']).iskp, v = n.getViewPosition();
        return [Math.abs(p.x - v.x), Math.abs(p.y - v.y), n.getScale()];
        """
    )
    assert centred[0] < 1 and centred[1] < 1 and centred[2] >= 1.4
    # suggestions as you type: a few letters of an alias find it, best match first
    type_into(driver, "gk-search", "wilayat khor")
    first = wait_for(
        lambda: driver.execute_script(
            "var li = document.querySelector('#gk-search-list li'); return li && li.getAttribute('data-id');"
        )
    )
    assert first == "iskp"
    assert driver.execute_script("return window.graphkitView.find('Daesh Khorasan')") == []


def test_click_focuses_the_neighbourhood_and_escape_returns(driver: Any, page: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    G = sample_graph()
    drawn = {n for n, k in G.nodes(data="kind") if k != "Source"}
    click_node(driver, "taliban")
    assert wait_for(
        lambda: driver.execute_script("return document.getElementById('gk-panel').getAttribute('data-show')")
    )
    assert (
        driver.execute_script("return document.getElementById('gk-panel').getAttribute('data-show')") == "node:taliban"
    )
    faded = set(driver.execute_script("return window.graphkitView.faded();"))
    assert faded == drawn - {"taliban", "iskp"}
    assert "Focus: Taliban, depth 1" in driver.find_element("id", "gk-status").text
    # depth 2, chosen in the page
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("id", "gk-depth")).select_by_value("2")
    driver.find_element("id", "gk-count").click()  # close the select's list
    faded = set(driver.execute_script("return window.graphkitView.faded();"))
    assert faded == drawn - set(nx.single_source_shortest_path_length(G.to_undirected(), "taliban", cutoff=2))
    driver.find_element("tag name", "body").send_keys(Keys.ESCAPE)
    assert driver.execute_script("return window.graphkitView.faded();") == []
    assert driver.find_element("id", "gk-status").text == ""
    assert panel_text(driver)  # the panel stays until closed
    Select(driver.find_element("id", "gk-depth")).select_by_value("1")
    driver.find_element("id", "gk-count").click()
    click_node(driver, "nangarhar")
    assert set(driver.execute_script("return window.graphkitView.faded();")) == drawn - {
        "nangarhar",
        "iskp",
        "kabul-airport",
    }
    driver.find_element("id", "gk-unfocus").click()
    assert driver.execute_script("return window.graphkitView.faded();") == []


def test_panel_shows_a_node_and_then_a_relations_evidence(driver: Any, page: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    driver.execute_script("window.graphkitView.select('iskp', false);")
    text = panel_text(driver)
    for expected in ("Islamic State Khorasan Province", "ISIS-K", "militant group", "founded", "2015-01"):
        assert expected in text
    G = sample_graph()
    relations = driver.find_elements("css selector", "#gk-panel button.gk-rel")
    assert len(relations) == G.degree("iskp")
    carried = next(b for b in relations if b.text.startswith("CARRIED_OUT"))
    carried.click()
    text = panel_text(driver)
    for expected in (
        "CARRIED_OUT",
        "Islamic State Khorasan Province → Kabul airport bombing",
        "2021-08-26 –",
        "reported",
        "UN Monitoring Team report",
        "UN, 2022-05",
        "ISKP claimed the attack",
        QUOTE_PAYLOAD,
        SOURCE_PAYLOAD,
    ):
        assert expected in text
    links = driver.execute_script(
        "return Array.from(document.querySelectorAll('#gk-panel a')).map(function (a) { return [a.href, a.textContent]; });"
    )
    # the source with a web address is a link; the one whose "url" is javascript: is not
    assert links == [["https://www.un.org/securitycouncil/report", "UN Monitoring Team report"]]
    # quotes are selectable text
    selected = driver.execute_script(
        """
        var q = document.querySelector('#gk-panel blockquote'), r = document.createRange();
        r.selectNodeContents(q); var s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
        return [s.toString(), getComputedStyle(q).userSelect];
        """
    )
    assert "ISKP claimed the attack" in selected[0] and selected[1] != "none"
    # the panel stays while the pointer moves away, and an end of the relation opens its node
    ActionChains(driver).move_to_element(driver.find_element("id", "gk-count")).perform()
    assert "ISKP claimed the attack" in panel_text(driver)
    next(
        b for b in driver.find_elements("css selector", "#gk-panel button.gk-link") if b.text == "Kabul airport bombing"
    ).click()
    assert "killed" in panel_text(driver) and "183" in panel_text(driver)
    driver.find_element("id", "gk-panel-close").click()
    assert panel_text(driver) == ""


def hover_text(driver: Any, net: Any, x: float, y: float, what: str) -> str:
    """Move the pointer to (x, y) of the canvas (then one pixel on) and wait for the hover box's text."""
    from selenium.webdriver.common.action_chains import ActionChains

    rect = net.rect
    ActionChains(driver).move_to_element_with_offset(
        net, int(x - rect["width"] / 2), int(y - rect["height"] / 2)
    ).move_by_offset(1, 0).perform()
    return str(
        wait_for(
            lambda: driver.execute_script(
                "var h = document.getElementById('gk-hover'); return h.hidden ? '' : h.textContent;"
            ),
            what=what,
        )
    )


def test_hover_tooltips_stay_short(driver: Any, page: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    net = driver.find_element("id", "gk-canvas")
    x, y = driver.execute_script(
        "var n = window.graphkitView.network, d = n.canvasToDOM(n.getPositions(['isis']).isis); return [d.x, d.y];"
    )
    rect = net.rect
    assert hover_text(driver, net, x, y, "the hover box") == "Islamic State · Group"
    # a relation's tooltip is one line: its type, ends and dates
    x, y = driver.execute_script(
        """
        var v = window.graphkitView, n = v.network, e = v.data.edges.find(function (d) { return d.type === 'AFFILIATE_OF'; });
        var p = n.getPositions([e.from, e.to]), d = n.canvasToDOM({x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2});
        return [d.x, d.y];
        """
    )
    ActionChains(driver).move_to_element_with_offset(
        net, int(x - rect["width"] / 2), int(y - rect["height"] / 2)
    ).move_by_offset(0, 1).perform()
    text = wait_for(
        lambda: (lambda t: t if t.startswith("AFFILIATE_OF") else "")(
            driver.execute_script("var h = document.getElementById('gk-hover'); return h.hidden ? '' : h.textContent;")
        ),
        what="the relation's hover box",
    )
    assert text == "AFFILIATE_OF: Islamic State Khorasan Province → Islamic State (2015-01 – )"


def test_hovering_a_relation_draws_it_over_the_kept_drawing(driver: Any, page: Path) -> None:
    # the hovered relation is drawn over the last drawing, which is not drawn again for it
    from selenium.webdriver.common.action_chains import ActionChains

    still_view(driver)
    picture = "return document.querySelector('#gk-canvas canvas').toDataURL();"
    frames = "return window.graphkitView.frames.full;"
    driver.execute_script("window.graphkitView.redrawAfresh();")
    before, full = driver.execute_script(picture), driver.execute_script(frames)
    net = driver.find_element("id", "gk-canvas")
    x, y = driver.execute_script(
        """
        var v = window.graphkitView, n = v.network, e = v.data.edges.find(function (d) { return d.type === 'AFFILIATE_OF'; });
        var p = n.getPositions([e.from, e.to]), d = n.canvasToDOM({x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2});
        return [d.x, d.y];
        """
    )
    rect = net.rect
    ActionChains(driver).move_to_element_with_offset(
        net, int(x - rect["width"] / 2), int(y - rect["height"] / 2)
    ).move_by_offset(0, 1).perform()
    wait_for(
        lambda: driver.execute_script(
            "var h = document.getElementById('gk-hover'); return !h.hidden && h.textContent;"
        ),
        what="the relation's hover box",
    )
    assert driver.execute_script(frames) == full
    assert driver.execute_script(picture) != before
    ActionChains(driver).move_to_element(driver.find_element("id", "gk-count")).perform()  # the pointer leaves
    wait_for(lambda: driver.execute_script(picture) == before, what="the drawing without the hovered relation")
    assert driver.execute_script(frames) == full


def test_a_dragged_node_is_drawn_and_found_where_it_was_dropped(driver: Any, page: Path) -> None:
    # vis-network's pass over the nodes (their hit boxes) is skipped while nodes stand still: a drag
    # must bring it back, so that the node is drawn, hovered and clicked where it now stands
    from selenium.webdriver.common.action_chains import ActionChains

    still_view(driver)
    net = driver.find_element("id", "gk-canvas")
    rect = net.rect
    where = "var n = window.graphkitView.network, d = n.canvasToDOM(n.getPositions(['isis']).isis); return [d.x, d.y];"
    x, y = driver.execute_script(where)
    ActionChains(driver).move_to_element_with_offset(
        net, int(x - rect["width"] / 2), int(y - rect["height"] / 2)
    ).click_and_hold().move_by_offset(20, 0).move_by_offset(40, 30).move_by_offset(30, 30).release().perform()
    nx_, ny_ = driver.execute_script(where)
    assert abs(nx_ - x - 90) < 3 and abs(ny_ - y - 60) < 3
    ink = driver.execute_script(
        """
        var c = document.querySelector('#gk-canvas canvas'), r = window.graphkitView.network.canvas.pixelRatio || 1;
        var px = c.getContext('2d').getImageData(Math.round(arguments[0] * r), Math.round(arguments[1] * r), 1, 1).data;
        return [px[0], px[1], px[2]];
        """,
        nx_,
        ny_,
    )
    assert ink == [int(model.NODE_KIND["Group"].colour[i : i + 2], 16) for i in (1, 3, 5)]
    ActionChains(driver).move_to_element_with_offset(
        net, int(5 - rect["width"] / 2), int(5 - rect["height"] / 2)
    ).perform()
    assert hover_text(driver, net, nx_, ny_, "the hover box at the new place") == "Islamic State · Group"


def test_path_between_two_actors_lists_each_hop_with_its_evidence(driver: Any, page: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    type_into(driver, "gk-path-from", "Hafiz").send_keys(Keys.ENTER)
    type_into(driver, "gk-path-to", "nangar").send_keys(Keys.ENTER)
    status = wait_for(lambda: driver.find_element("id", "gk-status").text, what="the path")
    assert "Path: Hafiz Saeed Khan → Nangarhar (2 hops)" in status
    text = panel_text(driver)
    assert "1. Hafiz Saeed Khan — Islamic State Khorasan Province" in text
    assert "2. Islamic State Khorasan Province — Nangarhar" in text
    assert "LED_BY" in text and "ACTIVE_IN" in text and text.count("a verbatim quote") == 2
    widths = driver.execute_script(
        "var v = window.graphkitView; return v.data.edges.filter(function (e) { var s = v.edgeStyle(e.id); return s && s.width === 5; })"
        ".map(function (e) { return e.type; }).sort();"
    )
    assert widths == ["ACTIVE_IN", "LED_BY"]
    assert set(driver.execute_script("return window.graphkitView.faded();")) == {
        "isis",
        "taliban",
        "evil",
        "kabul-airport",
    }
    # from the panel: a node's "Path to here" ends a path at it
    driver.execute_script("window.graphkitView.select('isis', false);")
    next(b for b in driver.find_elements("css selector", "#gk-panel button") if b.text == "Path to here").click()
    assert "Path: Hafiz Saeed Khan → Islamic State (2 hops)" in driver.find_element("id", "gk-status").text
    assert "AFFILIATE_OF" in panel_text(driver)
    # with that relation type hidden there is no chain
    driver.find_element("css selector", '#gk-types input[value="AFFILIATE_OF"]').click()
    assert "no chain" in driver.find_element("id", "gk-status").text
    driver.find_element("id", "gk-path-clear").click()
    assert driver.find_element("id", "gk-status").text == ""


def set_years(driver: Any, low: int, high: int) -> None:
    driver.execute_script(
        """
        var f = document.getElementById('gk-from'), t = document.getElementById('gk-to');
        f.value = arguments[0]; f.dispatchEvent(new Event('input'));
        t.value = arguments[1]; t.dispatchEvent(new Event('input'));
        """,
        low,
        high,
    )


def test_year_range_shows_what_the_projection_keeps(driver: Any, page: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    G = sample_graph()
    low, high = driver.execute_script(
        "var y = document.getElementById('gk-from'); return [Number(y.min), Number(y.max)];"
    )
    assert (low, high) == (2015, 2021)
    assert driver.find_element("id", "gk-years-label").text == "all years (2015–2021)"
    # moving the handles with the keyboard, as a user can
    to = driver.find_element("id", "gk-to")
    driver.execute_script("arguments[0].focus();", to)
    to.send_keys(Keys.ARROW_LEFT * 4)
    assert driver.find_element("id", "gk-years-label").text == "2015–2017"
    edges = driver.execute_script(
        "var v = window.graphkitView; return v.shown().edges.map(function (id) { var e = v.data.edges.find(function (d) { return d.id === id; }); return e.type; }).sort();"
    )
    assert edges == ["ACTIVE_IN", "AFFILIATE_OF", "FOUGHT", "LED_BY", "RIVAL_OF"]
    # every window shows exactly the relations graphkit.projection.window keeps
    keys = "var v = window.graphkitView; return v.shown().edges.map(function (id) { return v.data.edges.find(function (d) { return d.id === id; }).key; }).sort();"
    for a in range(low, high + 1):
        for b in range(a, high + 1):
            set_years(driver, a, b)
            want = sorted(k for _, _, k in projection.window(G, a, b).edges(keys=True))
            assert driver.execute_script(keys) == want, (a, b)
    set_years(driver, low, high)
    assert counts(driver) == (7, G.number_of_edges())


def test_iskp_does_not_appear_before_it_was_founded(driver: Any, seed: Path) -> None:
    set_years(driver, 2000, 2014)
    assert "iskp" not in shown(driver)["nodes"]
    assert (
        driver.find_element("id", "gk-years-label").text == "2014"
        or "2014" in driver.find_element("id", "gk-years-label").text
    )
    set_years(driver, 2015, 2015)
    assert "iskp" in shown(driver)["nodes"]


def test_undated_relations_are_dashed_and_can_be_hidden(driver: Any, seed: Path) -> None:
    data = driver.execute_script(
        "var v = window.graphkitView; return v.data.edges.map(function (e) { return [e.id, e.dated, v.edgeStyle(e.id).dashed]; });"
    )
    undated = {i for i, dated, _ in data if not dated}
    assert undated and len(undated) < len(data)
    assert all(dashed == (not dated) for _, dated, dashed in data)
    before = counts(driver)[1]
    driver.find_element("id", "gk-undated").click()
    assert counts(driver)[1] == before - len(undated)
    assert not undated & set(shown(driver)["edges"])


def two_relations_page(tmp_path: Path) -> Path:
    """Four groups and two relations far apart: one undated, one dated."""
    G = nx.MultiDiGraph()
    G.add_nodes_from((n, {"kind": "Group", "name": n.upper()}) for n in "abcd")
    G.add_edge("a", "b", "undated", type="ALLIED_WITH", sources=[], evidence=[])
    G.add_edge("c", "d", "dated", type="FOUGHT", since="2015", sources=[], evidence=[])
    return views.write_view(G, tmp_path / "two.html")


def ink_along(driver: Any, key: str) -> list[bool]:
    """Whether the canvas is inked, pixel by pixel along the relation ``key`` as drawn now (away from its ends and label)."""
    return list(
        driver.execute_script(
            """
            var key = arguments[0], v = window.graphkitView, net = v.network, out = [];
            var e = v.data.edges.filter(function (x) { return x.key === key; })[0];
            var p = net.getPositions([e.from, e.to]), a = net.canvasToDOM(p[e.from]), b = net.canvasToDOM(p[e.to]);
            var c = net.canvas.frame.canvas, r = net.canvas.pixelRatio || 1, g = c.getContext('2d');
            var len = Math.hypot(b.x - a.x, b.y - a.y), ux = (b.x - a.x) / len, uy = (b.y - a.y) / len;
            for (var d = 0.15 * len; d < 0.85 * len; d++) {
              if (Math.abs(d - len / 2) < 0.12 * len) continue;  // the type's label, once zoomed in
              var ink = false;
              for (var k = -1.5; k <= 1.5; k += 0.5) {
                var x = Math.round(r * (a.x + d * ux - k * uy)), y = Math.round(r * (a.y + d * uy + k * ux));
                var px = g.getImageData(x, y, 1, 1).data;
                if (Math.min(px[0], px[1], px[2]) < 235) ink = true;
              }
              out.push(ink);
            }
            return out;
            """,
            key,
        )
    )


def zoom_onto(driver: Any, key: str, length: float) -> None:
    """Centre the view on relation ``key`` at the scale that draws it ``length`` pixels long, and draw."""
    driver.execute_script(
        """
        var key = arguments[0], length = arguments[1], v = window.graphkitView, net = v.network;
        var e = v.data.edges.filter(function (x) { return x.key === key; })[0];
        var p = net.getPositions([e.from, e.to]), a = p[e.from], b = p[e.to];
        net.moveTo({position: {x: (a.x + b.x) / 2, y: (a.y + b.y) / 2}, scale: length / Math.hypot(b.x - a.x, b.y - a.y)});
        v.redrawAfresh();
        """,
        key,
        length,
    )


@pytest.mark.parametrize("dense", [False, True], ids=["sparse", "dense"])
def test_undated_relations_are_drawn_dashed_when_zoomed_in(driver: Any, tmp_path: Path, dense: bool) -> None:
    # drawn, not only styled: along an undated relation the ink breaks into dashes, along a dated
    # one it runs on; in a dense view too, where relations are drawn one device pixel wide
    open_page(driver, two_relations_page(tmp_path))
    if dense:
        driver.execute_script("window.graphkitView.denseInk = 0;")
    for key, dashed in (("undated", True), ("dated", False)):
        zoom_onto(driver, key, 600)
        assert driver.execute_script("return window.graphkitView.edgeInk.dense;") is dense
        ink = ink_along(driver, key)
        share = sum(ink) / len(ink)
        runs = sum(1 for i in range(1, len(ink)) if ink[i] and not ink[i - 1])
        if dashed:
            assert 0.3 < share < 0.85 and runs >= 20, (share, runs)
        else:
            assert share > 0.97 and runs <= 1, (share, runs)


def dense_page(tmp_path: Path) -> Path:
    """600 groups, people and places and 2,400 relations: dated and undated, symmetric and with
    arrowheads, some pairs linked more than once (drawn as curves)."""
    rng = np.random.default_rng(5)
    G = nx.MultiDiGraph()
    ids = {"Group": range(300), "Person": range(300, 500), "Place": range(500, 600)}
    G.add_nodes_from((f"n{i}", {"kind": kind, "name": f"{kind} {i}"}) for kind, r in ids.items() for i in r)
    types = (("ALLIED_WITH", "Group", "Group"), ("MEMBER_OF", "Person", "Group"), ("ACTIVE_IN", "Group", "Place"))
    for i in range(2400):
        type_, a, b = types[i % 3]
        few = 30 if i % 7 == 0 else None  # a seventh among the first few of a kind: pairs linked again
        u, v = rng.choice(ids[a][:few]), rng.choice(ids[b][:few])
        if u != v:
            dated = {"since": str(2000 + i % 20)} if rng.random() < 0.3 else {}
            G.add_edge(f"n{u}", f"n{v}", f"r{i}", type=type_, sources=[], evidence=[], **dated)
    return views.write_view(G, tmp_path / "dense.html")


def test_dense_frames_written_as_pixels_are_what_the_canvas_draws(driver: Any, tmp_path: Path) -> None:
    # a dense frame writes its hairlines and small nodes into the canvas's pixels itself: the
    # picture is the one the canvas draws alone (up to anti-aliasing), dashes, curves, arrowheads,
    # faded and thick relations included
    open_page(driver, dense_page(tmp_path), timeout=120)
    compare = """
        var v = window.graphkitView, c = v.network.canvas.frame.canvas, g = c.getContext('2d');
        v.denseInk = 0; v.readbackStamps = 0;
        v.writePixels = false; v.redrawAfresh();
        var drawn = g.getImageData(0, 0, c.width, c.height).data;
        v.writePixels = true; v.redrawAfresh();
        var written = g.getImageData(0, 0, c.width, c.height).data, diff = 0, far = 0, ink = 0;
        for (var i = 0; i < drawn.length; i += 4) {
          var m = Math.max(Math.abs(drawn[i] - written[i]), Math.abs(drawn[i + 1] - written[i + 1]), Math.abs(drawn[i + 2] - written[i + 2]));
          diff += m; if (m > 80) far++;
          if (Math.min(drawn[i], drawn[i + 1], drawn[i + 2]) < 235) ink++;
        }
        var n = drawn.length / 4;
        return {mean: diff / n, far: far / n, ink: ink / n, edges: v.edgeInk.written, stamps: v.stampsWritten};
    """

    def check(what: str, stamps: bool = True) -> None:
        still_view(driver)
        got = driver.execute_script(compare)
        assert got["edges"] > 100 and (got["stamps"] > 50) is stamps and got["ink"] > 0.01, (what, got)
        # against the inked share of the canvas: a dash out of step, a curve drawn straight or a
        # missing arrowhead makes several times more pixels differ than anti-aliasing does
        assert got["mean"] < 2 * got["ink"] and got["far"] < 0.0005 * got["ink"], (what, got)

    check("the whole graph")
    zoom = "var n = window.graphkitView.network, p = n.getPositions(['n5']).n5; n.moveTo({position: p, scale: arguments[0]});"
    driver.execute_script(zoom, 0.25)
    check("zoomed out, no arrowheads")
    driver.execute_script(zoom, 2.5)
    check("zoomed in: relations run off the canvas, nodes drawn big", stamps=False)
    driver.execute_script("window.graphkitView.focus('n5');")
    check("a focus: faded and not")
    driver.execute_script("window.graphkitView.unfocus(); window.graphkitView.path('n310', 'n7');")
    assert driver.execute_script("return window.graphkitView.state.path.result.hops.length;") >= 2
    check("a path: thick relations over hairlines")
    before = counts(driver)[1]
    driver.find_element("css selector", "#gk-types input[value='ALLIED_WITH']").click()
    assert counts(driver)[1] < before
    check("a type hidden")


def test_moving_the_view_reuses_the_drawing_until_it_rests(driver: Any, page: Path) -> None:
    # frames that only pan show the last drawing moved; once the view rests the page draws afresh,
    # the same picture as a drawing from scratch at that view
    before, moving = driver.execute_async_script(
        """
        var done = arguments[arguments.length - 1], v = window.graphkitView, n = v.network;
        var start = n.getViewPosition(), s = n.getScale(), i = 0, copy = function () { return Object.assign({}, v.frames); };
        var before = copy();
        function step() {
          if (i++ < 15) { n.moveTo({position: {x: start.x + 4 * i / s, y: start.y}, scale: s}); requestAnimationFrame(step); return; }
          done([before, copy()]);
        }
        requestAnimationFrame(step);
        """
    )
    # how many frames come close enough together to count as moving depends on the machine's load
    assert moving["moved"] - before["moved"] >= 3
    frames = "return window.graphkitView.frames;"
    rested = wait_for(
        lambda: (lambda f: f if f["full"] > moving["full"] else None)(driver.execute_script(frames)),
        what="a fresh drawing once the view rests",
    )
    time.sleep(0.3)
    assert driver.execute_script(frames) == rested and rested["moved"] == moving["moved"]
    picture = "return document.querySelector('#gk-canvas canvas').toDataURL();"
    settled = driver.execute_script(picture)
    driver.execute_script("window.graphkitView.redrawAfresh();")
    assert driver.execute_script(picture) == settled
    # a change of what is drawn is drawn at once, whatever the view did just before
    full = driver.execute_script("return window.graphkitView.frames.full;")
    driver.execute_script(
        "var n = window.graphkitView.network, p = n.getViewPosition(); n.moveTo({position: {x: p.x + 10, y: p.y}});"
        "window.graphkitView.focus('iskp');"
    )
    assert driver.execute_script("return window.graphkitView.frames.full;") > full


def test_a_frame_that_only_pans_is_the_last_drawing_shifted(driver: Any, page: Path) -> None:
    still_view(driver)
    moved, same, shifted = driver.execute_async_script(
        """
        var done = arguments[arguments.length - 1], v = window.graphkitView, n = v.network;
        var c = n.canvas.frame.canvas, g = c.getContext('2d'), r = n.canvas.pixelRatio || 1;
        v.redrawAfresh();
        var before = g.getImageData(0, 0, c.width, c.height).data, count = v.frames.moved, p = n.getViewPosition();
        n.moveTo({position: {x: p.x - 40 / n.getScale(), y: p.y}, scale: n.getScale()});  // 40 px to the right
        n.redraw();
        var after = g.getImageData(0, 0, c.width, c.height).data, dx = 40 * r, same = 0, all = 0;
        for (var y = 0; y < c.height; y += 3) for (var x = dx; x < c.width; x += 3) {
          var a = 4 * (y * c.width + x), b = 4 * (y * c.width + x - dx);
          all++;
          if (after[a] === before[b] && after[a + 1] === before[b + 1] && after[a + 2] === before[b + 2]) same++;
        }
        done([v.frames.moved - count, same, all]);
        """
    )
    assert moved == 1 and same == shifted


def test_play_steps_through_the_years(driver: Any, page: Path) -> None:
    # record every year label and what was shown with it, as the page changes them
    driver.execute_script(
        """
        var v = window.graphkitView, label = document.getElementById('gk-years-label');
        window.__played = [];
        new MutationObserver(function () { window.__played.push([label.textContent, v.shown().edges.length]); })
          .observe(label, {childList: true, characterData: true, subtree: true});
        """
    )
    play = driver.find_element("id", "gk-play")
    play.click()
    assert play.get_attribute("aria-pressed") == "true"
    played = wait_for(
        lambda: (lambda p: p if len({y for y, _ in p}) >= 4 else None)(
            driver.execute_script("return window.__played;")
        ),
        timeout=30,
        what="four years of play",
    )
    years = list(dict.fromkeys(y for y, _ in played))
    assert years[:4] == ["2015", "2016", "2017", "2018"]
    assert len({n for _, n in played}) > 1  # what is shown changes as the years pass
    play.click()
    assert play.get_attribute("aria-pressed") == "false"
    label = driver.find_element("id", "gk-years-label").text
    time.sleep(2)
    assert driver.find_element("id", "gk-years-label").text == label  # paused


def test_type_and_kind_legends_toggle_what_is_shown(driver: Any, page: Path) -> None:
    n_nodes, n_edges = counts(driver)
    driver.find_element("css selector", '#gk-types input[value="FOUGHT"]').click()
    assert counts(driver) == (n_nodes, n_edges - 2)
    driver.find_element("id", "gk-unlinked").click()
    assert counts(driver)[0] == n_nodes
    driver.find_element("css selector", '#gk-types input[value="ALLIED_WITH"]').click()
    assert counts(driver) == (n_nodes - 1, n_edges - 3)  # 'evil' has no other relation
    for selector in ('input[value="FOUGHT"]', 'input[value="ALLIED_WITH"]'):
        driver.find_element("css selector", "#gk-types " + selector).click()
    driver.find_element("id", "gk-unlinked").click()
    assert counts(driver) == (n_nodes, n_edges)
    assert driver.find_element("css selector", '#gk-types input[value="SUPPORTED"]').get_attribute("disabled")
    # node kinds toggle like relation types; a hidden kind takes its relations along
    driver.find_element("css selector", '#gk-kinds input[value="Attack"]').click()
    assert "kabul-airport" not in shown(driver)["nodes"]
    assert counts(driver) == (n_nodes - 1, n_edges - 2)  # CARRIED_OUT and OCCURRED_IN
    driver.find_element("css selector", '#gk-kinds input[value="Attack"]').click()
    assert counts(driver) == (n_nodes, n_edges)


def test_a_click_on_a_filter_draws_once(driver: Any, page: Path) -> None:
    # a checkbox fires both "input" and "change": the page draws its thousands of relations once,
    # and a path is found again among what the change leaves shown, whichever event comes
    still_view(driver)
    full = "return window.graphkitView.frames.full;"
    before = driver.execute_script(full)
    driver.find_element("css selector", '#gk-types input[value="FOUGHT"]').click()
    assert driver.execute_script(full) == before + 1
    driver.execute_script("window.graphkitView.path('khorasani', 'isis');")
    assert "(2 hops)" in driver.find_element("id", "gk-status").text
    driver.execute_script(
        "var b = document.querySelector('#gk-types input[value=\"AFFILIATE_OF\"]'); b.checked = false;"
        "b.dispatchEvent(new Event('change'));"
    )
    assert "no chain" in driver.find_element("id", "gk-status").text


def test_layout_can_be_rerun_after_a_filter(driver: Any, page: Path) -> None:
    driver.find_element("css selector", '#gk-kinds input[value="Place"]').click()
    before = driver.execute_script("return window.graphkitView.network.getPositions();")
    driver.find_element("id", "gk-relayout").click()
    wait_for(lambda: driver.execute_script("return window.graphkitView.layouts === 1"), timeout=30, what="the layout")
    after = driver.execute_script("return window.graphkitView.network.getPositions();")
    moved = [n for n in before if abs(before[n]["x"] - after[n]["x"]) + abs(before[n]["y"] - after[n]["y"]) > 1]
    assert "nangarhar" not in moved and len(moved) >= 3  # hidden nodes stay put; shown ones are laid out
    assert driver.execute_script("return window.graphkitView.network.physics.options.enabled") is False


def test_export_png_downloads_the_current_view(driver: Any, page: Path, tmp_path: Path) -> None:
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    driver.find_element("id", "gk-png").click()
    files = wait_for(lambda: [p for p in tmp_path.iterdir() if p.suffix == ".png"], what="the download")
    content = files[0].read_bytes()
    assert content.startswith(b"\x89PNG\r\n\x1a\n")
    url = driver.execute_script("return window.graphkitView.lastPng;")
    assert base64.b64decode(url.split(",", 1)[1]) == content
    width, height = int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
    canvas = driver.execute_script("var c = document.querySelector('#gk-canvas canvas'); return [c.width, c.height];")
    assert [width, height] == canvas
    # the image is the drawing on a white ground: opaque white corner, coloured pixels elsewhere
    probe = driver.execute_async_script(
        """
        var img = new Image(), done = arguments[arguments.length - 1];
        img.onload = function () {
          var c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
          var g = c.getContext('2d'); g.drawImage(img, 0, 0);
          var px = g.getImageData(0, 0, c.width, c.height).data, coloured = 0;
          for (var i = 0; i < px.length; i += 4) if (px[i] < 200 || px[i + 1] < 200 || px[i + 2] < 200) coloured++;
          done([Array.from(px.slice(0, 4)), coloured]);
        };
        img.src = window.graphkitView.lastPng;
        """
    )
    assert probe[0] == [255, 255, 255, 255] and probe[1] > 500


def test_print_stylesheet_prints_the_graph_and_the_panel(driver: Any, page: Path) -> None:
    driver.execute_script("window.graphkitView.select('iskp', false);")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown_in_print = driver.execute_script(
            """
            function on(sel) { var e = document.querySelector(sel); return getComputedStyle(e).display !== 'none' && e.getBoundingClientRect().height > 0; }
            return {graph: on('#gk-canvas canvas'), panel: on('#gk-panel'), title: on('#gk-side h1'),
                    search: on('#gk-search'), legend: on('#gk-types'), close: on('#gk-panel-close')};
            """
        )
        assert shown_in_print == {
            "graph": True,
            "panel": True,
            "title": True,
            "search": False,
            "legend": False,
            "close": False,
        }
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": True})["data"])
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000  # the graph prints as an image


def test_markup_in_data_never_runs(driver: Any, page: Path) -> None:
    # show every node and every relation in the panel, and the hostile names in suggestions
    texts = driver.execute_script(
        """
        var v = window.graphkitView, out = [];
        v.data.nodes.forEach(function (n) { v.select(n.id, false); out.push(document.getElementById('gk-panel').textContent); });
        v.data.edges.forEach(function (e) { v.showEdge(e.id, false); out.push(document.getElementById('gk-panel').textContent); });
        return out.join('\\n');
        """
    )
    type_into(driver, "gk-search", "Evil")
    time.sleep(0.3)
    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    for payload in (NAME_PAYLOAD, QUOTE_PAYLOAD, SOURCE_PAYLOAD):
        assert payload in texts
    assert NAME_PAYLOAD in driver.find_element("id", "gk-search-list").get_attribute("textContent")
    assert (
        driver.execute_script(
            "return document.querySelectorAll('img, #gk-panel script, a[href^=\"javascript\"]').length"
        )
        == 0
    )


def test_seed_default_view_is_readable(driver: Any, seed: Path, tmp_path: Path) -> None:
    shot = Path(os.environ.get("GRAPHKIT_SCREENSHOT_DIR", tmp_path)) / "seed-default-view.png"
    driver.save_screenshot(str(shot))
    labels = driver.execute_script("return window.graphkitView.labels;")
    # labels are drawn, none over another, and none of them is a relation type (edge labels wait for a zoom)
    assert len(labels) >= 20
    for i, (_, ax0, ay0, ax1, ay1) in enumerate(labels):
        for _, bx0, by0, bx1, by1 in labels[i + 1 :]:
            assert not (ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1)
    assert not {text for text, *_ in labels} & {r.name for r in model.RELATION_KINDS}
    # the view fits the main component: all of it is on screen
    outside = driver.execute_script(
        """
        var v = window.graphkitView, n = v.network, c = document.getElementById('gk-canvas'), out = [];
        v.data.nodes.forEach(function (d) {
          if (!d.main) return;
          var p = n.canvasToDOM(n.getPositions([d.id])[d.id]);
          if (p.x < 0 || p.y < 0 || p.x > c.clientWidth || p.y > c.clientHeight) out.push(d.id);
        });
        return out;
        """
    )
    assert outside == []
    # zoomed in, relation types are labelled too
    driver.execute_script(
        "var n = window.graphkitView.network; n.moveTo({position: n.getPositions(['iskp']).iskp, scale: 2.5}); n.redraw();"
    )
    labels = driver.execute_script("return window.graphkitView.labels;")
    assert {text for text, *_ in labels} & {r.name for r in model.RELATION_KINDS}


def test_large_page_draws_with_physics_off(driver: Any, tmp_path: Path) -> None:
    G = nx.MultiDiGraph()
    base = nx.barabasi_albert_graph(1000, 2, seed=3)
    G.add_nodes_from((f"g{i}", {"kind": "Group", "name": f"group {i}"}) for i in base)
    G.add_edges_from(
        (f"g{u}", f"g{v}", {"type": "ALLIED_WITH", "sources": [], "evidence": []}) for u, v in base.edges()
    )
    path = views.write_view(G, tmp_path / "large.html")
    open_page(driver, path, timeout=120)  # how fast: bench/bench_views.py measures it
    assert counts(driver) == (1000, G.number_of_edges())
    assert driver.execute_script("return window.graphkitView.network.physics.options.enabled") is False
    # labels only for what has room: far fewer than nodes at the fit view
    assert len(driver.execute_script("return window.graphkitView.labels;")) < 200


def test_empty_page_is_ready(driver: Any, tmp_path: Path) -> None:
    G = nx.MultiDiGraph()
    G.add_node("s1", kind="Source", name="A report")  # sources are not drawn: nothing to lay out
    open_page(driver, views.write_view(G, tmp_path / "empty.html"), timeout=10)
    assert counts(driver) == (0, 0)
    assert driver.find_element("id", "gk-count").text == "0 of 0 nodes, 0 of 0 relations shown"

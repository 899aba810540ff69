"""The view pages in real headless Chromium, opened from disk with the network cut off.

Checks that the graph draws, that the relation-type and year filters change what is shown, that
a hovered relation's tooltip gives its provenance, and that markup in names and quotes never runs.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_views import NAME_PAYLOAD, QUOTE_PAYLOAD, SOURCE_PAYLOAD, sample_graph

from graphkit import projection, views

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


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    G = sample_graph()
    return views.write_view(G, tmp_path_factory.mktemp("view") / "view.html", sizes=dict(G.degree()))


@pytest.fixture
def page(driver: Any, page_file: Path) -> Path:
    """The sample page, freshly opened (no filter state left from another test)."""
    open_page(driver, page_file)
    return page_file


def counts(driver: Any) -> tuple[int, int]:
    return tuple(driver.execute_script("var v = window.graphkitView; return [v.nodeView.length, v.edgeView.length];"))


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
        var c = document.querySelector('#gk-net canvas');
        var px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, n = 0;
        for (var i = 0; i < px.length; i += 4) { if (px[i + 3] > 0 && (px[i] < 240 || px[i + 1] < 240 || px[i + 2] < 240)) n++; }
        return n;
        """
    )
    assert painted > 500
    assert driver.execute_script("return window.graphkitView.network.physics.options.enabled") is False


def test_type_filter_changes_what_is_shown(driver: Any, page: Path) -> None:
    n_nodes, n_edges = counts(driver)
    box = driver.find_element("css selector", '#gk-types input[value="FOUGHT"]')
    box.click()
    assert counts(driver) == (n_nodes, n_edges - 2)
    driver.find_element("id", "gk-unlinked").click()
    # with unlinked nodes hidden, only nodes still touching a shown relation remain
    assert counts(driver)[0] == n_nodes
    driver.find_element("css selector", '#gk-types input[value="ALLIED_WITH"]').click()
    assert counts(driver) == (n_nodes - 1, n_edges - 3)  # 'evil' has no other relation
    for selector in ('input[value="FOUGHT"]', 'input[value="ALLIED_WITH"]'):
        driver.find_element("css selector", "#gk-types " + selector).click()
    driver.find_element("id", "gk-unlinked").click()
    assert counts(driver) == (n_nodes, n_edges)
    assert driver.find_element("css selector", '#gk-types input[value="SUPPORTED"]').get_attribute("disabled")


def test_year_filter_changes_what_is_shown(driver: Any, page: Path) -> None:
    n_nodes, n_edges = counts(driver)
    driver.find_element("id", "gk-year-on").click()
    driver.execute_script(
        "var y = document.getElementById('gk-year'); y.value = 2017; y.dispatchEvent(new Event('input'));"
    )
    # in 2017: AFFILIATE_OF, FOUGHT (2015-2019), RIVAL_OF, ACTIVE_IN; OCCURRED_IN is undated but its
    # attack (2021) had not happened, so it goes with it
    shown = driver.execute_script(
        "return window.graphkitView.edgeView.get().map(function (e) { return e.type; }).sort();"
    )
    assert shown == ["ACTIVE_IN", "AFFILIATE_OF", "FOUGHT", "RIVAL_OF"]
    assert counts(driver)[0] == n_nodes - 1
    assert driver.find_element("id", "gk-year-label").text == "2017"
    # every year of the slider shows exactly what graphkit.projection.as_of keeps
    G = sample_graph()
    low, high = driver.execute_script(
        "var y = document.getElementById('gk-year'); return [Number(y.min), Number(y.max)];"
    )
    assert (low, high) == (2015, 2021)
    for year in range(low - 1, high + 2):
        shown = driver.execute_script(
            """
            var y = document.getElementById('gk-year'); y.min = arguments[0] - 1; y.max = arguments[0] + 1;
            y.value = arguments[0]; y.dispatchEvent(new Event('input'));
            return window.graphkitView.edgeView.get().map(function (e) { return e.key; }).sort();
            """,
            year,
        )
        assert shown == sorted(k for _, _, k in projection.as_of(G, year).edges(keys=True)), year
    driver.find_element("id", "gk-year-on").click()
    assert counts(driver) == (n_nodes, n_edges)


def test_hovered_relation_shows_its_provenance(driver: Any, page: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    edge = driver.execute_script(
        "return window.graphkitView.edges.get({filter: function (e) { return e.type === 'CARRIED_OUT'; }})[0].id;"
    )
    net = driver.find_element("id", "gk-net")
    x, y = driver.execute_script(
        """
        var v = window.graphkitView, e = v.edges.get(arguments[0]), p = v.network.getPositions([e.from, e.to]);
        v.network.moveTo({position: {x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2}, scale: 1.5});
        var m = v.network.canvasToDOM({x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2});
        return [m.x, m.y];
        """,
        edge,
    )
    rect = net.rect
    actions = ActionChains(driver)
    actions.move_to_element_with_offset(net, int(x - rect["width"] / 2), int(y - rect["height"] / 2))
    actions.move_by_offset(1, 0).move_by_offset(-1, 0).perform()
    deadline = time.monotonic() + 5
    text = ""
    while time.monotonic() < deadline:
        text = driver.execute_script(
            "var t = document.querySelector('div.vis-tooltip'); return t && t.style.visibility !== 'hidden' ? t.textContent : '';"
        )
        if "CARRIED_OUT" in text:
            break
        time.sleep(0.1)
    assert "CARRIED_OUT" in text
    for expected in (
        "UN Monitoring Team report (UN, 2022-05)",
        "ISKP claimed the attack",
        "2021-08-26",
        "reported",
        QUOTE_PAYLOAD,
        SOURCE_PAYLOAD,
    ):
        assert expected in text


def test_markup_in_data_never_runs(driver: Any, page: Path) -> None:
    # every tooltip is built on load; show the hostile ones in the page too, as vis-network would
    driver.execute_script(
        """
        var v = window.graphkitView, box = document.createElement('div');
        box.id = 'gk-probe';
        v.nodes.get().concat(v.edges.get()).forEach(function (x) { box.appendChild(x.title); });
        document.body.appendChild(box);
        """
    )
    time.sleep(0.3)
    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    text = driver.find_element("id", "gk-probe").get_attribute("textContent")
    for payload in (NAME_PAYLOAD, QUOTE_PAYLOAD, SOURCE_PAYLOAD):
        assert payload in text
    assert driver.execute_script("return document.querySelectorAll('img, #gk-probe script').length") == 0


def test_large_page_draws_with_physics_off(driver: Any, tmp_path: Path) -> None:
    import networkx as nx

    G = nx.MultiDiGraph()
    base = nx.barabasi_albert_graph(1000, 2, seed=3)
    G.add_nodes_from((f"g{i}", {"kind": "Group", "name": f"group {i}"}) for i in base)
    G.add_edges_from(
        (f"g{u}", f"g{v}", {"type": "ALLIED_WITH", "sources": [], "evidence": []}) for u, v in base.edges()
    )
    path = views.write_view(G, tmp_path / "large.html")
    started = time.monotonic()
    open_page(driver, path, timeout=30)
    assert time.monotonic() - started < 15
    assert counts(driver) == (1000, G.number_of_edges())
    assert driver.execute_script("return window.graphkitView.network.physics.options.enabled") is False


def test_empty_page_is_ready(driver: Any, tmp_path: Path) -> None:
    import networkx as nx

    G = nx.MultiDiGraph()
    G.add_node("s1", kind="Source", name="A report")  # sources are not drawn: nothing to lay out
    open_page(driver, views.write_view(G, tmp_path / "empty.html"), timeout=10)
    assert counts(driver) == (0, 0)
    assert driver.find_element("id", "gk-count").text == "0 of 0 nodes, 0 of 0 relations shown"

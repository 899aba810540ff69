"""Issue 12: the model can say what sources say, and the rules catch the bent forms.

Each integrity rule of :mod:`graphkit.facts` gets a planted error in a fact file (its message names
file, record and field); the projections leave aims, threats and communities out by default; a
relation's ``as_of`` reads as "held at least then" in time slices and on the page; the new kinds
and ``as_of`` survive the database round trip; and ``groups-active-in-place`` no longer reaches
through a region into every country it spans.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from test_browser import driver, open_page  # noqa: F401 - the headless Chromium fixture

from graphkit import cypher, model, projection, store, views
from graphkit.connection import ConnectionSettings
from graphkit.errors import ValidationError
from graphkit.facts import Entity, Facts, Relation, read_facts, validate
from graphkit.graph import SEED_DIR, to_networkx

HEAD = """
sources:
  - id: art
    name: An article
groups:
  - {id: alpha, name: Alpha Front, group_type: militant group, sources: [art]}
  - {id: beta, name: Beta Brigade, sources: [art]}
  - {id: villagers, name: Villagers, group_type: community, sources: [art]}
places:
  - {id: steppe, name: The Steppe, place_type: region, sources: [art]}
  - {id: north, name: Northland, place_type: country, sources: [art]}
  - {id: south, name: Southland, place_type: country, sources: [art]}
  - {id: town, name: Town, place_type: city, sources: [art]}
attacks:
  - {id: blast, name: The blast, date: "2020-05", sources: [art]}
relations:
"""


def problems_of(tmp_path: Path, relations: str, head: str = HEAD) -> list[str]:
    """Validate HEAD plus ``relations``; the problems as 'record | field | reason' lines ([] if valid)."""
    path = tmp_path / "facts.yaml"
    body = textwrap.indent(textwrap.dedent(relations), "  ") if relations.strip() else "  []\n"
    path.write_text(textwrap.dedent(head).replace("relations:\n", "relations:\n" + body), encoding="utf-8")
    try:
        read_facts([path])
    except ValidationError as exc:
        for p in exc.problems:
            assert p.file == str(path) and p.line is not None
        return [f"{p.record} | {p.field} | {p.message}" for p in exc.problems]
    return []


def rel_yaml(rtype: str, a: str, b: str, quote: str, **extra: str) -> str:
    fields = "".join(f'\n  {k}: "{v}"' for k, v in extra.items())
    return f"""
- type: {rtype}
  from: {a}
  to: {b}{fields}
  confidence: reported
  sources: [art]
  evidence: ["{quote}"]
"""


# --------------------------------------------------------------------------------------------
# as_of: an observation, not a start
# --------------------------------------------------------------------------------------------


def test_as_of_is_read_and_kept(tmp_path: Path) -> None:
    assert (
        problems_of(tmp_path, rel_yaml("ACTIVE_IN", "alpha", "town", "As of June 2022, Alpha in Town", as_of="2022-06"))
        == []
    )
    facts = read_facts([tmp_path / "facts.yaml"])
    (rel,) = facts.relations
    assert (rel.since, rel.as_of) == (None, "2022-06")
    assert rel.properties()["as_of"] == "2022-06"
    assert to_networkx(facts).edges["alpha", "town", rel.key]["as_of"] == "2022-06"


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({"as_of": "June 2022"}, "'June 2022' is not a real partial date"),
        ({"since": "2023", "as_of": "2022-06"}, "observed (2022-06) before the relation began (2023)"),
        ({"until": "2021", "as_of": "2022-06"}, "observed (2022-06) after the relation ended (2021)"),
    ],
)
def test_as_of_outside_its_period_is_an_error(tmp_path: Path, extra: dict[str, str], reason: str) -> None:
    found = problems_of(tmp_path, rel_yaml("ACTIVE_IN", "alpha", "town", "Alpha in Town", **extra))
    assert len(found) == 1 and "| as_of |" in found[0] and reason in found[0], found


def test_as_of_within_its_period_is_fine(tmp_path: Path) -> None:
    body = rel_yaml("ACTIVE_IN", "alpha", "town", "Alpha in Town", since="2020", until="2023", as_of="2022-06")
    assert problems_of(tmp_path, body) == []


# --------------------------------------------------------------------------------------------
# Claims of responsibility are not attributions
# --------------------------------------------------------------------------------------------


def test_a_claim_recorded_as_carried_out_is_an_error(tmp_path: Path) -> None:
    found = problems_of(
        tmp_path, rel_yaml("CARRIED_OUT", "alpha", "blast", "Alpha claimed responsibility for the blast")
    )
    assert len(found) == 1, found
    assert found[0].startswith("relations[0] CARRIED_OUT alpha -> blast | type |") and "CLAIMED" in found[0]


def test_a_claim_recorded_as_claimed_and_an_attribution_beside_it_are_fine(tmp_path: Path) -> None:
    body = rel_yaml("CLAIMED", "alpha", "blast", "Alpha claimed responsibility for the blast")
    body += rel_yaml("CARRIED_OUT", "beta", "blast", "Police say Beta carried out the blast")
    # a claim of responsibility beside a quote that attributes the act is an attribution
    body += rel_yaml("CARRIED_OUT", "alpha", "blast", "Alpha claimed responsibility", id="alpha-blast")
    body = body.replace(
        'evidence: ["Alpha claimed responsibility"]', 'evidence: ["Alpha claimed responsibility", "Alpha did it"]'
    )
    assert problems_of(tmp_path, body) == []
    facts = read_facts([tmp_path / "facts.yaml"])
    claimed = [(r.source, r.target) for r in facts.relations if r.type == "CLAIMED"]
    attributed = sorted(r.source for r in facts.relations if r.type == "CARRIED_OUT")
    assert claimed == [("alpha", "blast")] and attributed == ["alpha", "beta"]


def test_a_third_party_claim_is_not_a_claim_of_responsibility(tmp_path: Path) -> None:
    quote = "Reports claimed that Alpha is involved in the blast"
    assert problems_of(tmp_path, rel_yaml("CARRIED_OUT", "alpha", "blast", quote).replace("reported", "alleged")) == []


# --------------------------------------------------------------------------------------------
# A region that spans countries does not lie within each of them
# --------------------------------------------------------------------------------------------


def test_a_place_within_two_countries_is_an_error(tmp_path: Path) -> None:
    body = rel_yaml("LOCATED_IN", "steppe", "north", "The Steppe extends across Northland and Southland")
    body += rel_yaml("LOCATED_IN", "steppe", "south", "The Steppe extends across Northland and Southland")
    found = problems_of(tmp_path, body)
    assert len(found) == 1, found
    assert found[0].startswith("relations[1] LOCATED_IN steppe -> south | to |")
    assert "two country places ('north' and 'south')" in found[0] and "SPANS" in found[0]


def test_three_countries_give_one_problem_per_extra_country(tmp_path: Path) -> None:
    head = HEAD.replace("places:\n", "places:\n  - {id: west, name: Westland, place_type: country, sources: [art]}\n")
    body = "".join(rel_yaml("LOCATED_IN", "steppe", c, "The Steppe spans them") for c in ("north", "south", "west"))
    assert [p.split(" | ")[0] for p in problems_of(tmp_path, body, head)] == [
        "relations[1] LOCATED_IN steppe -> south",
        "relations[2] LOCATED_IN steppe -> west",
    ]


def test_spans_and_a_city_in_one_country_are_fine(tmp_path: Path) -> None:
    body = rel_yaml("SPANS", "steppe", "north", "The Steppe extends across Northland and Southland")
    body += rel_yaml("SPANS", "steppe", "south", "The Steppe extends across Northland and Southland")
    body += rel_yaml("LOCATED_IN", "town", "north", "Town, in Northland")
    body += rel_yaml("LOCATED_IN", "town", "steppe", "Town, on the Steppe")  # a city in a country and a region
    assert problems_of(tmp_path, body) == []


def test_a_border_change_dated_apart_is_fine(tmp_path: Path) -> None:
    body = rel_yaml("LOCATED_IN", "town", "north", "Town was in Northland until 1990", until="1990")
    body += rel_yaml("LOCATED_IN", "town", "south", "Town has been in Southland since 1990", since="1990")
    assert problems_of(tmp_path, body) == []


def test_spans_and_located_in_the_same_place_is_an_error(tmp_path: Path) -> None:
    body = rel_yaml("SPANS", "steppe", "north", "The Steppe extends into Northland")
    body += rel_yaml("LOCATED_IN", "steppe", "north", "The Steppe, in Northland")
    found = problems_of(tmp_path, body)
    assert len(found) == 1 and "both SPANS and lies within 'north'" in found[0], found


# --------------------------------------------------------------------------------------------
# What a source shows and what is inferred
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "field", "reason"),
    [
        ('{id: art, name: An article, published: "2024-05-23", published_basis: shown}', "date_shown", "'shown'"),
        ('{id: art, name: An article, published: "2021", published_basis: inferred}', "note", "inferred from"),
        ("{id: art, name: An article, published_basis: guessed}", "published_basis", "one of shown, inferred"),
    ],
)
def test_source_dates_say_what_is_shown_and_what_is_inferred(
    tmp_path: Path, source: str, field: str, reason: str
) -> None:
    head = HEAD.replace("  - id: art\n    name: An article\n", f"  - {source}\n")
    found = problems_of(tmp_path, "", head)
    assert len(found) == 1 and found[0].startswith(f"art | {field} |") and reason in found[0], found


def test_a_source_showing_a_date_and_one_inferring_it(tmp_path: Path) -> None:
    shown = '{id: art, name: An article, date_shown: "Thursday, May 23, 2024", published: "2024-05-23", published_basis: shown}'
    inferred = '{id: other, name: Another, published: "2021", published_basis: inferred, note: "Its latest events are of 2020."}'
    head = HEAD.replace("  - id: art\n    name: An article\n", f"  - {shown}\n  - {inferred}\n")
    assert problems_of(tmp_path, "", head) == []


# --------------------------------------------------------------------------------------------
# Projections: aims, threats and communities are in the graph but not counted by default
# --------------------------------------------------------------------------------------------


def small_graph() -> nx.MultiDiGraph:
    """Two groups that fought, one that only aimed at a place where another is active, and a community."""
    ents = [
        Entity("art", "Source", "An article"),
        Entity("alpha", "Group", "Alpha", sources=["art"]),
        Entity("beta", "Group", "Beta", sources=["art"]),
        Entity("gamma", "Group", "Gamma", sources=["art"]),
        Entity("villagers", "Group", "Villagers", sources=["art"], props={"group_type": "community"}),
        Entity("town", "Place", "Town", sources=["art"], props={"place_type": "city"}),
        Entity("blast", "Attack", "Blast", sources=["art"], props={"date": "2020-05"}),
    ]
    rels = [
        Relation("FOUGHT", "alpha", "beta", ["art"], ["Alpha fought Beta"], since="2015"),
        Relation("AIMED_AT", "gamma", "alpha", ["art"], ["Gamma plans to strike Alpha"]),
        Relation("THREAT_TO", "gamma", "beta", ["art"], ["Gamma is a threat to Beta"]),
        Relation("AIMED_AT", "gamma", "town", ["art"], ["Gamma seeks control of Town"]),
        Relation("ACTIVE_IN", "alpha", "town", ["art"], ["As of June 2022, Alpha was in Town"], as_of="2022-06"),
        Relation("ACTIVE_IN", "beta", "town", ["art"], ["Beta has been in Town since 2023"], since="2023"),
        Relation("CARRIED_OUT", "alpha", "blast", ["art"], ["Alpha bombed them"]),
        Relation("TARGETED", "blast", "villagers", ["art"], ["the blast hit the villagers"]),
    ]
    return to_networkx(validate(Facts({e.id: e for e in ents}, rels)))


def test_aims_and_threats_are_not_counted_by_default() -> None:
    G = small_graph()
    A = projection.actor_network(G, via=["places"])
    assert {frozenset(e) for e in A.edges()} == {frozenset({"alpha", "beta"})}
    assert "gamma" in A and A.degree("gamma") == 0  # kept as a node, linked by nothing it did
    assert "AIMED_AT, THREAT_TO relations" in A.graph["projection"]
    W = projection.whole_graph(G)
    assert not W.has_edge("gamma", "town") and not W.has_edge("gamma", "alpha")
    assert "community" not in W.graph["projection"]  # the whole graph keeps every entity
    with_aims = projection.actor_network(G, intentions=True)
    assert with_aims.edges["gamma", "alpha"]["types"] == ["AIMED_AT"]
    assert with_aims.edges["gamma", "beta"]["types"] == ["THREAT_TO"]
    assert projection.project(G, "whole", intentions=True).has_edge("gamma", "town")


def test_communities_are_not_actors_by_default() -> None:
    G = small_graph()
    A = projection.actor_network(G, via=["attacks"])
    assert "villagers" not in A and "villagers" in G
    assert projection.actor_network(G, via=["attacks"], communities=True).has_edge("alpha", "villagers")
    assert "community groups" in A.graph["projection"]
    assert A.graph["graphkit"]["without"] == "without AIMED_AT, THREAT_TO relations and community groups"
    assert "villagers" in projection.project(G, "actors", communities=True)


def test_uncounted_kinds_are_declared_in_the_model() -> None:
    assert {"AIMED_AT", "THREAT_TO"} == model.UNCOUNTED_TYPES
    assert "counted by metrics" in model.data_model_markdown().lower()
    assert model.RELATION_KIND["CLAIMED"].counted and model.RELATION_KIND["SPANS"].counted


# --------------------------------------------------------------------------------------------
# as_of in time slices and on the page: held at least then
# --------------------------------------------------------------------------------------------


def test_as_of_holds_in_its_slice_and_is_not_a_start() -> None:
    G = small_graph()
    observed = next(k for u, v, k, d in G.edges(keys=True, data=True) if d.get("as_of"))
    started = next(k for u, v, k, d in G.edges(keys=True, data=True) if d.get("since") == "2023")
    for year in (2021, 2022, 2025):
        assert observed in {k for *_, k in projection.as_of(G, year).edges(keys=True)}, year
    # a since-dated relation, by contrast, is not in the slice before it began
    assert started not in {k for *_, k in projection.as_of(G, 2022).edges(keys=True)}
    assert projection.relation_period({"since": "2023", "as_of": "2022-06"})[0] == (2022, 6, 1)
    assert projection.relation_period({"until": "2020", "as_of": "2022-06"})[1] == (2022, 6, 31)


def test_the_page_shows_as_of_and_does_not_date_a_start_by_it() -> None:
    data = views._page_data(small_graph(), sizes=None, metrics=None, physics=False)
    (edge,) = [e for e in data["edges"] if e["type"] == "ACTIVE_IN" and e["from"] == "alpha"]
    assert (edge["y0"], edge["y1"]) == (None, None)  # shown in every year, 2022 included
    assert ["as of", "2022-06 (held at least then)"] in edge["tip"]["rows"]
    assert data["years"][1] >= 2022  # the slider reaches the observation


# --------------------------------------------------------------------------------------------
# The database round trip and the Cypher library
# --------------------------------------------------------------------------------------------


@pytest.mark.db
def test_new_kinds_and_as_of_survive_the_store(db: ConnectionSettings) -> None:
    facts = read_facts([SEED_DIR])
    store.load(facts, db)
    back = store.read_graph(db)
    expected = to_networkx(facts)
    for rtype in ("CLAIMED", "SPANS", "AIMED_AT", "THREAT_TO"):
        want = {(u, v, d.get("as_of")) for u, v, d in expected.edges(data=True) if d["type"] == rtype}
        got = {(u, v, d.get("as_of")) for u, v, d in back.edges(data=True) if d["type"] == rtype}
        assert want and got == want, rtype
    observed = {(u, v, d["as_of"]) for u, v, d in back.edges(data=True) if d.get("as_of")}
    assert ("iskp", "balkh", "2022-06") in observed


@pytest.mark.db
def test_a_region_does_not_carry_presence_into_every_country_it_spans(db: ConnectionSettings) -> None:
    store.load(read_facts([SEED_DIR]), db)
    q = cypher.library()["groups-active-in-place"]
    rows = store.run_query(db, q.cypher, q.bind({"place": "turkmenistan"})).rows
    assert not any(row[0] == "iskp" for row in rows)
    afghanistan = store.run_query(db, q.cypher, q.bind({"place": "afghanistan"})).rows
    assert ("iskp", "afghanistan") in {(row[0], row[2]) for row in afghanistan}


@pytest.mark.db
def test_claimed_vs_attributed_on_the_seed(db: ConnectionSettings) -> None:
    store.load(read_facts([SEED_DIR]), db)
    q = cypher.library()["claimed-vs-attributed"]
    rows = {row[0]: list(row[3:]) for row in store.run_query(db, q.cypher, q.bind({"group": "iskp"})).rows}
    assert rows["kabul-maternity-ward-attack-2020"] == [["iskp"], [], "claimed only"]
    assert rows["kabul-university-attack-2020"] == [["iskp"], [], "claimed only"]
    assert rows["kabul-airport-attack"] == [[], ["iskp"], "attributed only"]
    assert "jowzjan-offensive-2018" not in rows  # the Taliban's, not ISKP's


@pytest.mark.browser
def test_the_seed_page_year_filter_agrees_with_the_time_slices(driver: Any, tmp_path: Path) -> None:  # noqa: F811
    """In real Chromium: each year shows what projection.as_of keeps; an as_of relation is not hidden before it."""
    G = to_networkx(read_facts([SEED_DIR]))
    page = views.write_view(G, tmp_path / "seed.html")
    open_page(driver, page)
    driver.find_element("id", "gk-year-on").click()
    observed = next(
        k for u, v, k, d in G.edges(keys=True, data=True) if (u, v, d.get("as_of")) == ("iskp", "balkh", "2022-06")
    )
    for year in (2014, 2018, 2021, 2022, 2025):
        shown = driver.execute_script(
            """
            var y = document.getElementById('gk-year'); y.min = arguments[0] - 1; y.max = arguments[0] + 1;
            y.value = arguments[0]; y.dispatchEvent(new Event('input'));
            return window.graphkitView.edgeView.get().map(function (e) { return e.key; }).sort();
            """,
            year,
        )
        drawn = {
            k
            for u, v, k, d in G.edges(keys=True, data=True)
            if "Source" not in (G.nodes[u]["kind"], G.nodes[v]["kind"])
        }
        assert shown == sorted(k for *_, k in projection.as_of(G, year).edges(keys=True) if k in drawn), year
        assert observed in shown, year  # held at least in June 2022, begun whenever: never hidden

"""The ACLED importer, on a fixture in ACLED's export format (invented events: ACLED forbids
redistribution, so no real rows are shipped)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.aliases import merge_into
from graphkit.errors import DatasetError
from graphkit.facts import read_facts, validate
from graphkit.graph import SEED_DIR
from graphkit.importers import import_acled

FIXTURE = Path(__file__).parent / "fixtures" / "acled_events.csv"


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return import_acled(FIXTURE)


@pytest.fixture(scope="module")
def merged(result):  # type: ignore[no-untyped-def]
    facts, log = merge_into(read_facts([SEED_DIR]), result.facts)
    return validate(facts), log


def test_events_dates_places(result) -> None:  # type: ignore[no-untyped-def]
    attacks = {e.id: e for e in result.facts.of_kind("Attack")}
    assert set(attacks) == {"acled-pak2001", "acled-pak2002", "acled-afg1003", "acled-afg1004", "acled-afg1005"}
    assert attacks["acled-afg1003"].props["date"] == "2099-03-12"  # "12 March 2099"
    assert attacks["acled-afg1004"].props["date"] == "2099-04"  # time_precision 3: the month
    assert attacks["acled-pak2001"].props["killed"] == 3 and attacks["acled-pak2001"].props["latitude"] == 32.9889
    assert attacks["acled-afg1003"].props["target"] == "Civilians (Afghanistan)"
    places = {e.name for e in result.facts.of_kind("Place")}
    assert {"Pakistan", "Khyber Pakhtunkhwa, Pakistan", "Bannu, Khyber Pakhtunkhwa, Pakistan"} <= places


def test_actor_roles_follow_the_codebook(result) -> None:  # type: ignore[no-untyped-def]
    rels = {(r.type, r.source, r.target): r for r in result.facts.relations}
    # battles: no direction, so FOUGHT (symmetric), not CARRIED_OUT
    assert ("FOUGHT", "military-forces-of-pakistan-2018", "ttp-tehreek-i-taliban-pakistan") in rels
    assert not any(t == "CARRIED_OUT" and a == "acled-pak2001" for t, _, a in rels)
    assert rels[("CARRIED_OUT", "hqn-haqqani-network", "acled-afg1004")].confidence == "reported"
    groups = {e.name for e in result.facts.of_kind("Group")}
    assert "Civilians (Afghanistan)" not in groups and "Protesters (Afghanistan)" not in groups
    assoc = rels[("ACTIVE_IN", "hazara-ethnic-group-afghanistan", "afghanistan-kabul")]
    assert "assoc_actor_2" in (assoc.note or "")
    assert "group_type" not in result.facts.entities["hazara-ethnic-group-afghanistan"].props
    assert result.facts.entities["military-forces-of-pakistan-2018"].props["group_type"] == "armed force"


def test_combined_attribution_two_uncertain_candidates(result, merged) -> None:  # type: ignore[no-untyped-def]
    carried = {r.source: r for r in result.facts.relations if r.type == "CARRIED_OUT" and r.target == "acled-afg1003"}
    assert set(carried) == {"taliban", "islamic-state-khorasan-province-iskp"}
    assert {r.confidence for r in carried.values()} == {"uncertain"}
    facts, _ = merged
    ends = {r.source for r in facts.relations if r.type == "CARRIED_OUT" and r.target == "acled-afg1003"}
    assert ends == {"afghan-taliban", "iskp"}


def test_prefixes_and_subunits_resolve(merged) -> None:  # type: ignore[no-untyped-def]
    facts, log = merged
    into = {m.imported_id: m.existing_id for m in log.merges}
    assert into["ttp-tehreek-i-taliban-pakistan"] == "ttp" and into["ttp-tehrik-i-taliban-pakistan"] == "ttp"
    assert into["hqn-haqqani-network"] == "haqqani-network"
    # "Taliban - Red Unit": the unit is its own group, linked to its parent
    assert "taliban-red-unit" not in into
    link = next(r for r in facts.relations if r.type == "AFFILIATE_OF" and r.source == "taliban-red-unit")
    assert link.target == "afghan-taliban" and link.evidence == ["Taliban - Red Unit"]


def test_two_spellings_fold_into_one_relation(merged) -> None:  # type: ignore[no-untyped-def]
    facts, log = merged
    fought = [r for r in facts.relations if r.type == "FOUGHT" and "ttp" in (r.source, r.target)]
    (rel,) = fought
    assert rel.records == ["acled:PAK2001", "acled:PAK2002"] and len(rel.evidence) == 2
    assert log.folded == {rel.key: 2}
    assert sum("folded 2 imported relations into one" in line for line in log.lines()) == 1


def test_defects(result) -> None:  # type: ignore[no-untyped-def]
    got = {(d.problem.line, d.problem.record, d.problem.field, d.action) for d in result.report.defects}
    assert got == {(8, "AFG1006", "event_id_cnty", "rejected"), (9, "AFG1008", "event_date", "rejected")}
    assert any("'Protests'" in w for w in result.report.notes)
    assert "8 rows read, 6 loaded" in result.report.summary()


def test_not_an_acled_file(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("event_id,date\n1,2\n")
    with pytest.raises(DatasetError, match="missing column\\(s\\) event_id_cnty"):
        import_acled(path)


def test_loaded_part_keeps_the_seeds_properties(merged) -> None:  # type: ignore[no-untyped-def]
    """What --load writes for the import: its own facts plus the seed entities its relations
    reach, those with the seed's own properties (the seed owns them), not the merged names."""
    from graphkit.aliases import imported_part

    facts, log = merged
    seed = read_facts([SEED_DIR])
    part = validate(imported_part(facts, log))
    assert "ttp" in part.entities and "TTP: Tehreek-i-Taliban Pakistan" in facts.entities["ttp"].aliases
    assert part.entities["ttp"].aliases == seed.entities["ttp"].aliases
    assert part.entities["ttp"].sources == seed.entities["ttp"].sources
    reached = {e for r in part.relations for e in (r.source, r.target)}
    assert {i for i in part.entities if i in seed.entities} <= reached | {"acled"} | {
        s for e in part.entities.values() for s in e.sources
    }

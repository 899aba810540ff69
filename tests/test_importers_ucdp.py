"""The UCDP actor-list importer on a fixture in the actor list's format (invented actors).

The fixture follows the codebook's reading: ``ActorIdAlliance`` is the alliance the row's actor
joined, so the member rows (Taleban, Haqqani network) carry it and the alliance row does not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.aliases import merge_into, read_decisions
from graphkit.errors import DatasetError, ValidationError
from graphkit.facts import read_facts, validate
from graphkit.graph import SEED_DIR
from graphkit.importers import import_ucdp

FIXTURE = Path(__file__).parent / "fixtures" / "ucdp_actors.csv"


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return import_ucdp(FIXTURE)


def rels(result, rtype: str) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(r.source, r.target) for r in result.facts.relations if r.type == rtype}


def test_actors(result) -> None:  # type: ignore[no-untyped-def]
    groups = {e.id: e for e in result.facts.of_kind("Group")}
    assert len(groups) == 16
    assert groups["government-of-afghanistan"].props["group_type"] == "government"
    assert groups["ttp"].aliases == ["Tehreek-i-Taliban Pakistan"]
    assert groups["frente-invented-marti"].name == "Frente Invented Martí"  # Latin-1 file


def test_alliance_member_is_the_rows_actor(result) -> None:  # type: ignore[no-untyped-def]
    assert rels(result, "AFFILIATE_OF") == {("taleban", "invented-alliance"), ("haqqani-network", "invented-alliance")}
    rel = next(r for r in result.facts.relations if r.type == "AFFILIATE_OF" and r.source == "taleban")
    assert rel.evidence == ["ActorId=9002; Alliance=1; NameAlliance=Invented Alliance; ActorIdAlliance=9009"]


def test_lineage_relations(result) -> None:  # type: ignore[no-untyped-def]
    assert rels(result, "SPLINTER_OF") == {
        ("is-khurasan", "ttp"),
        ("is-khurasan", "taleban"),
        ("jamaat-ul-ahrar", "ttp"),
    }
    assert rels(result, "MERGED_INTO") == {("jamaat-ul-ahrar", "ttp")}
    assert ("al-qaida", "pakistan") in rels(result, "ACTIVE_IN")
    split = next(r for r in result.facts.relations if r.type == "SPLINTER_OF" and r.source == "is-khurasan")
    assert split.records == ["ucdp-actors:9005"] and split.sources == ["ucdp-actors"]
    assert split.evidence == ["ActorId=9005; Splinter=1; NamePrev=TTP, Taleban; ActorIdPrev=9003, 9002"]


def test_macedonia_fyr_is_one_place(result) -> None:  # type: ignore[no-untyped-def]
    places = {e.name for e in result.facts.of_kind("Place")}
    assert "Macedonia, FYR" in places and "FYR" not in places and "Macedonia" not in places


def test_packed_names_split_and_placeholders_dropped(result) -> None:  # type: ignore[no-untyped-def]
    groups = {e.id: e for e in result.facts.of_kind("Group")}
    # "IS" is actor 9004's name, so it is not also 9014's alias (and that is reported)
    assert groups["invented-state-successor"].aliases == ["TQJBR", "ISI", "ISIS"]
    assert groups["invented-macedonian-front"].aliases == []  # NameOrig "n/a"
    assert not any(a.casefold() == "n/a" for g in groups.values() for a in g.aliases)
    assert any("'IS' of invented-state-successor" in what for what in result.report.notes)


def test_informal_groups_are_not_militant(result) -> None:  # type: ignore[no-untyped-def]
    groups = {e.id: e for e in result.facts.of_kind("Group")}
    assert groups["supporters-of-the-invented-party"].props["group_type"] == "community"


def test_defects_and_notes(result) -> None:  # type: ignore[no-untyped-def]
    got = {(d.problem.line, d.problem.record, d.problem.field, d.action) for d in result.report.defects}
    assert got == {
        (11, "x9010", "ActorId", "rejected"),
        (12, "9011", "ActorIdPrev", "repaired"),
        (17, "ucdp:9016", "name", "repaired"),  # a duplicate name is qualified, and says so
    }
    dup = next(d for d in result.report.defects if d.problem.line == 17)
    assert "Invented Macedonian Front" in dup.problem.message and "named" in dup.problem.message
    assert (
        result.report.notes["predecessors under a previous name (ActorIdPrev without Splinter; no relation kind)"] == 1
    )


def test_strict(result) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as err:
        import_ucdp(FIXTURE, strict=True)
    assert err.value.problems[0].line == 11
    assert "--strict: the import stopped" in err.value.problems[0].message


def test_seed_actors_resolve(result) -> None:  # type: ignore[no-untyped-def]
    merged, log = merge_into(read_facts([SEED_DIR]), result.facts, distinct=result.identified)
    validate(merged)
    into = {m.imported_id: m.existing_id for m in log.merges if m.kind == "Group"}
    assert into["is-khurasan"] == "iskp"
    assert into["ttp"] == "ttp" and into["taleban"] == "afghan-taliban"
    assert into["al-qaida"] == "al-qaeda" and into["haqqani-network"] == "haqqani-network"


def test_two_actors_on_one_entity_are_ambiguous_not_merged(result) -> None:  # type: ignore[no-untyped-def]
    """Darul Islam (English name "Islamic State") and IS both match the seed's Islamic State."""
    seed = read_facts([SEED_DIR])
    merged, log = merge_into(seed, result.facts, distinct=True)
    validate(merged)
    amb = {a.imported_id: a for a in log.ambiguous}
    assert set(amb) >= {"is", "darul-islam"}
    # actor 9014 (aliases TQJBR, ISI, ISIS) lands there too
    assert amb["darul-islam"].candidates == ("islamic-state",)
    assert set(amb["darul-islam"].rivals) == {"is", "invented-state-successor"}
    assert "is" not in {m.imported_id for m in log.merges}
    assert "Negara Islam Indonesia" not in merged.entities["islamic-state"].aliases
    # a merge-decisions file settles it on the next import
    decisions = read_decisions(
        {
            "decisions": [
                {"imported": "is", "into": "islamic-state"},
                {"imported": "darul-islam", "into": "separate"},
                {"imported": "invented-state-successor", "into": "separate"},
            ]
        }
    )
    merged, log = merge_into(seed, result.facts, distinct=True, decisions=decisions)
    validate(merged)
    into = {m.imported_id: m.existing_id for m in log.merges}
    assert into["is"] == "islamic-state" and "darul-islam" not in into
    assert not {a.imported_id for a in log.ambiguous} & {"is", "darul-islam"}
    assert merged.entities["darul-islam"].name == "Darul Islam"


def test_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "actors.csv"
    path.write_text("ActorId,NameData\n1,X\n")
    with pytest.raises(DatasetError, match="missing column\\(s\\) Org, Splinter, ActorIdPrev"):
        import_ucdp(path)

"""The UCDP actor-list importer on a fixture in the actor list's format (invented actors)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.aliases import merge_into
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
    assert len(groups) == 11
    assert groups["government-of-afghanistan"].props["group_type"] == "government"
    assert groups["ttp"].aliases == ["Tehreek-i-Taliban Pakistan"]
    assert groups["frente-invented-marti"].name == "Frente Invented Martí"  # Latin-1 file


def test_lineage_relations(result) -> None:  # type: ignore[no-untyped-def]
    assert rels(result, "SPLINTER_OF") == {
        ("is-khurasan", "ttp"),
        ("is-khurasan", "taleban"),
        ("jamaat-ul-ahrar", "ttp"),
    }
    assert rels(result, "MERGED_INTO") == {("jamaat-ul-ahrar", "ttp")}
    assert rels(result, "AFFILIATE_OF") == {("taleban", "invented-alliance"), ("haqqani-network", "invented-alliance")}
    assert ("al-qaida", "pakistan") in rels(result, "ACTIVE_IN")
    split = next(r for r in result.facts.relations if r.type == "SPLINTER_OF" and r.source == "is-khurasan")
    assert split.records == ["ucdp-actors:9005"] and split.sources == ["ucdp-actors"]
    assert split.evidence == ["ActorId=9005; Splinter=1; NamePrev=TTP, Taleban; ActorIdPrev=9003, 9002"]


def test_defects_and_notes(result) -> None:  # type: ignore[no-untyped-def]
    got = {(d.problem.line, d.problem.record, d.problem.field, d.action) for d in result.report.defects}
    assert got == {(11, "x9010", "ActorId", "rejected"), (12, "9011", "ActorIdPrev", "repaired")}
    assert (
        result.report.notes["predecessors under a previous name (ActorIdPrev without Splinter; no relation kind)"] == 1
    )


def test_strict(result) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as err:
        import_ucdp(FIXTURE, strict=True)
    assert err.value.problems[0].line == 11


def test_seed_actors_resolve(result) -> None:  # type: ignore[no-untyped-def]
    merged, log = merge_into(read_facts([SEED_DIR]), result.facts)
    validate(merged)
    into = {m.imported_id: m.existing_id for m in log.merges if m.kind == "Group"}
    assert into["is-khurasan"] == "iskp"
    assert into["ttp"] == "ttp" and into["taleban"] == "afghan-taliban"
    assert into["al-qaida"] == "al-qaeda" and into["haqqani-network"] == "haqqani-network"
    assert into["is"] == "islamic-state"


def test_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "actors.csv"
    path.write_text("ActorId,NameData\n1,X\n")
    with pytest.raises(DatasetError, match="missing column\\(s\\) Org, Splinter, ActorIdPrev"):
        import_ucdp(path)

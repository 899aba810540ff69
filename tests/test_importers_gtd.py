"""The GTD importer on a fixture in GTD's own format (its 135-column header; invented rows)."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from graphkit.aliases import merge_into
from graphkit.errors import DatasetError, ValidationError
from graphkit.facts import read_facts, validate
from graphkit.graph import SEED_DIR
from graphkit.importers import import_gtd

FIXTURE = Path(__file__).parent / "fixtures" / "gtd_sample.csv"


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return import_gtd(FIXTURE)


def test_fixture_has_the_gtd_header() -> None:
    with FIXTURE.open(encoding="latin-1", newline="") as fh:
        header = next(csv.reader(fh))
    assert len(header) == 135
    assert header[:4] == ["eventid", "iyear", "imonth", "iday"] and header[-1] == "related"


def test_attacks_dates_casualties(result) -> None:  # type: ignore[no-untyped-def]
    attacks = {e.id: e for e in result.facts.of_kind("Attack")}
    assert set(attacks) == {
        "gtd-209901010001",
        "gtd-209901010002",
        "gtd-209902000003",
        "gtd-209903010004",
        "gtd-209902300005",
        "gtd-209904020007",
        "gtd-209904030008",
        "gtd-209905010009",
        "gtd-209905020010",
        "gtd-209905030011",
    }
    a1 = attacks["gtd-209901010001"].props
    assert (a1["date"], a1["killed"], a1["wounded"], a1["attack_type"]) == ("2099-01-01", 3, 7, "Bombing/Explosion")
    assert (a1["latitude"], a1["longitude"]) == (34.4, 70.4)
    assert "latitude" not in attacks["gtd-209901010002"].props  # no coordinates given
    assert attacks["gtd-209901010002"].props["date"] == "2099-01"  # iday 0
    assert attacks["gtd-209902000003"].props["date"] == "2099"  # imonth 0
    assert "killed" not in attacks["gtd-209901010002"].props  # nkill empty: not stated
    assert "killed" not in attacks["gtd-209903010004"].props  # nkill 'many': repaired by leaving it out


def test_perpetrators_confidence_and_unknown(result) -> None:  # type: ignore[no-untyped-def]
    carried = {(r.source, r.target): r for r in result.facts.relations if r.type == "CARRIED_OUT"}
    assert carried[("tehrik-i-taliban-pakistan-ttp", "gtd-209901010002")].confidence == "uncertain"
    assert carried[("haqqani-network", "gtd-209901010002")].confidence == "reported"
    assert carried[("khorasan-chapter-of-the-islamic-state", "gtd-209904020007")].confidence == "uncertain"
    names = {e.name.casefold() for e in result.facts.of_kind("Group")}
    assert "unknown" not in names
    assert not any(t == "gtd-209903010004" for _, t in carried)  # perpetrator Unknown: no relation
    # Unknown, and the two whose only perpetrators are generic labels
    assert result.report.notes["attacks without a known perpetrator group"] == 3


def test_places_hierarchy(result) -> None:  # type: ignore[no-untyped-def]
    located = {(r.source, r.target) for r in result.facts.relations if r.type == "LOCATED_IN"}
    assert ("afghanistan-nangarhar-jalalabad", "afghanistan-nangarhar") in located
    assert ("afghanistan-nangarhar", "afghanistan") in located
    occurred = {r.source: r.target for r in result.facts.relations if r.type == "OCCURRED_IN"}
    assert occurred["gtd-209902000003"] == "afghanistan-kabul"  # city Unknown: the province
    assert result.facts.entities["colombia-bogota-bogota"].name == "Bogotá, Bogotá, Colombia"  # Latin-1 read


def test_provenance(result) -> None:  # type: ignore[no-untyped-def]
    for rel in result.facts.relations:
        assert rel.sources == ["gtd"] and rel.records and rel.evidence
    by_attack = {r.source: r for r in result.facts.relations if r.type == "OCCURRED_IN"}
    assert by_attack["gtd-209901010001"].evidence == [
        "01/01/2099: Invented event. Assailants detonated a device at a market in Jalalabad."
    ]
    assert by_attack["gtd-209902000003"].evidence == ["Invented citation: a report of an attack in Kabul province."]
    cells = by_attack["gtd-209903010004"].evidence[0]
    assert "gname=Unknown" in cells and "country_txt=Afghanistan" in cells
    assert by_attack["gtd-209901010001"].records == ["gtd:209901010001"]


def test_defects_reported_with_rows(result) -> None:  # type: ignore[no-untyped-def]
    got = {(d.problem.line, d.problem.field, d.action) for d in result.report.defects}
    assert got == {
        (5, "nkill", "repaired"),
        (6, "iday", "repaired"),
        (7, "eventid", "rejected"),
        (9, "guncertain1", "repaired"),
    }
    assert result.report.rows == 11 and result.report.rows_rejected == 1
    assert "11 rows read, 10 loaded" in result.report.summary()


def test_strict_stops_at_first_defect() -> None:
    with pytest.raises(ValidationError) as err:
        import_gtd(FIXTURE, strict=True)
    assert len(err.value.problems) == 1 and err.value.problems[0].line == 5
    assert "--strict: the import stopped at this row" in str(err.value)


def test_windows_1252_quotes(result) -> None:  # type: ignore[no-untyped-def]
    """GTD CSVs are Windows-1252: bytes 0x93/0x94 are curly quotes, not C1 control characters."""
    assert b"\x93death to the police\x94" in FIXTURE.read_bytes()
    rel = next(r for r in result.facts.relations if r.source == "gtd-209905010009" and r.type == "OCCURRED_IN")
    assert "\u201cdeath to the police\u201d" in rel.evidence[0]
    assert not any("\x93" in q or "\x94" in q for r in result.facts.relations for q in r.evidence)


def test_doubted_terrorism_is_flagged(result) -> None:  # type: ignore[no-untyped-def]
    attack = result.facts.entities["gtd-209905010009"]
    assert "doubts this incident is terrorism" in (attack.note or "")
    assert "Insurgency/Guerilla Action" in (attack.note or "")
    (what,) = [w for w in result.report.notes if "doubtterr=1" in w]
    assert result.report.notes[what] == 1 and "lines 10" in what
    # -9 (unknown) is not doubt
    assert "doubts" not in (result.facts.entities["gtd-209905030011"].note or "")


def test_generic_labels_are_not_groups(result) -> None:  # type: ignore[no-untyped-def]
    names = {e.name for e in result.facts.of_kind("Group")}
    assert "Left-Wing Militants" not in names and "Student Radicals" not in names
    assert "Student Radicals" in (result.facts.entities["gtd-209905030011"].note or "")
    assert any("'Student Radicals' (a generic label" in w for w in result.report.notes)


def test_combined_attribution_gives_two_uncertain_candidates(result) -> None:  # type: ignore[no-untyped-def]
    carried = [r for r in result.facts.relations if r.type == "CARRIED_OUT" and r.target == "gtd-209905020010"]
    assert {r.source for r in carried} == {"taliban", "islamic-state-khorasan-province-iskp"}
    assert {r.confidence for r in carried} == {"uncertain"}
    assert all("combined attribution" in (r.note or "") for r in carried)
    merged, _ = merge_into(read_facts([SEED_DIR]), result.facts)
    validate(merged)
    ends = {r.source for r in merged.relations if r.type == "CARRIED_OUT" and r.target == "gtd-209905020010"}
    assert ends == {"afghan-taliban", "iskp"}  # two candidates, never one merged group


def test_xlsx_gives_the_same_facts(tmp_path: Path, result) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    with FIXTURE.open(encoding="cp1252", newline="") as fh:  # GTD CSVs are Windows-1252
        for row in csv.reader(fh):
            ws.append([int(c) if c.isdigit() else (c or None) for c in row])
    wb.save(tmp_path / "gtd.xlsx")
    again = import_gtd(tmp_path / "gtd.xlsx")
    assert again.facts.counts() == result.facts.counts()
    assert {r.key for r in again.facts.relations} == {r.key for r in result.facts.relations}


def test_seed_actors_resolve(result) -> None:  # type: ignore[no-untyped-def]
    merged, log = merge_into(read_facts([SEED_DIR]), result.facts)
    validate(merged)
    into = {m.imported_id: m.existing_id for m in log.merges}
    assert into["khorasan-chapter-of-the-islamic-state"] == "iskp"
    assert into["tehrik-i-taliban-pakistan-ttp"] == "ttp"
    assert into["taliban"] == "afghan-taliban"
    assert into["al-qaida"] == "al-qaeda"
    assert into["haqqani-network"] == "haqqani-network"
    assert "invented-front" not in into and "invented-front" in merged.entities


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        ("eventid,iyear\n1,2\n".encode("utf-16"), "UTF-16"),
        (b"eventid,iyear,imonth\n1,2099,1\n", "missing column(s) iday, country_txt"),
        (b"", "empty file"),
        (b"PK\x03\x04 broken zip", "not a readable XLSX"),
    ],
)
def test_bad_files_one_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(DatasetError, match=re.escape(message)):
        import_gtd(path)


def test_cli_writes_readable_facts(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from graphkit.cli import main

    shutil.copy(FIXTURE, tmp_path / "gtd.csv")
    out = tmp_path / "gtd.yaml"
    res = CliRunner().invoke(
        main, ["import", "gtd", str(tmp_path / "gtd.csv"), "--merge-with", str(SEED_DIR), "--out", str(out)]
    )
    assert res.exit_code == 3, res.output  # one row rejected, the rest written
    assert "rejected: " in res.output and "field 'eventid'" in res.output
    assert "merged Group 'Taliban' (taliban, line 4) into afghan-taliban" in res.output
    # the file holds only what GTD adds; with the seed it validates, and references the seed's ISKP
    text = out.read_text(encoding="utf-8")
    assert "\n  - id: iskp\n" not in text and text.startswith("# What this import adds to")
    facts = read_facts([SEED_DIR, out])
    assert "gtd-209901010001" in facts.entities
    assert ("iskp", "gtd-209901010001") in {(r.source, r.target) for r in facts.relations}
    assert (tmp_path / "gtd.merges.yaml").is_file()


def test_cli_bad_file_writes_nothing(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from graphkit.cli import main

    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    res = CliRunner().invoke(main, ["import", "gtd", str(bad), "--out", str(tmp_path / "out.yaml")])
    assert res.exit_code == 2 and "missing column(s)" in res.output
    assert not (tmp_path / "out.yaml").exists()

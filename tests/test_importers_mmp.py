"""The MMP importer on the real, dirty MMP files in ../shared/data/mmp (see their README)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graphkit.aliases import imported_part, merge_into
from graphkit.errors import DatasetError, ValidationError
from graphkit.facts import read_facts, validate
from graphkit.graph import SEED_DIR
from graphkit.importers import import_mmp, write_facts
from graphkit.importers.mmp import parse_date, repair_text

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mmp"
RELS, KEY = DATA / "relationships.csv", DATA / "group_key.csv"
pytestmark = pytest.mark.skipif(not RELS.is_file(), reason="the MMP sample is not in ../shared/data/mmp")


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return import_mmp(RELS, KEY)


@pytest.fixture(scope="module")
def rows() -> dict[str, tuple[int, list[str]]]:
    """unique_id -> (line, cells), read independently of the importer (every row is one line)."""
    with RELS.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        return {cells[0]: (n, cells) for n, cells in enumerate(reader, start=2)}


def test_every_sound_row_arrives(result, rows) -> None:  # type: ignore[no-untyped-def]
    rejected = {d.problem.record for d in result.report.defects if d.action == "rejected"}
    loaded = {rec.removeprefix("mmp:") for r in result.facts.relations for rec in r.records}
    assert loaded == set(rows) - rejected
    assert result.report.rows == len(rows) == 638
    assert result.report.rows_loaded == len(loaded)


def test_every_defect_reported_with_its_row(result, rows) -> None:  # type: ignore[no-untyped-def]
    defects = {(d.problem.line, d.problem.field, d.problem.message) for d in result.report.defects}
    fields = {(line, fld) for line, fld, _ in defects}
    for uid, (line, cells) in rows.items():
        for i, fld in ((6, "group1_name"), (7, "group2_name")):
            if cells[i] != cells[i].strip():
                assert (line, fld) in fields, f"spaces in {fld} of {uid} not reported"
        if not cells[5].strip():
            assert (line, "description") in fields
        if "&#" in cells[5] or "\\'" in cells[5] or any(0x80 <= ord(c) <= 0x9F for c in cells[5]):
            assert (line, "description") in fields
    key_defects = [d for d in result.report.defects if d.problem.file == str(KEY)]
    assert sum("shared by 5 groups" in d.problem.message for d in key_defects) == 5
    assert all(d.problem.line for d in result.report.defects)


def test_repairs_give_clean_quotes(result) -> None:  # type: ignore[no-untyped-def]
    quotes = [q for r in result.facts.relations for q in r.evidence]
    assert not any("&#039;" in q or "\\'" in q or "â€" in q or "\x92" in q for q in quotes)
    assert any("Hezbollah’s aggressive campaigns" in q for q in quotes)  # mojibake â\x80\x99 decoded
    assert any("al-Zarqawi's June death" in q for q in quotes)  # \&#039; decoded
    names = {e.name for e in result.facts.of_kind("Group")}
    assert "Kata’ib Sayyid al-Shuhada" in names and "Hizbul Islam" in names


def test_mapping_and_dates(result) -> None:  # type: ignore[no-untyped-def]
    by_record = {rec: r for r in result.facts.relations for rec in r.records}
    nucleus = next(r for r in result.facts.relations if r.type == "SPLINTER_OF" and r.source == "nucleus-of-communists")
    assert nucleus.target == "prima-linea"  # "Nucleus of Communists split from Prima Linea" (group2 from group1)
    riv = by_record["mmp:1633"]
    assert (riv.type, riv.since, riv.source, riv.target) == ("RIVAL_OF", "2010-02-18", "al-shabaab", "hizbul-islam")
    assert by_record["mmp:1475"].since == "2005" and by_record["mmp:1311"].since == "2014-02"
    mer = by_record["mmp:2003"]  # "JA announced that it would realign with the TTP": JA merged into TTP
    assert (mer.type, mer.source, mer.target) == ("MERGED_INTO", "jamaat-ul-ahrar", "tehrik-i-taliban-pakistan")
    empty = by_record["mmp:1339"]
    # its cells are its quote; a later row restating the same split adds its description
    assert empty.evidence[0] == (
        "type=spl; group1_name=The Islamic Unity Movement of Kurdistan; group2_name=The Reformist Group; date=2001-01-00"
    )
    assert empty.records[0] == "mmp:1339" and len(empty.records) == len(empty.evidence) == 2


def test_seed_actors_merge_with_their_mmp_names(result) -> None:  # type: ignore[no-untyped-def]
    merged, log = merge_into(read_facts([SEED_DIR]), result.facts)
    validate(merged)
    into = {m.imported_name: m.existing_id for m in log.merges}
    assert into["Islamic State in Khorasan Province"] == "iskp"
    assert into["Tehrik-i-Taliban Pakistan"] == "ttp"
    assert into["The Taliban"] == "afghan-taliban"
    assert into["Al Qaeda"] == "al-qaeda"
    assert into["Haqqani Network"] == "haqqani-network"
    ttp_rels = [r for r in merged.relations if "ttp" in (r.source, r.target) and "mmp" in r.sources]
    assert ttp_rels and "tehrik-i-taliban-pakistan" not in merged.entities


def test_written_facts_read_back(tmp_path: Path, result) -> None:  # type: ignore[no-untyped-def]
    out = write_facts(result.facts, tmp_path / "mmp.yaml")
    again = read_facts([out])
    assert again.counts() == result.facts.counts()
    assert {r.key: r.evidence for r in again.relations} == {r.key: r.evidence for r in result.facts.relations}


def test_strict_stops_at_first_defect() -> None:
    with pytest.raises(ValidationError) as err:
        import_mmp(RELS, strict=True)
    (problem,) = err.value.problems
    assert (problem.line, problem.field) == (2, "group2_name")


def test_wrong_encoding_and_columns(tmp_path: Path) -> None:
    latin = tmp_path / "rels.csv"
    latin.write_bytes(RELS.read_bytes().decode("utf-8").encode("cp1252", errors="replace"))
    with pytest.raises(DatasetError, match=r"wrong encoding .* not utf-8 \(byte 0x"):
        import_mmp(latin)
    cols = tmp_path / "cols.csv"
    cols.write_text("unique_id,type,group1_id\n1,all,2\n")
    with pytest.raises(DatasetError, match="missing column\\(s\\) group2_id, date, description"):
        import_mmp(cols)


def test_text_helpers() -> None:
    assert repair_text("Iraq\\&#039;s")[0] == "Iraq's"
    assert parse_date("12/31/99") == "1999-12-31" and parse_date("2015-13-00") is None


def test_merged_import_loads_into_the_store(db, result) -> None:  # type: ignore[no-untyped-def]
    from graphkit import store
    from graphkit.graph import to_networkx

    seed = read_facts([SEED_DIR])
    store.load(seed, db, scope="seed")
    merged, log = merge_into(seed, result.facts)
    validate(merged)
    store.load(imported_part(merged, log), db, scope="mmp")
    back = store.read_graph(db)
    built = to_networkx(merged)
    assert set(back.nodes) == set(built.nodes)
    assert {k for _, _, k in back.edges(keys=True)} == {k for _, _, k in built.edges(keys=True)}
    assert "Islamic State in Khorasan Province" in back.nodes["iskp"]["aliases"]

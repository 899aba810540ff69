"""Imports as an analyst runs them: merged against the seed, composed, undone, decided, loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from graphkit.cli import main
from graphkit.cli.imports import _after_merge
from graphkit.errors import Problem, ValidationError
from graphkit.facts import Facts, read_facts
from graphkit.graph import SEED_DIR
from graphkit.importers import import_acled, import_gtd, import_ucdp, import_un
from graphkit.importers.common import facts_to_data

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def files(tmp_path: Path) -> Path:
    for name in ("gtd_sample.csv", "ucdp_actors.csv", "un_consolidated.xml", "acled_events.csv"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path


def same(a: Facts, b: Facts) -> bool:
    """The same facts (as written to a file: ids, names, aliases, properties, relations)."""
    return facts_to_data(a) == facts_to_data(b)


def test_imports_compose_with_the_seed(files: Path) -> None:
    """Each import written with --merge-with holds only what it adds; they validate together."""
    seed = str(SEED_DIR)
    res = run("import", "gtd", files / "gtd_sample.csv", "--merge-with", seed, "--out", files / "gtd.yaml")
    assert res.exit_code == 3, res.output  # one row rejected
    res = run(
        "import", "acled", files / "acled_events.csv", "--merge-with", seed, "--merge-with", files / "gtd.yaml",
        "--out", files / "acled.yaml",
    )  # fmt: skip
    assert res.exit_code == 3, res.output
    res = run("import", "un", files / "un_consolidated.xml", "--merge-with", seed, "--out", files / "un.yaml")
    assert res.exit_code == 3, res.output  # one record without a name
    for combo in (["gtd.yaml"], ["un.yaml"], ["gtd.yaml", "acled.yaml"], ["gtd.yaml", "acled.yaml", "un.yaml"]):
        res = run("validate", seed, *(files / f for f in combo))
        assert res.exit_code == 0, (combo, res.output)
    seed_ids = set(read_facts([SEED_DIR]).entities)
    for name in ("gtd.yaml", "acled.yaml", "un.yaml"):
        own = yaml.safe_load((files / name).read_text(encoding="utf-8"))
        ids = {r["id"] for section, recs in own.items() if section != "relations" for r in recs}
        assert not ids & seed_ids, name  # no copy of a seed entity
    # acled's Kabul is gtd's (merged), not a second place of the same name
    both = read_facts([SEED_DIR, files / "gtd.yaml", files / "acled.yaml"])
    assert [e.id for e in both.of_kind("Place") if e.name == "Kabul, Afghanistan"] == ["afghanistan-kabul"]


def test_merge_and_undo_give_back_the_original(files: Path) -> None:
    out = files / "ucdp.yaml"
    res = run("import", "ucdp", files / "ucdp_actors.csv", "--merge-with", SEED_DIR, "--out", out)
    assert res.exit_code == 3, res.output
    res = run("import", "undo", out, "--out", files / "back.yaml")
    assert res.exit_code == 0, res.output
    assert same(read_facts([files / "back.yaml"]), import_ucdp(files / "ucdp_actors.csv").facts)
    for make, name in ((import_un, "un_consolidated.xml"), (import_acled, "acled_events.csv")):
        out = files / f"{name}.yaml"
        run("import", name.split("_")[0], files / name, "--merge-with", SEED_DIR, "--out", out)
        assert run("import", "undo", out, "--out", files / "again.yaml").exit_code == 0
        assert same(read_facts([files / "again.yaml"]), make(files / name).facts), name


def test_ambiguities_are_written_for_a_decision(files: Path) -> None:
    out = files / "ucdp.yaml"
    res = run("import", "ucdp", files / "ucdp_actors.csv", "--merge-with", SEED_DIR, "--out", out)
    assert "ambiguous Group 'Darul Islam' (darul-islam, line 18)" in res.output
    pending = files / "ucdp.decisions.yaml"
    data = yaml.safe_load(pending.read_text(encoding="utf-8"))
    assert {d["imported"] for d in data["decisions"]} >= {"is", "darul-islam"}
    for d in data["decisions"]:
        d["into"] = "islamic-state" if d["imported"] == "is" else "separate"
    pending.write_text(yaml.safe_dump(data), encoding="utf-8")
    res = run(
        "import", "ucdp", files / "ucdp_actors.csv", "--merge-with", SEED_DIR, "--decisions", pending,
        "--out", files / "decided.yaml",
    )  # fmt: skip
    assert "merged Group 'IS' (is, line 5) into islamic-state: decided" in res.output
    assert "ambiguous Group 'Darul Islam'" not in res.output
    assert not (files / "decided.decisions.yaml").exists()
    assert run("validate", SEED_DIR, files / "decided.yaml").exit_code == 0


def test_report_counts_and_strict(files: Path) -> None:
    res = run("import", "acled", files / "acled_events.csv", "--merge-with", SEED_DIR)
    assert "8 rows read, 6 loaded" in res.output and "2 rejected" in res.output
    assert "entities merged" in res.output and "ambiguous (not merged)" in res.output
    res = run("import", "gtd", files / "gtd_sample.csv", "--strict", "--out", files / "x.yaml")
    assert res.exit_code == 2 and "--strict: the import stopped at this row" in res.output
    assert not (files / "x.yaml").exists()


def test_problems_after_a_merge_say_so() -> None:
    exc = _after_merge(ValidationError([Problem("f.yaml", "r", "to", "bad end", 3)]), (Path("seed"),))
    assert "after merging with seed: bad end" in str(exc)


def test_loaded_import_claims_only_what_its_relations_reach(db, files: Path) -> None:  # type: ignore[no-untyped-def]
    """The seed, then a merged UN import: the import claims no seed entity it does not reach,
    and does not overwrite the seed's properties of those it does."""
    from graphkit import store
    from graphkit.aliases import imported_part, merge_into

    seed = read_facts([SEED_DIR])
    store.load(seed, db, scope="seed")
    gtd = import_gtd(files / "gtd_sample.csv")
    merged, log = merge_into(seed, gtd.facts)
    part = imported_part(merged, log)
    store.load(part, db, scope="gtd")
    rows = store.run_query(db, "MATCH (n) WHERE 'gtd' IN n._scopes RETURN n.id AS id").rows
    claimed = {r[0] for r in rows}
    assert "iskp" in claimed and "gtd-209901010001" in claimed
    unreached = set(seed.entities) - set(log.referenced) - {s for e in part.entities.values() for s in e.sources}
    assert unreached and not claimed & unreached
    # an entity deleted from the seed is gone after the seed's reload (no import claims it)
    gone = sorted(e.id for e in seed.of_kind("Person") if e.id in unreached)[0]
    smaller = Facts(
        {i: e for i, e in seed.entities.items() if i != gone},
        [r for r in seed.relations if gone not in (r.source, r.target)],
    )
    store.load(smaller, db, scope="seed")
    ids = {r[0] for r in store.run_query(db, "MATCH (n) RETURN n.id AS id").rows}
    assert gone not in ids and "gtd-209901010001" in ids
    # the seed owns ISKP's properties: the import's spellings are not written over them
    aliases, weak = store.run_query(db, "MATCH (n {id: 'iskp'}) RETURN n.aliases AS a, n.weak_aliases AS w").rows[0]
    assert sorted(aliases) == sorted(seed.entities["iskp"].aliases)
    assert weak == ["Islamic State of Uzbekistan"]  # weak names are loaded like aliases

"""Alias resolution: normalisation, one alias table, reported ambiguity, and reversible merges."""

from __future__ import annotations

import copy

import pytest

from graphkit.aliases import AliasTable, merge_into, name_keys, normalise, undo
from graphkit.facts import Entity, Facts, Relation, read_facts, validate
from graphkit.graph import SEED_DIR


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Al-Qaida", "al Qaeda"),
        ("El-Qaeda", "Al Qaeda"),
        ("Tehreek-e-Taliban Pakistan", "Tehrik-i-Taliban Pakistan"),
        ("Islamic State Khurasan Province", "Islamic State in Khorasan Province"),
        ("The Taliban", "TALIBAN"),
        ("Ḥarakat al-Shabāb al-Mujāhidīn", "Harakat al-Shabab al-Mujahideen"),
        ("Asa'ib Ahl al-Haq", "Asaib Ahl al Haq"),
        ("Lashkar-e-Taiba", "Lashkar-i-Taiba"),
    ],
)
def test_normalise_unifies_spellings(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


@pytest.mark.parametrize(
    ("a", "b"), [("Islamic State", "Islamic State Khorasan Province"), ("Al Qaeda", "Al Qaeda in Yemen")]
)
def test_normalise_keeps_different_names_apart(a: str, b: str) -> None:
    assert normalise(a) != normalise(b)


def test_parenthesised_abbreviation() -> None:
    assert ("ttp", "abbreviation") in name_keys("Tehrik-i-Taliban Pakistan (TTP)")
    # "(Libya)" is not an abbreviation; word order does not matter in keys
    assert name_keys("Ansar al-Shariah (Libya)") == [("al ansar libya sharia", "normalised")]


def _facts(*groups: tuple[str, str, list[str]]) -> Facts:
    src = Entity("s1", "Source", "A source")
    ents = {"s1": src} | {i: Entity(i, "Group", n, list(a), ["s1"]) for i, n, a in groups}
    return Facts(ents, [])


def test_ambiguous_match_is_reported_not_merged() -> None:
    existing = _facts(("nusra-1", "Al-Nusra Front", []), ("nusra-2", "Jabhat Fatah al-Sham", ["Al Nusra Front"]))
    imp = Facts({"d": Entity("d", "Source", "Dataset"), "x": Entity("x", "Group", "El-Nusra Front", [], ["d"])}, [])
    merged, log = merge_into(existing, imp)
    assert not log.merges
    (amb,) = log.ambiguous
    assert (amb.candidates, amb.how) == (("nusra-1", "nusra-2"), "normalised")
    assert "x" in merged.entities and "ambiguous" in log.lines()[0]


def test_merge_is_recorded_and_reversible() -> None:
    existing = _facts(("ttp", "Tehreek-e-Taliban Pakistan", ["TTP"]), ("iskp", "Islamic State Khorasan Province", []))
    existing.relations.append(Relation("SPLINTER_OF", "iskp", "ttp", ["s1"], ["ISKP emerged from TTP"], since="2015"))
    d = Entity("d", "Source", "Dataset")
    imported = Facts(
        {
            "d": d,
            "tehrik-i-taliban-pakistan": Entity(
                "tehrik-i-taliban-pakistan", "Group", "Tehrik-i-Taliban Pakistan", [], ["d"]
            ),
            "is-k": Entity("is-k", "Group", "IS Khurasan", ["Islamic State - Khurasan Province"], ["d"]),
            "ttp": Entity("ttp", "Group", "Tehrik-e-Jafaria", [], ["d"]),  # same id, another group
        },
        [
            Relation(
                "SPLINTER_OF", "is-k", "tehrik-i-taliban-pakistan", ["d"], ["row 1"], since="2015", records=["d:1"]
            ),
            Relation("ALLIED_WITH", "ttp", "is-k", ["d"], ["row 2"], records=["d:2"]),
        ],
    )
    before = (copy.deepcopy(existing), copy.deepcopy(imported))
    merged, log = merge_into(existing, imported)
    assert (existing, imported) == before  # inputs untouched
    validate(merged)
    moves = {(m.imported_id, m.existing_id, m.how) for m in log.merges}
    assert moves == {("tehrik-i-taliban-pakistan", "ttp", "normalised"), ("is-k", "iskp", "normalised")}
    assert merged.entities["ttp"].aliases == ["TTP", "Tehrik-i-Taliban Pakistan"]
    assert merged.entities["ttp"].sources == ["s1", "d"]
    assert log.renamed == {"ttp": "ttp-2"} and merged.entities["ttp-2"].name == "Tehrik-e-Jafaria"
    # the same fact from two sources stays two relations, each with its provenance
    splits = [r for r in merged.relations if r.type == "SPLINTER_OF"]
    assert {(r.source, r.target, tuple(r.sources)) for r in splits} == {
        ("iskp", "ttp", ("s1",)),
        ("iskp", "ttp", ("d",)),
    }
    assert len({r.key for r in merged.relations}) == len(merged.relations)
    allied = next(r for r in merged.relations if r.type == "ALLIED_WITH")
    assert (allied.source, allied.target) == ("iskp", "ttp-2")
    assert log.to_data()["merges"][0]["imported_name"] in {"Tehrik-i-Taliban Pakistan", "IS Khurasan"}
    assert undo(merged, log) == before


def test_table_only_merges_same_kind() -> None:
    facts = _facts(("georgia-group", "Georgia", []))
    table = AliasTable(facts)
    assert table.lookup("Place", ["Georgia"]).ids == ()
    assert table.lookup("Group", ["GEORGIA"]).ids == ("georgia-group",)


@pytest.mark.parametrize(
    ("name", "seed_id"),
    [
        ("Khorasan Chapter of the Islamic State", "iskp"),
        ("Islamic State – Khurasan Province", "iskp"),
        ("Tehreek-i-Taliban Pakistan", "ttp"),
        ("Tehrik-i-Taliban Pakistan (TTP)", "ttp"),
        ("TALIBAN", "afghan-taliban"),
        ("al-Qaida", "al-qaeda"),
        ("Al-Qaeda", "al-qaeda"),
        ("Haqqani network", "haqqani-network"),
    ],
)
def test_seed_actors_resolve_by_their_own_aliases(name: str, seed_id: str) -> None:
    match = AliasTable(read_facts([SEED_DIR])).lookup("Group", [name])
    assert match.ids == (seed_id,)


# --------------------------------------------------------------------------------------------
# Weak names (weak_aliases): stored, validated, exported and shown like aliases, never matched
# --------------------------------------------------------------------------------------------


def test_seed_weak_name_is_not_an_alias() -> None:
    seed = read_facts([SEED_DIR])
    iskp = seed.entities["iskp"]
    assert "Islamic State of Uzbekistan" in iskp.weak_aliases
    assert "Islamic State of Uzbekistan" not in iskp.aliases
    assert AliasTable(seed).lookup("Group", ["Islamic State of Uzbekistan"]).ids == ()


def test_an_import_named_by_a_weak_name_does_not_merge() -> None:
    seed = read_facts([SEED_DIR])
    d = Entity("d", "Source", "Dataset")
    imp = Facts({"d": d, "isu": Entity("isu", "Group", "Islamic State of Uzbekistan", [], ["d"])}, [])
    merged, log = merge_into(seed, imp)
    validate(merged)
    assert not log.merges and "isu" in merged.entities


def test_weak_names_round_trip_files_and_exports(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from graphkit.export import export_graph, read_export
    from graphkit.graph import to_networkx
    from graphkit.importers import write_facts

    seed = read_facts([SEED_DIR])
    again = read_facts([write_facts(seed, tmp_path / "all.yaml")])
    assert again.entities["iskp"].weak_aliases == seed.entities["iskp"].weak_aliases
    (path,) = export_graph(to_networkx(seed), "graphml", tmp_path / "g.graphml")
    assert read_export(path).nodes["iskp"]["weak_aliases"] == ["Islamic State of Uzbekistan"]


def test_weak_name_that_is_also_a_name_is_a_problem(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from graphkit.errors import ValidationError

    path = tmp_path / "f.yaml"
    path.write_text(
        "sources:\n  - id: s1\n    name: S\ngroups:\n  - id: g\n    name: Gee\n    aliases: [G1]\n"
        "    weak_aliases: [g1, '']\n    sources: [s1]\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as err:
        read_facts([path])
    assert {p.field for p in err.value.problems} == {"weak_aliases"}


def test_view_shows_weak_names() -> None:
    from graphkit.graph import to_networkx
    from graphkit.views import _node_tip

    tip = _node_tip(to_networkx(read_facts([SEED_DIR])), "iskp", {})
    assert ["weak names (not matched)", "Islamic State of Uzbekistan"] in tip["rows"]


def test_no_two_seed_entities_share_a_key() -> None:
    """Normalisation never makes two seed entities one (e.g. the city Kunduz and Kunduz Province)."""
    from collections import defaultdict

    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ent in read_facts([SEED_DIR]).entities.values():
        if ent.kind in ("Group", "Person", "Place"):
            for name in [ent.name, *ent.aliases]:
                for key, _ in name_keys(name):
                    owners[(ent.kind, key)].add(ent.id)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}
    assert normalise("Kunduz") != normalise("Kunduz Province")

"""Alias resolution across sources: one alias table, name normalisation, and reversible merges.

Every dataset spells the same actor its own way ("Al-Qaida", "Al Qaeda", "al-Qaeda";
"Tehrik-i-Taliban Pakistan (TTP)", "Tehreek-e-Taliban Pakistan"). :func:`merge_into` resolves the
entities of an import against existing facts (for example the seed) by their names and aliases:

1. **exact**: a name equals an existing name or alias (case and spacing aside);
2. **normalised**: equal after :func:`normalise` (diacritics, punctuation, articles,
   transliteration variants);
3. **abbreviation**: a parenthesised abbreviation ("... (TTP)") equals an existing name or alias.

The first level with any candidate decides: one candidate merges, several are reported as
ambiguous and nothing is merged. Only entities of the same kind (Group, Person, Place) merge.
A merge is not destructive: the imported entity's names become aliases of the existing one, its
sources are added, and its relations point at the existing id; the :class:`MergeLog` records
each step so that :func:`undo` gives back both inputs exactly.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from graphkit import model
from graphkit.facts import Entity, Facts, Relation, alias_key

How = Literal["exact", "normalised", "abbreviation"]
#: Node kinds whose entities can merge across sources.
MERGEABLE = ("Group", "Person", "Place")

#: Transliteration variants, each spelling mapped to one canonical token.
VARIANTS: dict[str, str] = {
    "el": "al",
    "ul": "al",
    "e": "i",
    "tehreek": "tehrik",
    "tahrik": "tehrik",
    "tahreek": "tehrik",
    "khurasan": "khorasan",
    "khorassan": "khorasan",
    "qaida": "qaeda",
    "qaidah": "qaeda",
    "qaedah": "qaeda",
    "taleban": "taliban",
    "mujahideen": "mujahidin",
    "mujahedeen": "mujahidin",
    "mujahedin": "mujahidin",
    "jamaah": "jamaat",
    "jamat": "jamaat",
    "jamaa": "jamaat",
    "shariah": "sharia",
    "lashkar": "lashkar",
    "laskar": "lashkar",
}
#: Words that do not distinguish names ("Islamic State in Khorasan Province" = "Islamic State Khorasan Province").
STOPWORDS = frozenset({"the", "of", "in", "and"})
_ABBREVIATION = re.compile(r"^[A-Za-z0-9-]{2,10}$")


def normalise(name: str) -> str:
    """The form in which two spellings of a name count as the same.

    Case-folded, diacritics removed, apostrophes dropped, other punctuation as spaces, ``&`` as
    "and", transliteration variants (:data:`VARIANTS`) unified, articles (:data:`STOPWORDS`) dropped.

    Examples
    --------
    >>> normalise("Al-Qaida") == normalise("al Qaeda")
    True
    >>> normalise("Tehreek-e-Taliban Pakistan") == normalise("Tehrik-i-Taliban Pakistan")
    True
    >>> normalise("Islamic State in Khorasan Province") == normalise("Islamic State – Khurasan Province")
    True
    >>> normalise("Ḥarakat al-Shabāb al-Mujāhidīn")
    'harakat al shabab al mujahidin'
    """
    t = unicodedata.normalize("NFKD", name)
    t = "".join(c for c in t if not unicodedata.combining(c)).casefold()
    t = re.sub(r"['’‘`´ʼʻ]", "", t).replace("&", " and ")
    tokens = re.findall(r"[^\W_]+", t)
    tokens = [VARIANTS.get(tok, tok) for tok in tokens]
    return " ".join(tok for tok in tokens if tok not in STOPWORDS)


def name_keys(name: str) -> list[tuple[str, How]]:
    """The normalised keys under which ``name`` is found, each with how it matches.

    A parenthesised abbreviation gives the name without it and the abbreviation itself.

    Examples
    --------
    >>> name_keys("Tehrik-i-Taliban Pakistan (TTP)")
    [('tehrik i taliban pakistan ttp', 'normalised'), ('tehrik i taliban pakistan', 'normalised'), ('ttp', 'abbreviation')]
    """
    keys: list[tuple[str, How]] = [(normalise(name), "normalised")]
    for abbr in re.findall(r"\(([^()]*)\)", name):
        if _ABBREVIATION.match(abbr.strip()) and sum(c.isupper() for c in abbr) >= 2:
            keys.append((normalise(re.sub(r"\s*\([^()]*\)", " ", name)), "normalised"))
            keys.append((normalise(abbr), "abbreviation"))
    return [(k, h) for k, h in dict(keys).items() if k]


@dataclass(frozen=True)
class Match:
    """The result of looking a name up: the candidate ids and how they matched."""

    ids: tuple[str, ...]
    how: How | None = None
    imported_as: str = ""
    matched: tuple[str, ...] = ()


class AliasTable:
    """One table of every name and alias of the entities of some facts, by kind and by key."""

    def __init__(self, facts: Facts | None = None) -> None:
        self._exact: dict[tuple[str, str], dict[str, str]] = {}
        self._norm: dict[tuple[str, str], dict[str, str]] = {}
        self._abbr: dict[tuple[str, str], dict[str, str]] = {}
        if facts is not None:
            for ent in facts.entities.values():
                self.add(ent)

    def add(self, ent: Entity) -> None:
        """Index every name of ``ent``."""
        if ent.kind not in MERGEABLE:
            return
        for name in [ent.name, *ent.aliases]:
            self._exact.setdefault((ent.kind, alias_key(name)), {}).setdefault(ent.id, name)
            for key, how in name_keys(name):
                index = self._norm if how == "normalised" else self._abbr
                index.setdefault((ent.kind, key), {}).setdefault(ent.id, name)
                if how == "abbreviation":
                    self._norm.setdefault((ent.kind, key), {}).setdefault(ent.id, name)

    def lookup(self, kind: str, names: Iterable[str]) -> Match:
        """The existing entities of ``kind`` that one of ``names`` denotes (see the module docs)."""
        names = list(names)
        levels: list[tuple[How, list[tuple[str, dict[str, str]]]]] = [
            ("exact", [(n, self._exact.get((kind, alias_key(n)), {})) for n in names]),
            (
                "normalised",
                [(n, self._norm.get((kind, k), {})) for n in names for k, h in name_keys(n) if h == "normalised"],
            ),
            (
                "abbreviation",
                [
                    (n, {**self._norm.get((kind, k), {}), **self._abbr.get((kind, k), {})})
                    for n in names
                    for k, h in name_keys(n)
                    if h == "abbreviation"
                ],
            ),
        ]
        for how, hits in levels:
            found: dict[str, str] = {}
            imported_as = ""
            for n, ids in hits:
                for ident, matched in ids.items():
                    if ident not in found:
                        found[ident] = matched
                        imported_as = imported_as or n
            if found:
                return Match(tuple(sorted(found)), how, imported_as, tuple(found[i] for i in sorted(found)))
        return Match(())


@dataclass
class Merge:
    """One imported entity merged into an existing one, with what was added to it."""

    kind: str
    imported_id: str
    imported_name: str
    existing_id: str
    how: How
    imported_as: str
    matched: str
    added_aliases: list[str] = field(default_factory=list)
    added_sources: list[str] = field(default_factory=list)
    original: Entity | None = field(default=None, repr=False)

    def __str__(self) -> str:
        return (
            f"merged {self.kind} {self.imported_name!r} ({self.imported_id}) into {self.existing_id}: "
            f"{self.how} match of {self.imported_as!r} with {self.matched!r}"
        )


@dataclass
class Ambiguity:
    """An imported entity whose names match several existing ones; it was not merged."""

    kind: str
    imported_id: str
    imported_name: str
    how: How
    candidates: tuple[str, ...]

    def __str__(self) -> str:
        return (
            f"ambiguous {self.kind} {self.imported_name!r} ({self.imported_id}): {self.how} match with "
            f"{', '.join(self.candidates)}; not merged"
        )


@dataclass
class MergeLog:
    """Everything :func:`merge_into` did, enough for :func:`undo` to give back both inputs."""

    merges: list[Merge] = field(default_factory=list)
    ambiguous: list[Ambiguity] = field(default_factory=list)
    #: imported id -> id it was given because the existing facts use it for another entity
    renamed: dict[str, str] = field(default_factory=dict)
    #: imported entities added as they were (final id), and imported sources already present
    added: list[str] = field(default_factory=list)
    shared_sources: list[Entity] = field(default_factory=list)
    #: final relation key -> (original from, original to, original explicit id)
    relations: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """Every merge, ambiguity and renaming as printable lines."""
        out = [str(m) for m in self.merges] + [str(a) for a in self.ambiguous]
        out += [
            f"renamed imported id {old} -> {new} (the existing facts use {old})" for old, new in self.renamed.items()
        ]
        return out

    def to_data(self) -> dict[str, Any]:
        """The log as plain data (for a YAML file next to the merged facts)."""
        return {
            "merges": [
                {
                    "kind": m.kind,
                    "imported_id": m.imported_id,
                    "imported_name": m.imported_name,
                    "existing_id": m.existing_id,
                    "how": m.how,
                    "imported_as": m.imported_as,
                    "matched": m.matched,
                    "added_aliases": m.added_aliases,
                    "added_sources": m.added_sources,
                }
                for m in self.merges
            ],
            "ambiguous": [
                {
                    "kind": a.kind,
                    "imported_id": a.imported_id,
                    "imported_name": a.imported_name,
                    "candidates": list(a.candidates),
                }
                for a in self.ambiguous
            ],
            "renamed": dict(self.renamed),
        }


def merge_into(existing: Facts, imported: Facts) -> tuple[Facts, MergeLog]:
    """Merge ``imported`` into ``existing``, resolving entities by name; neither input is changed.

    Returns
    -------
    (Facts, MergeLog)
        The merged facts (validate them before use) and the log of every merge, ambiguity and
        renaming.

    Examples
    --------
    >>> src = Entity("a1", "Source", "Article")
    >>> seed = Facts({"a1": src, "al-qaeda": Entity("al-qaeda", "Group", "Al-Qaeda", ["AQ"], ["a1"])})
    >>> mmp = Entity("mmp", "Source", "MMP")
    >>> imp = Facts({"mmp": mmp, "al-qaida": Entity("al-qaida", "Group", "Al-Qaida", [], ["mmp"])})
    >>> merged, log = merge_into(seed, imp)
    >>> merged.entities["al-qaeda"].aliases, "al-qaida" in merged.entities
    (['AQ', 'Al-Qaida'], False)
    >>> print(log.merges[0])
    merged Group 'Al-Qaida' (al-qaida) into al-qaeda: normalised match of 'Al-Qaida' with 'Al-Qaeda'
    """
    table = AliasTable(existing)
    log = MergeLog()
    entities = dict(existing.entities)
    owners = {
        alias_key(n): e.id for e in existing.entities.values() if e.kind != "Source" for n in [e.name, *e.aliases]
    }
    ids: dict[str, str] = {}
    for ent in imported.entities.values():
        if ent.kind == "Source":
            if ent.id in existing.entities and existing.entities[ent.id].kind == "Source":
                log.shared_sources.append(ent)
                ids[ent.id] = ent.id
                continue
        elif ent.kind in MERGEABLE:
            match = table.lookup(ent.kind, [ent.name, *ent.aliases])
            if len(match.ids) == 1 and match.how is not None:
                target_id = match.ids[0]
                target = entities[target_id] = copy.deepcopy(entities[target_id])
                merge = Merge(ent.kind, ent.id, ent.name, target_id, match.how, match.imported_as, match.matched[0])
                merge.original = ent
                for name in [ent.name, *ent.aliases]:
                    key = alias_key(name)
                    if owners.get(key, target_id) == target_id and key not in {
                        alias_key(n) for n in [target.name, *target.aliases]
                    }:
                        target.aliases.append(name)
                        merge.added_aliases.append(name)
                        owners[key] = target_id
                for s in ent.sources:
                    if s not in target.sources:
                        target.sources.append(s)
                        merge.added_sources.append(s)
                log.merges.append(merge)
                ids[ent.id] = target_id
                continue
            if match.how is not None and len(match.ids) > 1:
                log.ambiguous.append(Ambiguity(ent.kind, ent.id, ent.name, match.how, match.ids))
        new_id = ent.id
        n = 1
        while new_id in entities:
            n += 1
            new_id = f"{ent.id}-{n}"
        if new_id != ent.id:
            log.renamed[ent.id] = new_id
        added = copy.deepcopy(ent)
        added.id = new_id
        entities[new_id] = added
        if ent.kind != "Source":
            for name in [ent.name, *ent.aliases]:
                owners.setdefault(alias_key(name), new_id)
        log.added.append(new_id)
        ids[ent.id] = new_id
    relations = list(existing.relations)
    keys = {r.key for r in relations}
    for rel in imported.relations:
        new = copy.deepcopy(rel)
        new.source, new.target = ids.get(rel.source, rel.source), ids.get(rel.target, rel.target)
        if rel.type in model.RELATION_KIND:
            new.source, new.target = model.RELATION_KIND[rel.type].canonical(new.source, new.target)
        if new.key in keys:
            # the same fact from another source: keep both, each with its own provenance
            new.id = f"{new.key}:{'+'.join(new.sources)}"
        keys.add(new.key)
        log.relations[new.key] = (rel.source, rel.target, rel.id)
        relations.append(new)
    return Facts(entities, relations), log


def imported_part(merged: Facts, log: MergeLog) -> Facts:
    """The merged facts with only the imported relations: what to load as the import's own scope.

    Every entity stays (the imported relations reach existing ones, and those cite their own
    sources), so the result validates on its own; the existing relations are left to their own
    load, so no relation is stored twice.
    """
    return Facts(dict(merged.entities), [r for r in merged.relations if r.key in log.relations])


def undo(merged: Facts, log: MergeLog) -> tuple[Facts, Facts]:
    """Reverse :func:`merge_into`: give back the existing and the imported facts as they were.

    Examples
    --------
    >>> src = Entity("a1", "Source", "Article")
    >>> seed = Facts({"a1": src, "g": Entity("g", "Group", "Haqqani network", [], ["a1"])})
    >>> imp = Facts({"a1": src, "h": Entity("h", "Group", "Haqqani Network", [], ["a1"])})
    >>> merged, log = merge_into(seed, imp)
    >>> before, again = undo(merged, log)
    >>> before.entities["g"].aliases, sorted(again.entities)
    ([], ['a1', 'h'])
    """
    existing_entities: dict[str, Entity] = {}
    imported_entities: dict[str, Entity] = {}
    by_target: dict[str, list[Merge]] = {}
    for m in log.merges:
        by_target.setdefault(m.existing_id, []).append(m)
        if m.original is not None:
            imported_entities[m.original.id] = copy.deepcopy(m.original)
    back = {new: old for old, new in log.renamed.items()}
    added = set(log.added)
    for ident, ent in merged.entities.items():
        if ident in added:
            restored = copy.deepcopy(ent)
            restored.id = back.get(ident, ident)
            imported_entities[restored.id] = restored
            continue
        if ident in by_target:
            ent = copy.deepcopy(ent)
            for m in by_target[ident]:
                ent.aliases = [a for a in ent.aliases if a not in m.added_aliases]
                ent.sources = [s for s in ent.sources if s not in m.added_sources]
        existing_entities[ident] = ent
    for src in log.shared_sources:
        imported_entities[src.id] = copy.deepcopy(src)
    existing_relations: list[Relation] = []
    imported_relations: list[Relation] = []
    for rel in merged.relations:
        original = log.relations.get(rel.key)
        if original is None:
            existing_relations.append(rel)
            continue
        old = copy.deepcopy(rel)
        old.source, old.target, old.id = original
        imported_relations.append(old)
    return Facts(existing_entities, existing_relations), Facts(imported_entities, imported_relations)

"""Alias resolution across sources: one alias table, name normalisation, and reversible merges.

Every dataset spells the same actor its own way ("Al-Qaida", "Al Qaeda", "al-Qa'ida";
"Tehrik-i-Taliban Pakistan (TTP)", "TTP: Tehreek-e-Taliban Pakistan"; "ISIS-K", "ISISK",
"Islamic State's Khorasan Province"). :func:`merge_into` resolves the entities of an import
against existing facts (for example the seed) by their names and aliases, never by their weak
names (``weak_aliases``: labels, insults, low-quality aliases):

1. **exact**: a name equals an existing name or alias (case and spacing aside);
2. **normalised**: equal after :func:`normalise` (diacritics, possessives, dashes, punctuation,
   articles and connectors, transliteration families), in any word order;
3. **abbreviation**: a parenthesised abbreviation ("... (TTP)") or an ``ABBR: Name`` prefix
   equals an existing name or alias.

The first level with any candidate decides: one candidate merges, several are reported as
ambiguous and nothing is merged. Only entities of the same kind (Group, Person, Place) merge. When
the imported entities are distinct records of their dataset (UCDP actors, UN listings), two of
them landing on one existing entity is a collision: both are reported as ambiguous and neither
merges. A merge-decisions file settles ambiguities on the next import. Free-text labels (GTD,
ACLED, edge lists) instead fold: several spellings of one entity merge into it, and the relations
they state become one relation with all their records and quotes (reported once). A combined
attribution ("X and/or Y") never matches; a ``Group - Unit`` sub-unit whose group exists is linked
to it (``AFFILIATE_OF``, quoting the name).

A merge is not destructive: the imported entity's names become aliases of the existing one, its
sources are added, and its relations point at the existing id; the :class:`MergeLog` records each
step and the import as it was, so that :func:`undo` gives back both inputs exactly.
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

How = Literal["exact", "normalised", "abbreviation", "decided"]
#: Node kinds whose entities can merge across sources.
MERGEABLE = ("Group", "Person", "Place")

#: Transliteration variants, each spelling mapped to one canonical token.
VARIANTS: dict[str, str] = {
    "el": "al",
    "ul": "al",
    "tehreek": "tehrik",
    "tahrik": "tehrik",
    "tahreek": "tehrik",
    "tehrike": "tehrik",
    "khurasan": "khorasan",
    "khorassan": "khorasan",
    "khurassan": "khorasan",
    "qaida": "qaeda",
    "qaidah": "qaeda",
    "qaedah": "qaeda",
    "qeada": "qaeda",
    "taleban": "taliban",
    "mujahideen": "mujahidin",
    "mujahedeen": "mujahidin",
    "mujahedin": "mujahidin",
    "jamaah": "jamaat",
    "jamat": "jamaat",
    "jamaa": "jamaat",
    "shariah": "sharia",
    "laskar": "lashkar",
    # the Islamic State family: IS, ISIS, ISIL, Daesh (and "Islamic State", see _PHRASES)
    "isis": "is",
    "isil": "is",
    "daesh": "is",
    "daish": "is",
    "dawla": "is",
}
#: Phrases rewritten before tokens are looked up: the long forms of the Islamic State's name.
_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bislamic state (?:of|in) (?:the )?iraq and (?:the )?(?:levant|syria|sham|al sham)\b"), "is"),
    (re.compile(r"\bislamic state\b"), "is"),
    # IS-K, ISIS-K, ISIL-KP, ISKP, ISISK: "K" after the Islamic State's initials is Khorasan
    (re.compile(r"\b(?:is|isis|isil) ?kp?\b"), "is khorasan"),
    # "Tehrik-e-Taliban" alone is the Pakistani movement's name (the Afghan Taliban never used it)
    (re.compile(r"^tehrik (?:[ei] )?taliban$"), "tehrik taliban pakistan"),
)
#: Words that do not distinguish names: articles and connectors (Tehrik-e-/-i-).
STOPWORDS = frozenset({"the", "of", "in", "and", "i", "e"})
#: The Islamic State's word for a province; with "IS" in a name, "province" too is dropped
#: ("Islamic State Khorasan Province" = "ISIS Wilayat Khorasan"), but only there, so that the
#: places "Kunduz" and "Kunduz Province" stay apart.
_WILAYAT = frozenset({"wilayat", "wilayah", "wilaya"})
_ABBREVIATION = re.compile(r"^[A-Za-z0-9-]{2,10}$")
#: ``ABBR: Name`` as ACLED writes actors ("TTP: Tehreek-i-Taliban Pakistan").
_PREFIX = re.compile(r"^\s*([A-Z][A-Za-z0-9-]{1,9})\s*:\s+(\S.*)$")
#: A combined attribution ("Taliban and/or Islamic State"): never one entity.
COMBINED = re.compile(r"\s+and\s*/\s*or\s+", re.IGNORECASE)
#: ``Group - Unit`` (a spaced dash of any kind between a group and its sub-unit).
_SUBUNIT = re.compile(r"^(.+?)\s+[-\u2010-\u2015]\s+(.+)$")


def normalise(name: str) -> str:
    """The form in which two spellings of a name count as the same.

    Case-folded, diacritics removed, possessives ("State's") and apostrophes dropped, dashes,
    other punctuation, inner whitespace and line breaks as one space, ``&`` as "and",
    transliteration variants (:data:`VARIANTS`, the Islamic State's long names) unified, and
    articles, connectors and "province" words (:data:`STOPWORDS`) dropped.

    Examples
    --------
    >>> normalise("Al-Qaida") == normalise("al Qaeda") == normalise("Al-Qa'ida")
    True
    >>> normalise("Tehreek-e-Taliban Pakistan") == normalise("Tehrik-i-Taliban Pakistan")
    True
    >>> normalise("ISLAMIC STATE'S KHORASAN PROVINCE") == normalise("ISISK") == normalise("IS-Khorasan")
    True
    >>> normalise("Ḥarakat al-Shabāb al-Mujāhidīn")
    'harakat al shabab al mujahidin'
    """
    t = unicodedata.normalize("NFKD", name)
    t = "".join(c for c in t if not unicodedata.combining(c)).casefold()
    t = re.sub(r"['’‘`´ʼʻ]s\b", "", t)
    t = re.sub(r"['’‘`´ʼʻ]", "", t).replace("&", " and ")
    tokens = [VARIANTS.get(tok, tok) for tok in re.findall(r"[^\W_]+", t)]
    t = " ".join(tokens)
    for pattern, repl in _PHRASES:
        t = pattern.sub(repl, t)
    words = [tok for tok in t.split() if tok not in STOPWORDS and tok not in _WILAYAT]
    if "is" in words:
        words = [tok for tok in words if tok != "province"]
    return " ".join(words)


def _order_free(key: str) -> str:
    """A normalised key with its words sorted ("is khorasan" = "khorasan is")."""
    return " ".join(sorted(key.split()))


def split_prefix(name: str) -> tuple[str, str] | None:
    """``("TTP", "Tehreek-i-Taliban Pakistan")`` for ``"TTP: Tehreek-i-Taliban Pakistan"``, else None."""
    m = _PREFIX.match(name)
    return (m.group(1), m.group(2).strip()) if m else None


def split_subunit(name: str) -> tuple[str, str] | None:
    """``("Taliban", "Red Unit")`` for ``"Taliban - Red Unit"`` (a spaced dash), else None."""
    m = _SUBUNIT.match(" ".join(name.split()))
    return (m.group(1).strip(), m.group(2).strip()) if m else None


def name_keys(name: str) -> list[tuple[str, How]]:
    """The normalised keys under which ``name`` is found, each with how it matches.

    A parenthesised abbreviation, or an ``ABBR: Name`` prefix, gives the name without it and the
    abbreviation itself. Word order does not matter. A combined attribution ("X and/or Y") has no
    key: it names two candidates, never one entity.

    Examples
    --------
    >>> name_keys("Tehrik-i-Taliban Pakistan (TTP)")
    [('pakistan taliban tehrik ttp', 'normalised'), ('pakistan taliban tehrik', 'normalised'), ('ttp', 'abbreviation')]
    >>> name_keys("HQN: Haqqani Network")
    [('haqqani network', 'normalised'), ('hqn', 'abbreviation')]
    >>> name_keys("Taliban and/or Islamic State Khorasan Province (ISKP)")
    []
    """
    if COMBINED.search(name):
        return []
    keys: list[tuple[str, How]] = []
    prefixed = split_prefix(name)
    if prefixed is not None:
        name = prefixed[1]
    keys.append((_order_free(normalise(name)), "normalised"))
    for abbr in re.findall(r"\(([^()]*)\)", name):
        if _ABBREVIATION.match(abbr.strip()) and sum(c.isupper() for c in abbr) >= 2:
            keys.append((_order_free(normalise(re.sub(r"\s*\([^()]*\)", " ", name))), "normalised"))
            keys.append((normalise(abbr), "abbreviation"))
    if prefixed is not None:
        keys.append((normalise(prefixed[0]), "abbreviation"))
    if "/" in name:
        # "Al Qaida/Islamic Army": each part is a name of the same entity
        keys += [(_order_free(normalise(part)), "normalised") for part in name.split("/") if part.strip()]
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
    added_weak_aliases: list[str] = field(default_factory=list)
    original: Entity | None = field(default=None, repr=False)

    def __str__(self) -> str:
        line = self.original.origin.line if self.original is not None else None
        at = f", line {line}" if line else ""
        return (
            f"merged {self.kind} {self.imported_name!r} ({self.imported_id}{at}) into {self.existing_id}: "
            f"{self.how} match of {self.imported_as!r} with {self.matched!r}"
        )


@dataclass
class Ambiguity:
    """An imported entity that was not merged because the match was not one-to-one.

    ``candidates`` are the existing entities its names match; ``rivals`` the other imported
    entities (distinct actors of the same dataset) that match the same existing entity.
    """

    kind: str
    imported_id: str
    imported_name: str
    how: How
    candidates: tuple[str, ...]
    rivals: tuple[str, ...] = ()
    line: int | None = None

    def __str__(self) -> str:
        why = (
            f"it and {', '.join(self.rivals)} (other actors of the dataset) all match {', '.join(self.candidates)}"
            if self.rivals
            else f"{self.how} match with {', '.join(self.candidates)}"
        )
        at = f", line {self.line}" if self.line else ""
        return (
            f"ambiguous {self.kind} {self.imported_name!r} ({self.imported_id}{at}): {why}; not merged "
            "(decide it in a merge-decisions file: --decisions)"
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
    #: final relation key -> the imported relations (as they were) folded into it
    relations: dict[str, list[Relation]] = field(default_factory=dict)
    #: relations the merge derived (a ``Group - Unit`` linked to its parent group)
    derived: list[str] = field(default_factory=list)
    #: imported relations left out because the merge made them a link of an entity to itself
    self_links: list[Relation] = field(default_factory=list)
    #: every imported relation as it was, in the import's order
    imported_relations: list[Relation] = field(default_factory=list)
    #: imported entities as they were, by imported id (names qualified or aliases dropped on clash)
    originals: dict[str, Entity] = field(default_factory=dict)
    #: existing ids the imported relations reach (the entities the import references)
    referenced: list[str] = field(default_factory=list)
    #: imported id -> decision applied ("separate" or an existing id)
    decided: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def folded(self) -> dict[str, int]:
        """Final relation key -> how many imported relations were folded into it (only where > 1)."""
        return {k: len(v) for k, v in self.relations.items() if len(v) > 1}

    def lines(self) -> list[str]:
        """Every merge, ambiguity, renaming, fold and left-out self-link as printable lines."""
        out = [str(m) for m in self.merges] + [str(a) for a in self.ambiguous]
        out += [
            f"renamed imported id {old} -> {new} (the existing facts use {old})" for old, new in self.renamed.items()
        ]
        out += [
            f"folded {n} imported relations into one ({key}): the merge made their ends the same"
            for key, n in self.folded.items()
        ]
        out += [
            f"left out {r.type} {r.source} -> {r.target} (records {', '.join(r.records) or '-'}): "
            "the merge made it link an entity to itself"
            for r in self.self_links
        ]
        out += [f"decided: {i} -> {d}" for i, d in self.decided.items()]
        return out + self.notes

    def summary(self) -> str:
        """One line of counts."""
        return (
            f"{len(self.merges)} merged, {len(self.ambiguous)} ambiguous (not merged), {len(self.added)} added, "
            f"{sum(self.folded.values())} relations folded into {len(self.folded)}, "
            f"{len(self.self_links)} self-links left out"
        )

    def to_data(self) -> dict[str, Any]:
        """The log as plain data: everything :func:`undo_data` needs to give back the import."""
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
                    "added_weak_aliases": m.added_weak_aliases,
                }
                for m in self.merges
            ],
            "ambiguous": [
                {
                    "kind": a.kind,
                    "imported_id": a.imported_id,
                    "imported_name": a.imported_name,
                    "candidates": list(a.candidates),
                    "rivals": list(a.rivals),
                }
                for a in self.ambiguous
            ],
            "renamed": dict(self.renamed),
            "referenced": list(self.referenced),
            "decided": dict(self.decided),
            "imported": _facts_data(
                Facts(
                    {**self.originals, **{s.id: s for s in self.shared_sources}},
                    list(self.imported_relations),
                )
            ),
        }


def _facts_data(facts: Facts) -> dict[str, Any]:
    from graphkit.importers.common import facts_to_data

    return facts_to_data(facts)


def read_decisions(data: Any) -> dict[str, str]:
    """The decisions of a merge-decisions file: imported id -> existing id, or ``separate``.

    The file is YAML: ``decisions: [{imported: ID, into: EXISTING-ID | separate}, ...]``; records
    whose ``into`` is empty are undecided and skipped. Raises ValueError on any other shape.
    """
    if not isinstance(data, dict) or not isinstance(data.get("decisions"), list):
        raise ValueError("a merge-decisions file is a mapping with a 'decisions:' list")
    out: dict[str, str] = {}
    for i, rec in enumerate(data["decisions"]):
        if not isinstance(rec, dict) or not isinstance(rec.get("imported"), str):
            raise ValueError(f"decisions[{i}]: needs 'imported: ID' and 'into: EXISTING-ID' or 'into: separate'")
        into = rec.get("into")
        if into is None or into == "":
            continue
        if not isinstance(into, str):
            raise ValueError(f"decisions[{i}] ({rec['imported']}): 'into' must be an existing id or 'separate'")
        out[rec["imported"]] = into
    return out


def decisions_template(log: MergeLog) -> dict[str, Any]:
    """A merge-decisions file for the ambiguities of ``log``, each undecided (``into:`` empty)."""
    return {
        "decisions": [
            {
                "imported": a.imported_id,
                "name": a.imported_name,
                "candidates": list(a.candidates),
                **({"rivals": list(a.rivals)} if a.rivals else {}),
                "into": None,
            }
            for a in log.ambiguous
        ]
    }


def merge_into(
    existing: Facts,
    imported: Facts,
    *,
    distinct: bool = False,
    decisions: dict[str, str] | None = None,
) -> tuple[Facts, MergeLog]:
    """Merge ``imported`` into ``existing``, resolving entities by name; neither input is changed.

    Parameters
    ----------
    existing, imported : Facts
    distinct : bool
        The imported entities are distinct actors of their dataset (UCDP actor ids, UN reference
        numbers), so two of them matching one existing entity is a collision, reported as
        ambiguous and not merged. Otherwise (free-text labels: GTD, ACLED, edge lists) several
        imported spellings of one entity fold into it, and so do their relations.
    decisions : dict, optional
        Imported id -> existing id (merge into it) or ``"separate"`` (keep apart): a
        merge-decisions file (:func:`read_decisions`) settling earlier ambiguities.

    Returns
    -------
    (Facts, MergeLog)
        The merged facts (validate them before use) and the log of every merge, ambiguity,
        renaming and fold.

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
    decisions = decisions or {}
    table = AliasTable(existing)
    log = MergeLog()
    entities = dict(existing.entities)
    owners = {
        alias_key(n): e.id for e in existing.entities.values() if e.kind != "Source" for n in [e.name, *e.aliases]
    }
    # 1. match every imported entity; a decision overrides the match
    matches: dict[str, Match] = {}
    for ent in imported.entities.values():
        if ent.kind in MERGEABLE:
            decided = decisions.get(ent.id)
            if decided == "separate":
                log.decided[ent.id] = decided
                matches[ent.id] = Match(())
            elif decided is not None and decided in existing.entities:
                log.decided[ent.id] = decided
                matches[ent.id] = Match((decided,), "decided", ent.name, (existing.entities[decided].name,))
            else:
                if decided is not None:
                    log.notes.append(f"decision for {ent.id} names {decided!r}, which is not an existing id: ignored")
                matches[ent.id] = table.lookup(ent.kind, [ent.name, *ent.aliases])
    # 2. collisions: distinct imported actors landing on one existing entity are not merged
    landing: dict[str, list[str]] = {}
    for ident, m in matches.items():
        if len(m.ids) == 1 and m.how not in (None, "decided"):
            landing.setdefault(m.ids[0], []).append(ident)
    colliding = {i: ids for target, ids in landing.items() if distinct and len(ids) > 1 for i in ids}
    ids: dict[str, str] = {}
    subunits: list[tuple[str, str, str]] = []
    for ent in imported.entities.values():
        log.originals[ent.id] = copy.deepcopy(ent)
        if ent.kind == "Source":
            if ent.id in existing.entities and existing.entities[ent.id].kind == "Source":
                log.shared_sources.append(ent)
                del log.originals[ent.id]
                ids[ent.id] = ent.id
                continue
        elif ent.kind in MERGEABLE:
            match = matches[ent.id]
            if ent.id in colliding:
                rivals = tuple(i for i in colliding[ent.id] if i != ent.id)
                log.ambiguous.append(
                    Ambiguity(ent.kind, ent.id, ent.name, match.how or "exact", match.ids, rivals, ent.origin.line)
                )
            elif len(match.ids) == 1 and match.how is not None:
                ids[ent.id] = _merge_one(ent, match, entities, owners, log)
                continue
            elif match.how is not None and len(match.ids) > 1:
                log.ambiguous.append(Ambiguity(ent.kind, ent.id, ent.name, match.how, match.ids, (), ent.origin.line))
            elif ent.kind == "Group" and not match.ids and (parts := split_subunit(ent.name)) is not None:
                found = table.lookup("Group", [parts[0]])
                if len(found.ids) == 1:
                    subunits.append((ent.id, found.ids[0], ent.name))
                elif found.ids:
                    log.notes.append(
                        f"sub-unit {ent.name!r} ({ent.id}): its group {parts[0]!r} matches {', '.join(found.ids)}; "
                        "not linked"
                    )
        ids[ent.id] = _add_one(ent, entities, owners, log)
    # 3. relations: remap, drop self-links, fold repeats of one fact
    relations = list(existing.relations)
    keys = {r.key for r in relations}
    folded: dict[str, Relation] = {}
    for rel in imported.relations:
        log.imported_relations.append(copy.deepcopy(rel))
        new = copy.deepcopy(rel)
        new.source, new.target = ids.get(rel.source, rel.source), ids.get(rel.target, rel.target)
        if rel.type in model.RELATION_KIND:
            new.source, new.target = model.RELATION_KIND[rel.type].canonical(new.source, new.target)
        if new.source == new.target and rel.source != rel.target:
            log.self_links.append(copy.deepcopy(rel))
            continue
        if new.key in keys and new.key not in folded:
            # the same fact from another source: keep both, each with its own provenance
            new.id = f"{new.key}:{'+'.join(new.sources)}"
        if new.key in folded:
            _fold(folded[new.key], new)
            log.relations[new.key].append(copy.deepcopy(rel))
            continue
        keys.add(new.key)
        folded[new.key] = new
        log.relations[new.key] = [copy.deepcopy(rel)]
        relations.append(new)
    # 4. sub-units named "Group - Unit" whose group exists: linked to it, quoting the name
    for unit, parent, name in subunits:
        unit_id = ids[unit]
        ent = entities[unit_id]
        rel = Relation(
            "AFFILIATE_OF",
            unit_id,
            parent,
            list(ent.sources[:1]),
            [name],
            "reported",
            note="a sub-unit: the dataset names it 'Group - Unit' (linked by graphkit's alias resolution)",
        )
        if rel.key not in keys:
            keys.add(rel.key)
            relations.append(rel)
            log.derived.append(rel.key)
            log.notes.append(f"sub-unit {name!r} ({unit_id}) linked AFFILIATE_OF {parent}")
    imported_ids = set(log.added)
    log.referenced = sorted(
        {e for key in log.relations for r in [next(x for x in relations if x.key == key)] for e in (r.source, r.target)}
        - imported_ids
        | {parent for _, parent, _ in subunits}
    )
    return Facts(entities, relations), log


def _merge_one(ent: Entity, match: Match, entities: dict[str, Entity], owners: dict[str, str], log: MergeLog) -> str:
    """Merge ``ent`` into the one entity ``match`` found: its names become aliases, its sources added."""
    target_id = match.ids[0]
    target = entities[target_id] = copy.deepcopy(entities[target_id])
    how: How = match.how or "exact"
    merge = Merge(ent.kind, ent.id, ent.name, target_id, how, match.imported_as, match.matched[0])
    merge.original = ent
    own = {alias_key(n) for n in [target.name, *target.aliases, *target.weak_aliases]}
    for name in [ent.name, *ent.aliases]:
        key = alias_key(name)
        if owners.get(key, target_id) == target_id and key not in own:
            target.aliases.append(name)
            merge.added_aliases.append(name)
            owners[key] = target_id
            own.add(key)
    for weak in ent.weak_aliases:
        if alias_key(weak) not in own:
            target.weak_aliases.append(weak)
            merge.added_weak_aliases.append(weak)
            own.add(alias_key(weak))
    for s in ent.sources:
        if s not in target.sources:
            target.sources.append(s)
            merge.added_sources.append(s)
    log.merges.append(merge)
    return target_id


def _add_one(ent: Entity, entities: dict[str, Entity], owners: dict[str, str], log: MergeLog) -> str:
    """Add ``ent`` as a new entity: a fresh id if its own is taken; names others own are qualified."""
    new_id = ent.id
    n = 1
    while new_id in entities:
        n += 1
        new_id = f"{ent.id}-{n}"
    if new_id != ent.id:
        log.renamed[ent.id] = new_id
    added = copy.deepcopy(ent)
    added.id = new_id
    if ent.kind != "Source":
        if owners.get(alias_key(ent.name), new_id) != new_id:
            source = ent.sources[0] if ent.sources else "import"
            added.name = f"{ent.name} ({source} {ent.id})"
            log.notes.append(
                f"unmerged {ent.id}: its name {ent.name!r} is a name of {owners[alias_key(ent.name)]}, "
                f"so it is named {added.name!r}"
            )
        kept = []
        for alias in ent.aliases:
            if owners.get(alias_key(alias), new_id) != new_id:
                log.notes.append(
                    f"unmerged {ent.id}: its alias {alias!r} is a name of {owners[alias_key(alias)]}: left out"
                )
            else:
                kept.append(alias)
        added.aliases = kept
        for name in [added.name, *added.aliases]:
            owners.setdefault(alias_key(name), new_id)
    entities[new_id] = added
    log.added.append(new_id)
    return new_id


def _fold(into: Relation, other: Relation) -> None:
    """Fold ``other`` (the same fact after a merge) into ``into``: evidence, records, sources, weight."""
    new_records = [r for r in other.records if r not in into.records]
    for quote in other.evidence:
        if quote not in into.evidence:
            into.evidence.append(quote)
    for s in other.sources:
        if s not in into.sources:
            into.sources.append(s)
    if other.weight is not None and (new_records or not other.records):
        into.weight = (into.weight or 0.0) + other.weight
    into.records.extend(new_records)
    if other.note and other.note != into.note:
        into.note = f"{into.note}; {other.note}" if into.note else other.note
    if model.CONFIDENCE_WEIGHT.get(other.confidence, 0) > model.CONFIDENCE_WEIGHT.get(into.confidence, 0):
        into.confidence = other.confidence


def imported_part(merged: Facts, log: MergeLog) -> Facts:
    """What to load as the import's own scope: its entities, relations and the entities they reach.

    A loaded import claims only the existing entities its relations reach (``log.referenced``),
    not every entity of the facts it was merged with. Ownership of a node's properties is decided
    once: the facts that define an entity own its properties; an import that merged into it only
    references it. So referenced entities are loaded with their defining properties (the names
    and sources the merge added are taken off again, as :func:`undo` does), exactly as their own
    load writes them; the names the import found for them are in the merge log.
    """
    defining = undo(merged, log)[0].entities
    keep = set(log.added) | set(log.referenced) | {s.id for s in log.shared_sources}
    ents = {i: defining[i] if i in log.referenced and i in defining else merged.entities[i] for i in keep}
    for ent in list(ents.values()):
        for s in ent.sources:
            if s in merged.entities:
                ents.setdefault(s, merged.entities[s])
    rels = [r for r in merged.relations if r.key in log.relations or r.key in log.derived]
    return Facts(ents, rels)


def dataset_part(merged: Facts, log: MergeLog) -> Facts:
    """Only what the import adds: its own entities, sources and relations (for ``--out``).

    Its relations reference the existing entities it merged into by their ids, so the file
    validates together with the facts it was merged with (``graphkit validate seed F.yaml``),
    and two imports merged the same way compose (``validate seed F.yaml G.yaml``).
    """
    ents = {i: merged.entities[i] for i in log.added}
    rels = [r for r in merged.relations if r.key in log.relations or r.key in log.derived]
    return Facts(ents, rels)


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
    by_target: dict[str, list[Merge]] = {}
    for m in log.merges:
        by_target.setdefault(m.existing_id, []).append(m)
    added = set(log.added)
    existing_entities: dict[str, Entity] = {}
    for ident, ent in merged.entities.items():
        if ident in added:
            continue
        if ident in by_target:
            ent = copy.deepcopy(ent)
            for m in by_target[ident]:
                ent.aliases = [a for a in ent.aliases if a not in m.added_aliases]
                ent.sources = [s for s in ent.sources if s not in m.added_sources]
                ent.weak_aliases = [w for w in ent.weak_aliases if w not in m.added_weak_aliases]
        existing_entities[ident] = ent
    existing_relations = [r for r in merged.relations if r.key not in log.relations and r.key not in log.derived]
    return Facts(existing_entities, existing_relations), undo_import(log)


def undo_import(log: MergeLog) -> Facts:
    """The imported facts exactly as they were before the merge (from the log alone)."""
    ents = {i: copy.deepcopy(e) for i, e in log.originals.items()}
    ents.update((s.id, copy.deepcopy(s)) for s in log.shared_sources)
    return Facts(ents, [copy.deepcopy(r) for r in log.imported_relations])

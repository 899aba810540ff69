"""Facts: the one validated, in-memory form of everything graphkit knows.

Fact files (YAML, see ``seed/``) are read into :class:`Facts` by :func:`read_facts`, which checks
every rule of the model and raises :class:`~graphkit.errors.ValidationError` listing **every**
problem at once (file, line, record, field, reason). Importers build :class:`Facts` directly and
pass them through :func:`validate` the same way. Nothing downstream (store, graph, views) ever sees
unvalidated facts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from graphkit import model
from graphkit.errors import Problem, ValidationError


@dataclass(frozen=True)
class Origin:
    """Where a record was read from: a file and, where the format allows, a line."""

    file: str
    line: int | None = None


@dataclass
class Entity:
    """A node: a group, person, place, attack or source.

    ``props`` holds the kind's own fields (see :mod:`graphkit.model`), ``sources`` the ids of the
    Source records that mention it (empty for a Source itself).
    """

    id: str
    kind: str
    name: str
    aliases: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    note: str | None = None
    props: dict[str, Any] = field(default_factory=dict)
    origin: Origin = Origin("<memory>")
    #: Weak names (labels, insults, low-quality aliases): stored and shown, never matched on.
    weak_aliases: list[str] = field(default_factory=list)

    def properties(self) -> dict[str, Any]:
        """Every stored property (id, name, aliases, sources, note, kind fields), without Nones."""
        out: dict[str, Any] = {"id": self.id, "name": self.name, "aliases": list(self.aliases)}
        if self.weak_aliases:
            out["weak_aliases"] = list(self.weak_aliases)
        if self.kind != "Source":
            out["sources"] = list(self.sources)
        if self.note is not None:
            out["note"] = self.note
        out.update({k: v for k, v in self.props.items() if v is not None})
        return out


@dataclass
class Relation:
    """A typed, sourced link between two entities.

    Symmetric kinds are canonicalised (``source <= target``) by :func:`validate`. ``key``
    identifies the relation across loads: ``TYPE:source:target:since`` unless the facts give
    an explicit ``id``, so the same pair can recur over several periods.
    """

    type: str
    source: str
    target: str
    sources: list[str]
    evidence: list[str]
    confidence: str = "reported"
    since: str | None = None
    until: str | None = None
    note: str | None = None
    records: list[str] = field(default_factory=list)
    weight: float | None = None
    id: str | None = None
    origin: Origin = Origin("<memory>")

    @property
    def key(self) -> str:
        """The stable identity of this relation (explicit ``id`` or type, ends and start date)."""
        return self.id or f"{self.type}:{self.source}:{self.target}:{self.since or ''}"

    def properties(self) -> dict[str, Any]:
        """Every stored property of the relation (key and provenance), without Nones/empties."""
        out: dict[str, Any] = {
            "key": self.key,
            "sources": list(self.sources),
            "evidence": list(self.evidence),
            "confidence": self.confidence,
        }
        for name in ("since", "until", "note", "weight"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.records:
            out["records"] = list(self.records)
        return out


@dataclass
class Facts:
    """Entities by id and the relations between them."""

    entities: dict[str, Entity] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Entity]:
        """The entities of one node kind, in id order."""
        return sorted((e for e in self.entities.values() if e.kind == kind), key=lambda e: e.id)

    def counts(self) -> dict[str, int]:
        """How many entities of each kind and relations of each type there are."""
        c: Counter[str] = Counter(e.kind for e in self.entities.values())
        c.update(r.type for r in self.relations)
        return dict(sorted(c.items()))

    def summary(self) -> str:
        """A one-line summary: counts by kind and by relation type."""
        kinds = ", ".join(f"{n} {k}" for k, n in self.counts().items() if k in model.NODE_KIND)
        return f"{len(self.entities)} entities ({kinds}); {len(self.relations)} relations"

    def merged(self, other: Facts) -> Facts:
        """A new Facts holding both; the caller validates the result."""
        return Facts({**self.entities, **other.entities}, [*self.relations, *other.relations])


# --------------------------------------------------------------------------------------------
# Reading fact files
# --------------------------------------------------------------------------------------------

_LINE = "__line__"
_RELATION_KEYS = {"type", "from", "to", "id"} | {f.name for f in model.RELATION_PROPERTIES}
_REQUIRED_RELATION_KEYS = ("type", "from", "to", "sources", "evidence", "confidence")
_WEIGHT = next(f for f in model.RELATION_PROPERTIES if f.name == "weight")


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that keeps dates as text and records each mapping's line number."""


# Keep `2015-01-12` as the string it is: dates are partial-date strings in graphkit.
_LineLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[_LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def fact_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML fact files named by ``paths`` (files, or directories searched recursively), sorted."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml")))
        else:
            files.append(p)
    return files


def read_facts(paths: Iterable[Path | str], sources_dir: Path | str | None = None) -> Facts:
    """Read and validate fact files.

    Parameters
    ----------
    paths : iterable of path
        YAML files, or directories whose ``*.yaml``/``*.yml`` files are read (recursively).
    sources_dir : path, optional
        Directory with the source texts named by Source records' ``file`` field. When given, every
        evidence quote must appear verbatim (whitespace-normalised) in one of its relation's sources.

    Returns
    -------
    Facts
        The validated facts; symmetric relations in canonical direction.

    Raises
    ------
    ValidationError
        Listing every problem found in every file, each with file, line, record and field.
    """
    problems: list[Problem] = []
    facts = Facts()
    files = fact_files(Path(p) for p in paths)
    if not files:
        shown = ", ".join(str(p) for p in paths)
        raise ValidationError([Problem(shown, "", "", "no fact files (*.yaml) found")])
    for path in files:
        _read_file(path, facts, problems)
    validate(facts, sources_dir, problems=problems)
    return facts


def _read_file(path: Path, facts: Facts, problems: list[Problem]) -> None:
    """Parse one YAML file into ``facts``, adding structural problems to ``problems``."""
    name = str(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # a SafeLoader subclass
    except FileNotFoundError:
        problems.append(Problem(name, "", "", "file not found"))
        return
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, "", "", f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
        return
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problems.append(Problem(name, "", "", f"not valid YAML: {getattr(exc, 'problem', exc)}", line))
        return
    if data is None:
        return
    if not isinstance(data, dict):
        problems.append(Problem(name, "", "", "a fact file must be a mapping of sections (groups:, relations: ...)"))
        return
    known = [*model.SECTION_KIND, "relations"]
    for section, records in data.items():
        if section == _LINE:
            continue
        if section not in known:
            problems.append(Problem(name, "", str(section), f"unknown section; expected one of {', '.join(known)}"))
            continue
        if not isinstance(records, list):
            problems.append(Problem(name, "", str(section), "a section must be a list of records"))
            continue
        for index, raw in enumerate(records):
            if not isinstance(raw, dict):
                problems.append(Problem(name, f"{section}[{index}]", "", "a record must be a mapping"))
                continue
            origin = Origin(name, raw.pop(_LINE, None))
            if section == "relations":
                rel = _relation_from_record(raw, origin, index, problems)
                if rel is not None:
                    facts.relations.append(rel)
            else:
                ent = _entity_from_record(model.SECTION_KIND[section], raw, origin, index, problems)
                if ent is not None:
                    if ent.id in facts.entities:
                        first = facts.entities[ent.id].origin
                        problems.append(
                            Problem(
                                name, ent.id, "id", f"duplicate id (first at {first.file}:{first.line})", origin.line
                            )
                        )
                    else:
                        facts.entities[ent.id] = ent


def _text(value: Any) -> str | None:
    """A scalar as text (YAML may read `2015` as a number), or None if it is not a scalar."""
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        return None
    if isinstance(value, (dt.date, int, float, str)):
        return str(value)
    return None


def _str_list(value: Any) -> list[str] | None:
    """A list of non-empty strings, or None if ``value`` is not one (a single string is a list of one)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return None
    out = [_text(v) for v in value]
    if any(v is None or not v.strip() for v in out):
        return None
    return [v for v in out if v is not None]


def _entity_from_record(
    kind: model.NodeKind, raw: dict[str, Any], origin: Origin, index: int, problems: list[Problem]
) -> Entity | None:
    """Build an Entity from a YAML record; structural problems go to ``problems``."""
    record = _text(raw.get("id")) or f"{kind.section}[{index}]"

    def bad(fld: str, msg: str) -> None:
        problems.append(Problem(origin.file, record, fld, msg, origin.line))

    allowed = {f.name for f in model.ENTITY_PROPERTIES} | set(kind.field_names)
    for key in raw:
        if key not in allowed:
            bad(str(key), f"unknown field for a {kind.name}; allowed: {', '.join(sorted(allowed))}")
    ident = _text(raw.get("id"))
    name = _text(raw.get("name"))
    if ident is None:
        bad("id", "missing or not text")
        return None
    if name is None or not name.strip():
        bad("name", "missing or empty")
        name = ident
    aliases = _str_list(raw.get("aliases", []))
    if aliases is None:
        bad("aliases", "must be a list of non-empty names")
        aliases = []
    weak = _str_list(raw.get("weak_aliases", []))
    if weak is None:
        bad("weak_aliases", "must be a list of non-empty names")
        weak = []
    sources = _str_list(raw.get("sources", []))
    if sources is None:
        bad("sources", "must be a list of Source ids")
        sources = []
    note = raw.get("note")
    if note is not None and not isinstance(note, str):
        bad("note", "must be text")
        note = None
    props: dict[str, Any] = {}
    for f in kind.fields:
        if f.name in raw and raw[f.name] is not None:
            value = _coerce(f, raw[f.name])
            if value is None:
                bad(f.name, f"must be {_describe(f)}")
            else:
                props[f.name] = value
    return Entity(ident, kind.name, name, aliases, sources, note, props, origin, weak)


def _relation_from_record(raw: dict[str, Any], origin: Origin, index: int, problems: list[Problem]) -> Relation | None:
    """Build a Relation from a YAML record; structural problems go to ``problems``."""
    rtype, src, dst = _text(raw.get("type")), _text(raw.get("from")), _text(raw.get("to"))
    record = _text(raw.get("id")) or f"relations[{index}] {rtype} {src} -> {dst}"

    def bad(fld: str, msg: str) -> None:
        problems.append(Problem(origin.file, record, fld, msg, origin.line))

    for key in raw:
        if key not in _RELATION_KEYS:
            bad(str(key), f"unknown field for a relation; allowed: {', '.join(sorted(_RELATION_KEYS))}")
    missing = [k for k in _REQUIRED_RELATION_KEYS if raw.get(k) in (None, "", [])]
    for k in missing:
        bad(k, "missing (every relation needs type, from, to, sources, evidence and confidence)")
    if rtype is None or src is None or dst is None:
        return None
    sources = _str_list(raw.get("sources", [])) or []
    evidence = _str_list(raw.get("evidence", [])) or []
    if "sources" not in missing and not sources:
        bad("sources", "must be a list of Source ids")
    if "evidence" not in missing and not evidence:
        bad("evidence", "must be a list of non-empty quotes")
    records = _str_list(raw.get("records", [])) or []
    weight = None
    if raw.get("weight") is not None:
        weight = _coerce(_WEIGHT, raw["weight"])
        if weight is None:
            bad("weight", f"must be {_describe(_WEIGHT)}")
    note = raw.get("note")
    if note is not None and not isinstance(note, str):
        bad("note", "must be text")
        note = None
    return Relation(
        type=rtype,
        source=src,
        target=dst,
        sources=sources,
        evidence=evidence,
        confidence=_text(raw.get("confidence")) or "",
        since=_text(raw.get("since")),
        until=_text(raw.get("until")),
        note=note,
        records=records,
        weight=weight,
        id=_text(raw.get("id")),
        origin=origin,
    )


def _coerce(f: model.Field, value: Any) -> Any:
    """``value`` as the field's type, or None if it cannot be one."""
    if f.type == "int":
        return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None
    if f.type == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:  # NaN
            return None
        low, high = f.bounds or (float("-inf"), float("inf"))
        return float(value) if low <= value <= high else None
    if f.type == "list[str]":
        return _str_list(value)
    text = _text(value)
    if text is None or not text.strip():
        return None
    if f.type == "date" and not model.PARTIAL_DATE.match(text):
        return None
    if f.choices and text not in f.choices:
        return None
    return text


def _describe(f: model.Field) -> str:
    """What a valid value of ``f`` looks like, for error messages."""
    if f.choices:
        return "one of " + ", ".join(f.choices)
    if f.bounds:
        return f"a number from {f.bounds[0]:g} to {f.bounds[1]:g}"
    return {
        "float": "a number",
        "int": "a whole number >= 0",
        "date": "a partial date: YYYY, YYYY-MM or YYYY-MM-DD",
        "list[str]": "a list of text",
        "str": "text",
    }[f.type]


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


def normalise_space(text: str) -> str:
    """Collapse every run of whitespace to one space and strip the ends (for quote matching)."""
    return re.sub(r"\s+", " ", text).strip()


def alias_key(name: str) -> str:
    """The form in which two names count as the same alias: case-folded, whitespace-normalised."""
    return normalise_space(name).casefold()


def dates_ordered(since: str, until: str) -> bool:
    """Whether partial date ``since`` can be on or before ``until`` (compared at their common precision)."""
    n = min(len(since), len(until))
    return since[:n] <= until[:n]


def validate(facts: Facts, sources_dir: Path | str | None = None, *, problems: list[Problem] | None = None) -> Facts:
    """Check every rule of the model on ``facts``; canonicalise symmetric relations in place.

    Rules: slug ids; kind fields of the right type; every referenced id resolves; relation endpoint
    kinds allowed by the model; valid partial dates with ``since <= until``; confidence on the
    scale; at least one source (a Source entity) and one quote per relation; no duplicate relation
    key; no alias or name shared by two entities; and, when ``sources_dir`` is given, every quote
    verbatim (whitespace-normalised) in the text of one of its relation's sources.

    Raises
    ------
    ValidationError
        With every problem found (plus any ``problems`` passed in by the reader).
    """
    found: list[Problem] = problems if problems is not None else []
    _check_entities(facts, found)
    _check_relations(facts, found)
    if sources_dir is not None:
        _check_quotes(facts, Path(sources_dir), found)
    if found:
        raise ValidationError(found)
    return facts


def _check_entities(facts: Facts, problems: list[Problem]) -> None:
    owners: dict[str, str] = {}
    for ent in facts.entities.values():
        o = ent.origin

        def bad(fld: str, msg: str, ent: Entity = ent, o: Origin = o) -> None:
            problems.append(Problem(o.file, ent.id, fld, msg, o.line))

        if ent.kind not in model.NODE_KIND:
            bad("kind", f"unknown node kind {ent.kind!r}")
            continue
        if not model.SLUG.match(ent.id):
            bad("id", "must be a slug: lower-case letters and digits, words joined by single hyphens")
        if not ent.name.strip():
            bad("name", "missing or empty")
        kind = model.NODE_KIND[ent.kind]
        for f in kind.fields:
            value = ent.props.get(f.name)
            if value is not None and _coerce(f, value) != value:
                bad(f.name, f"must be {_describe(f)}")
        for k in ent.props:
            if k not in kind.field_names:
                bad(k, f"not a field of {ent.kind}")
        if ent.kind != "Source":
            if not ent.sources:
                bad("sources", "no source: every entity must cite at least one Source")
            for s in ent.sources:
                if facts.entities.get(s) is None or facts.entities[s].kind != "Source":
                    bad("sources", f"{s!r} is not the id of a Source")
            seen: set[str] = set()
            for alias in [ent.name, *ent.aliases]:
                key = alias_key(alias)
                if key in seen:
                    continue
                seen.add(key)
                other = owners.setdefault(key, ent.id)
                if other != ent.id:
                    bad(
                        "name" if alias == ent.name else "aliases", f"name or alias {alias!r} is also used by {other!r}"
                    )
            for weak in ent.weak_aliases:
                if not weak.strip():
                    bad("weak_aliases", "empty weak name")
                elif alias_key(weak) in seen:
                    bad("weak_aliases", f"{weak!r} is also a name or alias of {ent.id!r}: a name is strong or weak")


def _check_relations(facts: Facts, problems: list[Problem]) -> None:
    keys: dict[str, Origin] = {}
    for i, rel in enumerate(facts.relations):
        o = rel.origin
        record = rel.id or f"relations[{i}] {rel.type} {rel.source} -> {rel.target}"

        def bad(fld: str, msg: str, record: str = record, o: Origin = o) -> None:
            problems.append(Problem(o.file, record, fld, msg, o.line))

        kind = model.RELATION_KIND.get(rel.type)
        if kind is None:
            bad("type", f"unknown relation type; expected one of {', '.join(model.RELATION_KIND)}")
        ends = {}
        for fld, ref in (("from", rel.source), ("to", rel.target)):
            ent = facts.entities.get(ref)
            if ent is None:
                bad(fld, f"{ref!r} is not the id of any entity")
            else:
                ends[fld] = ent.kind
        if kind is not None and len(ends) == 2:
            if kind.symmetric:
                src_ok = ends["from"] in kind.sources and ends["to"] in kind.targets
            else:
                src_ok = ends["from"] in kind.sources
                if ends["to"] not in kind.targets:
                    bad("to", f"a {rel.type} must end at {'/'.join(sorted(kind.targets))}, not {ends['to']}")
            if not src_ok:
                allowed = f"{'/'.join(sorted(kind.sources))} -> {'/'.join(sorted(kind.targets))}"
                bad("from", f"a {rel.type} links {allowed}, not {ends['from']} -> {ends['to']}")
            rel.source, rel.target = kind.canonical(rel.source, rel.target)
        if rel.source == rel.target:
            bad("to", "a relation cannot link an entity to itself")
        if rel.confidence not in model.CONFIDENCE_WEIGHT:
            bad("confidence", f"{rel.confidence!r} is not on the scale: {', '.join(model.CONFIDENCE_WEIGHT)}")
        if not rel.sources:
            bad("sources", "no source: every relation must cite at least one Source")
        for s in rel.sources:
            if facts.entities.get(s) is None or facts.entities[s].kind != "Source":
                bad("sources", f"{s!r} is not the id of a Source")
        if not rel.evidence or any(not q.strip() for q in rel.evidence):
            bad("evidence", "every relation needs at least one non-empty verbatim quote")
        for fld in ("since", "until"):
            value = getattr(rel, fld)
            if value is not None and not model.PARTIAL_DATE.match(value):
                bad(fld, f"{value!r} is not a partial date: YYYY, YYYY-MM or YYYY-MM-DD")
        if rel.weight is not None and _coerce(_WEIGHT, rel.weight) is None:
            bad("weight", f"must be {_describe(_WEIGHT)}")
        if rel.since and rel.until and not dates_ordered(rel.since, rel.until):
            bad("until", f"ends ({rel.until}) before it begins ({rel.since})")
        first = keys.setdefault(rel.key, o)
        if first is not o:
            bad("id", f"duplicate relation {rel.key!r} (first at {first.file}:{first.line}); merge or date them")


def _check_quotes(facts: Facts, sources_dir: Path, problems: list[Problem]) -> None:
    texts: dict[str, str] = {}
    for src in facts.of_kind("Source"):
        file = src.props.get("file")
        if not file:
            continue
        path = sources_dir / str(file)
        try:
            texts[src.id] = normalise_space(path.read_text(encoding="utf-8"))
        except OSError as exc:
            o = src.origin
            problems.append(Problem(o.file, src.id, "file", f"cannot read source text {path}: {exc.strerror}", o.line))
    for i, rel in enumerate(facts.relations):
        candidates = [texts[s] for s in rel.sources if s in texts]
        if not candidates:
            continue
        for quote in rel.evidence:
            q = normalise_space(quote)
            if not any(q in text for text in candidates):
                record = rel.id or f"relations[{i}] {rel.type} {rel.source} -> {rel.target}"
                o = rel.origin
                problems.append(
                    Problem(o.file, record, "evidence", f"quote not found verbatim in its sources: {quote!r}", o.line)
                )

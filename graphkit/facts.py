"""Facts: the one validated, in-memory form of everything graphkit knows.

Fact files (YAML, see ``seed/``) are read into :class:`Facts` by :func:`read_facts`, which checks
every rule of the model and raises :class:`~graphkit.errors.ValidationError` listing **every**
problem at once (file, line, record, field, reason). Importers build :class:`Facts` directly and
pass them through :func:`validate` the same way. Nothing downstream (store, graph, views) ever sees
unvalidated facts.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import yaml

from graphkit import model
from graphkit.errors import Problem, ValidationError


@dataclass(frozen=True)
class Origin:
    """Where a record was read from: a file, where the format allows a line, and its place there.

    ``record`` is how messages name a record without an id: its section and index in its own
    file (``relations[1]``), so two files' relations are never confused.
    """

    file: str
    line: int | None = None
    record: str | None = None


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
    an explicit ``id``, so the same pair can recur over several periods. ``as_of`` is a date a
    source observed the relation holding (held at least then), never a start: it is not part of
    the key.
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
    as_of: str | None = None
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
        for name in ("since", "until", "as_of", "note", "weight"):
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

_RELATION_KEYS = {"type", "from", "to", "id"} | {f.name for f in model.RELATION_PROPERTIES}
_REQUIRED_RELATION_KEYS = ("type", "from", "to", "sources", "evidence", "confidence")
_ENTITY_KEYS = {k.name: {f.name for f in model.ENTITY_PROPERTIES} | set(k.field_names) for k in model.NODE_KINDS}
_WEIGHT = next(f for f in model.RELATION_PROPERTIES if f.name == "weight")
#: The largest whole number Neo4j, ArcadeDB and the exports hold (a signed 64-bit integer).
INT64_MAX = 2**63 - 1
#: How deep a fact file may nest (records are two levels down; their fields at most two more).
MAX_DEPTH = 16


class Plain(str):
    """A plain (unquoted) YAML scalar, kept exactly as written.

    The reader never guesses types (YAML 1.1 reads ``010`` as 8, ``yes`` as true and ``1:30`` as
    90): text fields take the characters as written, and only numeric fields parse them, by the
    YAML 1.2 core rules (decimal digits, optionally a fraction and an exponent).
    """

    __slots__ = ()


_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_STR_TAG = "tag:yaml.org,2002:str"


class _Map(dict[str, Any]):
    """A YAML mapping: its entries, the line it starts on, and the keys it repeats."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        #: ``(key, line, line of the first occurrence)`` of every repeated key.
        self.repeated: list[tuple[str, int, int]] = []


#: libyaml's parser (C, many times faster than PyYAML's own), whose events keep every line.
_LOADER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: PyYAML's pure-Python parser: the fallback without libyaml, and a contender in ``bench/bench_facts.py``.
_PY_LOADER: type[Any] = yaml.SafeLoader
_NO_KEY = object()  # a mapping awaits its next key
_BAD_KEY = object()  # the key was a list or mapping: its value is dropped (and reported)


class _Frame:
    """An open collection while the events are read: the container and, for a mapping, its key."""

    __slots__ = ("anchor", "container", "first", "key", "key_event")

    def __init__(self, container: Any, anchor: str | None) -> None:
        self.container = container
        self.anchor = anchor
        self.key: Any = _NO_KEY
        self.key_event: Any = None
        self.first: dict[str, Any] = {}  # key -> the event of its first occurrence


class _Tree:
    """Builds dicts (:class:`_Map`), lists, :class:`Plain` and ``str`` from YAML parser events.

    Reading the parser's events directly (not PyYAML's composed nodes, which cost a Python object
    per node) is what makes large fact files fast. Problems (explicit tags, aliases to a collection
    that contains them, nesting deeper than :data:`MAX_DEPTH`, keys that are not text, a second
    document) go to ``problems``; repeated keys are kept on each :class:`_Map` for the caller, who
    knows which record they belong to.
    """

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems

    def bad(self, event: Any, message: str) -> None:
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        self.problems.append(Problem(self.file, "", "", message, line))

    def build(self, events: Iterable[Any]) -> Any:
        """The document's value (None for an empty stream)."""
        stack: list[_Frame] = []
        anchors: dict[str, Any] = {}
        opened: set[str] = set()
        root: Any = None
        documents = 0
        too_deep = False
        scalar, alias, end = yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionEndEvent
        for event in events:
            kind = type(event)
            if kind is scalar:
                top = stack[-1] if stack else None
                if top is not None and top.key is _NO_KEY and type(top.container) is _Map:
                    top.key, top.key_event = str(event.value), event
                    continue
                if event.style or event.tag == _STR_TAG:  # quoted (or tagged !!str): text
                    value: Any = str(event.value)
                elif event.tag is not None:
                    self.bad(event, f"YAML tag {event.tag!r} is not supported; quote the value instead")
                    value = None
                else:
                    value = None if event.value in _NULL else Plain(event.value)
                if event.anchor is not None:
                    anchors[event.anchor] = value
            elif kind is alias:
                if event.anchor in opened:
                    self.bad(event, "an alias refers to the collection that contains it")
                    value = None
                else:
                    value = anchors.get(event.anchor)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if event.tag is not None:
                    self.bad(event, f"YAML tag {event.tag!r} is not supported")
                if len(stack) >= MAX_DEPTH and not too_deep:
                    too_deep = True
                    self.bad(
                        event, f"nested more than {MAX_DEPTH} levels deep; a fact file is sections of flat records"
                    )
                container = _Map(event.start_mark.line + 1) if kind is yaml.MappingStartEvent else []
                stack.append(_Frame(container, event.anchor))
                if event.anchor is not None:
                    opened.add(event.anchor)
                continue
            elif isinstance(event, end):
                frame = stack.pop()
                value = frame.container
                if frame.anchor is not None:
                    anchors[frame.anchor] = value
                    opened.discard(frame.anchor)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self.bad(event, "a second YAML document (---): a fact file is one document")
                continue
            else:
                continue
            if not stack:
                root = value if documents == 1 else root
                continue
            top = stack[-1]
            container = top.container
            if type(container) is list:
                container.append(value)
            elif top.key is _NO_KEY:  # a collection (or alias) where a key should be
                self.bad(event, "a key must be a plain name, not a list or mapping")
                top.key = _BAD_KEY
            else:
                key, top.key = top.key, _NO_KEY
                if key is _BAD_KEY:
                    continue
                first = top.first.get(key)
                if first is not None:  # the first one stands; the repeat is an error
                    container.repeated.append((key, top.key_event.start_mark.line + 1, first.start_mark.line + 1))
                    continue
                top.first[key] = top.key_event
                container[key] = value
        return root


def fact_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML fact files named by ``paths`` (files, or directories searched recursively), sorted."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml") and q.is_file()))
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
    given = [Path(p) for p in paths]
    files = fact_files(given)
    if not files:
        shown = ", ".join(str(p) for p in given)
        raise ValidationError([Problem(shown, "", "", "no fact files (*.yaml) found")])
    for path in given:
        if path.is_dir() and not fact_files([path]):
            problems.append(Problem(str(path), "", "", "a directory without fact files (*.yaml, *.yml)"))
    for path in files:
        _read_file(path, facts, problems)
    validate(facts, sources_dir, problems=problems)
    return facts


def _read_file(path: Path, facts: Facts, problems: list[Problem]) -> None:
    """Parse one YAML file into ``facts``, adding structural problems to ``problems``."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = _Tree(name, problems).build(yaml.parse(text, Loader=_LOADER))
    except FileNotFoundError:
        problems.append(Problem(name, "", "", "file not found"))
        return
    except IsADirectoryError:
        problems.append(Problem(name, "", "", "is a directory, not a fact file"))
        return
    except OSError as exc:
        problems.append(Problem(name, "", "", f"cannot read: {exc.strerror or exc}"))
        return
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, "", "", f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
        return
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problems.append(Problem(name, "", "", f"not valid YAML: {getattr(exc, 'problem', exc)}", line))
        return
    except RecursionError:
        problems.append(Problem(name, "", "", f"not a fact file: nested more than {MAX_DEPTH} levels deep"))
        return
    if data is None:
        return
    if not isinstance(data, _Map):
        problems.append(Problem(name, "", "", "a fact file must be a mapping of sections (groups:, relations: ...)"))
        return
    for section, line, first in data.repeated:
        problems.append(
            Problem(name, "", section, f"section repeated (first at line {first}); merge the two lists", line)
        )
    known = [*model.SECTION_KIND, "relations"]
    for section, records in data.items():
        if section not in known:
            problems.append(Problem(name, "", section, f"unknown section; expected one of {', '.join(known)}"))
            continue
        if not isinstance(records, list):
            problems.append(Problem(name, "", section, "a section must be a list of records"))
            continue
        for index, raw in enumerate(records):
            if not isinstance(raw, _Map):
                problems.append(Problem(name, f"{section}[{index}]", "", "a record must be a mapping"))
                continue
            origin = Origin(name, raw.line, f"{section}[{index}]")
            if section == "relations":
                rel = _relation_from_record(raw, origin, problems)
                if rel is not None:
                    facts.relations.append(rel)
            else:
                ent = _entity_from_record(model.SECTION_KIND[section], raw, origin, problems)
                if ent is not None:
                    if ent.id in facts.entities:
                        first_at = facts.entities[ent.id].origin
                        problems.append(
                            Problem(
                                name,
                                ent.id,
                                "id",
                                f"duplicate id (first at {first_at.file}:{first_at.line})",
                                origin.line,
                            )
                        )
                    else:
                        facts.entities[ent.id] = ent


def _repeated_keys(raw: dict[str, Any], record: str, origin: Origin, problems: list[Problem]) -> None:
    """Report every key a record repeats (YAML would silently keep only the last)."""
    for key, line, first in getattr(raw, "repeated", ()):
        problems.append(Problem(origin.file, record, key, f"field repeated (first at line {first}); keep one", line))


def _text(value: Any) -> str | None:
    """A scalar as text (a plain YAML scalar as written; a number built in memory in decimal), else None."""
    if type(value) is str:
        return value
    if isinstance(value, str):
        return str(value)  # a Plain as a plain str
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (dt.date, int, float)):
        return str(value)
    return None


def _str_list(value: Any) -> list[str] | None:
    """A list of non-empty strings, or None if ``value`` is not one (a single string is a list of one)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return None
    out = [_text(v) for v in value]
    for v in out:
        if v is None or not v.strip():
            return None
    return out  # type: ignore[return-value]  # no None left


def _entity_from_record(
    kind: model.NodeKind, raw: dict[str, Any], origin: Origin, problems: list[Problem]
) -> Entity | None:
    """Build an Entity from a YAML record; structural problems go to ``problems``."""
    record = _text(raw.get("id")) or origin.record or kind.section

    def bad(fld: str, msg: str) -> None:
        problems.append(Problem(origin.file, record, fld, msg, origin.line))

    _repeated_keys(raw, record, origin, problems)

    allowed = _ENTITY_KEYS[kind.name]
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
    note = str(note) if note is not None else None  # a plain str, not a Plain
    props: dict[str, Any] = {}
    for f in kind.fields:
        if f.name in raw and raw[f.name] is not None:
            value = _coerce(f, raw[f.name])
            if value is None:
                bad(f.name, f"must be {_describe(f)}")
            else:
                props[f.name] = value
    return Entity(ident, kind.name, name, aliases, sources, note, props, origin, weak)


def _relation_from_record(raw: dict[str, Any], origin: Origin, problems: list[Problem]) -> Relation | None:
    """Build a Relation from a YAML record; structural problems go to ``problems``.

    A relation whose ``type``, ``from`` or ``to`` is not text is not built, and each such field
    is a reported problem (never a silent drop).
    """
    rtype, src, dst = _text(raw.get("type")), _text(raw.get("from")), _text(raw.get("to"))
    record = _text(raw.get("id")) or f"{origin.record or 'relations'} {rtype} {src} -> {dst}"

    def bad(fld: str, msg: str) -> None:
        problems.append(Problem(origin.file, record, fld, msg, origin.line))

    _repeated_keys(raw, record, origin, problems)
    for key in raw:
        if key not in _RELATION_KEYS:
            bad(str(key), f"unknown field for a relation; allowed: {', '.join(sorted(_RELATION_KEYS))}")
    missing = [k for k in _REQUIRED_RELATION_KEYS if raw.get(k) in (None, "", [])]
    for k in missing:
        bad(k, "missing (every relation needs type, from, to, sources, evidence and confidence)")
    for k, value in (("type", rtype), ("from", src), ("to", dst)):
        if value is None and k not in missing:
            bad(k, f"must be text ({'a relation type' if k == 'type' else 'an entity id'}), not {_shape(raw[k])}")
    if rtype is None or src is None or dst is None:
        return None
    sources = _str_list(raw.get("sources", [])) or []
    evidence = _str_list(raw.get("evidence", [])) or []
    if "sources" not in missing and not sources:
        bad("sources", "must be a list of Source ids")
    if "evidence" not in missing and not evidence:
        bad("evidence", "must be a list of non-empty quotes")
    records = _str_list(raw.get("records", []))
    if records is None:
        bad("records", "must be a list of dataset record ids")
        records = []
    weight = None
    if raw.get("weight") is not None:
        weight = _coerce(_WEIGHT, raw["weight"])
        if weight is None:
            bad("weight", f"must be {_describe(_WEIGHT)}")
    note = raw.get("note")
    if note is not None and not isinstance(note, str):
        bad("note", "must be text")
        note = None
    note = str(note) if note is not None else None  # a plain str, not a Plain
    confidence = _text(raw.get("confidence"))
    if confidence is None and "confidence" not in missing:
        bad("confidence", f"must be one of {', '.join(model.CONFIDENCE_WEIGHT)}, not {_shape(raw['confidence'])}")
    since, until, as_of = _text(raw.get("since")), _text(raw.get("until")), _text(raw.get("as_of"))
    for k, value in (("since", since), ("until", until), ("as_of", as_of)):
        if value is None and raw.get(k) is not None:
            bad(k, f"must be a partial date: YYYY, YYYY-MM or YYYY-MM-DD, not {_shape(raw[k])}")
    return Relation(
        type=rtype,
        source=src,
        target=dst,
        sources=sources,
        evidence=evidence,
        confidence=confidence or "",
        since=since,
        until=until,
        as_of=as_of,
        note=note,
        records=records,
        weight=weight,
        id=_text(raw.get("id")),
        origin=origin,
    )


def _coerce(f: model.Field, value: Any) -> Any:
    """``value`` as the field's type, or None if it cannot be one."""
    if f.type == "int":
        if isinstance(value, Plain) and _INT.match(value):
            value = int(value)
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= INT64_MAX
        return value if ok else None
    if f.type == "float":
        if isinstance(value, Plain) and _FLOAT.match(value):
            value = float(value)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return None
        low, high = f.bounds or (-math.inf, math.inf)
        return float(value) if low <= value <= high else None
    if f.type == "list[str]":
        return _str_list(value)
    text = _text(value)
    if text is None or not text.strip():
        return None
    if f.type == "date" and not is_partial_date(text):
        return None
    if f.choices and text not in f.choices:
        return None
    return text


def _shape(value: Any) -> str:
    """What a YAML value that is not text is, for error messages."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def is_partial_date(text: str) -> bool:
    """Whether ``text`` is a partial date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) on the calendar.

    Year 0000 and days such as ``2015-02-30`` are not: every date must be one the database,
    the exports and :func:`graphkit.projection.date_bounds` can turn into a real day.

    >>> [is_partial_date(t) for t in ("2015", "2016-02-29", "2015-02-29", "0000", "2015-13")]
    [True, True, False, False, False]
    """
    match = model.PARTIAL_DATE.match(text)
    if match is None or int(match[1]) < 1:
        return False
    if match[3] is None:
        return True
    return int(match[3]) <= calendar.monthrange(int(match[1]), int(match[2]))[1]


def _describe(f: model.Field) -> str:
    """What a valid value of ``f`` looks like, for error messages."""
    if f.choices:
        return "one of " + ", ".join(f.choices)
    if f.bounds:
        return f"a number from {f.bounds[0]:g} to {f.bounds[1]:g}"
    return {
        "float": "a number",
        "int": f"a whole number from 0 to {INT64_MAX}",
        "date": "a partial date: YYYY, YYYY-MM or YYYY-MM-DD",
        "list[str]": "a list of text",
        "str": "text",
    }[f.type]


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


def normalise_space(text: str) -> str:
    """Collapse every run of whitespace to one space and strip the ends (for quote matching)."""
    return " ".join(text.split())  # str.split() and re's \s both split on str.isspace(); split is faster


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
    key; no alias or name shared by two entities; the integrity rules of :func:`_check_integrity`
    (``as_of`` within the period, claims recorded as CLAIMED, a place within one place of each
    type); and, when ``sources_dir`` is given, every quote verbatim (whitespace-normalised) in the
    text of one of its relation's sources.

    Raises
    ------
    ValidationError
        With every problem found (plus any ``problems`` passed in by the reader).
    """
    found: list[Problem] = problems if problems is not None else []
    scan_text = _any_bad_text(facts)
    _check_entities(facts, found, scan_text)
    _check_relations(facts, found, scan_text)
    _check_integrity(facts, found)
    if sources_dir is not None:
        _check_quotes(facts, Path(sources_dir), found)
    if found:
        raise ValidationError(found)
    return facts


def _relation_label(rel: Relation, index: int) -> str:
    """How messages name a relation: its id, else its place in its file (or in ``facts``) and its ends."""
    return rel.id or f"{rel.origin.record or f'relations[{index}]'} {rel.type} {rel.source} -> {rel.target}"


#: Characters no export can carry: C0 controls but tab, newline and carriage return; DEL and the
#: C1 controls; lone surrogates (not encodable as UTF-8); and the non-characters U+FFFE/U+FFFF.
#: XML 1.0 (GraphML, GEXF) forbids all but DEL and C1, which are invisible and break terminals.
_BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def bad_character(text: str) -> str | None:
    """Why ``text`` cannot be stored and exported everywhere (the first bad character), or None.

    >>> bad_character("Beta\\x00Brigade")
    'contains the control character U+0000 at position 5; remove it'
    """
    match = _BAD_CHAR.search(text)
    if match is None:
        return None
    code = ord(match[0])
    what = "a lone surrogate" if 0xD800 <= code <= 0xDFFF else "the control character"
    if code in (0xFFFE, 0xFFFF):
        what = "the non-character"
    return f"contains {what} U+{code:04X} at position {match.start() + 1}; remove it"


def _stored_text(rel: Relation) -> dict[str, Any]:
    """A relation's fields as :func:`_check_text` searches them: its type and ends, and what it stores."""
    return {"type": rel.type, "from": rel.source, "to": rel.target, **rel.properties()}


def _any_bad_text(facts: Facts) -> bool:
    """Whether any text of any record holds a character :func:`bad_character` refuses.

    One search over all the text at once (the fields :func:`_check_text` searches record by
    record), so that records are searched one by one, to say which, only when one of them is bad.
    """
    parts: list[str] = []
    records = chain((e.properties() for e in facts.entities.values()), map(_stored_text, facts.relations))
    for props in records:
        for value in props.values():
            if isinstance(value, str):
                parts.append(value)
            elif isinstance(value, list):
                parts.extend(t for t in value if isinstance(t, str))
    return _BAD_CHAR.search("\n".join(parts)) is not None


def _check_text(record: str, origin: Origin, props: dict[str, Any], problems: list[Problem]) -> None:
    """Report every text property (or list element) with a character the stores and exports cannot hold."""
    for name, value in props.items():
        for item in value if isinstance(value, list) else [value]:
            why = bad_character(item) if isinstance(item, str) else None
            if why is not None:
                problems.append(Problem(origin.file, record, name, why, origin.line))
                break


def _check_entities(facts: Facts, problems: list[Problem], scan_text: bool = True) -> None:
    owners: dict[str, str] = {}
    for ent in facts.entities.values():
        o = ent.origin

        def bad(fld: str, msg: str, ent: Entity = ent, o: Origin = o) -> None:
            problems.append(Problem(o.file, ent.id, fld, msg, o.line))

        if ent.kind not in model.NODE_KIND:
            bad("kind", f"unknown node kind {ent.kind!r}")
            continue
        if scan_text:
            _check_text(ent.id, o, ent.properties(), problems)
        if not model.SLUG.match(ent.id):
            bad("id", "must be a slug: lower-case letters and digits, words joined by single hyphens")
        if not ent.name.strip():
            bad("name", "missing or empty")
        kind = model.NODE_KIND[ent.kind]
        for f in kind.fields:
            value = ent.props.get(f.name)
            if value is None or (f.type == "str" and not f.choices and type(value) is str and value.strip()):
                continue  # absent, or plain text where text belongs (what _coerce would keep): the common case
            if _coerce(f, value) != value:
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


def _check_relations(facts: Facts, problems: list[Problem], scan_text: bool = True) -> None:
    keys: dict[str, Origin] = {}
    for i, rel in enumerate(facts.relations):
        o = rel.origin
        record = _relation_label(rel, i)

        def bad(fld: str, msg: str, record: str = record, o: Origin = o) -> None:
            problems.append(Problem(o.file, record, fld, msg, o.line))

        if scan_text:
            _check_text(record, o, _stored_text(rel), problems)
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
            if value is not None and not is_partial_date(value):
                bad(fld, f"{value!r} is not a real partial date: YYYY, YYYY-MM or YYYY-MM-DD")
        if rel.weight is not None and _coerce(_WEIGHT, rel.weight) is None:
            bad("weight", f"must be {_describe(_WEIGHT)}")
        if (
            rel.since
            and rel.until
            and is_partial_date(rel.since)
            and is_partial_date(rel.until)
            and not dates_ordered(rel.since, rel.until)
        ):
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
                record = _relation_label(rel, i)
                o = rel.origin
                problems.append(
                    Problem(o.file, record, "evidence", f"quote not found verbatim in its sources: {quote!r}", o.line)
                )


# --------------------------------------------------------------------------------------------
# Integrity rules: forms in which facts say more than their sources (issue 12)
# --------------------------------------------------------------------------------------------

#: A quote that speaks of a claim of responsibility (a CARRIED_OUT resting only on such quotes is a CLAIMED).
_CLAIM_OF_RESPONSIBILITY = re.compile(r"\bclaim(?:ed|s|ing)?\b.{0,40}\bresponsibility\b", re.I | re.S)


def _check_integrity(facts: Facts, problems: list[Problem]) -> None:
    """Rules that catch facts bent into the nearest relation the model offers.

    Each rule is a small function yielding ``(field, reason)`` pairs (or, for rules over all
    relations, ``(relation index, field, reason)``); see their docstrings. They run after the
    structural checks and add to the same problem list.
    """

    def record(i: int) -> str:
        rel = facts.relations[i]
        return rel.id or f"relations[{i}] {rel.type} {rel.source} -> {rel.target}"

    found: list[tuple[int, str, str]] = []
    for i, rel in enumerate(facts.relations):
        for rule in (_rule_as_of_within_period, _rule_claims_are_not_attributions):
            found.extend((i, fld, msg) for fld, msg in rule(rel))
    found.extend(_rule_one_container_per_place_type(facts))
    for i, fld, msg in found:
        o = facts.relations[i].origin
        problems.append(Problem(o.file, record(i), fld, msg, o.line))
    for src in facts.of_kind("Source"):
        for fld, msg in _rule_source_date_shown(src):
            problems.append(Problem(src.origin.file, src.id, fld, msg, src.origin.line))


def _rule_as_of_within_period(rel: Relation) -> Iterator[tuple[str, str]]:
    """``as_of`` (held at least then) is a partial date inside the relation's ``since``..``until``.

    An observation outside the stated period contradicts it: either the period or the
    observation says more than its quote.
    """
    if rel.as_of is None:
        return
    if not is_partial_date(rel.as_of):
        yield "as_of", f"{rel.as_of!r} is not a real partial date: YYYY, YYYY-MM or YYYY-MM-DD"
        return
    if rel.since and model.PARTIAL_DATE.match(rel.since) and not dates_ordered(rel.since, rel.as_of):
        yield "as_of", f"observed ({rel.as_of}) before the relation began ({rel.since})"
    if rel.until and model.PARTIAL_DATE.match(rel.until) and not dates_ordered(rel.as_of, rel.until):
        yield "as_of", f"observed ({rel.as_of}) after the relation ended ({rel.until})"


def _rule_claims_are_not_attributions(rel: Relation) -> Iterator[tuple[str, str]]:
    """A CARRIED_OUT whose every quote speaks of a claim of responsibility is a CLAIMED.

    A claim is not proof of the act: the attribution needs a quote that attributes it.
    """
    if rel.type == "CARRIED_OUT" and rel.evidence and all(_CLAIM_OF_RESPONSIBILITY.search(q) for q in rel.evidence):
        yield "type", "every quote reports a claim of responsibility: record it as CLAIMED, not CARRIED_OUT"


def _rule_one_container_per_place_type(facts: Facts) -> Iterator[tuple[int, str, str]]:
    """A place lies within at most one place of each place type (say, one country) at a time.

    A region that extends across several countries does not lie within each of them: it SPANS
    them. Two LOCATED_IN relations to places of the same type are allowed only when their
    periods are dated apart (one ends before the other begins). A place that both SPANS and
    lies within the same place is a contradiction.
    """
    seen: dict[tuple[str, str], list[int]] = {}
    spans = {(r.source, r.target) for r in facts.relations if r.type == "SPANS"}
    for i, rel in enumerate(facts.relations):
        if rel.type != "LOCATED_IN" or rel.target not in facts.entities:
            continue
        if (rel.source, rel.target) in spans:
            yield i, "type", f"{rel.source!r} both SPANS and lies within {rel.target!r}: keep one"
        place_type = facts.entities[rel.target].props.get("place_type")
        if place_type is None:
            continue
        for j in seen.get((rel.source, str(place_type)), []):
            other = facts.relations[j]
            apart = _dated_apart(other, rel) or _dated_apart(rel, other)
            if other.target != rel.target and not apart:
                yield (
                    i,
                    "to",
                    f"{rel.source!r} would lie within two {place_type} places ({other.target!r} and "
                    f"{rel.target!r}): a place that extends across them SPANS them",
                )
                break
        seen.setdefault((rel.source, str(place_type)), []).append(i)


def _dated_apart(first: Relation, second: Relation) -> bool:
    """Whether ``first`` is dated to end no later than ``second`` begins."""
    return bool(first.until and second.since and dates_ordered(first.until, second.since))


def _rule_source_date_shown(src: Entity) -> Iterator[tuple[str, str]]:
    """A publication date said to be shown needs the date as shown, and an inferred one a note saying how."""
    basis = src.props.get("published_basis")
    if basis == "shown" and not src.props.get("date_shown"):
        yield "date_shown", "published_basis is 'shown': give the date as the document shows it"
    if basis == "inferred" and not (src.note and src.note.strip()):
        yield "note", "published_basis is 'inferred': say in the note what the date is inferred from"

"""What every importer shares: streaming row readers, the defect report, and a facts builder.

Every importer has one shape, :class:`Importer`, in the manner of cartography's get / transform /
load stages: ``get`` opens the file and yields its rows (the shared CSV reader rejects rows by cell
count), ``transform`` turns one row into facts through a :class:`FactsBuilder`, ``finish`` does
what needs every row (UCDP's lineage), and ``run`` validates and returns the
:class:`ImportResult`. A new importer is its format and nothing else.

An importer reads a user-supplied file row by row and builds :class:`~graphkit.facts.Facts` with
provenance: the dataset is a Source entity, every relation cites it, names the rows it came from
(``records``) and quotes them (``evidence``). Rows are never fatal: a defect is either repaired
(and reported) or the row is rejected (and reported), and the import ends with a summary. Only a
file that cannot be read as the dataset at all (wrong type, encoding or columns) raises
:class:`~graphkit.errors.DatasetError`, before anything is returned. With ``strict=True`` the first
defect raises :class:`~graphkit.errors.ValidationError` instead.
"""

from __future__ import annotations

import codecs
import csv
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

import yaml
from tqdm import tqdm

from graphkit import _gc, model
from graphkit.errors import DatasetError, Problem, ValidationError
from graphkit.facts import Entity, Facts, Origin, Relation, alias_key, validate

Action = Literal["repaired", "rejected"]

#: Bytes read to recognise a file's type before parsing it.
_SNIFF_BYTES = 64 * 1024
#: csv's default field size limit (128 KiB) is below some real GTD summaries; allow 16 MiB.
csv.field_size_limit(16 * 1024 * 1024)


@dataclass(frozen=True)
class Defect:
    """One repaired or rejected row: where it is, what was wrong, and what the importer did."""

    problem: Problem
    action: Action

    def __str__(self) -> str:
        return f"{self.action}: {self.problem}"


@dataclass
class ImportReport:
    """Every defect of one import, counts of what was read and loaded, and informative tallies.

    ``notes`` counts things that are not defects but that a reader should know (for example GTD
    attacks whose perpetrator is unknown).
    """

    file: str
    dataset: str
    strict: bool = False
    rows: int = 0
    defects: list[Defect] = field(default_factory=list)
    notes: Counter[str] = field(default_factory=Counter)
    #: rows whose fact another row already stated: folded into that relation (line numbers)
    folded: set[int | None] = field(default_factory=set)
    #: set after a merge (``--merge-with``): imported entities merged, and left ambiguous
    merged: int | None = None
    ambiguous: int | None = None
    _rejected_lines: set[int | None] = field(default_factory=set, repr=False)
    _repaired_lines: set[int | None] = field(default_factory=set, repr=False)

    def _add(self, action: Action, line: int | None, record: str, fld: str, message: str) -> None:
        problem = Problem(self.file, record, fld, message, line)
        if self.strict:
            stopped = f"{message} (--strict: the import stopped at this row; nothing was written or loaded)"
            raise ValidationError([Problem(self.file, record, fld, stopped, line)])
        self.defects.append(Defect(problem, action))
        (self._rejected_lines if action == "rejected" else self._repaired_lines).add(line)

    def repaired(self, line: int | None, record: str, fld: str, message: str) -> None:
        """Report a defect that was repaired (the row is loaded)."""
        self._add("repaired", line, record, fld, message)

    def rejected(self, line: int | None, record: str, fld: str, message: str) -> None:
        """Report a defect that made the importer reject the row (nothing of it is loaded)."""
        self._add("rejected", line, record, fld, message)

    @property
    def rows_rejected(self) -> int:
        """How many rows were rejected."""
        return len(self._rejected_lines)

    @property
    def rows_repaired(self) -> int:
        """How many loaded rows needed a repair."""
        return len(self._repaired_lines - self._rejected_lines)

    @property
    def rows_loaded(self) -> int:
        """How many rows were loaded (with or without repairs)."""
        return self.rows - self.rows_rejected

    def lines(self) -> list[str]:
        """Every defect as one printable line, in file order."""
        return [str(d) for d in sorted(self.defects, key=lambda d: (d.problem.line or 0, d.problem.field))]

    def summary(self) -> str:
        """One paragraph: rows read, loaded, repaired, folded, merged, ambiguous, rejected, and the notes."""
        text = (
            f"{self.file}: {self.dataset}: {self.rows} rows read, {self.rows_loaded} loaded "
            f"({self.rows_repaired} repaired, {len(self.folded - self._rejected_lines)} folded into a relation "
            f"another row stated), {self.rows_rejected} rejected; {len(self.defects)} defect(s) reported"
        )
        if self.merged is not None:
            text += f"; {self.merged} entities merged, {self.ambiguous} ambiguous (not merged)"
        if self.folded:
            text += "\n  folded rows (lines): " + _line_list(self.folded)
        if self.notes:
            text += "\n" + "\n".join(f"  {n} {what}" for what, n in sorted(self.notes.items()))
        return text


def _line_list(lines: Iterable[int | None], limit: int = 20) -> str:
    """``3, 5, 9 ... (+12 more)``: line numbers for a summary."""
    ordered = sorted(n for n in lines if n is not None)
    shown = ", ".join(map(str, ordered[:limit]))
    return shown + (f" ... (+{len(ordered) - limit} more)" if len(ordered) > limit else "")


@dataclass
class ImportResult:
    """The validated facts of an import and its report."""

    facts: Facts
    report: ImportReport
    #: the entities are distinct records of the dataset (ids, reference numbers), not free-text
    #: labels: two of them landing on one existing entity is a collision, not two spellings
    identified: bool = False


# --------------------------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------------------------


def check_file(path: Path, dataset: str) -> bytes:
    """Open ``path`` and return its first bytes, or raise DatasetError if it is not a readable file."""
    if not path.is_file():
        raise DatasetError(f"{path}: not a file (expected a {dataset} file)")
    with path.open("rb") as fh:
        return fh.read(_SNIFF_BYTES)


def detect_encoding(path: Path, head: bytes, encodings: Sequence[str], dataset: str) -> str:
    """The first of ``encodings`` in which the whole file decodes, or DatasetError.

    A file with NUL bytes is binary (or UTF-16), never a CSV in the expected encodings. The file is
    decoded incrementally, so this costs one pass over the bytes and no memory.
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DatasetError(f"{path}: UTF-16 text; {dataset} files are read as {' or '.join(encodings)}: re-save as CSV")
    if head.startswith(b"PK\x03\x04"):
        raise DatasetError(f"{path}: a ZIP archive (XLSX or zipped file), not a {dataset} CSV")
    if b"\x00" in head:
        raise DatasetError(f"{path}: binary data (NUL bytes), not a {dataset} CSV text file")
    failures = []
    for enc in encodings:
        decoder = codecs.getincrementaldecoder(enc)()
        offset = 0
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    decoder.decode(chunk)
                    offset += len(chunk)
                decoder.decode(b"", final=True)
            return "utf-8-sig" if enc == "utf-8" else enc
        except UnicodeDecodeError as exc:
            failures.append(f"not {enc} (byte 0x{exc.object[exc.start]:02x} at offset {offset + exc.start})")
    raise DatasetError(f"{path}: wrong encoding for a {dataset} file: {'; '.join(failures)}")


def _sniff_delimiter(head: str, default: str) -> str:
    first = head.splitlines()[0] if head else ""
    counts = {d: first.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else default


@dataclass
class Table:
    """A streaming view of a delimited text file: its header and its rows with line numbers."""

    path: Path
    header: list[str]
    encoding: str
    delimiter: str
    size: int
    #: the first row is the header (else the columns are numbered 1, 2, ... and row 1 is data)
    has_header: bool = True

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Yield ``(line, cells)`` for every data row; ``line`` is the 1-based line the row starts on."""
        with self.path.open(encoding=self.encoding, newline="") as fh:
            # strict: a quoted field that never closes (a file cut mid-quote) is an error, not a short value.
            reader = csv.reader(fh, delimiter=self.delimiter, strict=True)
            start = 1
            try:
                if self.has_header:
                    next(reader, None)
                start = reader.line_num + 1
                for cells in reader:
                    if cells:
                        yield start, cells
                    start = reader.line_num + 1
            except csv.Error as exc:
                raise DatasetError(f"{self.path}:{start}: not readable CSV from here on: {exc}") from None


def open_table(
    path: Path | str,
    dataset: str,
    required: Sequence[str],
    encodings: Sequence[str] = ("utf-8",),
    delimiter: str | None = None,
    *,
    has_header: bool = True,
    hint: str = "",
) -> Table:
    """Open a CSV/TSV file as a :class:`Table`, checking type, encoding and required columns.

    A header written as a comment (``# source, target``) is read as the header. Without a header
    (``has_header=False``) the columns are named by their numbers, ``"1"``, ``"2"``, ...

    Raises
    ------
    DatasetError
        If the file is missing, binary, in another encoding, has no header, or lacks any of the
        ``required`` columns (all missing columns are named at once).
    """
    path = Path(path)
    head = check_file(path, dataset)
    encoding = detect_encoding(path, head, encodings, dataset)
    text = head.decode(encoding, errors="ignore")
    delim = delimiter or _sniff_delimiter(text, "\t" if path.suffix.lower() in (".tsv", ".tab") else ",")
    with path.open(encoding=encoding, newline="") as fh:
        try:
            header = next(csv.reader(fh, delimiter=delim, strict=True), None)
        except csv.Error as exc:
            raise DatasetError(f"{path}: not a readable {dataset} CSV: {exc}") from exc
    if not header or not any(h.strip() for h in header):
        raise DatasetError(f"{path}: empty file or no header row (expected a {dataset} file)")
    header = [h.strip() for h in header]
    if not has_header:
        header = [str(i) for i in range(1, len(header) + 1)]
    elif header[0].startswith("#"):
        header[0] = header[0].lstrip("#").strip()
    missing = [c for c in required if c not in header]
    if missing:
        found = ", ".join(repr(h) for h in header[:12]) + (" ..." if len(header) > 12 else "")
        raise DatasetError(
            f"{path}: not a {dataset} file: missing column(s) {', '.join(missing)} "
            f"(header has {len(header)} columns: {found}){hint}"
        )
    return Table(path, header, encoding, delim, path.stat().st_size, has_header)


def progress(total: int | None, desc: str, enabled: bool) -> tqdm[Any]:
    """A progress bar on stderr (a no-op bar when ``enabled`` is false)."""
    return tqdm(total=total, desc=desc, unit="row", disable=not enabled, file=sys.stderr, leave=False)


# --------------------------------------------------------------------------------------------
# Building facts
# --------------------------------------------------------------------------------------------


def slugify(text: str) -> str:
    """A stable entity id for a name: ASCII, lower case, words joined by hyphens.

    Examples
    --------
    >>> slugify("Tehrik-i-Taliban Pakistan (TTP)")
    'tehrik-i-taliban-pakistan-ttp'
    >>> slugify("Asa'ib Ahl al-Haq")
    'asaib-ahl-al-haq'
    """
    t = re.sub(r"['’‘`´]", "", text)
    t = unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", t.lower()).strip("-")


def partial_date(year: int, month: int = 0, day: int = 0) -> str | None:
    """A partial date from numbers where 0 means unknown; None if the date cannot exist.

    Examples
    --------
    >>> partial_date(2015, 1, 0), partial_date(2015, 0, 0), partial_date(2015, 2, 30)
    ('2015-01', '2015', None)
    """
    import datetime as dt

    if not 1 <= year <= 9999 or not 0 <= month <= 12 or not 0 <= day <= 31 or (month == 0 and day):
        return None
    if month == 0:
        return f"{year:04d}"
    if day == 0:
        return f"{year:04d}-{month:02d}"
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


class FactsBuilder:
    """Accumulates entities and relations for one dataset, keeping ids and names unique.

    Entities are keyed by ``(kind, key)`` where ``key`` is the importer's natural key (a name, a
    place path); the same key always gets the same id. Relations with the same type, ends and start
    date are one relation whose evidence and records accumulate (the same fact stated by several
    rows), so a dataset's duplicate rows never become duplicate relations.
    """

    def __init__(self, source: Entity) -> None:
        self.source = source
        self.facts = Facts({source.id: source}, [])
        self._ids: dict[tuple[str, str], str] = {}
        self._names: dict[str, str] = {}
        self._rels: dict[tuple[str, str, str, str], Relation] = {}
        #: lines of rows whose relation another row had already stated (folded into it)
        self.folded: set[int | None] = set()
        #: (line, key, message) of every entity whose name another entity had: it was qualified
        self.renamed: list[tuple[int | None, str, str]] = []
        #: aliases left out because another entity of the file has that name
        self.skipped_aliases: list[str] = []

    def entity(self, kind: str, key: str, name: str, origin: Origin, slug: str | None = None, **props: Any) -> str:
        """The id of the entity ``(kind, key)``, created on first sight with ``name`` and ``props``.

        Its id is a slug of ``slug`` (default: of ``key``), made unique with a numeric suffix.
        """
        found = self._ids.get((kind, key))
        if found is not None:
            return found
        base = slugify(slug or key) or f"{kind.lower()}-{len(self._ids)}"
        ident, n = base, 1
        while ident in self.facts.entities:
            n += 1
            ident = f"{base}-{n}"
        owner = self._names.get(alias_key(name))
        if owner is not None:
            # Names must be unique across entities: qualify a clash with the kind (reported).
            qualified = f"{name} ({kind.lower()} {ident})"
            self.renamed.append((origin.line, key, f"name {name!r} is already {owner}'s: named {qualified!r}"))
            name = qualified
        self._names[alias_key(name)] = ident
        self._ids[(kind, key)] = ident
        self.facts.entities[ident] = Entity(
            ident, kind, name, sources=[self.source.id], props={k: v for k, v in props.items() if v is not None}
        )
        self.facts.entities[ident].origin = origin
        return ident

    def add_alias(self, ident: str, alias: str) -> None:
        """Add ``alias`` to an entity unless it is already one of its names or another entity's."""
        ent = self.facts.entities[ident]
        key = alias_key(alias)
        owner = self._names.get(key)
        if not key or owner == ident:
            return
        if owner is not None:
            self.skipped_aliases.append(f"alias {alias!r} of {ident} is already {owner}'s name: left out")
            return
        self._names[key] = ident
        ent.aliases.append(alias)

    def relate(
        self,
        rtype: str,
        source: str,
        target: str,
        evidence: str,
        record: str,
        origin: Origin,
        *,
        confidence: str = "reported",
        since: str | None = None,
        note: str | None = None,
        weight: float | None = None,
        accumulate: bool = True,
    ) -> Relation:
        """Add (or extend) the relation ``rtype`` from ``source`` to ``target``.

        A repeat of the same relation adds its quote, record and weight (unless ``accumulate`` is
        false) and keeps the stronger confidence.
        """
        source, target = model.RELATION_KIND[rtype].canonical(source, target)
        key = (rtype, source, target, since or "")
        rel = self._rels.get(key)
        if rel is None:
            rel = Relation(rtype, source, target, [self.source.id], [evidence], confidence, since, None, note, [record])
            rel.origin = origin
            rel.weight = weight
            self._rels[key] = rel
            self.facts.relations.append(rel)
            return rel
        if accumulate:
            if record not in rel.records:
                self.folded.add(origin.line)
            if evidence not in rel.evidence:
                rel.evidence.append(evidence)
            if record not in rel.records:
                rel.records.append(record)
            if note and note != rel.note:
                rel.note = f"{rel.note}; {note}" if rel.note else note
            if weight is not None:
                rel.weight = weight + (rel.weight or 0.0)
        if model.CONFIDENCE_WEIGHT[confidence] > model.CONFIDENCE_WEIGHT[rel.confidence]:
            rel.confidence = confidence
        return rel


# --------------------------------------------------------------------------------------------
# The importer skeleton
# --------------------------------------------------------------------------------------------


class Importer:
    """One importer's shape: ``get`` rows, ``transform`` each into facts, ``finish``, then ``run``.

    A subclass declares its dataset (``dataset``, ``source``, ``columns``, ``encodings``) and
    writes ``transform`` (and, where the format is not a CSV table, ``get``). The skeleton counts
    rows, rejects rows whose cell count is not the header's, shows progress, collects the folded
    rows, and validates the facts.
    """

    dataset: ClassVar[str] = "dataset"
    source: ClassVar[Entity]
    columns: tuple[str, ...] = ()
    encodings: ClassVar[tuple[str, ...]] = ("utf-8",)
    #: see :attr:`ImportResult.identified`
    identified: ClassVar[bool] = False

    def __init__(self, path: Path | str, *, strict: bool = False, show_progress: bool = False) -> None:
        self.path = Path(path)
        self.report = ImportReport(str(self.path), self.dataset, strict=strict)
        self.builder = FactsBuilder(self.make_source())
        self.show_progress = show_progress

    def make_source(self) -> Entity:
        """The dataset's Source entity (a class attribute unless the file decides it)."""
        return self.source

    def origin(self, line: int | None) -> Origin:
        """Where a fact of row ``line`` comes from."""
        return Origin(str(self.path), line)

    @staticmethod
    def quote(row: dict[str, str], columns: Iterable[str]) -> str:
        """The row's own cells, verbatim, as evidence: ``col=value; col=value`` (empty cells left out)."""
        return "; ".join(f"{c}={row[c].strip()}" for c in columns if row.get(c, "").strip())

    def get(self) -> Iterator[tuple[int, dict[str, str]]]:
        """The file's rows as ``(line, {column: cell})``; the default reads a CSV table."""
        table = open_table(self.path, self.dataset, self.columns, encodings=self.encodings)
        yield from self.table_rows(table.header, table.rows())

    def table_rows(
        self, header: Sequence[str], rows: Iterable[tuple[int, list[str]]]
    ) -> Iterator[tuple[int, dict[str, str]]]:
        """Count rows; reject those whose cell count is not the header's; yield the rest as dicts."""
        for line, cells in rows:
            self.report.rows += 1
            if len(cells) != len(header):
                record = cells[0] if cells else ""
                self.report.rejected(line, record, "", f"{len(cells)} cell(s); the header has {len(header)}")
                continue
            yield line, dict(zip(header, cells, strict=True))

    def transform(self, line: int, row: dict[str, str]) -> None:
        """Turn one row into facts (through ``self.builder``), reporting its defects."""
        raise NotImplementedError

    def finish(self) -> None:
        """Anything that needs every row (default: nothing)."""

    def run(self) -> ImportResult:
        """get, transform every row, finish, validate: the :class:`ImportResult`.

        The collector is paused throughout (:mod:`graphkit._gc`): every record built survives.
        """
        with _gc.paused():
            bar = progress(None, self.dataset, self.show_progress)
            for line, row in self.get():
                bar.update()
                self.transform(line, row)
            bar.close()
            self.finish()
            for at, key, message in self.builder.renamed:
                self.report.repaired(at, key, "name", message)
            for message in self.builder.skipped_aliases:
                self.report.notes[message] += 1
            self.report.folded |= self.builder.folded
            return ImportResult(validate(self.builder.facts), self.report, identified=self.identified)


# --------------------------------------------------------------------------------------------
# Writing facts
# --------------------------------------------------------------------------------------------


def facts_to_data(facts: Facts) -> dict[str, list[dict[str, Any]]]:
    """Facts as the plain data of a fact file (the YAML sections of ``seed/``).

    The records are the entities' and relations' own stored properties
    (:meth:`~graphkit.facts.Entity.properties`, :meth:`~graphkit.facts.Relation.properties`), so a
    property the model gains is written without a change here.
    """
    data: dict[str, list[dict[str, Any]]] = {}
    for kind in model.NODE_KINDS:
        records = [{k: v for k, v in e.properties().items() if v != []} for e in facts.of_kind(kind.name)]
        if records:
            data[kind.section] = records
    rels = []
    for r in facts.relations:
        rec: dict[str, Any] = {"type": r.type, "from": r.source, "to": r.target}
        if r.id is not None:
            rec["id"] = r.id
        rec.update((k, v) for k, v in r.properties().items() if k != "key")
        rels.append(rec)
    if rels:
        data["relations"] = rels
    return data


class _QuotedDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """A YAML dumper (libyaml when available) that keeps partial dates and ids as strings."""


def write_facts(facts: Facts, path: Path | str) -> Path:
    """Write ``facts`` as one YAML fact file in the format of ``seed/`` (readable by ``read_facts``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(facts_to_data(facts), fh, Dumper=_QuotedDumper, sort_keys=False, allow_unicode=True, width=120)
    return path

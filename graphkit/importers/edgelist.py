"""Import an edge list: any CSV/TSV with a source and a target column, for published networks.

Columns are named by the caller: ``source`` and ``target`` (required), and optionally ``type``
(a relation kind of the model, e.g. ``ALLIED_WITH``; otherwise ``relation`` for every row),
``date`` (a partial date, loaded as ``since``) and ``weight`` (the relation's ``weight``, which
weighted metrics multiply with the confidence weight). A header written as a comment
(``# source, target``) is a header; a file without one is read with ``has_header=False``, its
columns then named by number (``source="1"``, ``target="2"``, the defaults then). Lines whose
first cell starts with ``#`` are comments. Nodes are entities of one ``kind`` (Group or Person),
named by their labels with inner whitespace collapsed (``"Marwan  Al-Shehhi"`` is
``"Marwan Al-Shehhi"``); or, with a node table (``nodes``: a CSV of ids and names, as many
published networks give integer ids), the edges' cells are ids and the nodes are named by the
table. A row that repeats an edge is folded into it (its quote and record added, its weight
summed) and counted in the report. Provenance: a Source for the file (``dataset`` id, with
``citation``/``publisher`` when given); ``records`` ``<dataset>:<line>``; ``evidence`` the row
itself, verbatim.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from graphkit import model
from graphkit.errors import DatasetError
from graphkit.facts import Entity
from graphkit.importers.common import Importer, ImportResult, open_table, slugify

_NO_HEADER_HINT = "; if the file has no header row, use --no-header and give the columns by number (1, 2, ...)"


def read_node_table(path: Path | str, id_column: str = "id", name_column: str = "name") -> dict[str, str]:
    """A node table (CSV/TSV of ids and names) as ``{id: name}``; DatasetError if it is not one."""
    table = open_table(Path(path), "node table", (id_column, name_column), encodings=("utf-8", "cp1252"))
    i, n = table.header.index(id_column), table.header.index(name_column)
    nodes: dict[str, str] = {}
    problems = []
    for line, cells in table.rows():
        if len(cells) != len(table.header):
            problems.append(f"line {line}: {len(cells)} cell(s); the header has {len(table.header)}")
            continue
        ident, name = cells[i].strip(), " ".join(cells[n].split())
        if not ident or not name:
            problems.append(f"line {line}: empty id or name")
        elif ident in nodes:
            problems.append(f"line {line}: duplicate id {ident!r}")
        else:
            nodes[ident] = name
    if problems:
        raise DatasetError(f"{path}: not a usable node table: " + "; ".join(problems[:10]))
    return nodes


class EdgeListImporter(Importer):
    """One relation per row between two nodes of one kind."""

    dataset = "edge list"
    encodings = ("utf-8", "cp1252")

    def __init__(
        self,
        path: Path | str,
        *,
        source: str,
        target: str,
        type_column: str | None,
        date_column: str | None,
        weight_column: str | None,
        relation: str,
        kind: str,
        dataset: str | None,
        citation: str | None,
        publisher: str | None,
        delimiter: str | None,
        has_header: bool,
        nodes: dict[str, str] | None,
        strict: bool,
        show_progress: bool,
    ) -> None:
        self.sid = dataset or slugify(Path(path).stem) or "edge-list"
        props = {"citation": citation, "publisher": publisher}
        self._source = Entity(
            self.sid, "Source", citation or f"Edge list {Path(path).name}", props={k: v for k, v in props.items() if v}
        )
        super().__init__(path, strict=strict, show_progress=show_progress)
        self.source_col, self.target_col = source, target
        self.type_column, self.date_column, self.weight_column = type_column, date_column, weight_column
        self.relation, self.kind = relation, kind
        self.delimiter, self.has_header, self.nodes = delimiter, has_header, nodes
        self.columns = tuple(c for c in (source, target, type_column, date_column, weight_column) if c)

    def make_source(self) -> Entity:
        """The file's own Source."""
        return self._source

    def get(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Rows of the table (comment lines skipped)."""
        hint = _NO_HEADER_HINT if self.has_header else ""
        table = open_table(
            self.path,
            self.dataset,
            self.columns,
            encodings=self.encodings,
            delimiter=self.delimiter,
            has_header=self.has_header,
            hint=hint,
        )
        self.sep = table.delimiter
        self.order = table.header

        def uncommented() -> Iterator[tuple[int, list[str]]]:
            for line, cells in table.rows():
                if cells and cells[0].lstrip().startswith("#"):
                    self.report.notes["comment lines skipped"] += 1
                    continue
                yield line, cells

        yield from self.table_rows(table.header, uncommented())

    def transform(self, line: int, row: dict[str, str]) -> None:
        """One edge: its two nodes and the relation, reporting the row's defects."""
        report = self.report
        record = f"{self.sid}:{line}"
        a, b = (" ".join(row[c].split()) for c in (self.source_col, self.target_col))
        if not a or not b:
            report.rejected(line, record, self.source_col if not a else self.target_col, "empty endpoint")
            return
        if self.nodes is not None:
            missing = [x for x in (a, b) if x not in self.nodes]
            if missing:
                report.rejected(
                    line, record, self.source_col, f"node id(s) {', '.join(map(repr, missing))} not in the node table"
                )
                return
        if a == b:
            report.rejected(line, record, self.target_col, "an edge from a node to itself")
            return
        rtype = self.relation
        if self.type_column:
            cell = row[self.type_column]
            rtype = cell.strip().upper().replace(" ", "_").replace("-", "_")
            if rtype not in model.RELATION_KIND:
                report.rejected(line, record, self.type_column, f"{cell!r} is not a relation kind of the model")
                return
        rkind = model.RELATION_KIND[rtype]
        if self.kind not in rkind.sources or self.kind not in rkind.targets:
            report.rejected(line, record, self.type_column or "", f"a {rtype} cannot link {self.kind} to {self.kind}")
            return
        since = None
        if self.date_column and row[self.date_column].strip():
            since = row[self.date_column].strip()
            if not model.PARTIAL_DATE.match(since):
                report.repaired(
                    line, record, self.date_column, f"{since!r} is not YYYY, YYYY-MM or YYYY-MM-DD: loaded undated"
                )
                since = None
        weight = None
        if self.weight_column and row[self.weight_column].strip():
            w = row[self.weight_column].strip()
            try:
                weight = float(w)
            except ValueError:
                weight = None
            if weight is None or not 0 <= weight < float("inf"):
                report.repaired(line, record, self.weight_column, f"{w!r} is not a number >= 0: weight left out")
                weight = None
        origin = self.origin(line)
        ends = []
        for label in (a, b):
            name = self.nodes[label] if self.nodes is not None else label
            ends.append(self.builder.entity(self.kind, label, name, origin, slug=name))
        evidence = self.sep.join(row[c] for c in self.order)
        self.builder.relate(rtype, ends[0], ends[1], evidence, record, origin, since=since, weight=weight)


def import_edgelist(
    path: Path | str,
    *,
    source: str | None = None,
    target: str | None = None,
    type_column: str | None = None,
    date_column: str | None = None,
    weight_column: str | None = None,
    relation: str = "ALLIED_WITH",
    kind: str = "Group",
    dataset: str | None = None,
    citation: str | None = None,
    publisher: str | None = None,
    delimiter: str | None = None,
    has_header: bool = True,
    nodes: Path | str | None = None,
    node_id: str = "id",
    node_name: str = "name",
    strict: bool = False,
    show_progress: bool = False,
) -> ImportResult:
    """Import an edge list as validated facts.

    Parameters
    ----------
    path : path
        CSV or TSV file (the delimiter is sniffed unless given).
    source, target : str, optional
        Names of the endpoint columns (default ``source``/``target``; ``1``/``2`` without a header).
    type_column, date_column, weight_column : str, optional
        Names of the optional relation type, date and weight columns.
    relation : str
        Relation kind of rows without a type column.
    kind : str
        Node kind of the endpoints (``Group`` or ``Person``).
    dataset : str, optional
        Id of the Source entity for the file (default: a slug of the file name).
    citation, publisher : str, optional
        How to cite the network, and who published it.
    has_header : bool
        Whether the first row is a header (else columns are named by number).
    nodes : path, optional
        A node table: the edges' cells are its ids (``node_id`` column) and nodes are named by
        its ``node_name`` column.
    strict : bool
        Raise :class:`~graphkit.errors.ValidationError` on the first defect instead of reporting it.
    show_progress : bool
        Show a progress bar on stderr.

    Raises
    ------
    DatasetError
        If the file cannot be read, lacks a named column, or the relation/kind is not in the model.
    """
    relation = relation.upper()
    if relation not in model.RELATION_KIND:
        raise DatasetError(f"unknown relation {relation!r}; expected one of {', '.join(model.RELATION_KIND)}")
    if kind not in model.NODE_KIND or kind in ("Source", "Attack", "Place"):
        raise DatasetError(f"edge-list nodes must be Group or Person, not {kind!r}")
    table = read_node_table(nodes, node_id, node_name) if nodes is not None else None
    return EdgeListImporter(
        path,
        source=source or ("source" if has_header else "1"),
        target=target or ("target" if has_header else "2"),
        type_column=type_column,
        date_column=date_column,
        weight_column=weight_column,
        relation=relation,
        kind=kind,
        dataset=dataset,
        citation=citation,
        publisher=publisher,
        delimiter=delimiter,
        has_header=has_header,
        nodes=table,
        strict=strict,
        show_progress=show_progress,
    ).run()

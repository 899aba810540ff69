"""Import an edge list: any CSV/TSV with a source and a target column, for published networks.

Columns are named by the caller: ``source`` and ``target`` (required), and optionally ``type``
(a relation kind of the model, e.g. ``ALLIED_WITH``; otherwise ``relation`` for every row),
``date`` (a partial date, loaded as ``since``) and ``weight`` (the relation's ``weight``, which
weighted metrics multiply with the confidence weight). Nodes are entities of one ``kind`` (Group or Person), named by
their labels. Provenance: a Source for the file (``dataset`` id, with ``citation``/``publisher``
when given); ``records`` ``<dataset>:<line>``; ``evidence`` the row itself, verbatim.
"""

from __future__ import annotations

from pathlib import Path

from graphkit import model
from graphkit.errors import DatasetError
from graphkit.facts import Entity, Origin, validate
from graphkit.importers.common import FactsBuilder, ImportReport, ImportResult, open_table, progress, slugify


def import_edgelist(
    path: Path | str,
    *,
    source: str = "source",
    target: str = "target",
    type_column: str | None = None,
    date_column: str | None = None,
    weight_column: str | None = None,
    relation: str = "ALLIED_WITH",
    kind: str = "Group",
    dataset: str | None = None,
    citation: str | None = None,
    publisher: str | None = None,
    delimiter: str | None = None,
    strict: bool = False,
    show_progress: bool = False,
) -> ImportResult:
    """Import an edge list as validated facts.

    Parameters
    ----------
    path : path
        CSV or TSV file with a header row (the delimiter is sniffed unless given).
    source, target : str
        Names of the endpoint columns.
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
    strict : bool
        Raise :class:`~graphkit.errors.ValidationError` on the first defect instead of reporting it.
    show_progress : bool
        Show a progress bar on stderr.

    Raises
    ------
    DatasetError
        If the file cannot be read, lacks a named column, or the relation/kind is not in the model.
    """
    path = Path(path)
    relation = relation.upper()
    if relation not in model.RELATION_KIND:
        raise DatasetError(f"unknown relation {relation!r}; expected one of {', '.join(model.RELATION_KIND)}")
    if kind not in model.NODE_KIND or kind in ("Source", "Attack", "Place"):
        raise DatasetError(f"edge-list nodes must be Group or Person, not {kind!r}")
    columns = [c for c in (source, target, type_column, date_column, weight_column) if c]
    table = open_table(path, "edge list", columns, encodings=("utf-8", "cp1252"), delimiter=delimiter)
    col = {c: i for i, c in enumerate(table.header)}
    sid = dataset or slugify(path.stem) or "edge-list"
    props = {"file": None, "citation": citation, "publisher": publisher}
    src = Entity(sid, "Source", citation or f"Edge list {path.name}", props={k: v for k, v in props.items() if v})
    report = ImportReport(str(path), "edge list", strict=strict)
    builder = FactsBuilder(src)
    bar = progress(None, "edge list", show_progress)
    for line, cells in table.rows():
        bar.update()
        report.rows += 1
        if len(cells) != len(col):
            report.rejected(line, "", "", f"{len(cells)} cell(s); the header has {len(col)}")
            continue
        a, b = cells[col[source]].strip(), cells[col[target]].strip()
        record = f"{sid}:{line}"
        if not a or not b:
            report.rejected(line, record, source if not a else target, "empty endpoint")
            continue
        if a == b:
            report.rejected(line, record, target, "an edge from a node to itself")
            continue
        rtype = relation
        if type_column:
            rtype = cells[col[type_column]].strip().upper().replace(" ", "_").replace("-", "_")
            if rtype not in model.RELATION_KIND:
                report.rejected(
                    line, record, type_column, f"{cells[col[type_column]]!r} is not a relation kind of the model"
                )
                continue
        rkind = model.RELATION_KIND[rtype]
        if kind not in rkind.sources or kind not in rkind.targets:
            report.rejected(line, record, type_column or "", f"a {rtype} cannot link {kind} to {kind}")
            continue
        since = None
        if date_column and cells[col[date_column]].strip():
            since = cells[col[date_column]].strip()
            if not model.PARTIAL_DATE.match(since):
                report.repaired(
                    line, record, date_column, f"{since!r} is not YYYY, YYYY-MM or YYYY-MM-DD: loaded undated"
                )
                since = None
        weight = None
        if weight_column and cells[col[weight_column]].strip():
            w = cells[col[weight_column]].strip()
            try:
                weight = float(w)
            except ValueError:
                weight = None
            if weight is None or not 0 <= weight < float("inf"):
                report.repaired(line, record, weight_column, f"{w!r} is not a number >= 0: weight left out")
                weight = None
        origin = Origin(str(path), line)
        ends = [builder.entity(kind, label, label, origin) for label in (a, b)]
        evidence = table.delimiter.join(cells)
        builder.relate(rtype, ends[0], ends[1], evidence, record, origin, since=since, weight=weight)
    bar.close()
    return ImportResult(validate(builder.facts), report)

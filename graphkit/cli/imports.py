"""CLI commands: ``graphkit import gtd|ucdp|mmp|edgelist|un|acled FILE`` and ``graphkit import undo``.

Each subcommand runs the library importer (:mod:`graphkit.importers`), prints every repaired or
rejected row and a summary, optionally merges the result into existing facts (``--merge-with
seed/``, see :mod:`graphkit.aliases`), then writes a fact file (``--out``) and/or loads the facts
into the store (``--load``, as the scope named by the dataset's Source id).

Imports compose: with ``--merge-with``, ``--out`` writes only what the dataset adds (its own
entities, sources and relations); its relations reference the existing entities it merged into
by id, so ``graphkit validate seed F.yaml G.yaml`` (and ``view``, ``metrics``, ``load``) work on
the seed plus any imports merged against it. The merge log (``F.merges.yaml``) records every
merge, the names found for existing entities, and the import as it was, so ``graphkit import
undo F.yaml`` gives back the unmerged import. ``--load`` loads the imported relations with the
entities they reach, and nothing else: an existing entity keeps the properties its own facts give
it (ownership of a node's properties is decided once, by the facts that define it, for files
and for the database alike). Ambiguous matches are not merged; they are written to
``F.decisions.yaml`` for you to decide, and the next import reads it with ``--decisions``.

Exit status: 0 when every row loaded, 3 when some rows were rejected (the sound ones are still
written and loaded); errors of the file itself (type, encoding, columns) and ``--strict`` defects
exit 2, writing and loading nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
import yaml

from graphkit import model
from graphkit.aliases import dataset_part, decisions_template, imported_part, merge_into, read_decisions
from graphkit.cli.options import connection_options
from graphkit.errors import DatasetError, Problem, ValidationError
from graphkit.facts import Facts, read_facts, validate

if TYPE_CHECKING:
    from graphkit.importers import ImportResult

F = TypeVar("F", bound=Callable[..., Any])
#: Exit status when some rows were rejected (the rest were imported).
REJECTED_EXIT = 3


def _common(command: F) -> F:
    """The options every import subcommand shares."""
    options = (
        click.option("--strict", is_flag=True, help="Fail on the first defect instead of repairing or skipping rows."),
        click.option(
            "--merge-with",
            "merge_with",
            multiple=True,
            type=click.Path(exists=True, path_type=Path),
            metavar="PATH",
            help="Fact files or directories (e.g. seed/) to resolve the imported actors against; repeatable.",
        ),
        click.option(
            "--decisions",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            metavar="DECISIONS.yaml",
            help="Merge decisions for earlier ambiguities (the F.decisions.yaml an earlier import wrote, edited).",
        ),
        click.option("--load", is_flag=True, help="Load the facts into the store (scope: the dataset's Source id)."),
        click.option(
            "--replace-all",
            is_flag=True,
            help="With --load: allow removing more than half of what the scope holds (refused otherwise).",
        ),
        click.option(
            "--out",
            type=click.Path(dir_okay=False, path_type=Path),
            metavar="FACTS.yaml",
            help="Write the facts to this YAML fact file (with --merge-with: only what the dataset adds; "
            "the merge log and any pending decisions next to it).",
        ),
    )
    for option in options:
        command = option(command)
    return connection_options(command)


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DatasetError(f"{path}: not a readable YAML file: {exc}") from None


def _after_merge(exc: ValidationError, merge_with: tuple[Path, ...]) -> ValidationError:
    """The same problems, each saying that the merge caused it."""
    where = ", ".join(map(str, merge_with))
    return ValidationError(
        [Problem(p.file, p.record, p.field, f"after merging with {where}: {p.message}", p.line) for p in exc.problems]
    )


def _header(log_refs: list[str], merge_with: tuple[Path, ...], log_path: Path) -> str:
    refs = ", ".join(log_refs) or "none"
    return (
        f"# What this import adds to {', '.join(map(str, merge_with))} (validate them together: "
        f"graphkit validate {' '.join(map(str, merge_with))} THIS_FILE).\n"
        f"# Existing entities it references (merged into, or reached by its relations): {refs}\n"
        f"# Merge log (names found for them, and the import as it was): {log_path.name}\n"
    )


def _finish(
    result: ImportResult,
    *,
    out: Path | None,
    load: bool,
    replace_all: bool,
    merge_with: tuple[Path, ...],
    decisions: Path | None,
    uri: str | None,
    user: str | None,
    database: str | None,
) -> None:
    """Print the report, merge, write and load, then exit with the import's status."""

    report = result.report
    for line in report.lines():
        click.echo(line)
    facts: Facts = result.facts
    to_write, to_load = facts, facts
    scope = next(e.id for e in facts.of_kind("Source"))
    header = ""
    pending: dict[str, Any] | None = None
    log_data: dict[str, Any] | None = None
    if decisions is not None and not merge_with:
        raise DatasetError("--decisions needs --merge-with (the facts the decisions merge into)")
    if merge_with:
        existing = read_facts(list(merge_with))
        decided: dict[str, str] = {}
        if decisions is not None:
            try:
                decided = read_decisions(_read_yaml(decisions))
            except ValueError as exc:
                raise DatasetError(f"{decisions}: {exc}") from None
        merged, log = merge_into(existing, facts, distinct=result.identified, decisions=decided)
        try:
            validate(merged)
        except ValidationError as exc:
            raise _after_merge(exc, merge_with) from None
        to_write = dataset_part(merged, log)
        to_load = imported_part(merged, log)
        for line in log.lines():
            click.echo(line)
        click.echo(log.summary())
        report.merged, report.ambiguous = len(log.merges), len(log.ambiguous)
        log_data = log.to_data()
        if log.ambiguous:
            pending = decisions_template(log)
        if out is not None:
            refs = sorted(set(log.referenced) | {m.existing_id for m in log.merges})
            header = _header(refs, merge_with, out.with_name(out.stem + ".merges.yaml"))
    if out is not None:
        _write(to_write, out, header, log_data, pending)
    if load:
        from graphkit.connection import resolve_settings
        from graphkit.store import load as store_load

        settings = resolve_settings(uri, user, database)
        # what the importer validated goes as it is; a part of merged facts is validated again
        loaded = store_load(
            to_load, settings, scope=scope, progress=True, replace_all=replace_all, validated=to_load is facts
        )
        click.echo(loaded.summary())
    click.echo(report.summary())
    if report.rows_rejected:
        raise SystemExit(REJECTED_EXIT)


def _write(
    facts: Facts, out: Path, header: str, log_data: dict[str, Any] | None, pending: dict[str, Any] | None
) -> None:
    """Write the fact file (with its header comment), the merge log and pending decisions."""
    from graphkit.importers import write_facts

    write_facts(facts, out)
    if header:
        out.write_text(header + out.read_text(encoding="utf-8"), encoding="utf-8")
    click.echo(f"facts written to {out}: {facts.summary()}")
    if log_data is not None:
        log_path = out.with_name(out.stem + ".merges.yaml")
        log_path.write_text(yaml.safe_dump(log_data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        click.echo(f"merge log written to {log_path}")
    if pending is not None:
        path = out.with_name(out.stem + ".decisions.yaml")
        path.write_text(
            "# Merge decisions: set `into:` to an existing id to merge, or to `separate` to keep it apart;\n"
            f"# then import again with --decisions {path.name}\n"
            + yaml.safe_dump(pending, sort_keys=False, allow_unicode=True),
            encoding="utf-8",
        )
        click.echo(f"{len(pending['decisions'])} ambiguous match(es) to decide: {path}")


@click.group("import")
def import_group() -> None:
    """Import a dataset file (GTD, UCDP actor list, MMP, edge list) as sourced facts."""


@import_group.command("gtd")
@click.argument("file", type=click.Path(path_type=Path))
@_common
def gtd_command(file: Path, strict: bool, **kw: Any) -> None:
    """Import a Global Terrorism Database file (CSV or XLSX) that you downloaded from START."""
    from graphkit.importers import import_gtd  # here, not at the top: the CLI starts without them

    _finish(import_gtd(file, strict=strict, show_progress=True), **kw)


@import_group.command("ucdp")
@click.argument("file", type=click.Path(path_type=Path))
@_common
def ucdp_command(file: Path, strict: bool, **kw: Any) -> None:
    """Import a UCDP actor list (CSV)."""
    from graphkit.importers import import_ucdp

    _finish(import_ucdp(file, strict=strict, show_progress=True), **kw)


@import_group.command("mmp")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--key", type=click.Path(path_type=Path), metavar="GROUP_KEY.csv", help="MMP group key: adds every listed group."
)
@_common
def mmp_command(file: Path, key: Path | None, strict: bool, **kw: Any) -> None:
    """Import Mapping Militant Organizations relationships (CSV)."""
    from graphkit.importers import import_mmp

    _finish(import_mmp(file, key, strict=strict, show_progress=True), **kw)


@import_group.command("un")
@click.argument("file", type=click.Path(path_type=Path))
@_common
def un_command(file: Path, strict: bool, **kw: Any) -> None:
    """Import the UN Security Council consolidated sanctions list (XML)."""
    from graphkit.importers import import_un

    _finish(import_un(file, strict=strict, show_progress=True), **kw)


@import_group.command("acled")
@click.argument("file", type=click.Path(path_type=Path))
@_common
def acled_command(file: Path, strict: bool, **kw: Any) -> None:
    """Import an ACLED event export (CSV) that you downloaded from ACLED."""
    from graphkit.importers import import_acled

    _finish(import_acled(file, strict=strict, show_progress=True), **kw)


@import_group.command("edgelist")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--source", "source_col", default=None, help="Column of the first endpoint [default: source, or 1].")
@click.option("--target", "target_col", default=None, help="Column of the second endpoint [default: target, or 2].")
@click.option("--type-column", default=None, help="Column holding each row's relation kind.")
@click.option("--date-column", default=None, help="Column holding each row's date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option(
    "--weight-column",
    default=None,
    help="Column holding each row's weight: stored as the relation's weight, which weighted metrics multiply "
    "with the confidence weight (repeated rows add up).",
)
@click.option("--no-header", is_flag=True, help="The file has no header row: name columns by number (1, 2, ...).")
@click.option(
    "--nodes",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="NODES.csv",
    help="A node table: the edges hold its ids, and nodes are named by it.",
)
@click.option("--node-id", default="id", show_default=True, help="Id column of the node table.")
@click.option("--node-name", default="name", show_default=True, help="Name column of the node table.")
@click.option(
    "--relation",
    default="ALLIED_WITH",
    show_default=True,
    type=click.Choice([r.name for r in model.RELATION_KINDS], case_sensitive=False),
    help="Relation kind of rows without a type column.",
)
@click.option("--kind", default="Group", show_default=True, type=click.Choice(["Group", "Person"]), help="Node kind.")
@click.option("--dataset", default=None, help="Id of the file's Source (default: from the file name).")
@click.option("--citation", default=None, help="How to cite the network.")
@click.option("--publisher", default=None, help="Who published the network.")
@_common
def edgelist_command(
    file: Path,
    source_col: str | None,
    target_col: str | None,
    type_column: str | None,
    date_column: str | None,
    weight_column: str | None,
    no_header: bool,
    nodes: Path | None,
    node_id: str,
    node_name: str,
    relation: str,
    kind: str,
    dataset: str | None,
    citation: str | None,
    publisher: str | None,
    strict: bool,
    **kw: Any,
) -> None:
    """Import an edge list (CSV or TSV of source,target with optional type, date and weight)."""
    from graphkit.importers import import_edgelist

    result = import_edgelist(
        file,
        source=source_col,
        target=target_col,
        type_column=type_column,
        date_column=date_column,
        weight_column=weight_column,
        relation=relation,
        kind=kind,
        dataset=dataset,
        citation=citation,
        publisher=publisher,
        has_header=not no_header,
        nodes=nodes,
        node_id=node_id,
        node_name=node_name,
        strict=strict,
        show_progress=True,
    )
    _finish(result, **kw)


@import_group.command("undo")
@click.argument("facts_file", metavar="FACTS.yaml", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--log",
    "log_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The merge log [default: FACTS.merges.yaml next to FACTS.yaml].",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    metavar="UNMERGED.yaml",
    help="Where to write the import as it was before the merge.",
)
def undo_command(facts_file: Path, log_path: Path | None, out: Path) -> None:
    """Undo a merge: write the import as it was before --merge-with, from its merge log.

    The facts it was merged with were never changed (the merged file holds only what the import
    added), so this gives back both sides.
    """
    log_path = log_path or facts_file.with_name(facts_file.stem + ".merges.yaml")
    if not log_path.is_file():
        raise DatasetError(f"{log_path}: no merge log (was {facts_file} written with --merge-with?)")
    data = _read_yaml(log_path)
    if not isinstance(data, dict) or not isinstance(data.get("imported"), dict):
        raise DatasetError(f"{log_path}: not a merge log with the import as it was ('imported:' section)")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(yaml.safe_dump(data["imported"], sort_keys=False, allow_unicode=True), encoding="utf-8")
    facts = read_facts([out])
    click.echo(f"unmerged import written to {out}: {facts.summary()}")


COMMANDS: list[click.Command] = [import_group]

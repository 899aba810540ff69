"""CLI commands: ``graphkit import gtd|ucdp|mmp|edgelist FILE``.

Each subcommand runs the library importer (:mod:`graphkit.importers`), prints every repaired or
rejected row and a summary, optionally merges the result into existing facts (``--merge-with
seed/``, see :mod:`graphkit.aliases`), then writes a fact file (``--out``) and/or loads the facts
into the store (``--load``, as the scope named by the dataset's Source id). With ``--merge-with``,
``--out`` writes the whole merged facts (they validate on their own), while ``--load`` loads the
imported relations (with every entity they need) as the dataset's scope, leaving the existing
facts' relations to their own scope (load the seed first). Exit status: 0 when
every row loaded, 3 when some rows were rejected (the sound ones are still written and loaded);
errors of the file itself (type, encoding, columns) and ``--strict`` defects exit 2, writing and
loading nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
import yaml

from graphkit import model
from graphkit.aliases import imported_part, merge_into
from graphkit.connection import connection_options
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
        click.option("--load", is_flag=True, help="Load the facts into the store (scope: the dataset's Source id)."),
        click.option(
            "--out",
            type=click.Path(dir_okay=False, path_type=Path),
            metavar="FACTS.yaml",
            help="Write the facts to this YAML fact file (and the merge log next to it).",
        ),
    )
    for option in options:
        command = option(command)
    return connection_options(command)


def _finish(
    result: ImportResult,
    *,
    out: Path | None,
    load: bool,
    merge_with: tuple[Path, ...],
    uri: str | None,
    user: str | None,
    database: str | None,
) -> None:
    """Print the report, merge, write and load, then exit with the import's status."""
    from graphkit.importers import write_facts

    report = result.report
    for line in report.lines():
        click.echo(line)
    facts: Facts = result.facts
    to_load = facts
    scope = next(e.id for e in facts.of_kind("Source"))
    if merge_with:
        merged, log = merge_into(read_facts(list(merge_with)), facts)
        facts = validate(merged)
        to_load = imported_part(facts, log)
        for line in log.lines():
            click.echo(line)
        click.echo(f"{len(log.merges)} merged, {len(log.ambiguous)} ambiguous (not merged), {len(log.added)} added")
        if out is not None:
            log_path = out.with_name(out.stem + ".merges.yaml")
            log_path.parent.mkdir(parents=True, exist_ok=True)
            log_path.write_text(yaml.safe_dump(log.to_data(), sort_keys=False, allow_unicode=True), encoding="utf-8")
            click.echo(f"merge log written to {log_path}")
    if out is not None:
        write_facts(facts, out)
        click.echo(f"facts written to {out}: {facts.summary()}")
    if load:
        from graphkit.connection import resolve_settings
        from graphkit.store import load as store_load

        loaded = store_load(to_load, resolve_settings(uri, user, database), scope=scope, progress=True)
        click.echo(loaded.summary())
    click.echo(report.summary())
    if report.rows_rejected:
        raise SystemExit(REJECTED_EXIT)


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


@import_group.command("edgelist")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--source", "source_col", default="source", show_default=True, help="Column of the first endpoint.")
@click.option("--target", "target_col", default="target", show_default=True, help="Column of the second endpoint.")
@click.option("--type-column", default=None, help="Column holding each row's relation kind.")
@click.option("--date-column", default=None, help="Column holding each row's date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--weight-column", default=None, help="Column holding each row's weight (kept in the relation note).")
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
    source_col: str,
    target_col: str,
    type_column: str | None,
    date_column: str | None,
    weight_column: str | None,
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
        strict=strict,
        show_progress=True,
    )
    _finish(result, **kw)


COMMANDS: list[click.Command] = [import_group]

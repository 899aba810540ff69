"""Hostile dataset files: a file cut inside a quote and a field over the size limit are clear errors.

Before, csv's lenient mode read a quoted field that never closes as a shorter value (the rest of
the file swallowed into it) and a field over 16 MiB ended in a ``_csv.Error`` traceback.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkit.cli import main
from graphkit.errors import DatasetError
from graphkit.importers import import_edgelist, import_gtd

FIXTURE = Path(__file__).parent / "fixtures" / "gtd_sample.csv"


def test_a_file_cut_inside_a_quote_is_an_error_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "net.csv"
    path.write_text('source,target\nalpha,beta\nbeta,"gamma delta\n', encoding="utf-8")
    with pytest.raises(DatasetError, match=r"net\.csv:3: .*unexpected end of data"):
        import_edgelist(path, source="source", target="target", kind="Group", citation="test")


def test_a_field_over_the_limit_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "net.csv"
    path.write_text("source,target\nalpha,beta\nbeta," + "g" * (16 * 1024 * 1024 + 1) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"net\.csv:3: .*field larger than field limit"):
        import_edgelist(path, source="source", target="target", kind="Group", citation="test")
    res = CliRunner().invoke(
        main,
        [
            "import",
            "edgelist",
            str(path),
            "--source",
            "source",
            "--target",
            "target",
            "--out",
            str(tmp_path / "o.yaml"),
        ],
    )
    assert res.exit_code == 2 and "field larger than field limit" in res.output, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)


def test_a_gtd_count_beyond_int64_is_left_out_and_reported(tmp_path: Path) -> None:
    with FIXTURE.open(encoding="latin-1", newline="") as fh:
        rows = list(csv.DictReader(fh))
    header = list(rows[0])
    rows[0]["nkill"] = "1e30"
    path = tmp_path / "gtd.csv"
    with path.open("w", encoding="latin-1", newline="") as fh:
        writer = csv.DictWriter(fh, header)
        writer.writeheader()
        writer.writerows(rows)
    result = import_gtd(path)  # validates: a count of 10**30 would be refused there
    eid = f"gtd-{rows[0]['eventid']}"
    assert "killed" not in result.facts.entities[eid].props
    assert any(d.problem.field == "nkill" and "1e30" in d.problem.message for d in result.report.defects)

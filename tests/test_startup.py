"""Start-up cost of the CLI, guarded by what it imports (no timing: timings flake on a busy machine).

Every ``graphkit`` command used to pay seconds before doing anything, because the CLI imported
the driver, pandas, scipy and the views up front. Now a command imports what it needs when it
runs; these tests start a fresh interpreter, do what a user does, and list the heavy packages
that ended up in ``sys.modules``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Packages that take tenths of a second or more to import and that no start-up needs.
HEAVY = ("pandas", "neo4j", "scipy", "numpy", "networkx", "pyvis", "numba", "rustworkx", "tqdm", "openpyxl")


def _imported_after(body: str, cwd: Path = ROOT) -> tuple[list[str], str]:
    """Run ``body`` in a fresh interpreter; the heavy top-level packages it imported, and its output."""
    code = (
        "import contextlib, io, json, sys\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        + "".join(f"    {line}\n" for line in body.splitlines())
        + f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({list(HEAVY)!r}))\n"
        "print(json.dumps([heavy, out.getvalue()]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=True)
    heavy, output = json.loads(done.stdout.splitlines()[-1])
    return heavy, output


def _cli(*args: str) -> str:
    """Code that runs ``graphkit ARGS`` in-process and swallows its exit."""
    return f"from graphkit.cli import main\ntry:\n    main({list(args)!r})\nexcept SystemExit:\n    pass"


def test_importing_the_cli_imports_no_heavy_package() -> None:
    heavy, _ = _imported_after("import graphkit.cli")
    assert heavy == []


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("metrics", "--help"), ("import", "gtd", "--help")])
def test_help_and_version_import_no_heavy_package(args: tuple[str, ...]) -> None:
    heavy, output = _imported_after(_cli(*args))
    assert heavy == []
    assert output.strip()  # it did print the help or the version


def test_help_still_lists_every_command_of_every_family() -> None:
    """The commands load on demand; --help must still show all of them."""
    from graphkit import cli

    expected = set()
    for family in cli.FAMILIES:
        module = __import__(f"graphkit.cli.{family}", fromlist=["COMMANDS"])
        expected |= {command.name for command in module.COMMANDS}
    _, output = _imported_after(_cli("--help"))
    listed = output.split("Commands:", 1)[1].split()
    assert expected and expected <= set(listed)


def test_validate_reads_facts_without_the_graph_stack() -> None:
    heavy, output = _imported_after(_cli("validate", str(ROOT / "seed")))
    assert output.startswith("valid: ")
    assert heavy == []


def test_a_command_that_needs_the_stack_still_gets_it() -> None:
    """The lazy names resolve when used: ``metrics`` imports networkx, numpy and pandas."""
    heavy, output = _imported_after(_cli("metrics", "--format", "csv", str(ROOT / "seed")))
    assert output.startswith("id,name,kind")
    assert {"networkx", "numpy", "pandas"} <= set(heavy)

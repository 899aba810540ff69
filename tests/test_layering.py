"""How the modules depend on each other: no import circle between the driver module and the
local server, no click in the driver module, one name per reading function, a read that only reads."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from pathlib import Path

import graphkit
from graphkit import export, store

PACKAGE = Path(graphkit.__file__).parent


def _imports(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    found = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    found |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    return found


def test_local_server_does_not_import_the_driver_module() -> None:
    assert "graphkit.connection" not in _imports("local")
    assert "graphkit.local" in _imports("connection")  # one direction only


def test_the_driver_module_needs_no_click() -> None:
    assert "click" not in _imports("connection")
    code = "import sys, graphkit.connection, graphkit.store; print('click' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_reading_functions_have_distinct_names_and_the_store_read_only_reads() -> None:
    assert not hasattr(export, "read_graph") and callable(export.read_export)
    assert list(inspect.signature(store.read_graph).parameters) == ["settings", "with_scopes"]

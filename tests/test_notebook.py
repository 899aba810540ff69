"""The centrality notebook runs from top to bottom with this interpreter and shows its results.

Its last section reads from the database: it runs against the server of the ``db`` fixture (on
every engine the fixture gives), named to the kernel through ``NEO4J_*`` variables.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest

from graphkit import store
from graphkit.connection import ConnectionSettings
from graphkit.facts import read_facts
from graphkit.graph import SEED_DIR

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "centrality.ipynb"

pytestmark = pytest.mark.slow


def test_notebook_defines_no_library_code() -> None:
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            tree = ast.parse(cell.source)
            defined = [
                n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            ]
            assert defined == [], cell.source
            assert not cell.get("outputs"), "commit the notebook without outputs"


def test_notebook_executes(db: ConnectionSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import nbformat
    from nbclient import NotebookClient

    # a kernel spec of our own, running this very interpreter (so the .venv's graphkit is used)
    spec = tmp_path / "kernels" / "graphkit-test"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "graphkit", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    store.load(read_facts([SEED_DIR]), db)  # what a data engineer loaded; the notebook reads it back
    for var, value in (("URI", db.uri), ("USERNAME", db.user), ("PASSWORD", db.password), ("DATABASE", db.database)):
        monkeypatch.setenv(f"NEO4J_{var}", value)

    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb, kernel_name="graphkit-test", timeout=600, resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    client.execute()  # raises CellExecutionError naming the cell if any cell fails

    outputs = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    warnings = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert warnings == []
    text = "\n".join(o.get("data", {}).get("text/plain", "") + o.get("text", "") for o in outputs)
    html = "\n".join(o.get("data", {}).get("text/html", "") for o in outputs)
    # the ranking puts ISKP first, the comparison and the brokers are there, and the view is shown inline
    ranking = next(o for o in outputs if "betweenness" in o.get("data", {}).get("text/plain", ""))
    first_row = ranking["data"]["text/plain"].splitlines()[2]
    assert first_row.startswith("iskp ")
    assert "pagerank change" in text and "only after" in text
    assert "only link to" in text
    assert '<iframe srcdoc="' in html and "gk-data" in html
    # the database section: the graph read back is the seed's, ranked alike; Cypher as a DataFrame
    assert "same graph as the seed files: True" in text
    db_ranking = [o for o in outputs if "pagerank" in o.get("data", {}).get("text/plain", "")][-1]
    assert db_ranking["data"]["text/plain"].splitlines()[2].startswith("iskp ")
    assert "fights" in text and "<table" in html
    assert "Islamic State Khorasan Province" in outputs[-1]["data"]["text/plain"]

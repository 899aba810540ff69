"""The model is declared once: its derived README table is in step, and its declarations are coherent."""

from __future__ import annotations

import re
from pathlib import Path

from graphkit import model

ROOT = Path(__file__).resolve().parents[1]


def test_readme_model_table_is_generated_from_the_model() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- model:begin -->\n(.*)<!-- model:end -->", readme, re.S)
    assert block is not None, "README lacks the model markers"
    assert block.group(1) == model.data_model_markdown(), "README model table is stale: run python -m graphkit.model"


def test_relation_endpoints_are_node_kinds() -> None:
    for r in model.RELATION_KINDS:
        assert r.sources <= model.NODE_KIND.keys() and r.targets <= model.NODE_KIND.keys(), r.name
        assert "Source" not in r.sources | r.targets, "sources are cited in properties, not linked"
        if r.symmetric:
            assert r.sources == r.targets, f"{r.name}: a symmetric kind needs the same kinds at both ends"


def test_names_are_unique_and_safe_as_cypher_identifiers() -> None:
    names = [k.name for k in model.NODE_KINDS] + [r.name for r in model.RELATION_KINDS]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", n) for n in names)


def test_confidence_scale_is_ordered() -> None:
    weights = [c.weight for c in model.CONFIDENCE]
    assert weights == sorted(weights, reverse=True) and all(0 < w <= 1 for w in weights)


def test_partial_dates() -> None:
    for ok in ("2015", "2015-01", "2015-01-31"):
        assert model.PARTIAL_DATE.match(ok)
    for bad in ("15", "2015-1", "2015-13", "2015-01-32", "2015/01", "2015-01-01T00"):
        assert not model.PARTIAL_DATE.match(bad)

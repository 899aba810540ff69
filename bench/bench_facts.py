"""Reading facts benchmark: how long and how much memory validating a large fact file takes.

A synthetic fact file shaped like an import written back as YAML (default: 10,000 groups,
100 sources, 20,000 ALLIED_WITH/FOUGHT/RIVAL_OF relations with quotes and partial dates; about
3.2 MB) is read by each contender in its own fresh process, so that peak memory (max RSS) is
its own. All of them run in one invocation, side by side:

- ``graphkit``: :func:`graphkit.facts.read_facts` as shipped (libyaml's C composer, which keeps
  every line number, then graphkit's own typing and every validation rule);
- ``graphkit pure-python yaml``: the same reader on PyYAML's pure-Python composer (what graphkit
  falls back to without libyaml);
- ``graphkit @REV`` (with ``--baseline REV``, e.g. ``main``): ``read_facts`` of that git revision,
  exported to a temporary directory (the reader before this change);
- peers that only parse, validating nothing: ``yaml.safe_load`` (PyYAML, pure Python) and
  ``yaml.load(Loader=yaml.CSafeLoader)`` (libyaml).

Each contender runs ``--repeat`` times (default 3); the run with the least CPU time is shown (wall
and CPU seconds: on a shared machine CPU time is the fairer figure) with the largest peak RSS.

Usage::

    .venv/bin/python bench/bench_facts.py                       # 10k groups, 20k relations
    .venv/bin/python bench/bench_facts.py --baseline main       # with the reader of branch main
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SYMMETRIC = ("ALLIED_WITH", "FOUGHT", "RIVAL_OF")
CONFIDENCES = ("confirmed", "reported", "alleged", "uncertain")


def write_fact_file(path: Path, groups: int, relations: int, seed: int = 7) -> None:
    """A valid fact file of ``groups`` groups and ``relations`` relations among them."""
    rng = random.Random(seed)
    out = ["sources:"]
    for s in range(100):
        out += [f"  - id: s-{s}", f"    name: Source {s}"]
    out.append("groups:")
    for g in range(groups):
        out += [
            f"  - id: g-{g}",
            f"    name: Group {g}",
            f"    aliases: [G{g}]",
            f"    sources: [s-{g % 100}]",
        ]
    out.append("relations:")
    seen: set[tuple[str, int, int]] = set()
    while len(seen) < relations:
        a, b = rng.sample(range(groups), 2)
        rtype = rng.choice(SYMMETRIC)
        key = (rtype, min(a, b), max(a, b))
        if key in seen:
            continue
        seen.add(key)
        year = rng.randint(1990, 2024)
        out += [
            f"  - type: {rtype}",
            f"    from: g-{a}",
            f"    to: g-{b}",
            f'    since: "{year}-{rng.randint(1, 12):02d}"',
            f"    confidence: {rng.choice(CONFIDENCES)}",
            f"    sources: [s-{a % 100}]",
            f'    evidence: ["Group {a} and Group {b}"]',
        ]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


#: What each contender runs in its child process, given the file path as ``path``.
CODE = {
    "graphkit": "from graphkit.facts import read_facts; n = len(read_facts([path]).relations)",
    "graphkit pure-python yaml": (
        "import graphkit.facts as f; f._LOADER = f._PY_LOADER; n = len(f.read_facts([path]).relations)"
    ),
    "yaml.safe_load (PyYAML, parse only)": (
        "import yaml; n = len(yaml.safe_load(open(path, encoding='utf-8'))['relations'])"
    ),
    "yaml CSafeLoader (libyaml, parse only)": (
        "import yaml; n = len(yaml.load(open(path, encoding='utf-8'), Loader=yaml.CSafeLoader)['relations'])"
    ),
}
CHILD = """
import json, resource, sys, time
path = sys.argv[1]
t, c = time.perf_counter(), time.process_time()
{code}
seconds, cpu = time.perf_counter() - t, time.process_time() - c
print(json.dumps({{"seconds": seconds, "cpu": cpu, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "n": n}}))
"""


def run(code: str, path: Path, pythonpath: Path | None) -> dict[str, float]:
    """Run one contender in a fresh interpreter and return its seconds, peak RSS (MB) and relation count."""
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    done = subprocess.run(
        [sys.executable, "-c", CHILD.format(code=code), str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=pythonpath or ROOT,
    )
    if done.returncode != 0:
        raise SystemExit(f"contender failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def baseline(rev: str, into: Path) -> Path:
    """The ``graphkit`` package of git revision ``rev``, exported under ``into``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "graphkit"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--relations", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", metavar="REV", help="also time read_facts of this git revision")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "facts.yaml"
        write_fact_file(path, args.groups, args.relations)
        size = path.stat().st_size / 1e6
        print(f"fact file: {args.groups} groups, {args.relations} relations, {size:.1f} MB; best of {args.repeat}")
        print(f"PyYAML with libyaml: {__import__('yaml').__with_libyaml__}; Python {sys.version.split()[0]}")
        contenders: list[tuple[str, str, Path | None]] = [(name, code, None) for name, code in CODE.items()]
        if args.baseline:
            (Path(tmp) / "old").mkdir()
            old = baseline(args.baseline, Path(tmp) / "old")
            contenders.insert(1, (f"graphkit @{args.baseline}", CODE["graphkit"], old))
        rows = []
        for name, code, pythonpath in contenders:
            runs = [run(code, path, pythonpath) for _ in range(args.repeat)]
            best = min(runs, key=lambda r: r["cpu"])
            rows.append((name, best["seconds"], best["cpu"], max(r["rss_mb"] for r in runs), runs[0]["n"]))
        ours = rows[0][2]
        print(f"{'contender':40} {'wall s':>7} {'CPU s':>7} {'peak MB':>8} {'CPU x graphkit':>14} {'relations':>9}")
        for name, seconds, cpu, rss, n in rows:
            print(f"{name:40} {seconds:7.2f} {cpu:7.2f} {rss:8.0f} {cpu / ours:14.1f} {n:9.0f}")


if __name__ == "__main__":
    main()

"""GTD-scale benchmark: generate, import, load, measure and view a synthetic GTD file.

A synthetic file in the GTD CSV format (the 135-column header, ISO-8859-1, CRLF) is generated at
the scale of the real database: by default 200,000 attacks by 3,500 groups (a skewed, Zipf-like
activity; a fifth of attacks with an "Unknown" perpetrator, a tenth with a second group, some
flagged uncertain) in 2,500 places (50 countries > 450 provinces > 2,000 cities). The invented
rows copy nothing from GTD. Then, each in the same process and in order, with its wall time and
the process's peak memory (resident set, ``ru_maxrss``; a stage's figure includes whatever earlier
stages left in memory, so the growth column is the stage's own addition):

* ``import``: :func:`graphkit.importers.import_gtd` (streaming read, validated facts);
* ``load``: :func:`graphkit.store.load` of the imported facts, which the import validated (so
  ``validated=True``, as ``graphkit import gtd FILE --load`` hands them over), into a fresh server
  of each engine of ``--engines`` (the local default, started by graphkit, and Neo4j 5.26 from
  Maven Central's jars, see
  ``tests/neo4j_server.py``) in a temporary directory, or into ``--uri``: schema, batched ``UNWIND``
  writes, cleanup, commit, each phase's seconds printed; then the same load again (idempotent:
  nothing written twice). Beside the client's peak memory, the server's (the JVM's peak resident
  set, ``VmHWM``) is printed;
* ``read`` (part of ``load``): :func:`graphkit.store.read_graph`, the whole loaded graph read back
  from each engine, as ``graphkit metrics`` and ``graphkit view`` read it;
* ``metrics``: :func:`graphkit.metrics.metrics_frame` of the actor network linked via shared attacks;
* ``view``: :func:`graphkit.views.write_view` of the most active group's neighbourhood.

Usage::

    .venv/bin/python bench/bench_gtd.py                               # every stage, full scale, both engines
    .venv/bin/python bench/bench_gtd.py --engines local               # the load on the local default only
    .venv/bin/python bench/bench_gtd.py --stages import,metrics,view  # skip the (long) load
    .venv/bin/python bench/bench_gtd.py --attacks 20000 --groups 500 --places 300
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graphkit.importers.gtd import COLUMNS

HEADER = [
    "eventid",
    "iyear",
    "imonth",
    "iday",
    "approxdate",
    "extended",
    "resolution",
    "country",
    "country_txt",
    "region",
    "region_txt",
    "provstate",
    "city",
    "latitude",
    "longitude",
    "specificity",
    "vicinity",
    "location",
    "summary",
    "crit1",
    "crit2",
    "crit3",
    "doubtterr",
    "alternative",
    "alternative_txt",
    "multiple",
    "success",
    "suicide",
    "attacktype1",
    "attacktype1_txt",
    "attacktype2",
    "attacktype2_txt",
    "attacktype3",
    "attacktype3_txt",
    "targtype1",
    "targtype1_txt",
    "targsubtype1",
    "targsubtype1_txt",
    "corp1",
    "target1",
    "natlty1",
    "natlty1_txt",
    "targtype2",
    "targtype2_txt",
    "targsubtype2",
    "targsubtype2_txt",
    "corp2",
    "target2",
    "natlty2",
    "natlty2_txt",
    "targtype3",
    "targtype3_txt",
    "targsubtype3",
    "targsubtype3_txt",
    "corp3",
    "target3",
    "natlty3",
    "natlty3_txt",
    "gname",
    "gsubname",
    "gname2",
    "gsubname2",
    "gname3",
    "gsubname3",
    "motive",
    "guncertain1",
    "guncertain2",
    "guncertain3",
    "individual",
    "nperps",
    "nperpcap",
    "claimed",
    "claimmode",
    "claimmode_txt",
    "claim2",
    "claimmode2",
    "claimmode2_txt",
    "claim3",
    "claimmode3",
    "claimmode3_txt",
    "compclaim",
    "weaptype1",
    "weaptype1_txt",
    "weapsubtype1",
    "weapsubtype1_txt",
    "weaptype2",
    "weaptype2_txt",
    "weapsubtype2",
    "weapsubtype2_txt",
    "weaptype3",
    "weaptype3_txt",
    "weapsubtype3",
    "weapsubtype3_txt",
    "weaptype4",
    "weaptype4_txt",
    "weapsubtype4",
    "weapsubtype4_txt",
    "weapdetail",
    "nkill",
    "nkillus",
    "nkillter",
    "nwound",
    "nwoundus",
    "nwoundte",
    "property",
    "propextent",
    "propextent_txt",
    "propvalue",
    "propcomment",
    "ishostkid",
    "nhostkid",
    "nhostkidus",
    "nhours",
    "ndays",
    "divert",
    "kidhijcountry",
    "ransom",
    "ransomamt",
    "ransomamtus",
    "ransompaid",
    "ransompaidus",
    "ransomnote",
    "hostkidoutcome",
    "hostkidoutcome_txt",
    "nreleased",
    "addnotes",
    "scite1",
    "scite2",
    "scite3",
    "dbsource",
    "INT_LOG",
    "INT_IDEO",
    "INT_MISC",
    "INT_ANY",
    "related",
]
ATTACK_TYPES = [
    "Bombing/Explosion",
    "Armed Assault",
    "Assassination",
    "Hostage Taking (Kidnapping)",
    "Facility/Infrastructure Attack",
]
TARGETS = ["Private Citizens & Property", "Military", "Police", "Government (General)", "Business", "Transportation"]
STAGES = ("import", "load", "metrics", "view")


def generate(path: Path, attacks: int, groups: int, places: int, seed: int = 7) -> None:
    """Write a synthetic GTD CSV with ``attacks`` rows, ``groups`` groups and about ``places`` places."""
    assert len(HEADER) == 135 and set(COLUMNS) <= set(HEADER)
    rng = random.Random(seed)
    countries = max(1, places // 50)
    provinces = max(1, (places * 9) // 50 // countries)
    cities = max(1, (places - countries - countries * provinces) // (countries * provinces))
    names = [f"Invented Group {i:04d} Front" for i in range(groups)]
    weights = [1 / (i + 1) ** 0.8 for i in range(groups)]
    col = {c: i for i, c in enumerate(HEADER)}
    with path.open("w", encoding="latin-1", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(HEADER)
        for n in range(attacks):
            row = [""] * len(HEADER)
            year, month, day = rng.randint(1970, 2020), rng.randint(0, 12), rng.randint(0, 28)
            c, p, t = rng.randrange(countries), rng.randrange(provinces), rng.randrange(cities)
            row[col["eventid"]] = f"{year}{month:02d}{day:02d}{n:06d}"
            row[col["iyear"]], row[col["imonth"]], row[col["iday"]] = str(year), str(month), str(day if month else 0)
            row[col["country_txt"]] = f"Country {c:02d}"
            row[col["provstate"]] = f"Province {c:02d}-{p:02d}"
            row[col["city"]] = f"Cité {c:02d}-{p:02d}-{t:02d}"
            row[col["latitude"]], row[col["longitude"]] = f"{rng.uniform(-60, 60):.4f}", f"{rng.uniform(-180, 180):.4f}"
            kind = rng.choice(ATTACK_TYPES)
            row[col["attacktype1_txt"]], row[col["targtype1_txt"]] = kind, rng.choice(TARGETS)
            if rng.random() < 0.2:
                row[col["gname"]] = "Unknown"
            else:
                g1, g2 = rng.choices(names, weights, k=2)
                row[col["gname"]], row[col["guncertain1"]] = g1, "1" if rng.random() < 0.1 else "0"
                if rng.random() < 0.1 and g2 != g1:
                    row[col["gname2"]], row[col["guncertain2"]] = g2, "0"
            row[col["nkill"]], row[col["nwound"]] = str(rng.randint(0, 20)), str(rng.randint(0, 40))
            if rng.random() < 0.7:
                row[col["summary"]] = f"{month:02d}/{day:02d}/{year}: Invented event {n}: a {kind.lower()} in city {t}."
            row[col["scite1"]] = f"Invented citation {n}."
            row[col["dbsource"]] = "SYNTHETIC"
            w.writerow(row)


def peak_mib() -> float:
    """The process's peak resident memory so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def server_peak_mib(pid: int | None) -> float:
    """A server process's peak resident memory so far (``VmHWM``), in MiB; 0 when unknown."""
    try:
        status = Path(f"/proc/{pid}/status").read_text() if pid else ""
    except OSError:
        return 0.0
    found = [line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")]
    return int(found[0]) / 1024 if found else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--attacks", type=int, default=200_000)
    ap.add_argument("--groups", type=int, default=3_500)
    ap.add_argument("--places", type=int, default=2_500)
    ap.add_argument("--stages", default=",".join(STAGES), help=f"comma-separated subset of {','.join(STAGES)}")
    ap.add_argument("--uri", default=None, help="load into this server instead of fresh ones")
    ap.add_argument("--engines", default="local,neo4j", help="comma-separated: local, neo4j")
    ap.add_argument(
        "--neo4j-heap",
        default="10g",
        help="Neo4j's JVM heap: the load is one transaction, which may use 70%% of it (4g is refused)",
    )
    ap.add_argument(
        "--heap",
        default=None,
        help="JVM heap of the fresh local server (default: graphkit's; the load is one transaction)",
    )
    ap.add_argument("--keep", type=Path, default=None, help="directory to keep the generated files in")
    args = ap.parse_args()
    stages = [s for s in args.stages.split(",") if s]
    unknown = set(stages) - set(STAGES)
    if unknown:
        ap.error(f"unknown stage(s) {sorted(unknown)}")
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-gtd-"))
    work.mkdir(parents=True, exist_ok=True)
    csv_path = work / "synthetic_gtd.csv"
    results: list[tuple[str, float, float, float, str]] = []
    server_peaks: dict[str, float] = {}
    failures: list[str] = []

    def stage(name: str, fn: Callable[[], Any], describe: Callable[[Any], str]) -> Any:
        before = peak_mib()
        t0 = time.perf_counter()
        value = fn()
        seconds = time.perf_counter() - t0
        results.append((name, seconds, peak_mib(), peak_mib() - before, describe(value)))
        print(f"{name:9s} {seconds:8.1f} s  peak {peak_mib():8.0f} MiB  {results[-1][4]}", flush=True)
        return value

    stage(
        "generate",
        lambda: generate(csv_path, args.attacks, args.groups, args.places),
        lambda _: f"{csv_path.stat().st_size / 2**20:.0f} MiB CSV",
    )
    from graphkit.importers import import_gtd

    result = stage("import", lambda: import_gtd(csv_path), lambda r: r.facts.summary())
    facts = result.facts
    if "load" in stages:
        from graphkit import store
        from graphkit.connection import ConnectionSettings, resolve_settings
        from graphkit.errors import GraphkitError
        from graphkit.local import LocalServer

        def load_into(engine: str, settings: ConnectionSettings, server_pid: int | None) -> None:
            for name in ("load", "reload"):
                try:
                    report = stage(
                        f"{name} {engine}",
                        lambda: store.load(facts, settings, scope="bench-gtd", batch_size=5000, validated=True),
                        lambda r: r.summary() + " (" + ", ".join(f"{k} {v:.1f} s" for k, v in r.timings.items()) + ")",
                    )
                except GraphkitError as exc:  # said, and the other engines still measured
                    failures.append(f"{name} {engine}: {exc}")
                    print(f"{name} {engine} failed: {exc}", file=sys.stderr, flush=True)
                    return
                server_peaks[f"{name} {engine}"] = server_peak_mib(server_pid)
                print(f"{'':9s} server peak {server_peaks[f'{name} {engine}']:8.0f} MiB", flush=True)
                assert report.relations == len(facts.relations)
            read = stage(
                f"read {engine}",
                lambda: store.read_graph(settings),
                lambda g: f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges read back",
            )
            server_peaks[f"read {engine}"] = server_peak_mib(server_pid)
            assert read.number_of_edges() == len(facts.relations)
            del read

        if args.uri:
            load_into("given", resolve_settings(uri=args.uri), None)
        for engine in [] if args.uri else args.engines.split(","):
            if engine == "local":
                shutil.rmtree(work / "home", ignore_errors=True)  # a fresh server: the first load is a first load
                server = LocalServer(work / "home", heap=args.heap)
                try:
                    settings = server.start(timeout=180)
                    load_into("local", settings, server.status(check=False).pid)
                finally:
                    server.stop()
            elif engine == "neo4j":
                sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
                from neo4j_server import ENGINES, Neo4jServer

                shutil.rmtree(work / "neo4j", ignore_errors=True)  # fresh (its initial password is set once)
                neo = Neo4jServer(ENGINES["neo4j"], work / "neo4j", heap=args.neo4j_heap, pagecache="1g")
                try:
                    neo.start()
                    neo.wait()
                    settings = ConnectionSettings(neo.uri, "neo4j", neo.password, "neo4j")
                    load_into(f"neo4j {neo.version}", settings, neo.process.pid if neo.process else None)
                finally:
                    neo.stop()
            else:
                ap.error(f"unknown engine {engine!r}: choose local or neo4j")
    G = None
    if "metrics" in stages or "view" in stages:
        from graphkit.graph import to_networkx

        G = stage(
            "graph", lambda: to_networkx(facts), lambda g: f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges"
        )
    if "metrics" in stages:
        from graphkit.metrics import metrics_frame
        from graphkit.projection import actor_network

        stage(
            "metrics",
            lambda: metrics_frame(actor_network(G, via=["attacks"])),
            lambda df: f"{len(df)} actors, betweenness/closeness {df.attrs.get('method')}",
        )
    if "view" in stages:
        from graphkit.views import ego, write_view

        top = max((n for n, k in G.nodes(data="kind") if k == "Group"), key=G.degree)
        sub = ego(G, top, depth=1)
        stage(
            "view",
            lambda: write_view(sub, work / "view.html", title=f"{top} (synthetic)"),
            lambda p: f"{sub.number_of_nodes()} nodes, {p.stat().st_size / 2**20:.1f} MiB page",
        )
    print("\n| stage | seconds | client peak RSS (MiB) | growth (MiB) | server peak RSS (MiB) | result |")
    print("|---|---:|---:|---:|---:|---|")
    for name, seconds, peak, growth, what in results:
        server = f"{server_peaks[name]:.0f}" if name in server_peaks else ""
        print(f"| {name} | {seconds:.1f} | {peak:.0f} | {growth:.0f} | {server} | {what} |")
    print(f"\nfiles in {work}", file=sys.stderr)
    for failure in failures:
        print(f"failed: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

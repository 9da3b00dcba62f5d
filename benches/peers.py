#!/usr/bin/env python3
"""`opinio batch` beside the peers' limit and the CPython oracle, in one run.

usage: benches/peers.py [--n N] [--position us|france|china] [--jobs 1,2] [--norms DIR] [--repeat K]

On the same generated file (../shared/peers/gen.py, N incidents, written to
/tmp/peers-data/n<N>/incidents.jsonl unless it exists), runs:

  * the peers' limit (a hand-written Rust loop with serde_json; built in a
    copy of ../shared/peers/limit under /tmp, so that nothing is written in
    the shared folder), end to end: read, parse, evaluate, write; once per
    position, for the expected results of each;
  * the CPython oracle (../shared/peers/ref.py), end to end;
  * `opinio batch` (target/release/opinio, built if missing) on the peers'
    reference rules in the language (NORMS/<position>.norm), once per
    `--jobs` value, writing CSV; and the three positions us, france and
    china in one pass (`--wide`, one row per incident).

With `--jobs 1`, opinio and the limit run pinned to one core (`taskset -c
0`, where taskset is installed), so that "one core" is one core, the
reading thread included.

The rules in the language are ours: benches/data/peers/ (the default NORMS)
is our transcription of ../shared/peers/rules/ (legal.dl, with the semantics
of legal.pl, legal.lp and ref.py), a base module with the 11 conclusions and
the positions us, france and china of ../shared/peers/positions.json; its
README.md says how it was checked against the oracle. `--norms
../shared/peers/opinio` runs the peers' own transcription instead.

It checks that every engine gives the same conclusions on every incident (the
peers' digest: counts per conclusion and a hash over the per-incident masks)
and prints, from that one run, each engine's wall time (the least of K
runs, 3 by default: the machine may be shared; the oracle runs once),
incidents a second, and its ratio to the limit. The machine is printed with the figures.
Exits 1 when the results differ.
"""
import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.normpath(os.path.join(ROOT, "..", "shared", "peers"))
sys.path.insert(0, PEERS)
from common import BIT, CONCLUSIONS, digest_masks  # noqa: E402


def run(cmd, repeat=1, **kw):
    """The wall time of `cmd`: the least of `repeat` runs (on a shared
    machine, the others are the same work slowed by other work)."""
    best = None
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, **kw)
        wall = time.perf_counter() - t
        best = wall if best is None else min(best, wall)
    return best


def masks_from_tsv(path, n):
    masks = [0] * n
    with open(path) as f:
        for line in f:
            name, i = line.rstrip("\n").split("\t")
            masks[int(i)] |= 1 << BIT[name]
    return masks


def masks_from_opinio_csv(path, n, prefix=""):
    """The peers' masks from `opinio batch`'s CSV; with `prefix`, from the
    columns of one position of a `--wide` CSV (`us.attributable`, ...)."""
    masks = [0] * n
    with open(path, newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        cols = [(k, BIT[name[len(prefix):]]) for k, name in enumerate(header) if name.startswith(prefix) and name[len(prefix):] in BIT]
        for row in rows:
            m = 0
            for k, b in cols:
                if row[k] == "true":
                    m |= 1 << b
            masks[int(row[0])] = m
    return masks


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--position", default="us")
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--norms", default=os.path.join(ROOT, "benches", "data", "peers"))
    ap.add_argument("--repeat", type=int, default=3, help="runs of each engine but the oracle; the least wall time is kept")
    a = ap.parse_args()
    positions = ["us", "france", "china"]
    if a.position not in positions:
        ap.error(f"--position: one of {positions}")

    data = os.path.join(os.environ.get("PEERS_DATA", "/tmp/peers-data"), f"n{a.n}")
    incidents = os.path.join(data, "incidents.jsonl")
    if not os.path.exists(incidents):
        subprocess.run([sys.executable, os.path.join(PEERS, "gen.py"), str(a.n), "--out", data], check=True, stdout=subprocess.DEVNULL)
    out = os.path.join(data, "out")
    os.makedirs(out, exist_ok=True)

    # The limit, built in a copy so that the shared folder stays as it is.
    limit_dir = "/tmp/opinio-peers-limit"
    if not os.path.exists(os.path.join(limit_dir, "target", "release", "peers-limit")):
        shutil.rmtree(limit_dir, ignore_errors=True)
        shutil.copytree(os.path.join(PEERS, "limit"), limit_dir, ignore=shutil.ignore_patterns("target"))
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=limit_dir, check=True)
    limit = os.path.join(limit_dir, "target", "release", "peers-limit")
    opinio = os.path.join(ROOT, "target", "release", "opinio")
    if not os.path.exists(opinio):
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    # "One core": the process pinned to one (its reading thread included),
    # where taskset is there to do it.
    one_core = ["taskset", "-c", "0"] if shutil.which("taskset") else []

    # (engine, positions, wall, cores, {position: digest})
    results = []
    expected = {}
    for p in positions:
        tsv = os.path.join(out, f"limit-{p}.tsv")
        wall = run(one_core + [limit, incidents, p, "--out", tsv, "--reps", "1"], a.repeat, stderr=subprocess.DEVNULL)
        expected[p] = digest_masks(masks_from_tsv(tsv, a.n))
        if p == a.position:
            results.append(("limit (Rust loop, serde_json)", p, wall, "1", {p: expected[p]}))
    tsv = os.path.join(out, "ref.tsv")
    wall = run([sys.executable, os.path.join(PEERS, "ref.py"), incidents, a.position, "--out", tsv], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results.append(("CPython oracle (ref.py)", a.position, wall, "1", {a.position: digest_masks(masks_from_tsv(tsv, a.n))}))
    columns = [arg for c in CONCLUSIONS for arg in ("--conclusion", c)]
    for jobs in a.jobs.split(","):
        path = os.path.join(out, f"opinio-{jobs}.csv")
        pin = one_core if jobs == "1" else []
        norms = os.path.join(a.norms, f"{a.position}.norm")
        cmd = pin + [opinio, "batch", norms, "--incidents", incidents, "--format", "csv", "-o", path, "--jobs", jobs, "-q"] + columns
        wall = run(cmd, a.repeat)
        cores = "1" if pin else jobs
        results.append((f"opinio batch, --jobs {jobs}", a.position, wall, cores, {a.position: digest_masks(masks_from_opinio_csv(path, a.n))}))
        # The three positions in one pass, one row per incident.
        path = os.path.join(out, f"opinio-3-{jobs}.csv")
        norms = [os.path.join(a.norms, f"{p}.norm") for p in positions]
        cmd = pin + [opinio, "batch", *norms, "--incidents", incidents, "--format", "csv", "--wide", "-o", path, "--jobs", jobs, "-q"] + columns
        wall = run(cmd, a.repeat)
        digests = {p: digest_masks(masks_from_opinio_csv(path, a.n, f"{p}.")) for p in positions}
        results.append((f"opinio batch, --jobs {jobs}, --wide", ", ".join(positions), wall, cores, digests))

    print(f"{a.n:,} incidents from ../shared/peers/gen.py, rules {os.path.relpath(a.norms, ROOT)}, least wall time of {a.repeat} runs")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}")
    print()
    print("| engine | positions | cores | wall | incidents/s | time / limit's |")
    print("|---|---|---:|---:|---:|---:|")
    base = results[0][2]
    for name, pos, wall, cores, _ in results:
        print(f"| {name} | {pos} | {cores} | {wall:.2f} s | {a.n / wall:,.0f} | {wall / base:.2f} |")
    print()
    single = {r[3]: r[2] for r in results if r[0].startswith("opinio") and r[1] == a.position}
    for name, pos, wall, cores, _ in results:
        if name.startswith("opinio") and pos != a.position and cores in single:
            print(f"three positions in one pass, {cores} core(s): {wall / single[cores]:.2f}x the time of `{a.position}` alone")
    differ = [(name, p) for name, _, _, _, ds in results for p, d in ds.items() if d != expected[p]]
    print()
    if not differ:
        print(f"equal results: digest of `{a.position}` {expected[a.position]['digest']}, counts {expected[a.position]['counts']}")
        print("; ".join(f"`{p}` {expected[p]['digest']}" for p in positions if p != a.position) + " (the limit's, for the three positions in one pass)")
        return 0
    for name, p in differ:
        print(f"{name}, position {p}: {[ds for n, _, _, _, ds in results if n == name]} where the limit gives {expected[p]}")
    print("the results DIFFER")
    return 1


if __name__ == "__main__":
    sys.exit(main())

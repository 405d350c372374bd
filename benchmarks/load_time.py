"""Benchmark: cold start, from a fresh interpreter to the first result, for one or more checkouts.

Two measures, each in a fresh process (nothing cached in memory between runs; the operating system's file
cache is warm after the first run):

* ``calculate``: ``cn-assist calculate`` on its built-in example (the console script's own call, stdout
  discarded), timed from outside: interpreter start, imports, system build, one household, printing;
* ``script``: a Python script doing ``import openfisca_cn_assist`` → ``CountryTaxBenefitSystem()`` → one
  household (the same example) through ``SimulationBuilder`` and ``calculate("dibao_benefit")``; timed from
  outside (``script``), and phase by phase inside (``import``, ``system``, ``first calc``).

``python -c pass`` is timed too (``interpreter``): the floor no package can go below.

The national register is loaded from the user's cache once a process has built it (the untimed warm-up run
does; ``openfisca_cn_assist/engine/divisions.py``), as on any machine after the first run. ``--no-register-cache``
builds it in every run instead (``OPENFISCA_CN_ASSIST_REGISTER_CACHE=0``), as the first run after an install or a
change of the register does.

    python benchmarks/load_time.py [--runs N] [--no-register-cache] [--checkout PATH ...]

Each ``--checkout`` is a source tree of this project (default: the one holding this script), imported through
``PYTHONPATH`` with this interpreter and its installed dependencies, so that an older commit can be measured
without reinstalling: ``git worktree add /tmp/before a51a1a4`` then
``python benchmarks/load_time.py --checkout /tmp/before --checkout .``. Runs alternate between checkouts, so
that drift on a shared machine hits each alike; medians are printed, with the first checkout as the reference
of the ratios. It is a benchmark, not a test: it asserts nothing about timings.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
EXAMPLE = "xishuangbanna_rural_class"

CALCULATE = (
    "import sys; from openfisca_cn_assist.cli.main import main; sys.argv = ['cn-assist', 'calculate']; sys.exit(main())"
)

SCRIPT = f"""
import json, time
now = lambda: (time.perf_counter(), time.process_time())
start = now()
import openfisca_cn_assist
from openfisca_core.simulation_builder import SimulationBuilder
imported = now()
system = openfisca_cn_assist.CountryTaxBenefitSystem()
built = now()
from openfisca_cn_assist.engine.paths import PACKAGE_DIR
situation = json.loads((PACKAGE_DIR / "situation_examples" / "{EXAMPLE}.json").read_text(encoding="utf-8"))
simulation = SimulationBuilder().build_from_entities(system, situation)
value = simulation.calculate("dibao_benefit", "2022-08")
done = now()
phases = {{"import": (start, imported), "system": (imported, built), "first calc": (built, done)}}
print(json.dumps({{"package": openfisca_cn_assist.__file__, "records": len(system.registry), "value": float(value[0]),
    "wall": {{k: b[0] - a[0] for k, (a, b) in phases.items()}}, "cpu": {{k: b[1] - a[1] for k, (a, b) in phases.items()}}}}))
"""

MEASURES = ("interpreter", "calculate", "script", "import", "system", "first calc")
CLOCKS = ("wall", "cpu")


EXTRA_ENV: dict[str, str] = {}


def run_once(checkout: Path, code: str) -> tuple[float, float, str]:
    """Wall and CPU (user + system) time of ``python -c code`` in a fresh process importing ``checkout``, and
    its stdout. CPU time moves far less than wall time when other work shares the machine."""
    env = {**os.environ, **EXTRA_ENV, "PYTHONPATH": str(checkout)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=checkout, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{checkout}: exit code {done.returncode}\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, done.stdout


def measure(checkout: Path, times: dict[str, dict[str, list[float]]], facts: dict) -> None:
    """One run of every measure for ``checkout``, appended to ``times[clock][measure]``."""
    for name, code in (("interpreter", "pass"), ("calculate", CALCULATE)):
        elapsed, cpu, _ = run_once(checkout, code)
        times["wall"][name].append(elapsed)
        times["cpu"][name].append(cpu)
    elapsed, cpu, out = run_once(checkout, SCRIPT)
    report = json.loads(out.strip().splitlines()[-1])
    expected = checkout / "openfisca_cn_assist" / "__init__.py"
    if Path(report["package"]).resolve() != expected.resolve():
        raise SystemExit(f"{checkout}: imported {report['package']}, not the checkout's package")
    times["wall"]["script"].append(elapsed)
    times["cpu"]["script"].append(cpu)
    for clock in CLOCKS:
        for phase, seconds in report[clock].items():
            times[clock][phase].append(seconds)
    facts.update(records=report["records"], value=report["value"])


def empty() -> dict[str, dict[str, list[float]]]:
    return {clock: {m: [] for m in MEASURES} for clock in CLOCKS}


def describe(checkout: Path) -> str:
    """The checkout's commit (and whether it has uncommitted changes), or its path."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(checkout), "log", "-1", "--format=%h %s"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(checkout), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return str(checkout)
    return f"{commit[:70]}{' (+ uncommitted changes)' if dirty else ''}"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh-process runs per checkout and measure")
    parser.add_argument(
        "--checkout",
        action="append",
        type=Path,
        help="a source tree to measure (repeat; the first is the reference); default: this checkout",
    )
    parser.add_argument(
        "--no-register-cache",
        action="store_true",
        help="build the national register in every run instead of loading it from the user's cache",
    )
    args = parser.parse_args(argv)
    checkouts = [c.resolve() for c in (args.checkout or [HERE])]
    if args.no_register_cache:
        EXTRA_ENV["OPENFISCA_CN_ASSIST_REGISTER_CACHE"] = "0"

    cache = "built in every run" if args.no_register_cache else "loaded from the user's cache"
    print(
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs; {load()}; register {cache}"
    )
    times = {c: empty() for c in checkouts}
    facts: dict[Path, dict] = {c: {} for c in checkouts}
    for c in checkouts:  # one untimed warm-up each: the file cache, .pyc files
        measure(c, empty(), facts[c])
    for r in range(args.runs):  # alternate, so that drift on the machine hits every checkout alike
        for c in checkouts:
            measure(c, times[c], facts[c])
        print(f"  run {r + 1}/{args.runs} done; {load()}", flush=True)

    print(f"\nMedian of {args.runs} fresh-process runs after one warm-up, seconds (min–max):")
    for n, c in enumerate(checkouts):
        print(
            f"  [{n}] {c}: {describe(c)}; {facts[c]['records']:,} registry records, dibao_benefit {facts[c]['value']:g}"
        )
    for clock in CLOCKS:
        print(f"\n{clock} time" + (" (user + system)" if clock == "cpu" else ""))
        print(f"{'':>3} {'':>32}" + "".join(f"{m:>20}" for m in MEASURES))
        for n, c in enumerate(checkouts):
            cells = "".join(
                f"{f'{statistics.median(v):.3f} ({min(v):.2f}–{max(v):.2f})':>20}" for v in times[c][clock].values()
            )
            print(f"[{n}] {c.name[:32]:>32}{cells}")
        reference = times[checkouts[0]][clock]
        for n, c in enumerate(checkouts[1:], start=1):
            ratios = "".join(
                f"{statistics.median(times[c][clock][m]) / statistics.median(reference[m]):>20.2f}" for m in MEASURES
            )
            print(f"[{n}] {'÷ [0]':>32}{ratios}")
    print(f"\n({load()} at the end; target for 'calculate': 0.4 s on the 2-core reference machine, issue 15)")


if __name__ == "__main__":
    main()

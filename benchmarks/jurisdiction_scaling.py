"""Benchmark: does the cost per household grow with the number of jurisdictions?

Requirement: lookups run as numpy table lookups by jurisdiction index and their cost per
household must not grow with the number of jurisdictions. This script computes the 低保
and 特困 outputs for 10⁶ synthetic households over 3,000 synthetic jurisdictions, and the
same households over 10 jurisdictions, and prints the time per household and the ratio.

    python benchmarks/jurisdiction_scaling.py [--households N] [--repeats R] [--jurisdictions J]

It is a benchmark, not a test: it asserts nothing about timings. Jurisdictions, parameter
values and households are synthetic (openfisca_cn_assist/caseload/synthetic.py). Each registry
holds the built-in jurisdictions that parameter files name (10 at the time of writing; the
resolver rejects a file for an unknown jurisdiction) plus synthetic ones; households are
drawn over the synthetic ones with the same seed for every registry, so that only their
jurisdiction (and the dibao class it implies) differs between the runs. After one
untimed warm-up each, runs alternate between the registries and medians are reported.

    python benchmarks/jurisdiction_scaling.py --national [--households N] [--repeats R]

``--national`` compares the built-in national register (``CountryTaxBenefitSystem()``: 6,824 records,
every division since 1981) with a 13-jurisdiction synthetic registry: 10⁶ households spread over every
county-level record in force on 2024-12-31 under the provinces that have no parameter file in their subtree
(those get synthetic values, with their in-force prefectures and counties:
``add_synthetic_parameters(records=…)``), against the same households over the small registry's synthetic
jurisdictions, and a control: the register with households over 3 counties (as many as the small run uses),
which tells the register's size from the number of jurisdictions in use. Each run is a fresh process (so that
each has its own peak resident memory), the three alternating; it prints time per household (wall and CPU),
peak memory and their ratios.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import numpy as np
from openfisca_core.periods import period as as_period

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing

import openfisca_cn_assist  # noqa: E402
from openfisca_cn_assist import CountryTaxBenefitSystem  # noqa: E402
from openfisca_cn_assist.caseload.synthetic import (  # noqa: E402
    add_synthetic_parameters,
    build_caseload_simulation,
    draw_dibao_classes,
    draw_jurisdictions,
    required_builtin_records,
    synthetic_households,
    synthetic_indices,
    synthetic_registry,
)
from openfisca_cn_assist.engine.resolver import refresh_resolver, resolver_for  # noqa: E402

# A fixed request, not the declared outputs: the same work in every release, so that figures compare.
OUTPUTS = [
    "dibao_countable_income",
    "dibao_per_capita_income",
    "dibao_standard",
    "dibao_eligible",
    "dibao_benefit",
    "tekun_eligible",
    "tekun_basic_allowance",
    "tekun_care_allowance",
]
BASELINE_JURISDICTIONS = 10
NATIONAL_BASELINE = 13  # as many as the project's keys: the registry before the national register


@dataclass
class Setup:
    """One system (registry + synthetic values) and the registry-dependent inputs."""

    total: int
    system: CountryTaxBenefitSystem
    jurisdiction: np.ndarray
    dibao_class: np.ndarray
    load_s: float
    parameters_s: float
    added: dict
    refresh_s: list[float] = field(default_factory=list)
    lookup_s: list[float] = field(default_factory=list)
    build_s: list[float] = field(default_factory=list)
    compute_s: list[float] = field(default_factory=list)
    summary: dict = field(default_factory=dict)


def clock(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def prepare(total: int, caseload, period: str, seed: int, repeats: int) -> Setup:
    system, load_s = clock(lambda: CountryTaxBenefitSystem(registry=synthetic_registry(total)))
    added, parameters_s = clock(add_synthetic_parameters, system, seed)
    jurisdiction = draw_jurisdictions(caseload.n_households, synthetic_indices(system.registry), seed)
    dibao_class = draw_dibao_classes(system, caseload, jurisdiction, period, seed)
    setup = Setup(total, system, jurisdiction, dibao_class, load_s, parameters_s, added)
    for _ in range(repeats):
        setup.refresh_s.append(clock(refresh_resolver, system)[1])
    # The bare lookup of lookup.by_jurisdiction: one table indexed by every person's jurisdiction.
    # (Fancy indexing as there; np.take's speed varies erratically with memory layout.)
    table = resolver_for(system)["dibao.standard_rural"].table(str(as_period(period).start))
    person_jurisdiction = jurisdiction[caseload.household_of_person]
    for _ in range(max(repeats, 5)):
        setup.lookup_s.append(clock(table.__getitem__, person_jurisdiction)[1])
    return setup


def compute(simulation, period: str) -> dict:
    return {name: simulation.calculate(name, period) for name in OUTPUTS}


def build(setup: Setup, caseload, period: str):
    return build_caseload_simulation(setup.system, caseload, setup.jurisdiction, setup.dibao_class, period)


def run(setup: Setup, caseload, period: str, timed: bool = True) -> None:
    gc.collect()
    simulation, build_s = clock(build, setup, caseload, period)
    results, compute_s = clock(compute, simulation, period)
    if timed:
        setup.build_s.append(build_s)
        setup.compute_s.append(compute_s)
    else:  # the warm-up run: first-touch page faults and lazy imports, not timed
        eligible, tekun = results["dibao_eligible"], results["tekun_eligible"]
        setup.summary = {
            "dibao eligible": f"{eligible.mean():.1%} of households",
            "mean dibao benefit (eligible)": f"{results['dibao_benefit'][eligible].mean():.0f} 元/月",
            "tekun eligible": f"{tekun.mean():.2%} of persons",
            "mean tekun basic + care (eligible)": f"{results['tekun_basic_allowance'][tekun].mean():.0f} + "
            f"{results['tekun_care_allowance'][tekun].mean():.0f} 元/月",
            "distinct jurisdictions used": f"{len(np.unique(setup.jurisdiction)):,}",
        }


def profile(setup: Setup, caseload, period: str, top: int) -> None:
    simulation = build(setup, caseload, period)
    profiler = cProfile.Profile()
    profiler.runcall(compute, simulation, period)
    print(f"\ncProfile of one compute, {setup.total:,} jurisdictions (top {top} by internal time):")
    pstats.Stats(profiler, stream=sys.stdout).strip_dirs().sort_stats("tottime").print_stats(top)


def median(values: list[float]) -> float:
    return statistics.median(values)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jurisdictions", type=int, default=3000)
    parser.add_argument(
        "--baseline",
        type=int,
        help=f"jurisdictions of the small run (default {BASELINE_JURISDICTIONS}; with --national {NATIONAL_BASELINE})",
    )
    parser.add_argument("--period", default="2025-01", help="a month from 2023-01 on (synthetic values start 2021–22)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="print the top N functions of one compute")
    parser.add_argument(
        "--national",
        action="store_true",
        help="the national register (every county in force in 2024 under the provinces without files) "
        "against 13 jurisdictions, each run in a fresh process",
    )
    parser.add_argument("--worker", choices=MODES, help=argparse.SUPPRESS)  # one --national run
    args = parser.parse_args(argv)
    args.baseline = args.baseline or (NATIONAL_BASELINE if args.national or args.worker else BASELINE_JURISDICTIONS)
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.national or args.worker:
        return national_main(args)

    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, openfisca-core {version('openfisca-core')}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs; package at {Path(openfisca_cn_assist.__file__).parent}"
    )
    caseload, generate_s = clock(synthetic_households, args.households, args.seed)
    print(
        f"Synthetic caseload: {caseload.n_households:,} households, {caseload.n_persons:,} persons, "
        f"period {args.period}, seed {args.seed} (generated in {generate_s:.1f} s)"
    )
    # Parameter files name built-in jurisdictions, which every registry must hold; the small run
    # needs them plus a synthetic province and county.
    smallest = len(required_builtin_records()) + 2
    if args.baseline < smallest:
        print(
            f"Note: the small run needs at least {smallest} jurisdictions; using {smallest} instead of {args.baseline}."
        )
        args.baseline = smallest
    setups = [prepare(n, caseload, args.period, args.seed, args.repeats) for n in (args.baseline, args.jurisdictions)]
    for setup in setups:
        run(setup, caseload, args.period, timed=False)
    for r in range(args.repeats):  # alternate, so that drift on the machine hits both alike
        for setup in setups:
            run(setup, caseload, args.period)
        print(f"  repeat {r + 1}/{args.repeats} done", flush=True)

    print("\nSetup (once per registry; refresh = rebuilding every lookup table, median):")
    print(f"{'jurisdictions':>13} {'params added':>12} {'values':>7} {'load s':>7} {'synth s':>8} {'refresh s':>9}")
    for s in setups:
        print(
            f"{s.total:>13,} {s.added['parameters']:>12,} {s.added['values']:>7,} {s.load_s:>7.2f} "
            f"{s.parameters_s:>8.2f} {median(s.refresh_s):>9.3f}"
        )

    n_h, n_p = caseload.n_households, caseload.n_persons
    print(f"\nOutputs: {', '.join(OUTPUTS)}")
    print(
        f"Median of {args.repeats} runs after one warm-up (min–max in brackets); "
        "µs/household = compute s / households; lookup = one table indexed for every person."
    )
    header = (
        f"{'jurisdictions':>13} {'households':>10} {'persons':>10} {'lookup ms':>9} "
        f"{'build s':>19} {'compute s':>19} {'µs/household':>12}"
    )
    print(header)
    for s in setups:
        build_s = f"{median(s.build_s):.3f} [{min(s.build_s):.3f}–{max(s.build_s):.3f}]"
        compute_s = f"{median(s.compute_s):.3f} [{min(s.compute_s):.3f}–{max(s.compute_s):.3f}]"
        print(
            f"{s.total:>13,} {n_h:>10,} {n_p:>10,} {median(s.lookup_s) * 1e3:>9.2f} "
            f"{build_s:>19} {compute_s:>19} {median(s.compute_s) / n_h * 1e6:>12.3f}"
        )
    small, large = setups

    def ratio(times: str, of=median) -> float:
        return of(getattr(large, times)) / of(getattr(small, times))

    print(
        f"Ratio {large.total:,}/{small.total:,} jurisdictions: compute {ratio('compute_s'):.3f} "
        f"(of minima {ratio('compute_s', min):.3f}), build {ratio('build_s'):.3f}, lookup {ratio('lookup_s'):.3f}"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak resident memory: {peak:,.0f} MiB")

    print("\nResults (sanity, not a check):")
    for s in setups:
        print(f"  {s.total:,} jurisdictions: " + "; ".join(f"{k} {v}" for k, v in s.summary.items()))

    if args.profile:
        profile(large, caseload, args.period, args.profile)


# --- --national: the national register against a small synthetic registry, one fresh process per run ---

NATIONAL_DATE = "2024-12-31"
# The control: the national register with households over 3 counties of one province, as many as the small
# run uses, so that the register's size and the number of jurisdictions in use can be told apart.
MODES = ("small", "national", "control")
CONTROL_COUNTIES = 3
LABELS = {"national": "national register", "control": f"national, {CONTROL_COUNTIES} used"}
TIMED_PER_PROCESS = 3


def national_selection(system, date: str = NATIONAL_DATE) -> dict:
    """The records of the national register that get synthetic values, and the counties households are drawn over.

    The provinces in force at ``date`` with no parameter file in their subtree (a province with real files keeps
    them alone: synthetic values beside them would shadow or collide with real ones), and every prefecture and
    county in force at ``date`` under them (its parent chain at that date).
    """
    registry = system.registry
    with_files = set()
    for resolved in resolver_for(system).resolved.values():
        for key in resolved.own:
            with_files.update(registry.chain(key, date))
    in_force = [i for i, j in enumerate(registry.jurisdictions) if j.in_force(date) and j.level != "national"]
    province_of = {i: registry.chain(registry.keys[i], date)[-2] for i in in_force}
    provinces = [registry.keys[i] for i in in_force if registry.jurisdictions[i].level == "province"]
    chosen = {p for p in provinces if p not in with_files}
    counties = [i for i in in_force if registry.jurisdictions[i].level == "county"]
    drawn = [i for i in counties if province_of[i] in chosen]
    with_counties = {province_of[i] for i in counties}
    return {
        "records": [registry.keys[i] for i in in_force if province_of[i] in chosen],
        "counties": np.array(drawn, dtype=np.int64),
        "counties_in_force": len(counties),
        "provinces": len(chosen),
        "provinces_in_force": len(provinces),
        "with_files": [registry[p].name_zh for p in provinces if p in with_files],
        "without_counties": [registry[p].name_zh for p in provinces if p not in with_counties],
    }


def rss_mib() -> float:
    """The process's resident memory now (Linux), MiB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def national_worker(args) -> None:
    """One run in this process (system, synthetic values, warm-up, one timed run); prints its figures as JSON."""
    caseload = synthetic_households(args.households, args.seed)
    facts = {}
    if args.worker == "small":
        system, load_s = clock(lambda: CountryTaxBenefitSystem(registry=synthetic_registry(args.baseline)))
        added, parameters_s = clock(add_synthetic_parameters, system, args.seed)
        candidates = synthetic_indices(system.registry)
    else:
        system, load_s = clock(CountryTaxBenefitSystem)
        selection = national_selection(system)
        added, parameters_s = clock(add_synthetic_parameters, system, args.seed, selection.pop("records"))
        candidates = selection.pop("counties")
        start = str(as_period(args.period).start)
        retired = [system.registry.keys[i] for i in candidates if not system.registry.jurisdictions[i].in_force(start)]
        if retired:
            raise SystemExit(f"{len(retired)} counties in force on {NATIONAL_DATE} are not on {start}: {retired[:5]}")
        if args.worker == "control":
            candidates = candidates[:CONTROL_COUNTIES]  # the first in register order: one province's
        facts = {**selection, "drawn": len(candidates)}
    jurisdiction = draw_jurisdictions(caseload.n_households, candidates, args.seed)
    dibao_class = draw_dibao_classes(system, caseload, jurisdiction, args.period, args.seed)
    setup = Setup(len(system.registry), system, jurisdiction, dibao_class, load_s, parameters_s, added)
    table = resolver_for(system)["dibao.standard_rural"].table(str(as_period(args.period).start))
    person_jurisdiction = jurisdiction[caseload.household_of_person]
    for _ in range(5):
        setup.lookup_s.append(clock(table.__getitem__, person_jurisdiction)[1])
    before = rss_mib()
    run(setup, caseload, args.period, timed=False)
    compute_cpu = []  # CPU time moves less than wall time when other work shares the machine
    for _ in range(TIMED_PER_PROCESS):
        gc.collect()
        simulation, build_s = clock(build, setup, caseload, args.period)
        cpu = time.process_time()
        compute_s = clock(compute, simulation, args.period)[1]
        compute_cpu.append(time.process_time() - cpu)
        setup.build_s.append(build_s)
        setup.compute_s.append(compute_s)
        del simulation
    figures = {
        "records": setup.total,
        "used": int(len(np.unique(jurisdiction))),
        "households": caseload.n_households,
        "persons": caseload.n_persons,
        "parameters": added["parameters"],
        "load_s": load_s,
        "parameters_s": parameters_s,
        "lookup_s": median(setup.lookup_s),
        "build_s": median(setup.build_s),
        "compute_s": median(setup.compute_s),
        "compute_cpu_s": median(compute_cpu),
        "rss_before_mib": before,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "summary": setup.summary,
        **facts,
    }
    print(json.dumps(figures))


def spawn(args, mode: str) -> dict:
    command = [sys.executable, __file__, "--worker", mode, "--households", str(args.households)]
    command += ["--seed", str(args.seed), "--period", args.period, "--baseline", str(args.baseline)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the {mode} run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def national_main(args) -> None:
    if args.worker:
        return national_worker(args)
    args.baseline = max(args.baseline, len(required_builtin_records()) + 2)
    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, openfisca-core {version('openfisca-core')}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs; package at {Path(openfisca_cn_assist.__file__).parent}"
    )
    print(f"{args.households:,} synthetic households (seed {args.seed}), period {args.period}; {load()}")
    runs = {mode: [] for mode in MODES}
    for r in range(args.repeats):  # alternate, so that drift on the machine hits both alike
        for mode in runs:
            runs[mode].append(spawn(args, mode))
        print(f"  repeat {r + 1}/{args.repeats} done; {load()}", flush=True)
    report_national(args, runs)


def report_national(args, runs: dict[str, list[dict]]) -> None:
    n = runs["national"][0]
    print(
        f"\nNational register: households drawn over {n['drawn']:,} of the {n['counties_in_force']:,} county-level "
        f"records in force on {NATIONAL_DATE}: those under the {n['provinces']} of {n['provinces_in_force']} "
        f"provinces with no parameter file in their subtree, which get synthetic values with their in-force "
        f"prefectures and counties ({n['parameters']:,} parameters); {', '.join(n['with_files'])} keep their real "
        f"files (synthetic values beside them would shadow or collide with real ones); "
        f"{', '.join(n['without_counties']) or 'none'} have no county-level record in the register."
    )
    print(f"Outputs: {', '.join(OUTPUTS)}")
    print(
        f"Median of {args.repeats} fresh processes (each: untimed warm-up, then the median of {TIMED_PER_PROCESS} timed "
        "runs; min–max of the processes in brackets); µs/household = compute s / households; CPU = process CPU time "
        "of the compute; RSS before = resident memory before the runs (system, values, caseload); peak = the "
        "process's peak resident memory."
    )
    print(
        f"{'registry':>17} {'records':>7} {'used':>5} {'households':>10} {'load s':>6} {'synth s':>7} {'lookup ms':>9} "
        f"{'build s':>7} {'compute s':>19} {'CPU s':>6} {'µs/household':>12} {'RSS before MiB':>14} {'peak MiB':>8}"
    )
    med = {
        mode: {k: median([r[k] for r in rs]) for k in rs[0] if isinstance(rs[0][k], int | float)}
        for mode, rs in runs.items()
    }
    for mode, label in {"small": f"{med['small']['records']:.0f} synthetic", **LABELS}.items():
        m, compute = med[mode], [r["compute_s"] for r in runs[mode]]
        spread = f"{m['compute_s']:.3f} [{min(compute):.3f}–{max(compute):.3f}]"
        print(
            f"{label:>17} {m['records']:>7,.0f} {m['used']:>5,.0f} {m['households']:>10,.0f} {m['load_s']:>6.2f} "
            f"{m['parameters_s']:>7.2f} {m['lookup_s'] * 1e3:>9.2f} {m['build_s']:>7.3f} {spread:>19} "
            f"{m['compute_cpu_s']:>6.3f} {m['compute_s'] / m['households'] * 1e6:>12.3f} {m['rss_before_mib']:>14,.0f} {m['peak_mib']:>8,.0f}"
        )
    small = med["small"]
    for mode, label in LABELS.items():

        def ratio(key: str, mine=med[mode]) -> float:
            return mine[key] / small[key]

        both = median([r["build_s"] + r["compute_s"] for r in runs[mode]]) / median(
            [r["build_s"] + r["compute_s"] for r in runs["small"]]
        )
        print(
            f"Ratio {label} / {small['records']:.0f} jurisdictions: time per household (compute) "
            f"{ratio('compute_s'):.3f} (CPU {ratio('compute_cpu_s'):.3f}), build + compute {both:.3f}, lookup "
            f"{ratio('lookup_s'):.3f}; peak memory {ratio('peak_mib'):.3f}"
            + (" (target for both: within 10 %)" if mode == "national" else "")
        )
    print("\nResults (sanity, not a check):")
    for mode in runs:
        print(f"  {mode}: " + "; ".join(f"{k} {v}" for k, v in runs[mode][0]["summary"].items()))
    print(f"({load()} at the end)")


if __name__ == "__main__":
    main()

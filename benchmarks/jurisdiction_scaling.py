"""Benchmark: does the cost per household grow with the number of jurisdictions?

Requirement: lookups run as numpy table lookups by jurisdiction index and their cost per
household must not grow with the number of jurisdictions. This script computes the 低保
and 特困 outputs for 10⁶ synthetic households over 3,000 synthetic jurisdictions, and the
same households over 10 jurisdictions, and prints the time per household and the ratio.

    python benchmarks/jurisdiction_scaling.py [--households N] [--repeats R] [--jurisdictions J]

It is a benchmark, not a test: it asserts nothing about timings. Jurisdictions, parameter
values and households are synthetic (openfisca_cn_assist/caseload/synthetic.py). Each registry
holds the built-in jurisdictions that parameter files name (8 at the time of writing; the
resolver rejects a file for an unknown jurisdiction) plus synthetic ones; households are
drawn over the synthetic ones with the same seed for every registry, so that only their
jurisdiction (and the dibao class it implies) differs between the runs. After one
untimed warm-up each, runs alternate between the registries and medians are reported.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import platform
import pstats
import resource
import statistics
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


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jurisdictions", type=int, default=3000)
    parser.add_argument("--baseline", type=int, default=BASELINE_JURISDICTIONS, help="jurisdictions of the small run")
    parser.add_argument("--period", default="2025-01", help="a month from 2023-01 on (synthetic values start 2021–22)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="print the top N functions of one compute")
    args = parser.parse_args(argv)

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


if __name__ == "__main__":
    main()

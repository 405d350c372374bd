"""Benchmark: the whole country by projection, from one worker's measured throughput on the national register.

China has about 4.9 × 10⁸ households. This script measures, in one process on this machine, what one Dask
worker does with one partition: ``--partition-size`` SYNTHETIC households spread over every county-level
division in force in 2024 under the provinces without parameter files of their own (2,455 counties; the
selection of ``benchmarks/jurisdiction_scaling.py --national``, which also says why the other four provinces are
left out), each with synthetic values; it builds the caseload simulation from the DataFrames a user passes
(every check a caseload gets) and computes every output of the microsimulation for the 12 months of
``--period``, as ``cn-assist simulate`` does for one partition. It prints that partition's time, throughput
and peak memory, then the projected time for the whole country on N workers:

    projected time = households ÷ (throughput per worker × N) ÷ efficiency

Assumptions, printed with the figures: the work per household is the same as in the measured partition (the
rules and the register do not change with the number of households: benchmarks/run.py measured time per
household from 10⁵ to 10⁶ households, jurisdiction_scaling.py over 2,455 counties against 13); partitions are
independent (nothing is shared but the exact sums, a few kB each); ``--efficiency`` covers Dask's scheduling
and the workers' own start-up (1.0 by default: say what you measured with benchmarks/dask_scale.py); each worker
holds one partition at a time, so memory per worker is the measured peak whatever the caseload's size.

    python benchmarks/national_projection.py [--partition-size 200000] [--workers 16 64 256] [--efficiency 0.9]

A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a checkout without installing
sys.path.insert(0, str(HERE))

from jurisdiction_scaling import national_selection  # noqa: E402

from openfisca_cn_assist import CountryTaxBenefitSystem  # noqa: E402
from openfisca_cn_assist.analysis.microsim import simulate  # noqa: E402
from openfisca_cn_assist.caseload.synthetic import (  # noqa: E402
    add_synthetic_parameters,
    draw_dibao_classes,
    draw_jurisdictions,
    synthetic_caseload,
    synthetic_households,
)

CHINA_HOUSEHOLDS = 4.9e8


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partition-size", type=int, default=200_000)
    parser.add_argument("--period", default="2025", help="a year (synthetic values cover 2023-02 to 2026-01)")
    parser.add_argument("--workers", type=int, nargs="+", default=[16, 64, 256])
    parser.add_argument("--households", type=float, default=CHINA_HOUSEHOLDS)
    parser.add_argument("--efficiency", type=float, default=1.0, help="share of ideal scaling kept on Dask")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    system = CountryTaxBenefitSystem()
    selection = national_selection(system)
    add_synthetic_parameters(system, args.seed, selection["records"])
    arrays = synthetic_households(args.partition_size, args.seed)
    jurisdiction = draw_jurisdictions(arrays.n_households, selection["counties"], args.seed)
    classes = draw_dibao_classes(system, arrays, jurisdiction, args.period, args.seed)
    caseload = synthetic_caseload(system, arrays, jurisdiction, classes, name="synthetic national partition")
    setup_s = time.perf_counter() - started

    cpu, wall = time.process_time(), time.perf_counter()
    results = simulate(system, caseload, args.period)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    computed = [name for name, value in results.totals().items() if value is not None]
    rate = arrays.n_households / wall

    print(
        f"{platform.machine()}, {os.cpu_count()} CPUs, load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}; "
        f"national register {len(system.registry):,} records; setup {setup_s:.1f} s (system, synthetic values)"
    )
    print(
        f"One partition: {arrays.n_households:,} SYNTHETIC households ({arrays.n_persons:,} persons) over "
        f"{len(selection['counties']):,} of {selection['counties_in_force']:,} counties in force on 2024-12-31, "
        f"every output for {args.period} ({len(computed)} of {len(results.totals())} computed)"
    )
    print(
        f"  build + compute: {wall:.1f} s wall, {cpu:.1f} s CPU → {rate:,.0f} households/s per worker; "
        f"peak memory {peak_mib:,.0f} MiB (the process, system and caseload included)"
    )
    print(
        f"\nProjection for {args.households:.2g} households (efficiency {args.efficiency:.0%}; "
        "assumptions in this script's docstring):"
    )
    for n in args.workers:
        seconds = args.households / (rate * n) / args.efficiency
        print(f"  {n:>4} workers: {seconds / 3600:6.2f} h ({seconds:,.0f} s), {peak_mib:,.0f} MiB per worker")


if __name__ == "__main__":
    main()

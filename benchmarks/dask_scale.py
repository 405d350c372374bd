"""Benchmark: a SYNTHETIC caseload of up to 2 × 10⁷ households through a Dask LocalCluster, in bounded memory.

For each caseload size, a fresh LocalCluster (so that each size's memory high-water marks are its
own) runs ``cn-assist simulate``'s code path: partitions of ``--partition-size`` households are
generated on the workers (``synthetic:N``: no process ever holds the whole caseload), each computes
every output for every month of ``--period`` in one vectorised simulation, and the client adds up the
partitions' exact sums. Printed per size: wall time, throughput (households/s), the largest worker
memory (each worker process's peak resident memory, reported by its tasks) and the client's own
peak. With a fixed partition size the worker memory should stay flat as the caseload grows.

    python benchmarks/dask_scale.py                       # 2×10⁶, 5×10⁶, 2×10⁷ households (≈ 10–20 min on 2 cores)
    python benchmarks/dask_scale.py --quick               # 2×10⁵, 5×10⁵, 10⁶ (≈ 1–2 min)
    python benchmarks/dask_scale.py --households 1000000 --workers 2 --partition-size 100000 [--impact]

A benchmark, not a test: it asserts nothing about timings. Households are invented
(openfisca_cn_assist.caseload.synthetic.synthetic_households) over the built-in jurisdictions whose 2022 低保
standards are known (景洪, 勐海, 勐腊, 贺州).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing

from openfisca_cn_assist.analysis.distributed import dask_client, run_caseload, worker_systems  # noqa: E402
from openfisca_cn_assist.analysis.microsim import peak_rss  # noqa: E402
from openfisca_cn_assist.analysis.partitions import DEFAULT_PARTITION_SIZE, synthetic_partitions  # noqa: E402
from openfisca_cn_assist.analysis.scenario import Scenario  # noqa: E402

FULL = (2_000_000, 5_000_000, 20_000_000)
QUICK = (200_000, 500_000, 1_000_000)
MiB = 2**20


def _sizes(text: str) -> list[int]:
    return [int(float(part)) for part in text.replace("_", "").split(",") if part]


def _warm_up(scenarios) -> None:
    worker_systems(scenarios)


def run_size(households: int, args, baseline) -> dict:
    caseload = synthetic_partitions(baseline, households, args.period, args.partition_size, seed=args.seed)
    scenarios = [Scenario(), Scenario(args.reform)] if args.impact else [Scenario()]
    start = time.perf_counter()
    with dask_client(f"local:{args.workers}") as client:
        started = time.perf_counter()
        client.run(_warm_up, scenarios)  # each worker builds its systems once, before the clock starts
        ready = time.perf_counter()
        result = run_caseload(caseload, args.period, scenarios, client=client, progress=not args.no_progress)
        done = time.perf_counter()
    scenario = result.baseline if args.impact else result
    by_worker: dict[str, int] = {}
    for stat in scenario.stats:
        by_worker[stat["worker"]] = max(by_worker.get(stat["worker"], 0), stat["peak_rss"])
    seconds = [s["seconds"] for s in scenario.stats]
    return {
        "households": scenario.household_count,
        "persons": scenario.aggregate.persons,
        "partitions": scenario.partitions,
        "cluster_s": started - start,
        "systems_s": ready - started,
        "run_s": done - ready,
        "throughput": scenario.household_count / (done - ready),
        "worker_peak_mib": max(by_worker.values()) / MiB,
        "workers_peak_mib": sorted(v / MiB for v in by_worker.values()),
        "partition_s": (min(seconds), sorted(seconds)[len(seconds) // 2], max(seconds)),
        "client_peak_mib": peak_rss() / MiB,
        "dibao_10k": (scenario.totals()["dibao_benefit"] or 0) / 10_000,
        "tekun_change_10k": (result.changes["tekun_basic_allowance"] or 0) / 10_000 if args.impact else None,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--households", type=_sizes, help="caseload sizes, comma-separated (default 2000000,5000000,20000000)"
    )
    parser.add_argument("--quick", action="store_true", help="sizes 200000,500000,1000000")
    parser.add_argument(
        "--workers", type=int, default=2, help="LocalCluster worker processes, one thread each (default 2)"
    )
    parser.add_argument(
        "--partition-size",
        type=int,
        default=DEFAULT_PARTITION_SIZE,
        help=f"households per partition (default {DEFAULT_PARTITION_SIZE})",
    )
    parser.add_argument("--period", default="2022", help="a year (12 months, default 2022) or a month")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--impact", action="store_true", help="baseline and --reform on every partition (cn-assist impact)"
    )
    parser.add_argument("--reform", default="raise_tekun_1050")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    sizes = args.households or (QUICK if args.quick else FULL)

    try:
        import psutil

        memory = f"{psutil.virtual_memory().total / 2**30:.1f} GiB RAM"
    except ImportError:
        memory = "RAM unknown"
    print(
        f"{platform.platform()}, {os.cpu_count()} cores, {memory}; Python {platform.python_version()}, "
        f"openfisca-core {version('openfisca-core')}, numpy {version('numpy')}, dask {version('dask')}, "
        f"distributed {version('distributed')}"
    )
    print(
        f"LocalCluster: {args.workers} worker processes × 1 thread on 127.0.0.1; partitions of {args.partition_size:,} "
        f"households generated on the workers; period {args.period} (every output, every month); "
        + (
            f"impact of {args.reform} (2 simulations per partition)"
            if args.impact
            else "baseline (1 simulation per partition)"
        )
    )
    baseline = worker_systems([Scenario()])[0]
    rows = []
    for households in sizes:
        row = run_size(households, args, baseline)
        rows.append(row)
        print(
            f"  {row['households']:>12,} households ({row['persons']:,} persons) in {row['partitions']} partitions: "
            f"{row['run_s']:.1f} s, {row['throughput']:,.0f} households/s; largest worker memory {row['worker_peak_mib']:,.0f} MiB "
            f"(workers {', '.join(f'{m:,.0f}' for m in row['workers_peak_mib'])}); client {row['client_peak_mib']:,.0f} MiB; "
            f"partition s min/median/max {'/'.join(f'{s:.2f}' for s in row['partition_s'])}; "
            f"cluster start {row['cluster_s']:.1f} s, systems {row['systems_s']:.1f} s; 低保 {row['dibao_10k']:,.0f} 万元"
            + (f"; 特困 change {row['tekun_change_10k']:,.0f} 万元" if args.impact else ""),
            flush=True,
        )
    print("\n| households | persons | partitions | run s | households/s | largest worker memory | client memory |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['households']:,} | {row['persons']:,} | {row['partitions']} | {row['run_s']:.1f} | {row['throughput']:,.0f} | "
            f"{row['worker_peak_mib']:,.0f} MiB | {row['client_peak_mib']:,.0f} MiB |"
        )
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        print(
            f"\n{last['households'] / first['households']:.0f}× the households: largest worker memory × "
            f"{last['worker_peak_mib'] / first['worker_peak_mib']:.2f}, throughput × {last['throughput'] / first['throughput']:.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

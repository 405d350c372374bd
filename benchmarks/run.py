"""Benchmarks: caseloads of 10⁴, 10⁵ and 10⁶ households, every output for the 12 months of a year.

    python benchmarks/run.py                      # the full run (10⁴, 10⁵, 10⁶ households), about 2 minutes
    python benchmarks/run.py --sizes 1e4          # quick mode, seconds
    python benchmarks/run.py --profile 1e5        # where the time goes (pyinstrument, or cProfile without it)

For each size, in a fresh process: a SYNTHETIC caseload (``openfisca_cn_assist.caseload.synthetic``: about
3 persons per household, spread uniformly over the synthetic jurisdictions of a 3,000-jurisdiction
registry) is turned into the pandas DataFrames a user passes (``synthetic_caseload``). Three runs then
alternate, ``--repeats`` times, after one untimed warm-up of each on a small caseload:

* **kernel**: ``benchmarks/kernel.py``, hand-written numpy of the core rules (countable income, 特困
  eligibility, the 低保 standard, gap and class methods, the 特困 basic allowance) for the 12 months,
  from the same DataFrames: *prepare* (columns to arrays) + *rules*;
* **model, core**: ``caseload_simulation`` on the DataFrames (*build*: the realistic path, with every
  check of a caseload read from files), then ``dibao_countable_income``, ``dibao_regular_benefit`` and
  ``tekun_basic_allowance`` for the 12 months (*compute*), which pulls in every variable those depend on;
* **model, all**: the same build, then every output the microsimulation computes (declared on the variables:
  ``analysis.outputs.MicrosimOutputs``), for the 12 months, as it computes them:
  ``analysis.household_frame.household_frame``, month by month, each month's outputs added to per-household
  sums and the month's results then released (``engine/memory.py``), and the yearly outputs once.

The first repeat checks that the model and the kernel give the same numbers for every household and
month (``dibao_countable_income``, ``dibao_regular_benefit``, ``tekun_basic_allowance``, 低保 and 特困
eligibility); a mismatch stops the benchmark. Times are medians over the repeats. Peak memory is
measured apart, in a fresh process per run kind (a process that has run before keeps freed memory
in its allocator): the largest resident set during one run (VmHWM, reset just before it), with the
system and the caseload DataFrames already in memory.

Ratios: **core** = model core (build + compute) ÷ kernel (prepare + rules), the same numbers from the
same DataFrames; **all** = model all (build + compute) ÷ the same kernel, i.e. what every other output
costs on top. ``compute`` ratios leave the DataFrame conversion out on both sides.

Last, the same 10⁵ households over the 3,000-jurisdiction registry and over a 30-jurisdiction one
(``--jurisdiction-check``): the cost must not grow with the number of jurisdictions.
``benchmarks/jurisdiction_scaling.py`` makes the same comparison for one month and a few outputs.

Timing workers run in steady state: glibc keeps memory a run frees for the next run (``STEADY_MALLOC``), as a
long-lived process would, rather than returning it to the system to be faulted in again, which cost 1–5 s of
system time at 10⁶ households and varied from run to run; the median of the repeats then measures the rules.
What a fresh process pays for its memory shows in the memory workers (default allocator) and in
``benchmarks/national_projection.py`` (one fresh run).

A benchmark prints; it asserts nothing about timings.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a checkout without installing
sys.path.insert(0, str(HERE))

TARGET_RATIO = 2.0
# glibc: blocks up to 32 MiB (its maximum) come from the heap, which is not trimmed (see spawn)
STEADY_MALLOC = {"MALLOC_MMAP_THRESHOLD_": str(32 << 20), "MALLOC_TRIM_THRESHOLD_": str(8 << 30)}
TARGET_PEAK_MIB = 1536  # every output, 12 months, 10⁶ households (issue 15: ≤ 1.5 GB)
TARGET_GROWTH = 21  # time from 10⁵ to 2 × 10⁶ households (×20 households)
MODES = ("kernel", "core", "all")


# --- Memory -------------------------------------------------------------------------------------------


def _status(field: str) -> float:
    """A /proc/self/status field in MiB (Linux)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def reset_peak() -> float:
    """Reset the process's peak resident set (Linux: clear_refs 5); return the current resident set."""
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
    return _status("VmRSS")


def peak() -> float:
    return _status("VmHWM")


# --- One size, in its own process ---------------------------------------------------------------------


def _setup(n_households: int, jurisdictions: int, year: str, seed: int):
    from openfisca_cn_assist import CountryTaxBenefitSystem
    from openfisca_cn_assist.caseload.synthetic import (
        add_synthetic_parameters,
        draw_dibao_classes,
        draw_jurisdictions,
        synthetic_caseload,
        synthetic_households,
        synthetic_indices,
        synthetic_registry,
    )

    system = CountryTaxBenefitSystem(registry=synthetic_registry(jurisdictions))
    add_synthetic_parameters(system, seed)

    def caseload(n, seed):
        arrays = synthetic_households(n, seed)
        jurisdiction = draw_jurisdictions(arrays.n_households, synthetic_indices(system.registry), seed)
        dibao_class = draw_dibao_classes(system, arrays, jurisdiction, year + "-01", seed)
        return synthetic_caseload(system, arrays, jurisdiction, dibao_class, name=f"synthetic {n}")

    return system, caseload


def months(year: str) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(1, 13)]


def outputs(mode: str, system) -> list[str]:
    from kernel import CORE_OUTPUTS

    from openfisca_cn_assist.analysis.outputs import MicrosimOutputs

    if mode == "core":
        return list(CORE_OUTPUTS)
    declared = MicrosimOutputs.of(system)
    # computed month by month below: not the yearly outputs (paid once a year, month unknown)
    return [name for name in declared.order if name not in declared.yearly]


def run_kernel(system, caseload, year):
    import kernel

    start, cpu_start = time.perf_counter(), time.process_time()
    inputs = kernel.prepare(system, caseload)
    prepared, cpu_prepared = time.perf_counter(), time.process_time()
    results = kernel.compute(system, inputs, months(year))
    return {
        "build": prepared - start,
        "compute": time.perf_counter() - prepared,
        "build_cpu": cpu_prepared - cpu_start,
        "compute_cpu": time.process_time() - cpu_prepared,
    }, results


def run_model(system, caseload, year, mode):
    from openfisca_cn_assist.caseload.simulation import caseload_simulation

    start, cpu_start = time.perf_counter(), time.process_time()
    simulation = caseload_simulation(system, caseload, year)
    built, cpu_built = time.perf_counter(), time.process_time()
    if mode == "all":  # as the microsimulation does: month by month, household sums, each month released
        from openfisca_cn_assist.analysis.household_frame import household_frame

        simulation.frame, _ = household_frame(simulation, year)
    else:
        for name in outputs(mode, system):
            for month in months(year):
                simulation.calculate(name, month)
    return {
        "build": built - start,
        "compute": time.perf_counter() - built,
        "build_cpu": cpu_built - cpu_start,
        "compute_cpu": time.process_time() - cpu_built,
    }, simulation


def check(simulation, kernel_results, year) -> str:
    """Model and kernel agree on every household and month; raise otherwise."""
    compared = 0
    for month in months(year):
        for name, expected in kernel_results[month].items():
            got = np.asarray(simulation.calculate(name, month))
            same = (
                np.array_equal(got, expected)
                if expected.dtype == bool
                else np.allclose(got, expected, rtol=0, atol=1e-3)
            )
            if not same:
                bad = np.flatnonzero(~np.isclose(got, expected, rtol=0, atol=1e-3))
                raise AssertionError(
                    f"model and kernel differ on {name} in {month}: rows {bad[:5].tolist()} ({len(bad)} in all): "
                    f"model {got[bad[:5]].tolist()}, kernel {expected[bad[:5]].tolist()}"
                )
            compared += 1
    return f"identical on {compared} output-months"


def memory_worker(args) -> dict:
    """Peak resident set of one run of ``args.mode`` in a fresh process, after the caseload is made."""
    n = int(float(args.size))
    system, make = _setup(n, args.jurisdictions, args.year, args.seed)
    caseload = make(n, args.seed)
    before = reset_peak()
    if args.mode == "kernel":
        run_kernel(system, caseload, args.year)
    else:
        run_model(system, caseload, args.year, args.mode)
    return {"before": before, "peak": peak()}


def worker(args) -> dict:
    """Time one size; return the figures as a dict (printed as JSON by the parent)."""
    n = int(float(args.size))
    system, make = _setup(n, args.jurisdictions, args.year, args.seed)
    warm = make(min(n, 10_000), args.seed + 1)
    _, kernel_results = run_kernel(system, warm, args.year)
    for mode in ("core", "all"):
        _, simulation = run_model(system, warm, args.year, mode)
    check(simulation, kernel_results, args.year)
    del warm, simulation, kernel_results

    caseload = make(n, args.seed)
    figures = {mode: {"build": [], "compute": [], "build_cpu": [], "compute_cpu": []} for mode in MODES}
    figures.update(
        households=n,
        persons=len(caseload.persons),
        jurisdictions_used=int(caseload.households["jurisdiction"].nunique()),
    )
    modes = [m for m in MODES if m in args.modes.split(",")]
    for repeat in range(args.repeats):
        kernel_results = None
        for mode in modes:
            gc.collect()
            if mode == "kernel":
                times, kernel_results = run_kernel(system, caseload, args.year)
            else:
                times, simulation = run_model(system, caseload, args.year, mode)
            for key, value in times.items():
                figures[mode][key].append(value)
            if mode != "kernel":
                if repeat == 0 and mode == "core" and kernel_results is not None:
                    figures["check"] = check(simulation, kernel_results, args.year)
                if repeat == 0 and mode == "all":
                    figures["sanity"] = sanity(simulation, args.year)
                del simulation
        del kernel_results
    return figures


def sanity(simulation, year) -> dict:
    """Each monthly programme's total and the total, to see that every programme is reached (not a check)."""
    from openfisca_cn_assist.analysis.outputs import MicrosimOutputs

    declared = MicrosimOutputs.of(simulation.tax_benefit_system)
    frame = simulation.frame
    return {name: float(frame[name].sum()) / len(frame) for name in [*declared.parts, declared.total]}


# --- Profile ------------------------------------------------------------------------------------------


def profile(args) -> None:
    """One build + compute of ``args.mode``: pyinstrument's call tree (cProfile without it), then the
    CPU time of each variable's own formula (its children's formulas excluded), over the 12 months."""
    from openfisca_core.simulations import Simulation

    if args.mode == "kernel":
        raise SystemExit("--profile runs the model: --mode core or all")
    n = int(float(args.profile))
    system, make = _setup(n, args.jurisdictions, args.year, args.seed)
    run_model(system, make(min(n, 10_000), args.seed + 1), args.year, "all")
    caseload = make(n, args.seed)
    try:
        from pyinstrument import Profiler
    except ImportError:
        Profiler = None
    if Profiler is None:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(run_model, system, caseload, args.year, args.mode)
        pstats.Stats(profiler, stream=sys.stdout).strip_dirs().sort_stats("tottime").print_stats(40)
    else:
        profiler = Profiler(interval=0.001)
        profiler.start()
        run_model(system, caseload, args.year, args.mode)
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        if args.profile_html:
            Path(args.profile_html).write_text(profiler.output_html(), encoding="utf-8")
            print(f"HTML profile: {args.profile_html}")

    own: dict[str, float] = {}
    stack: list[float] = []
    run_formula = Simulation._run_formula

    def timed(self, variable, population, period):
        stack.append(0.0)
        start = time.process_time()
        try:
            return run_formula(self, variable, population, period)
        finally:
            spent = time.process_time() - start
            children = stack.pop()
            own[variable.name] = own.get(variable.name, 0.0) + spent - children
            if stack:
                stack[-1] += spent

    Simulation._run_formula = timed
    try:
        times, _ = run_model(system, caseload, args.year, args.mode)
    finally:
        Simulation._run_formula = run_formula
    formulas = sum(own.values())
    print(
        f"\nCPU s by variable, own formula only, 12 months ({args.mode}, {n:,} households): "
        f"build {times['build_cpu']:.2f}, compute {times['compute_cpu']:.2f}, of which in formulas {formulas:.2f} (with OpenFisca's work for the variables they ask for); "
        f"the rest is the loop over outputs and months"
    )
    for name, spent in sorted(own.items(), key=lambda item: -item[1])[:30]:
        print(f"{spent:8.3f} {spent / formulas:6.1%}  {name}")


# --- Parent: one process per size, then the table -----------------------------------------------------


def median(values):
    return statistics.median(values)


def totals(figures: dict, cpu: bool = False) -> list[float]:
    suffix = "_cpu" if cpu else ""
    return [b + c for b, c in zip(figures["build" + suffix], figures["compute" + suffix])]


def table(results: list[dict], repeats: int) -> None:
    print(f"\nMedians of {repeats} runs, seconds (total: min–max); CPU = process CPU time of build + compute")
    print("(equal to the total on a quiet machine); hh/s = households per second of build + compute; peak = largest")
    print("resident set of a fresh process during one run, MiB, of which 'before' was in use before the run (the")
    print(
        "system and the caseload DataFrames); × kernel = total ÷ the kernel's total; compute × k = compute ÷ its rules."
    )
    header = (
        f"{'households':>10} {'run':<11} {'build':>6} {'compute':>7} {'total (min–max)':>20} {'CPU':>6} "
        f"{'hh/s':>9} {'peak':>6} {'before':>6} {'× kernel':>8} {'compute × k':>11}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        kernel_total = median(totals(r["kernel"]))
        kernel_compute = median(r["kernel"]["compute"])
        for mode, label in (("kernel", "kernel"), ("core", "model core"), ("all", "model all")):
            f = r[mode]
            all_totals = totals(f)
            total = median(all_totals)
            spread = f"{total:.3f} ({min(all_totals):.2f}–{max(all_totals):.2f})"
            ratio = "" if mode == "kernel" else f"{total / kernel_total:.2f}"
            compute_ratio = "" if mode == "kernel" else f"{median(f['compute']) / kernel_compute:.2f}"
            memory = r["memory"][mode]
            print(
                f"{r['households']:>10,} {label:<11} {median(f['build']):>6.3f} {median(f['compute']):>7.3f} "
                f"{spread:>20} {median(totals(f, cpu=True)):>6.2f} {r['households'] / total:>9,.0f} "
                f"{memory['peak']:>6,.0f} {memory['before']:>6,.0f} {ratio:>8} {compute_ratio:>11}"
            )
    busy = [r for r in results for m in MODES if median(totals(r[m])) > 1.15 * median(totals(r[m], cpu=True))]
    if busy:
        print("Note: wall time exceeded CPU time by more than 15 % in some runs: the machine was busy with other work.")


def verdict(results: list[dict]) -> None:
    big = max(results, key=lambda r: r["households"])
    n = big["households"]
    kernel = median(totals(big["kernel"]))
    core = median(totals(big["core"])) / kernel
    full = median(totals(big["all"])) / kernel
    at_million = next((r for r in results if r["households"] == 1_000_000), big)
    memory = at_million["memory"]["all"]["peak"]
    print(f"\nTargets at {n:,} households (the largest size run):")
    print(
        f"  whole run, model core ÷ kernel (build + compute, the same numbers from the same DataFrames): "
        f"{core:.2f} (target ≤ {TARGET_RATIO:g}): {'met' if core <= TARGET_RATIO else 'NOT MET'}"
    )
    if core > TARGET_RATIO:
        build_share = median(big["core"]["build"]) / median(totals(big["core"]))
        print(
            f"    in the way: the model's build is {build_share:.0%} of its run (caseload checks and parsing), "
            f"and its compute is {median(big['core']['compute']) / median(big['kernel']['compute']):.2f}× the kernel's rules"
        )
    print(
        f"  whole run, model all ÷ kernel: {full:.2f} (no target: the kernel computes the core rules only; "
        f"the other outputs cost {median(totals(big['all'])) - median(totals(big['core'])):.2f} s more)"
    )
    print(
        f"  peak memory, every output, 12 months, {at_million['households']:,} households: {memory:,.0f} MiB "
        f"(target ≤ {TARGET_PEAK_MIB:,} at 1,000,000): {'met' if memory <= TARGET_PEAK_MIB else 'NOT MET'}"
    )
    sizes = {r["households"]: median(totals(r["all"])) for r in results}
    if 100_000 in sizes and 2_000_000 in sizes:
        growth = sizes[2_000_000] / sizes[100_000]
        print(
            f"  growth, every output, 100,000 → 2,000,000 households (×20): time ×{growth:.1f} "
            f"(target ≤ ×{TARGET_GROWTH}): {'met' if growth <= TARGET_GROWTH else 'NOT MET'}"
        )
    if n < 1_000_000:
        print("  (the targets are stated for 1,000,000 households; run the default sizes to judge them)")
    if len(results) > 1:
        ordered = sorted(results, key=lambda r: r["households"])
        per = [(r["households"], median(totals(r["all"])) / r["households"] * 1e6) for r in ordered]
        steps = [f"{a[0]:,} → {b[0]:,}: time ×{b[1] * b[0] / (a[1] * a[0]):.1f}" for a, b in zip(per, per[1:])]
        print(
            "  growth with households, model all: "
            + ", ".join(f"{h:,}: {us:.2f} µs/household" for h, us in per)
            + " ("
            + "; ".join(steps)
            + ")"
        )


def jurisdiction_check(args) -> dict:
    """The same households over 3,000 or ~30 jurisdictions: does the cost depend on how many there are?"""
    n = int(float(args.jurisdiction_check))
    out = {}
    setups = {}
    for count in (args.small_registry, args.jurisdictions):
        system, make = _setup(n, count, args.year, args.seed)
        caseload = make(n, args.seed)
        run_model(system, make(min(n, 2_000), args.seed + 1), args.year, "all")
        setups[count] = (system, caseload)
        out[count] = []
    for _ in range(args.repeats):
        for count, (system, caseload) in setups.items():
            times, simulation = run_model(system, caseload, args.year, "all")
            out[count].append(times["build"] + times["compute"])
            del simulation
    return {
        "households": n,
        "runs": {str(k): v for k, v in out.items()},
        "used": {str(k): int(c.households["jurisdiction"].nunique()) for k, (s, c) in setups.items()},
    }


def spawn(args, extra: list[str]) -> dict:
    command = [
        sys.executable,
        __file__,
        "--jurisdictions",
        str(args.jurisdictions),
        "--year",
        args.year,
        "--seed",
        str(args.seed),
        "--repeats",
        str(args.repeats),
        "--small-registry",
        str(args.small_registry),
        *extra,
    ]
    # Timing workers reuse the memory one run frees for the next, as a long-lived worker does, instead of handing
    # it back to the system and having the next run fault it in again (1-5 s of system time at 10⁶ households,
    # varying from run to run); memory workers keep the defaults, so that peaks are what a fresh process sees.
    env = None if "--memory-worker" in extra else {**os.environ, **STEADY_MALLOC}
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"benchmark worker failed: {' '.join(command)}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1e4,1e5,1e6", help="households, comma-separated (default 1e4,1e5,1e6)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each kind per size (default 3)")
    parser.add_argument("--jurisdictions", type=int, default=3000, help="size of the synthetic registry (default 3000)")
    parser.add_argument(
        "--year", default="2025", help="the 12 months simulated: 2024 or 2025 (synthetic values cover them)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--jurisdiction-check",
        default="1e5",
        metavar="N",
        help="households for the 3,000 vs --small-registry comparison (0: skip; default 1e5)",
    )
    parser.add_argument(
        "--small-registry", type=int, default=30, help="jurisdictions of the small registry (default 30)"
    )
    parser.add_argument("--profile", metavar="N", help="profile one build + compute of N households instead")
    parser.add_argument("--mode", default="all", choices=MODES, help="what --profile runs: core or all (default all)")
    parser.add_argument("--profile-html", metavar="PATH", help="also write pyinstrument's HTML report")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", help=argparse.SUPPRESS)
    parser.add_argument("--modes", default=",".join(MODES), help=argparse.SUPPRESS)
    parser.add_argument("--check-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--memory-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        print(json.dumps(worker(args)))
        return
    if args.memory_worker:
        print(json.dumps(memory_worker(args)))
        return
    if args.check_worker:
        print(json.dumps(jurisdiction_check(args)))
        return
    if args.profile:
        profile(args)
        return

    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, pandas {version('pandas')}, "
        f"openfisca-core {version('openfisca-core')}, {platform.machine()}, {os.cpu_count()} CPUs"
    )
    print(
        f"SYNTHETIC caseloads over {args.jurisdictions:,} jurisdictions, every month of {args.year}, seed {args.seed}"
    )
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    results = []
    started = time.perf_counter()
    for n in sizes:
        print(f"  {n:,} households …", end="", flush=True)
        result = spawn(args, ["--worker", "--size", str(n)])
        result["memory"] = {mode: spawn(args, ["--memory-worker", "--size", str(n), "--mode", mode]) for mode in MODES}
        results.append(result)
        print(
            f" done ({time.perf_counter() - started:.0f} s); {result['jurisdictions_used']:,} jurisdictions used; "
            f"model and kernel {result['check']}",
            flush=True,
        )
    table(results, args.repeats)
    verdict(results)

    n_check = int(float(args.jurisdiction_check))
    if n_check:
        check_result = spawn(args, ["--check-worker", "--jurisdiction-check", str(n_check)])
        runs = {int(k): median(v) for k, v in check_result["runs"].items()}
        small, large = args.small_registry, args.jurisdictions
        used = check_result["used"]
        print(
            f"\nJurisdictions: {n_check:,} households, every output, 12 months, build + compute: "
            f"{runs[small]:.3f} s over {small:,} ({used[str(small)]} used), {runs[large]:.3f} s over {large:,} "
            f"({used[str(large)]:,} used): ratio {runs[large] / runs[small]:.2f}"
        )
    print(
        "\nSanity (per household per year, 元, 10⁶-row run if any; not a check): "
        + ", ".join(f"{k} {v:,.0f}" for k, v in max(results, key=lambda r: r["households"])["sanity"].items())
    )
    print(f"Total wall time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

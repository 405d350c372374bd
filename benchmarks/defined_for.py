"""Micro-benchmark: a formula evaluated on its needed rows only, or on every row with a mask.

A variable that declares ``defined_for`` (openfisca_cn_assist/engine/variable.py) has its formula run on
a rows view (the needed rows gathered, the result scattered back) when the rows are at most
``SPARSE_SHARE`` of the population, else on every row with a mask. This script times both paths, and the
formula as it was written before with hand-gathered rows (``at_rows``), for 特困's basic and care
allowances at several shares of 特困 persons, on a SYNTHETIC caseload:

    python benchmarks/defined_for.py [--households N] [--repeats R]

It first times every monthly person variable that declares ``defined_for`` at the rows the caseload gives
it (both paths), then 特困's two allowances at forced shares. It prints figures and asserts nothing about
timings (benchmarks/run.py measures whole runs). The dependencies (eligibility, 低保 standard, inputs) are
computed before timing; each timing is the median of R calls of the one variable's formula alone, as
OpenFisca calls it (without its bookkeeping, the same for all three).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from openfisca_core.periods import period as as_period

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing

from openfisca_cn_assist import CountryTaxBenefitSystem  # noqa: E402
from openfisca_cn_assist.caseload.simulation import caseload_simulation  # noqa: E402
from openfisca_cn_assist.caseload.synthetic import (  # noqa: E402
    add_synthetic_parameters,
    draw_dibao_classes,
    draw_jurisdictions,
    synthetic_caseload,
    synthetic_households,
    synthetic_indices,
    synthetic_registry,
)
from openfisca_cn_assist.engine import variable as declared_need  # noqa: E402
from openfisca_cn_assist.engine.enums import Area, SelfCareLevel  # noqa: E402
from openfisca_cn_assist.engine.lookup import at_rows, require_any  # noqa: E402

MONTH = "2025-03"
SHARES = [0.01, 0.04, 0.10, 0.25, 0.50, 1.00]
VARIABLES = ["tekun_basic_allowance", "tekun_care_allowance"]


def old_basic(person, period):
    """tekun_basic_allowance as written before the accessor (rows gathered by hand)."""
    eligible = person("tekun_eligible", period)
    households = person.simulation.populations["household"]
    rows = np.flatnonzero(eligible)
    household = households.members_entity_id[rows]
    urban = households("area", period)[household] == Area.urban.index
    own_urban = at_rows(person, period, "tekun.basic_standard_urban", rows, required=False)
    own_rural = at_rows(person, period, "tekun.basic_standard_rural", rows, required=False)
    ratio = at_rows(person, period, "tekun.basic_ratio_to_dibao", rows, required=False)
    basic = np.zeros(person.count)
    basic[rows] = np.fmax(
        np.where(urban, own_urban, own_rural), ratio * households("dibao_standard", period)[household]
    )
    paths = ["tekun.basic_standard_urban", "tekun.basic_standard_rural", "tekun.basic_ratio_to_dibao"]
    require_any(person, period, basic, eligible, paths)
    return basic


def old_care(person, period):
    """tekun_care_allowance as written before the accessor."""
    rows = np.flatnonzero(person("tekun_eligible", period))
    level = np.asarray(person("self_care_level", period))[rows]
    rate = np.zeros(len(rows))
    for name in ("self_care", "partial_care", "full_care"):
        at_level = level == SelfCareLevel[name].index
        rate[at_level] = at_rows(person, period, f"tekun.care_rate_{name}", rows[at_level])
    allowance = np.zeros(person.count)
    allowance[rows] = rate * at_rows(person, period, "wages.minimum_wage", rows)
    return allowance


OLD = {"tekun_basic_allowance": old_basic, "tekun_care_allowance": old_care}


def median_seconds(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def declared_at_own_rows(system, simulation, period, repeats: int) -> None:
    """Every monthly person variable that declares ``defined_for``, at the rows the caseload itself gives it: the
    share of persons concerned, and its formula on the rows view and on the mask (the path the share chooses
    is marked). A rows view pays one pass over every row to number the needed ones (about 1 ns a row on a
    random mask): a formula cheaper than that over every row gains nothing from it."""
    person = simulation.populations["person"]
    names = sorted(
        name
        for name, variable in system.variables.items()
        if getattr(type(variable), "__defined_for__", None) is not None
        and variable.entity.key == "person"
        and variable.definition_period == "month"
    )
    print(f"{'declared variable':32} {'share':>6} {'rows view':>10} {'mask':>10}  (ms, the path taken *)")
    original = declared_need.SPARSE_SHARE
    for name in names:
        simulation.calculate(name, period)  # its inputs, computed once before timing
        share = np.count_nonzero(
            declared_need.needed_rows(person, period, type(system.variables[name]).__defined_for__)
        )
        share /= person.count
        formula = system.variables[name].get_formula(period)
        timings = []
        for forced in (1.0, -1.0):
            declared_need.SPARSE_SHARE = forced
            timings.append(median_seconds(lambda f=formula: f(person, period, None), repeats) * 1e3)
        declared_need.SPARSE_SHARE = original
        marks = ("*", " ") if share <= original else (" ", "*")
        print(f"{name:32} {share:6.1%} {timings[0]:9.2f}{marks[0]} {timings[1]:9.2f}{marks[1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=float, default=3e5)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    system = CountryTaxBenefitSystem(registry=synthetic_registry(3_000))
    add_synthetic_parameters(system, seed=1)
    arrays = synthetic_households(int(args.households), seed=1)
    jurisdiction = draw_jurisdictions(arrays.n_households, synthetic_indices(system.registry), seed=1)
    caseload = synthetic_caseload(system, arrays, jurisdiction, draw_dibao_classes(system, arrays, jurisdiction, MONTH))
    simulation = caseload_simulation(system, caseload, MONTH[:4])
    person, period = simulation.populations["person"], as_period(MONTH)
    for name in ("dibao_standard", "area", "self_care_level"):
        simulation.calculate(name, MONTH)
    print(
        f"{person.count:,} persons, {simulation.populations['household'].count:,} households; seconds, median of {args.repeats}"
    )
    declared_at_own_rows(system, simulation, period, args.repeats)
    print(f"\n{'variable':24} {'share':>6} {'rows view':>10} {'mask':>10} {'old':>10}  rows view ÷ mask")
    rng = np.random.default_rng(1)
    original = declared_need.SPARSE_SHARE
    for share in SHARES:
        simulation.get_holder("tekun_eligible").delete_arrays()
        simulation.set_input("tekun_eligible", MONTH, rng.random(person.count) < share)
        for name in VARIABLES:
            formula = system.variables[name].get_formula(period)  # the wrapped formula, called as OpenFisca does
            timings = {}
            for path, forced in (("rows view", 1.0), ("mask", -1.0)):
                declared_need.SPARSE_SHARE = forced
                timings[path] = median_seconds(lambda f=formula: f(person, period, None), args.repeats)
            declared_need.SPARSE_SHARE = original
            timings["old"] = median_seconds(lambda old=OLD[name]: old(person, period), args.repeats)
            ratio = timings["rows view"] / timings["mask"]
            print(
                f"{name:24} {share:6.0%} {timings['rows view']:10.4f} {timings['mask']:10.4f} "
                f"{timings['old']:10.4f}  {ratio:5.2f}"
            )


if __name__ == "__main__":
    main()

"""The fast paths of bulk simulations give the same numbers as the plain ones, bit for bit.

Lookups broadcast a value shared by every jurisdiction present, look up only the rows that need a
value when they are few, and fill or flag on the jurisdiction table; member sums skip zeros; a bulk
simulation stores an input given for several months once and does not keep some intermediates
(benchmarks/run.py; docs/performance.md). Each is compared here with its plain equivalent, on a
SYNTHETIC caseload where every output computes.
"""

import sys
from pathlib import Path

import numpy as np
import pytest
from openfisca_core.periods import period as as_period

from openfisca_cn_assist import CountryTaxBenefitSystem, lookup, sums
from openfisca_cn_assist.analysis.outputs import builtin_outputs
from openfisca_cn_assist.caseload.bulk import NOT_KEPT, build_simulation
from openfisca_cn_assist.caseload.simulation import caseload_simulation
from openfisca_cn_assist.caseload.synthetic import (
    SYNTHETIC_NOTE,
    add_synthetic_parameters,
    draw_dibao_classes,
    draw_jurisdictions,
    is_synthetic,
    synthetic_caseload,
    synthetic_households,
    synthetic_indices,
    synthetic_registry,
)
from openfisca_cn_assist.engine.cache import cache_on
from openfisca_cn_assist.engine.errors import InputError
from openfisca_cn_assist.engine.resolver import MissingParameterValueError, resolver_for

YEAR = "2025"
MONTHS = [f"{YEAR}-{m:02d}" for m in range(1, 13)]
OUTPUTS = [name for name in builtin_outputs().order if name not in builtin_outputs().yearly]  # monthly ones
INTERMEDIATES = sorted(NOT_KEPT) + [
    "countable_income_net",
    "own_countable_income",
    "dibao_standard",
    "dibao_unit_size",
    "dibao_eligible",
    "dibao_countable_income",
]


@pytest.fixture(scope="module")
def synthetic():
    system = CountryTaxBenefitSystem(registry=synthetic_registry(400))
    add_synthetic_parameters(system, seed=3)
    arrays = synthetic_households(3_000, seed=3)
    jurisdiction = draw_jurisdictions(arrays.n_households, synthetic_indices(system.registry), seed=3)
    dibao_class = draw_dibao_classes(system, arrays, jurisdiction, YEAR + "-01", seed=3)
    return system, synthetic_caseload(system, arrays, jurisdiction, dibao_class)


def everything(system, caseload):
    simulation = caseload_simulation(system, caseload, YEAR)
    return {
        (name, month): np.asarray(simulation.calculate(name, month)).copy()
        for name in OUTPUTS + INTERMEDIATES
        for month in MONTHS
    }


def assert_identical(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for key in a:
        x, y = a[key], b[key]
        assert x.dtype == y.dtype, key
        assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), key
        if x.dtype.kind == "f":
            assert np.array_equal(np.signbit(x), np.signbit(y)), key  # not even a −0.0 for a 0.0


@pytest.fixture(scope="module")
def fast(synthetic):
    return everything(*synthetic)


def test_every_output_computes_for_every_month_of_the_synthetic_year(fast):
    for name in OUTPUTS:
        assert all(np.isfinite(fast[(name, m)].astype(float)).all() for m in MONTHS), name
    for name in (
        "dibao_regular_benefit",
        "dibao_gradual_exit_benefit",
        "tekun_care_allowance",
        "orphan_allowance",
        "disability_living_subsidy",
        "disability_care_subsidy",
        "price_subsidy",
        "dibao_single_person_benefit",
    ):
        assert sum(fast[(name, m)].sum() for m in MONTHS) > 0, (
            f"{name} is never paid: the benchmark would not exercise it"
        )


def test_synthetic_values_are_labelled_assumed_and_synthetic(synthetic):
    system, _ = synthetic
    resolver = resolver_for(system)
    for path in ("disability.living_subsidy_amount", "orphan.standard_scattered", "price_linkage.cpi_yoy"):
        synthetic_files = [p for key, p in resolver[path].own.items() if is_synthetic(key)]
        assert synthetic_files, path
        for parameter in synthetic_files:
            assert parameter.metadata["confidence"] == "assumed" and parameter.metadata["note"] == SYNTHETIC_NOTE


def test_plain_paths_give_the_same_numbers(synthetic, fast, monkeypatch):
    """No broadcast of shared values, no row-by-row lookups or sums, every intermediate kept."""
    system, caseload = synthetic
    monkeypatch.setattr(lookup, "_constant", lambda population, period, table: None)
    monkeypatch.setattr(lookup, "SPARSE_SHARE", -1.0)
    monkeypatch.setattr(sums, "SPARSE_SHARE", -1.0)
    monkeypatch.setattr("openfisca_cn_assist.caseload.bulk.NOT_KEPT", frozenset())
    assert_identical(fast, everything(system, caseload))


def test_row_by_row_paths_give_the_same_numbers(synthetic, fast, monkeypatch):
    """Every lookup with a `where` and every member sum taken row by row, however many rows need it."""
    system, caseload = synthetic
    monkeypatch.setattr(lookup, "SPARSE_SHARE", 2.0)
    monkeypatch.setattr(sums, "SPARSE_SHARE", 2.0)
    assert_identical(fast, everything(system, caseload))


def test_intermediates_are_computed_again_when_asked_and_not_kept(synthetic, fast):
    system, caseload = synthetic
    simulation = caseload_simulation(system, caseload, YEAR)
    simulation.calculate("dibao_regular_benefit", "2025-03")
    for name in NOT_KEPT:
        assert simulation.get_holder(name).get_array(as_period("2025-03")) is None, name
        assert np.array_equal(simulation.calculate(name, "2025-03"), fast[(name, "2025-03")]), name
    assert simulation.get_holder("countable_income_net").get_array(as_period("2025-03")) is not None


def test_an_input_given_once_for_a_year_is_stored_once(synthetic):
    system, caseload = synthetic
    simulation = caseload_simulation(system, caseload, YEAR)
    holder = simulation.get_holder("wage_income")
    arrays = [holder.get_array(as_period(m)) for m in MONTHS]
    assert all(a is arrays[0] for a in arrays) and arrays[0].dtype == np.float32
    assert np.array_equal(arrays[0], caseload.persons["wage_income"].to_numpy(dtype=np.float32))


def test_inputs_are_checked_once_per_array_and_every_array_is_checked(system):
    """An input array read by several formulas and months is checked once; another month's own array is checked too."""
    good, bad = np.array([40, 12, 80]), np.array([40, -1, 80])
    simulation = build_simulation(
        system,
        np.array([0, 0, 1]),
        {
            "age": {"2022-07": good, "2022-08": good, "2022-09": bad},
            "has_able_supporter": {"2022-07": np.ones(3, bool)},
        },
        {"jurisdiction": np.array(["jinghong", "mengla"]), "area": {"2022-07": np.array(["urban", "rural"])}},
    )
    simulation.calculate("tekun_no_work_capacity", "2022-07")
    simulation.calculate("tekun_no_work_capacity", "2022-08")
    assert len([key for key in cache_on(simulation, "checked_inputs") if key[0] == "age"]) == 1
    with pytest.raises(InputError, match="age: person rows 1 have"):
        simulation.calculate("tekun_no_work_capacity", "2022-09")


# --- Lookups against table[index] ------------------------------------------------------------------


@pytest.fixture(scope="module")
def lookups(synthetic):
    system, caseload = synthetic
    simulation = caseload_simulation(system, caseload, YEAR)
    person = simulation.populations["person"]
    return system, person, as_period("2025-03")


def plain(system, person, period, path):
    table = resolver_for(system)[path].table(str(period.start))
    return table[np.asarray(person.household("jurisdiction", period))]


@pytest.mark.parametrize(
    "path", ["tekun.age_threshold", "dibao.standard_rural", "tekun.basic_ratio_to_dibao", "income.employment_cost_rate"]
)
def test_lookups_equal_a_plain_take(lookups, path):
    system, person, period = lookups
    expected = plain(system, person, period, path)
    got = lookup.by_jurisdiction(person, period, path, required=False)
    assert np.array_equal(got, expected, equal_nan=True)
    assert np.array_equal(
        lookup.by_jurisdiction_or(person, period, path, 0.5, where=np.zeros(person.count, bool)),
        np.nan_to_num(expected, nan=0.5),
    )
    flags = lookup.flag_by_jurisdiction(person, period, path, required=False)
    assert np.array_equal(flags, np.nan_to_num(expected, nan=0.0) > 0)
    rng = np.random.default_rng(0)
    for share in (0.02, 0.6):
        where = rng.random(person.count) < share
        if np.isnan(expected[where]).any():
            with pytest.raises(MissingParameterValueError):
                lookup.where_by_jurisdiction(person, period, path, where)
        else:
            got = lookup.where_by_jurisdiction(person, period, path, where, otherwise=-1.0)
            assert np.array_equal(got, np.where(where, expected, -1.0))


def test_a_shared_value_is_read_only(lookups):
    system, person, period = lookups
    values = lookup.by_jurisdiction(person, period, "tekun.age_threshold")
    assert (values == 60).all()
    with pytest.raises(ValueError):
        values[0] = 1


def test_row_lookups_raise_as_the_full_lookup_does(lookups):
    system, person, period = lookups
    path = "tekun.basic_standard_urban"  # synthetic provinces do not all have one
    expected = plain(system, person, period, path)
    missing = np.flatnonzero(np.isnan(expected))
    assert len(missing)
    where = np.zeros(person.count, bool)
    where[missing[:3]] = True
    with pytest.raises(MissingParameterValueError) as full:
        lookup.by_jurisdiction(person, period, path, where=where)
    with pytest.raises(MissingParameterValueError) as rows:
        lookup.at_rows(person, period, path, missing[:3])
    assert str(full.value) == str(rows.value)
    assert list(rows.value.rows) == list(missing[:3])


def test_member_sums_equal_the_plain_sum(lookups):
    _, person, _ = lookups
    households = person.simulation.populations["household"]
    rng = np.random.default_rng(1)
    for values in (
        np.where(rng.random(person.count) < 0.03, rng.random(person.count) * 1000, 0).astype(np.float32),
        np.where(rng.random(person.count) < 0.6, rng.random(person.count) * 1000, 0).astype(np.float32),
        np.where(rng.random(person.count) < 0.01, np.nan, 0.0),
        rng.random(person.count) < 0.05,
    ):
        assert np.array_equal(sums.members_sum(households, values), households.sum(values), equal_nan=True)


# --- The benchmark's yardstick ---------------------------------------------------------------------------


def test_the_benchmark_kernel_computes_the_same_numbers(synthetic, fast):
    """benchmarks/kernel.py, hand-written numpy of the core rules, agrees with the model (as run.py checks)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    try:
        import kernel
    finally:
        sys.path.pop(0)
    system, caseload = synthetic
    results = kernel.compute(system, kernel.prepare(system, caseload), MONTHS)
    for month in MONTHS:
        for name, values in results[month].items():
            assert np.array_equal(fast[(name, month)], values), (name, month)

"""Declared need (engine/variable.py): a variable's formula concerns the rows of its ``defined_for``.

The formula runs on those rows only when they are few (rows view) and on every row with a mask when they are
many; both give the same numbers, bit for bit, as the formulas written with the old row-gathering lookups
(kept below as the reference), and only the needed rows raise a missing value, named in the simulation's rows.
"""

import inspect

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openfisca_core.periods import period as as_period
from openfisca_core.simulations import SimulationBuilder

from openfisca_cn_assist import CountryTaxBenefitSystem
from openfisca_cn_assist.caseload.simulation import caseload_simulation
from openfisca_cn_assist.caseload.synthetic import (
    add_synthetic_parameters,
    draw_dibao_classes,
    draw_jurisdictions,
    synthetic_caseload,
    synthetic_households,
    synthetic_indices,
    synthetic_registry,
)
from openfisca_cn_assist.engine import variable as declared_need
from openfisca_cn_assist.engine.enums import Area, DibaoClass, SelfCareLevel
from openfisca_cn_assist.engine.errors import InputError
from openfisca_cn_assist.engine.inputs import checked
from openfisca_cn_assist.engine.lookup import at_rows, breakdown_at_rows, by_jurisdiction, require_any
from openfisca_cn_assist.engine.reform_tools import load_reform
from openfisca_cn_assist.engine.resolver import MissingParameterValueError

YEAR = "2025"
CONVERTED = [
    "tekun_basic_allowance",
    "tekun_care_allowance",
    "dibao_class_amount",
    "disability_living_subsidy",
    "disability_care_subsidy",
]
SPARSE, DENSE = 1.0, -1.0  # SPARSE_SHARE values that force the rows view, or the mask


# --- the formulas as they were written with the row-gathering lookups: the reference ------------------


def old_tekun_basic_allowance(person, period):
    eligible = person("tekun_eligible", period)
    households = person.simulation.populations["household"]
    rows = np.flatnonzero(eligible)
    household = households.members_entity_id[rows]
    urban = households("area", period)[household] == Area.urban.index
    own_urban = at_rows(person, period, "tekun.basic_standard_urban", rows, required=False)
    own_rural = at_rows(person, period, "tekun.basic_standard_rural", rows, required=False)
    ratio = at_rows(person, period, "tekun.basic_ratio_to_dibao", rows, required=False)
    from_ratio = ratio * households("dibao_standard", period)[household]
    basic = np.zeros(person.count)
    basic[rows] = np.fmax(np.where(urban, own_urban, own_rural), from_ratio)
    paths = ["tekun.basic_standard_urban", "tekun.basic_standard_rural", "tekun.basic_ratio_to_dibao"]
    require_any(person, period, basic, eligible, paths)
    return basic


def old_tekun_care_allowance(person, period):
    rows = np.flatnonzero(person("tekun_eligible", period))
    level = np.asarray(person("self_care_level", period))[rows]
    rate = np.zeros(len(rows))
    for name in ("self_care", "partial_care", "full_care"):
        at_level = level == SelfCareLevel[name].index
        rate[at_level] = at_rows(person, period, f"tekun.care_rate_{name}", rows[at_level])
    allowance = np.zeros(person.count)
    allowance[rows] = rate * at_rows(person, period, "wages.minimum_wage", rows)
    return allowance


def old_dibao_class_amount(person, period):
    households = person.simulation.populations["household"]
    paid_by_class = households("dibao_pays_by_class", period) & households("dibao_eligible", period)
    rows = np.flatnonzero(households.project(paid_by_class) & ~person("tekun_eligible", period))
    classes = np.asarray(person("dibao_class", period))[rows]
    assert not (classes == DibaoClass.unclassified.index).any()
    amount = np.zeros(person.count)
    for name in ("a", "b", "c"):
        in_class = rows[classes == DibaoClass[name].index]
        amount[in_class] = at_rows(person, period, f"dibao.class_amount_{name}", in_class)
    return amount


def old_disability_living_subsidy(person, period):
    grade = checked(person, "disability_grade", period)
    in_dibao = person.household("dibao_recipient", period) | person("dibao_covered_person", period)
    rows = np.flatnonzero((grade >= 1) & (grade <= 4) & in_dibao)
    amount = np.full(len(rows), np.nan)
    age_limit = breakdown_at_rows(person, period, "disability.living_subsidy_minor_age_limit", rows)
    with np.errstate(invalid="ignore"):
        minor = person("age", period)[rows] < age_limit
    amount[minor] = breakdown_at_rows(person, period, "disability.living_subsidy_amount_minor", rows[minor])
    band = ~minor & (grade[rows] >= 3)
    amount[band] = breakdown_at_rows(person, period, "disability.living_subsidy_amount_grades_3_4", rows[band])
    general = np.isnan(amount)
    amount[general] = at_rows(person, period, "disability.living_subsidy_amount", rows[general])
    subsidy = np.zeros(person.count)
    subsidy[rows] = amount
    return subsidy


def old_disability_care_subsidy(person, period):
    grade = checked(person, "disability_grade", period)
    care_level = person("self_care_level", period)
    long_term_care = (care_level == SelfCareLevel.partial_care) | (care_level == SelfCareLevel.full_care)
    candidate = (grade >= 1) & long_term_care
    max_grade = by_jurisdiction(person, period, "disability.care_subsidy_max_grade", where=candidate)
    with np.errstate(invalid="ignore"):
        rows = np.flatnonzero(candidate & (grade <= max_grade))
    amount = np.full(len(rows), np.nan)
    grade_2 = grade[rows] == 2
    amount[grade_2] = breakdown_at_rows(person, period, "disability.care_subsidy_amount_grade_2", rows[grade_2])
    general = np.isnan(amount)
    amount[general] = at_rows(person, period, "disability.care_subsidy_amount", rows[general])
    subsidy = np.zeros(person.count)
    subsidy[rows] = amount
    return subsidy


OLD = {name: globals()[f"old_{name}"] for name in CONVERTED}


@pytest.fixture(scope="module")
def synthetic():
    """A SYNTHETIC caseload where every output computes (tests/python/test_fast_paths.py)."""
    system = CountryTaxBenefitSystem(registry=synthetic_registry(60))
    add_synthetic_parameters(system, seed=5)
    arrays = synthetic_households(1_500, seed=5)
    jurisdiction = draw_jurisdictions(arrays.n_households, synthetic_indices(system.registry), seed=5)
    dibao_class = draw_dibao_classes(system, arrays, jurisdiction, YEAR + "-01", seed=5)
    return system, synthetic_caseload(system, arrays, jurisdiction, dibao_class)


def outputs(synthetic, share, month, eligible=None):
    """The converted outputs for ``month`` with rows views (share 1) or masks (share −1); ``eligible`` sets
    who is 特困, and the reference formulas' results on the same simulation."""
    system, caseload = synthetic
    simulation = caseload_simulation(system, caseload, YEAR)
    if eligible is not None:
        simulation.set_input("tekun_eligible", month, eligible)
    original = declared_need.SPARSE_SHARE
    declared_need.SPARSE_SHARE = share
    try:
        new = {name: np.asarray(simulation.calculate(name, month), dtype=np.float64) for name in CONVERTED}
    finally:
        declared_need.SPARSE_SHARE = original
    person = simulation.populations["person"]
    period = as_period(month)
    old = {name: np.asarray(OLD[name](person, period), dtype=np.float32).astype(np.float64) for name in CONVERTED}
    return new, old


def assert_same(a: dict, b: dict) -> None:
    for name in CONVERTED:
        assert np.array_equal(a[name], b[name]), name
        assert np.array_equal(np.signbit(a[name]), np.signbit(b[name])), name


@pytest.mark.parametrize("month", [f"{YEAR}-01", f"{YEAR}-07", f"{YEAR}-12"])
def test_sparse_and_dense_give_the_old_formulas_numbers(synthetic, month):
    sparse, old = outputs(synthetic, SPARSE, month)
    dense, _ = outputs(synthetic, DENSE, month)
    assert_same(sparse, old)
    assert_same(dense, old)
    assert all(sparse[name].any() for name in CONVERTED)  # every output pays someone: the test compares amounts


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**16), share=st.sampled_from([0.0, 0.01, 0.2, 0.5, 1.0]))
def test_sparse_and_dense_agree_over_random_masks(synthetic, seed, share):
    count = caseload_simulation(*synthetic, YEAR).persons.count
    eligible = np.random.default_rng(seed).random(count) < share
    sparse, old = outputs(synthetic, SPARSE, f"{YEAR}-03", eligible)
    dense, _ = outputs(synthetic, DENSE, f"{YEAR}-03", eligible)
    assert_same(sparse, dense)
    assert_same(sparse, old)


def test_every_declared_variable_gives_the_same_results_on_its_rows_and_with_the_mask(synthetic, monkeypatch):
    """Each monthly variable that declares ``defined_for`` (the enum disability rates included, whose default is a
    member: the rows outside take its index), computed on its rows and with the mask, in a month where it concerns
    some persons and not others."""
    system, caseload = synthetic
    declared = [
        name
        for name, variable in system.variables.items()
        if getattr(type(variable), "__defined_for__", None) is not None and variable.definition_period == "month"
    ]
    assert {"disability_living_subsidy_rate", "disability_care_subsidy_rate", "tekun_in_hardship_area"} <= set(declared)
    results = {}
    for share in (SPARSE, DENSE):
        monkeypatch.setattr(declared_need, "SPARSE_SHARE", share)
        simulation = caseload_simulation(system, caseload, YEAR)
        results[share] = {name: np.asarray(simulation.calculate(name, f"{YEAR}-05")) for name in declared}
    for name in declared:
        assert np.array_equal(results[SPARSE][name], results[DENSE][name]), name
    rates = results[SPARSE]["disability_care_subsidy_rate"]
    assert len(np.unique(rates)) > 1  # some persons get a rate, the others the default


# --- the missing-value error and input errors name the needed rows only, in the simulation's rows -----


@pytest.fixture(scope="module")
def hezhou_with_minimum_wage(system, tmp_path_factory):
    path = tmp_path_factory.mktemp("reform") / "hezhou_minimum_wage.yaml"
    path.write_text(
        "name: hezhou_minimum_wage_for_tests\nlabel: 贺州 hypothetical minimum wage (tests only)\n"
        "description: not a source value\nchanges:\n  - parameter: wages.minimum_wage\n"
        "    jurisdictions: [hezhou]\n    from: 2016-01-01\n    value: 1000\n",
        encoding="utf-8",
    )
    return load_reform(path)(system)


def hezhou(system, levels, eligible, month="2020-08"):
    persons = {
        f"p{i}": {"self_care_level": {month: level}, "tekun_eligible": {month: flag}}
        for i, (level, flag) in enumerate(zip(levels, eligible, strict=True))
    }
    situation = {
        "persons": persons,
        "households": {
            "h": {"members": list(persons), "jurisdiction": {"ETERNITY": "hezhou"}, "area": {month: "rural"}}
        },
    }
    return SimulationBuilder().build_from_entities(system, situation)


@pytest.mark.parametrize("share", [SPARSE, DENSE])
def test_the_missing_value_error_names_the_needed_rows_only(hezhou_with_minimum_wage, monkeypatch, share):
    # 贺州 has no 半护理 rate: rows 1 and 4 need it; row 0 is 半护理 too but not 特困, so it needs nothing.
    monkeypatch.setattr(declared_need, "SPARSE_SHARE", share)
    levels = ["partial_care", "partial_care", "self_care", "full_care", "partial_care"]
    simulation = hezhou(hezhou_with_minimum_wage, levels, [False, True, True, False, True])
    with pytest.raises(MissingParameterValueError, match="tekun.care_rate_partial_care") as caught:
        simulation.calculate("tekun_care_allowance", "2020-08")
    assert caught.value.rows.tolist() == [1, 4]
    assert "贺州" in str(caught.value) and "hezhou → guangxi → china" in str(caught.value)
    fine = hezhou(hezhou_with_minimum_wage, levels, [False, False, True, True, False])
    # 全自理 0.30 × 1000, 全护理 0.60 × 1000; the others are not 特困
    assert fine.calculate("tekun_care_allowance", "2020-08").tolist() == [0, 0, 300, 600, 0]


@pytest.mark.parametrize("share", [SPARSE, DENSE])
def test_an_input_error_names_the_needed_rows_in_the_simulation(system, monkeypatch, share):
    monkeypatch.setattr(declared_need, "SPARSE_SHARE", share)
    month = "2022-08"
    classes = ["unclassified", "a", "unclassified", "unclassified"]
    persons = {f"p{i}": {"dibao_class": {month: c}, "age": {month: 40}} for i, c in enumerate(classes)}
    paid = {"dibao_pays_by_class": {month: True}, "dibao_eligible": {month: True}}
    situation = {
        "persons": persons,
        "households": {
            "h0": {"members": ["p0"], "jurisdiction": {"ETERNITY": "xishuangbanna"}, "area": {month: "rural"}}
            | {k: {month: False} for k in paid},
            "h1": {
                "members": ["p1", "p2", "p3"],
                "jurisdiction": {"ETERNITY": "xishuangbanna"},
                "area": {month: "rural"},
            }
            | paid,
        },
    }
    simulation = SimulationBuilder().build_from_entities(system, situation)
    with pytest.raises(InputError, match=r"person rows 2, 3 are 'unclassified'"):
        simulation.calculate("dibao_class_amount", month)


# --- the declaration ------------------------------------------------------------------------------------


def test_the_declaration_is_on_the_variable_and_the_formula_source_is_the_rule(system):
    assert system.variables["tekun_basic_allowance"].defined_for == "tekun_eligible"
    assert callable(system.variables["dibao_class_amount"].defined_for)
    assert system.variables["dibao_standard"].__dict__.get("defined_for") is None
    formula = system.variables["tekun_basic_allowance"].formulas.peekitem(0)[1]
    assert "jurisdictional(person, period)" in inspect.getsource(formula)  # the Web API shows the rule, not the wrapper


def test_a_group_variable_runs_on_every_row_with_a_mask(system, monkeypatch):
    from openfisca_core.periods import MONTH

    from openfisca_cn_assist.engine.entities import Household
    from openfisca_cn_assist.engine.rows import Masked

    seen = []

    class needs_only_urban(declared_need.Variable):
        value_type = float
        entity = Household
        definition_period = MONTH
        label = "test only"

        def defined_for(household, period):
            return household("area", period) == Area.urban

        def formula(household, period, parameters):
            seen.append(type(household))
            return household("dibao_standard", period) + 1

    monkeypatch.setattr(declared_need, "SPARSE_SHARE", SPARSE)
    reformed = system.clone()
    reformed.add_variable(needs_only_urban)
    month = "2022-08"
    situation = {
        "persons": {"a": {}, "b": {}},
        "households": {
            "u": {"members": ["a"], "jurisdiction": {"ETERNITY": "xishuangbanna"}, "area": {month: "urban"}},
            "r": {"members": ["b"], "jurisdiction": {"ETERNITY": "xishuangbanna"}, "area": {month: "rural"}},
        },
    }
    simulation = SimulationBuilder().build_from_entities(reformed, situation)
    values = simulation.calculate("needs_only_urban", month)
    assert values[1] == 0 and values[0] == simulation.calculate("dibao_standard", month)[0] + 1
    assert seen == [Masked]


def test_a_group_variable_as_defined_for_concerns_its_members(system, monkeypatch):
    from openfisca_core.periods import MONTH

    from openfisca_cn_assist.engine.entities import Person

    class in_eligible_household(declared_need.Variable):
        value_type = float
        entity = Person
        definition_period = MONTH
        label = "test only"
        defined_for = "dibao_eligible"  # a household variable: its members are concerned

        def formula(person, period, parameters):
            with pytest.raises(AttributeError, match="not available in a formula evaluated for some rows"):
                _ = person.members_entity_id  # sized by every person: refused on a rows view
            return person("age", period) + person.household("dibao_standard", period)

    monkeypatch.setattr(declared_need, "SPARSE_SHARE", SPARSE)
    reformed = system.clone()
    reformed.add_variable(in_eligible_household)
    month = "2022-08"
    situation = {
        "persons": {name: {"age": {month: age}} for name, age in (("a", 30), ("b", 40), ("c", 50))},
        "households": {
            "yes": {
                "members": ["a", "c"],
                "jurisdiction": {"ETERNITY": "xishuangbanna"},
                "dibao_eligible": {month: True},
            }
            | {"dibao_standard": {month: 500}},
            "no": {"members": ["b"], "jurisdiction": {"ETERNITY": "xishuangbanna"}, "dibao_eligible": {month: False}},
        },
    }
    simulation = SimulationBuilder().build_from_entities(reformed, situation)
    assert simulation.calculate("in_eligible_household", month).tolist() == [530, 0, 550]

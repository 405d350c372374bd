"""The parameter accessor (engine/accessor.py): a view of the resolver's lookups shaped like the parameter tree."""

import numpy as np
import pytest
from openfisca_core.parameters import Parameter, ParameterNode
from openfisca_core.reforms import Reform
from openfisca_core.simulations import SimulationBuilder

from openfisca_cn_assist.engine import lookup
from openfisca_cn_assist.engine.accessor import MissingBreakdownEntryError, NotJurisdictionalError, jurisdictional
from openfisca_cn_assist.engine.horizons import carried_values, carrying_forward
from openfisca_cn_assist.engine.reform_tools import apply_reform
from openfisca_cn_assist.engine.resolver import MissingParameterValueError, ValuePastHorizonError

MONTH = "2024-11"
PLACES = [("hezhou", "rural"), ("qinghai", "urban"), ("hanzhong", "urban"), ("eshan", "rural"), ("hezhou", "urban")]


def simulation_of(system, places=PLACES, month=MONTH, households=None, **persons):
    """One person per household, in the jurisdictions and areas of ``places``; ``persons`` and ``households``
    give inputs by row."""
    situation = {"persons": {}, "households": {}}
    for i, (jurisdiction, area) in enumerate(places):
        situation["persons"][f"p{i}"] = {name: {month: values[i]} for name, values in persons.items()}
        situation["households"][f"h{i}"] = {
            "members": [f"p{i}"],
            "jurisdiction": {"ETERNITY": jurisdiction},
            "area": {month: area},
        } | {name: {month: values[i]} for name, values in (households or {}).items()}
    return SimulationBuilder().build_from_entities(system, situation)


def person_and_period(simulation, month=MONTH):
    from openfisca_core.periods import period

    return simulation.populations["person"], period(month)


def test_a_leaf_is_the_resolver_lookup(system):
    person, period = person_and_period(simulation_of(system))
    p = jurisdictional(person, period)
    assert np.array_equal(p.tekun.age_threshold, lookup.by_jurisdiction(person, period, "tekun.age_threshold"))
    assert np.array_equal(p.tekun.minor_age_limit, [18] * len(PLACES))
    optional = (
        p.tekun.optional.basic_ratio_to_dibao
    )  # in 2024 only 汉中's ratio is in force (贺州's is past its horizon)
    expected = lookup.by_jurisdiction(person, period, "tekun.basic_ratio_to_dibao", required=False)
    assert np.array_equal(optional, expected, equal_nan=True)
    assert np.isnan(optional[[0, 1, 3, 4]]).all() and optional[2] == pytest.approx(1.3)


def test_a_yes_no_parameter_reads_as_booleans(system):
    simulation = simulation_of(system, [("xishuangbanna", "rural"), ("hanzhong", "rural")], "2022-08")
    households, period = simulation.populations["household"], person_and_period(simulation, "2022-08")[1]
    flags = jurisdictional(households, period).dibao.pays_by_class_rural
    assert flags.dtype == bool
    assert np.array_equal(flags, lookup.flag_by_jurisdiction(households, period, "dibao.pays_by_class_rural"))


def test_a_breakdown_of_yes_no_parameters_reads_as_booleans(system):
    places = [("xishuangbanna", "rural"), ("xishuangbanna", "urban"), ("hanzhong", "rural")]
    simulation = simulation_of(system, places, "2022-08")
    households, period = simulation.populations["household"], person_and_period(simulation, "2022-08")[1]
    chosen = jurisdictional(households, period).dibao.pays_by_class[households("area", period)]
    assert chosen.dtype == bool
    assert chosen.tolist() == [True, False, False]  # 西双版纳 pays its rural households by class (分档)


def test_a_breakdown_reads_sibling_parameters_as_one_table(system):
    simulation = simulation_of(system)
    person, period = person_and_period(simulation)
    p = jurisdictional(person, period).tekun.optional
    urban = lookup.by_jurisdiction(person, period, "tekun.basic_standard_urban", required=False)
    rural = lookup.by_jurisdiction(person, period, "tekun.basic_standard_rural", required=False)
    assert np.array_equal(p.basic_standard.urban, urban, equal_nan=True)
    area = person.household("area", period)
    chosen = np.where(np.asarray(area) == 0, urban, rural)  # Area.urban is the first member
    assert np.array_equal(p.basic_standard[area], chosen, equal_nan=True)
    with pytest.raises(AttributeError, match="no entry 'suburban'.*entries: rural, urban|urban, rural"):
        _ = p.basic_standard.suburban


def test_a_breakdown_selection_needs_an_entry_for_each_needed_member(system):
    places = [("xishuangbanna", "rural")] * 3
    simulation = simulation_of(system, places, "2022-08", dibao_class=["a", "unclassified", "c"])
    person, period = person_and_period(simulation, "2022-08")
    classes = person("dibao_class", period)
    with pytest.raises(MissingBreakdownEntryError, match=r"no entry 'unclassified'.*rows 1 need one"):
        jurisdictional(person, period).dibao.class_amount[classes]
    needed = np.array([True, False, True])
    amounts = jurisdictional(person, period).dibao.only(needed).class_amount[classes]
    assert amounts[0] == pytest.approx(460 / 1) and np.isnan(amounts[1]) and amounts[2] > 0


def test_a_path_that_is_not_jurisdictional_says_so(system):
    class national(Reform):
        def apply(self):
            def add(parameters):
                data = {"values": {"2000-01-01": {"value": 1}}}
                parameters.tekun.add_child("national_value", Parameter("tekun.national_value", data))
                folder = ParameterNode("misc", data={})
                folder.add_child("x", Parameter("misc.x", data))
                parameters.add_child("misc", folder)
                return parameters

            self.modify_parameters(modifier_function=add)

    person, period = person_and_period(simulation_of(national(system)))
    p = jurisdictional(person, period)
    with pytest.raises(
        NotJurisdictionalError, match=r"'tekun.national_value'.*parameters\(period\).tekun.national_value"
    ):
        _ = p.tekun.national_value
    with pytest.raises(NotJurisdictionalError, match="'misc' is not a jurisdictional parameter"):
        _ = p.misc
    with pytest.raises(AttributeError, match="'tekun.no_such' is not in the parameter tree"):
        _ = p.tekun.no_such


def test_only_the_rows_that_need_a_value_raise_and_are_named(system):
    person, period = person_and_period(simulation_of(system))
    p = jurisdictional(person, period).tekun
    with pytest.raises(MissingParameterValueError) as caught:
        _ = p.basic_ratio_to_dibao  # only 汉中 (row 2) has one in force
    assert caught.value.rows.tolist() == [0, 1, 3, 4]
    with_ratio = np.array([False, False, True, False, False])
    values = p.only(with_ratio).basic_ratio_to_dibao
    assert not np.isnan(values[with_ratio]).any()
    with pytest.raises(MissingParameterValueError) as caught:
        _ = p.only(np.array([False, False, True, True, False])).basic_ratio_to_dibao
    assert caught.value.rows.tolist() == [3]


def test_otherwise_fills_the_rows_that_need_no_value(system):
    person, period = person_and_period(simulation_of(system))
    with_ratio = np.array([False, False, True, False, False])  # only 汉中 (row 2) has a ratio in force
    filled = jurisdictional(person, period).tekun.only(with_ratio).otherwise(0).basic_ratio_to_dibao
    expected = lookup.by_jurisdiction_or(person, period, "tekun.basic_ratio_to_dibao", 0.0, where=with_ratio)
    assert np.array_equal(filled, expected) and filled[2] == pytest.approx(1.3) and (filled[[0, 1, 3, 4]] == 0).all()
    with pytest.raises(MissingParameterValueError) as caught:
        _ = jurisdictional(person, period).tekun.only(~with_ratio).otherwise(0).basic_ratio_to_dibao
    assert caught.value.rows.tolist() == [0, 1, 3, 4]


def test_a_reform_is_seen_through_the_accessor(system):
    reformed = apply_reform(system, "raise_tekun_1050")
    person, period = person_and_period(simulation_of(reformed))
    assert np.array_equal(jurisdictional(person, period).tekun.basic_standard.urban, [1050] * len(PLACES))
    person, period = person_and_period(simulation_of(system))
    assert not np.array_equal(jurisdictional(person, period).tekun.optional.basic_standard.urban, [1050] * len(PLACES))
    # and the rule that reads it: 青海 sets no ratio, so the reformed standard is the allowance (低保 standard given)
    inputs = {"age": [70], "has_able_supporter": [False]}
    qinghai = simulation_of(reformed, [("qinghai", "urban")], households={"dibao_standard": [700]}, **inputs)
    assert qinghai.calculate("tekun_basic_allowance", MONTH).tolist() == [1050]


def test_a_value_past_its_horizon_raises_unless_carried(system):
    # 峨山 inherits Yunnan's 特困 standard 910, supported only until 2022-12-31.
    person, period = person_and_period(simulation_of(system, [("eshan", "urban")]))
    with pytest.raises(ValuePastHorizonError) as caught:
        _ = jurisdictional(person, period).tekun.basic_standard_urban
    assert (caught.value.horizon, caught.value.value) == ("2022-12-31", 910)
    assert np.isnan(jurisdictional(person, period).tekun.optional.basic_standard_urban[0])
    with pytest.raises(ValuePastHorizonError):  # a breakdown that is set, but stale, does not read as "not set"
        _ = jurisdictional(person, period).tekun.if_set.basic_standard_urban
    person, period = person_and_period(simulation_of(carrying_forward(system), [("eshan", "urban")]))
    assert jurisdictional(person, period).tekun.basic_standard_urban[0] == 910


def test_carried_values_are_recorded_for_the_needed_rows_only(system):
    # Row 0 (峨山, 特困 eligible) uses the carried 910; row 1 (贺州, whose 975 is past its horizon too) is not
    # eligible: no 特困 value of 贺州 is listed. (The 低保 standard of 贺州 is: every household's standard is
    # computed, and the allowance reads it.)
    places = [("eshan", "urban"), ("hezhou", "urban")]
    inputs = {"age": [70, 30], "has_able_supporter": [False, True]}
    simulation = simulation_of(carrying_forward(system), places, **inputs)
    assert simulation.calculate("tekun_basic_allowance", MONTH).tolist() == [910, 0]
    carried = carried_values(simulation, "tekun_basic_allowance", MONTH)
    tekun = {(c.parameter, c.jurisdiction) for c in carried if c.parameter.startswith("tekun.")}
    assert tekun == {("tekun.basic_standard_urban", "eshan")}


def test_rows_that_need_no_value_do_not_stop_the_others(system):
    # 峨山's stale 特困 standard would stop an eligible person there; only 汉中's person is eligible (1.3 × 低保;
    # the 低保 standards are given, as 汉中 has none in force in 2024).
    places = [("eshan", "urban"), ("hanzhong", "urban")]
    inputs = {"age": [30, 70], "has_able_supporter": [True, False]}
    simulation = simulation_of(system, places, households={"dibao_standard": [800, 900]}, **inputs)
    assert simulation.calculate("tekun_basic_allowance", MONTH).tolist() == [0, pytest.approx(1.3 * 900)]
    everyone = simulation_of(system, places, households={"dibao_standard": [800, 900]}, age=[70, 70])
    with pytest.raises(ValuePastHorizonError) as caught:
        everyone.calculate("tekun_basic_allowance", MONTH)
    assert caught.value.rows.tolist() == [0]

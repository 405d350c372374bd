"""贺州's 特困 care rates (S3: 照料护理标准按最低工资标准的30%、和60%发放), read in the order the damaged list gives them: 全自理 30 %, 全护理 60 %, 半护理 lost
(parameters/tekun/care_rate_*/hezhou.yaml, L). No minimum wage is in the sources, so these tests supply a
hypothetical one through a reform; the rates are what is tested."""

import pytest
from openfisca_core.simulations import SimulationBuilder

from openfisca_cn_assist.engine.reform_tools import load_reform
from openfisca_cn_assist.engine.resolver import MissingParameterValueError

HYPOTHETICAL_MINIMUM_WAGE = 1000  # not a source value: a round number to show the rates


def simulate(system, level, month="2020-08"):
    situation = {
        "persons": {"p": {"age": {month: 70}, "self_care_level": {month: level}}},
        "households": {"h": {"members": ["p"], "jurisdiction": {"ETERNITY": "hezhou"}, "area": {month: "rural"}}},
    }
    return SimulationBuilder().build_from_entities(system, situation)


@pytest.fixture(scope="module")
def with_minimum_wage(system, tmp_path_factory):
    path = tmp_path_factory.mktemp("reform") / "hezhou_minimum_wage.yaml"
    path.write_text(
        "name: hezhou_minimum_wage_for_tests\n"
        "label: 贺州 hypothetical minimum wage (tests only)\n"
        "description: A round minimum wage for 贺州, to test the care rates; not a source value.\n"
        "changes:\n"
        "  - parameter: wages.minimum_wage\n"
        "    jurisdictions: [hezhou]\n"
        "    from: 2016-01-01\n"
        f"    value: {HYPOTHETICAL_MINIMUM_WAGE}\n",
        encoding="utf-8",
    )
    return load_reform(path)(system)


@pytest.mark.parametrize(("level", "expected"), [("self_care", 300), ("full_care", 600)])
def test_hezhou_care_allowance_is_the_rate_times_the_minimum_wage(with_minimum_wage, level, expected):
    simulation = simulate(with_minimum_wage, level)
    assert simulation.calculate("tekun_eligible", "2020-08")[0]
    # 全自理 0.30 × 1000 = 300; 全护理 0.60 × 1000 = 600
    assert simulation.calculate("tekun_care_allowance", "2020-08")[0] == pytest.approx(expected)


def test_hezhou_partial_care_rate_is_lost_and_stops_with_its_name(with_minimum_wage):
    # The middle rate (半护理) is lost in S3 (“30%、和60%”) and left out: the error names the parameter.
    simulation = simulate(with_minimum_wage, "partial_care")
    with pytest.raises(MissingParameterValueError, match="tekun.care_rate_partial_care"):
        simulation.calculate("tekun_care_allowance", "2020-08")


def test_hezhou_care_allowance_without_a_minimum_wage_is_not_computed(system):
    simulation = simulate(system, "full_care")
    with pytest.raises(MissingParameterValueError, match="wages.minimum_wage"):
        simulation.calculate("tekun_care_allowance", "2020-08")


def test_hezhou_care_rates_before_the_十三五_rule_are_not_known(with_minimum_wage):
    # 2015 (end of 十二五): the rule is reported for 2016–2020, so no rate is in force.
    simulation = simulate(with_minimum_wage, "full_care", month="2015-08")
    with pytest.raises(MissingParameterValueError, match="tekun.care_rate_full_care"):
        simulation.calculate("tekun_care_allowance", "2015-08")

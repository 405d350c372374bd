"""临时救助: requests that need a value no jurisdiction has stop with an error; the cap follows the standard."""

import numpy as np
import pytest
from openfisca_core.reforms import Reform
from openfisca_core.simulations import SimulationBuilder

from openfisca_cn_assist.engine.errors import InputError
from openfisca_cn_assist.engine.reform_tools import apply_reform
from openfisca_cn_assist.engine.resolver import (
    MissingParameterValueError,
    ValuePastHorizonError,
)


def simulate(system, requests, month):
    """One household per (jurisdiction, request), all in one vectorised simulation."""
    persons = {f"p{i}": {"age": {month: 45}} for i in range(len(requests))}
    households = {
        f"h{i}": {
            "members": [f"p{i}"],
            "jurisdiction": {"ETERNITY": jurisdiction},
            "area": {month: "urban"},
            "temporary_assistance_requested": {month: requested},
        }
        for i, (jurisdiction, requested) in enumerate(requests)
    }
    return SimulationBuilder().build_from_entities(system, {"persons": persons, "households": households})


def test_above_the_township_limit_without_a_known_cap_names_the_cap_parameter(system):
    simulation = simulate(system, [("hezhou", 3000), ("hezhou", 4001)], "2020-03")
    with pytest.raises(MissingParameterValueError) as caught:
        simulation.calculate("temporary_assistance_approval_level", "2020-03")
    message = str(caught.value)
    assert "temporary_assistance.cap_multiple_of_annual_urban_standard" in message
    assert "贺州市 (hezhou)" in message and "hezhou → guangxi → china" in message
    assert "1 household(s) need it, first rows: 1" in message


def test_before_the_raise_a_request_above_2000_needs_the_cap_in_hezhou(system):
    simulation = simulate(system, [("hezhou", 2001)], "2020-01")
    with pytest.raises(MissingParameterValueError, match="cap_multiple_of_annual_urban_standard"):
        simulation.calculate("temporary_assistance_approval_level", "2020-01")


def test_the_cap_itself_is_not_silently_zero_for_a_requesting_household(system):
    simulation = simulate(system, [("hezhou", 1000)], "2020-03")
    assert simulation.calculate("temporary_assistance_approval_level", "2020-03").decode_to_str()[0] == "township"
    with pytest.raises(MissingParameterValueError, match="cap_multiple_of_annual_urban_standard"):
        simulation.calculate("temporary_assistance_cap", "2020-03")


def test_qinghai_before_2025_has_no_township_limit(system):
    simulation = simulate(system, [("qinghai", 0), ("qinghai", 1000)], "2024-06")
    with pytest.raises(MissingParameterValueError) as caught:
        simulation.calculate("temporary_assistance_approval_level", "2024-06")
    message = str(caught.value)
    assert "temporary_assistance.township_approval_limit" in message
    assert "qinghai (from 2025-01-01)" in message and "first rows: 1" in message


def test_jurisdictions_without_any_rule_stop_only_requesting_households(system):
    quiet = simulate(system, [("xishuangbanna", 0), ("hanzhong", 0)], "2022-08")
    assert list(quiet.calculate("temporary_assistance_approval_level", "2022-08").decode_to_str()) == ["township"] * 2
    requesting = simulate(system, [("xishuangbanna", 0), ("xishuangbanna", 100)], "2022-08")
    with pytest.raises(MissingParameterValueError, match="township_approval_limit"):
        requesting.calculate("temporary_assistance_approval_level", "2022-08")


def test_a_negative_request_is_an_input_error(system):
    simulation = simulate(system, [("qinghai", 100), ("qinghai", -5)], "2025-03")
    with pytest.raises(InputError, match="temporary_assistance_requested: household rows 1 are negative"):
        simulation.calculate("temporary_assistance_approval_level", "2025-03")


def test_mixed_caseload_in_one_simulation(system):
    # 青海 2025: limit 5000, cap 5 × 12 × 700 = 42000. 贺州's 4000 holds only through 2020 (its horizon), so
    # in 2025 a 贺州 household that requests nothing reads 0 and does not stop the others.
    requests = [("qinghai", 0), ("qinghai", 5000), ("qinghai", 20000), ("qinghai", 42001), ("hezhou", 0)]
    simulation = simulate(system, requests, "2025-03")
    levels = simulation.calculate("temporary_assistance_approval_level", "2025-03").decode_to_str()
    assert list(levels) == ["township", "township", "county", "case_by_case", "township"]
    limits = simulation.calculate("temporary_assistance_township_limit", "2025-03")
    np.testing.assert_array_equal(limits, [5000, 5000, 5000, 5000, 0])
    # Two jurisdictions' limits side by side: a 贺州 request of 3500 needs the 4000, used only when carried forward
    requests[-1] = ("hezhou", 3500)
    with pytest.raises(ValuePastHorizonError, match="township_approval_limit.*first rows: 4"):
        simulate(system, requests, "2025-03").calculate("temporary_assistance_approval_level", "2025-03")
    carried = simulate(apply_reform(system, "carry_forward"), requests, "2025-03")
    levels = carried.calculate("temporary_assistance_approval_level", "2025-03").decode_to_str()
    assert list(levels) == ["township", "township", "county", "case_by_case", "township"]
    limits = carried.calculate("temporary_assistance_township_limit", "2025-03")
    np.testing.assert_array_equal(limits, [5000, 5000, 5000, 5000, 4000])


def test_the_cap_follows_the_urban_standard(system):
    class RaiseQinghaiUrban(Reform):
        def apply(self):
            def modify(parameters):
                parameters.dibao.standard_urban.qinghai.update(start="2025-01-01", value=800)
                return parameters

            self.modify_parameters(modifier_function=modify)

    reformed = RaiseQinghaiUrban(system)
    simulation = simulate(reformed, [("qinghai", 45000)], "2025-03")
    # 5 × 12 × 800 = 48000
    assert simulation.calculate("temporary_assistance_cap", "2025-03")[0] == 48000
    assert simulation.calculate("temporary_assistance_approval_level", "2025-03").decode_to_str()[0] == "county"
    baseline = simulate(system, [("qinghai", 45000)], "2025-03")
    assert baseline.calculate("temporary_assistance_approval_level", "2025-03").decode_to_str()[0] == "case_by_case"

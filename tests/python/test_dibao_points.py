"""精准低保积分制: input checks, and the assumed values are reported as assumed."""

import pytest
from openfisca_core.simulations import SimulationBuilder

from openfisca_cn_assist.engine.errors import InputError
from openfisca_cn_assist.engine.provenance import assumed_values


def simulate(system, shares, jurisdiction="yuxi", month="2024-08"):
    # The income score compares income with the 低保 standard; these tests are about the property share, so the
    # standard is an input (玉溪 has no sourced standard of its own in 2024-08, and Yunnan's 2022 one ends with 2022):
    # 735, 峨山's 2024-11 figure, as a hypothetical 玉溪 one.
    persons = {f"p{i}": {"age": {month: 45}} for i in range(len(shares))}
    households = {
        f"h{i}": {
            "members": [f"p{i}"],
            "jurisdiction": {"ETERNITY": jurisdiction},
            "area": {month: "urban"},
            "dibao_standard": {month: 735},
            "property_score_share": {month: share},
        }
        for i, share in enumerate(shares)
    }
    return SimulationBuilder().build_from_entities(system, {"persons": persons, "households": households})


def test_property_share_outside_0_1_is_an_input_error(system):
    simulation = simulate(system, [1.0, 1.5])
    with pytest.raises(InputError, match="property_score_share: household rows 1 are outside 0–1"):
        simulation.calculate("dibao_points_pass", "2024-08")


def test_property_share_is_not_checked_where_points_do_not_apply(system):
    simulation = simulate(system, [1.5], jurisdiction="xishuangbanna")
    assert simulation.calculate("dibao_points_pass", "2024-08")[0]


def test_pass_mark_and_national_default_are_reported_as_assumed(system):
    names = {v.parameter for v in assumed_values(system.parameters)}
    assert {"dibao.points_pass_mark.yuxi", "dibao.uses_points.china"} <= names
    assert "dibao.points_labour_max.yuxi" not in names

from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.errors import InputError
from openfisca_cn_assist.engine.variable import Variable


class dibao_points_property(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "point"
    label = "低保积分:家庭财产状况 / Dibao points for property (0–35)"
    reference = "玉溪 精准低保积分制: 家庭财产状况分值35分 (S4); sub-scale assumed"

    def defined_for(household, period):
        """Households whose jurisdiction uses points (0 elsewhere)."""
        return jurisdictional(household, period).dibao.uses_points

    def formula(household, period, parameters):
        """Maximum × the assessed share of property points (property_score_share)."""
        share = household("property_score_share", period)
        outside = household.rows_where((share < 0) | (share > 1))
        if len(outside):
            raise InputError.at_rows(
                "property_score_share: household rows {rows} are outside 0–1 "
                "(1 = no countable property, 0 = no property points)",
                "household",
                outside,
            )
        return jurisdictional(household, period).dibao.points_property_max * share

import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.variable import Variable


class dibao_points_income(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "point"
    label = "低保积分:家庭收入状况 / Dibao points for income (0–30)"
    reference = "玉溪 精准低保积分制: 家庭收入状况分值30分 (S4); sub-scale assumed"

    def formula(household, period, parameters):
        """Maximum × max(0, 1 − per-capita income ÷ standard) (assumed sub-scale); 0 where points are not used."""
        p = jurisdictional(household, period).dibao
        uses_points = p.uses_points
        maximum = p.only(uses_points).points_income_max
        standard = household("dibao_standard", period)
        ratio = np.divide(
            household("dibao_per_capita_income", period), standard, out=np.ones_like(standard), where=standard > 0
        )
        return np.where(uses_points, maximum * np.clip(1 - ratio, 0, 1), 0)

import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.variable import Variable


class dibao_points_score(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "point"
    label = "低保积分 / Dibao points score: labour + income + property (0–100) plus adjustment items"
    reference = (
        "玉溪 精准低保积分制 (since 2018): 总分100分,其中家庭成员劳动力状况分值35分,家庭收入状况分值30分,"
        "家庭财产状况分值35分,设置加减分项 (S4)"
    )

    def formula(household, period, parameters):
        """The three scored items plus the adjustment items, where the jurisdiction uses points; 0 elsewhere.

        More points mean more need (assumed: S4 does not say).
        """
        uses_points = jurisdictional(household, period).dibao.uses_points
        score = (
            household("dibao_points_labour", period)
            + household("dibao_points_income", period)
            + household("dibao_points_property", period)
            + household("dibao_points_adjustment", period)
        )
        return np.where(uses_points, score, 0)

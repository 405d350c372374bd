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

    explanation = {
        "zh": "劳动力积分 {dibao_points_labour} + 收入积分 {dibao_points_income} + 财产积分 {dibao_points_property} + "
        "加减分 {dibao_points_adjustment} = {value} 分",
        "en": "labour points {dibao_points_labour} + income points {dibao_points_income} + property points "
        "{dibao_points_property} + adjustment points {dibao_points_adjustment} = {value}",
    }

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

import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.variable import Variable


class dibao_points_pass(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "低保积分达标 / Reaches the dibao points pass mark (always true where points are not used)"
    reference = "玉溪 精准低保积分制 (S4): 用事实用分数说话,精准认定保障对象; pass mark not published (assumed)"
    # the points line, said where the jurisdiction uses points; its "why" words are quoted by dibao_eligible
    explanation = {
        True: {
            "zh": "积分制{dibao.uses_points:rule}：{dibao_points_score:text} ≥ 认定分数线 {dibao.points_pass_mark} 分 → 达标",
            "en": "Points{dibao.uses_points:rule}: {dibao_points_score:text} ≥ pass mark {dibao.points_pass_mark} → passes",
        },
        False: {
            "zh": "积分制{dibao.uses_points:rule}：{dibao_points_score:text} < 认定分数线 {dibao.points_pass_mark} 分 → 未达标",
            "en": "Points{dibao.uses_points:rule}: {dibao_points_score:text} < pass mark {dibao.points_pass_mark} → fails",
            "why": {"zh": "，但积分未达标", "en": ", but the points fall short"},
        },
    }

    def formula(household, period, parameters):
        """Score at least the pass mark where the jurisdiction uses points; true elsewhere."""
        p = jurisdictional(household, period).dibao
        uses_points = p.uses_points
        pass_mark = p.only(uses_points).points_pass_mark
        if not uses_points.any():  # the score is not needed where no household's jurisdiction uses points
            return np.ones(household.count, dtype=bool)
        return ~uses_points | (household("dibao_points_score", period) >= pass_mark)

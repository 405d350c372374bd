import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.variable import Variable


class dibao_gap_benefit(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "currency-CNY"
    label = (
        "低保差额发放金额 / Gap method: (standard − per-capita income, at least the floor) × members counted (元/月)"
    )
    reference = "民发〔2021〕57号 第二十三条: 按照差额发放; a floor per member where one is set (dibao_gap_floor)"

    explanation = {
        "zh": "（{dibao_standard} − {dibao_per_capita_income}）{dibao_gap_floor:text}× {dibao_unit_size} = {value} 元/月",
        "en": "({dibao_standard} − {dibao_per_capita_income}){dibao_gap_floor:text} × {dibao_unit_size} = {value} a month",
    }

    def formula(household, period, parameters):
        """The gap per counted member, never below the floor, times the members counted.

        For an eligible household the gap is positive (per-capita income is below the standard), so
        without a floor it is the gap itself; fmax keeps the gap where the floor is NaN (unknown).
        """
        gap = household("dibao_standard", period) - household("dibao_per_capita_income", period)
        per_member = np.fmax(gap, household("dibao_gap_floor", period))
        return per_member * household("dibao_unit_size", period)

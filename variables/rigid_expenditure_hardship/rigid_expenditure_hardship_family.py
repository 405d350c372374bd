import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.outputs import Output


class rigid_expenditure_hardship_family(Output):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "刚性支出困难家庭 / Rigid-expenditure hardship family (2024 national conditions)"
    reference = (
        "民政部《刚性支出困难家庭认定办法》, 2024-10-24 (W12): 未纳入低保、特困且未被认定为低保边缘家庭; 共同生活家庭成员"
        "人均收入低于上年度当地居民人均可支配收入; 家庭财产状况符合当地相关规定; 提出申请前12个月家庭刚性支出总额占家庭"
        "总收入比例超出当地规定. 有效期一般不超过12个月 (not modelled: the month computed is the month assessed)."
    )
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "rigid_expenditure_hardship"
    kind = "status"
    order = 700
    shown_in = ("cli",)

    def formula_2024_10_24(household, period, parameters):
        """A candidate whose 12-month per-capita income is below last year's local per-capita disposable
        income and whose 12-month rigid spending exceeds the local share of its 12-month income.

        The national measure is dated 2024-10-24, so it applies from the first month that starts after
        it (2024-11); before, the variable is false (earlier local 支出型困难 schemes are not modelled).
        """
        candidate = household("rigid_expenditure_hardship_candidate", period)
        income = household("household_income_past_12_months", period)
        # no member of a candidate is 特困, so every member counts (as for 低保)
        size = household.nb_persons()
        per_capita_income = np.divide(income, size, out=np.full(len(size), np.inf), where=size > 0)
        below_disposable = per_capita_income < household("previous_year_per_capita_disposable_income", period)
        spending = household("rigid_expenditure_past_12_months", period)
        # spending / income > threshold, written without dividing by an income that may be 0
        spending_too_high = spending > household("rigid_expenditure_to_income_threshold", period) * income
        return candidate & below_disposable & spending_too_high

import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.variable import Variable


class previous_year_per_capita_disposable_income(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "currency-CNY"
    label = "上年度当地居民人均可支配收入 / Previous year's local per-capita disposable income (元/人·年)"
    reference = (
        "刚性支出困难家庭认定办法 (民政部, 2024-10-24): 共同生活家庭成员人均收入低于上年度当地居民人均可支配收入 (W12)"
    )

    def formula(household, period, parameters):
        """The jurisdiction's figure for the calendar year before the month; may be given as an input.

        No jurisdiction has a figure yet (statistics.per_capita_disposable_income): only households that
        could be a 刚性支出困难家庭 need it; the others read 0 where no figure is known.
        """
        needed = household("rigid_expenditure_hardship_candidate", period)
        p = jurisdictional(household, period.offset(-1, "year")).statistics
        monthly = p.only(needed).per_capita_disposable_income
        # the resolver stores yearly figures per month; back to the yearly figure, to the fen
        return np.nan_to_num(np.round(12 * monthly, 2), nan=0.0)

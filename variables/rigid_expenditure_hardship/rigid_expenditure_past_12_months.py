from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.variable import Variable


class rigid_expenditure_past_12_months(Variable):
    """Total rigid spending of the household in the 12 months before the month it applies (given in that month).

    Rigid spending is living, medical, education and disability-rehabilitation spending and other items the
    local rules name (W12). It is an input: 0 (the default) means the household has none and cannot be a
    刚性支出困难家庭.
    """

    value_type = float
    default_value = 0
    entity = Household
    definition_period = MONTH
    unit = "currency-CNY"
    label = "申请前12个月家庭刚性支出总额 / Household rigid spending over the previous 12 months (元 per 12 months)"
    reference = (
        "刚性支出困难家庭认定办法 (民政部, 2024-10-24): 刚性支出包括生活支出、医疗支出、教育支出、残疾康复支出等 (W12)"
    )

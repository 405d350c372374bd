from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.variable import Variable


class household_income_past_12_months(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "currency-CNY"
    label = "申请前12个月家庭总收入 / Household total income over the previous 12 months (元 per 12 months)"
    reference = "刚性支出困难家庭认定办法 (民政部, 2024-10-24): 提出申请前12个月家庭刚性支出总额占家庭总收入比例 (W12)"

    def formula(household, period, parameters):
        """Give it as an input where known; otherwise 12 × this month's gross income of all members.

        Gross, not 低保 countable income: some jurisdictions deduct rigid spending (and employment costs)
        from countable income, which would count the spending twice in the spending-to-income ratio.
        """
        return 12 * household.sum(household.members("gross_income", period))

import numpy as np
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.engine.entities import Household


class dibao_countable_income(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "currency-CNY"
    label = "低保家庭可计收入 / Household countable income for dibao, after exclusions and deductions (元/月)"
    reference = "POLICY_REFERENCE §3.1: countable = max(0, gross − excluded − deductions)"

    def formula(household, period, parameters):
        """Pooled over the members counted for dibao, floored at zero."""
        members = household.members
        counted = ~members("tekun_eligible", period)
        return np.maximum(household.sum(members("countable_income_net", period) * counted), 0)

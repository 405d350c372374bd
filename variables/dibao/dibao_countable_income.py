import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.outputs import Output


class dibao_countable_income(Output):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "currency-CNY"
    label = "低保家庭可计收入 / Household countable income for dibao, after exclusions and deductions (元/月)"
    reference = "POLICY_REFERENCE §3.1: countable = max(0, gross − excluded − deductions)"
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "dibao"
    kind = "amount"
    order = 110
    shown_in = ("cli", "page")
    short_label = ("家庭可计收入", "household countable income")

    explanation = {
        "zh": "家庭可计收入 = max({zero}, {dibao_counted_income}) = {value} 元/月",
        "en": "Household countable income = max({zero}, {dibao_counted_income}) = {value} a month",
    }

    def formula(household, period, parameters):
        """Pooled over the members counted for dibao (dibao_counted_income), floored at zero."""
        return np.maximum(household.sum(household.members("dibao_counted_income", period)), 0)

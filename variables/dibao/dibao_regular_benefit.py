import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.outputs import Output
from openfisca_cn_assist.engine.sums import members_sum


class dibao_regular_benefit(Output):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "currency-CNY"
    label = "低保金(常规) / Dibao benefit of an eligible household, before 渐退 and 单人户 (元/月)"
    reference = "民发〔2021〕57号 第二十三条: 按照差额发放或者分档发放"
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "dibao"
    kind = "money"
    order = 140
    shown_in = ("microsim",)
    short_label = ("常规低保金", "regular dibao benefit")
    # chosen by the way the household is paid; said of an eligible household
    explanation = {
        ("dibao_pays_by_class", True): {
            "zh": "{dibao_pays_by_class:text}：{dibao_class_amount:each} = {value} 元/月",
            "en": "{dibao_pays_by_class:text}: {dibao_class_amount:each} = {value} a month",
            "short": {"zh": "分档发放 {value} 元/月", "en": "paid by class: {value} a month"},
        },
        ("dibao_pays_by_class", False): {
            "zh": "{dibao_pays_by_class:text}：{dibao_gap_benefit:text}",
            "en": "{dibao_pays_by_class:text}: {dibao_gap_benefit:text}",
            "short": {"zh": "差额发放 {value} 元/月", "en": "gap payment {value} a month"},
        },
    }

    def formula(household, period, parameters):
        """Gap method pays (standard − per-capita income) × members (dibao_gap_benefit); class method pays each
        member's class amount."""
        eligible = household("dibao_eligible", period)
        by_class = household("dibao_pays_by_class", period)
        gap = household("dibao_gap_benefit", period)
        class_total = members_sum(household, household.members("dibao_class_amount", period))
        return np.where(eligible, np.where(by_class, class_total, gap), 0)

from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.outputs import Output


class dibao_marginal_family(Output):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = (
        "低保边缘家庭 / 低保 marginal family: not on 低保, per-capita income below a multiple of the standard, "
        "property within the limits"
    )
    reference = (
        "低保边缘家庭: 家庭人均收入低于当地低保标准1.5倍 (W13), property within the local limits "
        "(POLICY_REFERENCE §3.5); 汉民发〔2020〕132号 (S2)"
    )
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "dibao"
    kind = "status"
    order = 135
    shown_in = ("cli", "microsim")
    explanation = {
        True: {
            "zh": "低保边缘：{dibao_marginal_income_below:text} → 是低保边缘家庭",
            "en": "Marginal family: {dibao_marginal_income_below:text} → a marginal family",
            "short": {"zh": "属低保边缘家庭", "en": "a marginal (低保边缘) family"},
        },
        False: {
            "zh": "低保边缘：{dibao_marginal_income_below:text}{property_within_limits:text} → 不是低保边缘家庭",
            "en": "Marginal family: {dibao_marginal_income_below:text}{property_within_limits:text} → not a marginal "
            "family",
            "why": {"zh": "家庭不是低保边缘家庭", "en": "the family is not a marginal family"},
        },
    }

    def formula(household, period, parameters):
        """Per-capita income below multiple × standard, and property within the limits. Only a household not
        receiving 低保, with members counted for 低保, is tested: dibao_marginal_income_below is defined for those
        alone (false elsewhere), so the condition is stated once, there."""
        below = household("dibao_marginal_income_below", period)
        return below & household("property_within_limits", period)

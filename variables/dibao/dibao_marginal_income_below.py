from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.variable import Variable


class dibao_marginal_income_below(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "人均收入低于低保边缘标准 / Per-capita countable income below the marginal multiple of the dibao standard"
    reference = "低保边缘家庭: 家庭人均收入低于当地低保标准1.5倍 (W13); 汉民发〔2020〕132号 (S2)"
    explanation = {
        True: {
            "zh": "人均收入 {dibao_per_capita_income} 元 < {dibao.marginal_income_multiplier} × 标准 {dibao_standard} 元",
            "en": "per-capita income {dibao_per_capita_income} < {dibao.marginal_income_multiplier} × standard "
            "{dibao_standard}",
        },
        False: {
            "zh": "人均收入 {dibao_per_capita_income} 元 ≥ {dibao.marginal_income_multiplier} × 标准 {dibao_standard} 元",
            "en": "per-capita income {dibao_per_capita_income} ≥ {dibao.marginal_income_multiplier} × standard "
            "{dibao_standard}",
        },
    }

    def defined_for(household, period):
        """Households not on 低保 with members counted for it: only they are tested, so only they need the
        multiple (which has no value before 2021)."""
        return ~household("dibao_recipient", period) & (household("dibao_unit_size", period) > 0)

    def formula(household, period, parameters):
        multiple = jurisdictional(household, period).dibao.marginal_income_multiplier
        return household("dibao_per_capita_income", period) < multiple * household("dibao_standard", period)

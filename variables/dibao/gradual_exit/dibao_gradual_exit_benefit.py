import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.errors import InputError
from openfisca_cn_assist.engine.outputs import Output


class dibao_gradual_exit_benefit(Output):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "currency-CNY"
    label = "渐退期低保金 / Benefit paid during the gradual exit (元/月)"
    reference = "渐退 (S2); amount: POLICY_REFERENCE §3.4 (local)"
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "dibao"
    kind = "money"
    order = 145
    shown_in = ("microsim",)
    short_label = ("渐退期低保金", "gradual-exit benefit")

    defined_for = "dibao_gradual_exit_active"
    explanation = {
        "zh": "渐退期低保金 = {dibao.gradual_exit_benefit_share} × 渐退前常规低保金 {dibao_exit_base_benefit}"
        "{dibao_exit_base_benefit:given} = {value} 元/月",
        "en": "Gradual-exit benefit = {dibao.gradual_exit_benefit_share} × regular benefit before the exit "
        "{dibao_exit_base_benefit}{dibao_exit_base_benefit:given} = {value} a month",
        "short": {"zh": "渐退期低保金 {value} 元/月", "en": "paying {value} a month"},
    }

    def formula(household, period, parameters):
        """The jurisdiction's share of the regular benefit paid in the last month before the exit period."""
        base = household("dibao_exit_base_benefit", period)
        unknown = household.rows_where(np.isnan(base))
        if len(unknown):
            raise InputError.at_rows(
                f"dibao_exit_base_benefit: household rows {{rows}} are in their 渐退 period "
                f"in {period} but the benefit they received before it is unknown; give dibao_exit_base_benefit "
                "as an input or simulate the months before.",
                "household",
                unknown,
            )
        return jurisdictional(household, period).dibao.gradual_exit_benefit_share * base

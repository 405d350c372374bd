import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.errors import InputError, rows_text
from openfisca_cn_assist.engine.lookup import by_jurisdiction
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

    def formula(household, period, parameters):
        """The jurisdiction's share of the regular benefit paid in the last month before the exit period."""
        active = household("dibao_gradual_exit_active", period)
        base = household("dibao_exit_base_benefit", period)
        unknown = active & np.isnan(base)
        if unknown.any():
            raise InputError(
                f"dibao_exit_base_benefit: household rows {rows_text(np.flatnonzero(unknown))} are in their 渐退 period "
                f"in {period} but the benefit they received before it is unknown; give dibao_exit_base_benefit "
                "as an input or simulate the months before."
            )
        share = by_jurisdiction(household, period, "dibao.gradual_exit_benefit_share", where=active)
        return np.where(active, np.nan_to_num(share) * np.nan_to_num(base), 0)

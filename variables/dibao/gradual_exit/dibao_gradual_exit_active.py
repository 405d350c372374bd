from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.history import exit_active, facts
from openfisca_cn_assist.engine.outputs import Output


class dibao_gradual_exit_active(Output):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "处于渐退期 / In the gradual-exit (渐退) period: on 低保 last month, now above the standard, within the exit length"
    reference = "渐退 (S0: 低保救助渐退; S1: 制定救助渐退…政策; S2: 落实渐退帮扶政策)"
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "dibao"
    kind = "status"
    order = 130
    shown_in = ("cli", "microsim")

    def formula(household, period, parameters):
        _, above = facts(household, period)
        recipient_last_month = household("dibao_recipient_last_month", period)
        count = household("dibao_months_above_standard", period)
        return exit_active(household, period, recipient_last_month, above, count)

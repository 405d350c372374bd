from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.history import exit_state, facts, months_above
from openfisca_cn_assist.engine.variable import Variable


class dibao_months_above_standard(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "收入超标月数 / Consecutive months, up to this one, that a household on 低保 has had income at or above the standard"
    reference = "渐退期 (S2: 落实渐退帮扶政策)"

    def formula(household, period, parameters):
        """Counts from 1 in the first month above the standard; 0 when below it or not on 低保 last month."""
        state = exit_state(household, period)
        _, above = facts(household, period)
        recipient_last_month = household("dibao_recipient_last_month", period)
        return months_above(recipient_last_month, state.months_above_last_month, above)

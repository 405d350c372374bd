from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.history import exit_state
from openfisca_cn_assist.engine.variable import Variable


class dibao_recipient_last_month(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "上月享受低保 / The household received 低保 (regular or 渐退) last month"
    reference = "渐退: applies to households on 低保 whose income rises above the standard (S2)"

    def formula(household, period, parameters):
        """Worked out from the previous simulated month; give it as an input when only one month is simulated."""
        return exit_state(household, period).recipient_last_month

from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.history import exit_state
from openfisca_cn_assist.engine.variable import Variable


class dibao_exit_base_benefit(Variable):
    value_type = float
    default_value = float("nan")
    entity = Household
    definition_period = MONTH
    unit = "currency-CNY"
    label = "渐退前低保金 / The regular benefit of the last month before the 渐退 period (元/月)"
    reference = "渐退期低保金 (POLICY_REFERENCE §3.4)"

    def formula(household, period, parameters):
        """Carried from the last eligible month of the simulation; NaN (unknown) when that month is not simulated."""
        return exit_state(household, period).base_benefit

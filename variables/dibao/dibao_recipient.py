from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.engine.entities import Household


class dibao_recipient(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "低保家庭 / The household receives 低保 as a whole this month (eligible, or in its 渐退 period)"
    reference = "民发〔2021〕57号: 低保对象; 渐退 (S0, S1, S2)"

    def formula(household, period, parameters):
        return household("dibao_eligible", period) | household("dibao_gradual_exit_active", period)

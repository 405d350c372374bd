from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.outputs import Output


class dibao_recipient(Output):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "低保家庭 / The household receives 低保 as a whole this month (eligible, or in its 渐退 period)"
    reference = "民发〔2021〕57号: 低保对象; 渐退 (S0, S1, S2)"
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "dibao"
    kind = "status"
    order = 125
    shown_in = ("microsim",)

    def formula(household, period, parameters):
        return household("dibao_eligible", period) | household("dibao_gradual_exit_active", period)

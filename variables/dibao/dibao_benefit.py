from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.outputs import Output, added_up


class dibao_benefit(Output):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "currency-CNY"
    label = "低保金 / Monthly dibao benefit of the household: regular, 渐退 and 单人户 (元/月)"
    reference = "民发〔2021〕57号 第二十三条; 渐退 (S0, S1, S2); 单人户 (S1, S2)"
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "dibao"
    kind = "money"
    order = 155
    shown_in = ("cli", "microsim", "page")
    adds = ("dibao_regular_benefit", "dibao_gradual_exit_benefit", "dibao_single_person_benefit")
    short_label = ("低保金", "dibao benefit")

    def formula(household, period, parameters):
        """Everything the household receives as 低保 this month, each part counted once: the parts in ``adds``."""
        return added_up(household, period, "dibao_benefit")

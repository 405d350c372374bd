from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.variable import Variable


class temporary_assistance_requested(Variable):
    """The amount of one temporary-assistance case, given in the month it is decided; 0 when there is none."""

    value_type = float
    default_value = 0
    entity = Household
    definition_period = MONTH
    unit = "currency-CNY"
    label = "临时救助申请金额 / Temporary assistance requested for one case (元 per case)"
    reference = "国发〔2014〕47号 临时救助; 分级审批 (S2: 全面落实“先行救助”“分级审批”规定)"

from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.variable import Variable


class receives_unemployment_insurance(Variable):
    """Receives 失业保险金 this month; a yearly input holds in each month."""

    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    value_type = bool
    label = "领取失业保险金 / Receives unemployment-insurance benefit (失业保险金)"
    reference = "价格补贴联动机制保障范围: 领取失业保险金人员 (W7; POLICY_REFERENCE §3.8)"

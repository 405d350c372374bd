from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.variable import Variable


class receives_unemployment_subsidy(Variable):
    """Receives 失业补助金 (the subsidy for the unemployed not or no longer entitled to 失业保险金) this month."""

    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    value_type = bool
    label = "领取失业补助金 / Receives the unemployment subsidy (失业补助金)"
    reference = "价格补贴联动机制: 领取失业补助金人员阶段性纳入保障范围, 2022-09 to 2023-03 (W4)"

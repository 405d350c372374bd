from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.variable import Variable


class is_entitled_veteran(Variable):
    """An 优抚对象 who receives the state's periodic pension or allowance (定期抚恤补助) this month."""

    entity = Person
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    value_type = bool
    label = "享受国家定期抚恤补助的优抚对象 / Entitled group (优抚对象) receiving periodic state pensions or allowances"
    reference = "价格补贴联动机制保障范围: 享受国家定期抚恤补助的优抚对象 (W7; POLICY_REFERENCE §3.8)"

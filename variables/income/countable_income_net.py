from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.variable import Variable


class countable_income_net(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "计入家庭收入的个人净收入 / Person's income counted for the household, after exclusions and deductions (may be negative)"
    reference = "POLICY_REFERENCE §3.1: countable = gross − excluded − deductions"

    explanation = {
        "zh": "计入家庭收入 = 收入合计 {gross_income} − 不计入的基础养老金 {excluded_basic_pension} − 就业成本扣减 "
        "{employment_cost_deduction} − 刚性支出扣减 {rigid_expenditure_deduction} = {value} 元",
        "en": "Counted for the household = gross income {gross_income} − basic pension not counted "
        "{excluded_basic_pension} − employment-cost deduction {employment_cost_deduction} − rigid-expenditure "
        "deduction {rigid_expenditure_deduction} = {value}",
    }

    def formula(person, period, parameters):
        """Left unfloored so that one member's rigid spending offsets another's income in the household total."""
        return (
            person("gross_income", period)
            - person("excluded_basic_pension", period)
            - person("employment_cost_deduction", period)
            - person("rigid_expenditure_deduction", period)
        )

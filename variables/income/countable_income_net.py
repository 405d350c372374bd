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

    def formula(person, period, parameters):
        """Left unfloored so that one member's rigid spending offsets another's income in the household total."""
        return (
            person("gross_income", period)
            - person("excluded_basic_pension", period)
            - person("employment_cost_deduction", period)
            - person("rigid_expenditure_deduction", period)
        )

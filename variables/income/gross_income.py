from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.inputs import checked
from openfisca_cn_assist.engine.variable import Variable


class gross_income(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "家庭成员收入合计 / Gross income of the person (元/月)"
    reference = "家庭收入: 工资性、经营净、财产净、转移净收入 (POLICY_REFERENCE §3.1)"

    def formula(person, period, parameters):
        """The four income components plus the basic pension."""
        return (
            checked(person, "wage_income", period)
            + checked(person, "business_income", period)
            + checked(person, "property_income", period)
            + checked(person, "transfer_income", period)
            + checked(person, "basic_pension_income", period)
        )

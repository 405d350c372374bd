from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.variable import Variable


class dibao_counted_income(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = (
        "计入低保的个人收入 / A member's countable income as the 低保 household counts it (0 for a 特困 member) (元/月)"
    )
    reference = "特困人员不计入低保家庭 (unit_excludes_tekun.yaml; POLICY_REFERENCE §5.2)"

    def formula(person, period, parameters):
        """A 特困 member is supported as 特困 and left out of the 低保 household, income included."""
        return person("countable_income_net", period) * ~person("tekun_eligible", period)

from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.engine.dibao_classes import class_amounts
from openfisca_cn_assist.engine.entities import Person


class dibao_class_amount(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "低保分类补助金额 / The person's class amount in an eligible household paid by class (元/月)"
    reference = "西双版纳 2022: A类460元、B类310元、C类260元, 从7月1日起执行 (S0)"

    def formula(person, period, parameters):
        """Each counted member of an eligible class-paid household receives the amount of their class."""
        households = person.simulation.populations["household"]
        paid_by_class = households("dibao_pays_by_class", period) & households("dibao_eligible", period)
        needed = households.project(paid_by_class) & ~person("tekun_eligible", period)
        return class_amounts(person, period, needed, "members of 低保-eligible households")

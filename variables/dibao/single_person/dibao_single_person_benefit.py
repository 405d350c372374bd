import numpy as np
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.dibao_classes import class_amounts
from openfisca_cn_assist.entities import Person


class dibao_single_person_benefit(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "单人户低保金 / 低保 benefit of a person covered alone (元/月)"
    reference = "单人户 (S1, S2); payment as for a household of one (民发〔2021〕57号 第二十三条)"

    def formula(person, period, parameters):
        """A household of one: the gap to the standard, or the person's class amount where paid by class."""
        unit = person("dibao_single_person_unit", period)
        by_class = person.household("dibao_pays_by_class", period)
        gap = person.household("dibao_standard", period) - person("own_countable_income", period)
        class_amount = class_amounts(person, period, unit & by_class, "persons covered as a 单人户")
        return np.where(unit, np.where(by_class, class_amount, gap), 0)

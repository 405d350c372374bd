import numpy as np
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.entities import Person
from openfisca_cn_assist.enums import SelfCareLevel
from openfisca_cn_assist.lookup import by_jurisdiction


class tekun_care_allowance(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "特困照料护理费 / Monthly 特困 care allowance by self-care level (元/月)"
    reference = "汉民发〔2021〕52号: 不低于我市最低工资标准的10%、15%、25% (全自理、半护理、全护理)"

    def formula(person, period, parameters):
        """The jurisdiction's rate for the person's self-care level times its monthly minimum wage."""
        eligible = person("tekun_eligible", period)
        level = person("self_care_level", period)
        rate = np.zeros(len(level))
        for name in ("self_care", "partial_care", "full_care"):
            at_level = eligible & (level == SelfCareLevel[name])
            rate = np.where(at_level, by_jurisdiction(person, period, f"tekun.care_rate_{name}", where=at_level), rate)
        minimum_wage = by_jurisdiction(person, period, "wages.minimum_wage", where=eligible)
        return np.where(eligible, rate * minimum_wage, 0)

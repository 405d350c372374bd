import numpy as np
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.enums import SelfCareLevel
from openfisca_cn_assist.engine.lookup import at_rows


class tekun_care_allowance(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "特困照料护理费 / Monthly 特困 care allowance by self-care level (元/月)"
    reference = (
        "汉民发〔2021〕52号: 不低于我市最低工资标准的10%15%25% (全自理、半护理、全护理); "
        "贺州: 照料护理标准按最低工资标准的30%、和60%发放 (S3; read in the order given as 全自理 30 %, 全护理 60 %, 半护理 lost; L)"
    )

    def formula(person, period, parameters):
        """The jurisdiction's rate for the person's self-care level times its monthly minimum wage."""
        eligible = person("tekun_eligible", period)
        # Worked out for the eligible persons only (a few per cent of all).
        rows = np.flatnonzero(eligible)
        level = np.asarray(person("self_care_level", period))[rows]
        rate = np.zeros(len(rows))
        for name in ("self_care", "partial_care", "full_care"):
            at_level = level == SelfCareLevel[name].index
            rate[at_level] = at_rows(person, period, f"tekun.care_rate_{name}", rows[at_level])
        minimum_wage = at_rows(person, period, "wages.minimum_wage", rows)
        allowance = np.zeros(person.count)
        allowance[rows] = rate * minimum_wage
        return allowance

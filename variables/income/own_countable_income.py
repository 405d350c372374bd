import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.variable import Variable


class own_countable_income(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "个人可计收入 / The person's own countable income (元/月), for 特困 无生活来源"
    reference = "特困人员认定: 收入低于当地最低生活保障标准 (W15)"

    def formula(person, period, parameters):
        return np.maximum(person("countable_income_net", period), 0)

from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.entities import Person


class tekun_no_livelihood(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "无生活来源 / No livelihood: own countable income below the dibao standard"
    reference = "特困人员认定: 收入低于当地最低生活保障标准 (W15)"

    def formula(person, period, parameters):
        return person("own_countable_income", period) < person.household("dibao_standard", period)

from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.entities import Household


class dibao_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "符合低保条件 / Eligible for dibao: per-capita income below the standard"
    reference = "民发〔2021〕57号: 家庭人均收入低于当地最低生活保障标准"

    def formula(household, period, parameters):
        counted = household("dibao_unit_size", period) > 0
        return counted & (household("dibao_per_capita_income", period) < household("dibao_standard", period))

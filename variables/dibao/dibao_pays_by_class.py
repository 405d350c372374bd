import numpy as np
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.enums import Area
from openfisca_cn_assist.engine.lookup import flag_by_jurisdiction


class dibao_pays_by_class(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "低保按类别发放 / Dibao paid by class (分档) rather than by the gap (补差)"
    reference = "民发〔2021〕57号 第二十三条: 按照差额发放或者分档发放"

    def formula(household, period, parameters):
        urban = household("area", period) == Area.urban
        urban_flag = flag_by_jurisdiction(household, period, "dibao.pays_by_class_urban", where=urban)
        rural_flag = flag_by_jurisdiction(household, period, "dibao.pays_by_class_rural", where=~urban)
        return np.where(urban, urban_flag, rural_flag)

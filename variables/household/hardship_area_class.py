from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.variable import Variable


class hardship_area_class(Variable):
    """Class of the 艰苦边远地区 allowance scheme where the household lives; 0 outside it."""

    value_type = int
    default_value = 0
    entity = Household
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "艰苦边远地区类别 / Hardship-area class (0 = none, 1–6)"
    reference = "人事部/财政部《完善艰苦边远地区津贴制度实施方案》 (POLICY_REFERENCE W25); 青海 五类以上地区 (S1)"

from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.entities import Household


class property_within_limits(Variable):
    """Whether the household's property (deposits, housing, vehicles …) is within the local limits.

    Property limits are local and none is in the sources, so this is an input: true (the default)
    when the household's property has been checked and is within the limits, or was not assessed.
    """

    value_type = bool
    default_value = True
    entity = Household
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "家庭财产状况符合当地规定 / Household property within the local limits"
    reference = "刚性支出困难家庭认定办法 (民政部, 2024-10-24): 家庭财产状况符合当地相关规定 (W12)"

from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.variable import Variable


class property_within_limits(Variable):
    """Whether the household's property (deposits, housing, vehicles …) is within the local limits.

    Property limits are local and none is in the sources, so this is an input: true (the default)
    when the household's property has been checked and is within the limits, or was not assessed.
    Every means test reads it: 低保 (dibao_eligible), 低保边缘 (dibao_marginal_family, and through it
    单人户), 特困 无生活来源 (tekun_no_livelihood) and 刚性支出困难家庭.
    """

    value_type = bool
    default_value = True
    entity = Household
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "家庭财产状况符合当地规定 / Household property within the local limits"
    reference = (
        "Property within the local limits is a condition of 低保 (POLICY_REFERENCE §3.2, R), 低保边缘 (§3.5, W13), "
        "特困 无生活来源 (§3.6, W15) and 刚性支出困难家庭认定办法 (民政部, 2024-10-24): 家庭财产状况符合当地相关规定 (W12)"
    )
    # quoted by the means tests' explanations: nothing to add when the property is within the limits
    explanation = {
        True: {"zh": "", "en": ""},
        False: {"zh": "，但家庭财产超出当地规定", "en": ", but property is over the local limits"},
    }

from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.variable import Variable


class property_score_share(Variable):
    """Share of the property points the household earns, as the 入户调查 assesses it (0–1).

    1 (the default) means no countable property; 0 means property at the local limit. The property
    scale of 精准低保积分制 is not published (S4), so the assessment is an input rather than a formula
    on deposits, housing and vehicles, whose local limits are not in the sources either.
    """

    value_type = float
    default_value = 1.0
    entity = Household
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "/1"
    label = "家庭财产状况得分比例 / Share of the property points earned (1 = no countable property, 0 = none earned)"
    reference = "玉溪 精准低保积分制: 家庭财产状况分值35分 (S4)"

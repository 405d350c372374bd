from openfisca_core.holders import set_input_dispatch_by_period
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.variable import Variable


class dibao_points_adjustment(Variable):
    """Net bonus (+) or penalty (−) points of the adjustment items (加减分项); 0 by default."""

    value_type = float
    default_value = 0
    entity = Household
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "point"
    label = "低保积分加减分 / Dibao points adjustment items (± points)"
    reference = "玉溪 精准低保积分制: 设置加减分项 (S4)"

import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.variable import Variable


class dibao_gap_floor(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "currency-CNY"
    label = "低保差额保底 / Gap method: the least paid per counted member (元/人·月); none nationally"
    reference = (
        "民发〔2021〕57号 第二十三条 sets no floor; some places pay at least a share of the standard "
        "(POLICY_REFERENCE W26, L: reforms/gap_floor.py)"
    )

    # quoted by dibao_gap_benefit: nothing where there is no floor (0)
    explanation = {True: {"zh": "（不低于保底 {value}）", "en": " (at least the floor {value})"}, False: None}

    def formula(household, period, parameters):
        """No floor: the gap method pays the gap itself. A reform that sets one replaces this variable alone."""
        return np.zeros(household.count, dtype=np.float32)  # OpenFisca's float: stored without a cast

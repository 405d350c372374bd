from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.variable import Variable


class rigid_expenditure_hardship_candidate(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "可能认定为刚性支出困难家庭 / Could be a rigid-expenditure hardship family: has rigid spending, not 低保, 特困 or 低保边缘, property within limits"
    reference = (
        "刚性支出困难家庭认定办法 (民政部, 2024-10-24): 未纳入最低生活保障、特困人员救助供养范围且未被认定为"
        "最低生活保障边缘家庭; 家庭财产状况符合当地相关规定 (W12)"
    )

    def formula(household, period, parameters):
        """The conditions that need no local income figure; only these households need the local figures."""
        has_tekun_member = household.any(household.members("tekun_eligible", period))
        return (
            (household("rigid_expenditure_past_12_months", period) > 0)
            & ~household("dibao_recipient", period)
            & ~has_tekun_member
            & ~household("dibao_marginal_family", period)
            & household("property_within_limits", period)
        )

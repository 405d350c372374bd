from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.temporary_assistance import requested_amount
from openfisca_cn_assist.engine.variable import Variable


class temporary_assistance_within_township_limit(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "临时救助在乡镇审批权限以内 / The request is within the township's approval limit (以内: up to it)"
    reference = "青海: 5000元以内的临时救助权限下放至乡镇 (S1); 贺州 (S3)"
    explanation = {
        True: {
            "zh": "临时救助申请 {temporary_assistance_requested} 元 ≤ 乡镇审批权限 "
            "{temporary_assistance_township_limit:text} 元",
            "en": "Temporary assistance requested {temporary_assistance_requested} ≤ township limit "
            "{temporary_assistance_township_limit:text}",
        },
        False: {
            "zh": "临时救助申请 {temporary_assistance_requested} 元 > 乡镇审批权限 "
            "{temporary_assistance_township_limit:text} 元",
            "en": "Temporary assistance requested {temporary_assistance_requested} > township limit "
            "{temporary_assistance_township_limit:text}",
        },
    }

    def formula(household, period, parameters):
        """A household that requests nothing is within the limit (0 ≤ 0)."""
        return requested_amount(household, period) <= household("temporary_assistance_township_limit", period)

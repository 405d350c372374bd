from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.temporary_assistance import requested_amount
from openfisca_cn_assist.engine.variable import Variable


class temporary_assistance_within_cap(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "临时救助在上限以内 / A request above the township limit is within the cap (false: 一事一议)"
    reference = "青海: 上限为年城市低保标准5倍 (S1); 对遭遇重大生活困难的,可采取一事一议方式提高救助额度 (S0)"
    explanation = {
        True: {
            "zh": "{temporary_assistance_county_cap:text}，申请 ≤ 上限",
            "en": "{temporary_assistance_county_cap:text}; request ≤ cap",
        },
        False: {
            "zh": "{temporary_assistance_county_cap:text}，申请 > 上限",
            "en": "{temporary_assistance_county_cap:text}; request > cap",
        },
    }

    def defined_for(household, period):
        """Only a request above the township limit is held to the cap; the others read false."""
        return ~household("temporary_assistance_within_township_limit", period)

    def formula(household, period, parameters):
        return requested_amount(household, period) <= household("temporary_assistance_county_cap", period)

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.enums import TemporaryAssistanceApprovalLevel
from openfisca_cn_assist.engine.outputs import Output


class temporary_assistance_approval_level(Output):
    value_type = Enum
    possible_values = TemporaryAssistanceApprovalLevel
    default_value = TemporaryAssistanceApprovalLevel.township
    entity = Household
    definition_period = MONTH
    label = "临时救助审批层级 / Who decides the request: township, county, or case by case (一事一议)"
    reference = (
        "分级审批 (S2); 青海: 5000元以内的临时救助权限下放至乡镇, 上限为年城市低保标准5倍 (S1); "
        "对遭遇重大生活困难的,可采取一事一议方式提高救助额度 (S0)"
    )
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "temporary_assistance"
    kind = "level"
    order = 800
    shown_in = ("cli",)
    explanation = {
        "township": {
            "zh": "{temporary_assistance_within_township_limit:text} → {value}",
            "en": "{temporary_assistance_within_township_limit:text} → {value}",
        },
        "county": {
            "zh": "{temporary_assistance_within_township_limit:text}；{temporary_assistance_within_cap:text} → {value}",
            "en": "{temporary_assistance_within_township_limit:text}; {temporary_assistance_within_cap:text} → {value}",
        },
        "case_by_case": {
            "zh": "{temporary_assistance_within_township_limit:text}；{temporary_assistance_within_cap:text} → {value}",
            "en": "{temporary_assistance_within_township_limit:text}; {temporary_assistance_within_cap:text} → {value}",
        },
    }

    def formula(household, period, parameters):
        """Up to the township limit the township decides, up to the cap the county, above the cap 一事一议.

        The cap is looked up only for requests above the township limit (the same cap as
        temporary_assistance_cap), so a jurisdiction whose cap is unknown can still settle small
        requests; larger ones stop with an error naming the missing parameter. A household that
        requests nothing reads `township`.
        """
        within_township = household("temporary_assistance_within_township_limit", period)
        within_cap = household("temporary_assistance_within_cap", period)
        level = TemporaryAssistanceApprovalLevel
        # integer codes: OpenFisca encodes them without a Python loop
        return np.select(
            [within_township, within_cap], [level.township.index, level.county.index], level.case_by_case.index
        )

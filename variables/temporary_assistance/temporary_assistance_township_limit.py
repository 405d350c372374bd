import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.variable import Variable


class temporary_assistance_township_limit(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "currency-CNY"
    label = "乡镇临时救助审批权限 / Temporary assistance the township may approve itself (元 per case)"
    reference = "青海: 将5000元以内的临时救助权限下放至乡镇 (S1); 贺州: 乡镇(街道)临时救助审批金额由原来的2000元提高到4000元 (S3)"

    # quoted by temporary_assistance_within_township_limit: the limit as the jurisdiction sets it
    explanation = {
        "zh": "{temporary_assistance.township_approval_limit}",
        "en": "{temporary_assistance.township_approval_limit}",
    }

    def formula(household, period, parameters):
        """The jurisdiction's township approval limit; needed only by households that request assistance.

        A household that requests nothing needs no limit: it reads 0 where its jurisdiction has none.
        """
        requested = household("temporary_assistance_requested", period)
        limit = jurisdictional(household, period).temporary_assistance.only(requested > 0).township_approval_limit
        return np.nan_to_num(limit, nan=0.0)

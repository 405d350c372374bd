import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.temporary_assistance import case_cap, requested_amount
from openfisca_cn_assist.engine.variable import Variable


class temporary_assistance_cap(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "currency-CNY"
    label = "临时救助上限 / Temporary assistance cap (元 per case): a multiple of the yearly urban dibao standard"
    reference = "青海: 临时救助上限提高至年城市低保标准5倍(4.2万元) (S1)"

    def formula(household, period, parameters):
        """Cap = multiple × 12 × the monthly urban 低保 standard, for rural households too.

        Needed only by households that request assistance: a household that requests nothing reads 0
        where its jurisdiction has no cap.
        """
        requesting = requested_amount(household, period) > 0
        return np.nan_to_num(case_cap(household, period, where=requesting), nan=0.0)

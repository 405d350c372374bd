from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.outputs import Output
from openfisca_cn_assist.engine.sums import members_sum


class dibao_unit_size(Output):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "低保计算人数 / Members counted for dibao (特困 persons excluded)"
    reference = "A 特困 person is supported as 特困, not also counted for 低保 (POLICY_REFERENCE §3.6)"
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "dibao"
    kind = "count"
    order = 105
    shown_in = ("page",)
    short_label = ("低保计算人数", "members counted for dibao")

    def formula(household, period, parameters):
        """Members, less those supported as 特困 (few: summed alone)."""
        return household.nb_persons() - members_sum(household, household.members("tekun_eligible", period))

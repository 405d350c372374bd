from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.sums import members_sum


class dibao_unit_size(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "低保计算人数 / Members counted for dibao (特困 persons excluded)"
    reference = "A 特困 person is supported as 特困, not also counted for 低保 (POLICY_REFERENCE §3.6)"

    def formula(household, period, parameters):
        """Members, less those supported as 特困 (few: summed alone)."""
        return household.nb_persons() - members_sum(household, household.members("tekun_eligible", period))

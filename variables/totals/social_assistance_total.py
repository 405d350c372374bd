from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.programmes import PERSON_BENEFITS
from openfisca_cn_assist.engine.sums import members_sum


class social_assistance_total(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "currency-CNY"
    label = "社会救助现金合计 / Every monthly cash benefit of the household and its members this month (元)"
    reference = "POLICY_REFERENCE §3.13: total basic-living spending = Σ programmes"

    def formula(household, period, parameters):
        """低保 (regular, 渐退, 单人户) plus each member's 特困, child, disability and price benefits, each once.

        临时救助 is not included: it is a one-off amount decided case by case on request. Nor is the
        一次性生活补贴, paid once in a year whose payment month no source gives (a yearly variable): a
        yearly microsimulation adds it to the year's total (openfisca_cn_assist.analysis.microsim).
        """
        members = household.members
        total = household("dibao_benefit", period)
        for name in PERSON_BENEFITS:
            total = total + members_sum(household, members(name, period))
        return total

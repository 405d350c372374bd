from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.outputs import Output, added_up


class social_assistance_total(Output):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "currency-CNY"
    label = "社会救助现金合计 / Every monthly cash benefit of the household and its members this month (元)"
    reference = "POLICY_REFERENCE §3.13: total basic-living spending = Σ programmes"
    # What this output is and where it is listed: every list of outputs is generated from these (engine/outputs.py).
    programme = "totals"
    kind = "money"
    order = 900
    shown_in = ("cli", "microsim", "page")
    adds = (
        "dibao_benefit",
        "tekun_basic_allowance",
        "tekun_care_allowance",
        "orphan_allowance",
        "disability_living_subsidy",
        "disability_care_subsidy",
        "price_subsidy",
    )
    short_label = ("社会救助合计", "social assistance total")

    def formula(household, period, parameters):
        """低保 (regular, 渐退, 单人户) plus each member's 特困, child, disability and price benefits, each once.

        临时救助 is not included: it is a one-off amount decided case by case on request. Nor is the
        一次性生活补贴, paid once in a year whose payment month no source gives (a yearly variable): a
        yearly microsimulation adds it to the year's total (openfisca_cn_assist.analysis.microsim). The parts are
        those ``adds`` declares, in that order; a member's amount is summed per household.
        """
        return added_up(household, period, "social_assistance_total")

from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.temporary_assistance import case_cap
from openfisca_cn_assist.engine.variable import Variable


class temporary_assistance_county_cap(Variable):
    """The cap of temporary_assistance_cap, for the requests it decides: those above the township limit.

    temporary_assistance_cap needs the cap for every household that requests assistance; the approval level
    needs it only above the township limit, so that a jurisdiction whose cap is unknown (贺州) still settles
    small requests. Both compute it with engine/temporary_assistance.case_cap."""

    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "currency-CNY"
    label = (
        "临时救助县级审批上限 / Cap of a request above the township limit: multiple × the yearly urban standard (元)"
    )
    reference = "青海: 上限为年城市低保标准5倍 (S1)"
    explanation = {
        "zh": "上限 = {temporary_assistance.cap_multiple_of_annual_urban_standard} × {months_per_year} × 城市低保标准 "
        "{dibao.standard_urban} = {value} 元",
        "en": "cap = {temporary_assistance.cap_multiple_of_annual_urban_standard} × {months_per_year} × urban "
        "standard {dibao.standard_urban} = {value}",
    }

    def defined_for(household, period):
        return ~household("temporary_assistance_within_township_limit", period)

    def formula(household, period, parameters):
        return case_cap(household, period, where=True)

import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.enums import ChildCareStatus
from openfisca_cn_assist.engine.variable import Variable


class price_subsidy_covered(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "价格临时补贴保障对象 / In a group the price-linked temporary subsidy covers this month"
    reference = (
        "低保、特困、领取失业保险金人员、定期抚恤补助优抚对象 (W7); 孤儿、事实无人抚养儿童 (added 2021, W5; from 2022-01 here); "
        "低保边缘人口、领取失业补助金人员 (2022-09 to 2023-03, W4)"
    )

    def formula(person, period, parameters):
        """In at least one group that the jurisdiction's coverage includes in this payment month."""
        groups = {
            "covers_dibao": person("dibao_covered_person", period),
            "covers_tekun": person("tekun_eligible", period),
            "covers_unemployment_insurance": person("receives_unemployment_insurance", period),
            "covers_entitled_veterans": person("is_entitled_veteran", period),
            "covers_children": person("child_care_status", period) != ChildCareStatus.none,
            "covers_unemployment_subsidy": person("receives_unemployment_subsidy", period),
        }
        p = jurisdictional(person, period).price_linkage
        covered = np.zeros(person.count, dtype=bool)
        for switch, in_group in groups.items():  # a loop over six groups, not over people
            covered |= in_group & getattr(p.only(in_group), switch)
        # 低保边缘 status is worked out only where some jurisdiction covers it this month: elsewhere its
        # parameters are not needed. An unknown switch reads as not covered: the group was first added in
        # 2022-09 (W4), and before the 2016 mechanism the other groups already stop with an error.
        covers_marginal = p.optional.covers_dibao_marginal
        if covers_marginal.any():
            covered |= covers_marginal & person.household("dibao_marginal_family", period)
        return covered

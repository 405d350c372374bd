import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.variable import Variable


class dibao_points_labour(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "point"
    label = "低保积分:劳动力状况 / Dibao points for labour capacity (0–35)"
    reference = "玉溪 精准低保积分制: 家庭成员劳动力状况分值35分 (S4); sub-scale assumed"

    def formula(household, period, parameters):
        """Maximum × the share of members who cannot work (assumed sub-scale); 0 where points are not used.

        Cannot work: old enough, a minor or disabled as the 特困 list says, as for 特困 (tekun_no_work_capacity:
        60 and over, under 18 since 2021, tekun_severely_disabled), or seriously ill.
        """
        p = jurisdictional(household, period).dibao
        uses_points = p.uses_points
        maximum = p.only(uses_points).points_labour_max
        if not uses_points.any():
            return np.zeros(household.count)
        members = household.members
        cannot_work = members("tekun_no_work_capacity", period) | members("has_serious_illness", period)
        size = household.nb_persons()
        share = np.divide(household.sum(cannot_work), size, out=np.zeros(len(size)), where=size > 0)
        return np.where(uses_points, maximum * share, 0)

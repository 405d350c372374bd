"""Structural reform: the gap method pays at least a floor per counted member.

Some places pay each member of a 低保 household paid by the gap at least a share of the standard,
however close the household's per-capita income is to it (POLICY_REFERENCE W26: a floor at 20 % of
the standard, place unnamed, confidence L). This reform adds that share as a jurisdictional
parameter, ``dibao.gap_floor_share`` (china 0.2; a parametric reform applied after this one can
change it for any jurisdiction), and pays

    max(standard − per-capita income, share × standard) × members counted

to an eligible household paid by the gap. The class method (分档发放) is unchanged, and so is the
单人户 benefit (a person assessed alone), which has its own formula.

Use: ``openfisca_cn_assist.reforms.gap_floor`` (YAML tests, ``openfisca serve --reforms``) or
``load_reform("gap_floor")``.
"""

import numpy as np
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.lookup import by_jurisdiction
from openfisca_cn_assist.engine.reform_tools import CountryReform

FLOOR_SHARE = {
    "description": "差额发放保底比例 / Gap method: floor per counted member, as a share of the standard",
    "metadata": {"by_jurisdiction": True, "unit": "/1", "label_en": "Gap-method floor share"},
    "china": {
        "description": "差额发放保底比例 / Gap method: floor per counted member, as a share of the standard",
        "metadata": {
            "unit": "/1",
            "reference": [
                {
                    "title": "低保差额发放举例: 补差不足标准 20% 的按 20% 发放 (place unnamed; POLICY_REFERENCE W26)",
                    "url": "https://m.zgxue.com/dongshi/rbgea/5KeN2ZjWYL",
                    "summary": "a per-person gap below 20 % of the standard is paid at 20 % of the standard",
                    "policy_reference": "W26; §4 (gap method, optional local floor)",
                }
            ],
            "confidence": "L",
            "reform": "gap_floor",
            "note": (
                "One unnamed place's rule, applied nationally by this reform as a scenario. The source gives "
                "no date: 2014-05-01 (社会救助暂行办法, the national gap rule) is chosen, so the floor applies "
                "wherever and whenever the gap method does."
            ),
        },
        "values": {"2014-05-01": {"value": 0.2}},
    },
}


def add_floor_share(parameters: ParameterNode) -> ParameterNode:
    parameters.dibao.add_child("gap_floor_share", ParameterNode("dibao.gap_floor_share", data=FLOOR_SHARE))
    return parameters


class dibao_regular_benefit(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "currency-CNY"
    label = "低保金(常规, 差额保底) / Dibao benefit of an eligible household, gap method with a floor (元/月)"
    reference = "民发〔2021〕57号 第二十三条; floor at a share of the standard per member (POLICY_REFERENCE W26, L)"

    def formula(household, period, parameters):
        """Gap method pays max(standard − per-capita income, share × standard) × members; class method unchanged."""
        eligible = household("dibao_eligible", period)
        by_class = household("dibao_pays_by_class", period)
        standard = household("dibao_standard", period)
        gap_per_member = standard - household("dibao_per_capita_income", period)
        share = by_jurisdiction(household, period, "dibao.gap_floor_share", where=eligible & ~by_class)
        per_member = np.fmax(gap_per_member, share * standard)  # fmax: a row that needs no share keeps its gap
        gap = per_member * household("dibao_unit_size", period)
        class_total = household.sum(household.members("dibao_class_amount", period))
        return np.where(eligible, np.where(by_class, class_total, gap), 0)


class gap_floor(CountryReform):
    """差额发放保底 / Gap method with a floor per counted member at a share of the standard (W26, L)."""

    name = "差额发放保底 20% / Gap method with a floor of 20 % of the standard per member (W26, L)"

    def apply(self):
        self.modify_parameters(add_floor_share)
        self.update_variable(dibao_regular_benefit)

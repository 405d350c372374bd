"""Structural reform: the gap method pays at least a floor per counted member.

Some places pay each member of a 低保 household paid by the gap at least a share of the standard,
however close the household's per-capita income is to it (POLICY_REFERENCE W26: a floor at 20 % of
the standard, place unnamed, confidence L). This reform adds that share as a jurisdictional
parameter, ``dibao.gap_floor_share`` (china 0.2; a parametric reform applied after this one can
change it for any jurisdiction), and sets the baseline's floor per counted member (``dibao_gap_floor``,
none in the baseline) to share × standard, so that the baseline's gap method
(``variables/dibao/dibao_gap_benefit.py``) pays

    max(standard − per-capita income, share × standard) × members counted

to an eligible household paid by the gap. It replaces that one variable: the gap, the class method
(分档发放) and the 单人户 benefit (a person assessed alone, which has its own formula) are the baseline's.

Use: ``openfisca_cn_assist.reforms.gap_floor`` (YAML tests, ``openfisca serve --reforms``) or
``load_reform("gap_floor")``.
"""

from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.reform_tools import CountryReform
from openfisca_cn_assist.engine.variable import Variable

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


class dibao_gap_floor(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "currency-CNY"
    label = "低保差额保底 / Gap method: the least paid per counted member, a share of the standard (元/人·月)"
    reference = "floor at a share of the standard per member (POLICY_REFERENCE W26, L)"

    def defined_for(household, period):
        """Eligible households paid by the gap: only they need the share (0 elsewhere)."""
        return household("dibao_eligible", period) & ~household("dibao_pays_by_class", period)

    def formula(household, period, parameters):
        """The jurisdiction's share of the household's standard."""
        return jurisdictional(household, period).dibao.gap_floor_share * household("dibao_standard", period)


class gap_floor(CountryReform):
    """差额发放保底 / Gap method with a floor per counted member at a share of the standard (W26, L)."""

    name = "差额发放保底 20% / Gap method with a floor of 20 % of the standard per member (W26, L)"

    def apply(self):
        self.modify_parameters(add_floor_share)
        self.update_variable(dibao_gap_floor)

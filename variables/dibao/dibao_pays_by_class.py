from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.variable import Variable


class dibao_pays_by_class(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "低保按类别发放 / Dibao paid by class (分档) rather than by the gap (补差)"
    reference = "民发〔2021〕57号 第二十三条: 按照差额发放或者分档发放"

    # quoted by the benefits it decides the way of paying: the words, and the jurisdiction's rule after the line
    explanation = {
        True: {"zh": "分档发放{dibao.pays_by_class[area]:rule}", "en": "Paid by class{dibao.pays_by_class[area]:rule}"},
        False: {
            "zh": "差额发放{dibao.pays_by_class[area]:rule}",
            "en": "Paid by the gap{dibao.pays_by_class[area]:rule}",
        },
    }

    def formula(household, period, parameters):
        """The jurisdiction's choice for the household's area (urban or rural)."""
        return jurisdictional(household, period).dibao.pays_by_class[household("area", period)]
